/* The SQLite store's handle and the helpers its files share. */
#ifndef SR_SQLITE_INT_H
#define SR_SQLITE_INT_H

#include <sqlite3.h>
#include "store_impl.h"

/** The newest schema this code knows (see sqlite_schema.c). */
#define SR_SQLITE_SCHEMA_VERSION 9

/* Prepared statements are kept per handle, keyed by their SQL: the fixed
 * statements and the few shapes of filtered queries a server repeats. */
#define SQ_CACHE_SLOTS 64

typedef struct sq_cached {
    uint64_t hash;
    char *sql;
    sqlite3_stmt *stmt;
} sq_cached;

typedef struct sr_sqlite {
    struct sr_store base;
    sqlite3 *db;
    bool in_batch;
    bool batch_failed;   /* a write inside the batch failed: it can only roll back */
    bool readonly;
    int schema_version;
    int64_t fts_from;    /* articles from this id on are not in the full-text index yet (0: none) */
    sq_cached cache[SQ_CACHE_SLOTS];
    unsigned evict;
} sr_sqlite;

#define SQ(s) ((sr_sqlite *)(s))

/** A cached statement for `sql`, reset and with its bindings cleared; NULL on
 *  error (message set). Call sqlite3_reset() when done stepping, so no read
 *  stays open. */
sqlite3_stmt *sq_stmt(sr_sqlite *q, const char *sql);
/** Record the database's last error, naming what was being done. */
sr_err sq_fail(sr_sqlite *q, const char *what);
/** Bind `id` to parameter 1 of `st` and step to its row: SR_OK on the row,
 *  else the statement is reset and SR_ENOTFOUND ("no NOUN with id N") or
 *  the store error is returned. */
sr_err sq_step_id(sr_sqlite *q, sqlite3_stmt *st, int64_t id, const char *noun);
/** Run statements without results (schema, pragmas). */
sr_err sq_exec(sr_sqlite *q, const char *sql);

/** A write of several statements is one unit. Outside a batch it is a
 *  transaction of its own, committed by sq_write_end when rc is SR_OK and
 *  rolled back otherwise. Inside a batch, a database failure marks the whole
 *  batch failed, so its commit rolls back instead: nothing half-written is
 *  ever committed. (A savepoint per write would copy every touched page and
 *  cost half the insert rate.) Returns rc, or the commit's error. */
sr_err sq_write_begin(sr_sqlite *q);
sr_err sq_write_end(sr_sqlite *q, sr_err rc);

/* Binding: NULL strings, zero ids and NaN numbers become SQL NULL. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);
void sq_bind_id(sqlite3_stmt *st, int i, int64_t id);
void sq_bind_real(sqlite3_stmt *st, int i, double v);
const char *sq_text(sqlite3_stmt *st, int i);
double sq_real(sqlite3_stmt *st, int i);

/** Step a write statement to completion and reset it. */
sr_err sq_run(sr_sqlite *q, sqlite3_stmt *st, const char *what);

/** Bring the schema of an open database to `target` (used by tests to build
 *  an older store). */
sr_err sr_sqlite_migrate(sqlite3 *db, int target, char *err, size_t errlen);
int sr_sqlite_version_of(sqlite3 *db);

/** Put the articles added since the last call into the full-text index (one
 *  statement for the lot). Called before a commit and before any full-text
 *  read; a rollback drops the pending ids with the articles. */
sr_err sq_fts_catch_up(sr_sqlite *q);

/** Words of a search box as an FTS5 query (every word, quoted); NULL when
 *  there is no word. free() it. */
char *sq_fts_query(const char *q);

#define ARTICLE_COLUMNS \
    "a.id, a.source_id, a.url, a.url_norm, a.title, a.published, a.published_precision, a.authors," \
    " a.lang, a.site_name, a.captions, a.content_hash, a.simhash, a.story_id, a.fetched"
/** Read ARTICLE_COLUMNS starting at column `first` (text not included). */
void sq_read_article(sqlite3_stmt *st, int first, sr_store_article *a);

/* The operations each file contributes to the table in sqlite.c. */
#define SQ_OP(ret, name, ...) ret sq_##name(sr_store *s, __VA_ARGS__)
SQ_OP(sr_err, source_add, const sr_store_source *src, int64_t *id);
SQ_OP(sr_err, source_update_poll, const sr_store_source *src);
SQ_OP(sr_err, source_remove, const char *url);
SQ_OP(sr_err, sources, int64_t due_before, sr_store_source_fn fn, void *ctx);
SQ_OP(sr_err, article_add, const sr_store_article *a, int64_t *id, bool *inserted);
SQ_OP(sr_err, article_find, const char *url, int64_t *id);
SQ_OP(sr_err, article_get, int64_t id, sr_store_article_fn fn, void *ctx);
SQ_OP(sr_err, articles_recent, int64_t since, sr_store_article_fn fn, void *ctx);
SQ_OP(sr_err, articles_search, const char *q, int limit, int offset, sr_store_article_fn fn, void *ctx);
SQ_OP(sr_err, story_add, const char *title, int64_t seen, int64_t *id);
SQ_OP(sr_err, story_attach, int64_t story_id, int64_t article_id);
SQ_OP(sr_err, story_set_breaking, int64_t story_id, bool *changed);
SQ_OP(sr_err, stories, int64_t since, const sr_store_story *after, int limit, sr_store_story_fn fn, void *ctx);
SQ_OP(sr_err, place_put, const sr_store_place *p);
SQ_OP(sr_err, places_complete, const char *prefix, int limit, sr_store_place_fn fn, void *ctx);
SQ_OP(sr_err, event_add, const sr_store_event *e, int64_t *id);
SQ_OP(sr_err, event_merge, const sr_store_event *e, int window_days, int64_t *id, bool *merged);
SQ_OP(sr_err, events, const sr_store_filter *f, sr_store_event_fn fn, void *ctx);
SQ_OP(sr_err, events_count, const sr_store_filter *f, int64_t *count);
SQ_OP(sr_err, event_get, int64_t id, sr_store_event_fn event_fn, sr_store_support_fn support_fn, void *ctx);
SQ_OP(sr_err, events_changed, int64_t after_seq, int limit, sr_store_event_fn fn, void *ctx);
SQ_OP(sr_err, last_seq, int64_t *seq);
SQ_OP(sr_err, stats, const sr_store_filter *f, sr_store_stat_fn fn, void *ctx);
SQ_OP(sr_err, subscription_add, const sr_store_subscription *sub, int64_t *id);
SQ_OP(sr_err, subscription_remove, int64_t id);
SQ_OP(sr_err, subscription_get, int64_t id, sr_store_subscription_fn fn, void *ctx);
SQ_OP(sr_err, subscriptions, sr_store_subscription_fn fn, void *ctx);
SQ_OP(sr_err, delivery_enqueue, int64_t subscription_id, int64_t event_id, sr_store_alert_kind kind, bool *queued);
SQ_OP(sr_err, deliveries_due, int64_t now, int limit, sr_store_delivery_fn fn, void *ctx);
SQ_OP(sr_err, delivery_update, int64_t id, sr_store_delivery_status status, int64_t next_attempt, const char *error);
SQ_OP(sr_err, source_item_mark, int64_t source_id, const char *item, int64_t seen);
SQ_OP(sr_err, source_item_find, int64_t source_id, const char *item);
SQ_OP(sr_err, source_items_prune, int64_t source_id, int64_t before);
#undef SQ_OP

#endif
