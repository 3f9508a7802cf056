/* sitrep's article extractor: the public entry points. A page is parsed
 * with libxml2's HTML parser in its own character set, its metadata read
 * (meta.c), its body found and flattened (body.c); everything lives in the
 * caller's arena, so a page costs one arena and nothing outlives it. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include "extract_int.h"

#define DEFAULT_MAX_BYTES (32u << 20)

static sr_err fail(sr_extractor *ex, sr_err err, const char *fmt, const char *arg);
static bool looks_like_html(const char *s, size_t n);
static bool utf16(const char *s, size_t n);
static sr_err replace_nul(sr_buf *b, bool utf8);
static void count_words(sr_article *a);
static inline size_t word_byte(unsigned char c, bool *in);
static bool own_reader(void);
static bool ascii_page(const char *s, size_t n, const char *charset);
static char *to_utf8(const char *s, size_t n, const char *charset, size_t *out_len);

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

sr_extractor *sr_extractor_new(const sr_extract_options *opt)
{
    sr_extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return NULL;
    if (opt)
        ex->opt = *opt;
    if (!ex->opt.max_bytes)
        ex->opt.max_bytes = DEFAULT_MAX_BYTES;
    sr_xml_arena_init();
    /* parse problems are expected on the web; libxml2 must not print them */
    xmlSetGenericErrorFunc(NULL, quiet);
    return ex;
}

void sr_extractor_free(sr_extractor *ex)
{
    free(ex);
}

const char *sr_extractor_message(const sr_extractor *ex)
{
    return ex && ex->message[0] ? ex->message : "no error";
}

sr_err sr_extract_html(sr_extractor *ex, sr_arena *arena, const char *html, size_t len,
                       const char *source, const char *source_url,
                       const char *http_content_type, sr_article **out)
{
    *out = NULL;
    ex->message[0] = 0;
    if (len == 0)
        return fail(ex, SR_EEMPTY, "empty page", NULL);
    if (len > ex->opt.max_bytes)
        return fail(ex, SR_ETOOBIG, "page over the size limit", NULL);
    if (len > INT32_MAX)
        return fail(ex, SR_ETOOBIG, "page over the size limit", NULL);
    if (!looks_like_html(html, len))
        return fail(ex, SR_EPARSE, "not an HTML page (no markup; use --text for plain text)", NULL);

    char cs[64];
    const char *charset = sr_html_charset(html, len, http_content_type, cs, sizeof cs);
    /* libxml2 stops at the first byte it cannot convert, and at a NUL byte:
     * mend UTF-8 first and read NUL as U+FFFD, as browsers do */
    sr_buf mended = {0};
    bool utf8 = !strcmp(charset, "UTF-8");
    bool nul = memchr(html, 0, len) != NULL && !utf16(html, len);
    if ((utf8 && !sr_utf8_valid(html, len)) || nul) {
        sr_buf_init(&mended, len * 3 + 16);
        sr_err e = utf8 ? sr_utf8_sanitize(&mended, html, len) : sr_buf_append(&mended, html, len);
        if (e == SR_OK && nul)
            e = replace_nul(&mended, utf8);
        if (e != SR_OK) {
            sr_buf_free(&mended);
            return fail(ex, SR_ENOMEM, "out of memory", NULL);
        }
        html = mended.data;
        len = mended.len;
    }
    /* sitrep's own reader (html.c) reads UTF-8; a page in another character
     * set is converted first (glibc's iconv), unless iconv does not know it.
     * libxml2's parser reads those, and every page when SR_HTML=libxml2
     * (for comparison). */
    bool own = own_reader();
    char *converted = NULL;
    size_t converted_len = 0;
    if (own && !utf8 && !ascii_page(html, len, charset)) {
        converted = to_utf8(html, len, charset, &converted_len);
        own = converted != NULL;
    }
    sr_xml_arena_begin();
    htmlDocPtr doc = !own ? htmlReadMemory(html, (int)len, source_url, charset,
                                           HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                               HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS)
                     : converted ? sr_html_read(converted, converted_len, source_url)
                                 : sr_html_read(html, len, source_url);
    free(converted);
    sr_buf_free(&mended);
    if (!doc) {
        sr_xml_arena_end(NULL);
        if (own) {
            char limit[16];
            snprintf(limit, sizeof limit, "%u", SR_HTML_MAX_NODES);
            return fail(ex, SR_EPARSE, "HTML reader gave up: out of memory, or over %s elements and texts", limit);
        }
        return fail(ex, SR_EPARSE, "HTML parser gave up (charset %s)", charset);
    }

    sr_err err = SR_ENOMEM;
    sr_page pg = {.arena = arena, .doc = doc, .base_url = source_url};
    sr_article *a = pg.art = sr_arena_calloc(arena, sizeof *a);
    if (!a)
        goto done;
    a->source = source ? sr_arena_strdup(arena, source) : NULL;
    a->url = source_url ? sr_arena_strdup(arena, source_url) : NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (sr_tag_is(c, "body"))
            pg.body = c;
    if (!pg.body)
        pg.body = root;
    sr_meta_extract(&pg);
    if (!pg.base_url)
        pg.base_url = a->url;
    err = sr_body_extract(&pg);
    if (err == SR_OK)
        sr_meta_finish(&pg);
    if (err == SR_OK && a->text_len == 0 && !a->title)
        err = fail(ex, SR_EEMPTY, "no article text found", NULL);
    else if (err != SR_OK)
        fail(ex, err, "%s", sr_strerror(err));
    if (err == SR_OK) {
        count_words(a);
        *out = a;
    }
done:
    sr_xml_arena_end(doc);
    return err;
}

static bool own_reader(void)
{
    /* every thread that finds it unset computes the same value */
    static atomic_int own = -1;
    int v = atomic_load_explicit(&own, memory_order_relaxed);
    if (v < 0) {
        const char *e = getenv("SR_HTML");
        v = !(e && !strcmp(e, "libxml2"));
        atomic_store_explicit(&own, v, memory_order_relaxed);
    }
    return v;
}

/* A page in an ASCII-compatible character set that uses only ASCII reads
 * the same as UTF-8. */
static bool ascii_page(const char *s, size_t n, const char *charset)
{
    if (!strncasecmp(charset, "UTF-16", 6) || !strncasecmp(charset, "UTF-32", 6) ||
        !strncasecmp(charset, "ISO-2022", 8) || !strncasecmp(charset, "UTF-7", 5))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80 || s[i] == 0)
            return false;
    return true;
}

/* The page in UTF-8 (malloc'd), a byte that does not convert read as
 * U+FFFD; NULL when iconv does not know the character set. */
static char *to_utf8(const char *s, size_t n, const char *charset, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 4 + 16;   /* no character set takes fewer bytes than UTF-8 for a character */
    char *out = malloc(cap);
    char *in = (char *)s, *o = out;
    size_t in_left = n, out_left = cap;
    while (out && in_left) {
        if (iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1 || errno != EILSEQ || out_left < 3)
            break;   /* done, or a character cut by the end of the page */
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        out_left -= 3;
        in++;
        in_left--;
    }
    iconv_close(cd);
    *out_len = out ? (size_t)(o - out) : 0;
    return out;
}

static bool utf16(const char *s, size_t n)
{
    return n >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                      ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF));
}

/* NUL → U+FFFD in UTF-8 (a space in single-byte charsets, which have no
 * way to write U+FFFD). */
static sr_err replace_nul(sr_buf *b, bool utf8)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == 0;
    sr_buf out;
    sr_buf_init(&out, b->len + n * 3 + 16);
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i])
            sr_buf_putc(&out, b->data[i]);
        else
            sr_buf_puts(&out, utf8 ? "\xEF\xBF\xBD" : " ");
    }
    if (out.failed) {
        sr_buf_free(&out);
        return out.failed;
    }
    sr_buf_free(b);
    *b = out;
    return SR_OK;
}

/* HTML has a tag near its start; binary files have NUL bytes early on
 * (UTF-16 pages too, but they start with a byte-order mark). */
static bool looks_like_html(const char *s, size_t n)
{
    size_t probe = n < 4096 ? n : 4096;
    if (utf16(s, n))
        return true;
    if (memchr(s, 0, probe))
        return false;
    size_t scan = n < 65536 ? n : 65536;
    for (size_t i = 0; i + 1 < scan; i++)
        if (s[i] == '<' && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '!'))
            return true;
    return false;
}

/* A word starts at a byte that is not ' ', '\n' or '\t' after one that
 * is; eight bytes at a time where none is under 0x20 but ' ' (the text's
 * paragraphs are joined by "\n\n", so most words hold only spaces). */
static void count_words(sr_article *a)
{
    size_t w = 0, i = 0, n = a->text_len;
    const char *s = a->text;
    bool in = false;
    for (; SR_WORDWISE && n - i >= 8; i += 8) {
        uint64_t x = sr_load8(s + i);
        if (sr_bytes_below(x, 0x20)) {
            for (size_t k = i; k < i + 8; k++)
                w += word_byte((unsigned char)s[k], &in);
            continue;
        }
        uint64_t word = ~sr_bytes_below(x, 0x21) & SR_HIGH8;   /* ' ' is the only byte under 0x21 */
        w += sr_bytes_count(word & ~((word << 8) | (in ? 0x80u : 0)));
        in = word >> 63;
    }
    for (; i < n; i++)
        w += word_byte((unsigned char)s[i], &in);
    a->word_count = w;
}

/* One byte of count_words: 1 if a word starts there. */
static inline size_t word_byte(unsigned char c, bool *in)
{
    bool sp = c == ' ' || c == '\n' || c == '\t';
    size_t start = !sp && !*in;
    *in = !sp;
    return start;
}

static sr_err fail(sr_extractor *ex, sr_err err, const char *fmt, const char *arg)
{
    snprintf(ex->message, sizeof ex->message, fmt, arg ? arg : "");
    return err;
}

/* ---- output ------------------------------------------------------------- */

const char *sr_date_precision_name(sr_date_precision p)
{
    switch (p) {
    case SR_DATE_SECOND: return "second";
    case SR_DATE_DAY: return "day";
    case SR_DATE_MONTH: return "month";
    case SR_DATE_YEAR: return "year";
    default: return NULL;
    }
}

void sr_article_write_json(const sr_article *a, sr_json *j)
{
    sr_json_object_begin(j);
    sr_json_kv_string(j, "source", a->source);
    sr_json_kv_string(j, "url", a->url);
    sr_json_kv_string(j, "title", a->title);
    sr_json_kv_string(j, "published", a->published);
    sr_json_kv_string(j, "published_precision", sr_date_precision_name(a->published_precision));
    sr_json_kv_string(j, "published_source", a->published_source);
    sr_json_kv_string(j, "modified", a->modified);
    sr_json_key(j, "authors");
    sr_json_array_begin(j);
    for (size_t i = 0; i < a->n_authors; i++)
        sr_json_string(j, a->authors[i]);
    sr_json_array_end(j);
    sr_json_kv_string(j, "lang", a->lang);
    sr_json_kv_string(j, "site_name", a->site_name);
    sr_json_kv_string(j, "description", a->description);
    sr_json_key(j, "text");
    sr_json_stringn(j, a->text ? a->text : "", a->text ? a->text_len : 0);
    sr_json_key(j, "captions");
    sr_json_array_begin(j);
    for (size_t i = 0; i < a->n_captions; i++) {
        sr_json_object_begin(j);
        sr_json_kv_string(j, "text", a->captions[i].text);
        sr_json_kv_string(j, "credit", a->captions[i].credit);
        sr_json_object_end(j);
    }
    sr_json_array_end(j);
    sr_json_key(j, "images");
    sr_json_array_begin(j);
    for (size_t i = 0; i < a->n_images; i++)
        sr_json_string(j, a->images[i]);
    sr_json_array_end(j);
    sr_json_kv_int(j, "word_count", (long long)a->word_count);
    sr_json_object_end(j);
}
