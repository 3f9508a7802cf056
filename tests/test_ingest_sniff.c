/* Telling a page, a feed, a sitemap and a WARC file apart by their bytes. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "sitrep/ingest.h"

static sr_source_kind sniff_fixture(const char *name)
{
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/ingest/%s", SR_FIXTURES, name);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK, "cannot read %s", path);
    sr_source_kind k = sr_source_sniff(data, len);
    free(data);
    return k;
}

Test(sniff, fixtures_by_kind)
{
    cr_assert_eq(sniff_fixture("rss2.xml"), SR_SOURCE_FEED);
    cr_assert_eq(sniff_fixture("rss1.rdf"), SR_SOURCE_FEED);
    cr_assert_eq(sniff_fixture("atom.xml"), SR_SOURCE_FEED);
    cr_assert_eq(sniff_fixture("feed11.json"), SR_SOURCE_FEED);
    cr_assert_eq(sniff_fixture("news-sitemap.xml"), SR_SOURCE_SITEMAP);
    cr_assert_eq(sniff_fixture("sitemap-index.xml"), SR_SOURCE_SITEMAP);
    cr_assert_eq(sniff_fixture("not-a-feed.html"), SR_SOURCE_HTML);
}

Test(sniff, warc_plain_and_gzip_prefix)
{
    const char *rec = "WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n";
    cr_assert_eq(sr_source_sniff(rec, strlen(rec)), SR_SOURCE_WARC);
    unsigned char gz[512];
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)rec;
    z.avail_in = (uInt)strlen(rec);
    z.next_out = gz;
    z.avail_out = sizeof gz;
    deflate(&z, Z_FINISH);
    cr_assert_eq(sr_source_sniff(gz, z.total_out), SR_SOURCE_WARC);
    cr_assert_eq(sr_source_sniff(gz, z.total_out - 12), SR_SOURCE_WARC, "a cut-off head is enough");
    deflateEnd(&z);
}

Test(sniff, pages_without_doctype_and_what_is_nothing)
{
    const char *page = "\xEF\xBB\xBF  <!-- generated -->\n<html lang=\"en\"><body>x</body></html>";
    cr_assert_eq(sr_source_sniff(page, strlen(page)), SR_SOURCE_HTML);
    const char *xhtml = "<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x\"><html/>";
    cr_assert_eq(sr_source_sniff(xhtml, strlen(xhtml)), SR_SOURCE_HTML);
    cr_assert_eq(sr_source_sniff("{\"a\": 1}", 8), SR_SOURCE_UNKNOWN);
    cr_assert_eq(sr_source_sniff("", 0), SR_SOURCE_UNKNOWN);
    cr_assert_eq(sr_source_sniff("\x1f\x8b", 2), SR_SOURCE_UNKNOWN);
    cr_assert_str_eq(sr_source_kind_name(SR_SOURCE_SITEMAP), "sitemap");
}
