/*
 * bench_floor: the floors under the pipeline's speed, on the pages the
 * pipeline benchmark ingests, all loaded in memory first:
 *   - libxml2's bare parse-and-walk of each page (told "UTF-8" when the page
 *     is valid UTF-8, as sitrep tells it), on one thread and on two, with
 *     glibc's malloc and free, and again allocating from the per-thread
 *     region sitrep's extractor gives libxml2 (lib/extract/xmlarena.c): no
 *     design built on libxml2's HTML parser reads pages faster than this,
 *     so the two-thread figure is the ceiling for `sitrep ingest` on two
 *     cores;
 *   - sitrep's own HTML reader (lib/extract/html.c) building the same tree
 *     in the same region, on one thread and on two: UTF-8 pages through it,
 *     the others through libxml2, as sr_extract_html reads them;
 *   - sr_extract_html alone on one thread (no process start, no JSON out).
 * Best of three alternating rounds (the machine is shared).
 *
 *   build/bench/pipeline/bench_floor PAGES_LIST
 *
 * PAGES_LIST has one page path per line (bench_pipeline.sh writes it).
 * Prints "bare1 PAGES_PER_S", "bare2", "region1", "region2", "own1", "own2",
 * "extract1".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include "extract_int.h"  /* sr_xml_arena_begin/end, sr_html_read */
#include "sitrep/extract.h"
#include "sitrep/util.h"
#include "../bare_walk.h"

typedef struct page {
    char *data;
    size_t len;
    bool utf8;
} page;

static page *pages;
static size_t n_pages;

struct share {
    size_t first, step;
    bool region;  /* libxml2 allocating from sitrep's per-thread region */
    bool own;     /* sitrep's reader for UTF-8 pages (in the region) */
    size_t sink;
};

static void *bare_share(void *arg)
{
    struct share *s = arg;
    for (size_t i = s->first; i < n_pages; i += s->step) {
        if (s->region || s->own)
            sr_xml_arena_begin();
        htmlDocPtr d =
            s->own && pages[i].utf8
                ? sr_html_read(pages[i].data, pages[i].len, NULL)
                : htmlReadMemory(pages[i].data, (int)pages[i].len, NULL, pages[i].utf8 ? "UTF-8" : NULL,
                                 HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                     HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS);
        if (d)
            s->sink += sr_bench_bare_walk(d->children);
        if (s->region || s->own)
            sr_xml_arena_end(d);
        else if (d)
            xmlFreeDoc(d);
    }
    return NULL;
}

static double time_bare(int threads, bool region, bool own)
{
    struct share shares[2];
    pthread_t t[2];
    double t0 = sr_now();
    for (int i = 0; i < threads; i++) {
        shares[i] = (struct share){(size_t)i, (size_t)threads, region, own, 0};
        pthread_create(&t[i], NULL, bare_share, &shares[i]);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    return sr_now() - t0;
}

static double time_extract(sr_extractor *ex)
{
    double t0 = sr_now();
    sr_arena *ar = sr_arena_new(0);
    for (size_t i = 0; i < n_pages; i++) {
        sr_article *a;
        sr_arena_reset(ar);
        sr_extract_html(ex, ar, pages[i].data, pages[i].len, "page", NULL, NULL, &a);
    }
    sr_arena_free(ar);
    return sr_now() - t0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_floor PAGES_LIST\n");
        return 2;
    }
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 1;
    }
    char path[4096];
    size_t cap = 0;
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = 0;
        page pg = {0};
        if (sr_read_file(path, 64u << 20, &pg.data, &pg.len) != SR_OK)
            continue;
        pg.utf8 = sr_utf8_valid(pg.data, pg.len);
        if (n_pages == cap) {
            cap = cap ? 2 * cap : 1024;
            pages = realloc(pages, cap * sizeof *pages);
        }
        pages[n_pages++] = pg;
    }
    fclose(list);
    xmlInitParser();
    sr_extractor *ex = sr_extractor_new(NULL);
    double b1 = 1e30, b2 = 1e30, r1 = 1e30, r2 = 1e30, o1 = 1e30, o2 = 1e30, e1 = 1e30;
    for (int round = 0; round < 3; round++) {
        double t = time_bare(1, false, false);
        b1 = t < b1 ? t : b1;
        t = time_bare(2, false, false);
        b2 = t < b2 ? t : b2;
        t = time_bare(1, true, false);
        r1 = t < r1 ? t : r1;
        t = time_bare(2, true, false);
        r2 = t < r2 ? t : r2;
        t = time_bare(1, false, true);
        o1 = t < o1 ? t : o1;
        t = time_bare(2, false, true);
        o2 = t < o2 ? t : o2;
        t = time_extract(ex);
        e1 = t < e1 ? t : e1;
    }
    printf("pages %zu\nbare1 %.1f\nbare2 %.1f\nregion1 %.1f\nregion2 %.1f\nown1 %.1f\nown2 %.1f\nextract1 %.1f\n",
           n_pages, n_pages / b1, n_pages / b2, n_pages / r1, n_pages / r2, n_pages / o1, n_pages / o2,
           n_pages / e1);
    printf("own1/region1 %.2f\nown2/region2 %.2f\n", r1 / o1, r2 / o2);
    sr_extractor_free(ex);
    for (size_t i = 0; i < n_pages; i++)
        free(pages[i].data);
    free(pages);
    return 0;
}
