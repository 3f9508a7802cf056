/* A toll that counts a period or a past battle is kept with its event but
 * is not this event's dead: min_fatalities leaves it out, in SQL and in the
 * live filter alike. */
#include "store_testutil.h"

static int64_t add_event(sr_store *s, int64_t article, int dead, bool aggregate, bool historical)
{
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = article;
    e.date = 1700000000;
    e.cameo = "190";
    e.fatalities = dead;
    e.fatalities_aggregate = aggregate;
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
    out[0] = e->fatalities;
    out[1] = e->fatalities_aggregate;
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
    e.fatalities = 12;
    cr_assert(sr_store_event_matches(&f, &e));
    e.fatalities_aggregate = true;
    cr_assert(!sr_store_event_matches(&f, &e));
    e.fatalities_aggregate = false;
    e.historical = true;
    cr_assert(!sr_store_event_matches(&f, &e));
}
