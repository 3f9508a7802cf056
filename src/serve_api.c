/* The HTTP API of `sitrep serve` (docs/api.md): events, their evidence,
 * live streams, stories, articles, places, statistics, subscriptions and
 * the operational endpoints. Handlers run on the server's request thread and
 * share one store handle under a lock. */
#include <inttypes.h>
#include <stdint.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "serve.h"

#define PAGE_DEFAULT 200
#define PAGE_MAX 1000
#define REPLAY_MAX 10000

static sr_err list_events(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err one_event(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err stream(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err list_stories(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err search_articles(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err complete_places(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err stats(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err subscribe(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err unsubscribe(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err vapid_key(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err healthz(void *ctx, sr_http_request *req, sr_http_response *res);
static sr_err metrics(void *ctx, sr_http_request *req, sr_http_response *res);

sr_err serve_routes(struct serve *sv)
{
    static const struct {
        const char *method, *path;
        sr_http_handler fn;
    } routes[] = {
        {"GET", "/api/events", list_events},
        {"GET", "/api/events/*", one_event},
        {"GET", "/api/stream", stream},
        {"GET", "/api/stories", list_stories},
        {"GET", "/api/articles", search_articles},
        {"GET", "/api/places", complete_places},
        {"GET", "/api/stats", stats},
        {"POST", "/api/subscriptions", subscribe},
        {"DELETE", "/api/subscriptions/*", unsubscribe},
        {"GET", "/api/vapid", vapid_key},
        {"GET", "/healthz", healthz},
        {"GET", "/metrics", metrics},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        sr_err e = sr_http_route(sv->http, routes[i].method, routes[i].path, routes[i].fn, sv);
        if (e)
            return e;
    }
    return SR_OK;
}

/* ---- Query parameters. ---------------------------------------------------- */

static bool filter_from_query_except(sr_http_request *req, sr_store_filter *f, sr_http_response *res,
                                     const char *skip);

/* Reads every filter the URL carries. On a bad value the response is set to
 * 400 and false returned. */
static bool filter_from_query(sr_http_request *req, sr_store_filter *f, sr_http_response *res)
{
    return filter_from_query_except(req, f, res, NULL);
}

/* The same, leaving out the key `skip` (a stream reads `since` itself). */
static bool filter_from_query_except(sr_http_request *req, sr_store_filter *f, sr_http_response *res,
                                     const char *skip)
{
    char err[256];
    for (const char *const *k = sr_store_filter_keys; *k; k++) {
        if (skip && strcmp(*k, skip) == 0)
            continue;
        const char *v = sr_http_query(req, *k);
        if (v && *v && sr_store_filter_set(f, *k, v, err, sizeof err)) {
            sr_http_error(res, 400, err);
            return false;
        }
    }
    return true;
}

static bool int_param(sr_http_request *req, const char *key, long long min, long long max,
                      long long *out, sr_http_response *res)
{
    const char *v = sr_http_query(req, key);
    if (!v || !*v)
        return true;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end || n < min || n > max) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be a whole number from %lld to %lld", key, min, max);
        sr_http_error(res, 400, msg);
        return false;
    }
    *out = n;
    return true;
}

static void iso_time(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        out[0] = 0;
}

static void kv_time(sr_json *j, const char *key, int64_t t)
{
    char s[32];
    iso_time(s, sizeof s, t);
    sr_json_key(j, key);
    if (s[0])
        sr_json_string(j, s);
    else
        sr_json_null(j);
}

/* ---- Events. --------------------------------------------------------------- */

enum format { FMT_JSON, FMT_GEOJSON, FMT_CSV };

struct page {
    enum format format;
    sr_json j;
    sr_buf *out;
    int n, limit;
    bool more;
    int64_t last_date, last_id;
};

static int page_event(const sr_store_event *e, void *arg)
{
    struct page *p = arg;
    if (p->n == p->limit) {
        p->more = true;
        return 1;
    }
    if (p->format == FMT_CSV)
        sr_store_event_csv(p->out, e);
    else if (p->format == FMT_GEOJSON)
        sr_store_event_geojson(&p->j, e);
    else
        sr_store_event_json(&p->j, e);
    p->last_date = e->date;
    p->last_id = e->id;
    p->n++;
    return 0;
}

static sr_err list_events(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    sr_store_filter f = {0};
    long long limit = PAGE_DEFAULT;
    if (!filter_from_query(req, &f, res) || !int_param(req, "limit", 1, PAGE_MAX, &limit, res))
        return SR_OK;
    const char *cursor = sr_http_query(req, "cursor");
    if (cursor && *cursor) {
        long long d, id;
        char tail;
        if (sscanf(cursor, "%lld_%lld%c", &d, &id, &tail) != 2)
            return sr_http_error(res, 400, "cursor is not one this server gave");
        f.has_after = true;
        f.after_date = d;
        f.after_id = id;
    }
    const char *fmt = sr_http_query(req, "format");
    struct page p = {.format = FMT_JSON, .out = &res->body, .limit = (int)limit};
    if (fmt && strcmp(fmt, "geojson") == 0)
        p.format = FMT_GEOJSON;
    else if (fmt && strcmp(fmt, "csv") == 0)
        p.format = FMT_CSV;
    else if (fmt && *fmt && strcmp(fmt, "json") != 0)
        return sr_http_error(res, 400, "format must be json, geojson or csv");
    f.limit = (int)limit + 1;
    sr_json_init(&p.j, &res->body);
    if (p.format == FMT_CSV) {
        res->content_type = "text/csv; charset=utf-8";
        sr_store_event_csv_header(&res->body);
    } else {
        sr_json_object_begin(&p.j);
        if (p.format == FMT_GEOJSON) {
            res->content_type = "application/geo+json";
            sr_json_kv_string(&p.j, "type", "FeatureCollection");
            sr_json_key(&p.j, "features");
        } else {
            sr_json_key(&p.j, "events");
        }
        sr_json_array_begin(&p.j);
    }
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_events(store, &f, page_event, &p);
    serve_store_release(sv, store);
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    char next[64] = "";
    if (p.more)
        snprintf(next, sizeof next, "%" PRId64 "_%" PRId64, p.last_date, p.last_id);
    if (p.format == FMT_CSV) {
        if (next[0])
            sr_http_add_header(res, "X-Next-Cursor", next);
        return SR_OK;
    }
    sr_json_array_end(&p.j);
    sr_json_kv_string(&p.j, "next", next[0] ? next : NULL);
    sr_json_object_end(&p.j);
    return SR_OK;
}

struct detail {
    sr_buf event;  /* the event object, written first */
    sr_json sources;
    int n_sources;
};

static int detail_event(const sr_store_event *e, void *arg)
{
    struct detail *d = arg;
    sr_json j;
    sr_json_init(&j, &d->event);
    sr_store_event_json(&j, e);
    return 0;
}

static int detail_support(const sr_store_support *s, void *arg)
{
    struct detail *d = arg;
    sr_json *j = &d->sources;
    sr_json_object_begin(j);
    sr_json_kv_int(j, "article", s->article.id);
    sr_json_kv_string(j, "title", s->article.title);
    sr_json_kv_string(j, "url", s->article.url);
    sr_json_kv_string(j, "outlet", s->article.site_name);
    kv_time(j, "published", s->article.published);
    sr_json_kv_string(j, "sentence", s->sentence);
    sr_json_kv_int(j, "start", s->sent_start);
    sr_json_kv_int(j, "end", s->sent_end);
    sr_json_object_end(j);
    d->n_sources++;
    return 0;
}

/* One event with every supporting article: the event's own object with a
 * "sources" member added. */
static sr_err one_event(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    char *end;
    long long id = strtoll(sr_http_path_tail(req), &end, 10);
    if (*end || id <= 0)
        return sr_http_error(res, 404, "no such event");
    struct detail d = {0};
    sr_buf sources;
    sr_buf_init(&d.event, 1 << 20);
    sr_buf_init(&sources, 16 << 20);
    sr_json_init(&d.sources, &sources);
    sr_json_array_begin(&d.sources);
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_event_get(store, id, detail_event, detail_support, &d);
    serve_store_release(sv, store);
    sr_json_array_end(&d.sources);
    if (!e && d.event.len > 1 && d.event.data[d.event.len - 1] == '}') {
        sr_buf_append(&res->body, d.event.data, d.event.len - 1);
        sr_buf_puts(&res->body, ",\"sources\":");
        sr_buf_append(&res->body, sources.data, sources.len);
        sr_buf_putc(&res->body, '}');
    } else if (e == SR_ENOTFOUND) {
        sr_http_error(res, 404, "no such event");
    } else {
        sr_http_error(res, 500, sr_store_errmsg(store));
    }
    sr_buf_free(&d.event);
    sr_buf_free(&sources);
    return SR_OK;
}

/* ---- Live stream. ---------------------------------------------------------- */

/* A stream's filter outlives the request: copy its strings. `after_seq` is
 * the newest change the replay covered: live messages up to it are already
 * in the replay and are skipped, so the seam has no duplicates. */
struct stream_filter {
    sr_store_filter f;
    int64_t after_seq;
    char strings[];
};

struct replay {
    const sr_store_filter *f;
    sr_buf out;
    sr_buf json;
    int64_t last_seq;   /* the newest change looked at, matching or not */
    int n;
};

static bool stream_replay_from(struct serve *sv, sr_http_request *req, sr_http_response *res,
                               int64_t *after, bool *replay);
static struct stream_filter *stream_filter_new(const sr_store_filter *f, int64_t after_seq);
static bool stream_match(void *filter, const void *item);
static int replay_event(const sr_store_event *e, void *arg);

/* New and updated events as Server-Sent Events. What a client missed is
 * replayed from the store before live events follow: after the change
 * sequence a reconnecting browser sends as Last-Event-ID (or since_id=),
 * else every event stored or updated since the time `since=` gives. */
static sr_err stream(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    sr_store_filter f = {0};
    int64_t after = 0;
    bool replay = false;
    if (!filter_from_query_except(req, &f, res, "since") || !stream_replay_from(sv, req, res, &after, &replay))
        return SR_OK;
    struct replay r = {.f = &f, .last_seq = after};
    sr_buf_init(&r.out, 8 << 20);
    sr_buf_init(&r.json, 1 << 20);
    if (replay) {
        sr_store *store = serve_store_acquire(sv);
        sr_store_events_changed(store, after, REPLAY_MAX, replay_event, &r);
        serve_store_release(sv, store);
    }
    struct stream_filter *sf = stream_filter_new(&f, replay ? r.last_seq : 0);
    sr_err e = sf ? sr_http_stream(req, res, sv->hub, stream_match, sf, free, r.out.data, r.out.len) : SR_ENOMEM;
    sr_buf_free(&r.out);
    sr_buf_free(&r.json);
    return e;
}

static bool seq_since_time(struct serve *sv, int64_t t, int64_t *after);

/* Where the replay starts: the change sequence of Last-Event-ID or
 * since_id=, else the last change before the time of since=. On a bad
 * value the response is set to 400 and false returned. */
static bool stream_replay_from(struct serve *sv, sr_http_request *req, sr_http_response *res,
                               int64_t *after, bool *replay)
{
    const char *from = sr_http_header_in(req, "Last-Event-ID");
    if (!from || !*from)
        from = sr_http_query(req, "since_id");
    if (from && *from) {
        char *end;
        long long v = strtoll(from, &end, 10);
        if (*end || v < 0) {
            sr_http_error(res, 400, "Last-Event-ID / since_id must be an event sequence number");
            return false;
        }
        *after = v;
        *replay = true;
        return true;
    }
    const char *since = sr_http_query(req, "since");
    if (!since || !*since)
        return true;
    /* bare digits are Unix seconds here, as `@SECONDS` is */
    char buf[64], err[256];
    if (strspn(since, "0123456789") == strlen(since) && strlen(since) < sizeof buf - 1) {
        snprintf(buf, sizeof buf, "@%s", since);
        since = buf;
    }
    sr_store_filter t = {0};
    if (sr_store_filter_set(&t, "since", since, err, sizeof err)) {
        sr_http_error(res, 400, err);
        return false;
    }
    if (!seq_since_time(sv, t.since, after)) {
        sr_http_error(res, 500, "the store could not be read");
        return false;
    }
    *replay = true;
    return true;
}

struct probe {
    bool found;
    int64_t seq, updated;
};

static int probe_event(const sr_store_event *e, void *arg)
{
    struct probe *p = arg;
    *p = (struct probe){true, e->seq, e->updated};
    return 1;
}

/* The change sequence after which every change is at or after time t.
 * A change's time grows with its sequence (both are set in one write
 * transaction, and writers take turns), so this is a binary search over
 * the sequence index: some 30 one-row reads, never a scan of the store. */
static bool seq_since_time(struct serve *sv, int64_t t, int64_t *after)
{
    sr_store *store = serve_store_acquire(sv);
    int64_t lo = 0, hi = 0;
    bool ok = sr_store_last_seq(store, &hi) == SR_OK;
    /* invariant: the first change after hi (none at the start) is at or after t */
    while (ok && lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        struct probe p = {0};
        ok = sr_store_events_changed(store, mid, 1, probe_event, &p) == SR_OK;
        if (!p.found || p.updated >= t)
            hi = mid;
        else
            lo = p.seq;
    }
    serve_store_release(sv, store);
    *after = lo;
    return ok;
}

static void copy_str(const char **field, char **at)
{
    if (!*field)
        return;
    size_t n = strlen(*field) + 1;
    memcpy(*at, *field, n);
    *field = *at;
    *at += n;
}

static struct stream_filter *stream_filter_new(const sr_store_filter *f, int64_t after_seq)
{
    const char *fields[] = {f->country, f->admin1, f->cameo_root, f->cameo, f->acled_type,
                            f->acled_subtype, f->actor, f->q};
    size_t n = 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        n += fields[i] ? strlen(fields[i]) + 1 : 0;
    struct stream_filter *sf = malloc(sizeof *sf + n);
    if (!sf)
        return NULL;
    sf->f = *f;
    sf->after_seq = after_seq;
    char *at = sf->strings;
    copy_str(&sf->f.country, &at);
    copy_str(&sf->f.admin1, &at);
    copy_str(&sf->f.cameo_root, &at);
    copy_str(&sf->f.cameo, &at);
    copy_str(&sf->f.acled_type, &at);
    copy_str(&sf->f.acled_subtype, &at);
    copy_str(&sf->f.actor, &at);
    copy_str(&sf->f.q, &at);
    return sf;
}

static bool stream_match(void *filter, const void *item)
{
    const struct stream_filter *sf = filter;
    const sr_store_event *e = item;
    return e->seq > sf->after_seq && sr_store_event_matches(&sf->f, e);
}

static int replay_event(const sr_store_event *e, void *arg)
{
    struct replay *r = arg;
    if (e->seq > r->last_seq)
        r->last_seq = e->seq;
    if (!sr_store_event_matches(r->f, e))
        return 0;
    sr_buf_reset(&r->json);
    sr_json j;
    sr_json_init(&j, &r->json);
    sr_store_event_json(&j, e);
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, e->seq);
    sr_sse_format(&r->out, id, "event", r->json.data, r->json.len);
    r->n++;
    return 0;
}

/* ---- Stories, articles, places, statistics. -------------------------------- */

struct story_page {
    sr_json *j;
    int n, limit;
    bool more;
    sr_store_story last;
};

static int story_out(const sr_store_story *st, void *arg)
{
    struct story_page *p = arg;
    if (p->n == p->limit) {
        p->more = true;
        return 1;
    }
    sr_json *j = p->j;
    sr_json_object_begin(j);
    sr_json_kv_int(j, "id", st->id);
    sr_json_kv_string(j, "title", st->title);
    kv_time(j, "first_seen", st->first_seen);
    kv_time(j, "last_seen", st->last_seen);
    sr_json_kv_int(j, "articles", st->num_articles);
    sr_json_kv_int(j, "events", st->num_events);
    sr_json_kv_bool(j, "breaking", st->breaking);
    sr_json_object_end(j);
    p->last = *st;
    p->last.title = NULL;
    p->n++;
    return 0;
}

static sr_err list_stories(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    sr_store_filter f = {0};
    long long limit = 50;
    const char *since = sr_http_query(req, "since");
    char err[256];
    if (since && *since && sr_store_filter_set(&f, "since", since, err, sizeof err))
        return sr_http_error(res, 400, err);
    if (!int_param(req, "limit", 1, PAGE_MAX, &limit, res))
        return SR_OK;
    sr_store_story after = {0};
    const char *cursor = sr_http_query(req, "cursor");
    if (cursor && *cursor) {
        long long t, id;
        char tail;
        if (sscanf(cursor, "%lld_%lld%c", &t, &id, &tail) != 2)
            return sr_http_error(res, 400, "cursor is not one this server gave");
        after.last_seen = t;
        after.id = id;
    }
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_key(&j, "stories");
    sr_json_array_begin(&j);
    struct story_page p = {.j = &j, .limit = (int)limit};
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_stories(store, f.has_since ? f.since : 0, cursor && *cursor ? &after : NULL,
                                (int)limit + 1, story_out, &p);
    serve_store_release(sv, store);
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    sr_json_array_end(&j);
    char next[64];
    snprintf(next, sizeof next, "%" PRId64 "_%" PRId64, p.last.last_seen, p.last.id);
    sr_json_kv_string(&j, "next", p.more ? next : NULL);
    sr_json_object_end(&j);
    return SR_OK;
}

struct article_page {
    sr_json *j;
    int n;
};

static int article_out(const sr_store_article *a, void *arg)
{
    struct article_page *p = arg;
    sr_json *j = p->j;
    sr_json_object_begin(j);
    sr_json_kv_int(j, "id", a->id);
    sr_json_kv_string(j, "title", a->title);
    sr_json_kv_string(j, "url", a->url);
    sr_json_kv_string(j, "outlet", a->site_name);
    kv_time(j, "published", a->published);
    sr_json_object_end(j);
    p->n++;
    return 0;
}

static sr_err search_articles(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    const char *q = sr_http_query(req, "q");
    long long limit = 50, offset = 0;
    if (!q || !*q)
        return sr_http_error(res, 400, "q (the words to look for) is required");
    if (strlen(q) > 1000)
        return sr_http_error(res, 400, "q is longer than 1000 bytes");
    if (!int_param(req, "limit", 1, PAGE_MAX, &limit, res) || !int_param(req, "cursor", 0, 1000000, &offset, res))
        return SR_OK;
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_key(&j, "articles");
    sr_json_array_begin(&j);
    struct article_page p = {.j = &j};
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_articles_search(store, q, (int)limit, (int)offset, article_out, &p);
    serve_store_release(sv, store);
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    sr_json_array_end(&j);
    sr_json_key(&j, "next");
    if (p.n == limit)
        sr_json_int(&j, offset + limit);
    else
        sr_json_null(&j);
    sr_json_object_end(&j);
    return SR_OK;
}

static int place_out(const sr_store_place *pl, void *arg)
{
    sr_json *j = arg;
    sr_json_object_begin(j);
    sr_json_kv_string(j, "name", pl->name);
    sr_json_kv_string(j, "kind", pl->kind);
    sr_json_kv_string(j, "cc", pl->cc);
    sr_json_kv_string(j, "admin1", pl->admin1);
    sr_json_kv_double(j, "lat", pl->lat, 5);
    sr_json_kv_double(j, "lon", pl->lon, 5);
    sr_json_kv_int(j, "geonameid", pl->geonameid);
    sr_json_kv_int(j, "population", pl->population);
    sr_json_object_end(j);
    return 0;
}

static sr_err complete_places(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    const char *q = sr_http_query(req, "q");
    long long limit = 10;
    if (!q || !*q || strlen(q) > 200)
        return sr_http_error(res, 400, "q (the start of a place name, up to 200 bytes) is required");
    if (!int_param(req, "limit", 1, 100, &limit, res))
        return SR_OK;
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_key(&j, "places");
    sr_json_array_begin(&j);
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_places_complete(store, q, (int)limit, place_out, &j);
    serve_store_release(sv, store);
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    sr_json_array_end(&j);
    sr_json_object_end(&j);
    return SR_OK;
}

struct stats_out {
    sr_json *j;
    int64_t day;
    bool open;
};

static int stat_out(int64_t day, const char *type, int64_t count, void *arg)
{
    struct stats_out *s = arg;
    if (!s->open || day != s->day) {
        if (s->open) {
            sr_json_object_end(s->j);
            sr_json_object_end(s->j);
        }
        char date[32];
        iso_time(date, sizeof date, day);
        date[10] = 0;
        sr_json_object_begin(s->j);
        sr_json_kv_string(s->j, "date", date);
        sr_json_key(s->j, "counts");
        sr_json_object_begin(s->j);
        s->day = day;
        s->open = true;
    }
    sr_json_kv_int(s->j, type ? type : "Other", count);
    return 0;
}

static sr_err stats(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    sr_store_filter f = {0};
    if (!filter_from_query(req, &f, res))
        return SR_OK;
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_key(&j, "days");
    sr_json_array_begin(&j);
    struct stats_out s = {.j = &j};
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_stats(store, &f, stat_out, &s);
    serve_store_release(sv, store);
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    if (s.open) {
        sr_json_object_end(&j);
        sr_json_object_end(&j);
    }
    sr_json_array_end(&j);
    sr_json_object_end(&j);
    return SR_OK;
}

/* ---- Subscriptions. ------------------------------------------------------- */

/* A token bucket per client address: `subscribe_per_minute` requests at
 * once, refilled at that rate, so limits hold across minute boundaries. */
static bool rate_limited(struct serve *sv, const char *ip)
{
    unsigned h = 2166136261u;
    for (const char *p = ip; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    double now = sr_now(), cap = sv->subscribe_per_minute;
    pthread_mutex_lock(&sv->rate_mu);
    struct rate_slot *s = &sv->rate[h % SERVE_RATE_SLOTS];
    if (strcmp(s->ip, ip) != 0) {
        snprintf(s->ip, sizeof s->ip, "%s", ip);
        s->tokens = cap;
        s->at = now;
    }
    s->tokens += (now - s->at) * cap / 60.0;
    if (s->tokens > cap)
        s->tokens = cap;
    s->at = now;
    bool limited = s->tokens < 1.0;
    if (!limited)
        s->tokens -= 1.0;
    pthread_mutex_unlock(&sv->rate_mu);
    return limited;
}

/* The channel of a new subscription: where alerts go and the keys needed. */
struct channel {
    const char *kind;
    char endpoint[2048];
    char keys[512];
    char secret[65];
};

static bool read_channel(struct serve *sv, json_t *ch, struct channel *c, char *err, size_t errlen)
{
    json_t *push = json_object_get(ch, "webpush"), *hook = json_object_get(ch, "webhook");
    if (json_is_object(push)) {
        char *text = json_dumps(push, JSON_COMPACT);
        sr_webpush_subscription sub;
        sr_err e = text ? sr_webpush_subscription_parse(text, strlen(text), &sub, err, errlen) : SR_ENOMEM;
        free(text);
        if (e)
            return false;
        c->kind = "webpush";
        snprintf(c->endpoint, sizeof c->endpoint, "%s", sub.endpoint);
        json_t *keys = json_object_get(push, "keys");
        snprintf(c->keys, sizeof c->keys, "{\"p256dh\":\"%s\",\"auth\":\"%s\"}",
                 json_string_value(json_object_get(keys, "p256dh")),
                 json_string_value(json_object_get(keys, "auth")));
    } else if (json_is_object(hook)) {
        const char *url = json_string_value(json_object_get(hook, "url"));
        if (!url || strlen(url) >= sizeof c->endpoint) {
            snprintf(err, errlen, "channel.webhook.url must be an http(s) URL");
            return false;
        }
        c->kind = "webhook";
        snprintf(c->endpoint, sizeof c->endpoint, "%s", url);
        char hash[65];
        if (sr_alert_token_new(c->secret, hash))
            return false;
        snprintf(c->keys, sizeof c->keys, "{\"secret\":\"%s\"}", c->secret);
    } else {
        snprintf(err, errlen, "channel must be {\"webpush\": PushSubscription} or {\"webhook\": {\"url\": ...}}");
        return false;
    }
    return sr_alert_target_check(c->endpoint, sv->allow_private, err, errlen) == SR_OK;
}

static sr_err subscribe(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    if (rate_limited(sv, sr_http_remote(req))) {
        sr_http_add_header(res, "Retry-After", "60");
        return sr_http_error(res, 429, "too many subscriptions from this address; try again in a minute");
    }
    size_t len;
    const char *body = sr_http_body(req, &len);
    char err[300] = "";
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(err, sizeof err, "the body is not a JSON object: %s", jerr.text);
        return sr_http_error(res, 400, err);
    }
    sr_alert_sub sub;
    struct channel c = {0};
    sr_buf filter;
    sr_buf_init(&filter, 64 * 1024);
    sr_err e = sr_alert_sub_from_json(body, len, sr_http_arena(req), &sub, err, sizeof err);
    if (!e && !read_channel(sv, json_object_get(root, "channel"), &c, err, sizeof err))
        e = SR_EINVAL;
    json_decref(root);
    if (e) {
        sr_buf_free(&filter);
        return sr_http_error(res, 400, err[0] ? err : "invalid subscription");
    }
    sr_alert_sub_to_json(&sub, &filter);
    char token[65], hash[65];
    sr_alert_token_new(token, hash);
    sr_store_subscription row = {.token_hash = hash, .channel = c.kind, .endpoint = c.endpoint,
                                 .keys = c.keys, .filter = filter.data};
    int64_t id = 0;
    sr_store *store = serve_store_acquire(sv);
    e = sr_store_subscription_add(store, &row, &id);
    serve_store_release(sv, store);
    sr_buf_free(&filter);
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    sub.id = (uint64_t)id;
    pthread_mutex_lock(&sv->subs_mu);
    sr_alert_index_add(sv->subs, &sub);
    pthread_mutex_unlock(&sv->subs_mu);
    res->status = 201;
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_kv_int(&j, "id", id);
    sr_json_kv_string(&j, "token", token);
    if (c.secret[0])
        sr_json_kv_string(&j, "secret", c.secret);
    sr_json_object_end(&j);
    return SR_OK;
}

static const char *bearer(sr_http_request *req)
{
    const char *h = sr_http_header_in(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    return h + 7;
}

static int copy_token_hash(const sr_store_subscription *sub, void *arg)
{
    snprintf(arg, 65, "%s", sub->token_hash ? sub->token_hash : "");
    return 0;
}

static sr_err unsubscribe(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    char *end;
    long long id = strtoll(sr_http_path_tail(req), &end, 10);
    if (*end || id <= 0)
        return sr_http_error(res, 404, "no such subscription");
    const char *token = bearer(req);
    char hash[65] = "";
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_subscription_get(store, id, copy_token_hash, hash);
    bool allowed = !e && token && (sr_alert_token_check(token, hash) ||
                                   (sv->admin_token && strcmp(token, sv->admin_token) == 0));
    if (allowed)
        e = sr_store_subscription_remove(store, id);
    serve_store_release(sv, store);
    if (e == SR_ENOTFOUND)
        return sr_http_error(res, 404, "no such subscription");
    if (e)
        return sr_http_error(res, 500, sr_store_errmsg(store));
    if (!allowed) {
        sr_http_add_header(res, "WWW-Authenticate", "Bearer");
        return sr_http_error(res, token ? 403 : 401, "the subscription's token is needed (Authorization: Bearer TOKEN)");
    }
    pthread_mutex_lock(&sv->subs_mu);
    sr_alert_index_remove(sv->subs, (uint64_t)id);
    pthread_mutex_unlock(&sv->subs_mu);
    sr_buf_printf(&res->body, "{\"deleted\":%lld}", id);
    return SR_OK;
}

/* ---- Keys, health, metrics. ------------------------------------------------ */

static sr_err vapid_key(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "key", sr_vapid_public_key(sv->vapid));
    sr_json_object_end(&j);
    return SR_OK;
}

static sr_err healthz(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    int64_t seq;
    sr_store *store = serve_store_acquire(sv);
    sr_err e = sr_store_last_seq(store, &seq);
    serve_store_release(sv, store);
    res->content_type = "text/plain; charset=utf-8";
    res->status = e ? 503 : 200;
    sr_buf_puts(&res->body, e ? "store unavailable\n" : "ok\n");
    return SR_OK;
}

static void metric(sr_buf *b, const char *name, const char *type, const char *help, double v)
{
    sr_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, v);
}

#define OUTBOX_COUNT_MAX 100000

static int count_delivery(const sr_store_delivery *d, void *arg)
{
    (void)d;
    ++*(long long *)arg;
    return 0;
}

static sr_err metrics(void *ctx, sr_http_request *req, sr_http_response *res)
{
    struct serve *sv = ctx;
    sr_http_stats st;
    sr_http_server_stats(sv->http, &st);
    sr_buf *b = &res->body;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    metric(b, "sitrep_uptime_seconds", "gauge", "Seconds since the server started.", sr_now() - sv->started);
    metric(b, "sitrep_http_requests_total", "counter", "HTTP requests answered.", (double)st.requests);
    sr_buf_printf(b, "# HELP sitrep_http_errors_total HTTP error responses by class.\n"
                     "# TYPE sitrep_http_errors_total counter\n"
                     "sitrep_http_errors_total{class=\"4xx\"} %llu\nsitrep_http_errors_total{class=\"5xx\"} %llu\n",
                  st.errors_4xx, st.errors_5xx);
    metric(b, "sitrep_stream_clients", "gauge", "Live stream clients connected.", (double)st.streams_open);
    metric(b, "sitrep_stream_connections_total", "counter", "Live stream connections opened.", (double)st.streams_total);
    metric(b, "sitrep_events_seq", "gauge", "Change sequence of the newest event seen.", (double)atomic_load(&sv->last_seq));
    metric(b, "sitrep_events_published_total", "counter", "Events sent to live streams.", (double)atomic_load(&sv->published));
    metric(b, "sitrep_alerts_matched_total", "counter", "Deliveries queued for matching subscriptions.", (double)atomic_load(&sv->matched));
    metric(b, "sitrep_breaking_stories_total", "counter", "Stories this server flagged as breaking.",
           (double)atomic_load(&sv->breaking_flagged));
    metric(b, "sitrep_deliveries_sent_total", "counter", "Alerts delivered.", (double)atomic_load(&sv->sent));
    metric(b, "sitrep_deliveries_retried_total", "counter", "Delivery attempts to be retried.", (double)atomic_load(&sv->send_retried));
    metric(b, "sitrep_deliveries_failed_total", "counter", "Deliveries given up.", (double)atomic_load(&sv->send_failed));
    long long pending = 0;
    sr_store *store = serve_store_acquire(sv);
    sr_store_deliveries_due(store, INT64_MAX, OUTBOX_COUNT_MAX, count_delivery, &pending);
    serve_store_release(sv, store);
    metric(b, "sitrep_outbox_pending", "gauge", "Alerts waiting in the outbox (delivery or retry), counted up to 100000.",
           (double)pending);
    pthread_mutex_lock(&sv->subs_mu);
    double n = (double)sr_alert_index_count(sv->subs);
    pthread_mutex_unlock(&sv->subs_mu);
    metric(b, "sitrep_subscriptions", "gauge", "Subscriptions in force.", n);
    return SR_OK;
}
