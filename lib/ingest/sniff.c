/* What kind of source a file or response is, from its first bytes: the
 * pipeline gets files and URLs whose names and Content-Types lie often
 * enough (feeds served as text/html, .xml pages, .gz of anything). */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include "internal.h"

#define SNIFF_MAX 8192

static sr_source_kind sniff_plain(const char *s, size_t len);

sr_source_kind sr_source_sniff(const void *head, size_t len)
{
    if (!sr_is_gzip(head, len))
        return sniff_plain(head, len < SNIFF_MAX ? len : SNIFF_MAX);
    /* Inflate only the beginning; the head may be a cut-off prefix. */
    char out[SNIFF_MAX];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return SR_SOURCE_UNKNOWN;
    z.next_in = (Bytef *)head;
    z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof out;
    int zr = inflate(&z, Z_SYNC_FLUSH);
    size_t n = sizeof out - z.avail_out;
    inflateEnd(&z);
    if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
        return SR_SOURCE_UNKNOWN;
    return sniff_plain(out, n);
}

const char *sr_source_kind_name(sr_source_kind k)
{
    switch (k) {
    case SR_SOURCE_HTML: return "html";
    case SR_SOURCE_FEED: return "feed";
    case SR_SOURCE_SITEMAP: return "sitemap";
    case SR_SOURCE_WARC: return "warc";
    default: return "unknown";
    }
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p;
}

/* Past "<?...?>", "<!--...-->" and a non-HTML "<!DOCTYPE ...>". */
static const char *skip_prolog(const char *p, const char *end, bool *html_doctype)
{
    for (;;) {
        p = skip_space(p, end);
        if (end - p < 4 || *p != '<')
            return p;
        const char *close = NULL;
        if (p[1] == '?')
            close = "?>";
        else if (strncmp(p, "<!--", 4) == 0)
            close = "-->";
        else if (p[1] == '!') {
            if (end - p >= 14 && strncasecmp(p, "<!DOCTYPE html", 14) == 0)
                *html_doctype = true;
            close = ">";
        } else
            return p;
        const char *q = p + 2;
        size_t cl = strlen(close);
        while (q + cl <= end && memcmp(q, close, cl) != 0)
            q++;
        if (q + cl > end)
            return end;
        p = q + cl;
    }
}

static sr_source_kind sniff_plain(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    p = skip_space(p, end);
    if (end - p >= 5 && memcmp(p, "WARC/", 5) == 0)
        return SR_SOURCE_WARC;
    if (p < end && *p == '{') {
        for (const char *q = p; q + 20 <= end; q++)
            if (memcmp(q, "jsonfeed.org/version", 20) == 0)
                return SR_SOURCE_FEED;
        return SR_SOURCE_UNKNOWN;
    }
    bool html_doctype = false;
    p = skip_prolog(p, end, &html_doctype);
    if (html_doctype)
        return SR_SOURCE_HTML;
    if (p >= end || *p != '<')
        return SR_SOURCE_UNKNOWN;
    p++;
    const char *name = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == ':' || *p == '-' || *p == '_' || *p == '.'))
        p++;
    size_t n = (size_t)(p - name);
    const char *colon = memchr(name, ':', n);
    const char *local = colon ? colon + 1 : name;
    size_t ln = n - (size_t)(local - name);
#define IS(w) (ln == strlen(w) && strncasecmp(local, w, ln) == 0)
    if (IS("rss") || IS("RDF") || IS("feed"))
        return SR_SOURCE_FEED;
    if (IS("urlset") || IS("sitemapindex"))
        return SR_SOURCE_SITEMAP;
    if (IS("html") || IS("head") || IS("body"))
        return SR_SOURCE_HTML;
#undef IS
    return SR_SOURCE_UNKNOWN;
}
