/* Feeds and sitemaps that claim UTF-8 (or claim nothing) but carry bytes
 * of a legacy code page: the common case is Windows-1252 text pasted into a
 * UTF-8 template. libxml2 and jansson stop at the first bad byte, so the
 * bad bytes are read as Windows-1252 before parsing, and the caller reports
 * the repair. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <libxml/encoding.h>
#include "internal.h"

/* The encoding named by an XML declaration, or "" when there is none. */
static void declared_encoding(const char *s, size_t len, char *enc, size_t cap)
{
    enc[0] = 0;
    size_t n = len < 256 ? len : 256;
    if (n < 5 || memcmp(s, "<?xml", 5) != 0)
        return;
    const char *end = memchr(s, '>', n);
    if (!end)
        return;
    for (const char *p = s; p + 9 < end; p++)
        if (strncmp(p, "encoding", 8) == 0) {
            p += 8;
            while (p < end && (*p == ' ' || *p == '='))
                p++;
            if (p >= end || (*p != '"' && *p != '\''))
                return;
            char q = *p++;
            size_t k = 0;
            while (p < end && *p != q && k + 1 < cap)
                enc[k++] = *p++;
            enc[k] = 0;
            return;
        }
}

const char *sr_xml_encoding_override(const char *s, size_t len)
{
    char enc[64];
    declared_encoding(s, len, enc, sizeof enc);
    if (!enc[0])
        return NULL;
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(enc);
    if (h) {
        xmlCharEncCloseFunc(h);
        return NULL;
    }
    /* A name libxml2 (iconv) does not know: by the time it gets here bad
     * UTF-8 has been repaired, so the bytes read as UTF-8. */
    return "UTF-8";
}

bool sr_needs_utf8_repair(const char *s, size_t len)
{
    char enc[64];
    declared_encoding(s, len, enc, sizeof enc);
    if (enc[0] && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0 &&
        !sr_xml_encoding_override(s, len))
        return false;   /* a declared legacy encoding: libxml2 converts it */
    if (len >= 2 && ((unsigned char)s[0] == 0xFE || (unsigned char)s[0] == 0xFF))
        return false;   /* UTF-16 byte-order mark */
    return !sr_utf8_valid(s, len);
}

char *sr_utf8_repair_cp1252(const char *s, size_t len, sr_arena *a, size_t *outlen)
{
    char *out = sr_arena_alloc(a, 3 * len + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp = sr_utf8_decode(s, len, &i);
        if (cp >= 0) {
            memcpy(out + o, s + at, i - at);
            o += i - at;
            continue;
        }
        unsigned char b = (unsigned char)s[at];
        i = at + 1;
        cp = sr_cp1252_to_unicode(b);
        o += (size_t)sr_utf8_encode(cp, out + o);
    }
    out[o] = 0;
    *outlen = o;
    return out;
}
