/* Which character set a page is in, in the order browsers decide it
 * (WHATWG encoding sniffing, simplified): byte-order mark, HTTP
 * Content-Type, <meta charset> / http-equiv in the first 4 KiB, then a guess:
 * UTF-8 when the bytes are valid UTF-8, else windows-1252. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <libxml/encoding.h>
#include "extract_int.h"

static bool charset_param(const char *s, size_t n, char *buf, size_t bufsz);
static bool meta_charset(const char *html, size_t len, char *buf, size_t bufsz);
static const char *known(char *name);
static bool valid_prefix(const char *html, size_t len);
static bool has_high_bytes(const char *html, size_t len);

const char *sr_html_charset(const char *html, size_t len, const char *content_type,
                            char *buf, size_t bufsz)
{
    const unsigned char *u = (const unsigned char *)html;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return "UTF-8";
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return "UTF-16LE";
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return "UTF-16BE";
    const char *name;
    if (content_type && charset_param(content_type, strlen(content_type), buf, bufsz) &&
        (name = known(buf)))
        return name;
    if (meta_charset(html, len, buf, bufsz) && (name = known(buf))) {
        /* saved pages are often re-encoded without their <meta> changing:
         * non-ASCII text that is valid UTF-8 is UTF-8 */
        if (strcmp(name, "UTF-8") && has_high_bytes(html, len) && valid_prefix(html, len))
            return "UTF-8";
        return name;
    }
    return valid_prefix(html, len) ? "UTF-8" : "windows-1252";
}

static bool valid_prefix(const char *html, size_t len)
{
    const unsigned char *u = (const unsigned char *)html;
    size_t probe = len < 65536 ? len : 65536;
    /* A cut multi-byte sequence at the probe's end is not evidence. */
    while (probe > 0 && probe < len && (u[probe] & 0xC0) == 0x80)
        probe--;
    return sr_utf8_valid(html, probe);
}

static bool has_high_bytes(const char *html, size_t len)
{
    size_t probe = len < 65536 ? len : 65536;
    for (size_t i = 0; i < probe; i++)
        if ((unsigned char)html[i] >= 0x80)
            return true;
    return false;
}

/* Labels that name the same thing as a charset libxml2/iconv knows under
 * another name; ISO-8859-1 and US-ASCII mean windows-1252 on the web. */
static const char *known(char *name)
{
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!strcmp(name, "utf8") || !strcmp(name, "utf-8") || !strcmp(name, "unicode-1-1-utf-8"))
        return "UTF-8";
    if (!strcmp(name, "iso-8859-1") || !strcmp(name, "latin1") || !strcmp(name, "us-ascii") ||
        !strcmp(name, "ascii") || !strcmp(name, "cp1252") || !strcmp(name, "windows-1252") ||
        !strcmp(name, "iso8859-1") || !strcmp(name, "l1"))
        return "windows-1252";
    if (!strcmp(name, "gb2312") || !strcmp(name, "gbk") || !strcmp(name, "x-gbk"))
        name = "GB18030";
    if (!strcmp(name, "utf-16"))
        return "UTF-8";   /* a page that says utf-16 but has no BOM is ASCII-compatible */
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);
    if (!h)
        return NULL;
    xmlCharEncCloseFunc(h);
    return name;
}

static bool charset_param(const char *s, size_t n, char *buf, size_t bufsz)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= n || s[j] != '=')
            continue;
        j++;
        while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < bufsz &&
               (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_' || s[j] == '.' || s[j] == ':'))
            buf[k++] = s[j++];
        buf[k] = 0;
        return k > 0;
    }
    return false;
}

/* <meta charset=X> or <meta http-equiv=Content-Type content="...charset=X">
 * within the first 4 KiB, as the HTML standard's prescan does. */
static bool meta_charset(const char *html, size_t len, char *buf, size_t bufsz)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 5 < n; i++) {
        if (html[i] != '<' || strncasecmp(html + i + 1, "meta", 4) != 0)
            continue;
        size_t end = i + 5;
        while (end < n && html[end] != '>')
            end++;
        if (charset_param(html + i + 5, end - i - 5, buf, bufsz))
            return true;
        i = end;
    }
    return false;
}
