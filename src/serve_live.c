/* What runs beside the request thread: the watcher follows the store's
 * change sequence (so events stored by any process — this one, `sitrep
 * ingest`, `sitrep watch` — reach streams and alerts), and the sender works
 * through the delivery outbox with retries. Each thread has its own store
 * handle. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "serve.h"

#define WATCH_POLL_MS 100
#define WATCH_BATCH 500
#define SEND_BATCH 64
#define BREAKING_POLL_MS 1000
#define BREAKING_STORIES_MAX 64   /* flagged in one poll; the rest wait for the next */
#define BREAKING_EVENTS_MAX 64    /* events of one story looked at for its alert */
/* An article published this long before it was fetched is a backfill or
 * an archive, not news arriving now. */
#define BREAKING_MAX_AGE_S (24 * 3600)

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void serve_alert_event(const sr_store_event *e, sr_alert_event *out)
{
    sr_alert_event_init(out);
    out->lat = e->lat;
    out->lon = e->lon;
    out->cc = e->cc;
    out->admin1 = e->admin1;
    if (e->actor1.code)
        out->actors[out->n_actors++] = e->actor1.code;
    if (e->actor2.code)
        out->actors[out->n_actors++] = e->actor2.code;
    out->cameo = e->cameo;
    out->acled_type = e->acled_type;
    /* a count over a period or a past battle is not news of dead to alert on */
    out->fatalities = sr_store_event_own_fatalities(e);
    out->text = e->sentence;
}

/* ---- The request threads' store handles. ----------------------------------- */

sr_store *serve_store_acquire(struct serve *sv)
{
    unsigned start = atomic_fetch_add(&sv->next_store, 1);
    for (int k = 0; k < sv->n_stores; k++) {
        struct serve_store *h = &sv->stores[(start + (unsigned)k) % (unsigned)sv->n_stores];
        if (pthread_mutex_trylock(&h->mu) == 0)
            return h->store;
    }
    struct serve_store *h = &sv->stores[start % (unsigned)sv->n_stores];
    pthread_mutex_lock(&h->mu);
    return h->store;
}

void serve_store_release(struct serve *sv, sr_store *store)
{
    for (int k = 0; k < sv->n_stores; k++)
        if (sv->stores[k].store == store) {
            pthread_mutex_unlock(&sv->stores[k].mu);
            return;
        }
}

/* ---- Subscriptions at start-up. ------------------------------------------- */

struct loader {
    struct serve *sv;
    sr_arena *arena;
    int bad;
};

static int load_one(const sr_store_subscription *row, void *arg)
{
    struct loader *l = arg;
    sr_alert_sub sub;
    char err[200];
    const char *f = row->filter ? row->filter : "{}";
    if (sr_alert_sub_from_json(f, strlen(f), l->arena, &sub, err, sizeof err)) {
        fprintf(stderr, "sitrep serve: subscription %" PRId64 ": %s; skipped\n", row->id, err);
        l->bad++;
        return 0;
    }
    sub.id = (uint64_t)row->id;
    sr_alert_index_add(l->sv->subs, &sub);
    return 0;
}

sr_err serve_load_subscriptions(struct serve *sv, char *err, size_t errlen)
{
    struct loader l = {.sv = sv, .arena = sr_arena_new(0)};
    if (!l.arena)
        return SR_ENOMEM;
    sr_err e = sr_store_subscriptions(sv->stores[0].store, load_one, &l);
    sr_arena_free(l.arena);  /* the index keeps its own copies */
    if (e)
        snprintf(err, errlen, "%s", sr_store_errmsg(sv->stores[0].store));
    return e;
}

/* ---- The watcher. ---------------------------------------------------------- */

struct queued {
    int64_t event_id;
    int64_t sub_id;
};

struct watch {
    struct serve *sv;
    sr_buf json;
    int64_t seq;
    struct queued *q;
    size_t n_q, cap_q;
};

static void queue_delivery(struct watch *w, int64_t event_id, int64_t sub_id)
{
    if (w->n_q == w->cap_q) {
        size_t cap = w->cap_q ? w->cap_q * 2 : 256;
        struct queued *q = realloc(w->q, cap * sizeof *q);
        if (!q)
            return;
        w->q = q;
        w->cap_q = cap;
    }
    w->q[w->n_q++] = (struct queued){event_id, sub_id};
}

static int changed(const sr_store_event *e, void *arg)
{
    struct watch *w = arg;
    struct serve *sv = w->sv;
    sr_buf_reset(&w->json);
    sr_json j;
    sr_json_init(&j, &w->json);
    sr_store_event_json(&j, e);
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, e->seq);
    sr_sse_publish(sv->hub, id, "event", w->json.data, w->json.len, e);
    atomic_fetch_add(&sv->published, 1);
    sr_alert_event ae;
    serve_alert_event(e, &ae);
    const uint64_t *ids;
    size_t n = 0;
    pthread_mutex_lock(&sv->subs_mu);
    if (sr_alert_index_match(sv->subs, &ae, &ids, &n) == SR_OK)
        for (size_t i = 0; i < n; i++)
            queue_delivery(w, e->id, (int64_t)ids[i]);
    pthread_mutex_unlock(&sv->subs_mu);
    if (e->seq > w->seq)
        w->seq = e->seq;
    return 0;
}

static void watch_breaking(struct serve *sv, sr_store *st, int64_t *last_article);

void *serve_watch(void *arg)
{
    struct serve *sv = arg;
    char err[300];
    sr_store *st;
    if (sr_store_open(sv->db, 0, &st, err, sizeof err)) {
        fprintf(stderr, "sitrep serve: live updates stopped: %s\n", err);
        return NULL;
    }
    struct watch w = {.sv = sv, .seq = atomic_load(&sv->last_seq)};
    sr_buf_init(&w.json, 1 << 20);
    int64_t last_article = 0;
    double next_breaking = 0;
    while (!atomic_load(&sv->stop)) {
        if (sr_now() >= next_breaking) {
            watch_breaking(sv, st, &last_article);
            next_breaking = sr_now() + BREAKING_POLL_MS / 1000.0;
        }
        int64_t last = 0;
        if (sr_store_last_seq(st, &last) == SR_OK && last > w.seq) {
            w.n_q = 0;
            sr_store_events_changed(st, w.seq, WATCH_BATCH, changed, &w);
            for (size_t i = 0; i < w.n_q; i++) {
                bool queued = false;
                if (sr_store_delivery_enqueue(st, w.q[i].sub_id, w.q[i].event_id, &queued) == SR_OK && queued)
                    atomic_fetch_add(&sv->matched, 1);
            }
            atomic_store(&sv->last_seq, w.seq);
            continue;  /* there may be more */
        }
        sleep_ms(WATCH_POLL_MS);
    }
    free(w.q);
    sr_buf_free(&w.json);
    sr_store_close(st);
    return NULL;
}

/* ---- Breaking stories. ------------------------------------------------------
 *
 * Articles reach the store from any process (this one, `sitrep ingest`,
 * `sitrep watch`), so the watcher reads the articles fetched within the
 * window each second and counts the independent outlets of each story
 * (sr_breaking). A story that reaches the threshold is flagged in the store
 * (which tells only one process, once, that it changed it) and, in the
 * same transaction, a breaking alert is queued for every subscription that
 * one of its events matches: once per subscription and story, so a
 * restart or a second server sends nothing twice. Flagging gives the
 * story's events a new change sequence, so streams show them flagged. */

struct scan {
    struct serve *sv;
    int64_t last_article, newest;
    int64_t stories[BREAKING_STORIES_MAX];
    int n;
};

static void outlet_of(const sr_store_article *a, char *out, size_t n);
static void flag_story(struct serve *sv, sr_store *st, int64_t story_id);

static int observe(const sr_store_article *a, void *arg)
{
    struct scan *s = arg;
    if (a->id > s->newest)
        s->newest = a->id;
    if (a->id <= s->last_article || !a->story_id || s->n == BREAKING_STORIES_MAX)
        return 0;
    if (a->published && a->published < a->fetched - BREAKING_MAX_AGE_S)
        return 0;
    char outlet[256];
    outlet_of(a, outlet, sizeof outlet);
    if (sr_breaking_observe(s->sv->breaking, (uint64_t)a->story_id, outlet, (double)a->fetched))
        s->stories[s->n++] = a->story_id;
    return 0;
}

static void watch_breaking(struct serve *sv, sr_store *st, int64_t *last_article)
{
    struct scan s = {.sv = sv, .last_article = *last_article, .newest = *last_article};
    int64_t since = (int64_t)time(NULL) - (int64_t)sv->breaking_opt.window_s;
    if (sr_store_articles_recent(st, since, observe, &s) != SR_OK) {
        fprintf(stderr, "sitrep serve: breaking stories: %s\n", sr_store_errmsg(st));
        return;
    }
    /* Stopped early at BREAKING_STORIES_MAX: look at the rest next time. */
    *last_article = s.n == BREAKING_STORIES_MAX ? *last_article : s.newest;
    for (int i = 0; i < s.n; i++)
        flag_story(sv, st, s.stories[i]);
}

/* The site an article comes from, as one independent source: the host of
 * its URL without "www."-like prefixes (the store's normalised URL) cut to
 * its registrable part ("edition.cnn.com" is cnn.com; "bbc.co.uk" keeps its
 * three labels), else the site name it gives. */
static void outlet_of(const sr_store_article *a, char *out, size_t n)
{
    out[0] = 0;
    const char *url = a->url_norm ? a->url_norm : a->url;
    const char *host = url ? strstr(url, "://") : NULL;
    if (!host) {
        snprintf(out, n, "%s", a->site_name ? a->site_name : "");
        return;
    }
    host += 3;
    size_t len = strcspn(host, "/:?#");
    if (len >= n)
        len = n - 1;
    memcpy(out, host, len);
    out[len] = 0;
    /* the last two labels, or three under a two-letter country code whose
     * second level is a generic one (co.uk, com.au, org.br, ac.jp ...) */
    char *last = strrchr(out, '.'), *before = NULL, *third = NULL;
    for (char *p = last ? last - 1 : NULL; p && p >= out && !before; p--)
        if (*p == '.')
            before = p;
    for (char *p = before ? before - 1 : NULL; p && p >= out && !third; p--)
        if (*p == '.')
            third = p;
    if (!before)
        return;  /* two labels or fewer already */
    char *cut = strlen(last + 1) == 2 && last - before - 1 <= 3 ? third : before;
    if (cut)
        memmove(out, cut + 1, strlen(cut + 1) + 1);
}

struct story_alert {
    struct serve *sv;
    int64_t event[256], sub[256];
    int n;
};

/* One alert per subscription: the first of the story's events it matches. */
static int match_story_event(const sr_store_event *e, void *arg)
{
    struct story_alert *sa = arg;
    sr_alert_event ae;
    serve_alert_event(e, &ae);
    const uint64_t *ids;
    size_t n = 0;
    pthread_mutex_lock(&sa->sv->subs_mu);
    if (sr_alert_index_match(sa->sv->subs, &ae, &ids, &n) == SR_OK)
        for (size_t i = 0; i < n && sa->n < 256; i++) {
            bool seen = false;
            for (int k = 0; k < sa->n && !seen; k++)
                seen = sa->sub[k] == (int64_t)ids[i];
            if (!seen) {
                sa->sub[sa->n] = (int64_t)ids[i];
                sa->event[sa->n++] = e->id;
            }
        }
    pthread_mutex_unlock(&sa->sv->subs_mu);
    return 0;
}

static void flag_story(struct serve *sv, sr_store *st, int64_t story_id)
{
    bool changed = false;
    struct story_alert sa = {.sv = sv};
    sr_store_filter f = {.story_id = story_id, .limit = BREAKING_EVENTS_MAX};
    sr_err e = sr_store_begin(st);
    if (!e)
        e = sr_store_story_set_breaking(st, story_id, &changed);
    if (!e && changed)
        e = sr_store_events(st, &f, match_story_event, &sa);
    for (int i = 0; !e && i < sa.n; i++)
        e = sr_store_delivery_enqueue_kind(st, sa.sub[i], sa.event[i], SR_ALERT_BREAKING, NULL);
    if (e) {
        fprintf(stderr, "sitrep serve: story %" PRId64 " is breaking but could not be flagged: %s\n",
                story_id, sr_store_errmsg(st));
        sr_store_rollback(st);
        return;
    }
    if (sr_store_commit(st) != SR_OK) {
        fprintf(stderr, "sitrep serve: story %" PRId64 ": %s\n", story_id, sr_store_errmsg(st));
        return;
    }
    if (changed) {
        atomic_fetch_add(&sv->breaking_flagged, 1);
        atomic_fetch_add(&sv->matched, sa.n);
    }
}

/* ---- The sender. ----------------------------------------------------------- */

struct due {
    int64_t id, sub_id, event_id;
    int attempts;
    sr_store_alert_kind kind;
};

struct due_list {
    struct due d[SEND_BATCH];
    int n;
};

static int collect_due(const sr_store_delivery *d, void *arg)
{
    struct due_list *l = arg;
    if (l->n < SEND_BATCH)
        l->d[l->n++] = (struct due){d->id, d->subscription_id, d->event_id, d->attempts, d->kind};
    return 0;
}

struct target {
    bool found;
    char channel[16];
    char endpoint[2048];
    char keys[512];
};

static int copy_target(const sr_store_subscription *s, void *arg)
{
    struct target *t = arg;
    t->found = true;
    snprintf(t->channel, sizeof t->channel, "%s", s->channel ? s->channel : "");
    snprintf(t->endpoint, sizeof t->endpoint, "%s", s->endpoint ? s->endpoint : "");
    snprintf(t->keys, sizeof t->keys, "%s", s->keys ? s->keys : "{}");
    return 0;
}

struct payload {
    bool found;
    bool breaking;   /* the alert says the event's story became breaking */
    int64_t id;
    int fatalities;
    sr_buf webhook;  /* the whole event */
    sr_buf push;     /* a short summary: push messages carry at most ~4 KB */
};

static int build_payload(const sr_store_event *e, void *arg)
{
    struct payload *p = arg;
    p->found = true;
    p->id = e->id;
    p->fatalities = e->fatalities.value;
    sr_json j;
    sr_json_init(&j, &p->webhook);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "type", p->breaking ? "breaking" : "event");
    sr_json_key(&j, "event");
    sr_store_event_json(&j, e);
    sr_json_object_end(&j);
    char title[256];
    snprintf(title, sizeof title, "%s%s%s%s", p->breaking ? "Breaking: " : "", e->acled_subtype ? e->acled_subtype : (e->acled_type ? e->acled_type : "Event"),
             e->place_name ? " — " : "", e->place_name ? e->place_name : "");
    sr_json_init(&j, &p->push);
    sr_json_object_begin(&j);
    sr_json_kv_int(&j, "id", e->id);
    sr_json_kv_string(&j, "title", title);
    char body[400];
    snprintf(body, sizeof body, "%.380s", e->sentence ? e->sentence : "");
    sr_json_kv_string(&j, "body", body);
    sr_json_kv_string(&j, "acled_type", e->acled_type);
    sr_json_kv_string(&j, "cameo", e->cameo);
    sr_json_kv_bool(&j, "breaking", p->breaking);
    sr_json_object_end(&j);
    return 0;
}

static void deliver(struct serve *sv, sr_store *st, sr_alert_client *client, const struct due *d)
{
    struct target t = {0};
    struct payload p = {.breaking = d->kind == SR_ALERT_BREAKING};
    sr_buf_init(&p.webhook, 1 << 20);
    sr_buf_init(&p.push, SR_WEBPUSH_MAX_PAYLOAD);
    sr_store_subscription_get(st, d->sub_id, copy_target, &t);
    sr_store_event_get(st, d->event_id, build_payload, NULL, &p);
    sr_delivery_result r = {.status = SR_DELIVERY_FAILED, .retry_after_ms = -1};
    long long now = (long long)time(NULL);
    json_t *keys = t.found ? json_loads(t.keys, 0, NULL) : NULL;
    if (!t.found || !p.found) {
        snprintf(r.error, sizeof r.error, "%s no longer exists", t.found ? "the event" : "the subscription");
    } else if (strcmp(t.channel, "webhook") == 0) {
        sr_webhook_options o = {.allow_private = sv->allow_private, .client = client};
        const char *secret = json_string_value(json_object_get(keys, "secret"));
        sr_webhook_send(t.endpoint, secret ? secret : "", p.webhook.data, p.webhook.len, now, &o, &r);
    } else if (strcmp(t.channel, "webpush") == 0) {
        sr_webpush_keys k;
        char topic[32];
        snprintf(topic, sizeof topic, "%s%" PRId64, p.breaking ? "breaking" : "event", p.id);
        sr_push_options o = {.ttl = 24 * 3600, .urgency = p.fatalities > 0 || p.breaking ? SR_URGENCY_HIGH : SR_URGENCY_NORMAL,
                             .topic = topic, .allow_private = sv->allow_private, .client = client};
        if (sr_webpush_keys_parse(json_string_value(json_object_get(keys, "p256dh")),
                                  json_string_value(json_object_get(keys, "auth")), &k) == SR_OK)
            sr_webpush_send(sv->vapid, t.endpoint, &k, p.push.data, p.push.len, &o, &r);
        else
            snprintf(r.error, sizeof r.error, "stored push keys are unreadable");
    } else {
        snprintf(r.error, sizeof r.error, "unknown channel '%s'", t.channel);
    }
    json_decref(keys);
    sr_buf_free(&p.webhook);
    sr_buf_free(&p.push);

    switch (r.status) {
    case SR_DELIVERY_OK:
        sr_store_delivery_update(st, d->id, SR_OUTBOX_SENT, 0, NULL);
        atomic_fetch_add(&sv->sent, 1);
        return;
    case SR_DELIVERY_GONE:
        /* the browser unsubscribed or the receiver is gone: forget it */
        sr_store_delivery_update(st, d->id, SR_OUTBOX_FAILED, 0, r.error);
        sr_store_subscription_remove(st, d->sub_id);
        pthread_mutex_lock(&sv->subs_mu);
        sr_alert_index_remove(sv->subs, (uint64_t)d->sub_id);
        pthread_mutex_unlock(&sv->subs_mu);
        atomic_fetch_add(&sv->send_failed, 1);
        return;
    case SR_DELIVERY_RETRY: {
        long long delay = sr_backoff_delay_ms(&SR_BACKOFF_DEFAULT, d->attempts + 1, r.retry_after_ms,
                                              ((uint64_t)d->id << 20) ^ (uint64_t)now);
        if (delay >= 0) {
            sr_store_delivery_update(st, d->id, SR_OUTBOX_PENDING, now + (delay + 999) / 1000, r.error);
            atomic_fetch_add(&sv->send_retried, 1);
            return;
        }
        break;
    }
    case SR_DELIVERY_FAILED:
        break;
    }
    sr_store_delivery_update(st, d->id, SR_OUTBOX_FAILED, 0, r.error);
    atomic_fetch_add(&sv->send_failed, 1);
    fprintf(stderr, "sitrep serve: delivery %" PRId64 " to subscription %" PRId64 " failed: %s\n",
            d->id, d->sub_id, r.error);
}

void *serve_send(void *arg)
{
    struct serve *sv = arg;
    char err[300];
    sr_store *st;
    if (sr_store_open(sv->db, 0, &st, err, sizeof err)) {
        fprintf(stderr, "sitrep serve: alerts stopped: %s\n", err);
        return NULL;
    }
    sr_alert_client *client = sr_alert_client_new();
    while (!atomic_load(&sv->stop)) {
        struct due_list l = {0};
        sr_store_deliveries_due(st, (int64_t)time(NULL), SEND_BATCH, collect_due, &l);
        for (int i = 0; i < l.n && !atomic_load(&sv->stop); i++)
            deliver(sv, st, client, &l.d[i]);
        if (l.n < SEND_BATCH)
            sleep_ms(WATCH_POLL_MS);
    }
    sr_alert_client_free(client);
    sr_store_close(st);
    return NULL;
}
