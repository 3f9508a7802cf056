/*
 * watch: polling the store's sources (feeds and sitemaps) and ingesting
 * what is new, for `sitrep watch` and `sitrep serve`.
 *
 * One step takes the sources that are due, fetches them together with
 * conditional requests (their stored ETag and Last-Modified: a 304 costs
 * nothing), reads each feed (RSS, Atom, JSON Feed) or sitemap, fetches the
 * items not handled before, runs them through the pipeline, and saves each
 * source's polling state. Everything a poll learns is in the store, so a
 * watcher that is stopped or killed carries on where it was.
 *
 * How often a source is polled adapts to how often it posts: its interval
 * halves after a poll that found new items and grows by half after one that
 * did not (a 304 is "nothing new"), within [min_interval, max_interval]; a
 * failed poll doubles it, and a Retry-After from the server is honoured.
 *
 * A watcher uses its pipeline and store from one thread at a time.
 */
#ifndef SITREP_WATCH_H
#define SITREP_WATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sitrep/fetch.h"
#include "sitrep/pipeline.h"
#include "sitrep/sitrep.h"
#include "sitrep/store.h"

typedef struct sr_watch sr_watch;

/** Receives one line per failed source or item ("URL: what went wrong"). */
typedef void (*sr_watch_report_fn)(const char *line, void *ctx);

typedef struct sr_watch_options {
    sr_pipeline *pipeline;      /**< where fetched pages go (required) */
    sr_store *store;            /**< the sources and their polling state (required): a
                                     handle on the pipeline's store */
    int min_interval;           /**< seconds between two polls of a source at least (0: 120) */
    int max_interval;           /**< ... and at most (0: 3600) */
    int max_items;              /**< new items fetched per source and poll (0: 500); the
                                     rest wait for the next poll */
    int max_sources;            /**< sources polled in one step (0: 64) */
    sr_fetch_options fetch;     /**< the fetcher's settings (zero: its defaults) */
    const atomic_bool *stop;    /**< when it becomes true, a step ends after the item in
                                     hand and sr_watch_run returns (NULL: never) */
    sr_watch_report_fn report;  /**< NULL: failures are only counted */
    void *report_ctx;
} sr_watch_options;

/** Counts since the watcher was made. */
typedef struct sr_watch_stats {
    unsigned long long polls;         /**< sources fetched */
    unsigned long long not_modified;  /**< of which answered 304 */
    unsigned long long poll_errors;   /**< of which failed (fetch, or not a readable feed) */
    unsigned long long items_new;     /**< items not handled before */
    unsigned long long items_fetched;
    unsigned long long item_errors;
    unsigned long long articles;      /**< new articles stored */
    unsigned long long duplicates;    /**< pages whose article was already stored */
    unsigned long long events;
} sr_watch_stats;

/** A watcher on opt->pipeline and opt->store. SR_EINVAL when one is
 *  missing or the intervals are out of order; SR_ENOMEM. */
sr_err sr_watch_new(const sr_watch_options *opt, sr_watch **out);
/** NULL is fine. The pipeline and store stay open: they are the caller's. */
void sr_watch_free(sr_watch *w);

/**
 * Poll the sources due now (up to max_sources). *next_due (may be NULL)
 * is when the next source is due, Unix seconds (0: no source at all; at or
 * before now: more are due already). Failed sources and items are reported
 * and counted, and the step goes on; it returns an error only when the
 * store itself fails (SR_EDB...).
 */
sr_err sr_watch_step(sr_watch *w, int64_t *next_due);

/**
 * Step until *opt->stop becomes true, sleeping until the next source is due
 * in between. `recheck` seconds is the longest sleep (0: 30), so sources
 * added meanwhile by another process are polled soon. Returns SR_OK when
 * stopped, or the store error that ended it.
 */
sr_err sr_watch_run(sr_watch *w, int recheck);

void sr_watch_stats_get(const sr_watch *w, sr_watch_stats *out);

/**
 * Add the feeds listed in the file at `path` to the store's sources: one
 * http(s) URL a line; blank lines and what follows a '#' are ignored. URLs
 * already stored change nothing. Lines that are not URLs are reported
 * ("FILE:LINE: ...") and skipped. *added (may be NULL) counts the URLs read.
 * Returns SR_OK, the file's error (SR_EIO, SR_ENOTFOUND, SR_ETOOBIG) with
 * one line in `err`, or SR_EPARSE when some lines were skipped.
 */
sr_err sr_watch_add_feeds(sr_store *s, const char *path, size_t *added, sr_watch_report_fn report,
                          void *report_ctx, char *err, size_t errlen);

#endif
