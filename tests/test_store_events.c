/* Events in the store: every filter, alone and combined, returns exactly
 * what a plain scan of the same events would, in order, across pages;
 * merging, the change sequence and the per-day counts. */
#include <math.h>
#include "store_testutil.h"

#define N_EVENTS 3000

static const char *const countries[] = {"IQ", "SY", "UA", "NG", "FJ"};
static const char *const admin1s[] = {"01", "02", "03"};
static const char *const cameos[] = {"190", "193", "1823", "0211", "141", "145"};
static const char *const types[] = {"Battles", "Protests", "Riots", "Explosions/Remote violence", NULL};
static const char *const subtypes[] = {"Armed clash", "Peaceful protest", "Mob violence", "Air/drone strike"};
static const char *const actors[] = {"IRQMIL", "IRQGOV", "SYRREB", "UKRMIL", "USAGOV", NULL};
static const char *const words[] = {"ceasefire", "airstrike", "protest", "election"};

typedef struct truth {
    int64_t id, date;
    double lat, lon;
    int cc, admin1, cameo, type, subtype, actor1, actor2, fatalities, word;
} truth;

static truth events[N_EVENTS];
static char *path;
static sr_store *store;
static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static int pick(int n) { return (int)(next() % (uint64_t)n); }
static double uniform(double lo, double hi) { return lo + (hi - lo) * (double)(next() % 1000001) / 1e6; }

#define LEN(a) ((int)(sizeof a / sizeof a[0]))

static void fill_store(void)
{
    path = tmp_store_path();
    store = open_store(path);
    cr_assert_eq(sr_store_begin(store), SR_OK);
    for (int i = 0; i < N_EVENTS; i++) {
        truth *t = &events[i];
        t->word = pick(LEN(words));
        char text[128];
        snprintf(text, sizeof text, "Reports of %s near the town, officials said.", words[t->word]);
        int64_t art = add_article(store, i, "report", text, 0);
        /* Few distinct days, so many events share a date and the cursor
         * must order by id within a date. */
        t->date = 1700000000 + (int64_t)pick(90) * 3600 * 8;
        bool located = pick(5) != 0;
        t->lat = located ? uniform(-60, 70) : NAN;
        t->lon = located ? (pick(6) == 0 ? uniform(170, 180) * (pick(2) ? 1 : -1) : uniform(-180, 180)) : NAN;
        t->cc = pick(LEN(countries));
        t->admin1 = pick(LEN(admin1s));
        t->cameo = pick(LEN(cameos));
        t->type = pick(LEN(types));
        t->subtype = pick(LEN(subtypes));
        t->actor1 = pick(LEN(actors));
        t->actor2 = pick(LEN(actors));
        t->fatalities = pick(4) == 0 ? -1 : pick(50);
        sr_store_event e;
        sr_store_event_init(&e);
        e.article_id = art;
        e.date = t->date;
        e.lat = t->lat, e.lon = t->lon;
        e.cc = countries[t->cc];
        e.admin1 = admin1s[t->admin1];
        e.cameo = cameos[t->cameo];
        e.acled_type = types[t->type];
        e.acled_subtype = subtypes[t->subtype];
        e.actor1.code = actors[t->actor1];
        e.actor2.code = actors[t->actor2];
        e.fatalities.value = t->fatalities;
        cr_assert_eq(sr_store_event_add(store, &e, &t->id), SR_OK, "%s", sr_store_errmsg(store));
    }
    cr_assert_eq(sr_store_commit(store), SR_OK);
}

static void drop_store(void)
{
    sr_store_close(store);
    remove_store(path);
}

static bool prefix(const char *code, const char *p)
{
    return code && strncmp(code, p, strlen(p)) == 0;
}

static bool matches(const truth *t, const sr_store_filter *f)
{
    if (f->has_since && t->date < f->since)
        return false;
    if (f->has_until && t->date >= f->until)
        return false;
    if (f->has_bbox) {
        if (isnan(t->lat) || t->lat < f->south || t->lat > f->north)
            return false;
        bool in_lon = f->west <= f->east ? t->lon >= f->west && t->lon <= f->east
                                         : t->lon >= f->west || t->lon <= f->east;
        if (!in_lon)
            return false;
    }
    if (f->country && strcasecmp(f->country, countries[t->cc]))
        return false;
    if (f->admin1 && strcmp(f->admin1, admin1s[t->admin1]))
        return false;
    if (f->cameo_root && strncmp(f->cameo_root, cameos[t->cameo], 2) | (strlen(f->cameo_root) != 2))
        return false;
    if (f->cameo && !prefix(cameos[t->cameo], f->cameo))
        return false;
    if (f->acled_type && !(types[t->type] && strcmp(f->acled_type, types[t->type]) == 0))
        return false;
    if (f->acled_subtype && strcmp(f->acled_subtype, subtypes[t->subtype]))
        return false;
    if (f->actor && !prefix(actors[t->actor1], f->actor) && !prefix(actors[t->actor2], f->actor))
        return false;
    if (f->min_fatalities > 0 && t->fatalities < f->min_fatalities)
        return false;
    if (f->q && strcmp(f->q, words[t->word]))
        return false;
    return true;
}

static int by_date_then_id_desc(const void *a, const void *b)
{
    const truth *x = *(truth *const *)a, *y = *(truth *const *)b;
    if (x->date != y->date)
        return x->date < y->date ? 1 : -1;
    return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

typedef struct page {
    int64_t ids[N_EVENTS + 1];
    int n;
    int64_t last_date, last_id;
} page;

static int collect(const sr_store_event *e, void *ctx)
{
    page *p = ctx;
    p->ids[p->n++] = e->id;
    p->last_date = e->date;
    p->last_id = e->id;
    return 0;
}

static void random_filter(sr_store_filter *f)
{
    memset(f, 0, sizeof *f);
    if (pick(3) == 0) {
        f->has_since = true;
        f->since = 1700000000 + (int64_t)pick(90) * 3600 * 8;
    }
    if (pick(3) == 0) {
        f->has_until = true;
        f->until = (f->has_since ? f->since + 1 : 1700000000) + (int64_t)pick(60) * 3600 * 8;
    }
    if (pick(2) == 0) {
        f->has_bbox = true;
        f->south = uniform(-70, 60);
        f->north = f->south + uniform(0, 60);
        if (f->north > 90)
            f->north = 90;
        f->west = uniform(-180, 170);
        f->east = pick(5) == 0 ? uniform(-180, f->west) : f->west + uniform(0, 180 - f->west);
    }
    if (pick(6) == 0)
        f->country = pick(2) ? countries[pick(LEN(countries))] : "iq";
    if (pick(8) == 0)
        f->admin1 = admin1s[pick(LEN(admin1s))];
    if (pick(8) == 0)
        f->cameo_root = pick(2) ? "19" : "14";
    if (pick(8) == 0)
        f->cameo = pick(2) ? cameos[pick(LEN(cameos))] : "18";
    if (pick(6) == 0)
        f->acled_type = types[pick(LEN(types) - 1)];
    if (pick(8) == 0)
        f->acled_subtype = subtypes[pick(LEN(subtypes))];
    if (pick(6) == 0)
        f->actor = pick(2) ? "IRQ" : actors[pick(LEN(actors) - 1)];
    if (pick(6) == 0)
        f->min_fatalities = 1 + pick(40);
    if (pick(6) == 0)
        f->q = words[pick(LEN(words))];
}

static truth *expected[N_EVENTS];

static int expect(const sr_store_filter *f)
{
    int n = 0;
    for (int i = 0; i < N_EVENTS; i++)
        if (matches(&events[i], f))
            expected[n++] = &events[i];
    qsort(expected, n, sizeof expected[0], by_date_then_id_desc);
    return n;
}

Test(store_events, every_filter_returns_what_a_scan_returns_in_order_across_pages,
     .init = fill_store, .fini = drop_store, .timeout = 300)
{
    static page all, paged;
    int nonempty = 0;
    for (int round = 0; round < 400; round++) {
        sr_store_filter f;
        random_filter(&f);
        int n = expect(&f);
        nonempty += n > 0;
        all.n = 0;
        cr_assert_eq(sr_store_events(store, &f, collect, &all), SR_OK, "%s", sr_store_errmsg(store));
        cr_assert_eq(all.n, n, "round %d: %d events, a scan finds %d", round, all.n, n);
        for (int i = 0; i < n; i++)
            cr_assert_eq(all.ids[i], expected[i]->id, "round %d, position %d", round, i);
        int64_t count = -1;
        cr_assert_eq(sr_store_events_count(store, &f, &count), SR_OK);
        cr_assert_eq(count, n);
        /* The same through about ten pages (at least 7 a page) with the
         * keyset cursor. */
        paged.n = 0;
        f.limit = n > 70 ? n / 9 + 1 : 7;
        for (int pages = 0;; pages++) {
            int before = paged.n;
            cr_assert_eq(sr_store_events(store, &f, collect, &paged), SR_OK);
            cr_assert_leq(paged.n - before, f.limit);
            if (paged.n == before)
                break;
            f.has_after = true;
            f.after_date = paged.last_date;
            f.after_id = paged.last_id;
            cr_assert_lt(pages, N_EVENTS);
        }
        cr_assert_eq(paged.n, n, "round %d: pages gave %d of %d", round, paged.n, n);
        cr_assert_eq(memcmp(paged.ids, all.ids, n * sizeof all.ids[0]), 0);
    }
    cr_assert_gt(nonempty, 200, "the random filters should mostly select something");
}

/* A map view: a small box around an event (often across the antimeridian)
 * and a page, the query the map index's cells answer; other filters
 * sometimes. The pages must be what a scan gives, in order. */
Test(store_events, map_views_of_small_boxes_return_what_a_scan_returns_across_pages,
     .init = fill_store, .fini = drop_store, .timeout = 300)
{
    static page paged;
    int nonempty = 0, crossing = 0;
    for (int round = 0; round < 400; round++) {
        sr_store_filter f;
        random_filter(&f);
        if (pick(3))  /* mostly the view alone, as the page asks */
            memset(&f, 0, sizeof f);
        f.q = NULL;
        const truth *at = &events[pick(N_EVENTS)];
        if (isnan(at->lat))
            continue;
        double d = uniform(0.2, 4);
        f.has_bbox = true;
        f.south = fmax(-90, at->lat - d), f.north = fmin(90, at->lat + d * uniform(0.5, 1.5));
        f.west = at->lon - d, f.east = at->lon + d;
        if (f.west < -180)
            f.west += 360;
        if (f.east > 180)
            f.east -= 360;
        crossing += f.west > f.east;
        int n = expect(&f);
        nonempty += n > 0;
        f.limit = 1 + pick(6);
        paged.n = 0;
        for (int pages = 0;; pages++) {
            int before = paged.n;
            cr_assert_eq(sr_store_events(store, &f, collect, &paged), SR_OK, "%s", sr_store_errmsg(store));
            cr_assert_leq(paged.n - before, f.limit);
            if (paged.n == before)
                break;
            f.has_after = true;
            f.after_date = paged.last_date;
            f.after_id = paged.last_id;
            cr_assert_lt(pages, N_EVENTS);
        }
        cr_assert_eq(paged.n, n, "round %d: pages gave %d of %d", round, paged.n, n);
        for (int i = 0; i < n; i++)
            cr_assert_eq(paged.ids[i], expected[i]->id, "round %d, position %d", round, i);
    }
    cr_assert_gt(nonempty, 200, "boxes around events should mostly hold some (%d did)", nonempty);
    cr_assert_gt(crossing, 10, "some boxes should cross the antimeridian");
}

typedef struct day_type { int64_t day; char type[40]; int64_t count; } day_type;
typedef struct stats { day_type rows[2000]; int n; } stats;

static int collect_stats(int64_t day, const char *type, int64_t count, void *ctx)
{
    stats *s = ctx;
    day_type *r = &s->rows[s->n++];
    r->day = day;
    snprintf(r->type, sizeof r->type, "%s", type ? type : "");
    r->count = count;
    return 0;
}

Test(store_events, counts_per_day_and_type_add_up_to_a_scan, .init = fill_store, .fini = drop_store)
{
    static stats st;
    sr_store_filter f = {.country = "IQ"};
    cr_assert_eq(sr_store_stats(store, &f, collect_stats, &st), SR_OK);
    int64_t total = 0;
    for (int i = 0; i < st.n; i++) {
        cr_assert_eq(st.rows[i].day % 86400, 0);
        int64_t want = 0;
        for (int k = 0; k < N_EVENTS; k++) {
            const truth *t = &events[k];
            const char *type = types[t->type] ? types[t->type] : "";
            if (t->cc == 0 && t->date - t->date % 86400 == st.rows[i].day && strcmp(type, st.rows[i].type) == 0)
                want++;
        }
        cr_assert_eq(st.rows[i].count, want, "day %lld type %s", (long long)st.rows[i].day, st.rows[i].type);
        if (i > 0)
            cr_assert(st.rows[i - 1].day <= st.rows[i].day);
        total += st.rows[i].count;
    }
    int64_t count = 0;
    cr_assert_eq(sr_store_events_count(store, &f, &count), SR_OK);
    cr_assert_eq(total, count);
}

Test(store_events, bad_filters_are_refused_with_a_reason, .init = fill_store, .fini = drop_store)
{
    sr_store_filter f = {.has_bbox = true, .west = 10, .south = 50, .east = 20, .north = 40};
    page p = {.n = 0};
    cr_assert_eq(sr_store_events(store, &f, collect, &p), SR_EINVAL);
    cr_assert(strstr(sr_store_errmsg(store), "bbox"));
    sr_store_filter g = {.actor = "IRQ*"};
    cr_assert_eq(sr_store_events(store, &g, collect, &p), SR_EINVAL);
    cr_assert(strstr(sr_store_errmsg(store), "actor"));
    sr_store_filter h = {.q = "\" ( * AND OR"};
    cr_assert_eq(sr_store_events(store, &h, collect, &p), SR_OK, "%s", sr_store_errmsg(store));
    cr_assert_eq(p.n, 0);
}

/* ---- Merging the reports of one story. ------------------------------------ */

static sr_store_event battle(int64_t story, int64_t article, int64_t date, int fatalities)
{
    sr_store_event e;
    sr_store_event_init(&e);
    e.story_id = story;
    e.article_id = article;
    e.date = date;
    e.acled_type = "Battles";
    e.cameo = "190";
    e.actor1.code = "IRQMIL";
    e.actor2.code = "IRQREB";
    e.place_name = "Fallujah";
    e.cc = "IQ";
    e.geonameid = 98463;
    e.lat = 33.35, e.lon = 43.78;
    e.fatalities.value = fatalities;
    e.sentence = "The Iraqi army went on the attack in Fallujah.";
    return e;
}

typedef struct support_list {
    int64_t ids[8];
    int n;
    int fatalities, num_articles;
    bool at_least;
    char who[32];
} support_list;

static int on_event(const sr_store_event *e, void *ctx)
{
    support_list *l = ctx;
    l->fatalities = e->fatalities.value;
    l->at_least = e->fatalities.at_least;
    snprintf(l->who, sizeof l->who, "%s", e->fatalities.who ? e->fatalities.who : "");
    l->num_articles = e->num_articles;
    return 0;
}

static int on_support(const sr_store_support *sup, void *ctx)
{
    support_list *l = ctx;
    l->ids[l->n++] = sup->article.id;
    return 0;
}

Test(store_events, reports_of_one_story_merge_into_one_event_listing_every_article)
{
    path = tmp_store_path();
    store = open_store(path);
    int64_t story = 0, other_story = 0;
    cr_assert_eq(sr_store_story_add(store, "Fallujah falls", 0, &story), SR_OK);
    cr_assert_eq(sr_store_story_add(store, "Elsewhere", 0, &other_story), SR_OK);
    int64_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = add_article(store, i, "Fallujah", "The Iraqi army went on the attack in Fallujah.", 0);
    int64_t day = 1388880000;
    int64_t first = 0, id = 0, seq0 = 0, seq1 = 0;
    bool merged = true;
    sr_store_event e = battle(story, a[0], day, 10);
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &first, &merged), SR_OK);
    cr_assert_not(merged);
    cr_assert_eq(sr_store_last_seq(store, &seq0), SR_OK);

    e = battle(story, a[1], day + 86400, 14);                 /* next day, higher toll */
    e.fatalities.at_least = true;
    e.fatalities.who = "civilians";
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &id, &merged), SR_OK);
    cr_assert(merged);
    cr_assert_eq(id, first);
    cr_assert_eq(sr_store_last_seq(store, &seq1), SR_OK);
    cr_assert_gt(seq1, seq0, "a merge is a change streams must see");

    e = battle(story, a[1], day, 30);                          /* same article again */
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &id, &merged), SR_OK);
    cr_assert_not(merged);
    cr_assert_eq(id, first);

    e = battle(story, a[2], day, -1);                          /* toll not stated */
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &id, &merged), SR_OK);
    cr_assert(merged);

    e = battle(story, a[3], day + 10 * 86400, 5);              /* outside the window */
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &id, &merged), SR_OK);
    cr_assert_not(merged);
    cr_assert_neq(id, first);

    e = battle(story, a[4], day, 5);
    e.actor2.code = "IRQGOV";                                  /* other actors */
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &id, &merged), SR_OK);
    cr_assert_not(merged);

    e = battle(other_story, a[5], day, 5);                     /* other story */
    cr_assert_eq(sr_store_event_merge(store, &e, 2, &id, &merged), SR_OK);
    cr_assert_not(merged);

    support_list l = {.n = 0};
    cr_assert_eq(sr_store_event_get(store, first, on_event, on_support, &l), SR_OK);
    cr_assert_eq(l.n, 3);
    cr_assert_eq(l.num_articles, 3);
    cr_assert_eq(l.fatalities, 14);
    cr_assert(l.at_least, "the larger toll comes with its own wording");
    cr_assert_str_eq(l.who, "civilians");
    int64_t want[] = {a[0], a[1], a[2]};
    for (int i = 0; i < 3; i++) {
        bool seen = false;
        for (int k = 0; k < 3; k++)
            seen |= l.ids[k] == want[i];
        cr_assert(seen, "article %lld supports the event", (long long)want[i]);
    }
    int64_t n = 0;
    sr_store_filter all = {0};
    cr_assert_eq(sr_store_events_count(store, &all, &n), SR_OK);
    cr_assert_eq(n, 4);
    cr_assert_eq(sr_store_event_get(store, 999999, on_event, NULL, &l), SR_ENOTFOUND);
    drop_store();
}

static int collect_seq(const sr_store_event *e, void *ctx)
{
    page *p = ctx;
    p->ids[p->n++] = e->id;
    p->last_id = e->seq;
    return 0;
}

Test(store_events, changes_since_a_sequence_replay_new_and_updated_events_in_order)
{
    path = tmp_store_path();
    store = open_store(path);
    int64_t story = 0, a[3], e1 = 0, e2 = 0, mark = 0;
    cr_assert_eq(sr_store_story_add(store, "s", 0, &story), SR_OK);
    for (int i = 0; i < 3; i++)
        a[i] = add_article(store, i, "t", "x", 0);
    sr_store_event e = battle(story, a[0], 1388880000, 1);
    cr_assert_eq(sr_store_event_add(store, &e, &e1), SR_OK);
    cr_assert_eq(sr_store_last_seq(store, &mark), SR_OK);
    e = battle(0, a[1], 1388880000, 1);
    cr_assert_eq(sr_store_event_add(store, &e, &e2), SR_OK);
    e = battle(story, a[2], 1388880000, 3);
    bool merged = false;
    cr_assert_eq(sr_store_event_merge(store, &e, 1, NULL, &merged), SR_OK);
    cr_assert(merged);
    static page p;
    p.n = 0;
    cr_assert_eq(sr_store_events_changed(store, mark, 0, collect_seq, &p), SR_OK);
    cr_assert_eq(p.n, 2);
    cr_assert_eq(p.ids[0], e2);
    cr_assert_eq(p.ids[1], e1, "the merged event comes again, after the new one");
    int64_t last = 0;
    cr_assert_eq(sr_store_last_seq(store, &last), SR_OK);
    cr_assert_eq(p.last_id, last);
    p.n = 0;
    cr_assert_eq(sr_store_events_changed(store, last, 0, collect_seq, &p), SR_OK);
    cr_assert_eq(p.n, 0);
    drop_store();
}

static int last_event(const sr_store_event *e, void *ctx)
{
    *(sr_store_event *)ctx = *e;
    return 0;
}

/* Flagging a story breaking changes what its events say, so they get a new
 * change sequence (streams replay them); the breaking alert is a delivery
 * of its own beside the event's, each queued once. */
Test(store_events, a_breaking_story_changes_its_events_and_has_its_own_alert)
{
    char *p = tmp_store_path();
    sr_store *s = open_store(p);
    int64_t story = 0, ev = 0, sub = 0, seq = 0;
    cr_assert_eq(sr_store_story_add(s, "clashes", 0, &story), SR_OK);
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = add_article(s, 1, "t", "x", 0);
    e.story_id = story;
    cr_assert_eq(sr_store_event_add(s, &e, &ev), SR_OK);
    cr_assert_eq(sr_store_last_seq(s, &seq), SR_OK);
    bool changed = false;
    cr_assert_eq(sr_store_story_set_breaking(s, story, &changed), SR_OK);
    cr_assert(changed);
    sr_store_event got = {0};
    cr_assert_eq(sr_store_events_changed(s, seq, 0, last_event, &got), SR_OK);
    cr_assert_eq(got.id, ev, "the story's event is not among the changes");
    cr_assert(got.breaking);
    cr_assert_eq(sr_store_story_set_breaking(s, story, &changed), SR_OK);
    cr_assert_not(changed);

    sr_store_subscription sb = {.channel = "webhook", .endpoint = "https://hooks.example/a", .keys = "{}",
                                .filter = "{}"};
    cr_assert_eq(sr_store_subscription_add(s, &sb, &sub), SR_OK);
    bool queued = false;
    cr_assert_eq(sr_store_delivery_enqueue(s, sub, ev, &queued), SR_OK);
    cr_assert(queued);
    cr_assert_eq(sr_store_delivery_enqueue_kind(s, sub, ev, SR_ALERT_BREAKING, &queued), SR_OK);
    cr_assert(queued, "the breaking alert is not the event's alert");
    cr_assert_eq(sr_store_delivery_enqueue_kind(s, sub, ev, SR_ALERT_BREAKING, &queued), SR_OK);
    cr_assert_not(queued, "a breaking alert is queued once");
    sr_store_close(s);
    remove_store(p);
}
