/* Quality and speed of sitrep's place finding on the geoparsing corpora
 * (see README.md for what is measured and how to re-run). */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/geo.h"

typedef struct gold { long start, end; double lat, lon; } gold;
typedef struct doc { char *text; size_t len; gold *g; size_t n; } doc;
typedef struct corpus { const char *name; doc *d; size_t n, cap; } corpus;

static void add_doc(corpus *c, const char *text, gold *g, size_t n)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->d = realloc(c->d, c->cap * sizeof *c->d);
    }
    c->d[c->n++] = (doc){strdup(text), strlen(text), g, n};
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static double num(xmlNode *n, const char *name, bool *ok)
{
    xmlNode *c = child(n, name);
    xmlChar *s = c ? xmlNodeGetContent(c) : NULL;
    double v = s && *s ? atof((const char *)s) : NAN;
    *ok &= s && *s;
    xmlFree(s);
    return v;
}

/* LGL: <toponym><start/><end/><gaztag><lat/><lon/></gaztag>; GeoVirus:
 * <location><start/><end/><lat/><lon/> with 1-based offsets. */
static bool load_xml(corpus *c, const char *path, bool geovirus)
{
    xmlDoc *x = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    if (!x)
        return false;
    for (xmlNode *a = xmlDocGetRootElement(x)->children; a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE)
            continue;
        xmlNode *t = child(a, "text");
        xmlChar *text = t ? xmlNodeGetContent(t) : NULL;
        xmlNode *list = child(a, geovirus ? "locations" : "toponyms");
        size_t n = 0;
        gold *g = calloc(4096, sizeof *g);
        for (xmlNode *p = list ? list->children : NULL; p && n < 4096; p = p->next) {
            if (p->type != XML_ELEMENT_NODE)
                continue;
            bool ok = true;
            xmlNode *where = geovirus ? p : child(p, "gaztag");
            gold one = {(long)num(p, "start", &ok), (long)num(p, "end", &ok),
                        num(where, "lat", &ok), num(where, "lon", &ok)};
            if (!ok)
                continue;  /* LGL toponyms without coordinates are not scored */
            if (geovirus)
                one.start--, one.end--;
            g[n++] = one;
        }
        if (text)
            add_doc(c, (const char *)text, g, n);
        else
            free(g);
        xmlFree(text);
    }
    xmlFreeDoc(x);
    return true;
}

static bool load_wiktor(corpus *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *tops = json_object_get(o, "toponyms");
        const char *text = json_string_value(json_object_get(o, "text"));
        if (text) {
            size_t n = json_array_size(tops);
            gold *g = calloc(n + 1, sizeof *g);
            for (size_t i = 0; i < n; i++) {
                json_t *t = json_array_get(tops, i);
                g[i] = (gold){(long)json_integer_value(json_object_get(t, "start")),
                              (long)json_integer_value(json_object_get(t, "end")),
                              json_number_value(json_object_get(t, "lat")),
                              json_number_value(json_object_get(t, "lon"))};
            }
            add_doc(c, text, g, n);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return true;
}

/* CPU seconds of this thread: "per core" figures that hold on a busy machine. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double km(double la1, double lo1, double la2, double lo2)
{
    double r = M_PI / 180, a = sin((la2 - la1) * r / 2), b = sin((lo2 - lo1) * r / 2);
    double h = a * a + cos(la1 * r) * cos(la2 * r) * b * b;
    return 2 * 6371.0 * asin(sqrt(h < 1 ? h : 1));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The bound: a plain scan that counts words in the same texts. */
static size_t count_words(const char *s, size_t n)
{
    size_t words = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool w = (unsigned)((c | 32) - 'a') < 26 || (unsigned)(c - '0') < 10 || c >= 0x80;
        words += w && !in;
        in = w;
    }
    return words;
}

static bool errors;

/* One line per toponym not placed within 161 km, tab-separated, for
 * sorting into classes: corpus, document, the gold span's text, the gold
 * point, then what sitrep reported (its text, name, kind, country, point)
 * and the distance in km, or MISSED. */
static void list_error(const char *corpus, size_t i, const doc *d, const gold *gd,
                       const sr_place *p, double e)
{
    size_t a = sr_utf8_byte_offset(d->text, d->len, (size_t)gd->start);
    size_t b = sr_utf8_byte_offset(d->text, d->len, (size_t)gd->end);
    printf("%s\t%zu\t%.*s\t%.3f,%.3f", corpus, i, (int)(b - a), d->text + a, gd->lat, gd->lon);
    if (!p) {
        printf("\tMISSED\n");
        return;
    }
    printf("\t%.*s\t%s\t%s\t%s\t%.3f,%.3f\t%.0f\n", (int)(p->end - p->start), d->text + p->start,
           p->name, sr_place_kind_name(p->kind), p->cc, p->lat, p->lon, e);
}

static void evaluate(const sr_gazetteer *g, corpus *c)
{
    size_t total = 0, found = 0, near = 0, bytes = 0;
    double *err = NULL;
    size_t n_err = 0;
    for (size_t i = 0; i < c->n; i++)
        total += c->d[i].n, bytes += c->d[i].len;
    err = calloc(total + 1, sizeof *err);
    sr_arena *a = sr_arena_new(0);
    double secs = 0;
    size_t places = 0;
    for (size_t i = 0; i < c->n; i++) {
        doc *d = &c->d[i];
        sr_arena_reset(a);
        sr_geo_doc *out;
        double t0 = cpu_now();
        sr_err e = sr_geo_find(g, a, d->text, d->len, &out);
        secs += cpu_now() - t0;
        if (e != SR_OK)
            continue;
        places += out->n_places;
        for (size_t k = 0; k < d->n; k++) {
            const gold *gd = &d->g[k];
            const sr_place *best = NULL;
            for (size_t p = 0; p < out->n_places; p++) {
                const sr_place *pl = &out->places[p];
                if ((long)pl->cp_start < gd->end && (long)pl->cp_end > gd->start) {
                    best = pl;
                    break;
                }
            }
            double e = 20039;
            if (best) {
                found++;
                e = km(best->lat, best->lon, gd->lat, gd->lon);
                err[n_err++] = e;
                near += e <= 161;
            }
            if (errors && e > 161)
                list_error(c->name, i, d, gd, best, e);
        }
    }
    qsort(err, n_err, sizeof *err, cmp_double);
    double sum = 0, auc = 0, lmax = log(20039);
    for (size_t k = 0; k < n_err; k++)
        sum += err[k], auc += log1p(err[k]) / lmax;
    auc += (double)(total - found);  /* each missed toponym: log error 1 */
    auc /= total ? (double)total : 1;
    printf("%-9s docs %5zu  gold %5zu  found %5.1f%%  acc@161 %5.1f%%  mean %6.0f km  "
           "median %5.0f km  AUC %.3f  (%zu places reported)\n",
           c->name, c->n, total, 100.0 * found / (total ? total : 1),
           100.0 * near / (total ? total : 1), n_err ? sum / n_err : 0,
           n_err ? err[n_err / 2] : 0, auc, places);
    double t1 = cpu_now();
    size_t words = 0;
    for (int rep = 0; rep < 5; rep++)
        for (size_t i = 0; i < c->n; i++)
            words += count_words(c->d[i].text, c->d[i].len);
    double scan = (cpu_now() - t1) / 5;
    printf("%-9s speed %.1f MB/s per core, %.0f docs/s; word-count scan %.0f MB/s (%zu words): "
           "sitrep runs at %.3f of the plain scan\n",
           c->name, bytes / 1e6 / secs, c->n / secs, bytes / 1e6 / scan, words / 5,
           scan / secs);
    sr_arena_free(a);
    free(err);
}

/* One untimed pass, so that the timed runs measure the resolver and not
 * the first touch of the gazetteer's pages (a long-running sitrep has
 * them mapped in after its first documents). */
static void warm_up(const sr_gazetteer *g, corpus **all, int n)
{
    sr_arena *a = sr_arena_new(0);
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < all[i]->n; k++) {
            sr_geo_doc *out;
            sr_arena_reset(a);
            sr_geo_find(g, a, all[i]->d[k].text, all[i]->d[k].len, &out);
        }
    sr_arena_free(a);
}

int main(int argc, char **argv)
{
    const char *gpath = SR_BUILD_DIR "/gazetteer.bin", *corpora = SR_CORPORA;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--gazetteer") == 0 && i + 1 < argc)
            gpath = argv[++i];
        else if (strcmp(argv[i], "--corpora") == 0 && i + 1 < argc)
            corpora = argv[++i];
        else if (strcmp(argv[i], "--quiet") == 0)
            errors = false;  /* the default; kept so older re-run lines work */
        else if (strcmp(argv[i], "--errors") == 0)
            errors = true;
        else {
            fprintf(stderr, "usage: bench_geo [--gazetteer PATH] [--corpora DIR] [--quiet] [--errors]\n");
            return 2;
        }
    }
    /* As sitrep geo does: the per-document arena's blocks come back from
     * the heap instead of fresh pages from the kernel. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    char why[1024];
    sr_err e;
    double t0 = sr_now();
    sr_gazetteer *g = NULL;
    for (int i = 0; i < 20; i++) {
        sr_gazetteer_close(g);
        g = sr_gazetteer_open(gpath, &e, why, sizeof why);
        if (!g) {
            fprintf(stderr, "bench_geo: %s\n", why);
            return 1;
        }
    }
    printf("gazetteer %s: %zu entries, opens in %.3f ms (mean of 20; target <= 50 ms)\n", gpath,
           sr_gazetteer_size(g), (sr_now() - t0) * 1000 / 20);
    char path[4096];
    corpus lgl = {.name = "LGL"}, gv = {.name = "GeoVirus"}, wk = {.name = "WikToR"};
    snprintf(path, sizeof path, "%s/geo/lgl.xml", corpora);
    bool any = load_xml(&lgl, path, false);
    snprintf(path, sizeof path, "%s/geo/GeoVirus.xml", corpora);
    any |= load_xml(&gv, path, true);
    snprintf(path, sizeof path, "%s/geo/wiktor.jsonl", corpora);
    any |= load_wiktor(&wk, path);
    if (!any) {
        fprintf(stderr, "bench_geo: no corpora under %s/geo, nothing to measure\n", corpora);
        sr_gazetteer_close(g);
        return 0;
    }
    corpus *all[] = {&lgl, &gv, &wk};
    warm_up(g, all, 3);
    for (int i = 0; i < 3; i++)
        if (all[i]->n)
            evaluate(g, all[i]);
    for (int i = 0; i < 3; i++) {
        for (size_t k = 0; k < all[i]->n; k++)
            free(all[i]->d[k].text), free(all[i]->d[k].g);
        free(all[i]->d);
    }
    sr_gazetteer_close(g);
    return 0;
}
