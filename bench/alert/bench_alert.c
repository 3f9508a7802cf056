/* Events matched per second against 100,000 subscriptions: the index
 * (sr_alert_index_match) against a scan that tests every subscription, in
 * the same run on the same events, with the same answers checked.
 *
 * It also times building one Web Push message (RFC 8291 encryption and a
 * VAPID token) against generating one P-256 key, the least a message costs
 * since each needs a fresh sender key.
 *
 * Re-run:  cmake --build build --target bench_alert && ./build/bench/alert/bench_alert [subs] [events]
 *
 * The subscriptions are generated: 40% follow a country, 15% an admin1,
 * 30% a box or circle of city-to-province size around a random point, 5%
 * a large box or circle, 10% the whole world with a type, code or fatality
 * filter. Events fall anywhere, most with a country and half with an admin1;
 * 60% state no toll, 25% up to 5 killed, 15% 5 to 100. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "sitrep/alert.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}
static double uniform(double lo, double hi) { return lo + (hi - lo) * (double)(rnd() >> 11) / 9007199254740992.0; }

static char countries[200][3];
static const char *const admin1s[] = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10"};
static const char *const types[] = {"Battles", "Protests", "Riots", "Explosions/Remote violence",
                                    "Violence against civilians", "Strategic developments"};
static const char *const cameos[] = {"19", "18", "14", "20", "17", "193", "145", "190"};
static const char *const actors[] = {"IRQ", "SYR", "UKR", "RUS", "SDN", "MLI", "NGA", "ISR", "PSE", "USA"};

static void make_sub(sr_alert_sub *s, uint64_t id, const char **lists)
{
    memset(s, 0, sizeof *s);
    s->id = id;
    sr_alert_region *r = &s->region;
    int kind = (int)(rnd() % 100);
    if (kind < 40) {
        r->kind = SR_REGION_COUNTRY;
        memcpy(r->cc, countries[rnd() % 200], 3);
    } else if (kind < 55) {
        r->kind = SR_REGION_ADMIN1;
        memcpy(r->cc, countries[rnd() % 200], 3);
        r->admin1 = admin1s[rnd() % 10];
    } else if (kind < 90) {
        double lat = uniform(-60, 70), lon = uniform(-180, 180);
        if (rnd() % 2) {
            r->kind = SR_REGION_RADIUS, r->lat = lat, r->lon = lon, r->radius_km = uniform(10, 300);
        } else {
            double w = uniform(0.2, 4), h = uniform(0.2, 4);
            r->kind = SR_REGION_BBOX, r->west = lon, r->south = lat;
            r->east = lon + w > 180 ? lon + w - 360 : lon + w, r->north = fmin(90, lat + h);
        }
    } else if (kind < 95) {
        r->kind = SR_REGION_RADIUS, r->lat = uniform(-60, 70), r->lon = uniform(-180, 180);
        r->radius_km = uniform(1000, 4000);
    } else {
        r->kind = SR_REGION_ANY;
        s->min_fatalities = 5 + (int)(rnd() % 50);
    }
    if (rnd() % 3 == 0) { s->acled_types = lists; s->n_acled_types = 1; *lists++ = types[rnd() % 6]; }
    if (rnd() % 4 == 0) { s->cameo = lists; s->n_cameo = 1; *lists++ = cameos[rnd() % 8]; }
    if (rnd() % 5 == 0) { s->actors = lists; s->n_actors = 1; *lists++ = actors[rnd() % 10]; }
}

static void make_event(sr_alert_event *ev)
{
    sr_alert_event_init(ev);
    ev->lat = uniform(-60, 70), ev->lon = uniform(-180, 180);
    if (rnd() % 10) ev->cc = countries[rnd() % 200];
    if (rnd() % 2) ev->admin1 = admin1s[rnd() % 10];
    ev->n_actors = 2;
    ev->actors[0] = actors[rnd() % 10], ev->actors[1] = actors[rnd() % 10];
    ev->cameo = cameos[rnd() % 8];
    ev->acled_type = types[rnd() % 6];
    int f = (int)(rnd() % 100); /* most reports state no toll */
    ev->fatalities = f < 60 ? -1 : f < 85 ? (int)(rnd() % 6) : 5 + (int)(rnd() % 95);
    ev->text = "Clashes were reported near the city after the ceasefire collapsed.";
}

static void bench_push(void)
{
    enum { N = 2000 };
    char path[] = "/tmp/sitrep-bench-vapid-XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    unlink(path); /* sr_vapid_open makes the key file itself */
    sr_vapid *v = NULL;
    if (sr_vapid_open(path, "mailto:bench@example.org", &v, err, sizeof err) != SR_OK) {
        fprintf(stderr, "bench_alert: %s\n", err);
        return;
    }
    uint8_t priv[32];
    sr_webpush_keys ua;
    sr_webpush_keys_generate(priv, &ua);
    const char *msg = "{\"title\":\"Fighting in Fallujah\",\"url\":\"/events/42\"}";
    sr_buf body, auth;
    sr_buf_init(&body, 8192);
    sr_buf_init(&auth, 8192);
    double t0 = sr_now();
    for (int i = 0; i < N; i++) {
        sr_buf_reset(&body);
        sr_buf_reset(&auth);
        sr_webpush_encrypt(&ua, msg, strlen(msg), &body);
        sr_vapid_header(v, "https://fcm.googleapis.com/fcm/send/x", 1764000000, 0, &auth);
    }
    double messages = N / (sr_now() - t0);
    t0 = sr_now();
    for (int i = 0; i < N; i++)
        sr_webpush_keys_generate(priv, &ua);
    double keys = N / (sr_now() - t0);
    printf("push messages built  %.0f /s (encryption + VAPID token)\n", messages);
    printf("P-256 keys generated %.0f /s: a message costs %.1f key generations\n", keys, keys / messages);
    sr_buf_free(&body);
    sr_buf_free(&auth);
    sr_vapid_free(v);
    unlink(path);
}

int main(int argc, char **argv)
{
    size_t n_subs = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    size_t n_events = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
    size_t n_scan = n_events < 500 ? n_events : 500; /* the scan is slow: fewer events */
    for (int i = 0; i < 200; i++)
        countries[i][0] = (char)('A' + i / 26 % 26), countries[i][1] = (char)('A' + i % 26);
    sr_alert_sub *subs = calloc(n_subs, sizeof *subs);
    const char **lists = calloc(n_subs * 4, sizeof *lists);
    sr_alert_event *events = calloc(n_events, sizeof *events);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    sr_alert_index *idx = sr_alert_index_new();
    double t0 = sr_now();
    for (size_t i = 0; i < n_subs; i++) {
        make_sub(&subs[i], i + 1, lists + 4 * i);
        if (sr_alert_index_add(idx, &subs[i]) != SR_OK) {
            fprintf(stderr, "bench_alert: subscription %zu refused\n", i);
            return 1;
        }
    }
    double build = sr_now() - t0;
    getrusage(RUSAGE_SELF, &after);
    for (size_t i = 0; i < n_events; i++)
        make_event(&events[i]);

    size_t matched = 0;
    t0 = sr_now();
    for (size_t i = 0; i < n_events; i++) {
        const uint64_t *ids;
        size_t n;
        sr_alert_index_match(idx, &events[i], &ids, &n);
        matched += n;
    }
    double indexed = sr_now() - t0;

    size_t scan_matched = 0, index_on_scan_set = 0;
    t0 = sr_now();
    for (size_t i = 0; i < n_scan; i++)
        for (size_t k = 0; k < n_subs; k++)
            scan_matched += sr_alert_sub_matches(&subs[k], &events[i]);
    double scanned = sr_now() - t0;
    for (size_t i = 0; i < n_scan; i++) {
        const uint64_t *ids;
        size_t n;
        sr_alert_index_match(idx, &events[i], &ids, &n);
        index_on_scan_set += n;
    }
    double index_rate = n_events / indexed, scan_rate = n_scan / scanned;
    printf("subscriptions        %zu (index built in %.2f s; subscriptions and index +%ld MB)\n", n_subs, build,
           (after.ru_maxrss - before.ru_maxrss) / 1024);
    printf("index                %.0f events/s (%zu events, %.1f matches per event)\n", index_rate,
           n_events, (double)matched / n_events);
    printf("scan of every sub    %.0f events/s (%zu events)\n", scan_rate, n_scan);
    printf("index / scan         %.1fx\n", index_rate / scan_rate);
    printf("same answers         %s (%zu matches on the scanned events)\n",
           scan_matched == index_on_scan_set ? "yes" : "NO", scan_matched);
    bench_push();
    sr_alert_index_free(idx);
    free(subs);
    free(lists);
    free(events);
    return scan_matched == index_on_scan_set ? 0 : 1;
}
