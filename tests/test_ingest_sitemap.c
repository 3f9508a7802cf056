/* Sitemaps: page lists, indexes of sitemaps and Google News sitemaps. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "sitrep/ingest.h"

static sr_arena *arena;
static char err[SR_INGEST_ERRLEN];

static void setup(void) { arena = sr_arena_new(0); err[0] = 0; }
static void teardown(void) { sr_arena_free(arena); }
TestSuite(sitemap, .init = setup, .fini = teardown);

static char *load(const char *name, size_t *len)
{
    char path[1024], *data;
    snprintf(path, sizeof path, "%s/ingest/%s", SR_FIXTURES, name);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, len), SR_OK, "cannot read %s", path);
    return data;
}

Test(sitemap, index_lists_sitemaps_resolved_and_skips_entries_without_loc)
{
    size_t len;
    char *data = load("sitemap-index.xml", &len);
    sr_sitemap *m;
    cr_assert_eq(sr_sitemap_parse(data, len, "https://www.example-news.com/sitemap.xml", NULL, arena, &m,
                                  err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(m->kind, SR_SITEMAP_INDEX);
    cr_assert_eq(m->n_entries, 2);
    cr_assert_str_eq(m->entries[0].loc, "https://www.example-news.com/sitemaps/news.xml");
    cr_assert_str_eq(m->entries[0].lastmod, "2014-01-14T18:30:00Z");
    cr_assert_str_eq(m->entries[1].loc, "https://www.example-news.com/sitemaps/archive-2013.xml.gz");
    free(data);
}

Test(sitemap, news_sitemap_gives_title_date_language_and_ignores_images)
{
    size_t len;
    char *data = load("news-sitemap.xml", &len);
    sr_sitemap *m;
    cr_assert_eq(sr_sitemap_parse(data, len, NULL, NULL, arena, &m, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(m->kind, SR_SITEMAP_URLSET);
    cr_assert_eq(m->n_entries, 2);
    sr_sitemap_entry *a = &m->entries[0];
    cr_assert_str_eq(a->loc, "https://www.example-news.com/world/2014/01/14/anbar-offensive");
    cr_assert_str_eq(a->news_title, "Iraqi army launches offensive in Anbar & retakes checkpoints");
    cr_assert_str_eq(a->news_publication_date, "2014-01-14T16:45:00Z");
    cr_assert_str_eq(a->news_language, "en");
    cr_assert_str_eq(a->news_publication, "Example News");
    cr_assert_str_eq(a->lastmod, "2014-01-14T18:00:00Z");
    sr_sitemap_entry *b = &m->entries[1];
    cr_assert_str_eq(b->loc, "https://www.example-news.com/world/2014/01/14/plain", "the image loc is not the page");
    cr_assert_null(b->news_title);
    free(data);
}

Test(sitemap, gzip_sitemap)
{
    size_t len;
    char *data = load("news-sitemap.xml", &len);
    uLongf gz_len = compressBound(len) + 64;
    unsigned char *gz = malloc(gz_len);
    z_stream z = {0};
    deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = gz;
    z.avail_out = (uInt)gz_len;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    sr_sitemap *m;
    cr_assert_eq(sr_sitemap_parse((char *)gz, z.total_out, NULL, NULL, arena, &m, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(m->n_entries, 2);
    /* Cut gzip: an error, not a crash or a partial silent read. */
    cr_assert_eq(sr_sitemap_parse((char *)gz, z.total_out / 2, NULL, NULL, arena, &m, err, sizeof err), SR_EPARSE);
    cr_assert_not_null(strstr(err, "gzip"));
    deflateEnd(&z);
    free(gz);
    free(data);
}

Test(sitemap, unescaped_ampersands_in_urls_are_read)
{
    const char *doc = "<urlset><url><loc>https://n.example/a?id=1&page=2</loc></url></urlset>";
    sr_sitemap *m;
    cr_assert_eq(sr_sitemap_parse(doc, strlen(doc), NULL, NULL, arena, &m, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(m->n_entries, 1);
    cr_assert_str_eq(m->entries[0].loc, "https://n.example/a?id=1&page=2");
}

Test(sitemap, truncated_sitemap_keeps_entries_and_says_where)
{
    const char *doc = "<urlset>\n<url><loc>https://n.example/1</loc></url>\n<url><loc>https://n.example/2</loc>\n<url><lo";
    sr_sitemap *m;
    cr_assert_eq(sr_sitemap_parse(doc, strlen(doc), NULL, NULL, arena, &m, err, sizeof err), SR_EPARSE);
    cr_assert_not_null(m);
    cr_assert_geq(m->n_entries, 1);
    cr_assert_str_eq(m->entries[0].loc, "https://n.example/1");
    cr_assert(strncmp(err, "line ", 5) == 0, "%s", err);
}

Test(sitemap, not_a_sitemap_and_limits)
{
    const char *feed = "<rss version=\"2.0\"><channel/></rss>";
    sr_sitemap *m;
    cr_assert_eq(sr_sitemap_parse(feed, strlen(feed), NULL, NULL, arena, &m, err, sizeof err), SR_EEMPTY);
    cr_assert_not_null(strstr(err, "not a sitemap"));
    sr_ingest_limits lim;
    sr_ingest_limits_default(&lim);
    lim.max_items = 1;
    const char *two = "<urlset><url><loc>https://n.example/1</loc></url><url><loc>https://n.example/2</loc></url></urlset>";
    cr_assert_eq(sr_sitemap_parse(two, strlen(two), NULL, &lim, arena, &m, err, sizeof err), SR_OK);
    cr_assert_eq(m->n_entries, 1);
    cr_assert_eq(m->n_dropped, 1);
}
