/* Subscriptions and the outbox of deliveries in the SQLite store. The
 * outbox holds one row per (subscription, event), so a delivery queued
 * twice, or again after a restart, is sent once. */
#include <time.h>
#include "sqlite_int.h"

sr_err sq_subscription_add(sr_store *s, const sr_store_subscription *sub, int64_t *id)
{
    sr_sqlite *q = SQ(s);
    if (!sub->channel)
        return sr_store_fail(s, SR_EINVAL, "a subscription needs a channel");
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO subscriptions(token_hash, channel, endpoint, keys, filter, created)"
                                  " VALUES (?, ?, ?, ?, ?, ?)");
    if (!st)
        return SR_EDB;
    sq_bind_text(st, 1, sub->token_hash);
    sq_bind_text(st, 2, sub->channel);
    sq_bind_text(st, 3, sub->endpoint);
    sq_bind_text(st, 4, sub->keys);
    sq_bind_text(st, 5, sub->filter);
    sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
    sr_err rc = sq_run(q, st, "adding a subscription");
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

sr_err sq_subscription_remove(sr_store *s, int64_t id)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "DELETE FROM subscriptions WHERE id = ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, id);
    sr_err rc = sq_run(q, st, "removing a subscription");
    if (!rc && sqlite3_changes(q->db) == 0)
        return sr_store_fail(s, SR_ENOTFOUND, "no subscription with id %lld", (long long)id);
    return rc;
}

static sr_err each_subscription(sr_sqlite *q, sqlite3_stmt *st, sr_store_subscription_fn fn, void *ctx,
                                int *rows)
{
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_subscription sub = {
            .id = sqlite3_column_int64(st, 0), .token_hash = sq_text(st, 1), .channel = sq_text(st, 2),
            .endpoint = sq_text(st, 3), .keys = sq_text(st, 4), .filter = sq_text(st, 5),
            .created = sqlite3_column_int64(st, 6),
        };
        ++*rows;
        if (fn(&sub, ctx))
            break;
    }
    sr_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "reading subscriptions");
    sqlite3_reset(st);
    return e;
}

#define SUBSCRIPTION_SELECT "SELECT id, token_hash, channel, endpoint, keys, filter, created FROM subscriptions"

sr_err sq_subscription_get(sr_store *s, int64_t id, sr_store_subscription_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, SUBSCRIPTION_SELECT " WHERE id = ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rows;
    sr_err rc = each_subscription(q, st, fn, ctx, &rows);
    if (!rc && rows == 0)
        return sr_store_fail(s, SR_ENOTFOUND, "no subscription with id %lld", (long long)id);
    return rc;
}

sr_err sq_subscriptions(sr_store *s, sr_store_subscription_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, SUBSCRIPTION_SELECT " ORDER BY id");
    int rows;
    return st ? each_subscription(q, st, fn, ctx, &rows) : SR_EDB;
}

sr_err sq_delivery_enqueue(sr_store *s, int64_t subscription_id, int64_t event_id, sr_store_alert_kind kind,
                           bool *queued)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO deliveries(subscription_id, event_id, kind, created) VALUES (?, ?, ?, ?)"
                                  " ON CONFLICT(subscription_id, event_id, kind) DO NOTHING");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, subscription_id);
    sqlite3_bind_int64(st, 2, event_id);
    sqlite3_bind_int(st, 3, kind);
    sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
    sr_err rc = sq_run(q, st, "queueing a delivery");
    if (queued)
        *queued = !rc && sqlite3_changes(q->db) == 1;
    return rc;
}

sr_err sq_deliveries_due(sr_store *s, int64_t now, int limit, sr_store_delivery_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT id, subscription_id, event_id, attempts, status, next_attempt, last_error, kind"
                                  " FROM deliveries WHERE status = 0 AND next_attempt <= ?"
                                  " ORDER BY next_attempt, id LIMIT ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_delivery d = {
            .id = sqlite3_column_int64(st, 0), .subscription_id = sqlite3_column_int64(st, 1),
            .event_id = sqlite3_column_int64(st, 2), .attempts = sqlite3_column_int(st, 3),
            .status = sqlite3_column_int(st, 4), .next_attempt = sqlite3_column_int64(st, 5),
            .last_error = sq_text(st, 6), .kind = sqlite3_column_int(st, 7),
        };
        if (fn(&d, ctx))
            break;
    }
    sr_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "reading due deliveries");
    sqlite3_reset(st);
    return e;
}

sr_err sq_delivery_update(sr_store *s, int64_t id, sr_store_delivery_status status,
                          int64_t next_attempt, const char *error)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "UPDATE deliveries SET attempts = attempts + 1, status = ?2,"
                                  " next_attempt = ?3, last_error = ?4 WHERE id = ?1");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, status);
    sqlite3_bind_int64(st, 3, next_attempt);
    sq_bind_text(st, 4, error);
    sr_err rc = sq_run(q, st, "recording a delivery attempt");
    if (!rc && sqlite3_changes(q->db) == 0)
        return sr_store_fail(s, SR_ENOTFOUND, "no delivery with id %lld", (long long)id);
    return rc;
}
