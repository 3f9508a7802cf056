/*
 * The pipeline: one page in, stories and events out, into the store.
 *
 * It chains the stages of the flow (DESIGN.md) for `sitrep ingest` and
 * `sitrep watch`: extract the article, drop what is already stored (same
 * URL or same text), put near-duplicates (wire copy reprinted by many
 * outlets) in one story, find and resolve the places, code the events, give
 * each event the place of its sentence (else the article's focus), and store
 * them, merging an event into the one its story already has when they agree.
 * Writes are batched into transactions; a crash loses at most the open batch,
 * which the next run redoes (ingesting the same input again changes nothing).
 *
 * Two ways in. sr_pipeline_page does one page at once, in the calling
 * thread. sr_pipeline_submit hands pages to worker threads that do the pure
 * work (extract, hashes, places, events) side by side, while the calling
 * thread alone writes to the store, in the order the pages were submitted:
 * the store ends up exactly as one thread would have left it. The queue is
 * bounded (submit waits while it is full), so memory does not grow with the
 * number of pages.
 */
#ifndef SITREP_PIPELINE_H
#define SITREP_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

typedef struct sr_pipeline sr_pipeline;

typedef struct sr_pipeline_options {
    const char *db;            /**< the store (path or URI) */
    const char *gazetteer;     /**< NULL: sr_gazetteer_default_path() */
    const char *dict;          /**< event dictionaries: a folder, a .project or a file */
    int story_window_hours;    /**< near-duplicates this close in time share a story (0: 72) */
    int merge_window_days;     /**< events of a story this close in date merge (0: 3) */
    int batch;                 /**< pages per transaction (0: 200) */
    int threads;               /**< worker threads for sr_pipeline_submit (0: one per online CPU;
                                    1: none, each page is done in the calling thread) */
    int recent;                /**< recent articles a new one's story is looked for among
                                    (0: 32,768) */
} sr_pipeline_options;

/** A page to ingest. */
typedef struct sr_page {
    const char *body;          /**< HTML (or plain text when is_text) */
    size_t len;
    bool is_text;
    const char *source;        /**< what names it in messages: path, URL, "file.warc.gz@1234" */
    const char *url;           /**< where it was published, or NULL */
    const char *content_type;  /**< the HTTP Content-Type, or NULL */
    int64_t fetched;           /**< Unix time it was fetched (0: now) */
} sr_page;

/** What became of one page. */
typedef struct sr_page_result {
    bool stored;               /**< a new article */
    bool duplicate;            /**< already stored (URL or text) */
    bool near_duplicate;       /**< joined an existing story */
    int64_t article_id, story_id;
    int events;                /**< events coded from it */
    int merged;                /**< of which merged into an existing event */
} sr_page_result;

typedef struct sr_pipeline_stats {
    unsigned long long pages, articles, duplicates, near_duplicates, events, merged, failed, bytes;
} sr_pipeline_stats;

sr_err sr_pipeline_open(const sr_pipeline_options *opt, sr_pipeline **out, char *err, size_t errlen);
/** Drain, commit what is pending and close. NULL is fine. */
sr_err sr_pipeline_close(sr_pipeline *p);
/** Ingest one page now (pages submitted before it are stored first). On
 *  failure `err` holds one line naming the page and the problem; nothing of
 *  that page is stored and the pipeline goes on. */
sr_err sr_pipeline_page(sr_pipeline *p, const sr_page *page, sr_page_result *res,
                        char *err, size_t errlen);

/** Called for each submitted page once it is stored (or failed), in the
 *  order of submission, from the thread that calls sr_pipeline_submit,
 *  sr_pipeline_drain, sr_pipeline_page, sr_pipeline_flush,
 *  sr_pipeline_close or sr_pipeline_feed. `page` is the pipeline's copy of what was submitted;
 *  `err` is the one-line message when `e` is not SR_OK. */
typedef void (*sr_pipeline_done_fn)(void *ctx, const sr_page *page, const sr_page_result *res,
                                    sr_err e, const char *err);

/** Queue a page. Its bytes and strings are copied, so the caller may reuse
 *  them at once. Waits while the queue is full, storing finished pages
 *  meanwhile. SR_ENOMEM (and no call of `done`) when the copy cannot be
 *  made. With `threads` 1 the page is done before this returns. */
sr_err sr_pipeline_submit(sr_pipeline *p, const sr_page *page, sr_pipeline_done_fn done, void *ctx);
/** For a caller that reads pages into memory itself (the WARC reader reads
 *  each record into an arena): the arena the next page may be built in, so
 *  that sr_pipeline_submit_built queues it without copying its bytes. Each
 *  call empties the arena it returns (waiting, like a submit, while the
 *  queue is full); it stays the caller's until the next call or submit.
 *  NULL when out of memory. */
sr_arena *sr_pipeline_page_arena(sr_pipeline *p);
/** Queue a page whose body (NUL-terminated after `len` bytes), URL and
 *  content type were allocated from the arena of the last
 *  sr_pipeline_page_arena call; its `source` is copied. Otherwise as
 *  sr_pipeline_submit. */
sr_err sr_pipeline_submit_built(sr_pipeline *p, const sr_page *page, sr_pipeline_done_fn done, void *ctx);
/** What submits pages for sr_pipeline_feed; it returns a count of its own
 *  (the inputs it could not read, say). */
typedef int (*sr_pipeline_feed_fn)(sr_pipeline *p, void *ctx);
/** Run `feed` in a thread of its own while the calling thread stores what
 *  it submits, in order, and calls each page's `done`; returns what `feed`
 *  returned once every page it submitted is stored. Reading (inflating a
 *  WARC, parsing its records) and storing then never wait for each other:
 *  a full queue makes `feed` wait for the store to free a job, a commit no
 *  longer stops the reading. `feed` may only call sr_pipeline_submit,
 *  sr_pipeline_page_arena and sr_pipeline_submit_built on `p`. With
 *  `threads` 1 one worker thread analyses the pages of the feed. */
int sr_pipeline_feed(sr_pipeline *p, sr_pipeline_feed_fn feed, void *ctx);
/** Wait until every submitted page is stored and its `done` called. */
void sr_pipeline_drain(sr_pipeline *p);
/** Drain, then commit the open batch. */
sr_err sr_pipeline_flush(sr_pipeline *p);
void sr_pipeline_stats_get(const sr_pipeline *p, sr_pipeline_stats *out);

#endif
