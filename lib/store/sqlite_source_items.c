/* The poller's record of handled feed items in the SQLite store (schema
 * step 4: source_items). */
#include "sqlite_int.h"

sr_err sq_source_item_mark(sr_store *s, int64_t source_id, const char *item, int64_t seen)
{
    sr_sqlite *q = SQ(s);
    sr_err rc = sq_write_begin(q);
    if (rc)
        return rc;
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO source_items(source_id, item, seen) VALUES (?, ?, ?)"
                                  " ON CONFLICT(source_id, item) DO UPDATE SET seen = excluded.seen");
    if (!st)
        return sq_write_end(q, SR_EDB);
    sqlite3_bind_int64(st, 1, source_id);
    sq_bind_text(st, 2, item);
    sqlite3_bind_int64(st, 3, seen);
    return sq_write_end(q, sq_run(q, st, "marking a feed item as handled"));
}

sr_err sq_source_item_find(sr_store *s, int64_t source_id, const char *item)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT 1 FROM source_items WHERE source_id = ? AND item = ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, source_id);
    sq_bind_text(st, 2, item);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SR_OK;
    return rc == SQLITE_DONE ? SR_ENOTFOUND : sq_fail(q, "looking up a feed item");
}

sr_err sq_source_items_prune(sr_store *s, int64_t source_id, int64_t before)
{
    sr_sqlite *q = SQ(s);
    sr_err rc = sq_write_begin(q);
    if (rc)
        return rc;
    sqlite3_stmt *st = sq_stmt(q, "DELETE FROM source_items WHERE source_id = ? AND seen < ?");
    if (!st)
        return sq_write_end(q, SR_EDB);
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, before);
    return sq_write_end(q, sq_run(q, st, "forgetting old feed items"));
}
