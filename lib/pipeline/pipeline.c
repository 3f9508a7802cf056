/* The pipeline: a page in, its article, story, places and events stored.
 *
 * This file is the writer: it opens the shared read-only data (gazetteer,
 * dictionaries with their ACLED rules) and the store, and stores analysed
 * pages one at a time in the order they came in. Pages are analysed either here, in the
 * calling thread (sr_pipeline_page, or submit with one thread), or by the
 * pool's threads (workers.c); the store is only ever touched from here, so
 * both ways leave the same store. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pipeline_int.h"

/* Recent articles kept in memory for near-duplicate search, unless the
 * options say otherwise: enough for a few days of a large crawl's
 * distinct stories. */
#define RECENT_DEFAULT 32768

/* What the story search reads of every recent article, apart from the
 * blooms of the terms it reads only for articles that share a place and
 * the signatures it reads only for the few whose terms may be alike: a
 * scan of a full ring reads 1.3 MB and some of 2 MB, not the 9 MB of the
 * signatures. */
struct recent {
    uint64_t simhash;
    uint64_t where;     /* the signature's place mask */
    int64_t story_id;
    int64_t when;
    uint32_t weight_sum;   /* of the signature's terms */
};

struct sr_pipeline {
    sr_pipeline_options o;
    sr_store *store;
    sr_gazetteer *gaz;
    sr_code_dict *dict;
    pl_analyser self;       /* for pages done in the calling thread */
    sr_arena *arena;
    sr_arena *built;        /* pages built in place when there is no pool */
    pl_pool *pool;          /* started at the first submit with threads > 1 */
    bool pool_failed;       /* no thread could start: submit works as page does */
    bool in_batch;
    int batch_pages;
    /* Recent articles in the order they were remembered: the k-th ever
     * sits in slot k % ring_slots, and the last o.recent are searched.
     * The slots beyond o.recent hold what a worker may still be reading
     * while the writer remembers new ones (see prepare_page). */
    struct recent *recent;
    pl_story_sig *recent_sig;   /* the signature of recent[i] */
    uint64_t (*recent_bloom)[8];   /* its terms_bloom */
    size_t ring_slots;
    uint64_t remembered;              /* the writer's count */
    _Atomic uint64_t remembered_pub;  /* the same, published to workers */
    sr_pipeline_stats stats;
};

static int load_recent(const sr_store_article *a, void *ctx);
static void prepare_page(void *writer, pl_analysis *an);
static void write_page(void *writer, const sr_page *pg, pl_analysis *an, sr_pipeline_done_fn done, void *ctx);
static sr_err store_page(sr_pipeline *p, const sr_page *pg, pl_analysis *an, sr_page_result *res,
                         char *err, size_t errlen);

sr_err sr_pipeline_open(const sr_pipeline_options *opt, sr_pipeline **out, char *err, size_t errlen)
{
    *out = NULL;
    sr_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return SR_ENOMEM;
    p->o = *opt;
    if (!p->o.story_window_hours)
        p->o.story_window_hours = 72;
    if (!p->o.merge_window_days)
        p->o.merge_window_days = 3;
    if (p->o.recent <= 0)
        p->o.recent = RECENT_DEFAULT;
    if (!p->o.batch)
        p->o.batch = 200;
    if (p->o.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        p->o.threads = n > 0 ? (int)n : 1;
    }
    sr_err e;
    char path[4096], why[512];
    const char *gaz = opt->gazetteer ? opt->gazetteer : sr_gazetteer_default_path(path, sizeof path);
    if ((e = sr_store_open(opt->db, 0, &p->store, err, errlen)))
        goto fail;
    p->gaz = sr_gazetteer_open(gaz, &e, why, sizeof why);
    if (!p->gaz) {
        snprintf(err, errlen, "%s", why);
        goto fail;
    }
    if ((e = sr_code_dict_new(&p->dict, NULL)))
        goto fail;
    e = sr_code_dict_load_dir(p->dict, opt->dict);
    if (e == SR_EINVAL || e == SR_ENOTFOUND)  /* not a folder: a .project or one file */
        e = sr_code_dict_load(p->dict, opt->dict);
    if (e) {
        snprintf(err, errlen, "%s: cannot load the event dictionaries: %s", opt->dict, sr_strerror(e));
        goto fail;
    }
    if ((e = pl_analyser_init(&p->self, p->dict, p->gaz)))
        goto fail;
    p->arena = sr_arena_new(PL_PAGE_ARENA_MAX);
    p->ring_slots = (size_t)p->o.recent + pl_pool_capacity(p->o.threads > 1 ? p->o.threads : 1);
    p->recent = calloc(p->ring_slots, sizeof *p->recent);
    p->recent_sig = calloc(p->ring_slots, sizeof *p->recent_sig);
    p->recent_bloom = calloc(p->ring_slots, sizeof *p->recent_bloom);
    if (!p->arena || !p->recent || !p->recent_sig || !p->recent_bloom) {
        e = SR_ENOMEM;
        goto fail;
    }
    /* Articles are dated by when they were published, which for a backfill
     * is long ago: remember the newest articles whatever their date (the
     * ring keeps the last o.recent), so a re-run joins the same stories. */
    sr_store_articles_recent(p->store, 0, load_recent, p);
    *out = p;
    return SR_OK;
fail:
    if (!err[0])
        snprintf(err, errlen, "%s", sr_strerror(e));
    sr_pipeline_close(p);
    return e ? e : SR_EINVAL;
}

sr_err sr_pipeline_close(sr_pipeline *p)
{
    if (!p)
        return SR_OK;
    /* the pool writes what it still holds before its threads stop */
    pl_pool_free(p->pool);
    p->pool = NULL;
    sr_err e = p->store ? sr_pipeline_flush(p) : SR_OK;
    sr_store_close(p->store);
    pl_analyser_fini(&p->self);
    sr_gazetteer_close(p->gaz);
    sr_code_dict_free(p->dict);
    sr_arena_free(p->arena);
    sr_arena_free(p->built);
    free(p->recent);
    free(p->recent_sig);
    free(p->recent_bloom);
    free(p);
    return e;
}

sr_err sr_pipeline_flush(sr_pipeline *p)
{
    sr_pipeline_drain(p);
    if (!p->in_batch)
        return SR_OK;
    p->in_batch = false;
    p->batch_pages = 0;
    return sr_store_commit(p->store);
}

void sr_pipeline_stats_get(const sr_pipeline *p, sr_pipeline_stats *out)
{
    *out = p->stats;
}

sr_err sr_pipeline_page(sr_pipeline *p, const sr_page *pg, sr_page_result *res, char *err, size_t errlen)
{
    sr_pipeline_drain(p);
    sr_arena_reset(p->arena);
    pl_analysis an;
    pl_analyse(&p->self, p->arena, pg, &an);
    return store_page(p, pg, &an, res, err, errlen);
}

static void start_pool(sr_pipeline *p)
{
    if (p->o.threads > 1 && !p->pool && !p->pool_failed) {
        p->pool = pl_pool_new(p->o.threads, p->dict, p->gaz, write_page, prepare_page, p);
        p->pool_failed = !p->pool;
    }
}

sr_err sr_pipeline_submit(sr_pipeline *p, const sr_page *pg, sr_pipeline_done_fn done, void *ctx)
{
    start_pool(p);
    if (p->pool)
        return pl_pool_submit(p->pool, pg, done, ctx);
    sr_arena_reset(p->arena);
    pl_analysis an;
    pl_analyse(&p->self, p->arena, pg, &an);
    write_page(p, pg, &an, done, ctx);
    return SR_OK;
}

/* Building a page in its job's arena saves copying every page's bytes
 * on the thread that also reads and stores: 1.7 % of all CPU time of a
 * two-thread ingest of the bench WARC. */
sr_arena *sr_pipeline_page_arena(sr_pipeline *p)
{
    start_pool(p);
    if (p->pool)
        return pl_pool_page_arena(p->pool);
    if (!p->built && !(p->built = sr_arena_new(PL_PAGE_ARENA_MAX)))
        return NULL;
    sr_arena_reset(p->built);
    return p->built;
}

sr_err sr_pipeline_submit_built(sr_pipeline *p, const sr_page *pg, sr_pipeline_done_fn done, void *ctx)
{
    if (p->pool)
        return pl_pool_submit_built(p->pool, pg, done, ctx);
    return sr_pipeline_submit(p, pg, done, ctx);  /* done before it returns: nothing to copy */
}

struct feed_call {
    sr_pipeline *p;
    sr_pipeline_feed_fn feed;
    void *ctx;
};

static int call_feed(void *arg)
{
    struct feed_call *c = arg;
    return c->feed(c->p, c->ctx);
}

/* With `threads` 1 the pool has one analyser for the feed, then goes: a
 * submit outside a feed is done before it returns. */
int sr_pipeline_feed(sr_pipeline *p, sr_pipeline_feed_fn feed, void *ctx)
{
    struct feed_call c = {p, feed, ctx};
    bool own_pool = false, started = false;
    start_pool(p);
    if (!p->pool && !p->pool_failed) {
        p->pool = pl_pool_new(1, p->dict, p->gaz, write_page, prepare_page, p);
        own_pool = p->pool != NULL;
    }
    int result = 0;
    if (p->pool)
        result = pl_pool_feed(p->pool, call_feed, &c, &started);
    if (own_pool) {
        pl_pool_free(p->pool);
        p->pool = NULL;
    }
    if (!started)
        result = feed(p, ctx);  /* no thread: the pages are done as they are submitted */
    return result;
}

void sr_pipeline_drain(sr_pipeline *p)
{
    if (p->pool)
        pl_pool_drain(p->pool);
}

static void write_page(void *writer, const sr_page *pg, pl_analysis *an, sr_pipeline_done_fn done, void *ctx)
{
    char err[1024] = "";
    sr_page_result res;
    sr_err e = store_page(writer, pg, an, &res, err, sizeof err);
    if (done)
        done(ctx, pg, &res, e, err);
}

/* ---- Storing one analysed page. ---------------------------------------------- */

static sr_err store_article(sr_pipeline *p, const sr_page *pg, pl_analysis *an, sr_page_result *res,
                            char *err, size_t errlen);
static void store_events(sr_pipeline *p, pl_analysis *an, sr_page_result *res);

static sr_err store_page(sr_pipeline *p, const sr_page *pg, pl_analysis *an, sr_page_result *res,
                         char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    p->stats.pages++;
    p->stats.bytes += pg->len;
    sr_err e = an->err;
    if (e) {
        snprintf(err, errlen, "%s", an->message);
        p->stats.failed++;
        return e;
    }
    if (!p->in_batch) {
        if ((e = sr_store_begin(p->store))) {
            snprintf(err, errlen, "%s: %s", pg->source, sr_store_errmsg(p->store));
            p->stats.failed++;
            return e;
        }
        p->in_batch = true;
    }
    if ((e = store_article(p, pg, an, res, err, errlen))) {
        p->stats.failed++;
        return e;
    }
    if (res->stored)
        store_events(p, an, res);
    if (++p->batch_pages >= p->o.batch) {
        p->in_batch = false;
        p->batch_pages = 0;
        e = sr_store_commit(p->store);
    }
    return e;
}

/* The story of a new article: that of a recent near-duplicate; else that
 * of the recent article whose signature is most like its own, when they
 * share a place and are alike enough (PL_STORY_JOIN); else a new one.
 * Reports of one story are compared within the window both ways (a
 * backfill comes in any order of dates); ties go to the article remembered
 * first, so the choice depends only on the input order.
 *
 * With a full ring that search compares a new article with tens of
 * thousands, more than the rest of storing it, and only the writer did it:
 * past 32,768 articles a run went at the writer's pace. Now the worker
 * that analysed the page searches the articles remembered by then
 * (prepare_page), and the writer only those remembered since, fewer than
 * the pool holds: the same choice, as the two parts are searched in order. */
static void search_recent(const sr_pipeline *p, const pl_analysis *an, uint64_t from, uint64_t to,
                          pl_story_hint *k)
{
    int64_t window = (int64_t)p->o.story_window_hours * 3600;
    pl_story_query q;
    if (from < to)
        pl_story_query_make(&q, &an->sig);
    for (uint64_t seq = from; seq < to; seq++) {
        size_t at = (size_t)(seq % p->ring_slots);
        const struct recent *r = &p->recent[at];
        if (!r->story_id || r->when < an->when - window)
            continue;
        if (sr_simhash_near(r->simhash, an->row.simhash)) {
            k->near = (int64_t)seq;
            return;
        }
        /* no place in common: pl_story_similarity would say 0 */
        if (r->when > an->when + window || !(r->where & an->sig.where) ||
            !pl_story_may_join(&q, p->recent_bloom[at], r->weight_sum))
            continue;
        double sim = pl_story_similarity(&p->recent_sig[at], &an->sig);
        if (sim >= k->best_sim && (k->best < 0 || sim > k->best_sim)) {
            k->best = (int64_t)seq;
            k->best_sim = sim;
        }
    }
}

static uint64_t window_start(const sr_pipeline *p, uint64_t remembered)
{
    uint64_t n = (uint64_t)p->o.recent;
    return remembered > n ? remembered - n : 0;
}

/* In a worker: the articles remembered so far. While it reads them the
 * writer remembers fewer than the pool holds (it stores pages in order,
 * and this one is not stored yet), so it never writes over the slots read
 * here: the ring has that many slots beyond o.recent. */
static void prepare_page(void *writer, pl_analysis *an)
{
    sr_pipeline *p = writer;
    uint64_t hi = atomic_load_explicit(&p->remembered_pub, memory_order_acquire);
    pl_story_hint *k = &an->story;
    *k = (pl_story_hint){.searched = true, .lo = window_start(p, hi), .hi = hi, .near = -1, .best = -1,
                         .best_sim = PL_STORY_JOIN};
    search_recent(p, an, k->lo, k->hi, k);
}

static sr_err find_story(sr_pipeline *p, const pl_analysis *an, int64_t *story_id, bool *near)
{
    *near = false;
    uint64_t lo = window_start(p, p->remembered);
    pl_story_hint k = {.near = -1, .best = -1, .best_sim = PL_STORY_JOIN};
    uint64_t from = lo;
    const pl_story_hint *h = &an->story;
    /* the worker's part holds unless what it found has left the window */
    if (h->searched && h->hi <= p->remembered && (h->near < 0 || (uint64_t)h->near >= lo) &&
        (h->near >= 0 || h->best < 0 || (uint64_t)h->best >= lo)) {
        k.near = h->near;
        if (h->near < 0 && h->best >= 0) {
            k.best = h->best;
            k.best_sim = h->best_sim;
        }
        from = h->hi > lo ? h->hi : lo;   /* all it saw may have left since */
    }
    if (k.near < 0)
        search_recent(p, an, from, p->remembered, &k);
    if (k.near >= 0) {
        *story_id = p->recent[(size_t)((uint64_t)k.near % p->ring_slots)].story_id;
        *near = true;
        return SR_OK;
    }
    if (k.best >= 0) {
        *story_id = p->recent[(size_t)((uint64_t)k.best % p->ring_slots)].story_id;
        return SR_OK;
    }
    return sr_store_story_add(p->store, an->row.title, an->when, story_id);
}

static void remember(sr_pipeline *p, uint64_t simhash, int64_t story_id, int64_t when, const pl_story_sig *sig)
{
    size_t at = (size_t)(p->remembered % p->ring_slots);
    p->recent[at] = (struct recent){simhash, sig->where, story_id, when, sig->weight_sum};
    p->recent_sig[at] = *sig;
    memcpy(p->recent_bloom[at], sig->terms_bloom, sizeof sig->terms_bloom);
    p->remembered++;
    atomic_store_explicit(&p->remembered_pub, p->remembered, memory_order_release);
}

static int load_recent(const sr_store_article *a, void *ctx)
{
    sr_pipeline *p = ctx;
    pl_story_sig sig;
    pl_story_sig_decode(a->story_sig, &sig);
    remember(p, a->simhash, a->story_id, a->published ? a->published : a->fetched, &sig);
    return 0;
}

static sr_err store_article(sr_pipeline *p, const sr_page *pg, pl_analysis *an, sr_page_result *res,
                            char *err, size_t errlen)
{
    bool inserted = false;
    sr_err e = sr_store_article_add(p->store, &an->row, &res->article_id, &inserted);
    if (e) {
        snprintf(err, errlen, "%s: cannot store the article: %s", pg->source, sr_store_errmsg(p->store));
        return e;
    }
    if (!inserted) {
        res->duplicate = true;
        p->stats.duplicates++;
        return SR_OK;
    }
    bool near;
    if ((e = find_story(p, an, &res->story_id, &near)) ||
        (e = sr_store_story_attach(p->store, res->story_id, res->article_id))) {
        snprintf(err, errlen, "%s: cannot store its story: %s", pg->source, sr_store_errmsg(p->store));
        return e;
    }
    remember(p, an->row.simhash, res->story_id, an->when, &an->sig);
    res->stored = true;
    res->near_duplicate = near;
    p->stats.articles++;
    p->stats.near_duplicates += near;
    return SR_OK;
}

/* Was `id` already stored from this article? Records it when not. */
static bool seen_before(int64_t *ids, size_t *n, int64_t id)
{
    for (size_t i = 0; i < *n; i++)
        if (ids[i] == id)
            return true;
    ids[(*n)++] = id;
    return false;
}

static void store_events(sr_pipeline *p, pl_analysis *an, sr_page_result *res)
{
    /* the same event told twice in one article is one event, counted once */
    int64_t *ids = an->n_events ? malloc(an->n_events * sizeof *ids) : NULL;
    size_t n_ids = 0;
    for (size_t i = 0; ids && i < an->n_events; i++) {
        sr_store_event *e = &an->events[i];
        e->story_id = res->story_id;
        e->article_id = res->article_id;
        int64_t id;
        bool merged = false;
        if (sr_store_event_merge(p->store, e, p->o.merge_window_days, &id, &merged) == SR_OK &&
            !seen_before(ids, &n_ids, id)) {
            res->events++;
            res->merged += merged;
        }
    }
    free(ids);
    p->stats.events += (unsigned long long)res->events;
    p->stats.merged += (unsigned long long)res->merged;
}
