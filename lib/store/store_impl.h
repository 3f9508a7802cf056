/* What an implementation of the store provides: one table of operations
 * behind the opaque sr_store. store.c dispatches the public calls to it;
 * sqlite*.c is the implementation for SQLite files. */
#ifndef SR_STORE_IMPL_H
#define SR_STORE_IMPL_H

#include "sitrep/store.h"

struct sr_store_ops {
    void (*close)(sr_store *s);
    int (*schema_version)(sr_store *s);
    sr_err (*begin)(sr_store *s);
    sr_err (*commit)(sr_store *s);
    sr_err (*rollback)(sr_store *s);

    sr_err (*source_add)(sr_store *s, const sr_store_source *src, int64_t *id);
    sr_err (*source_update_poll)(sr_store *s, const sr_store_source *src);
    sr_err (*source_remove)(sr_store *s, const char *url);
    sr_err (*sources)(sr_store *s, int64_t due_before, sr_store_source_fn fn, void *ctx);

    sr_err (*article_add)(sr_store *s, const sr_store_article *a, int64_t *id, bool *inserted);
    sr_err (*article_find)(sr_store *s, const char *url, int64_t *id);
    sr_err (*article_get)(sr_store *s, int64_t id, sr_store_article_fn fn, void *ctx);
    sr_err (*articles_recent)(sr_store *s, int64_t since, sr_store_article_fn fn, void *ctx);
    sr_err (*articles_search)(sr_store *s, const char *q, int limit, int offset,
                              sr_store_article_fn fn, void *ctx);

    sr_err (*story_add)(sr_store *s, const char *title, int64_t seen, int64_t *id);
    sr_err (*story_attach)(sr_store *s, int64_t story_id, int64_t article_id);
    sr_err (*story_set_breaking)(sr_store *s, int64_t story_id, bool *changed);
    sr_err (*stories)(sr_store *s, int64_t since, const sr_store_story *after, int limit,
                      sr_store_story_fn fn, void *ctx);

    sr_err (*place_put)(sr_store *s, const sr_store_place *p);
    sr_err (*places_complete)(sr_store *s, const char *prefix, int limit,
                              sr_store_place_fn fn, void *ctx);

    sr_err (*event_add)(sr_store *s, const sr_store_event *e, int64_t *id);
    sr_err (*event_merge)(sr_store *s, const sr_store_event *e, int window_days,
                          int64_t *id, bool *merged);
    sr_err (*events)(sr_store *s, const sr_store_filter *f, sr_store_event_fn fn, void *ctx);
    sr_err (*events_count)(sr_store *s, const sr_store_filter *f, int64_t *count);
    sr_err (*event_get)(sr_store *s, int64_t id, sr_store_event_fn event_fn,
                        sr_store_support_fn support_fn, void *ctx);
    sr_err (*events_changed)(sr_store *s, int64_t after_seq, int limit,
                             sr_store_event_fn fn, void *ctx);
    sr_err (*last_seq)(sr_store *s, int64_t *seq);
    sr_err (*stats)(sr_store *s, const sr_store_filter *f, sr_store_stat_fn fn, void *ctx);

    sr_err (*subscription_add)(sr_store *s, const sr_store_subscription *sub, int64_t *id);
    sr_err (*subscription_remove)(sr_store *s, int64_t id);
    sr_err (*subscription_get)(sr_store *s, int64_t id, sr_store_subscription_fn fn, void *ctx);
    sr_err (*subscriptions)(sr_store *s, sr_store_subscription_fn fn, void *ctx);
    sr_err (*delivery_enqueue)(sr_store *s, int64_t subscription_id, int64_t event_id,
                               sr_store_alert_kind kind, bool *queued);
    sr_err (*deliveries_due)(sr_store *s, int64_t now, int limit,
                             sr_store_delivery_fn fn, void *ctx);
    sr_err (*delivery_update)(sr_store *s, int64_t id, sr_store_delivery_status status,
                              int64_t next_attempt, const char *error);

    sr_err (*source_item_mark)(sr_store *s, int64_t source_id, const char *item, int64_t seen);
    sr_err (*source_item_find)(sr_store *s, int64_t source_id, const char *item);
    sr_err (*source_items_prune)(sr_store *s, int64_t source_id, int64_t before);
};

/* Every implementation's handle starts with this. */
struct sr_store {
    const struct sr_store_ops *ops;
    char errmsg[512];
};

/** Set s->errmsg (printf-style) and return `err`. */
sr_err sr_store_fail(sr_store *s, sr_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Validate a filter before any implementation sees it. */
sr_err sr_store_filter_check(sr_store *s, const sr_store_filter *f);

/* Implementations. */
sr_err sr_sqlite_open(const char *path, unsigned flags, sr_store **out, char *err, size_t errlen);

#endif
