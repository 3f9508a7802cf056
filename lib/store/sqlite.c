/* The SQLite store: opening (WAL, busy timeout, foreign keys, migrations),
 * batches, and the cache of prepared statements. The tables' reads and
 * writes live in sqlite_*.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sqlite_int.h"

/* Another process (watch, serve, ingest) may hold the write lock for one
 * batch; waiting this long covers a large batch on a slow disk. */
#define SQ_BUSY_TIMEOUT_MS 10000

static const struct sr_store_ops sqlite_ops;

static sr_err configure(sr_sqlite *q, const char *path, char *err, size_t errlen);

sr_err sr_sqlite_open(const char *path, unsigned flags, sr_store **out, char *err, size_t errlen)
{
    struct stat st;
    if ((flags & SR_STORE_READONLY) && stat(path, &st) != 0) {
        if (err)
            snprintf(err, errlen, "%s: no such store", path);
        return SR_ENOTFOUND;
    }
    sr_sqlite *q = calloc(1, sizeof *q);
    if (!q)
        return SR_ENOMEM;
    q->base.ops = &sqlite_ops;
    q->readonly = flags & SR_STORE_READONLY;
    int oflags = q->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &q->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (err)
            snprintf(err, errlen, "%s: cannot open the store: %s", path,
                     q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        sqlite3_close(q->db);
        free(q);
        return rc == SQLITE_CANTOPEN ? SR_ENOTFOUND : SR_EDB;
    }
    sr_err e = configure(q, path, err, errlen);
    if (e) {
        sqlite3_close(q->db);
        free(q);
        return e;
    }
    *out = &q->base;
    return SR_OK;
}

/* WAL lets readers (the server) run while one writer (ingest) commits.
 * synchronous=NORMAL in WAL mode never corrupts the file and keeps every
 * commit across a process crash; only a power cut can undo the last
 * commits, which re-ingesting restores (writes are idempotent). */
static sr_err configure(sr_sqlite *q, const char *path, char *err, size_t errlen)
{
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, SQ_BUSY_TIMEOUT_MS);
    const char *setup = q->readonly
        ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
        : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
    char *msg = NULL;
    if (sqlite3_exec(q->db, setup, NULL, NULL, &msg) != SQLITE_OK) {
        if (err)
            snprintf(err, errlen, "%s: cannot use as a store: %s", path, msg ? msg : "unknown error");
        sqlite3_free(msg);
        return SR_EDB;
    }
    /* A writer gets a large page cache for its indexes, and temp_store=MEMORY
     * keeps its statement journals (a statement with triggers may need to
     * undo itself) off the disk. A reader (export, queries) gets a small
     * cache and sorts that spill to temporary files, so its memory stays
     * flat however much it reads; the OS caches the file anyway. */
    sqlite3_exec(q->db, q->readonly ? "PRAGMA cache_size=-4096; PRAGMA temp_store=FILE"
                                    : "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    char why[256] = "";
    sr_err e;
    if (q->readonly) {
        int v = sr_sqlite_version_of(q->db);
        e = v == SR_SQLITE_SCHEMA_VERSION ? SR_OK : SR_ESTALE;
        if (e)
            snprintf(why, sizeof why, "schema version %d, this sitrep needs %d (open it writable once to migrate)",
                     v, SR_SQLITE_SCHEMA_VERSION);
    } else {
        e = sr_sqlite_migrate(q->db, SR_SQLITE_SCHEMA_VERSION, why, sizeof why);
    }
    if (e) {
        if (err)
            snprintf(err, errlen, "%s: %s", path, why);
        return e;
    }
    q->schema_version = sr_sqlite_version_of(q->db);
    return SR_OK;
}

static void sq_close(sr_store *s)
{
    sr_sqlite *q = SQ(s);
    for (int i = 0; i < SQ_CACHE_SLOTS; i++) {
        sqlite3_finalize(q->cache[i].stmt);
        free(q->cache[i].sql);
    }
    if (q->in_batch)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(q->db);
    free(q);
}

static int sq_schema_version(sr_store *s)
{
    return SQ(s)->schema_version;
}

/* ---- Batches and units of writing. --------------------------------------- */

/* IMMEDIATE takes the write lock at once: a deferred transaction that reads
 * first could fail to upgrade when another process wrote in between. */
static sr_err sq_begin(sr_store *s)
{
    sr_sqlite *q = SQ(s);
    if (q->in_batch)
        return sr_store_fail(s, SR_EINVAL, "a batch is already open");
    if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "beginning a batch");
    q->in_batch = true;
    return SR_OK;
}

static sr_err sq_commit(sr_store *s)
{
    sr_sqlite *q = SQ(s);
    if (!q->in_batch)
        return sr_store_fail(s, SR_EINVAL, "no batch is open");
    if (q->batch_failed) {
        q->in_batch = q->batch_failed = false;
        q->fts_from = 0;
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        return sr_store_fail(s, SR_EDB, "a write in this batch failed, so the batch was rolled back");
    }
    sr_err e = sq_fts_catch_up(q);
    if (e || sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        if (!e)
            e = sq_fail(q, "committing a batch");
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        q->in_batch = false;
        q->fts_from = 0;
        return e;
    }
    q->in_batch = false;
    return SR_OK;
}

static sr_err sq_rollback(sr_store *s)
{
    sr_sqlite *q = SQ(s);
    if (!q->in_batch)
        return sr_store_fail(s, SR_EINVAL, "no batch is open");
    q->in_batch = q->batch_failed = false;
    q->fts_from = 0;
    if (sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "rolling back a batch");
    return SR_OK;
}

sr_err sq_write_begin(sr_sqlite *q)
{
    if (q->readonly)
        return sr_store_fail(&q->base, SR_EDENIED, "the store was opened read-only");
    if (q->in_batch)
        return q->batch_failed ? sr_store_fail(&q->base, SR_EDB, "an earlier write in this batch failed") : SR_OK;
    if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "beginning a write");
    return SR_OK;
}

/* Codes other than these come from checks made before anything is written. */
static bool is_db_failure(sr_err rc)
{
    return rc == SR_EDB || rc == SR_EIO || rc == SR_ENOMEM;
}

sr_err sq_write_end(sr_sqlite *q, sr_err rc)
{
    if (q->in_batch) {
        if (is_db_failure(rc))
            q->batch_failed = true;
        return rc;
    }
    if (!rc)
        rc = sq_fts_catch_up(q);
    if (sqlite3_exec(q->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sr_err e = rc ? rc : sq_fail(q, "committing a write");
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        q->fts_from = 0;
        return e;
    }
    q->fts_from = 0;
    return rc;
}

/* ---- Statements. ---------------------------------------------------------- */

static uint64_t hash_sql(const char *s)
{
    uint64_t h = 1469598103934665603ull;  /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

sqlite3_stmt *sq_stmt(sr_sqlite *q, const char *sql)
{
    uint64_t h = hash_sql(sql);
    unsigned start = (unsigned)(h % SQ_CACHE_SLOTS);
    for (unsigned k = 0; k < SQ_CACHE_SLOTS; k++) {
        sq_cached *c = &q->cache[(start + k) % SQ_CACHE_SLOTS];
        if (!c->stmt)
            break;
        if (c->hash == h && strcmp(c->sql, sql) == 0) {
            sqlite3_reset(c->stmt);
            sqlite3_clear_bindings(c->stmt);
            return c->stmt;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sq_fail(q, "preparing a query");
        return NULL;
    }
    char *copy = strdup(sql);
    if (!copy) {
        sqlite3_finalize(st);
        sr_store_fail(&q->base, SR_ENOMEM, "out of memory");
        return NULL;
    }
    sq_cached *slot = NULL;
    for (unsigned k = 0; k < SQ_CACHE_SLOTS && !slot; k++) {
        sq_cached *c = &q->cache[(start + k) % SQ_CACHE_SLOTS];
        if (!c->stmt)
            slot = c;
    }
    /* Full: drop one in turn. Open-addressed probing stays correct because
     * a slot is only ever replaced, never emptied. */
    if (!slot) {
        slot = &q->cache[q->evict++ % SQ_CACHE_SLOTS];
        sqlite3_finalize(slot->stmt);
        free(slot->sql);
    }
    *slot = (sq_cached){h, copy, st};
    return st;
}

sr_err sq_fail(sr_sqlite *q, const char *what)
{
    int code = sqlite3_extended_errcode(q->db);
    sr_store_fail(&q->base, SR_EDB, "%s: %s", what, sqlite3_errmsg(q->db));
    return (code & 0xff) == SQLITE_FULL ? SR_EIO : SR_EDB;
}

sr_err sq_step_id(sr_sqlite *q, sqlite3_stmt *st, int64_t id, const char *noun)
{
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return SR_OK;
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sr_store_fail(&q->base, SR_ENOTFOUND, "no %s with id %lld", noun, (long long)id);
    char what[64];
    snprintf(what, sizeof what, "reading an %s", noun);
    return sq_fail(q, what);
}

sr_err sq_exec(sr_sqlite *q, const char *sql)
{
    if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "running a statement");
    return SR_OK;
}

sr_err sq_run(sr_sqlite *q, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sr_err e = rc == SQLITE_DONE || rc == SQLITE_ROW ? SR_OK : sq_fail(q, what);
    sqlite3_reset(st);
    return e;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

const char *sq_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

double sq_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static const struct sr_store_ops sqlite_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .source_add = sq_source_add,
    .source_update_poll = sq_source_update_poll,
    .source_remove = sq_source_remove,
    .sources = sq_sources,
    .article_add = sq_article_add,
    .article_find = sq_article_find,
    .article_get = sq_article_get,
    .articles_recent = sq_articles_recent,
    .articles_search = sq_articles_search,
    .story_add = sq_story_add,
    .story_attach = sq_story_attach,
    .story_set_breaking = sq_story_set_breaking,
    .stories = sq_stories,
    .place_put = sq_place_put,
    .places_complete = sq_places_complete,
    .event_add = sq_event_add,
    .event_merge = sq_event_merge,
    .events = sq_events,
    .events_count = sq_events_count,
    .event_get = sq_event_get,
    .events_changed = sq_events_changed,
    .last_seq = sq_last_seq,
    .stats = sq_stats,
    .subscription_add = sq_subscription_add,
    .subscription_remove = sq_subscription_remove,
    .subscription_get = sq_subscription_get,
    .subscriptions = sq_subscriptions,
    .delivery_enqueue = sq_delivery_enqueue,
    .deliveries_due = sq_deliveries_due,
    .delivery_update = sq_delivery_update,
    .source_item_mark = sq_source_item_mark,
    .source_item_find = sq_source_item_find,
    .source_items_prune = sq_source_items_prune,
};
