/* The fuzz seed corpora replayed as ordinary tests: every seed goes
 * through its parser (under ASan in CI) and the well-formed ones give what
 * they hold. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/ingest.h"

typedef void (*seed_fn)(const char *name, const char *data, size_t len);

static int each_seed(const char *target, seed_fn fn)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/fuzz/%s/corpus", SR_SOURCE_DIR, target);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "no seed corpus at %s", dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048], *data;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK);
        fn(e->d_name, data, len);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

static void feed_seed(const char *name, const char *data, size_t len)
{
    sr_arena *a = sr_arena_new(0);
    sr_feed *f;
    char err[SR_INGEST_ERRLEN];
    sr_err e = sr_feed_parse(data, len, "https://feeds.example.org/", NULL, a, &f, err, sizeof err);
    cr_assert(e == SR_OK || e == SR_EPARSE, "%s: %s", name, err);
    cr_assert_not_null(f, "%s gives items", name);
    cr_assert_gt(f->n_items, 0, "%s", name);
    cr_assert_eq(sr_source_sniff(data, len), SR_SOURCE_FEED, "%s", name);
    sr_arena_free(a);
}

static void sitemap_seed(const char *name, const char *data, size_t len)
{
    sr_arena *a = sr_arena_new(0);
    sr_sitemap *m;
    char err[SR_INGEST_ERRLEN];
    cr_assert_eq(sr_sitemap_parse(data, len, "https://n.example/", NULL, a, &m, err, sizeof err), SR_OK, "%s: %s", name, err);
    cr_assert_gt(m->n_entries, 0, "%s", name);
    sr_arena_free(a);
}

static void warc_seed(const char *name, const char *data, size_t len)
{
    FILE *f = fmemopen((void *)data, len, "rb");
    sr_warc *r;
    cr_assert_eq(sr_warc_open_stream(f, NULL, &r), SR_OK);
    sr_arena *a = sr_arena_new(0);
    sr_warc_record *rec;
    sr_err e;
    int ok = 0, errors = 0;
    while ((e = sr_warc_next(r, a, &rec)) != SR_ENOTFOUND) {
        if (e == SR_OK)
            ok++;
        else
            errors++;
        sr_arena_reset(a);
    }
    /* Each seed holds three good responses and a resource (cut.warc loses
     * the resource) and one record truncated by the crawler. */
    cr_assert_geq(ok, 3, "%s: %d records", name, ok);
    cr_assert_geq(errors, 1, "%s: the truncated record is reported", name);
    cr_assert_eq(sr_source_sniff(data, len), SR_SOURCE_WARC, "%s", name);
    sr_arena_free(a);
    sr_warc_close(r);
    fclose(f);
}

Test(seeds, feed_corpus) { cr_assert_gt(each_seed("feed", feed_seed), 0); }
Test(seeds, sitemap_corpus) { cr_assert_gt(each_seed("sitemap", sitemap_seed), 0); }
Test(seeds, warc_corpus) { cr_assert_gt(each_seed("warc", warc_seed), 0); }
