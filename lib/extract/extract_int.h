/* What the extract module's files share; not part of the public API. */
#ifndef SR_EXTRACT_INT_H
#define SR_EXTRACT_INT_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "sitrep/extract.h"

struct sr_extractor {
    sr_extract_options opt;
    char message[256];
};

/* Per-element figures, hung on xmlNode._private for one page. */
typedef struct sr_node {
    uint32_t text;      /* bytes of visible text below, whitespace runs counted once */
    uint32_t link;      /* of which inside <a> */
    uint32_t commas;
    uint32_t para_text; /* text of scoring paragraphs below */
    uint16_t paras;     /* <p>-like blocks below */
    int8_t hint;        /* class/id: -2 boilerplate, -3 boilerplate and article words, -1 likely boilerplate, +1 article, 0 */
    uint8_t drop;       /* never content (script, nav, hidden, ...) */
    uint8_t is_para;    /* a paragraph for scoring: p, pre, td, blockquote, a div of text */
    uint8_t thread;     /* a list of reader comments: its items each carry a "reply" control */
    uint8_t has_h1;     /* 1: an <h1> below (or this is one), 2: an <h2> */
    uint8_t lead;       /* class/id/itemprop name a standfirst ("teaser", "intro", "description") */
    uint16_t replies;   /* "reply" controls below */
    float score;
} sr_node;

#define SR_NODE(n) ((sr_node *)(n)->_private)

/* Everything one page's extraction needs; lives in the page's arena. */
typedef struct sr_page {
    sr_arena *arena;
    htmlDocPtr doc;
    xmlNodePtr body;
    const char *base_url;        /* for resolving relative links */
    sr_article *art;
    xmlNodePtr title_node;       /* the headline element found, if any */
    const char *doc_title;       /* <title> as written */
    void *meta;                  /* meta.c's findings, for sr_meta_finish */
    const char *ld_body;         /* JSON-LD articleBody, if the page has one */
    const char *byline;          /* a "By ..." line taken out of the text */
} sr_page;

/* charset.c */
const char *sr_html_charset(const char *html, size_t len, const char *content_type,
                            char *buf, size_t bufsz);

/* meta.c */
void sr_meta_extract(sr_page *pg);
void sr_meta_finish(sr_page *pg);
char *sr_meta_absolute(sr_page *pg, const char *url);   /* resolved against the page */

/* body.c */
sr_err sr_body_extract(sr_page *pg);

/* dates.c: parse a date in the usual web forms into ISO 8601. */
sr_date_precision sr_date_parse(const char *s, char *iso, size_t isosz);
sr_date_precision sr_date_from_url(const char *url, char *iso, size_t isosz);
bool sr_date_find(const char *text, size_t n, char *iso, size_t isosz);

/* furniture.c: page furniture recognised by its words. */
bool sr_furniture_line(const char *s, size_t n);
bool sr_is_duration(const char *s, size_t n);
/* -2 boilerplate words, -3 the same beside an article word ("article paywall"),
 * -1 weaker ones without an article word, +1 article, 0 neither */
int sr_class_hint(const xmlChar *cls, const xmlChar *id, bool *lead);   /* lead: a standfirst word */

/* text helpers (textutil.c) */
typedef struct sr_textbuf {
    char *p;
    size_t len, cap;
    sr_arena *arena;
    bool space;      /* a space is pending */
} sr_textbuf;
void sr_tb_init(sr_textbuf *t, sr_arena *a, size_t cap);
void sr_tb_add(sr_textbuf *t, const char *s, size_t n);   /* collapses whitespace */
void sr_tb_raw(sr_textbuf *t, const char *s, size_t n);
char *sr_collapse(sr_arena *a, const char *s);            /* trimmed, whitespace collapsed */
char *sr_node_text(sr_arena *a, xmlNodePtr n);           /* visible text, collapsed */
bool sr_tag_is(xmlNodePtr n, const char *name);
const char *sr_attr(xmlNodePtr n, const char *name);     /* no copy; NULL if absent */
void sr_article_nfc(sr_arena *arena, sr_article *a);   /* text to Unicode NFC */

/* xmlarena.c: libxml2's allocations of one page come from a per-thread
 * region; end frees the page's tree (doc may be NULL). */
void sr_xml_arena_init(void);
void sr_xml_arena_begin(void);
void sr_xml_arena_end(xmlDocPtr doc);
/* Memory for sitrep's reader's tree, cut into nodes by the reader: it lives
 * until sr_xml_arena_end, which drops the tree of the doc named by
 * sr_xml_arena_blocks_doc whole instead of freeing its nodes one by one. */
void *sr_xml_arena_block(size_t n);
void sr_xml_arena_blocks_doc(xmlDocPtr doc);

/* html.c: sitrep's own HTML reader. The page must be UTF-8 (invalid
 * bytes are copied as they are); the tree it returns is libxml2's, built in
 * the page's region, so call it between sr_xml_arena_begin and end. NULL
 * when memory runs out or the page makes over SR_HTML_MAX_NODES nodes. */
#define SR_HTML_MAX_NODES (1u << 22) /* some 600 MB of tree; a 32 MB news page makes 1-2 M */
htmlDocPtr sr_html_read(const char *html, size_t len, const char *url);

/* furniture.c: sr_class_hint in two steps, so that callers can keep what
 * one class attribute says (pages repeat the same classes) */
enum { SR_NAMES_STRONG = 1, SR_NAMES_WEAK = 2, SR_NAMES_POS = 4, SR_NAMES_LEAD = 8 };
unsigned sr_names_hint(const char *names);                  /* SR_NAMES_ bits */
int sr_names_combine(unsigned cls, unsigned id, bool *lead);  /* as sr_class_hint */

/* textutil.c: the element names the extractor tests, looked up once per
 * element and kept in xmlNode.extra (which libxml2's HTML parser and html.c leave 0),
 * so the walks compare small numbers instead of strings. */
#define SR_TAGS(X) X(a) X(address) X(article) X(aside) X(audio) X(blockquote) X(body) X(br) \
    X(button) X(canvas) X(center) X(dd) X(details) X(dialog) X(div) X(dl) X(dt) X(embed) \
    X(fieldset) X(figcaption) X(figure) X(footer) X(form) X(h1) X(h2) X(h3) X(h4) X(h5) X(h6) \
    X(head) X(header) X(hr) X(html) X(iframe) X(img) X(input) X(label) X(li) X(link) X(main) \
    X(map) X(menu) X(meta) X(nav) X(noscript) X(object) X(ol) X(option) X(p) X(pre) X(script) \
    X(section) X(select) X(span) X(style) X(summary) X(svg) X(table) X(tbody) X(td) \
    X(template) X(textarea) X(tfoot) X(th) X(thead) X(time) X(title) X(tr) X(ul) X(video)
enum sr_tag_id {
    SR_TAG_NONE,    /* not an element */
    SR_TAG_OTHER,   /* an element not in the list */
#define SR_TAG_ENUM(t) SR_TAG_##t,
    SR_TAGS(SR_TAG_ENUM)
#undef SR_TAG_ENUM
    SR_TAG_COUNT
};
int sr_tag_lookup(xmlNodePtr n);
static inline int sr_tag(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->extra ? n->extra : sr_tag_lookup(n);
}
bool sr_contains_ci(const char *s, const char *needle);   /* strcasestr(s, needle) != NULL */

/* ---- eight bytes at a time ------------------------------------------------
 * Text is scanned a word (8 bytes) at a time where a byte loop showed in
 * the profile. Each test leaves 0x80 in exactly the bytes that pass it (no
 * carry crosses from one byte into the next). */
#include <string.h>
#define SR_ONES8 0x0101010101010101ULL
#define SR_HIGH8 0x8080808080808080ULL
/* the loops that shift masks between neighbouring bytes assume the first
 * byte is the lowest; elsewhere they take the byte-at-a-time path */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SR_WORDWISE 1
#else
#define SR_WORDWISE 0
#endif

static inline uint64_t sr_load8(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* the bytes of w below b (b <= 0x80) */
static inline uint64_t sr_bytes_below(uint64_t w, unsigned b)
{
    return ~(((w & ~SR_HIGH8) + SR_ONES8 * (0x80u - b)) | w) & SR_HIGH8;
}

/* the bytes of w equal to c */
static inline uint64_t sr_bytes_equal(uint64_t w, unsigned c)
{
    uint64_t x = w ^ (SR_ONES8 * c);
    return ~(((x & ~SR_HIGH8) + ~SR_HIGH8) | x) & SR_HIGH8;
}

/* how many bytes a mask marks */
static inline unsigned sr_bytes_count(uint64_t m)
{
    return (unsigned)(((m >> 7) * SR_ONES8) >> 56);
}

/* the index of the first byte in memory order a mask (not 0) marks */
static inline unsigned sr_bytes_first(uint64_t m)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (unsigned)__builtin_ctzll(m) >> 3;
#else
    unsigned char b[8];
    unsigned k = 0;
    memcpy(b, &m, 8);
    while (!b[k])
        k++;
    return k;
#endif
}

/* textutil.c: sr_node_text read only until it holds max bytes or more (so
 * its first max bytes, when it has that many) */
char *sr_node_text_max(sr_arena *a, xmlNodePtr n, size_t max);

#endif
