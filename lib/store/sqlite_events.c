/* Events in the SQLite store: adding, merging the reports of one story,
 * and the filtered queries behind export, the API, streams and stats. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/util.h"
#include "sqlite_int.h"

/* A toll's six columns, in the order bind_toll and read_toll take them. */
#define TOLL_COLUMNS(p, toll) \
    p toll ", " p toll "_at_least, " p toll "_approximate, " p toll "_who, " p toll "_aggregate, " \
    p toll "_historical"

#define EVENT_COLUMNS \
    "e.id, e.seq, e.story_id, e.date, e.date_precision, e.actor1_code, e.actor1_name, e.actor1_cc," \
    " e.actor2_code, e.actor2_name, e.actor2_cc, e.cameo, e.cameo_root, e.quad, e.goldstein," \
    " e.acled_type, e.acled_subtype, e.place_name, e.place_kind, e.cc," \
    " e.admin1, e.lat, e.lon, e.geonameid, e.geo_precision, e.negated, e.modality, e.article_id," \
    " e.sentence, e.sent_start, e.sent_end, e.num_articles," \
    " (SELECT url FROM articles WHERE id = e.article_id), e.added, e.updated, e.historical, " \
    TOLL_COLUMNS("e.", "fatalities") ", " TOLL_COLUMNS("e.", "injuries") "," \
    " coalesce((SELECT breaking FROM stories WHERE id = e.story_id), 0)"

/* Change sequence: taken under the write lock, so readers see sequences
 * appear in order and a stream that remembers the last one misses none. */
#define NEXT_SEQ "(SELECT coalesce(max(seq), 0) + 1 FROM events)"

static sr_err check_event(sr_store *s, const sr_store_event *e);
static sr_err insert_event(sr_sqlite *q, const sr_store_event *e, int64_t *id);
static sr_err add_support(sr_sqlite *q, int64_t event_id, const sr_store_event *e, bool *added);
static sr_err find_same_event(sr_sqlite *q, const sr_store_event *e, int window_days, int64_t *id);
static sr_err merge_into(sr_sqlite *q, int64_t id, const sr_store_event *e, bool *merged);

sr_err sq_event_add(sr_store *s, const sr_store_event *e, int64_t *id)
{
    sr_sqlite *q = SQ(s);
    sr_err rc = check_event(s, e);
    if (rc || (rc = sq_write_begin(q)))
        return rc;
    int64_t new_id = 0;
    rc = insert_event(q, e, &new_id);
    if (!rc)
        rc = add_support(q, new_id, e, NULL);
    rc = sq_write_end(q, rc);
    if (!rc && id)
        *id = new_id;
    return rc;
}

sr_err sq_event_merge(sr_store *s, const sr_store_event *e, int window_days, int64_t *id, bool *merged)
{
    sr_sqlite *q = SQ(s);
    if (merged)
        *merged = false;
    sr_err rc = check_event(s, e);
    if (rc || (rc = sq_write_begin(q)))
        return rc;
    int64_t found = 0;
    if (e->story_id)
        rc = find_same_event(q, e, window_days, &found);
    if (!rc && found) {
        rc = merge_into(q, found, e, merged);
    } else if (!rc) {
        rc = insert_event(q, e, &found);
        if (!rc)
            rc = add_support(q, found, e, NULL);
    }
    rc = sq_write_end(q, rc);
    if (!rc && id)
        *id = found;
    return rc;
}

static sr_err check_event(sr_store *s, const sr_store_event *e)
{
    if (!e->article_id)
        return sr_store_fail(s, SR_EINVAL, "an event needs the article that reports it");
    bool has_lat = isfinite(e->lat), has_lon = isfinite(e->lon);
    if (has_lat != has_lon || (has_lat && (fabs(e->lat) > 90 || fabs(e->lon) > 180)))
        return sr_store_fail(s, SR_EINVAL, "event place %g,%g is not a latitude and longitude", e->lat, e->lon);
    if (e->sentence && strlen(e->sentence) > 65536)
        return sr_store_fail(s, SR_ETOOBIG, "evidence sentence over 65536 bytes");
    return SR_OK;
}

/* CAMEO roots are the first two digits of the code ("0211" → "02"). */
static void bind_root(sqlite3_stmt *st, int i, const sr_store_event *e)
{
    if (e->cameo_root)
        sq_bind_text(st, i, e->cameo_root);
    else if (e->cameo && strlen(e->cameo) >= 2)
        sqlite3_bind_text(st, i, e->cameo, 2, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Binds a toll to six parameters from i, as TOLL_COLUMNS lists them, and
 * returns the next one. A figure not stated is NULL. */
static int bind_toll(sqlite3_stmt *st, int i, const sr_code_toll *t)
{
    if (t->value >= 0)
        sqlite3_bind_int(st, i, t->value);
    else
        sqlite3_bind_null(st, i);
    sqlite3_bind_int(st, i + 1, t->at_least);
    sqlite3_bind_int(st, i + 2, t->approximate);
    sq_bind_text(st, i + 3, t->who);
    sqlite3_bind_int(st, i + 4, t->aggregate);
    sqlite3_bind_int(st, i + 5, t->historical);
    return i + 6;
}

static sr_err insert_event(sr_sqlite *q, const sr_store_event *e, int64_t *id)
{
    sqlite3_stmt *st = sq_stmt(q,
        "INSERT INTO events(seq, story_id, date, date_precision, actor1_code, actor1_name, actor1_cc,"
        " actor2_code, actor2_name, actor2_cc, cameo, cameo_root, quad, goldstein, acled_type, acled_subtype,"
        " place_name, place_kind, cc, admin1, lat, lon, geonameid, geo_precision,"
        " negated, modality, article_id, sentence, sent_start, sent_end, num_articles, added, updated, historical, "
        TOLL_COLUMNS("", "fatalities") ", " TOLL_COLUMNS("", "injuries") ")"
        " VALUES (" NEXT_SEQ ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " ?16, ?17, upper(?18), ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, 1, ?30, ?30, ?31, ?32, ?33,"
        " ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43)");
    if (!st)
        return SR_EDB;
    int i = 1;
    sq_bind_id(st, i++, e->story_id);
    sqlite3_bind_int64(st, i++, e->date);
    sqlite3_bind_int(st, i++, e->date_precision);
    const sr_store_actor *actors[2] = {&e->actor1, &e->actor2};
    for (int k = 0; k < 2; k++) {
        sq_bind_text(st, i++, actors[k]->code);
        sq_bind_text(st, i++, actors[k]->name);
        sq_bind_text(st, i++, actors[k]->cc);
    }
    sq_bind_text(st, i++, e->cameo);
    bind_root(st, i++, e);
    if (e->quad)
        sqlite3_bind_int(st, i, e->quad);
    i++;
    sq_bind_real(st, i++, e->goldstein);
    sq_bind_text(st, i++, e->acled_type);
    sq_bind_text(st, i++, e->acled_subtype);
    sq_bind_text(st, i++, e->place_name);
    sq_bind_text(st, i++, e->place_kind);
    sq_bind_text(st, i++, e->cc);
    sq_bind_text(st, i++, e->admin1);
    sq_bind_real(st, i++, e->lat);
    sq_bind_real(st, i++, e->lon);
    sq_bind_id(st, i++, e->geonameid);
    if (e->geo_precision)
        sqlite3_bind_int(st, i, e->geo_precision);
    i++;
    sqlite3_bind_int(st, i++, e->negated);
    sq_bind_text(st, i++, e->modality);
    sqlite3_bind_int64(st, i++, e->article_id);
    sq_bind_text(st, i++, e->sentence);
    sqlite3_bind_int(st, i++, e->sent_start);
    sqlite3_bind_int(st, i++, e->sent_end);
    sqlite3_bind_int64(st, i++, (int64_t)time(NULL));
    sqlite3_bind_int(st, i++, e->historical);
    i = bind_toll(st, i, &e->fatalities);
    bind_toll(st, i, &e->injuries);
    sr_err rc = sq_run(q, st, "storing an event");
    if (rc)
        return rc;
    *id = sqlite3_last_insert_rowid(q->db);
    if (!e->story_id)
        return SR_OK;
    st = sq_stmt(q, "UPDATE stories SET num_events = num_events + 1 WHERE id = ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, e->story_id);
    return sq_run(q, st, "counting a story's events");
}

static sr_err add_support(sr_sqlite *q, int64_t event_id, const sr_store_event *e, bool *added)
{
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO event_articles(event_id, article_id, sentence, sent_start,"
                                  " sent_end, added) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, event_id);
    sqlite3_bind_int64(st, 2, e->article_id);
    sq_bind_text(st, 3, e->sentence);
    sqlite3_bind_int(st, 4, e->sent_start);
    sqlite3_bind_int(st, 5, e->sent_end);
    sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
    sr_err rc = sq_run(q, st, "linking an event to its article");
    if (added)
        *added = !rc && sqlite3_changes(q->db) == 1;
    return rc;
}

/* Same story, same kind of event, same actors, same place (by GeoNames id
 * when known, else by name and country), date within the window; the
 * nearest in time wins. */
static sr_err find_same_event(sr_sqlite *q, const sr_store_event *e, int window_days, int64_t *id)
{
    sqlite3_stmt *st = sq_stmt(q,
        "SELECT id FROM events WHERE story_id = ?1 AND acled_type IS ?2 AND cameo_root IS ?3"
        " AND actor1_code IS ?4 AND actor2_code IS ?5"
        " AND (CASE WHEN ?6 IS NOT NULL THEN geonameid = ?6 ELSE geonameid IS NULL"
        "      AND place_name IS ?7 AND cc IS upper(?8) END)"
        " AND date BETWEEN ?9 - ?10 AND ?9 + ?10 ORDER BY abs(date - ?9), id LIMIT 1");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, e->story_id);
    sq_bind_text(st, 2, e->acled_type);
    bind_root(st, 3, e);
    sq_bind_text(st, 4, e->actor1.code);
    sq_bind_text(st, 5, e->actor2.code);
    sq_bind_id(st, 6, e->geonameid);
    sq_bind_text(st, 7, e->place_name);
    sq_bind_text(st, 8, e->cc);
    sqlite3_bind_int64(st, 9, e->date);
    sqlite3_bind_int64(st, 10, (int64_t)(window_days > 0 ? window_days : 0) * 86400);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "looking for the same event");
}

/* Death tolls rise as reports come in, so the larger stated figure is kept,
 * with its details; a report that states none leaves the figure alone. */
#define KEEP_DEAD(col, v) "CASE WHEN ?3 IS NULL OR ?3 <= coalesce(fatalities, -1) THEN " col " ELSE " v " END"
#define KEEP_HURT(col, v) "CASE WHEN ?9 IS NULL OR ?9 <= coalesce(injuries, -1) THEN " col " ELSE " v " END"
static sr_err merge_into(sr_sqlite *q, int64_t id, const sr_store_event *e, bool *merged)
{
    bool added = false;
    sr_err rc = add_support(q, id, e, &added);
    if (rc || !added)
        return rc;
    sqlite3_stmt *st = sq_stmt(q,
        "UPDATE events SET num_articles = num_articles + 1, seq = " NEXT_SEQ ", updated = ?2,"
        " fatalities_at_least = " KEEP_DEAD("fatalities_at_least", "?4") ","
        " fatalities_approximate = " KEEP_DEAD("fatalities_approximate", "?5") ","
        " fatalities_who = " KEEP_DEAD("fatalities_who", "?6") ","
        " fatalities_aggregate = " KEEP_DEAD("fatalities_aggregate", "?7") ","
        " fatalities_historical = " KEEP_DEAD("fatalities_historical", "?8") ","
        " fatalities = " KEEP_DEAD("fatalities", "?3") ","
        " injuries_at_least = " KEEP_HURT("injuries_at_least", "?10") ","
        " injuries_approximate = " KEEP_HURT("injuries_approximate", "?11") ","
        " injuries_who = " KEEP_HURT("injuries_who", "?12") ","
        " injuries_aggregate = " KEEP_HURT("injuries_aggregate", "?13") ","
        " injuries_historical = " KEEP_HURT("injuries_historical", "?14") ","
        " injuries = " KEEP_HURT("injuries", "?9")
        " WHERE id = ?1");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
    int next = bind_toll(st, 3, &e->fatalities);  /* ?3 .. ?8 */
    bind_toll(st, next, &e->injuries);            /* ?9 .. ?14 */
    rc = sq_run(q, st, "merging an event");
    if (!rc && merged)
        *merged = true;
    return rc;
}

/* ---- Reading events. ------------------------------------------------------ */

/* A toll from six columns from c, as TOLL_COLUMNS lists them; returns the
 * next column. */
static int read_toll(sqlite3_stmt *st, int c, sr_code_toll *t)
{
    t->value = sqlite3_column_type(st, c) == SQLITE_NULL ? -1 : sqlite3_column_int(st, c);
    t->at_least = sqlite3_column_int(st, c + 1) != 0;
    t->approximate = sqlite3_column_int(st, c + 2) != 0;
    t->who = sq_text(st, c + 3);
    t->aggregate = sqlite3_column_int(st, c + 4) != 0;
    t->historical = sqlite3_column_int(st, c + 5) != 0;
    return c + 6;
}

static void read_event(sqlite3_stmt *st, sr_store_event *e)
{
    int c = 0;
    e->id = sqlite3_column_int64(st, c++);
    e->seq = sqlite3_column_int64(st, c++);
    e->story_id = sqlite3_column_int64(st, c++);
    e->date = sqlite3_column_int64(st, c++);
    e->date_precision = sqlite3_column_int(st, c++);
    sr_store_actor *actors[2] = {&e->actor1, &e->actor2};
    for (int k = 0; k < 2; k++) {
        actors[k]->code = sq_text(st, c++);
        actors[k]->name = sq_text(st, c++);
        actors[k]->cc = sq_text(st, c++);
    }
    e->cameo = sq_text(st, c++);
    e->cameo_root = sq_text(st, c++);
    e->quad = sqlite3_column_int(st, c++);
    e->goldstein = sq_real(st, c++);
    e->acled_type = sq_text(st, c++);
    e->acled_subtype = sq_text(st, c++);
    e->place_name = sq_text(st, c++);
    e->place_kind = sq_text(st, c++);
    e->cc = sq_text(st, c++);
    e->admin1 = sq_text(st, c++);
    e->lat = sq_real(st, c++);
    e->lon = sq_real(st, c++);
    e->geonameid = sqlite3_column_int64(st, c++);
    e->geo_precision = sqlite3_column_int(st, c++);
    e->negated = sqlite3_column_int(st, c++) != 0;
    e->modality = sq_text(st, c++);
    e->article_id = sqlite3_column_int64(st, c++);
    e->sentence = sq_text(st, c++);
    e->sent_start = sqlite3_column_int(st, c++);
    e->sent_end = sqlite3_column_int(st, c++);
    e->num_articles = sqlite3_column_int(st, c++);
    e->source_url = sq_text(st, c++);
    e->added = sqlite3_column_int64(st, c++);
    e->updated = sqlite3_column_int64(st, c++);
    e->historical = sqlite3_column_int(st, c++) != 0;
    c = read_toll(st, c, &e->fatalities);
    c = read_toll(st, c, &e->injuries);
    e->breaking = sqlite3_column_int(st, c++) != 0;
}

static sr_err each_event(sr_sqlite *q, sqlite3_stmt *st, sr_store_event_fn fn, void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_event e;
        read_event(st, &e);
        if (fn(&e, ctx))
            break;
    }
    sr_err err = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "reading events");
    sqlite3_reset(st);
    return err;
}

/* A filtered query: its SQL text (which also keys the statement cache, so
 * each shape of filter is prepared once) and the values to bind in order. */
typedef struct query {
    sr_buf sql;
    int n;
    struct { char kind; int64_t i; double d; const char *s; } v[32];
    char cameo_glob[40], actor_glob[40];
    char *fts;
} query;

static void put_i(query *b, int64_t i) { b->v[b->n].kind = 'i'; b->v[b->n++].i = i; }
static void put_d(query *b, double d) { b->v[b->n].kind = 'd'; b->v[b->n++].d = d; }
static void put_s(query *b, const char *s) { b->v[b->n].kind = 's'; b->v[b->n++].s = s; }

/* How the rows are found: the R*Tree for a box, events_map_cell one
 * 1-degree cell at a time (its number bound first), or a scan newest
 * first with the box tested on events_map_time. */
enum plan { PLAN_RTREE, PLAN_CELL, PLAN_SCAN };
#define MAP_CELLS_MAX 64
#define MAP_PAGE_MAX 10000

static sr_err build(sr_sqlite *q, query *b, const char *select, const sr_store_filter *f, enum plan plan);
static int map_cells(const sr_store_filter *f, int64_t *cells);
static sr_err events_by_cells(sr_sqlite *q, const sr_store_filter *f, const int64_t *cells, int n_cells,
                              sr_store_event_fn fn, void *ctx);
static sr_err events_by_id(sr_sqlite *q, const int64_t (*ids)[2], size_t n, sr_store_event_fn fn, void *ctx);
static sqlite3_stmt *prepare(sr_sqlite *q, query *b);
static void query_free(query *b);

sr_err sq_events(sr_store *s, const sr_store_filter *f, sr_store_event_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    int64_t cells[MAP_CELLS_MAX];
    int n_cells = map_cells(f, cells);
    if (n_cells > 0)
        return events_by_cells(q, f, cells, n_cells, fn, ctx);
    query b;
    /* A box too wide for the cells is most of the map: the newest events
     * in time order are then mostly inside it (events_map_time). */
    sr_err rc = build(q, &b, "SELECT " EVENT_COLUMNS, f, n_cells < 0 && !f->q ? PLAN_SCAN : PLAN_RTREE);
    if (!rc && f->has_after) {
        sr_buf_puts(&b.sql, " AND (e.date, e.id) < (?, ?)");
        put_i(&b, f->after_date);
        put_i(&b, f->after_id);
    }
    sr_buf_puts(&b.sql, " ORDER BY e.date DESC, e.id DESC LIMIT ?");
    put_i(&b, f->limit > 0 ? f->limit : -1);
    sqlite3_stmt *st = rc ? NULL : prepare(q, &b);
    if (st)
        rc = each_event(q, st, fn, ctx);
    else if (!rc)
        rc = SR_EDB;
    query_free(&b);
    return rc;
}

/* ---- The map query: a box, a time window, a page. --------------------------
 *
 * The page asks for the newest events in a box. Through the R*Tree that
 * means reading every event of the box and window (thousands at a busy
 * place), each a random read of a wide row, to sort them and keep 200.
 * Instead each 1-degree cell of the box is read from events_map_cell
 * (cell, date, id, lat, lon) newest first, testing the exact box on the
 * index alone and stopping at a page; the pages of the cells are merged
 * here, and only the events of the final page are read in full. */

static int cmp_newest(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? 1 : -1;
    return x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0;
}

/* The cells of the box (schema step 4: floor(lat + 90) * 360 +
 * floor(lon + 180) mod 360), or 0 when the query is not one for them, or
 * -1 when the box covers more than MAP_CELLS_MAX. Full-text queries and
 * unpaged reads (export) go through the general plan. */
static int map_cells(const sr_store_filter *f, int64_t *cells)
{
    if (!f->has_bbox || f->q || f->limit <= 0 || f->limit > MAP_PAGE_MAX)
        return 0;
    int r0 = (int)(f->south + 90), r1 = (int)(f->north + 90);
    int c0 = (int)(f->west + 180), c1 = (int)(f->east + 180);
    if (f->west > f->east)
        c1 += 360;  /* across the antimeridian */
    long n = (long)(r1 - r0 + 1) * (c1 - c0 + 1);
    if (n > MAP_CELLS_MAX || c1 - c0 + 1 >= 360)
        return -1;
    int k = 0;
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
            cells[k++] = (int64_t)r * 360 + c % 360;
    return k;
}

static sr_err events_by_cells(sr_sqlite *q, const sr_store_filter *f, const int64_t *cells, int n_cells,
                              sr_store_event_fn fn, void *ctx)
{
    /* One read transaction for every cell and the page: one snapshot, and
     * the locks taken once instead of per statement. */
    bool own = !q->in_batch && sqlite3_get_autocommit(q->db);
    if (own && sqlite3_exec(q->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "starting a read");
    query b;
    sr_err rc = build(q, &b, "SELECT e.date, e.id", f, PLAN_CELL);
    if (!rc && f->has_after) {
        sr_buf_puts(&b.sql, " AND (e.date, e.id) < (?, ?)");
        put_i(&b, f->after_date);
        put_i(&b, f->after_id);
    }
    sr_buf_puts(&b.sql, " ORDER BY e.date DESC, e.id DESC LIMIT ?");
    put_i(&b, f->limit);
    sqlite3_stmt *st = rc ? NULL : prepare(q, &b);
    int64_t (*found)[2] = st ? malloc((size_t)n_cells * (size_t)f->limit * sizeof *found) : NULL;
    size_t n = 0;
    if (!rc && !found)
        rc = st ? sr_store_fail(&q->base, SR_ENOMEM, "out of memory") : SR_EDB;
    for (int i = 0; !rc && i < n_cells; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, cells[i]);
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            found[n][0] = sqlite3_column_int64(st, 0);
            found[n++][1] = sqlite3_column_int64(st, 1);
        }
        if (r != SQLITE_DONE)
            rc = sq_fail(q, "reading the map index");
    }
    if (st)
        sqlite3_reset(st);
    query_free(&b);
    if (!rc) {
        qsort(found, n, sizeof *found, cmp_newest);
        if (n > (size_t)f->limit)
            n = (size_t)f->limit;
        rc = events_by_id(q, found, n, fn, ctx);
    }
    free(found);
    if (own)
        sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

static sr_err events_by_id(sr_sqlite *q, const int64_t (*ids)[2], size_t n, sr_store_event_fn fn, void *ctx)
{
    sqlite3_stmt *st = sq_stmt(q, "SELECT " EVENT_COLUMNS " FROM events e WHERE e.id = ?1 /* page */");
    if (!st)
        return SR_EDB;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, ids[i][1]);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            sr_store_event e;
            read_event(st, &e);
            if (fn(&e, ctx))
                break;
        } else if (r != SQLITE_DONE) {
            sqlite3_reset(st);
            return sq_fail(q, "reading events");
        }
        sqlite3_reset(st);
    }
    return SR_OK;
}

sr_err sq_events_count(sr_store *s, const sr_store_filter *f, int64_t *count)
{
    sr_sqlite *q = SQ(s);
    query b;
    sr_err rc = build(q, &b, "SELECT count(*)", f, PLAN_RTREE);
    sqlite3_stmt *st = rc ? NULL : prepare(q, &b);
    if (st) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            *count = sqlite3_column_int64(st, 0);
        else
            rc = sq_fail(q, "counting events");
        sqlite3_reset(st);
    } else if (!rc) {
        rc = SR_EDB;
    }
    query_free(&b);
    return rc;
}

sr_err sq_stats(sr_store *s, const sr_store_filter *f, sr_store_stat_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    query b;
    /* Floor to the UTC day, also before 1970. */
    sr_err rc = build(q, &b, "SELECT e.date - ((e.date % 86400) + 86400) % 86400 AS day, e.acled_type, count(*)", f, PLAN_RTREE);
    sr_buf_puts(&b.sql, " GROUP BY day, e.acled_type ORDER BY day, e.acled_type");
    sqlite3_stmt *st = rc ? NULL : prepare(q, &b);
    if (st) {
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW)
            if (fn(sqlite3_column_int64(st, 0), sq_text(st, 1), sqlite3_column_int64(st, 2), ctx))
                break;
        if (r != SQLITE_ROW && r != SQLITE_DONE)
            rc = sq_fail(q, "counting events per day");
        sqlite3_reset(st);
    } else if (!rc) {
        rc = SR_EDB;
    }
    query_free(&b);
    return rc;
}

/* The map index narrows by place and time when there is a box; every
 * condition is then checked exactly on the event itself. Codes are matched
 * as prefixes with GLOB, which the indexes serve; sr_store_filter_check
 * has made sure they hold no wildcard. */
static sr_err build(sr_sqlite *q, query *b, const char *select, const sr_store_filter *f, enum plan plan)
{
    memset(b, 0, sizeof *b);
    sr_buf_init(&b->sql, 16384);
    sr_buf_puts(&b->sql, select);
    if (f->has_bbox && plan == PLAN_RTREE) {
        sr_buf_puts(&b->sql, " FROM events_geo g JOIN events e ON e.id = g.id WHERE g.min_lat <= ? AND g.max_lat >= ?");
        put_d(b, f->north);
        put_d(b, f->south);
        if (f->west <= f->east) {
            sr_buf_puts(&b->sql, " AND g.min_lon <= ? AND g.max_lon >= ?");
            put_d(b, f->east), put_d(b, f->west);
        }
        /* The map index counts time in days (sqlite_schema.c). */
        if (f->has_since) {
            sr_buf_puts(&b->sql, " AND g.max_t >= ?");
            put_d(b, (double)f->since / 86400.0);
        }
        if (f->has_until) {
            sr_buf_puts(&b->sql, " AND g.min_t <= ?");
            put_d(b, (double)f->until / 86400.0);
        }
    } else if (f->has_bbox && plan == PLAN_CELL) {
        sr_buf_puts(&b->sql, " FROM events e WHERE e.cell = ?");
        put_i(b, 0);
    } else if (f->has_bbox) {
        sr_buf_puts(&b->sql, " FROM events e INDEXED BY events_map_time WHERE 1");
    } else {
        sr_buf_puts(&b->sql, " FROM events e WHERE 1");
    }
    if (f->has_bbox) {  /* the exact test, on the event itself */
        sr_buf_puts(&b->sql, " AND e.lat BETWEEN ? AND ?");
        put_d(b, f->south), put_d(b, f->north);
        if (f->west <= f->east) {
            sr_buf_puts(&b->sql, " AND e.lon BETWEEN ? AND ?");
            put_d(b, f->west), put_d(b, f->east);
        } else {
            sr_buf_puts(&b->sql, " AND (e.lon >= ? OR e.lon <= ?)");
            put_d(b, f->west), put_d(b, f->east);
        }
    }
    if (f->has_since) {
        sr_buf_puts(&b->sql, " AND e.date >= ?");
        put_i(b, f->since);
    }
    if (f->has_until) {
        sr_buf_puts(&b->sql, " AND e.date < ?");
        put_i(b, f->until);
    }
    if (f->country) {
        sr_buf_puts(&b->sql, " AND e.cc = upper(?)");
        put_s(b, f->country);
    }
    if (f->admin1) {
        sr_buf_puts(&b->sql, " AND e.admin1 = ?");
        put_s(b, f->admin1);
    }
    if (f->cameo_root) {
        sr_buf_puts(&b->sql, " AND e.cameo_root = ?");
        put_s(b, f->cameo_root);
    }
    if (f->cameo) {
        snprintf(b->cameo_glob, sizeof b->cameo_glob, "%s*", f->cameo);
        sr_buf_puts(&b->sql, " AND e.cameo GLOB ?");
        put_s(b, b->cameo_glob);
    }
    if (f->acled_type) {
        sr_buf_puts(&b->sql, " AND e.acled_type = ?");
        put_s(b, f->acled_type);
    }
    if (f->acled_subtype) {
        sr_buf_puts(&b->sql, " AND e.acled_subtype = ?");
        put_s(b, f->acled_subtype);
    }
    if (f->actor) {
        snprintf(b->actor_glob, sizeof b->actor_glob, "%s*", f->actor);
        sr_buf_puts(&b->sql, " AND (e.actor1_code GLOB ? OR e.actor2_code GLOB ?)");
        put_s(b, b->actor_glob), put_s(b, b->actor_glob);
    }
    if (f->story_id) {
        sr_buf_puts(&b->sql, " AND e.story_id = ?");
        put_i(b, f->story_id);
    }
    if (f->min_fatalities > 0) {
        /* this event's dead only: not a count over a period, not history */
        sr_buf_puts(&b->sql, " AND e.fatalities >= ? AND e.fatalities_aggregate = 0"
                             " AND e.fatalities_historical = 0 AND e.historical = 0");
        put_i(b, f->min_fatalities);
    }
    if (f->q) {
        sr_err caught = sq_fts_catch_up(q);  /* articles of the open batch are searched too */
        if (caught)
            return caught;
        b->fts = sq_fts_query(f->q);
        /* Nothing to search for matches nothing, as a search box would. */
        sr_buf_puts(&b->sql, b->fts ? " AND e.id IN (SELECT ea.event_id FROM event_articles ea WHERE ea.article_id IN"
                                      " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
                                    : " AND 0");
        if (b->fts)
            put_s(b, b->fts);
    }
    if (b->sql.failed)
        return sr_store_fail(&q->base, SR_ENOMEM, "query too long");
    return SR_OK;
}

static sqlite3_stmt *prepare(sr_sqlite *q, query *b)
{
    sqlite3_stmt *st = sq_stmt(q, b->sql.data);
    if (!st)
        return NULL;
    for (int i = 0; i < b->n; i++) {
        if (b->v[i].kind == 'i')
            sqlite3_bind_int64(st, i + 1, b->v[i].i);
        else if (b->v[i].kind == 'd')
            sqlite3_bind_double(st, i + 1, b->v[i].d);
        else
            sqlite3_bind_text(st, i + 1, b->v[i].s, -1, SQLITE_TRANSIENT);
    }
    return st;
}

static void query_free(query *b)
{
    sr_buf_free(&b->sql);
    free(b->fts);
}

/* ---- One event, changes, sequence. ---------------------------------------- */

sr_err sq_event_get(sr_store *s, int64_t id, sr_store_event_fn event_fn,
                    sr_store_support_fn support_fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT " EVENT_COLUMNS " FROM events e WHERE e.id = ?");
    if (!st)
        return SR_EDB;
    sr_err found = sq_step_id(q, st, id, "event");
    if (found)
        return found;
    sr_store_event e;
    read_event(st, &e);
    if (event_fn)
        event_fn(&e, ctx);
    sqlite3_reset(st);
    if (!support_fn)
        return SR_OK;
    st = sq_stmt(q, "SELECT " ARTICLE_COLUMNS ", ea.sentence, ea.sent_start, ea.sent_end"
                    " FROM event_articles ea JOIN articles a ON a.id = ea.article_id"
                    " WHERE ea.event_id = ? ORDER BY ea.added, a.id");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_support sup = {0};
        sq_read_article(st, 0, &sup.article);
        sup.sentence = sq_text(st, 15);
        sup.sent_start = sqlite3_column_int(st, 16);
        sup.sent_end = sqlite3_column_int(st, 17);
        if (support_fn(&sup, ctx))
            break;
    }
    sr_err err = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "reading an event's articles");
    sqlite3_reset(st);
    return err;
}

sr_err sq_events_changed(sr_store *s, int64_t after_seq, int limit, sr_store_event_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT " EVENT_COLUMNS " FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, after_seq);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
    return each_event(q, st, fn, ctx);
}

sr_err sq_last_seq(sr_store *s, int64_t *seq)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT coalesce(max(seq), 0) FROM events");
    if (!st)
        return SR_EDB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? SR_OK : sq_fail(q, "reading the change sequence");
}
