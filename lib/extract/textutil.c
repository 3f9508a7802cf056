/* Small text helpers for the extractor: whitespace-collapsing buffers in the
 * page arena, attribute access without copies, an element's visible text,
 * the text's Unicode normal form. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "extract_int.h"

static bool nfc_stable(const char *s, size_t n);
static bool nfc_starter(int32_t cp);

void sr_tb_init(sr_textbuf *t, sr_arena *a, size_t cap)
{
    t->arena = a;
    t->cap = cap < 64 ? 64 : cap;
    t->p = sr_arena_alloc(a, t->cap);
    t->len = 0;
    t->space = false;
    if (t->p)
        t->p[0] = 0;
}

static bool grow(sr_textbuf *t, size_t need)
{
    if (!t->p)
        return false;
    if (t->len + need + 1 <= t->cap)
        return true;
    size_t cap = t->cap * 2;
    while (cap < t->len + need + 1)
        cap *= 2;
    char *p = sr_arena_alloc(t->arena, cap);
    if (!p) {
        t->p = NULL;
        return false;
    }
    memcpy(p, t->p, t->len + 1);
    t->p = p;
    t->cap = cap;
    return true;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* U+00A0 (no-break space) counts as a space: pages use it for layout. */
void sr_tb_add(sr_textbuf *t, const char *s, size_t n)
{
    if (!grow(t, n + 1))
        return;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c) || (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
            if (c == 0xC2)
                i++;
            t->space = true;
            continue;
        }
        if (t->space && t->len > 0 && t->p[t->len - 1] != '\n')
            t->p[t->len++] = ' ';
        t->space = false;
        t->p[t->len++] = (char)c;
    }
    t->p[t->len] = 0;
}

void sr_tb_raw(sr_textbuf *t, const char *s, size_t n)
{
    if (!grow(t, n))
        return;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = 0;
    t->space = false;
}

char *sr_collapse(sr_arena *a, const char *s)
{
    if (!s)
        return NULL;
    sr_textbuf t;
    sr_tb_init(&t, a, strlen(s) + 1);
    sr_tb_add(&t, s, strlen(s));
    return t.p && t.len ? t.p : NULL;
}

static void node_text(sr_textbuf *t, xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                sr_tb_add(t, (const char *)c->content, strlen((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE && depth < 200) {
            if (sr_tag_is(c, "script") || sr_tag_is(c, "style") || sr_tag_is(c, "noscript"))
                continue;
            if (sr_tag_is(c, "br") || sr_tag_is(c, "p") || sr_tag_is(c, "div") || sr_tag_is(c, "li"))
                t->space = true;
            node_text(t, c, depth + 1);
        }
    }
}

char *sr_node_text(sr_arena *a, xmlNodePtr n)
{
    sr_textbuf t;
    sr_tb_init(&t, a, 128);
    node_text(&t, n, 0);
    return t.p && t.len ? t.p : NULL;
}

bool sr_tag_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

const char *sr_attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->name && strcasecmp((const char *)a->name, name) == 0) {
            if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
                return a->children->content ? (const char *)a->children->content : "";
            return "";
        }
    }
    return NULL;
}

/* The text in Unicode's composed form (NFC), as the web mostly writes it
 * and as matching downstream expects: pages mix the forms ("য়" as one code
 * point or two). Most pages are in NFC already, and proving that costs a
 * fraction of normalising (nfc_stable), so utf8proc runs only on the rest. */
void sr_article_nfc(sr_arena *arena, sr_article *a)
{
    if (nfc_stable(a->text, a->text_len))
        return;
    utf8proc_uint8_t *c = utf8proc_NFC((const utf8proc_uint8_t *)a->text);
    if (!c)
        return;
    char *t = sr_arena_strdup(arena, (const char *)c);
    free(c);
    if (t) {
        a->text = t;
        a->text_len = strlen(t);
    }
}

/* NFC leaves a text as it is when every code point is a starter that is in
 * composed form and never the second of a composed pair: then nothing is
 * reordered, nothing decomposes for good and nothing joins its neighbour.
 * Text below U+0300 (lead bytes under 0xCC) is always so. From U+0300 on,
 * the seconds of pairs are marks (category M) and the Hangul jamo, and the
 * other characters with a canonical decomposition are tried alone. */
static bool nfc_stable(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0xCC) {
            i++;
            continue;
        }
        int32_t cp = sr_utf8_decode(s, n, &i);
        if (cp < 0 || !nfc_starter(cp))
            return false;
    }
    return true;
}

static bool nfc_starter(int32_t cp)
{
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return true;    /* Hangul syllables: composed, joined only by a trailing jamo */
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xD7B0 && cp <= 0xD7FF))
        return false;   /* Hangul jamo */
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class || p->category == UTF8PROC_CATEGORY_MN ||
        p->category == UTF8PROC_CATEGORY_MC || p->category == UTF8PROC_CATEGORY_ME)
        return false;
    if (p->decomp_seqindex == UINT16_MAX || p->decomp_type)
        return true;    /* no canonical decomposition (NFC ignores compatibility ones) */
    /* composed (é as one code point), excluded or a singleton: NFC of the
     * character alone, with the options utf8proc_NFC uses, says which */
    utf8proc_uint8_t u[4];
    utf8proc_int32_t buf[8];
    utf8proc_ssize_t len = utf8proc_encode_char(cp, u);
    const int opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t k = utf8proc_decompose(u, len, buf, 8, opt);
    if (k < 1 || k > 8)
        return false;
    k = utf8proc_normalize_utf32(buf, k, opt);
    return k == 1 && buf[0] == cp;
}
