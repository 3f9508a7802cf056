/* fixture_store: fills a store with plausible generated events, for the
 * server's tests and benchmarks (the project writes its own fixtures).
 *
 *   fixture_store DB N [--seed S] [--days D]
 *
 * Adds N events spread over the last D days (default 30) at real places of
 * today's conflicts, each with a supporting article, printing the change
 * sequence of the last one. Deterministic for a given seed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/store.h"
#include "sitrep/util.h"

static const struct {
    const char *name, *cc, *admin1;
    double lat, lon;
} places[] = {
    {"Fallujah", "IQ", "Anbar", 33.349, 43.784},      {"Ramadi", "IQ", "Anbar", 33.426, 43.299},
    {"Mosul", "IQ", "Nineveh", 36.340, 43.130},       {"Aleppo", "SY", "Aleppo", 36.202, 37.158},
    {"Kharkiv", "UA", "Kharkiv", 49.993, 36.231},     {"Maiduguri", "NG", "Borno", 11.846, 13.160},
    {"Khartoum", "SD", "Khartoum", 15.552, 32.532},   {"Gaza", "PS", "Gaza Strip", 31.502, 34.467},
    {"Mogadishu", "SO", "Banaadir", 2.037, 45.344},   {"Goma", "CD", "North Kivu", -1.679, 29.222},
    {"Sanaa", "YE", "Amanat al Asimah", 15.354, 44.207}, {"Kabul", "AF", "Kabul", 34.528, 69.172},
};
static const struct {
    const char *type, *subtype, *cameo, *verb;
    double goldstein;
    int quad;
} kinds[] = {
    {"Battles", "Armed clash", "190", "clashed with", -10, 4},
    {"Explosions/Remote violence", "Air/drone strike", "195", "carried out air strikes on", -10, 4},
    {"Explosions/Remote violence", "Shelling/artillery/missile attack", "194", "shelled", -10, 4},
    {"Violence against civilians", "Attack", "180", "attacked", -9, 4},
    {"Protests", "Peaceful protest", "141", "demonstrated against", -6.5, 3},
    {"Riots", "Violent demonstration", "145", "rioted against", -7.5, 3},
    {"Strategic developments", "Agreement", "057", "signed an agreement with", 8, 1},
};
static const struct { const char *code, *name, *cc; } actors[] = {
    {"IRQMIL", "Iraqi troops", "IRQ"},   {"IRQINS", "militants", "IRQ"}, {"SYRREB", "Syrian rebels", "SYR"},
    {"UKRMIL", "Ukrainian forces", "UKR"}, {"RUSMIL", "Russian forces", "RUS"}, {"NGAMIL", "Nigerian soldiers", "NGA"},
    {"SDNREB", "the RSF", "SDN"},         {"CVL", "civilians", NULL},     {"COP", "police", NULL},
};

static uint64_t rng;
static unsigned pick(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fixture_store DB N [--seed S] [--days D]\n");
        return 2;
    }
    long n = atol(argv[2]);
    long days = 30;
    rng = 0x9E3779B97F4A7C15ull;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seed") == 0)
            rng ^= (uint64_t)atoll(argv[i + 1]) * 0xBF58476D1CE4E5B9ull;
        else if (strcmp(argv[i], "--days") == 0)
            days = atol(argv[i + 1]);
    }
    char err[300];
    sr_store *s;
    if (sr_store_open(argv[1], 0, &s, err, sizeof err)) {
        fprintf(stderr, "fixture_store: %s\n", err);
        return 1;
    }
    int64_t now = (int64_t)time(NULL), run = (int64_t)(rng % 1000000007u);
    sr_store_begin(s);
    for (long i = 0; i < n; i++) {
        if (i && i % 5000 == 0) {
            sr_store_commit(s);
            sr_store_begin(s);
        }
        unsigned p = pick(sizeof places / sizeof *places), k = pick(sizeof kinds / sizeof *kinds);
        unsigned a = pick(sizeof actors / sizeof *actors), b = pick(sizeof actors / sizeof *actors);
        int64_t when = now - (int64_t)pick((unsigned)(days * 86400));
        char sentence[400], url[128], hash[40], title[200];
        snprintf(sentence, sizeof sentence, "%s %s %s in %s on day %ld of the offensive, officials said.",
                 actors[a].name, kinds[k].verb, actors[b].name, places[p].name, (long)(i % 28) + 1);
        snprintf(title, sizeof title, "%s in %s", kinds[k].subtype, places[p].name);
        snprintf(url, sizeof url, "https://news.example/%lld/%ld", (long long)run, i);
        snprintf(hash, sizeof hash, "%llx-%ld", (unsigned long long)run, i);
        sr_store_article art = {.url = url, .title = title, .text = sentence, .content_hash = hash,
                                .site_name = "Example News", .published = when, .published_precision = SR_PREC_SECOND};
        int64_t article_id = 0;
        if (sr_store_article_add(s, &art, &article_id, NULL)) {
            fprintf(stderr, "fixture_store: %s\n", sr_store_errmsg(s));
            return 1;
        }
        sr_store_event e;
        sr_store_event_init(&e);
        e.article_id = article_id;
        e.date = when - when % 86400;
        e.date_precision = SR_PREC_DAY;
        e.actor1 = (sr_store_actor){actors[a].code, actors[a].name, actors[a].cc};
        e.actor2 = (sr_store_actor){actors[b].code, actors[b].name, actors[b].cc};
        e.cameo = kinds[k].cameo;
        e.quad = kinds[k].quad;
        e.goldstein = kinds[k].goldstein;
        e.acled_type = kinds[k].type;
        e.acled_subtype = kinds[k].subtype;
        e.fatalities.value = k < 4 && pick(2) ? (int)pick(30) : -1;
        e.place_name = places[p].name;
        e.place_kind = "city";
        e.cc = places[p].cc;
        e.admin1 = places[p].admin1;
        e.lat = places[p].lat + ((double)pick(2001) - 1000) / 20000.0;
        e.lon = places[p].lon + ((double)pick(2001) - 1000) / 20000.0;
        e.sentence = sentence;
        e.sent_start = 0;
        e.sent_end = (int)sr_utf8_count(sentence, strlen(sentence));
        if (sr_store_event_add(s, &e, NULL)) {
            fprintf(stderr, "fixture_store: %s\n", sr_store_errmsg(s));
            return 1;
        }
    }
    sr_store_commit(s);
    int64_t seq = 0;
    sr_store_last_seq(s, &seq);
    printf("%lld\n", (long long)seq);
    sr_store_close(s);
    return 0;
}
