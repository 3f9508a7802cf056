/* Limits, gunzip, and text clean-up shared by the feed, sitemap and WARC
 * readers. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/xmlerror.h>
#include "internal.h"

void sr_ingest_limits_default(sr_ingest_limits *l)
{
    /* 50 MiB and 50,000 URLs are the sitemap protocol's own caps
     * (sitemaps.org); they are generous for feeds too. */
    l->max_doc_bytes = 50u << 20;
    l->max_items = 50000;
    l->max_field_bytes = 256u << 10;
    l->max_list = 64;
    l->max_record_bytes = 32u << 20;
    l->max_header_bytes = 64u << 10;
    l->max_body_bytes = 32u << 20;
}

const char *sr_feed_format_name(sr_feed_format f)
{
    switch (f) {
    case SR_FEED_RSS090: return "rss0.90";
    case SR_FEED_RSS09X: return "rss0.9x";
    case SR_FEED_RSS10: return "rss1.0";
    case SR_FEED_RSS20: return "rss2.0";
    case SR_FEED_ATOM: return "atom";
    case SR_FEED_JSON: return "jsonfeed";
    default: return "unknown";
    }
}

void sr_ingest_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void sr_xml_errf(char *err, size_t errlen, int line, const char *msg, const char *fallback)
{
    const char *what = msg && msg[0] ? msg : fallback;
    if (line > 0)
        sr_ingest_errf(err, errlen, "line %d: %s", line, what);
    else
        sr_ingest_errf(err, errlen, "%s", what);
}

/* ---- gunzip ------------------------------------------------------------- */

sr_err sr_gunzip(const void *in, size_t len, size_t max, sr_arena *a, char **out, size_t *outlen)
{
    sr_buf b;
    sr_buf_init(&b, max);
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 32: accept gzip or zlib headers alike. */
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return SR_ENOMEM;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    unsigned char chunk[16384];
    int zr = Z_OK;
    sr_err e = SR_OK;
    while (zr != Z_STREAM_END) {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            e = zr == Z_MEM_ERROR ? SR_ENOMEM : SR_EPARSE;
            break;
        }
        if ((e = sr_buf_append(&b, chunk, sizeof chunk - z.avail_out)) != SR_OK)
            break;
        /* Concatenated members (gzip -c a b > c) are one stream to gunzip. */
        if (zr == Z_STREAM_END && z.avail_in > 0 && sr_is_gzip(z.next_in, z.avail_in)) {
            inflateReset(&z);
            zr = Z_OK;
        } else if (zr == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            e = SR_EPARSE; /* ran out of input mid-stream */
            break;
        }
    }
    inflateEnd(&z);
    if (e == SR_OK) {
        *out = sr_arena_strndup(a, b.data ? b.data : "", b.len);
        *outlen = b.len;
        if (!*out)
            e = SR_ENOMEM;
    }
    sr_buf_free(&b);
    return e;
}

/* ---- text clean-up ------------------------------------------------------ */

static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

char *sr_trimmed(const char *s, size_t len, size_t max, sr_arena *a)
{
    while (len && (unsigned char)*s <= ' ') {
        s++;
        len--;
    }
    while (len && (unsigned char)s[len - 1] <= ' ')
        len--;
    return sr_arena_strndup(a, s, utf8_cut(s, len, max));
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Decode the entity at s[*i] == '&' into cp; advance *i past it. */
static bool decode_entity(const char *s, size_t len, size_t *i, int32_t *cp)
{
    size_t j = *i + 1, start = j;
    if (j < len && s[j] == '#') {
        j++;
        int base = 10;
        if (j < len && (s[j] == 'x' || s[j] == 'X')) {
            base = 16;
            j++;
        }
        long v = 0;
        size_t digits = 0;
        for (; j < len && digits < 8; j++, digits++) {
            int d = s[j] >= '0' && s[j] <= '9' ? s[j] - '0'
                  : base == 16 && s[j] >= 'a' && s[j] <= 'f' ? s[j] - 'a' + 10
                  : base == 16 && s[j] >= 'A' && s[j] <= 'F' ? s[j] - 'A' + 10 : -1;
            if (d < 0)
                break;
            v = v * base + d;
        }
        if (digits == 0)
            return false;
        if (j < len && s[j] == ';')
            j++;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        *cp = (int32_t)v;
        *i = j;
        return true;
    }
    char name[32];
    size_t n = 0;
    while (j < len && n < sizeof name - 1 &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9')))
        name[n++] = s[j++];
    name[n] = 0;
    if (n == 0 || j >= len || s[j] != ';' || j == start)
        return false;
    /* libxml2 carries the HTML 4 entity table; HTML5's extra names are rare
     * in feeds and stay as written. */
    const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name);
    if (!d)
        return false;
    *cp = (int32_t)d->value;
    *i = j + 1;
    return true;
}

/* Inline elements join the words around them; every other tag separates. */
static bool inline_tag(const char *s, size_t len)
{
    static const char *names[] = {"a", "b", "i", "u", "s", "em", "strong", "span", "small", "sup", "sub",
                                  "abbr", "code", "font", "mark", "q", "cite", "time", "bdi", "bdo"};
    if (len && *s == '/') {
        s++;
        len--;
    }
    size_t n = 0;
    while (n < len && ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z'))
        n++;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strlen(names[k]) == n && strncasecmp(s, names[k], n) == 0)
            return true;
    return false;
}

/* Skip a tag starting at s[*i] == '<'. Script and style lose their content. */
static bool skip_tag(const char *s, size_t len, size_t *i)
{
    const char *gt = memchr(s + *i, '>', len - *i);
    if (!gt)
        return false;
    size_t tag_start = *i + 1;
    *i = (size_t)(gt - s) + 1;
    const char *drop[] = {"script", "style"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(drop[k]);
        if (len - tag_start > n && strncasecmp(s + tag_start, drop[k], n) == 0) {
            char close[16];
            snprintf(close, sizeof close, "</%s", drop[k]);
            for (size_t j = *i; j + n + 2 <= len; j++)
                if (s[j] == '<' && strncasecmp(s + j, close, n + 2) == 0) {
                    const char *end = memchr(s + j, '>', len - j);
                    *i = end ? (size_t)(end - s) + 1 : len;
                    return true;
                }
            *i = len;
        }
    }
    return true;
}

char *sr_html_to_text(const char *s, size_t len, size_t max, sr_arena *a)
{
    char *out = sr_arena_alloc(a, len + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    bool pending_space = false;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        int32_t cp = -1;
        if (c == '<' && i + 1 < len && (s[i + 1] == '/' || s[i + 1] == '!' ||
                                        ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z'))) {
            size_t at = i;
            if (skip_tag(s, len, &i)) {
                if (!inline_tag(s + at + 1, i - at - 1))
                    pending_space = true;
                continue;
            }
        }
        if (c == '&' && decode_entity(s, len, &i, &cp)) {
            if (cp == 0xA0 || (cp < 0x80 && is_space((unsigned char)cp))) {
                pending_space = true;
                continue;
            }
            char enc[4];
            int n = sr_utf8_encode(cp, enc);
            /* An entity never expands past its own spelling ("&#x1F600;"
             * is longer than its 4 bytes), so `out` has room. */
            if (pending_space && o > 0)
                out[o++] = ' ';
            pending_space = false;
            memcpy(out + o, enc, (size_t)n);
            o += (size_t)n;
            continue;
        }
        if (is_space(c) || (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)) {
            i += c == 0xC2 ? 2 : 1;
            pending_space = true;
            continue;
        }
        if (pending_space && o > 0)
            out[o++] = ' ';
        pending_space = false;
        out[o++] = (char)c;
        i++;
    }
    out[utf8_cut(out, o, max)] = 0;
    return out;
}

/* ---- documents ---------------------------------------------------------- */

const sr_ingest_limits *sr_limits_or_default(const sr_ingest_limits *l, sr_ingest_limits *dflt)
{
    if (l)
        return l;
    sr_ingest_limits_default(dflt);
    return dflt;
}

sr_err sr_doc_prepare(const char **data, size_t *len, const sr_ingest_limits *lim, sr_arena *a,
                      const char **warning, char *err, size_t errlen)
{
    *warning = NULL;
    if (*len > lim->max_doc_bytes || *len > INT32_MAX) {
        sr_ingest_errf(err, errlen, "document of %zu bytes is over the limit of %zu", *len, lim->max_doc_bytes);
        return SR_ETOOBIG;
    }
    if (sr_is_gzip(*data, *len)) {
        char *plain;
        size_t plain_len;
        sr_err e = sr_gunzip(*data, *len, lim->max_doc_bytes, a, &plain, &plain_len);
        if (e == SR_ETOOBIG)
            sr_ingest_errf(err, errlen, "gzip'd document inflates past the limit of %zu bytes", lim->max_doc_bytes);
        else if (e)
            sr_ingest_errf(err, errlen, "bad gzip data");
        if (e)
            return e;
        *data = plain;
        *len = plain_len;
    }
    /* A UTF-8 byte-order mark is noise to jansson. */
    if (*len >= 3 && memcmp(*data, "\xEF\xBB\xBF", 3) == 0) {
        *data += 3;
        *len -= 3;
    }
    if (sr_needs_utf8_repair(*data, *len)) {
        size_t n;
        char *fixed = sr_utf8_repair_cp1252(*data, *len, a, &n);
        if (!fixed)
            return SR_ENOMEM;
        *data = fixed;
        *len = n;
        *warning = "invalid UTF-8 bytes read as Windows-1252";
    }
    return SR_OK;
}

void sr_append_capped(sr_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (b->len >= max)
        return;
    if (n > max - b->len)
        n = max - b->len;
    sr_buf_append(b, s, n);
}

/* ---- entities ----------------------------------------------------------- */

enum amp { AMP_FINE, AMP_HTML, AMP_BARE };

/* What the "&" at s[i] starts; for an HTML entity, its code point. */
static enum amp classify_amp(const char *s, size_t len, size_t i, size_t *name_end, int *cp)
{
    size_t j = i + 1;
    if (j < len && s[j] == '#')
        return AMP_FINE;
    size_t k = j;
    while (k < len && k - j < 32 && (((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z') ||
                                     (s[k] >= '0' && s[k] <= '9')))
        k++;
    if (k == j || k >= len || s[k] != ';')
        return AMP_BARE;
    *name_end = k + 1;
    size_t n = k - j;
    static const char *xml[] = {"amp", "lt", "gt", "quot", "apos"};
    for (int x = 0; x < 5; x++)
        if (strlen(xml[x]) == n && memcmp(s + j, xml[x], n) == 0)
            return AMP_FINE;
    char name[40];
    memcpy(name, s + j, n);
    name[n] = 0;
    const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name);
    if (!d)
        return AMP_FINE;   /* maybe declared in the document's DTD */
    *cp = (int)d->value;
    return AMP_HTML;
}

/* Walk the markup, skipping CDATA sections, comments and the DTD, and call
 * back for every "&" in text or attribute values that needs a fix. */
char *sr_xml_fix_entities(const char *s, size_t len, sr_arena *a, size_t *outlen)
{
    sr_buf out;
    bool changed = false;
    sr_buf_init(&out, 0);
    size_t i = 0, copied = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        const char *lt = memchr(s + i, '<', len - i);
        if (lt && (!amp || lt < amp)) {
            size_t at = (size_t)(lt - s);
            const char *close = NULL;
            if (len - at >= 9 && memcmp(lt, "<![CDATA[", 9) == 0)
                close = "]]>";
            else if (len - at >= 4 && memcmp(lt, "<!--", 4) == 0)
                close = "-->";
            else if (len - at >= 9 && memcmp(lt, "<!DOCTYPE", 9) == 0)
                close = "]>";
            if (!close) {
                i = at + 1;
                continue;
            }
            const char *end = NULL;
            size_t cl = strlen(close);
            for (size_t k = at + 4; k + cl <= len && !end; k++)
                if (memcmp(s + k, close, cl) == 0)
                    end = s + k;
            if (close[0] == ']' && close[1] == '>' && !end) {
                const char *gt = memchr(lt, '>', len - at);  /* DOCTYPE without a subset */
                end = gt ? gt - 1 : NULL;
            }
            i = end ? (size_t)(end - s) + cl : len;
            continue;
        }
        if (!amp)
            break;
        size_t at = (size_t)(amp - s), name_end = 0;
        int cp = 0;
        enum amp kind = classify_amp(s, len, at, &name_end, &cp);
        i = at + 1;
        if (kind == AMP_FINE)
            continue;
        changed = true;
        sr_buf_append(&out, s + copied, at - copied);
        if (kind == AMP_HTML) {
            sr_buf_printf(&out, "&#%d;", cp);
            copied = i = name_end;
        } else {
            sr_buf_puts(&out, "&amp;");
            copied = at + 1;
        }
    }
    char *result = NULL;
    if (changed && !out.failed) {
        sr_buf_append(&out, s + copied, len - copied);
        result = sr_arena_strndup(a, out.data, out.len);
        *outlen = out.len;
    }
    sr_buf_free(&out);
    return result;
}

/* ---- libxml2's global errors ---------------------------------------------- */

static void quiet_handler(void *ctx, xmlErrorPtr err)
{
    sr_xml_quiet *q = ctx;
    if (!err || err->level < XML_ERR_ERROR || q->msg[0])
        return;
    snprintf(q->msg, q->cap, "%s", err->message ? err->message : "XML error");
    size_t n = strlen(q->msg);
    while (n && (q->msg[n - 1] == '\n' || q->msg[n - 1] == ' '))
        q->msg[--n] = 0;
    if (q->line)
        *q->line = err->line;
}

/* Messages that only have printf-style reporting are dropped: the parser
 * also raises a structured error (or fails) for each of them. */
static void quiet_generic(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

void sr_xml_quiet_begin(sr_xml_quiet *q, char *msg, size_t cap, int *line)
{
    q->saved_generic_fn = (void *)xmlGenericError;
    q->saved_generic_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(q, quiet_generic);
    q->msg = msg;
    q->cap = cap;
    q->line = line;
    q->saved_fn = (void *)xmlStructuredError;
    q->saved_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(q, quiet_handler);
}

void sr_xml_quiet_end(sr_xml_quiet *q)
{
    xmlSetStructuredErrorFunc(q->saved_ctx, (xmlStructuredErrorFunc)q->saved_fn);
    xmlSetGenericErrorFunc(q->saved_generic_ctx, (xmlGenericErrorFunc)q->saved_generic_fn);
}
