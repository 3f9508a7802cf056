/* Subscription matching, the index against a brute-force scan, and the
 * retry schedule. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/alert.h"

static sr_alert_event fallujah(void)
{
    sr_alert_event ev;
    sr_alert_event_init(&ev);
    ev.lat = 33.35, ev.lon = 43.78;
    ev.cc = "IQ", ev.admin1 = "Anbar";
    ev.actors[0] = "IRQMIL", ev.actors[1] = "IRQREB", ev.n_actors = 2;
    ev.cameo = "193", ev.acled_type = "Battles", ev.fatalities = 12;
    ev.text = "Al Qaeda-linked militants have taken Fallujah; the Iraqi army went on the attack.";
    return ev;
}

static bool matches_json(const char *json, const sr_alert_event *ev)
{
    sr_arena *a = sr_arena_new(0);
    sr_alert_sub sub;
    char err[200];
    cr_assert_eq(sr_alert_sub_from_json(json, strlen(json), a, &sub, err, sizeof err), SR_OK,
                 "%s: %s", json, err);
    bool m = sr_alert_sub_matches(&sub, ev);
    sr_arena_free(a);
    return m;
}

Test(match, regions)
{
    sr_alert_event ev = fallujah();
    cr_expect(matches_json("{}", &ev), "no criteria follows everything");
    cr_expect(matches_json("{\"region\":{\"bbox\":[38.8,29,48.6,37.4]}}", &ev));
    cr_expect(!matches_json("{\"region\":{\"bbox\":[35,29,40,37.4]}}", &ev));
    cr_expect(matches_json("{\"region\":{\"point\":[33.42,43.30],\"radius_km\":50}}", &ev), "Ramadi is ~45 km away");
    cr_expect(!matches_json("{\"region\":{\"point\":[33.42,43.30],\"radius_km\":40}}", &ev));
    cr_expect(matches_json("{\"region\":{\"country\":\"iq\"}}", &ev));
    cr_expect(!matches_json("{\"region\":{\"country\":\"SY\"}}", &ev));
    cr_expect(matches_json("{\"region\":{\"country\":\"IQ\",\"admin1\":\"anbar\"}}", &ev));
    cr_expect(!matches_json("{\"region\":{\"country\":\"IQ\",\"admin1\":\"Nineveh\"}}", &ev));
    /* a box across the antimeridian (Fiji) */
    sr_alert_event fiji;
    sr_alert_event_init(&fiji);
    fiji.lat = -17.8, fiji.lon = 179.9;
    cr_expect(matches_json("{\"region\":{\"bbox\":[177,-21,-178,-12]}}", &fiji));
    fiji.lon = -179.5;
    cr_expect(matches_json("{\"region\":{\"bbox\":[177,-21,-178,-12]}}", &fiji));
    fiji.lon = 170;
    cr_expect(!matches_json("{\"region\":{\"bbox\":[177,-21,-178,-12]}}", &fiji));
    /* an event without a place matches no box or circle */
    sr_alert_event nowhere;
    sr_alert_event_init(&nowhere);
    cr_expect(!matches_json("{\"region\":{\"bbox\":[-180,-90,180,90]}}", &nowhere));
}

Test(match, actors_codes_types_fatalities_and_words)
{
    sr_alert_event ev = fallujah();
    cr_expect(matches_json("{\"actors\":[\"IRQ\"]}", &ev), "a prefix follows the whole country");
    cr_expect(matches_json("{\"actors\":[\"SYR\",\"IRQREB\"]}", &ev), "any listed actor is enough");
    cr_expect(!matches_json("{\"actors\":[\"USA\"]}", &ev));
    cr_expect(matches_json("{\"cameo\":[\"19\"]}", &ev), "the FIGHT root covers 193");
    cr_expect(matches_json("{\"cameo\":[\"193\"]}", &ev));
    cr_expect(!matches_json("{\"cameo\":[\"18\",\"194\"]}", &ev));
    cr_expect(matches_json("{\"acled_types\":[\"battles\"]}", &ev));
    cr_expect(!matches_json("{\"acled_types\":[\"Protests\"]}", &ev));
    cr_expect(matches_json("{\"min_fatalities\":12}", &ev));
    cr_expect(!matches_json("{\"min_fatalities\":13}", &ev));
    ev.fatalities = -1;
    cr_expect(!matches_json("{\"min_fatalities\":1}", &ev), "unstated fatalities do not count");
    ev = fallujah();
    cr_expect(matches_json("{\"words\":[\"fallujah\"]}", &ev));
    cr_expect(matches_json("{\"words\":[\"IRAQI ARMY\"]}", &ev), "phrases, without regard to case");
    cr_expect(!matches_json("{\"words\":[\"Falluja\"]}", &ev), "whole words only");
    cr_expect(!matches_json("{\"words\":[\"army went on the attacks\"]}", &ev));
    cr_expect(matches_json("{\"words\":[\"qaeda\"]}", &ev), "a hyphen is a word boundary");
    ev.text = "Des combats à ÉLÉPHANT-Ville; Ιράκ";
    cr_expect(matches_json("{\"words\":[\"éléphant\"]}", &ev), "non-ASCII letters fold too");
    cr_expect(matches_json("{\"words\":[\"ιράκ\"]}", &ev));
    cr_expect(!matches_json("{\"words\":[\"ÉLÉ\"]}", &ev));
    /* every criterion must hold */
    ev = fallujah();
    cr_expect(matches_json("{\"region\":{\"country\":\"IQ\"},\"cameo\":[\"19\"],\"min_fatalities\":10,"
                           "\"actors\":[\"IRQ\"],\"words\":[\"Fallujah\"],\"acled_types\":[\"Battles\"]}", &ev));
    cr_expect(!matches_json("{\"region\":{\"country\":\"IQ\"},\"cameo\":[\"14\"]}", &ev));
}

Test(match, refuses_malformed_subscriptions_with_a_reason)
{
    static const char *const bad[] = {
        "[]", "{\"region\":{\"bbox\":[1,2,3]}}", "{\"region\":{\"bbox\":[0,50,10,40]}}",
        "{\"region\":{\"point\":[95,0],\"radius_km\":5}}", "{\"region\":{\"point\":[0,0]}}",
        "{\"region\":{\"point\":[0,0],\"radius_km\":-1}}", "{\"region\":{\"country\":\"IRQ\"}}",
        "{\"region\":{\"country\":\"I1\"}}", "{\"region\":{\"admin1\":\"Anbar\"}}",
        "{\"actors\":\"IRQ\"}", "{\"cameo\":[19]}", "{\"words\":[\"\"]}", "{\"min_fatalities\":-2}",
        "{\"min_fatalities\":1.5}", "{\"a\":1,\"a\":2}", "{\"words\":[",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sr_arena *a = sr_arena_new(0);
        sr_alert_sub sub;
        char err[200] = "";
        cr_expect_neq(sr_alert_sub_from_json(bad[i], strlen(bad[i]), a, &sub, err, sizeof err), SR_OK,
                      "accepted %s", bad[i]);
        cr_expect(err[0], "no reason for %s", bad[i]);
        sr_arena_free(a);
    }
}

/* ---- the index ---------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
    return rng_state;
}
static double uniform(double lo, double hi) { return lo + (hi - lo) * (double)(rnd() >> 11) / 9007199254740992.0; }
static const char *pick(const char *const *list, size_t n) { return list[rnd() % n]; }

static const char *const countries[] = {"IQ", "SY", "UA", "SD", "ML", "NG", "FJ", "RU"};
static const char *const admin1s[] = {"Anbar", "Nineveh", "Donetsk", "Darfur", "Kidal"};
static const char *const actors[] = {"IRQ", "IRQMIL", "SYRREB", "UKRMIL", "RUSMIL", "REB", "USA", "NGA"};
static const char *const cameos[] = {"19", "190", "193", "18", "14", "145", "20", "1"};
static const char *const types[] = {"Battles", "Protests", "Riots", "Explosions/Remote violence"};
static const char *const words[] = {"fallujah", "army", "drone", "ceasefire", "shelling"};

static void random_region(sr_alert_region *r)
{
    memset(r, 0, sizeof *r);
    switch (rnd() % 6) {
    case 0: break; /* anywhere */
    case 1: {
        double w = uniform(-180, 180), size = rnd() % 4 ? uniform(0, 8) : uniform(0, 200);
        double e = w + size > 180 ? w + size - 360 : w + size;
        double s = uniform(-90, 85), n = fmin(90, s + uniform(0, rnd() % 3 ? 6 : 90));
        *r = (sr_alert_region){.kind = SR_REGION_BBOX, .west = w, .south = s, .east = e, .north = n};
        break;
    }
    case 2:
        r->kind = SR_REGION_RADIUS;
        r->lat = uniform(-90, 90), r->lon = uniform(-180, 180);
        r->radius_km = rnd() % 4 ? uniform(1, 500) : uniform(500, 15000);
        break;
    case 3: case 4:
        r->kind = SR_REGION_COUNTRY;
        memcpy(r->cc, pick(countries, 8), 3);
        break;
    default:
        r->kind = SR_REGION_ADMIN1;
        memcpy(r->cc, pick(countries, 8), 3);
        r->admin1 = pick(admin1s, 5);
    }
}

static void random_sub(sr_alert_sub *s, uint64_t id, const char **lists)
{
    memset(s, 0, sizeof *s);
    s->id = id;
    random_region(&s->region);
    const char **p = lists;
    if (rnd() % 3 == 0) { s->actors = p; s->n_actors = 1 + rnd() % 2; for (size_t i = 0; i < s->n_actors; i++) *p++ = pick(actors, 8); }
    if (rnd() % 3 == 0) { s->cameo = p; s->n_cameo = 1 + rnd() % 2; for (size_t i = 0; i < s->n_cameo; i++) *p++ = pick(cameos, 8); }
    if (rnd() % 4 == 0) { s->acled_types = p; s->n_acled_types = 1; *p++ = pick(types, 4); }
    if (rnd() % 4 == 0) { s->words = p; s->n_words = 1; *p++ = pick(words, 5); }
    if (rnd() % 4 == 0) s->min_fatalities = (int)(rnd() % 20);
}

static void random_event(sr_alert_event *ev, char *text, size_t textlen)
{
    sr_alert_event_init(ev);
    if (rnd() % 10) {
        ev->lat = uniform(-90, 90), ev->lon = uniform(-180, 180);
        if (rnd() % 10 == 0) ev->lon = rnd() % 2 ? 180 : -180;
        if (rnd() % 20 == 0) ev->lat = rnd() % 2 ? 90 : -90;
    }
    if (rnd() % 5) ev->cc = pick(countries, 8);
    if (rnd() % 2) ev->admin1 = pick(admin1s, 5);
    ev->n_actors = rnd() % 3;
    for (size_t i = 0; i < ev->n_actors; i++) ev->actors[i] = pick(actors, 8);
    ev->cameo = rnd() % 8 ? pick(cameos, 8) : NULL;
    ev->acled_type = rnd() % 8 ? pick(types, 4) : NULL;
    ev->fatalities = (int)(rnd() % 30) - 1;
    snprintf(text, textlen, "Reports of %s near the %s line", pick(words, 5), pick(words, 5));
    ev->text = text;
}

/* The index must return exactly what testing every subscription returns,
 * including after removals. */
Test(index, returns_exactly_what_a_brute_force_scan_returns)
{
    enum { N_SUBS = 6000, N_EVENTS = 3000 };
    static sr_alert_sub subs[N_SUBS];
    static const char *lists[N_SUBS][8];
    static bool removed[N_SUBS];
    sr_alert_index *idx = sr_alert_index_new();
    for (int i = 0; i < N_SUBS; i++) {
        random_sub(&subs[i], 1000 + (uint64_t)i * 7, lists[i]);
        cr_assert_eq(sr_alert_index_add(idx, &subs[i]), SR_OK);
    }
    cr_assert_eq(sr_alert_index_add(idx, &subs[0]), SR_EINVAL, "duplicate id");
    for (int i = 0; i < N_SUBS; i += 5) {
        cr_assert_eq(sr_alert_index_remove(idx, subs[i].id), SR_OK);
        removed[i] = true;
    }
    cr_assert_eq(sr_alert_index_remove(idx, subs[0].id), SR_ENOTFOUND);
    cr_assert_eq(sr_alert_index_count(idx), N_SUBS - N_SUBS / 5);
    size_t total = 0;
    for (int e = 0; e < N_EVENTS; e++) {
        sr_alert_event ev;
        char text[128];
        random_event(&ev, text, sizeof text);
        const uint64_t *ids;
        size_t n;
        cr_assert_eq(sr_alert_index_match(idx, &ev, &ids, &n), SR_OK);
        size_t k = 0;
        for (int i = 0; i < N_SUBS; i++) {
            if (removed[i] || !sr_alert_sub_matches(&subs[i], &ev))
                continue;
            cr_assert_lt(k, n, "event %d (%.4f, %.4f): index missed subscription %llu", e, ev.lat,
                         ev.lon, (unsigned long long)subs[i].id);
            cr_assert_eq(ids[k], subs[i].id, "event %d (%.4f, %.4f): index gave %llu, scan %llu", e,
                         ev.lat, ev.lon, (unsigned long long)ids[k], (unsigned long long)subs[i].id);
            k++;
        }
        cr_assert_eq(k, n, "event %d: index returned extra subscriptions", e);
        total += n;
    }
    cr_assert_gt(total, N_EVENTS, "the random mix should produce plenty of matches");
    /* removed slots are reused */
    for (int i = 0; i < N_SUBS; i += 5)
        cr_assert_eq(sr_alert_index_add(idx, &subs[i]), SR_OK);
    cr_assert_eq(sr_alert_index_count(idx), N_SUBS);
    sr_alert_index_free(idx);
}

Test(index, finds_circles_at_the_poles_and_across_the_antimeridian)
{
    sr_alert_index *idx = sr_alert_index_new();
    sr_alert_sub pole = {.id = 1, .region = {.kind = SR_REGION_RADIUS, .lat = 89.5, .lon = 0, .radius_km = 200}};
    sr_alert_sub dateline = {.id = 2, .region = {.kind = SR_REGION_RADIUS, .lat = -17, .lon = 179.8, .radius_km = 100}};
    sr_alert_sub bad = {.id = 3, .region = {.kind = SR_REGION_BBOX, .west = 0, .south = 10, .east = 5, .north = 0}};
    cr_assert_eq(sr_alert_index_add(idx, &pole), SR_OK);
    cr_assert_eq(sr_alert_index_add(idx, &dateline), SR_OK);
    cr_assert_eq(sr_alert_index_add(idx, &bad), SR_EINVAL);
    sr_alert_event ev;
    const uint64_t *ids;
    size_t n;
    sr_alert_event_init(&ev);
    ev.lat = 89.2, ev.lon = 179;
    cr_assert_eq(sr_alert_index_match(idx, &ev, &ids, &n), SR_OK);
    cr_assert(n == 1 && ids[0] == 1);
    ev.lat = -17.1, ev.lon = -179.7;
    cr_assert_eq(sr_alert_index_match(idx, &ev, &ids, &n), SR_OK);
    cr_assert(n == 1 && ids[0] == 2);
    /* a circle on the equator whose edge falls just past a cell boundary
     * reaches an event 50 m inside its edge, in the next cell */
    double reach = 100 / 6371.0088 * 180 / M_PI;
    sr_alert_sub edge = {.id = 4, .region = {.kind = SR_REGION_RADIUS, .lat = 0, .lon = 21.0 - reach + 0.001, .radius_km = 100}};
    cr_assert_eq(sr_alert_index_add(idx, &edge), SR_OK);
    ev.lat = 0, ev.lon = 21.0005;
    cr_assert(sr_alert_sub_matches(&edge, &ev));
    cr_assert_eq(sr_alert_index_match(idx, &ev, &ids, &n), SR_OK);
    cr_assert(n == 1 && ids[0] == 4);
    /* a subscription without a region, filed under its types, listed twice */
    const char *types[] = {"Battles", "battles"};
    sr_alert_sub battles = {.id = 5, .acled_types = types, .n_acled_types = 2};
    cr_assert_eq(sr_alert_index_add(idx, &battles), SR_OK);
    ev.acled_type = "BATTLES";
    cr_assert_eq(sr_alert_index_match(idx, &ev, &ids, &n), SR_OK);
    cr_assert(n == 2 && ids[0] == 4 && ids[1] == 5, "got %zu ids", n);
    cr_assert_eq(sr_alert_index_remove(idx, 5), SR_OK);
    cr_assert_eq(sr_alert_index_match(idx, &ev, &ids, &n), SR_OK);
    cr_assert(n == 1 && ids[0] == 4);
    sr_alert_index_free(idx);
}

/* What the store keeps and the API lists reads back to the same criteria. */
Test(match, subscriptions_survive_a_trip_through_json)
{
    for (int i = 0; i < 500; i++) {
        sr_alert_sub sub, back;
        const char *lists[8];
        random_sub(&sub, (uint64_t)i, lists);
        sr_buf a, b;
        sr_buf_init(&a, 1 << 16);
        sr_buf_init(&b, 1 << 16);
        cr_assert_eq(sr_alert_sub_to_json(&sub, &a), SR_OK);
        sr_arena *arena = sr_arena_new(0);
        char err[200];
        cr_assert_eq(sr_alert_sub_from_json(a.data, a.len, arena, &back, err, sizeof err), SR_OK,
                     "%s: %s", a.data, err);
        cr_assert_eq(sr_alert_sub_to_json(&back, &b), SR_OK);
        cr_assert_str_eq(a.data, b.data);
        for (int e = 0; e < 20; e++) {
            sr_alert_event ev;
            char text[128];
            random_event(&ev, text, sizeof text);
            /* six decimals of a degree may move an edge by 0.1 m: skip events that close */
            if (sub.region.kind == SR_REGION_BBOX && sr_alert_sub_matches(&sub, &ev) != sr_alert_sub_matches(&back, &ev))
                cr_assert(fabs(ev.lon - sub.region.west) < 1e-5 || fabs(ev.lon - sub.region.east) < 1e-5 ||
                          fabs(ev.lat - sub.region.south) < 1e-5 || fabs(ev.lat - sub.region.north) < 1e-5);
            else if (sub.region.kind != SR_REGION_BBOX && sub.region.kind != SR_REGION_RADIUS)
                cr_assert_eq(sr_alert_sub_matches(&sub, &ev), sr_alert_sub_matches(&back, &ev), "%s", a.data);
        }
        sr_arena_free(arena);
        sr_buf_free(&a);
        sr_buf_free(&b);
    }
}

/* ---- the retry schedule ----------------------------------------------------------- */

Test(backoff, grows_with_attempts_stays_under_the_cap_and_gives_up)
{
    const sr_backoff *b = &SR_BACKOFF_DEFAULT;
    long long prev_floor = 0;
    for (int attempt = 1; attempt < b->max_attempts; attempt++) {
        long long lo = sr_backoff_delay_ms(b, attempt, -1, 0);
        long long hi = sr_backoff_delay_ms(b, attempt, -1, UINT64_MAX - 1);
        cr_assert_geq(lo, prev_floor, "attempt %d comes sooner than the one before", attempt);
        cr_assert_leq(hi, b->cap_ms);
        cr_assert_geq(lo * 2, hi - 1, "jitter is at most the other half");
        prev_floor = lo;
    }
    cr_assert_eq(sr_backoff_delay_ms(b, 1, -1, 0), b->base_ms / 2);
    cr_assert_eq(sr_backoff_delay_ms(b, b->max_attempts, -1, 0), -1);
    cr_assert_eq(sr_backoff_delay_ms(b, 1, -1, 12345), sr_backoff_delay_ms(b, 1, -1, 12345), "pure");
}

Test(backoff, spreads_retries_and_honours_retry_after)
{
    const sr_backoff *b = &SR_BACKOFF_DEFAULT;
    long long seen[64];
    int distinct = 0;
    for (uint64_t r = 0; r < 64; r++) {
        long long d = sr_backoff_delay_ms(b, 3, -1, r * 0x9e3779b97f4a7c15ULL);
        bool dup = false;
        for (int i = 0; i < distinct; i++) dup |= seen[i] == d;
        if (!dup) seen[distinct++] = d;
    }
    cr_assert_gt(distinct, 32, "jitter spreads the retries of one outage");
    cr_assert_eq(sr_backoff_delay_ms(b, 1, 120000, 0), 120000, "Retry-After is a floor");
    cr_assert_eq(sr_backoff_delay_ms(b, 1, 1000LL * 86400 * 30, 0), 1000LL * 86400,
                 "a month-long Retry-After is held to a day");
    cr_assert_eq(sr_backoff_delay_ms(b, 1, 10, 0), b->base_ms / 2, "a short Retry-After does not shorten");
    sr_backoff huge = {.base_ms = 1000, .cap_ms = INT64_MAX, .max_attempts = 1000};
    cr_assert_gt(sr_backoff_delay_ms(&huge, 999, -1, 0), 0, "no overflow with an unbounded cap");
}
