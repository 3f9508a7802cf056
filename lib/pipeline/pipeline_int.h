/* The pipeline's two halves and what passes between them.
 *
 * The analysis (analyse.c) is everything about one page that needs nothing
 * but the page and read-only data: the article, its hashes, its places and
 * its events. Any number of analysers run at once, each with its own
 * extractor, coder and arena; the gazetteer mapping, the dictionaries and
 * the ACLED rules within them are shared and only read.
 *
 * The writer (pipeline.c) takes analyses one at a time, in the order the
 * pages came in, and does everything that depends on what came before:
 * duplicates, stories, event merging, batches. The pool (workers.c) runs
 * analysers in threads and hands their results to the writer in order. */
#ifndef SR_PIPELINE_INT_H
#define SR_PIPELINE_INT_H

#include "sitrep/code.h"
#include "sitrep/extract.h"
#include "sitrep/geo.h"
#include "sitrep/ingest.h"
#include "sitrep/pipeline.h"
#include "sitrep/store.h"
#include "sitrep/util.h"

/* Everything of one page is allocated from its arena: parse trees are freed
 * by libxml2, but the article, places and events stay until the writer is
 * done with the page. */
#define PL_PAGE_ARENA_MAX (256u * 1024 * 1024)

/* ---- Story signatures (story.c). ---------------------------------------- */

#define PL_SIG_TERMS 24   /* lead terms kept: a report's gist, not its detail */
#define PL_SIG_PLACES 8
#define PL_SIG_CC 6

/** What an article is about, compactly: compared by the writer with the
 *  signatures of recent articles to find the story it belongs to. */
typedef struct pl_story_sig {
    uint32_t term[PL_SIG_TERMS];    /**< hashed terms, ascending */
    uint16_t weight[PL_SIG_TERMS];
    uint32_t place[PL_SIG_PLACES];  /**< GeoNames ids below country level */
    char cc[PL_SIG_CC][2];          /**< countries of its places and focus */
    uint32_t roots;                 /**< bit r: an event of CAMEO root r */
    uint64_t where;                 /**< a bit per place and country: most pairs fail on this alone */
    uint64_t terms_bloom[8];        /**< a bit per term (512): what may be shared */
    uint32_t weight_sum;            /**< of the terms */
    uint8_t n_terms, n_places, n_cc;
} pl_story_sig;

/** Below this similarity a report is not put in another's story: see
 *  docs/ingest.md for how it was chosen. */
#define PL_STORY_JOIN 0.25

void pl_story_sig_make(pl_story_sig *sig, const char *title, const char *text, size_t len,
                       const sr_geo_doc *doc, const sr_store_event *events, size_t n_events);
/** Weighted Jaccard of the terms, 0 unless the two share a place or country. */
double pl_story_similarity(const pl_story_sig *a, const pl_story_sig *b);
/** A new article's side of pl_story_may_join, made once for all the
 *  recent articles it is compared with. */
typedef struct pl_story_query {
    uint64_t bloom[8];          /**< its terms_bloom */
    uint32_t at_bit[512];       /**< the weight of its terms at each bit (only its own bits are set) */
    uint32_t weight_sum;
} pl_story_query;
void pl_story_query_make(pl_story_query *q, const pl_story_sig *a);
/** false when the two are surely less alike than PL_STORY_JOIN: a bound
 *  of their shared weight from the terms' bits, a fraction of the cost of
 *  pl_story_similarity, which the writer then asks only of the rest. */
bool pl_story_may_join(const pl_story_query *a, const uint64_t b_bloom[8], uint32_t b_weight_sum);
const char *pl_story_sig_encode(const pl_story_sig *sig, sr_arena *arena);
bool pl_story_sig_decode(const char *s, pl_story_sig *sig);

/** A worker's part of the story search (pipeline.c): over the recent
 *  articles the writer had remembered when the worker looked, [lo, hi) in
 *  the order they were remembered, the first near-duplicate and else the
 *  most alike (-1: none). The writer checks what was remembered since. */
typedef struct pl_story_hint {
    bool searched;
    uint64_t lo, hi;
    int64_t near, best;
    double best_sim;
} pl_story_hint;

/** What the analysis made of one page; strings live in the page's arena.
 *  On failure `err` is set and `message` names the page and the problem. */
typedef struct pl_analysis {
    sr_err err;
    char message[512];
    sr_store_article row;          /**< everything but story_id (the writer's) */
    char content_hash[2 * SR_CONTENT_HASH_LEN + 1];
    int64_t when;                  /**< published, else fetched: the story clock */
    sr_store_event *events;        /**< coded events, not negated; story and article unset */
    size_t n_events;
    pl_story_sig sig;              /**< also in row.story_sig, as text */
    pl_story_hint story;           /**< set by a worker, else searched = false */
} pl_analysis;

/** One analyser: used by one thread at a time. */
typedef struct pl_analyser {
    sr_extractor *ex;
    sr_coder *coder;
    const sr_gazetteer *gaz;
    /* the page being coded, for the coder's place hook */
    sr_arena *arena;
    const char *doc_text;
    const sr_geo_doc *doc_places;
} pl_analyser;

/** Make an analyser in the thread that will use it (libxml2 keeps its error
 *  handlers per thread, and the extractor silences them for its thread). */
sr_err pl_analyser_init(pl_analyser *an, const sr_code_dict *dict, const sr_gazetteer *gaz);
void pl_analyser_fini(pl_analyser *an);
/** Analyse one page into `out`, allocating from `arena`. */
void pl_analyse(pl_analyser *an, sr_arena *arena, const sr_page *pg, pl_analysis *out);

/* ---- The pool: analysers in threads, results in order. -------------------- */

typedef struct pl_pool pl_pool;

/** What the pool calls, in submission order and in the thread that submits
 *  or drains (fed: the thread that called pl_pool_feed), for each analysed
 *  page. */
typedef void (*pl_write_fn)(void *writer, const sr_page *pg, pl_analysis *an,
                            sr_pipeline_done_fn done, void *ctx);

/** What a worker calls after analysing a page, in its own thread: the
 *  part of the writer's work that only reads what is already written. */
typedef void (*pl_prepare_fn)(void *writer, pl_analysis *an);

/** Start `threads` analysers (fewer when some cannot start; NULL when none
 *  can). `prepare` may be NULL. */
pl_pool *pl_pool_new(int threads, const sr_code_dict *dict, const sr_gazetteer *gaz,
                     pl_write_fn write, pl_prepare_fn prepare, void *writer);
/** The most pages a pool of `threads` holds at once: while a worker has a
 *  page, the writer stores fewer than this many pages before it. */
size_t pl_pool_capacity(int threads);
/** Write every submitted page, then stop the threads. NULL is fine. */
void pl_pool_free(pl_pool *pool);
sr_err pl_pool_submit(pl_pool *pool, const sr_page *pg, sr_pipeline_done_fn done, void *ctx);
/** The arena of the next job, emptied, for a page built in place. */
sr_arena *pl_pool_page_arena(pl_pool *pool);
/** Queue a page built in the arena pl_pool_page_arena gave. */
sr_err pl_pool_submit_built(pl_pool *pool, const sr_page *pg, sr_pipeline_done_fn done, void *ctx);
void pl_pool_drain(pl_pool *pool);
/** Run `feed` in a thread of its own, submitting, while this thread writes
 *  what it submits; returns what `feed` returned, once all is written.
 *  `started` false: no thread could start and `feed` was not called. */
int pl_pool_feed(pl_pool *pool, int (*feed)(void *ctx), void *ctx, bool *started);

#endif
