/* Small text helpers for the extractor: whitespace-collapsing buffers in the
 * page arena, attribute access without copies, an element's visible text,
 * the text's Unicode normal form. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "extract_int.h"

static bool nfc_stable(const char *s, size_t n);
static size_t tb_byte(sr_textbuf *t, const char *s, size_t n, size_t i);
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

/* U+00A0 (no-break space) counts as a space: pages use it for layout.
 * Runs of ordinary bytes (no byte under 0x21, no 0xC2) are found and copied
 * eight bytes at a time; each other byte goes through tb_byte. */
void sr_tb_add(sr_textbuf *t, const char *s, size_t n)
{
    if (!grow(t, n + 1))
        return;
    /* grow leaves room for n + 2 bytes: n input bytes make at most n
     * output bytes and one pending space; so an eight-byte store at
     * t->len, made while eight input bytes are left, stays inside */
    size_t i = 0;
    while (i < n) {
        if (SR_WORDWISE && n - i >= 8) {
            uint64_t w = sr_load8(s + i);
            uint64_t m = sr_bytes_below(w, 0x21);
            if (w & SR_HIGH8)
                m |= sr_bytes_equal(w, 0xC2);
            unsigned k = m ? sr_bytes_first(m) : 8;
            if (k) {
                if (t->space && t->len > 0 && t->p[t->len - 1] != '\n')
                    t->p[t->len++] = ' ';
                t->space = false;
                memcpy(t->p + t->len, s + i, 8);
                t->len += k;
                i += k;
                continue;
            }
        }
        if (s[i] == ' ') {   /* the usual end of a run, without a call */
            t->space = true;
            i++;
            continue;
        }
        i = tb_byte(t, s, n, i);
    }
    t->p[t->len] = 0;
}

/* One byte of sr_tb_add (two for U+00A0); the index after it. */
static size_t tb_byte(sr_textbuf *t, const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (is_space(c) || (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
        t->space = true;
        return i + (c == 0xC2 ? 2 : 1);
    }
    if (t->space && t->len > 0 && t->p[t->len - 1] != '\n')
        t->p[t->len++] = ' ';
    t->space = false;
    t->p[t->len++] = (char)c;
    return i + 1;
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

static void node_text(sr_textbuf *t, xmlNodePtr n, int depth, size_t max)
{
    for (xmlNodePtr c = n->children; c && t->len < max; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                sr_tb_add(t, (const char *)c->content, strlen((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE && depth < 200) {
            int tag = sr_tag(c);
            if (tag == SR_TAG_script || tag == SR_TAG_style || tag == SR_TAG_noscript)
                continue;
            if (tag == SR_TAG_br || tag == SR_TAG_p || tag == SR_TAG_div || tag == SR_TAG_li)
                t->space = true;
            node_text(t, c, depth + 1, max);
        }
    }
}

char *sr_node_text(sr_arena *a, xmlNodePtr n)
{
    sr_textbuf t;
    sr_tb_init(&t, a, 128);
    node_text(&t, n, 0, SIZE_MAX);
    return t.p && t.len ? t.p : NULL;
}

/* The collapsed text only grows as nodes are added, and what is added
 * goes after what is there: once it holds max bytes, those are the first
 * bytes of the whole text, and the rest need not be read. */
char *sr_node_text_max(sr_arena *a, xmlNodePtr n, size_t max)
{
    sr_textbuf t;
    sr_tb_init(&t, a, 128);
    node_text(&t, n, 0, max);
    return t.p && t.len ? t.p : NULL;
}

/* Names by first byte, each as two words of its bytes (zero-padded; no
 * name in the list is longer than 16), built once: a name read the same
 * way meets its candidates with two compares each, without strlen. */
static struct tag_name { uint64_t lo, hi; uint8_t id; } tag_names[SR_TAG_COUNT];
static uint8_t tag_at[257];
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

/* The first 16 bytes of a name as two zero-padded words; false when the
 * name is longer (then it is none of the list). */
static bool name_words(const char *name, uint64_t *lo, uint64_t *hi)
{
    unsigned char b[16] = {0};
    size_t k = 0;
    while (name[k]) {
        if (k == 16)
            return false;
        b[k] = (unsigned char)name[k];
        k++;
    }
    memcpy(lo, b, 8);
    memcpy(hi, b + 8, 8);
    return true;
}

static void tag_build(void)
{
    static const char *const names[] = {
#define SR_TAG_NAME(t) #t,
        SR_TAGS(SR_TAG_NAME)
#undef SR_TAG_NAME
    };
    /* the list is in byte order, so each first byte's names are adjacent */
    size_t n = sizeof names / sizeof *names;
    for (size_t i = 0; i < n; i++) {
        name_words(names[i], &tag_names[i].lo, &tag_names[i].hi);
        tag_names[i].id = (uint8_t)(SR_TAG_OTHER + 1 + i);
    }
    size_t k = 0;
    for (int b = 0; b < 256; b++) {
        tag_at[b] = (uint8_t)k;
        while (k < n && (unsigned char)names[k][0] == b)
            k++;
    }
    tag_at[256] = (uint8_t)k;
}

int sr_tag_lookup(xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return SR_TAG_NONE;
    if (n->extra)
        return n->extra;
    pthread_once(&tag_once, tag_build);
    const char *name = (const char *)n->name;
    int id = SR_TAG_OTHER;
    uint64_t lo, hi;
    unsigned char b = (unsigned char)name[0];
    if (tag_at[b] < tag_at[b + 1] && name_words(name, &lo, &hi))
        for (unsigned i = tag_at[b]; i < tag_at[b + 1]; i++)
            if (tag_names[i].lo == lo && tag_names[i].hi == hi) {
                id = tag_names[i].id;
                break;
            }
    n->extra = (unsigned short)id;
    return id;
}

bool sr_tag_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* strcasestr's answer (ASCII letters folded, as in the C locale sitrep
 * runs in) without its set-up, which costs more than the search on the
 * short class, id and itemprop values it is asked about. */
bool sr_contains_ci(const char *s, const char *needle)
{
    if (!needle[0])
        return true;
    unsigned char lo = (unsigned char)tolower((unsigned char)needle[0]);
    unsigned char up = (unsigned char)toupper((unsigned char)needle[0]);
    size_t k = strlen(needle);
    for (; *s; s++)
        if (((unsigned char)*s == lo || (unsigned char)*s == up) && !strncasecmp(s, needle, k))
            return true;
    return false;
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
        if (n - i >= 8 && !(sr_load8(s + i) & SR_HIGH8)) {
            i += 8;
            continue;
        }
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
