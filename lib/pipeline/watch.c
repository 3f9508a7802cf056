/* The poller behind `sitrep watch` and `sitrep serve`: due sources are
 * fetched together, conditionally; what they list and was not handled
 * before is fetched and ingested; each source's polling state is saved.
 *
 * What makes it safe to stop or kill at any moment: an item counts as
 * handled only once its page is committed (the pipeline is flushed after
 * every page), handled items are marked in the store after that, and a
 * source's new ETag/Last-Modified is saved only when every new item it
 * listed was handled — otherwise the next poll reads the whole feed again
 * and picks up what is left. */
#define _GNU_SOURCE  /* strcasecmp in strings.h, nanosleep */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "sitrep/ingest.h"
#include "sitrep/util.h"
#include "sitrep/watch.h"

/* Keys of items a feed stopped listing are forgotten after this long. */
#define ITEM_MEMORY_SECONDS (30 * 86400)
/* The longest Retry-After honoured: a day. Longer asks are taken as a day. */
#define MAX_RETRY_AFTER 86400
/* A sitemap index: how many of its sitemaps are read per poll (the most
 * recently changed; news sitemaps list the latest articles first). */
#define INDEX_CHILDREN 5
/* The feeds file: a list of URLs, never megabytes. */
#define MAX_FEEDS_FILE (4u << 20)

/* One source polled in this step. */
struct poll {
    sr_store_source src;        /* strings in the step arena */
    bool fetched;               /* an answer came (any) */
    bool failed;                /* fetch failed, or not a readable feed */
    bool not_modified;
    bool listing_read;          /* a 200 whose items were all read */
    char *etag, *last_modified; /* of a 200 or 304, malloc'd */
    char *body, *base;          /* a 200's body and final URL until read, malloc'd */
    size_t len;
    double retry_after;
    size_t n_new;               /* items not handled before */
    size_t n_queued;            /* of which taken in this step (max_items) */
};

/* One item (a page a feed or sitemap lists) of a polled source. */
struct item {
    struct poll *poll;
    const char *link;
    const char *key;            /* the normalised link */
    struct item *same;          /* an earlier item of this step with the same key */
    bool known;                 /* handled before this step */
    bool handled;               /* handled in this step */
};

struct sr_watch {
    sr_watch_options o;
    sr_fetcher *fetcher;
    sr_ingest_limits limits;
    sr_watch_stats stats;
    /* the step in hand */
    sr_arena *arena;
    struct poll *polls;
    size_t n_polls, cap_polls;
    struct item *items;
    size_t n_items, cap_items;
    int64_t now;
};

static bool stopped(const sr_watch *w);
static void report(sr_watch *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static sr_err take_due(sr_watch *w);
static void fetch_sources(sr_watch *w);
static void read_sources(sr_watch *w);
static sr_err read_listing(sr_watch *w, struct poll *p, const char *body, size_t len, const char *base,
                           int depth);
static void link_same_items(sr_watch *w);
static sr_err find_known(sr_watch *w);
static void fetch_items(sr_watch *w);
static sr_err save(sr_watch *w);
static sr_err soonest(sr_watch *w, int64_t *next_due);
static void end_step(sr_watch *w);

/* ---- Public entry. ---------------------------------------------------------- */

sr_err sr_watch_new(const sr_watch_options *opt, sr_watch **out)
{
    *out = NULL;
    if (!opt || !opt->pipeline || !opt->store)
        return SR_EINVAL;
    sr_watch *w = calloc(1, sizeof *w);
    if (!w)
        return SR_ENOMEM;
    w->o = *opt;
    if (w->o.min_interval <= 0)
        w->o.min_interval = 120;
    if (w->o.max_interval <= 0)
        w->o.max_interval = w->o.min_interval > 3600 ? w->o.min_interval : 3600;
    if (w->o.max_items <= 0)
        w->o.max_items = 500;
    if (w->o.max_sources <= 0)
        w->o.max_sources = 64;
    if (w->o.max_interval < w->o.min_interval) {
        free(w);
        return SR_EINVAL;
    }
    sr_ingest_limits_default(&w->limits);
    if (!w->o.fetch.cancel)
        w->o.fetch.cancel = w->o.stop;   /* a stop also ends transfers in flight */
    w->fetcher = sr_fetcher_new(&w->o.fetch);
    w->arena = sr_arena_new(0);
    if (!w->fetcher || !w->arena) {
        sr_watch_free(w);
        return SR_ENOMEM;
    }
    *out = w;
    return SR_OK;
}

void sr_watch_free(sr_watch *w)
{
    if (!w)
        return;
    end_step(w);
    sr_fetcher_free(w->fetcher);
    sr_arena_free(w->arena);
    free(w->polls);
    free(w->items);
    free(w);
}

void sr_watch_stats_get(const sr_watch *w, sr_watch_stats *out)
{
    *out = w->stats;
}

sr_err sr_watch_step(sr_watch *w, int64_t *next_due)
{
    w->now = (int64_t)time(NULL);
    sr_err e = take_due(w);
    if (!e && w->n_polls) {
        fetch_sources(w);
        read_sources(w);
        link_same_items(w);
        e = find_known(w);
        if (!e)
            fetch_items(w);
        /* Whatever happened above, what was fetched and stored is saved. */
        sr_err s = save(w);
        e = e ? e : s;
    }
    end_step(w);
    if (next_due) {
        sr_err s = soonest(w, next_due);
        e = e ? e : s;
    }
    return e;
}

sr_err sr_watch_run(sr_watch *w, int recheck)
{
    if (recheck <= 0)
        recheck = 30;
    while (!stopped(w)) {
        int64_t next = 0;
        sr_err e = sr_watch_step(w, &next);
        double wait = recheck;
        if (e)
            report(w, "the store: %s; trying again in %d s", sr_store_errmsg(w->o.store), recheck);
        else if (next)
            wait = (double)(next - (int64_t)time(NULL));
        if (wait > recheck)
            wait = recheck;
        /* Sleep in short slices so a stop is seen within a fraction of a second. */
        for (double slept = 0; slept < wait && !stopped(w); slept += 0.1)
            nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    return SR_OK;
}

/* ---- The feeds file. -------------------------------------------------------- */

static bool is_http_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* One line of the list: the URL in it, or NULL for a blank or comment line
 * or a bad one (then *bad is set). A '#' starts a comment at the start of a
 * line or after white space; inside a URL it is a fragment. */
static char *feeds_line(char *line, bool *bad)
{
    *bad = false;
    for (char *c = line; *c; c++)
        if (*c == '#' && (c == line || *(c - 1) == ' ' || *(c - 1) == '\t')) {
            *c = 0;
            break;
        }
    char *start = line + strspn(line, " \t\r");
    char *end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = 0;
    if (!*start)
        return NULL;
    if (!is_http_url(start) || strpbrk(start, " \t")) {
        *bad = true;
        return start;
    }
    return start;
}

sr_err sr_watch_add_feeds(sr_store *s, const char *path, size_t *added, sr_watch_report_fn report_fn,
                          void *report_ctx, char *err, size_t errlen)
{
    if (added)
        *added = 0;
    char *data = NULL;
    size_t len = 0;
    sr_err e = sr_read_file(path, MAX_FEEDS_FILE, &data, &len);
    if (e) {
        snprintf(err, errlen, "%s: %s", path,
                 e == SR_ETOOBIG ? "over 4 MiB: not a list of feeds" : sr_strerror(e));
        return e;
    }
    size_t bad = 0, n = 0, lineno = 0;
    if ((e = sr_store_begin(s))) {
        snprintf(err, errlen, "%s: %s", path, sr_store_errmsg(s));
        free(data);
        return e;
    }
    for (char *line = data, *next; line && !e; line = next) {
        next = memchr(line, '\n', len - (size_t)(line - data));
        if (next)
            *next++ = 0;
        lineno++;
        bool is_bad;
        char *url = feeds_line(line, &is_bad);
        if (is_bad) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s:%zu: not an http(s) URL: '%.400s'", path, lineno, url);
            if (report_fn)
                report_fn(msg, report_ctx);
            bad++;
        } else if (url) {
            sr_store_source src = {.url = url};
            if ((e = sr_store_source_add(s, &src, NULL)) == SR_OK)
                n++;
        }
    }
    sr_err c = sr_store_commit(s);
    e = e ? e : c;
    if (e)
        snprintf(err, errlen, "%s: cannot add its feeds to the store: %s", path, sr_store_errmsg(s));
    else if (bad)
        snprintf(err, errlen, "%s: %zu line%s skipped", path, bad, bad == 1 ? "" : "s");
    free(data);
    if (added)
        *added = e ? 0 : n;
    return e ? e : bad ? SR_EPARSE : SR_OK;
}

/* ---- Helpers. --------------------------------------------------------------- */

static bool stopped(const sr_watch *w)
{
    return w->o.stop && atomic_load(w->o.stop);
}

static void report(sr_watch *w, const char *fmt, ...)
{
    if (!w->o.report)
        return;
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    w->o.report(line, w->o.report_ctx);
}

static char *steal(char **p)
{
    char *s = *p;
    *p = NULL;
    return s;
}

/* ---- Taking the due sources. ------------------------------------------------ */

static int take_source(const sr_store_source *src, void *ctx)
{
    sr_watch *w = ctx;
    if (w->n_polls == w->cap_polls) {
        size_t cap = w->cap_polls ? 2 * w->cap_polls : 16;
        struct poll *p = realloc(w->polls, cap * sizeof *p);
        if (!p)
            return 1;
        w->polls = p;
        w->cap_polls = cap;
    }
    struct poll *p = &w->polls[w->n_polls];
    *p = (struct poll){.src = *src};
    p->src.url = sr_arena_strdup(w->arena, src->url);
    p->src.name = src->name ? sr_arena_strdup(w->arena, src->name) : NULL;
    p->src.country = src->country ? sr_arena_strdup(w->arena, src->country) : NULL;
    p->src.etag = src->etag ? sr_arena_strdup(w->arena, src->etag) : NULL;
    p->src.last_modified = src->last_modified ? sr_arena_strdup(w->arena, src->last_modified) : NULL;
    if (!p->src.url)
        return 1;
    w->n_polls++;
    return w->n_polls >= (size_t)w->o.max_sources;
}

static sr_err take_due(sr_watch *w)
{
    w->n_polls = w->n_items = 0;
    sr_err e = sr_store_sources(w->o.store, w->now + 1, take_source, w);
    if (e)
        report(w, "cannot read the sources: %s", sr_store_errmsg(w->o.store));
    return e;
}

/* ---- Fetching the sources. -------------------------------------------------- */

static int source_done(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message,
                       void *ctx)
{
    sr_watch *w = ctx;
    struct poll *p = req->user;
    p->fetched = true;
    w->stats.polls++;
    if (res)
        p->retry_after = res->retry_after;
    if (err) {
        p->failed = true;
        w->stats.poll_errors++;
        report(w, "%s: %s", p->src.url, message);
        return stopped(w);
    }
    p->etag = steal(&res->etag);
    p->last_modified = steal(&res->last_modified);
    if (res->not_modified) {
        p->not_modified = true;
        w->stats.not_modified++;
    } else {
        /* read after every source is in: reading may fetch (a sitemap index) */
        p->body = steal(&res->body);
        p->len = res->len;
        p->base = steal(&res->url);
    }
    return stopped(w);
}

static void fetch_sources(sr_watch *w)
{
    sr_fetch_request *reqs = calloc(w->n_polls, sizeof *reqs);
    if (!reqs) {
        report(w, "out of memory polling %zu sources", w->n_polls);
        return;
    }
    for (size_t i = 0; i < w->n_polls; i++) {
        struct poll *p = &w->polls[i];
        reqs[i] = (sr_fetch_request){.url = p->src.url, .etag = p->src.etag,
                                     .last_modified = p->src.last_modified, .user = p};
    }
    if (sr_fetch_many(w->fetcher, reqs, w->n_polls, source_done, w) != SR_OK)
        report(w, "cannot fetch: %s", sr_fetcher_message(w->fetcher));
    free(reqs);
}

/* The items of each source read, poll by poll, so that each poll's items
 * are one run of w->items. */
static void read_sources(sr_watch *w)
{
    for (size_t i = 0; i < w->n_polls; i++) {
        struct poll *p = &w->polls[i];
        if (!p->body)
            continue;
        if (!stopped(w) && read_listing(w, p, p->body, p->len, p->base ? p->base : p->src.url, 0) == SR_OK) {
            p->listing_read = true;
        } else if (!stopped(w)) {
            p->failed = true;
            w->stats.poll_errors++;
        }
        free(steal(&p->body));
    }
}

/* ---- Reading feeds and sitemaps. -------------------------------------------- */

static sr_err add_item(sr_watch *w, struct poll *p, const char *link)
{
    if (!link || !is_http_url(link))
        return SR_OK;
    if (w->n_items == w->cap_items) {
        size_t cap = w->cap_items ? 2 * w->cap_items : 256;
        struct item *it = realloc(w->items, cap * sizeof *it);
        if (!it)
            return SR_ENOMEM;
        w->items = it;
        w->cap_items = cap;
    }
    char *key = NULL;
    if (sr_url_normalize(link, w->arena, &key) != SR_OK || !key)
        key = (char *)link;
    w->items[w->n_items++] = (struct item){.poll = p, .link = link, .key = key};
    return SR_OK;
}

static sr_err read_index(sr_watch *w, struct poll *p, const sr_sitemap *index);

/* The pages a feed or sitemap lists become items of poll p. A sitemap
 * index (depth 0 only) is followed to its most recent sitemaps. */
static sr_err read_listing(sr_watch *w, struct poll *p, const char *body, size_t len, const char *base,
                           int depth)
{
    char err[SR_INGEST_ERRLEN] = "";
    const char *name = depth ? base : p->src.url;
    sr_source_kind kind = sr_source_sniff(body, len);
    sr_err e = SR_OK;
    if (kind == SR_SOURCE_FEED) {
        sr_feed *feed = NULL;
        e = sr_feed_parse(body, len, base, &w->limits, w->arena, &feed, err, sizeof err);
        for (size_t i = 0; !e && feed && i < feed->n_items; i++)
            e = add_item(w, p, feed->items[i].link);
    } else if (kind == SR_SOURCE_SITEMAP) {
        sr_sitemap *map = NULL;
        e = sr_sitemap_parse(body, len, base, &w->limits, w->arena, &map, err, sizeof err);
        if (!e && map->kind == SR_SITEMAP_INDEX && depth == 0)
            return read_index(w, p, map);
        if (!e && map->kind == SR_SITEMAP_INDEX) {
            report(w, "%s: a sitemap index inside a sitemap index is not followed", name);
            return SR_EPARSE;
        }
        for (size_t i = 0; !e && i < map->n_entries; i++)
            e = add_item(w, p, map->entries[i].loc);
    } else {
        snprintf(err, sizeof err, "not a feed or a sitemap (it looks like %s)",
                 kind == SR_SOURCE_HTML ? "a web page" : kind == SR_SOURCE_WARC ? "a WARC file"
                                                                                  : "nothing known");
        e = SR_EPARSE;
    }
    if (e)
        report(w, "%s: %s", name, err[0] ? err : sr_strerror(e));
    return e;
}

struct child {
    const char *loc, *lastmod;
};

static int newest_first(const void *a, const void *b)
{
    const char *x = ((const struct child *)a)->lastmod, *y = ((const struct child *)b)->lastmod;
    return strcmp(y ? y : "", x ? x : "");
}

struct index_ctx {
    sr_watch *w;
    struct poll *p;
    int failed;
};

static int child_done(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message,
                      void *ctx)
{
    struct index_ctx *ic = ctx;
    if (err) {
        report(ic->w, "%s: %s", req->url, message);
        ic->failed++;
    } else if (read_listing(ic->w, ic->p, res->body, res->len, res->url ? res->url : req->url, 1)) {
        ic->failed++;
    }
    return stopped(ic->w);
}

/* Only the newest few sitemaps of an index: news sites keep years of
 * monthly sitemaps in it, and what is new is in the latest ones. They are
 * fetched every time (no conditional state is kept for them). */
static sr_err read_index(sr_watch *w, struct poll *p, const sr_sitemap *index)
{
    size_t n = index->n_entries;
    struct child *kids = sr_arena_alloc(w->arena, (n ? n : 1) * sizeof *kids);
    sr_fetch_request reqs[INDEX_CHILDREN];
    if (!kids)
        return SR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        kids[i] = (struct child){index->entries[i].loc, index->entries[i].lastmod};
    qsort(kids, n, sizeof *kids, newest_first);
    if (n > INDEX_CHILDREN)
        n = INDEX_CHILDREN;
    for (size_t i = 0; i < n; i++)
        reqs[i] = (sr_fetch_request){.url = kids[i].loc};
    struct index_ctx ic = {w, p, 0};
    if (n && sr_fetch_many(w->fetcher, reqs, n, child_done, &ic) != SR_OK)
        return SR_ENOMEM;
    /* A failed sitemap leaves the index unread, so its state is not saved
     * and the next poll tries again. */
    return ic.failed ? SR_ENET : SR_OK;
}

/* ---- Which items are new. ----------------------------------------------------- */

static int by_key(const void *a, const void *b)
{
    const struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x < y ? -1 : x > y);
}

/* One link listed twice (by one feed or two) is fetched once. */
static void link_same_items(sr_watch *w)
{
    if (w->n_items < 2)
        return;
    struct item **order = malloc(w->n_items * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < w->n_items; i++)
        order[i] = &w->items[i];
    qsort(order, w->n_items, sizeof *order, by_key);
    for (size_t i = 1; i < w->n_items; i++)
        if (strcmp(order[i]->key, order[i - 1]->key) == 0)
            order[i]->same = order[i - 1]->same ? order[i - 1]->same : order[i - 1];
    free(order);
}

/* Known: marked as handled for this source, or stored as an article under
 * its link (a store that `sitrep ingest` filled, or a first watcher run that
 * stopped before it could mark what it stored). */
static sr_err find_known(sr_watch *w)
{
    for (size_t i = 0; i < w->n_items; i++) {
        struct item *it = &w->items[i];
        sr_err e = sr_store_source_item_find(w->o.store, it->poll->src.id, it->key);
        if (e == SR_ENOTFOUND && (e = sr_store_article_find(w->o.store, it->link, NULL)) == SR_ENOTFOUND &&
            it->key != it->link)
            e = sr_store_article_find(w->o.store, it->key, NULL);
        if (e && e != SR_ENOTFOUND) {
            report(w, "cannot look up feed items: %s", sr_store_errmsg(w->o.store));
            return e;
        }
        it->known = e == SR_OK;
        if (!it->known && !it->same) {
            struct poll *p = it->poll;
            p->n_new++;
            w->stats.items_new++;
        }
    }
    return SR_OK;
}

/* ---- Fetching and ingesting the new items. ----------------------------------- */

static bool store_failure(sr_err e)
{
    return e == SR_EDB || e == SR_EIO || e == SR_ENOMEM;
}

/* A client error other than "timeout" and "too many requests" will not go
 * away by asking again: the item is handled (and not fetched again). */
static bool gone_for_good(const sr_response *res)
{
    return res && res->status >= 400 && res->status < 500 && res->status != 408 && res->status != 429;
}

static void ingest_item(sr_watch *w, struct item *it, sr_response *res)
{
    sr_page pg = {.body = res->body, .len = res->len, .source = it->link,
                  .url = res->url ? res->url : it->link, .content_type = res->content_type,
                  .fetched = (int64_t)time(NULL)};
    sr_page_result pr;
    char err[1024] = "";
    sr_err e = sr_pipeline_page(w->o.pipeline, &pg, &pr, err, sizeof err);
    /* Commit each page: it is then safe from a kill, and its events reach
     * live streams now rather than at the end of the step. */
    sr_err c = sr_pipeline_flush(w->o.pipeline);
    if (!e && c) {
        e = c;
        snprintf(err, sizeof err, "%s: cannot commit it to the store", it->link);
    }
    if (e) {
        report(w, "%s", err);
        w->stats.item_errors++;
        it->handled = !store_failure(e);
        return;
    }
    it->handled = true;
    w->stats.articles += pr.stored;
    w->stats.duplicates += pr.duplicate;
    w->stats.events += (unsigned long long)pr.events;
}

static int item_done(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message,
                     void *ctx)
{
    sr_watch *w = ctx;
    struct item *it = req->user;
    if (stopped(w))
        return 1;  /* not ingested, so not handled: the next run fetches it again */
    w->stats.items_fetched++;
    if (err) {
        report(w, "%s: %s", it->link, message);
        w->stats.item_errors++;
        it->handled = gone_for_good(res);
    } else {
        ingest_item(w, it, res);
    }
    return stopped(w);
}

static void fetch_items(sr_watch *w)
{
    if (stopped(w))
        return;
    size_t n = 0;
    sr_fetch_request *reqs = malloc((w->n_items ? w->n_items : 1) * sizeof *reqs);
    if (!reqs) {
        report(w, "out of memory fetching %zu items", w->n_items);
        return;
    }
    for (size_t i = 0; i < w->n_items; i++) {
        struct item *it = &w->items[i];
        struct poll *p = it->poll;
        if (it->known || it->same || p->n_queued >= (size_t)w->o.max_items)
            continue;
        p->n_queued++;
        reqs[n++] = (sr_fetch_request){.url = it->link, .user = it};
    }
    if (n && sr_fetch_many(w->fetcher, reqs, n, item_done, w) != SR_OK)
        report(w, "cannot fetch: %s", sr_fetcher_message(w->fetcher));
    free(reqs);
}

/* ---- Saving what the step learnt. -------------------------------------------- */

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The next poll of p, and the conditional state it will send. */
static void schedule(sr_watch *w, struct poll *p, bool complete)
{
    sr_store_source *s = &p->src;
    int64_t iv = s->interval > 0 ? s->interval : w->o.min_interval;
    if (p->failed || !p->fetched)
        iv *= 2;
    else if (p->n_new)
        iv /= 2;
    else
        iv += iv / 2;
    iv = clamp(iv, w->o.min_interval, w->o.max_interval);
    /* Items left over: due again soon, and at once when the stop of this
     * watcher cut them off, so the next start goes on where this one was. */
    int64_t wait = complete || !p->fetched ? iv : stopped(w) ? 0 : w->o.min_interval;
    if (p->retry_after > wait)
        wait = p->retry_after > MAX_RETRY_AFTER ? MAX_RETRY_AFTER : (int64_t)(p->retry_after + 0.999);
    s->interval = iv;
    s->next_poll = w->now + wait;
    s->last_polled = w->now;
    /* A 304 may bring a new validator; a 200 replaces both, but only once
     * everything it listed is handled. */
    if (p->not_modified || (p->listing_read && complete)) {
        if (p->etag || !p->not_modified)
            s->etag = p->etag;
        if (p->last_modified || !p->not_modified)
            s->last_modified = p->last_modified;
    }
}

static bool handled(const struct item *it)
{
    return it->known || it->handled || (it->same && (it->same->known || it->same->handled));
}

static sr_err save_poll(sr_watch *w, struct poll *p, struct item **next_item)
{
    if (!p->fetched && stopped(w))
        return SR_OK;  /* not polled: still due when the watcher starts again */
    bool complete = true;
    sr_err e = sr_store_begin(w->o.store);
    struct item *it = *next_item, *end = w->items + w->n_items;
    for (; !e && it < end && it->poll == p; it++) {
        if (handled(it))
            e = sr_store_source_item_mark(w->o.store, p->src.id, it->key, w->now);
        else
            complete = false;
    }
    for (; it < end && it->poll == p; it++)
        ;
    *next_item = it;
    schedule(w, p, complete);
    if (!e)
        e = sr_store_source_update_poll(w->o.store, &p->src);
    if (!e && p->listing_read && complete)
        e = sr_store_source_items_prune(w->o.store, p->src.id, w->now - ITEM_MEMORY_SECONDS);
    sr_err c = e ? sr_store_rollback(w->o.store) : sr_store_commit(w->o.store);
    if (e == SR_ENOTFOUND)  /* removed by `sitrep sources remove` meanwhile */
        return SR_OK;
    e = e ? e : c;
    if (e)
        report(w, "%s: cannot save its polling state: %s", p->src.url, sr_store_errmsg(w->o.store));
    return e;
}

/* Items were added poll by poll, so each poll's items are one run. */
static sr_err save(sr_watch *w)
{
    sr_err first = SR_OK;
    struct item *it = w->items;
    for (size_t i = 0; i < w->n_polls; i++) {
        sr_err e = save_poll(w, &w->polls[i], &it);
        first = first ? first : e;
    }
    return first;
}

static int first_due(const sr_store_source *src, void *ctx)
{
    *(int64_t *)ctx = src->next_poll > 0 ? src->next_poll : 1;
    return 1;
}

static sr_err soonest(sr_watch *w, int64_t *next_due)
{
    *next_due = 0;
    sr_err e = sr_store_sources(w->o.store, INT64_MAX, first_due, next_due);
    if (e)
        report(w, "cannot read the sources: %s", sr_store_errmsg(w->o.store));
    return e;
}

static void end_step(sr_watch *w)
{
    for (size_t i = 0; i < w->n_polls; i++) {
        free(w->polls[i].etag);
        free(w->polls[i].last_modified);
        free(w->polls[i].body);
        free(w->polls[i].base);
    }
    w->n_polls = w->n_items = 0;
    sr_arena_reset(w->arena);
}
