/* A toll that counts a period or a past battle is kept with its event but
 * is not this event's dead: min_fatalities leaves it out, in SQL and in the
 * live filter alike. Each toll is kept whole (value, "at least", "about",
 * who, period, past), written out as `sitrep code` writes it, and a store
 * of schema 8 keeps its tolls when it is migrated. */
#include <jansson.h>
#include <sqlite3.h>
#include "store_testutil.h"
#include "sitrep/util.h"
#include "store/sqlite_int.h"

static int64_t add_event(sr_store *s, int64_t article, int dead, bool aggregate, bool historical)
{
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = article;
    e.date = 1700000000;
    e.cameo = "190";
    e.fatalities.value = dead;
    e.fatalities.aggregate = aggregate;
    e.historical = historical;
    e.sentence = "Fighters attacked the town.";
    int64_t id = 0;
    cr_assert_eq(sr_store_event_add(s, &e, &id), SR_OK, "%s", sr_store_errmsg(s));
    return id;
}

static int collect(const sr_store_event *e, void *ctx)
{
    int64_t *ids = ctx;
    ids[ids[0] + 1] = e->id;
    ids[0]++;
    cr_assert(ids[0] < 8);
    return 0;
}

Test(store_tolls, min_fatalities_ignores_aggregate_and_historical_figures)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t art = add_article(s, 1, "t", "text", 0);
    int64_t news = add_event(s, art, 12, false, false);
    int64_t period = add_event(s, art, 8000, true, false);
    int64_t past = add_event(s, art, 1300, false, true);
    sr_store_filter f = {.min_fatalities = 5};
    int64_t ids[9] = {0};
    cr_assert_eq(sr_store_events(s, &f, collect, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], news);
    /* without the minimum every event is there, with its flags */
    sr_store_filter all = {0};
    int64_t every[9] = {0};
    cr_assert_eq(sr_store_events(s, &all, collect, every), SR_OK);
    cr_assert_eq(every[0], 3);
    cr_assert(period && past);
    sr_store_close(s);
    remove_store(path);
}

static int flags_of(const sr_store_event *e, void *ctx)
{
    int *out = ctx;
    out[0] = e->fatalities.value;
    out[1] = e->fatalities.aggregate;
    return 0;
}

Test(store_tolls, aggregate_flag_is_stored)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t art = add_article(s, 1, "t", "text", 0);
    add_event(s, art, 8000, true, false);
    sr_store_filter all = {0};
    int got[2] = {-1, -1};
    cr_assert_eq(sr_store_events(s, &all, flags_of, got), SR_OK);
    cr_assert_eq(got[0], 8000);
    cr_assert_eq(got[1], 1);
    sr_store_close(s);
    remove_store(path);
}

Test(store_tolls, live_filter_agrees)
{
    sr_store_filter f = {.min_fatalities = 5};
    sr_store_event e;
    sr_store_event_init(&e);
    e.fatalities.value = 12;
    cr_assert(sr_store_event_matches(&f, &e));
    e.fatalities.aggregate = true;
    cr_assert(!sr_store_event_matches(&f, &e));
    e.fatalities.aggregate = false;
    e.historical = true;
    cr_assert(!sr_store_event_matches(&f, &e));
    e.historical = false;
    e.fatalities.historical = true;  /* "the lives of 1,300 soldiers" in 2004 */
    cr_assert(!sr_store_event_matches(&f, &e));
}

Test(store_tolls, min_fatalities_ignores_a_past_battles_figure_in_sql)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t art = add_article(s, 1, "t", "text", 0);
    int64_t news = add_event(s, art, 12, false, false);
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = art;
    e.date = 1700000000;
    e.cameo = "190";
    e.fatalities.value = 1300;
    e.fatalities.historical = true;
    int64_t past = 0;
    cr_assert_eq(sr_store_event_add(s, &e, &past), SR_OK, "%s", sr_store_errmsg(s));
    sr_store_filter f = {.min_fatalities = 5};
    int64_t ids[9] = {0};
    cr_assert_eq(sr_store_events(s, &f, collect, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], news);
    sr_store_close(s);
    remove_store(path);
}

/* ---- each toll whole --------------------------------------------------------- */

/* The event as the store writes it out, parsed back. */
static int json_of(const sr_store_event *e, void *ctx)
{
    sr_buf b;
    sr_buf_init(&b, 1u << 20);
    sr_json j;
    sr_json_init(&j, &b);
    sr_store_event_json(&j, e);
    json_error_t err;
    *(json_t **)ctx = json_loadb(b.data, b.len, 0, &err);
    sr_buf_free(&b);
    return 0;
}

static void assert_toll(json_t *t, int value, bool at_least, bool approximate, const char *who, bool aggregate,
                        bool historical)
{
    cr_assert(json_is_object(t));
    cr_assert_eq(json_integer_value(json_object_get(t, "value")), value);
    cr_assert_eq(json_is_true(json_object_get(t, "at_least")), at_least);
    cr_assert_eq(json_is_true(json_object_get(t, "approximate")), approximate);
    cr_assert_str_eq(json_string_value(json_object_get(t, "who")), who);
    cr_assert_eq(json_is_true(json_object_get(t, "aggregate")), aggregate);
    cr_assert_eq(json_is_true(json_object_get(t, "historical")), historical);
}

Test(store_tolls, each_toll_is_stored_and_written_whole)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t art = add_article(s, 1, "t", "text", 0);
    sr_store_event e = toll_event(art);
    int64_t id = 0;
    cr_assert_eq(sr_store_event_add(s, &e, &id), SR_OK, "%s", sr_store_errmsg(s));
    json_t *ev = NULL;
    cr_assert_eq(sr_store_event_get(s, id, json_of, NULL, &ev), SR_OK);
    cr_assert_not_null(ev);
    assert_toll(json_object_get(ev, "fatalities"), 30, false, true, "soldiers", true, false);
    assert_toll(json_object_get(ev, "injuries"), 12, true, false, "civilians", false, true);
    json_decref(ev);
    sr_store_close(s);
    remove_store(path);
}

Test(store_tolls, a_larger_figure_merged_in_brings_its_details)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t art1 = add_article(s, 1, "t", "text one", 0), art2 = add_article(s, 2, "t", "text two", 0);
    int64_t story = 0;
    cr_assert_eq(sr_store_story_add(s, "t", 0, &story), SR_OK);
    sr_store_event first = toll_event(art1);
    first.story_id = story;
    int64_t id = 0, id2 = 0;
    bool merged = false;
    cr_assert_eq(sr_store_event_merge(s, &first, 2, &id, &merged), SR_OK, "%s", sr_store_errmsg(s));
    /* a later report: more dead, told plainly; no wounded figure */
    sr_store_event later = first;
    later.article_id = art2;
    later.fatalities.value = 41;
    later.fatalities.approximate = false;
    later.fatalities.at_least = true;
    later.fatalities.who = "people";
    later.fatalities.aggregate = false;
    later.injuries.value = -1;
    later.injuries.at_least = false;
    later.injuries.who = NULL;
    later.injuries.historical = false;
    cr_assert_eq(sr_store_event_merge(s, &later, 2, &id2, &merged), SR_OK, "%s", sr_store_errmsg(s));
    cr_assert(merged);
    cr_assert_eq(id2, id);
    json_t *ev = NULL;
    cr_assert_eq(sr_store_event_get(s, id, json_of, NULL, &ev), SR_OK);
    assert_toll(json_object_get(ev, "fatalities"), 41, true, false, "people", false, false);
    assert_toll(json_object_get(ev, "injuries"), 12, true, false, "civilians", false, true);
    json_decref(ev);
    sr_store_close(s);
    remove_store(path);
}

/* ---- a store of schema 8 ------------------------------------------------------ */

static int count_rows(void *ctx, int n, char **v, char **names)
{
    (void)n, (void)v, (void)names;
    ++*(int *)ctx;
    return 0;
}

static int json_by_id(const sr_store_event *e, void *ctx)
{
    json_t **out = ctx;
    return json_of(e, &out[e->id - 1]);
}

Test(store_tolls, a_version_8_store_keeps_its_tolls_when_migrated)
{
    char *path = tmp_store_path();
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    char err[256] = "";
    cr_assert_eq(sr_sqlite_migrate(db, 8, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(sr_sqlite_version_of(db), 8);
    /* rows as sitrep wrote them at schema 8: the news of the day, and a
     * count over a period whose one flag covered both of its figures */
    cr_assert_eq(sqlite3_exec(db,
        "INSERT INTO articles(id, url, text, content_hash, fetched) VALUES (1, 'https://old.example/1', 'x', 'h1', 1);"
        "INSERT INTO events(id, seq, date, cameo, fatalities, fatalities_at_least, fatalities_who, injuries,"
        "  article_id, added, updated, fatalities_aggregate)"
        "  VALUES (1, 1, 1700000000, '190', 12, 1, 'civilians', 4, 1, 1, 1, 0),"
        "         (2, 2, 1700000000, '190', 8000, 0, 'civilians', 300, 1, 1, 1, 1);",
        NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);

    sr_store *s = open_store(path);
    cr_assert_eq(sr_store_schema_version(s), 9);
    sr_store_filter all = {0};
    json_t *ev[2] = {NULL, NULL};
    cr_assert_eq(sr_store_events(s, &all, json_by_id, ev), SR_OK);
    cr_assert(ev[0] && ev[1], "both rows are kept");
    assert_toll(json_object_get(ev[0], "fatalities"), 12, true, false, "civilians", false, false);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(ev[0], "injuries"), "value")), 4);
    cr_assert(!json_is_true(json_object_get(json_object_get(ev[0], "injuries"), "aggregate")));
    assert_toll(json_object_get(ev[1], "fatalities"), 8000, false, false, "civilians", true, false);
    cr_assert(json_is_true(json_object_get(json_object_get(ev[1], "injuries"), "aggregate")));
    json_decref(ev[0]);
    json_decref(ev[1]);
    /* the period's figure still stays out of min_fatalities */
    sr_store_filter f = {.min_fatalities = 5};
    int64_t ids[9] = {0};
    cr_assert_eq(sr_store_events(s, &f, collect, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], 1);
    sr_store_close(s);
    /* the new columns are there for SQL readers */
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    int rows = 0;
    cr_assert_eq(sqlite3_exec(db, "SELECT injuries_who, injuries_at_least, fatalities_historical FROM events",
                              count_rows, &rows, NULL), SQLITE_OK);
    cr_assert_eq(rows, 2);
    sqlite3_close(db);
    remove_store(path);
}
