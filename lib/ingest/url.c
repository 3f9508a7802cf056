/* URLs: resolving links of feeds and sitemaps, and the normalised key under
 * which the many URLs of one article (tracking parameters, AMP and mobile
 * variants, index pages) compare equal. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/uri.h>
#include "internal.h"

#define URL_MAX (16 * 1024)   /* longer "URLs" are not links people share */
#define MAX_PARAMS 128

static bool has_scheme(const char *s);
static void host_key(char *host);
static size_t path_key(const char *in, size_t len, char *out, char *tmp);
static size_t query_key(const char *in, size_t len, char *out, char *scratch);

sr_err sr_url_resolve(const char *base, const char *ref, sr_arena *a, char **out)
{
    *out = NULL;
    if (!ref)
        return SR_EINVAL;
    size_t len = strlen(ref);
    while (len && (unsigned char)*ref <= ' ') {
        ref++;
        len--;
    }
    while (len && (unsigned char)ref[len - 1] <= ' ')
        len--;
    if (len == 0 || len > URL_MAX)
        return SR_EINVAL;
    char *r = sr_arena_strndup(a, ref, len);
    if (!r)
        return SR_ENOMEM;
    if (!base || !*base || has_scheme(r)) {
        *out = r;
        return SR_OK;
    }
    xmlChar *u = xmlBuildURI((const xmlChar *)r, (const xmlChar *)base);
    if (!u)
        return SR_EINVAL;
    *out = sr_arena_strdup(a, (const char *)u);
    xmlFree(u);
    return *out ? SR_OK : SR_ENOMEM;
}

sr_err sr_url_normalize(const char *url, sr_arena *a, char **out)
{
    *out = NULL;
    if (!url)
        return SR_EINVAL;
    while ((unsigned char)*url <= ' ' && *url)
        url++;
    size_t len = strlen(url);
    while (len && (unsigned char)url[len - 1] <= ' ')
        len--;
    if (len > URL_MAX)
        return SR_EINVAL;
    size_t skip;
    if (len > 7 && strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else if (len > 8 && strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else
        return SR_EINVAL;
    const char *auth = url + skip, *end = url + len;
    const char *auth_end = auth;
    while (auth_end < end && *auth_end != '/' && *auth_end != '?' && *auth_end != '#')
        auth_end++;
    /* User info is never part of an article's identity. */
    const char *at = memchr(auth, '@', (size_t)(auth_end - auth));
    const char *host = at ? at + 1 : auth;
    const char *port = NULL;
    const char *host_end = auth_end;
    if (*host == '[') {
        const char *rb = memchr(host, ']', (size_t)(auth_end - host));
        if (!rb)
            return SR_EINVAL;
        host_end = rb + 1;
        if (host_end < auth_end && *host_end == ':')
            port = host_end + 1;
    } else {
        const char *colon = memchr(host, ':', (size_t)(auth_end - host));
        if (colon) {
            host_end = colon;
            port = colon + 1;
        }
    }
    if (host_end == host)
        return SR_EINVAL;

    char *buf = sr_arena_alloc(a, 3 * len + 64);
    char *scratch = sr_arena_alloc(a, 3 * len + 4);
    if (!buf || !scratch)
        return SR_ENOMEM;
    /* http and https serve the same article on nearly every news site, so
     * the key does not tell them apart. */
    size_t o = 0;
    memcpy(buf, "https://", 8);
    o = 8;
    char *h = buf + o;
    for (const char *p = host; p < host_end; p++)
        buf[o++] = (char)tolower((unsigned char)*p);
    buf[o] = 0;
    if (o > 8 && buf[o - 1] == '.')
        buf[--o] = 0;
    host_key(h);
    o = (size_t)(h - buf) + strlen(h);
    if (port && port < auth_end) {
        size_t plen = (size_t)(auth_end - port);
        bool dflt = (plen == 2 && memcmp(port, "80", 2) == 0) || (plen == 3 && memcmp(port, "443", 3) == 0);
        for (size_t k = 0; k < plen; k++)
            if (!isdigit((unsigned char)port[k]))
                return SR_EINVAL;
        if (!dflt && plen > 0) {
            buf[o++] = ':';
            memcpy(buf + o, port, plen);
            o += plen;
        }
    }
    const char *path = auth_end, *path_end = path;
    while (path_end < end && *path_end != '?' && *path_end != '#')
        path_end++;
    o += path_key(path, (size_t)(path_end - path), buf + o, scratch);
    if (path_end < end && *path_end == '?') {
        const char *q = path_end + 1, *q_end = q;
        while (q_end < end && *q_end != '#')
            q_end++;
        char *qo = buf + o + 1;
        size_t n = query_key(q, (size_t)(q_end - q), qo, scratch);
        if (n) {
            buf[o] = '?';
            o += n + 1;
        }
    }
    buf[o] = 0;
    *out = buf;
    return SR_OK;
}

static bool has_scheme(const char *s)
{
    if (!isalpha((unsigned char)*s))
        return false;
    while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
        s++;
    return *s == ':';
}

/* "www.", and the mobile and AMP editions' host prefixes, name the same
 * site; a prefix is only dropped when a registrable name remains. */
static void host_key(char *host)
{
    static const char *prefixes[] = {"www.", "m.", "mobile.", "amp.", "mobil."};
    bool again = true;
    while (again) {
        again = false;
        for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
            size_t n = strlen(prefixes[k]);
            if (strncmp(host, prefixes[k], n) == 0 && strchr(host + n, '.')) {
                memmove(host, host + n, strlen(host + n) + 1);
                again = true;
            }
        }
    }
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool unreserved(int c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Percent-encoding in one spelling (RFC 3986 6.2.2): unreserved characters
 * decoded, other escapes upper-case, raw spaces and controls escaped. */
static size_t pct_normalize(const char *in, size_t len, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '%' && i + 2 < len && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
            int v = hexval(in[i + 1]) * 16 + hexval(in[i + 2]);
            i += 2;
            if (unreserved(v)) {
                out[o++] = (char)v;
                continue;
            }
            c = (unsigned char)v;
        } else if (c > ' ' && c != 0x7f && c != '%') {
            out[o++] = (char)c;
            continue;
        }
        out[o++] = '%';
        out[o++] = hex[c >> 4];
        out[o++] = hex[c & 15];
    }
    return o;
}

static bool seg_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* Index pages are the directory itself; "amp" segments and ".amp" suffixes
 * mark the AMP edition of the same page. */
static bool drop_segment(const char *s, size_t n, bool last)
{
    if (seg_is(s, n, ".") || seg_is(s, n, "amp"))
        return true;
    if (!last)
        return false;
    static const char *index_pages[] = {"index.html", "index.htm", "index.php", "index.shtml",
                                        "index.asp", "default.aspx", "default.asp", "default.htm"};
    for (size_t k = 0; k < sizeof index_pages / sizeof *index_pages; k++)
        if (seg_is(s, n, index_pages[k]))
            return true;
    return false;
}

static size_t path_key(const char *in, size_t len, char *out, char *tmp)
{
    size_t n = pct_normalize(in, len, tmp);
    const char *p = tmp;
    size_t o = 0;
    out[o++] = '/';
    size_t i = 0;
    while (i < n) {
        while (i < n && p[i] == '/')
            i++;
        size_t s = i;
        while (i < n && p[i] != '/')
            i++;
        size_t seg = i - s;
        if (seg == 0)
            break;
        bool last = i >= n || (i + 1 >= n);
        if (drop_segment(p + s, seg, last))
            continue;
        if (seg_is(p + s, seg, "..")) {   /* remove_dot_segments */
            while (o > 1 && out[o - 1] != '/')
                o--;
            if (o > 1)
                o--;
            continue;
        }
        if (o > 1 && out[o - 1] != '/')
            out[o++] = '/';
        memmove(out + o, p + s, seg);
        size_t sl = seg;
        if (last && sl > 9 && strncasecmp(out + o + sl - 9, ".amp.html", 9) == 0) {
            memcpy(out + o + sl - 9, ".html", 5);
            sl -= 4;
        } else if (last && sl > 4 && strncasecmp(out + o + sl - 4, ".amp", 4) == 0) {
            sl -= 4;
        }
        o += sl;
    }
    if (o > 1 && out[o - 1] == '/')
        o--;
    return o;
}

/* Parameters that say how a reader arrived, not which article it is:
 * campaign tags (Google Analytics utm_*, AT Internet at_* / xtor, Adobe
 * cmpid / s_cid / ocid), click ids (Facebook, Google, Microsoft, Yandex,
 * Mailchimp), share and feed markers, and AMP switches. */
static bool tracking_param(const char *name, size_t n)
{
    static const char *prefixes[] = {"utm_", "at_", "mc_", "_hs", "pk_", "mtm_", "ga_"};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t pl = strlen(prefixes[k]);
        if (n > pl && strncasecmp(name, prefixes[k], pl) == 0)
            return true;
    }
    static const char *names[] = {"fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid",
                                  "twclid", "ttclid", "li_fat_id", "ocid", "cmpid", "cmp", "xtor",
                                  "s_cid", "icid", "ito", "smid", "smtyp", "sr_share", "share",
                                  "ref_src", "ref_url", "rss", "feedtype", "ns_source", "ns_mchannel",
                                  "ns_campaign", "ns_linkname", "ns_fee", "_ga", "_gl", "amp",
                                  "outputtype", "mbid", "wt.mc_id", "spm", "guccounter"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (seg_is(name, n, names[k]))
            return true;
    return false;
}

static int cmp_param(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static size_t query_key(const char *in, size_t len, char *out, char *scratch)
{
    char *params[MAX_PARAMS];
    size_t np = 0, so = 0;
    size_t i = 0;
    while (i <= len && np < MAX_PARAMS) {
        size_t s = i;
        while (i < len && in[i] != '&' && in[i] != ';')
            i++;
        size_t n = i - s;
        i++;
        if (n == 0)
            continue;
        const char *eq = memchr(in + s, '=', n);
        size_t name_len = eq ? (size_t)(eq - (in + s)) : n;
        if (tracking_param(in + s, name_len))
            continue;
        memcpy(scratch + so, in + s, n);
        scratch[so + n] = 0;
        params[np++] = scratch + so;
        so += n + 1;
    }
    qsort(params, np, sizeof *params, cmp_param);
    size_t o = 0;
    for (size_t k = 0; k < np; k++) {
        if (k)
            out[o++] = '&';
        o += pct_normalize(params[k], strlen(params[k]), out + o);
    }
    return o;
}
