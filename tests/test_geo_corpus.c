/* Quality floors on the evaluation corpora and cross-checks against the
 * GeoNames and demonym reference tables (../shared; skipped visibly when
 * absent). bench/geo prints the full figures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/geo.h"
#include "geo/gaz.h"
#include "geo_support.h"

__attribute__((noinline)) static char *slurp(const char *path)
{
    char *data;
    size_t len;
    if (sr_read_file(path, 64u << 20, &data, &len) != SR_OK)
        cr_skip_test("%s is absent (evaluation corpora not installed)", path);
    return data;
}

/* The text between open and close inside [s, end), or NULL. */
static char *between(char *s, const char *end, const char *open, const char *close, char **after)
{
    char *a = strstr(s, open);
    if (!a || a >= end)
        return NULL;
    a += strlen(open);
    char *b = strstr(a, close);
    if (!b || b > end)
        return NULL;
    *b = 0;
    *after = b + strlen(close);
    return a;
}

static double km(double la1, double lo1, double la2, double lo2)
{
    double r = M_PI / 180, x = sin((la2 - la1) * r / 2), y = sin((lo2 - lo1) * r / 2);
    double h = x * x + cos(la1 * r) * cos(la2 * r) * y * y;
    return 2 * 6371.0 * asin(sqrt(h < 1 ? h : 1));
}

/* LGL end to end (own recognition): share of gold toponyms found and
 * placed within 161 km. The floors sit under the measured figures so a
 * regression fails; the project's targets are 85 % and 80 %. */
Test(geo_corpus, lgl_quality_floor)
{
    char *xml = slurp(SR_CORPORA "/geo/lgl.xml");
    sr_gazetteer *g = test_gazetteer();
    sr_arena *a = sr_arena_new(0);
    size_t gold = 0, found = 0, near = 0;
    for (char *art = strstr(xml, "<article "); art;) {
        char *next = strstr(art + 1, "<article ");
        const char *end = next ? next : art + strlen(art);
        char *after;
        char *text = between(art, end, "<text><![CDATA[", "]]></text>", &after);
        if (!text) {
            art = next;
            continue;
        }
        sr_arena_reset(a);
        sr_geo_doc *doc;
        cr_assert_eq(sr_geo_find(g, a, text, strlen(text), &doc), SR_OK);
        char *t = after, *tend;
        for (char *top; (top = between(t, end, "<toponym>", "</toponym>", &tend)); t = tend) {
            char *x, *lat_s, *lon_s, *st, *en;
            st = between(top, tend, "<start>", "</start>", &x);
            en = st ? between(x, tend, "<end>", "</end>", &x) : NULL;
            lat_s = en ? between(x, tend, "<lat>", "</lat>", &x) : NULL;
            lon_s = lat_s ? between(x, tend, "<lon>", "</lon>", &x) : NULL;
            if (!lon_s)
                continue;
            gold++;
            long s = atol(st), e = atol(en);
            for (size_t i = 0; i < doc->n_places; i++) {
                const sr_place *p = &doc->places[i];
                if ((long)p->cp_start < e && (long)p->cp_end > s) {
                    found++;
                    near += km(p->lat, p->lon, atof(lat_s), atof(lon_s)) <= 161;
                    break;
                }
            }
        }
        art = next;
    }
    cr_assert_gt(gold, 4000, "LGL has 4,462 toponyms with coordinates, read %zu", gold);
    double f = 100.0 * found / gold, n = 100.0 * near / gold;
    cr_log_info("LGL: found %.1f%%, within 161 km %.1f%%", f, n);
    cr_expect_geq(f, 90.0, "found %.1f%%", f);
    cr_expect_geq(n, 78.0, "within 161 km %.1f%%", n);
    sr_arena_free(a);
    sr_gazetteer_close(g);
    free(xml);
}

/* Every adjectival of the reference demonym list that names a country
 * should resolve to the same country as the country's name. */
Test(geo_corpus, demonyms_agree_with_the_reference_list)
{
    char *tsv = slurp(SR_SOURCE_DIR "/../shared/reference/geo/cliff_wikipedia-demonyms.tsv");
    sr_gazetteer *g = test_gazetteer();
    sr_arena *a = sr_arena_new(0);
    size_t checked = 0, agree = 0;
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        char *adj = tab + 1, *tab2 = strchr(adj, '\t'), *comma = strchr(adj, ',');
        if (tab2)
            *tab2 = 0;
        if (comma)
            *comma = 0;
        char text[512];
        snprintf(text, sizeof text, "Officials in %s met.", line);
        sr_arena_reset(a);
        sr_geo_doc *doc;
        sr_geo_find(g, a, text, strlen(text), &doc);
        if (doc->n_places != 1 || doc->places[0].kind != SR_PLACE_COUNTRY)
            continue;  /* not a country sitrep knows by that name */
        char cc[3];
        memcpy(cc, doc->places[0].cc, 3);
        snprintf(text, sizeof text, "The %s forces moved.", adj);
        sr_geo_find(g, a, text, strlen(text), &doc);
        checked++;
        agree += doc->n_places == 1 && strcmp(doc->places[0].cc, cc) == 0;
    }
    cr_log_info("demonyms: %zu of %zu agree", agree, checked);
    cr_expect_geq(checked, 150);
    cr_expect_geq(agree * 100, checked * 85, "%zu of %zu demonyms agree", agree, checked);
    sr_arena_free(a);
    sr_gazetteer_close(g);
    free(tsv);
}

/* GeoNames admin-1 names: most should be in the gazetteer as admin-1
 * entries of the right country (an area none of whose towns is in
 * cities500 has no position, so it is left out: about 12 %). */
Test(geo_corpus, admin1_names_agree_with_geonames)
{
    char *tsv = slurp(SR_SOURCE_DIR "/../shared/reference/geo/geonames_admin1CodesASCII.txt");
    sr_gazetteer *g = test_gazetteer();
    size_t rows = 0, known = 0;
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[4] = {line};
        int n = 1;
        for (char *p = line; n < 4 && (p = strchr(p, '\t')); n++)
            *p++ = 0, f[n] = p;
        if (n < 3 || strlen(f[0]) < 4)
            continue;
        char key[GAZ_MAX_KEY];
        size_t len;
        gaz_norm_name(f[2], strlen(f[2]), key, &len);
        const gaz_slot *s = gaz_lookup(g, gaz_hash_final(gaz_hash_add(GAZ_HASH_INIT, key, len)));
        rows++;
        for (uint32_t k = 0; s && k < s->count; k++) {
            const gaz_place *p = &g->places[g->postings[s->first + k].place];
            if (p->kind == SR_PLACE_ADMIN1 && memcmp(p->cc, f[0], 2) == 0) {
                known++;
                break;
            }
        }
    }
    cr_log_info("admin-1: %zu of %zu known", known, rows);
    cr_expect_geq(rows, 3000);
    cr_expect_geq(known * 100, rows * 85, "%zu of %zu admin-1 names known", known, rows);
    sr_gazetteer_close(g);
    free(tsv);
}
