/* sitrep's own HTML reader: a page of UTF-8 into the same libxml2 tree that
 * libxml2's HTML parser builds, so the extractor walks it unchanged.
 *
 * Why: libxml2's HTML parser was a third of all `sitrep ingest` time; it
 * decodes and copies the page a character at a time. This reader finds
 * '<' and '&' with memchr and a byte table, copies text runs whole, and
 * cuts its nodes and texts from blocks of the page's region (xmlarena.c),
 * which the page's end drops whole. Measured figures are in
 * docs/extract.md, "Reading HTML".
 *
 * The tokenizer follows the WHATWG HTML tokenizer where news pages need
 * it (tags, attributes, comments, doctype, character references, raw text
 * of script, style, xmp, iframe, noembed and noframes, decoded text without
 * markup in title and textarea). The tree follows libxml2's HTML parser, not the
 * WHATWG tree builder, because the extractor was written and measured
 * against libxml2's trees: the same implied html/head/body/p, the same
 * start tags that close open elements, the same end-tag ranks that stop
 * a stray end tag from closing a div or a table, the same void elements,
 * and the same whitespace-only text dropped as HTML_PARSE_NOBLANKS drops
 * it. Comments, doctype and processing instructions make no nodes: the
 * extractor never reads them.
 *
 * Limits: elements nest at most MAX_DEPTH deep (deeper start tags are
 * dropped, their text kept), and a page makes at most SR_HTML_MAX_NODES
 * nodes: a page over it is not read at all (NULL, which the caller
 * reports), since half a hostile page is no article. Nothing here
 * recurses. */
#define _GNU_SOURCE   /* memmem */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/dict.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include "extract_int.h"

#define MAX_DEPTH 256     /* libxml2's own bound on open elements */
#define MAX_ATTRS 128     /* per tag; more are ignored */
#define MAX_NAME 100      /* longer tag and attribute names are cut */
#define KEY_BYTES 16      /* a name this long or shorter is compared as two words */

/* ---- tags ---------------------------------------------------------- */

enum { F_VOID = 1, F_PCDATA = 2, F_HEADISH = 4, F_RAW = 8, F_RAWTEXT = 16, F_RCDATA = 32 };

typedef struct tag_info {
    const char *name;
    size_t len;
    uint64_t key[2];   /* the name's first KEY_BYTES bytes, zeros after it */
    uint8_t flags;
    uint8_t rank;      /* end-tag rank: a stray end tag closes nothing ranked above it */
    int8_t bit;        /* index in the closes masks, -1 if no start tag closes it */
    uint64_t closes;   /* open elements (by bit) this start tag closes */
} tag_info;

enum {
    T_OTHER, T_HTML, T_HEAD, T_BODY, T_P, T_DIV, T_TABLE, T_TD, T_TH, T_TR, T_THEAD, T_TBODY, T_TFOOT,
    T_NOFRAMES, T_FRAME, T_FRAMESET, T_FIRST_FREE
};

/* Tags with a fixed id above, then every other tag a rule below names. */
static const char *const fixed_names[T_FIRST_FREE] = {
    "", "html", "head", "body", "p", "div", "table", "td", "th", "tr", "thead", "tbody", "tfoot",
    "noframes", "frame", "frameset",
};

/* libxml2's element behaviour (HTMLparser.c of libxml2 2.9, read for
 * compatibility): its void elements, the elements in which blank text is
 * kept, the head elements that imply a <head>, and script and style read
 * as raw text. */
static const char void_tags[] = "area base basefont br col frame hr img input isindex link meta param";
static const char pcdata_tags[] =
    "a abbr acronym address applet b bdo big blockquote body button caption center cite code dd del "
    "dfn div dt em font form h1 h2 h3 h4 h5 h6 i iframe ins kbd label legend li noframes noscript "
    "object p pre q s samp small span strike strong td th tt u var";
static const char headish_tags[] = "script style meta link title base";
static const char raw_tags[] = "script style";
/* WHATWG's other raw-text elements, and the two whose text is decoded but
 * holds no markup: libxml2 parsed markup inside them */
static const char rawtext_tags[] = "xmp iframe noembed noframes";
static const char rcdata_tags[] = "title textarea";

/* Which open element a start tag closes, as "open: start tags that close
 * it" (libxml2's start-close table, regrouped). Only the innermost open
 * element is tested, again and again, as libxml2 does. */
static const char *const close_rules[] = {
    ("head: a abbr acronym address b bdo big blockquote body br center cite code dd dfn dir div dl dt "
     "em fieldset font form frameset h1 h2 h3 h4 h5 h6 hr i iframe img kbd li listing map menu ol p pre q "
     "s samp small span strike strong sub sup table tt u ul var xmp"),
    ("p: address blockquote body caption center col colgroup dd dir div dl dt fieldset form frameset "
     "h1 h2 h3 h4 h5 h6 head hr li listing menu ol p pre table tbody td tfoot th title tr ul xmp"),
    "a: a fieldset table td th",
    "b: center p td th", "i: center p td th", "u: p td th", "font: center td th", "span: td th",
    "big: p", "s: p", "small: p", "strike: p", "tt: p",
    "h1: fieldset form li p table", "h2: fieldset form li p table", "h3: fieldset form li p table",
    "h4: fieldset form li p table", "h5: fieldset form li p table", "h6: fieldset form li p table",
    "address: dd dl dt form li ul", "dir: dd dl dt form ul", "menu: dd dl dt form ul",
    "listing: dd dl dt fieldset form li table ul", "xmp: dd dl dt fieldset form li table ul",
    "pre: dd dl dt fieldset form li table ul",
    "dl: form li", "ol: form", "ul: address form menu pre", "hr: form", "form: form",
    "dd: dt", "dt: dd dl", "li: li",
    "caption: col colgroup tbody tfoot thead tr", "col: col colgroup tbody tfoot thead tr",
    "colgroup: colgroup tbody tfoot thead tr",
    "tbody: tbody tfoot", "tfoot: tbody", "thead: tbody tfoot", "tr: tbody tfoot tr",
    "td: tbody td tfoot th tr", "th: tbody td tfoot th tr",
    "option: optgroup option", "legend: fieldset", "script: noscript",
    "link: body frameset", "style: body frameset", "title: body frameset",
};

#define MAX_TAGS 160
#define HASH_SLOTS 512

static tag_info tags[MAX_TAGS];
static int n_tags;
static uint8_t tag_slot[HASH_SLOTS];   /* tag id + 1; 0 empty */

/* ---- character references ------------------------------------------ */

#define ENT_SLOTS 1024
typedef struct entity {
    char name[12];
    uint32_t cp;
} entity;
static entity entities[ENT_SLOTS];

/* HTML5 names for ASCII punctuation that libxml2's HTML 4 table lacks. */
static const struct {
    const char *name;
    uint32_t cp;
} html5_names[] = {
    {"Tab", 9}, {"NewLine", 10}, {"excl", '!'}, {"num", '#'}, {"dollar", '$'}, {"percnt", '%'},
    {"lpar", '('}, {"rpar", ')'}, {"ast", '*'}, {"plus", '+'}, {"comma", ','}, {"period", '.'},
    {"sol", '/'}, {"colon", ':'}, {"semi", ';'}, {"equals", '='}, {"quest", '?'}, {"commat", '@'},
    {"lsqb", '['}, {"lbrack", '['}, {"bsol", '\\'}, {"rsqb", ']'}, {"rbrack", ']'}, {"Hat", '^'},
    {"lowbar", '_'}, {"grave", '`'}, {"lcub", '{'}, {"lbrace", '{'}, {"verbar", '|'}, {"vert", '|'},
    {"rcub", '}'}, {"rbrace", '}'}, {"QUOT", '"'}, {"AMP", '&'}, {"LT", '<'}, {"GT", '>'},
    {"hyphen", 0x2010}, {"dash", 0x2010}, {"nbsp", 0xA0},
};

/* Names a browser reads without their ';' in text (the commonest of
 * WHATWG's legacy list); in attribute values a ';' is always needed. */
static const char *const bare_names[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg"};

/* ---- the page being read ------------------------------------------- */

typedef struct attr_tok {
    const char *name;     /* lower-cased in the token's buffer */
    size_t name_len;
    uint32_t hash;        /* name_hash of the name */
    const char *value;    /* raw, NULL when the attribute has no value */
    size_t value_len;
} attr_tok;

typedef struct tag_tok {
    char name[MAX_NAME + KEY_BYTES];   /* zeros after the name, at least KEY_BYTES */
    size_t name_len;
    uint32_t hash;
    int id;
    bool self_closing;
    attr_tok attrs[MAX_ATTRS];
    char attr_names[MAX_ATTRS][MAX_NAME + KEY_BYTES];
    int n_attrs;
    bool overflow;   /* attributes past MAX_ATTRS were read into the last name buffer */
} tag_tok;

/* Names interned in this page's dictionary, found again without asking
 * it: xmlDictLookup was 7 % of the reader, once per attribute, while a
 * page uses a few dozen attribute names. */
#define NAME_SLOTS 256
typedef struct name_slot {
    const xmlChar *name;   /* the dictionary's string; NULL empty */
    uint32_t hash;
    uint32_t len;
    uint64_t key[2];       /* as tag_info's */
} name_slot;

typedef struct reader {
    const char *p, *end;
    htmlDocPtr doc;
    xmlDictPtr dict;
    const xmlChar *names[MAX_TAGS];   /* known tag names interned in this doc */
    int depth;
    int ignored_ends;   /* html/head/body start tags dropped: as many of their end tags are too */
    int seen;           /* 1 a head was opened, 2 a body was */
    bool strict;        /* an HTML 4.01 strict doctype: libxml2 drops blank text in body */
    bool failed;        /* out of memory or over SR_HTML_MAX_NODES */
    size_t nodes;
    char *slab, *slab_end;   /* the block nodes and texts are cut from */
    int n_names;
    name_slot names_seen[NAME_SLOTS];
    /* from here on nothing is read before it is written: not zeroed */
    xmlNodePtr open[MAX_DEPTH];
    const xmlChar *qnames[MAX_DEPTH];   /* names as written, for end tags */
    int ids[MAX_DEPTH];
    int16_t last_child[MAX_DEPTH];   /* tag of the last element put in open[i]; -1 look it up by name */
    tag_tok tok;
} reader;

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static void tables_init(void);
static void read_page(reader *r);
static void free_doc(reader *r);

htmlDocPtr sr_html_read(const char *html, size_t len, const char *url)
{
    pthread_once(&tables_once, tables_init);
    reader *r = xmlMalloc(sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, offsetof(reader, open));
    r->p = html;
    r->end = html + len;
    if (len >= 3 && !memcmp(html, "\xEF\xBB\xBF", 3))
        r->p += 3;
    r->doc = htmlNewDocNoDtD(NULL, NULL);
    r->dict = r->doc ? xmlDictCreate() : NULL;
    if (r->dict) {
        r->doc->dict = r->dict;
        sr_xml_arena_blocks_doc(r->doc);
        if (url)
            r->doc->URL = xmlStrdup((const xmlChar *)url);
        read_page(r);
    } else {
        r->failed = true;
    }
    htmlDocPtr doc = r->doc;
    if (r->failed)
        free_doc(r), doc = NULL;
    xmlFree(r);
    return doc;
}

static void free_doc(reader *r)
{
    if (r->doc) {
        /* the tree is cut from blocks the page's end frees */
        r->doc->children = r->doc->last = NULL;
        sr_xml_arena_blocks_doc(NULL);
        xmlFreeDoc(r->doc);
    }
    else if (r->dict)
        xmlDictFree(r->dict);
    r->doc = NULL;
}

/* ---- tables -------------------------------------------------------- */

#define FNV_START 2166136261u
static inline uint32_t fnv_step(uint32_t h, char c)
{
    return (h ^ (unsigned char)c) * 16777619u;
}

/* Whether the name s (n bytes, zeros after it up to KEY_BYTES) is the one
 * whose key and bytes are given: two word compares for most names, where
 * memcmp's call was a third of each lookup. */
static inline bool same_name(const char *s, size_t n, const uint64_t key[2], const void *bytes)
{
    if (n > KEY_BYTES)
        return !memcmp(s, bytes, n);
    uint64_t w[2];
    memcpy(w, s, sizeof w);
    return w[0] == key[0] && w[1] == key[1];
}

/* A name's hash from its first KEY_BYTES bytes (s has zeros after the
 * name up to there): two multiplies a name instead of one a byte. */
static inline uint32_t key_hash(const char *s, size_t n)
{
    if (n > KEY_BYTES) {
        uint32_t h = FNV_START;
        for (size_t i = 0; i < n; i++)
            h = fnv_step(h, s[i]);
        return h;
    }
    uint64_t w[2];
    memcpy(w, s, sizeof w);
    uint64_t h = (w[0] ^ (w[1] * 0x9E3779B97F4A7C15ull) ^ n) * 0xBF58476D1CE4E5B9ull;
    return (uint32_t)(h >> 32);
}

static uint32_t name_hash(const char *s, size_t n)
{
    if (n > KEY_BYTES)
        return key_hash(s, n);
    char key[KEY_BYTES] = {0};
    memcpy(key, s, n);
    return key_hash(key, n);
}

static int tag_find(const char *s, size_t n)
{
    for (uint32_t i = name_hash(s, n) % HASH_SLOTS;; i = (i + 1) % HASH_SLOTS) {
        int id = tag_slot[i] - 1;
        if (id < 0)
            return T_OTHER;
        if (tags[id].len == n && !memcmp(tags[id].name, s, n))   /* names may hold NUL bytes */
            return id;
    }
}

/* tag_find for a token's name: zeros after it, its hash made */
static int tag_find_token(const char *s, size_t n, uint32_t hash)
{
    for (uint32_t i = hash % HASH_SLOTS;; i = (i + 1) % HASH_SLOTS) {
        int id = tag_slot[i] - 1;
        if (id < 0)
            return T_OTHER;
        if (tags[id].len == n && same_name(s, n, tags[id].key, tags[id].name))
            return id;
    }
}

static int tag_add(const char *s, size_t n)
{
    int id = tag_find(s, n);
    if (id != T_OTHER || n_tags >= MAX_TAGS)
        return id;
    char *name = malloc(n + 1);   /* lives as long as the process */
    if (!name)
        return T_OTHER;
    memcpy(name, s, n);
    name[n] = 0;
    id = n_tags++;
    tags[id] = (tag_info){.name = name, .len = n, .rank = 100, .bit = -1};
    memcpy(tags[id].key, name, n < KEY_BYTES ? n : KEY_BYTES);
    uint32_t i = name_hash(s, n) % HASH_SLOTS;
    while (tag_slot[i])
        i = (i + 1) % HASH_SLOTS;
    tag_slot[i] = (uint8_t)(id + 1);
    return id;
}

/* Calls fn for each space-separated word of list. */
static void each_word(const char *list, void (*fn)(int id, void *arg), void *arg)
{
    for (const char *s = list; *s;) {
        size_t n = strcspn(s, " ");
        if (n)
            fn(tag_add(s, n), arg);
        s += n;
        s += *s == ' ';
    }
}

static void set_flag(int id, void *arg) { tags[id].flags |= *(uint8_t *)arg; }

static void set_closes(int id, void *arg)
{
    tags[id].closes |= (uint64_t)1 << tags[*(int *)arg].bit;
}

static void tables_init(void)
{
    n_tags = 1;
    tags[T_OTHER] = (tag_info){.name = "", .rank = 100, .bit = -1};
    for (int i = 1; i < T_FIRST_FREE; i++)
        tag_add(fixed_names[i], strlen(fixed_names[i]));
    static const struct {
        const char *name;
        uint8_t rank;
    } ranks[] = {{"div", 150}, {"td", 160}, {"th", 160}, {"tr", 170}, {"thead", 180}, {"tbody", 180},
                 {"tfoot", 180}, {"table", 190}, {"head", 200}, {"body", 200}, {"html", 220}};
    for (size_t i = 0; i < sizeof ranks / sizeof *ranks; i++)
        tags[tag_add(ranks[i].name, strlen(ranks[i].name))].rank = ranks[i].rank;
    uint8_t f;
    each_word(void_tags, set_flag, (f = F_VOID, &f));
    each_word(pcdata_tags, set_flag, (f = F_PCDATA, &f));
    each_word(headish_tags, set_flag, (f = F_HEADISH, &f));
    each_word(raw_tags, set_flag, (f = F_RAW, &f));
    each_word(rawtext_tags, set_flag, (f = F_RAWTEXT, &f));
    each_word(rcdata_tags, set_flag, (f = F_RCDATA, &f));
    int bits = 0;
    for (size_t i = 0; i < sizeof close_rules / sizeof *close_rules; i++) {
        const char *rule = close_rules[i];
        size_t n = strcspn(rule, ":");
        int old = tag_add(rule, n);
        if (tags[old].bit < 0)
            tags[old].bit = (int8_t)bits++;
        each_word(rule + n + 2, set_closes, &old);
    }
    /* every named reference libxml2 knows, found through its public lookup */
    for (uint32_t cp = 1; cp < 0x3000; cp++) {
        const htmlEntityDesc *e = htmlEntityValueLookup(cp);
        if (e && e->value == cp && strlen(e->name) < sizeof entities[0].name) {
            uint32_t i = name_hash(e->name, strlen(e->name)) % ENT_SLOTS;
            while (entities[i].name[0] && strcmp(entities[i].name, e->name))
                i = (i + 1) % ENT_SLOTS;
            strcpy(entities[i].name, e->name);
            entities[i].cp = cp;
        }
    }
    for (size_t k = 0; k < sizeof html5_names / sizeof *html5_names; k++) {
        const char *nm = html5_names[k].name;
        uint32_t i = name_hash(nm, strlen(nm)) % ENT_SLOTS;
        while (entities[i].name[0] && strcmp(entities[i].name, nm))
            i = (i + 1) % ENT_SLOTS;
        strcpy(entities[i].name, nm);
        entities[i].cp = html5_names[k].cp;
    }
}

static uint32_t entity_find(const char *s, size_t n)
{
    if (n >= sizeof entities[0].name)
        return 0;
    for (uint32_t i = name_hash(s, n) % ENT_SLOTS; entities[i].name[0]; i = (i + 1) % ENT_SLOTS)
        if (!strncmp(entities[i].name, s, n) && entities[i].name[n] == 0)
            return entities[i].cp;
    return 0;
}

/* ---- the tokenizer ------------------------------------------------- */

static void start_tag(reader *r, tag_tok *t);
static void end_tag(reader *r, int id, const char *name, size_t n, uint32_t hash);
static void text(reader *r, const char *s, size_t n);
enum text_kind { DECODED, AS_IS, AS_CDATA };
static void raw_text(reader *r, const char *s, size_t n, enum text_kind kind);
static const char *read_tag(reader *r, const char *p, tag_tok *t);
static const char *skip_markup(reader *r, const char *p);

static inline bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static inline bool is_alpha(unsigned char c)
{
    return (unsigned char)((c | 0x20) - 'a') < 26;
}

/* What ends a tag or attribute name, by byte: one load instead of six
 * comparisons per character of every name. */
enum { B_SPACE = 1, B_SLASH = 2, B_GT = 4, B_EQ = 8, B_BLANK = 16 };
static const uint8_t byte_class[256] = {
    [' '] = B_SPACE | B_BLANK, ['\t'] = B_SPACE | B_BLANK, ['\n'] = B_SPACE | B_BLANK,
    ['\r'] = B_SPACE | B_BLANK, ['\f'] = B_SPACE,
    ['/'] = B_SLASH, ['>'] = B_GT, ['='] = B_EQ,
};

static inline char lower(char c)
{
    return (char)((unsigned char)(c - 'A') < 26 ? c + 32 : c);
}


static void read_page(reader *r)
{
    const char *p = r->p, *end = r->end;
    while (p < end && !r->failed) {
        if (*p == '<' && p + 1 < end) {
            unsigned char c = (unsigned char)p[1];
            if (is_alpha(c)) {
                p = read_tag(r, p + 1, &r->tok);
                continue;
            }
            if (c == '/' || c == '!' || c == '?') {
                p = skip_markup(r, p);
                continue;
            }
        }
        /* text runs to the next '<' that opens markup */
        const char *q = p + (*p == '<');
        for (;;) {
            q = memchr(q, '<', (size_t)(end - q));
            if (!q || q + 1 >= end) {
                q = end;
                break;
            }
            unsigned char c = (unsigned char)q[1];
            if (is_alpha(c) || c == '/' || c == '!' || c == '?')
                break;
            q++;
        }
        text(r, p, (size_t)(q - p));
        p = q;
    }
}

/* A start tag from just after its '<'; returns where reading goes on. */
static const char *read_tag(reader *r, const char *p, tag_tok *t)
{
    const char *end = r->end;
    size_t len = 0;
    t->n_attrs = 0;
    t->overflow = false;
    t->self_closing = false;
    for (; p < end && !(byte_class[(unsigned char)*p] & (B_SPACE | B_SLASH | B_GT)); p++)
        if (len < MAX_NAME)
            t->name[len++] = lower(*p);
    memset(t->name + len, 0, KEY_BYTES);
    t->name_len = len;
    t->hash = key_hash(t->name, len);
    for (;;) {
        while (p < end && ((byte_class[(unsigned char)*p] & B_SPACE) || (*p == '/' && (p + 1 >= end || p[1] != '>'))))
            p++;
        if (p >= end)
            return end;   /* WHATWG: a tag cut by the end of the page is dropped */
        if (*p == '>' || *p == '/') {
            t->self_closing = *p == '/';
            p += 1 + t->self_closing;
            break;
        }
        attr_tok extra, *a = t->n_attrs < MAX_ATTRS ? &t->attrs[t->n_attrs] : &extra;   /* filled in place */
        char *name = t->attr_names[t->n_attrs < MAX_ATTRS ? t->n_attrs : MAX_ATTRS - 1];
        t->overflow |= t->n_attrs >= MAX_ATTRS;
        size_t n = 0;
        do {
            if (n < MAX_NAME)
                name[n++] = lower(*p);
            p++;
        } while (p < end && !(byte_class[(unsigned char)*p] & (B_SPACE | B_SLASH | B_GT | B_EQ)));
        memset(name + n, 0, KEY_BYTES);
        uint32_t ahash = key_hash(name, n);
        a->name = name;
        a->name_len = n;
        a->hash = ahash;
        a->value = NULL;
        a->value_len = 0;
        const char *v = p;
        while (v < end && (byte_class[(unsigned char)*v] & B_SPACE))
            v++;
        if (v < end && *v == '=') {
            v++;
            while (v < end && (byte_class[(unsigned char)*v] & B_SPACE))
                v++;
            if (v < end && (*v == '"' || *v == '\'')) {
                const char *close = memchr(v + 1, *v, (size_t)(end - v - 1));
                if (!close)
                    return end;
                a->value = v + 1;
                a->value_len = (size_t)(close - v - 1);
                p = close + 1;
            } else {
                a->value = v;
                while (v < end && !(byte_class[(unsigned char)*v] & (B_SPACE | B_GT)))
                    v++;
                a->value_len = (size_t)(v - a->value);
                p = v;
            }
        }
        bool dup = t->n_attrs >= MAX_ATTRS;
        for (int i = 0; i < t->n_attrs && !dup; i++)
            dup = t->attrs[i].hash == ahash && t->attrs[i].name_len == n && !memcmp(t->attrs[i].name, name, n);
        if (!dup)
            t->n_attrs++;
    }
    t->id = tag_find_token(t->name, t->name_len, t->hash);
    start_tag(r, t);
    int raw = tags[t->id].flags & (F_RAW | F_RAWTEXT | F_RCDATA);
    if (t->id != T_OTHER && raw && !t->self_closing) {
        /* raw text runs to "</name", as libxml2 reads script and style */
        const char *q = p;
        for (;; q++) {
            q = memchr(q, '<', (size_t)(end - q));
            if (!q) {
                q = end;
                break;
            }
            if (q + 2 + t->name_len <= end && q[1] == '/' &&
                !strncasecmp(q + 2, t->name, t->name_len))
                break;
        }
        raw_text(r, p, (size_t)(q - p), raw == F_RAW ? AS_CDATA : raw == F_RAWTEXT ? AS_IS : DECODED);
        p = q;
    }
    return p;
}

/* End tags, comments, doctype and the like, from their '<'. */
static const char *skip_markup(reader *r, const char *p)
{
    const char *end = r->end;
    if (p[1] == '/') {
        const char *s = p + 2;
        if (s < end && is_alpha(*s)) {
            char name[MAX_NAME + KEY_BYTES];
            size_t n = 0;
            for (; s < end && !(byte_class[(unsigned char)*s] & (B_SPACE | B_SLASH | B_GT)); s++)
                if (n < MAX_NAME)
                    name[n++] = lower(*s);
            memset(name + n, 0, KEY_BYTES);
            uint32_t hash = key_hash(name, n);
            const char *gt = memchr(s, '>', (size_t)(end - s));
            if (!gt)
                return end;
            end_tag(r, tag_find_token(name, n, hash), name, n, hash);
            return gt + 1;
        }
        /* "</>" is nothing; "</" and a non-letter opens a bogus comment */
    } else if (p[1] == '!' && p + 3 < end && p[2] == '-' && p[3] == '-') {
        const char *s = p + 4;
        if (s < end && *s == '>')
            return s + 1;
        if (s + 1 < end && s[0] == '-' && s[1] == '>')
            return s + 2;
        for (; (s = memchr(s, '-', (size_t)(end - s))) != NULL; s++) {
            if (s + 2 < end && s[1] == '-' && s[2] == '>')
                return s + 3;
            if (s + 3 < end && s[1] == '-' && s[2] == '!' && s[3] == '>')
                return s + 4;
        }
        return end;
    } else if (p[1] == '!' && end - p > 9 && !strncasecmp(p + 2, "doctype", 7)) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt)
            return end;
        /* libxml2 keeps blank text out of body under an HTML 4.01 strict doctype */
        size_t n = (size_t)(gt - p);
        r->strict = memmem(p, n, "//DTD HTML 4.01//EN", 19) || memmem(p, n, "//DTD HTML 4//EN", 16);
        return gt + 1;
    }
    const char *gt = memchr(p + 1, '>', (size_t)(end - p - 1));
    return gt ? gt + 1 : end;
}

/* ---- the tree ------------------------------------------------------ */

/* Nodes and texts are cut from blocks of the page's region (xmlarena.c),
 * a bump of a pointer each, where one xmlMalloc per node through
 * libxml2's hook cost a sixth of the reader. */
#define SLAB_BYTES 32768

static void *take_block(reader *r, size_t n);

/* n bytes of tree, aligned for a node; NULL (and the page failed) when
 * memory runs out. */
static inline void *take(reader *r, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if ((size_t)(r->slab_end - r->slab) >= n) {
        void *p = r->slab;
        r->slab += n;
        return p;
    }
    return take_block(r, n);
}

static void *take_block(reader *r, size_t n)
{
    bool own_block = n > SLAB_BYTES / 4;   /* a long text has a block of its own */
    char *b = sr_xml_arena_block(own_block ? n : SLAB_BYTES);
    if (!b) {
        r->failed = true;
        return NULL;
    }
    if (!own_block) {
        r->slab = b + n;
        r->slab_end = b + SLAB_BYTES;
    }
    return b;
}

static inline xmlNodePtr new_node(reader *r, xmlElementType type)
{
    if (++r->nodes > SR_HTML_MAX_NODES) {
        r->failed = true;
        return NULL;
    }
    xmlNodePtr n = take(r, sizeof *n);
    if (!n)
        return NULL;
    /* field by field: a whole-struct zeroing became a slow `rep stos` */
    n->_private = NULL;
    n->type = type;
    n->name = NULL;
    n->children = n->last = n->parent = n->next = n->prev = NULL;
    n->doc = r->doc;
    n->ns = NULL;
    n->content = NULL;
    n->properties = NULL;
    n->nsDef = NULL;
    n->psvi = NULL;
    n->line = 0;
    n->extra = 0;
    return n;
}

static void append(reader *r, xmlNodePtr child)
{
    xmlNodePtr parent = r->depth ? r->open[r->depth - 1] : (xmlNodePtr)r->doc;
    child->parent = parent;
    child->prev = parent->last;
    if (parent->last)
        parent->last->next = child;
    else
        parent->children = child;
    parent->last = child;
}

static const xmlChar *name_lookup(reader *r, const char *name, size_t n, uint32_t hash);
static const xmlChar *name_known(reader *r, const char *name, size_t n, uint32_t hash);

static const xmlChar *intern(reader *r, int id, const char *name, size_t n)
{
    if (id != T_OTHER && r->names[id])
        return r->names[id];
    const xmlChar *s = name_lookup(r, name, n, name_hash(name, n));
    if (!s)
        r->failed = true;
    else if (id != T_OTHER)
        r->names[id] = s;
    return s;
}

/* The page dictionary's string for a name (zeros after it up to
 * KEY_BYTES), through names_seen. */
static const xmlChar *name_lookup(reader *r, const char *name, size_t n, uint32_t hash)
{
    uint32_t i = hash % NAME_SLOTS;
    for (; r->names_seen[i].name; i = (i + 1) % NAME_SLOTS) {
        const name_slot *e = &r->names_seen[i];
        if (e->hash == hash && e->len == n && same_name(name, n, e->key, e->name))
            return e->name;
    }
    const xmlChar *s = xmlDictLookup(r->dict, (const xmlChar *)name, (int)n);
    if (s && r->n_names < NAME_SLOTS / 2) {
        r->n_names++;
        name_slot *e = &r->names_seen[i];
        *e = (name_slot){.name = s, .hash = hash, .len = (uint32_t)n};
        memcpy(e->key, s, n < KEY_BYTES ? n : KEY_BYTES);
    }
    return s;
}

/* The dictionary's string for a name if the page used it, else NULL. */
static const xmlChar *name_known(reader *r, const char *name, size_t n, uint32_t hash)
{
    for (uint32_t i = hash % NAME_SLOTS; r->names_seen[i].name; i = (i + 1) % NAME_SLOTS) {
        const name_slot *e = &r->names_seen[i];
        if (e->hash == hash && e->len == n && same_name(name, n, e->key, e->name))
            return e->name;
    }
    return xmlDictExists(r->dict, (const xmlChar *)name, (int)n);
}

static int current(const reader *r)
{
    return r->depth ? r->ids[r->depth - 1] : -1;
}

static void pop(reader *r)
{
    r->depth--;
}

static bool push(reader *r, int id, const char *name, size_t n)
{
    if (r->depth >= MAX_DEPTH)
        return false;
    xmlNodePtr e = new_node(r, XML_ELEMENT_NODE);
    const xmlChar *qname = e ? intern(r, id, name, n) : NULL;
    if (!qname)
        return false;
    /* libxml2 names an element "fb:like" or "o:p" by its local part */
    const char *colon = id == T_OTHER ? memchr(name, ':', n) : NULL;
    if (colon && colon > name && colon + 1 < name + n) {
        size_t skip = (size_t)(colon + 1 - name);
        if (!(e->name = intern(r, T_OTHER, colon + 1, n - skip)))
            return false;
    } else {
        e->name = qname;
    }
    append(r, e);
    if (r->depth)   /* a name not known here (or its local part) is looked up if ever needed */
        r->last_child[r->depth - 1] = (int16_t)(id != T_OTHER ? id : -1);
    r->qnames[r->depth] = qname;
    r->open[r->depth] = e;
    r->ids[r->depth++] = id;
    if (id == T_HEAD && r->seen < 1)
        r->seen = 1;
    if (id == T_BODY)
        r->seen = 2;
    return true;
}

static bool push_id(reader *r, int id)
{
    return push(r, id, (const char *)tags[id].key, tags[id].len);   /* the key has the zeros after it */
}

/* The start tag closes open elements while the innermost is one it closes. */
static void close_for(reader *r, int id)
{
    while (r->depth) {
        int bit = tags[current(r)].bit;
        if (bit < 0 || !(tags[id].closes >> bit & 1))
            break;
        pop(r);
    }
}

/* The html, head and body a start tag needs around it (libxml2's rules:
 * head elements before anything else go in a head, the rest in a body,
 * unless a head or body is still open). */
static void imply(reader *r, int id)
{
    if (id == T_HTML)
        return;
    if (!r->depth)
        push_id(r, T_HTML);
    if (id == T_BODY || id == T_HEAD)
        return;
    if (r->depth <= 1 && (tags[id].flags & F_HEADISH)) {
        if (r->seen < 1)
            push_id(r, T_HEAD);
    } else if (id != T_NOFRAMES && id != T_FRAME && id != T_FRAMESET && r->seen < 2) {
        for (int i = 0; i < r->depth; i++)
            if (r->ids[i] == T_BODY || r->ids[i] == T_HEAD)
                return;
        push_id(r, T_BODY);
    }
}

static void add_attrs(reader *r, xmlNodePtr e, const tag_tok *t);

static void start_tag(reader *r, tag_tok *t)
{
    int id = t->id;
    close_for(r, id);
    imply(r, id);
    bool dropped = (id == T_HTML && r->depth > 0) || (id == T_HEAD && r->depth != 1);
    for (int i = 0; id == T_BODY && i < r->depth; i++)
        dropped |= r->ids[i] == T_BODY;
    if (dropped) {
        r->ignored_ends++;
        t->self_closing = true;   /* nor is a raw-text body read for it */
        return;
    }
    if (!push(r, id, t->name, t->name_len)) {
        t->self_closing = true;
        return;
    }
    add_attrs(r, r->open[r->depth - 1], t);
    /* libxml2 ends an element written "<x/>" at once, whatever it is */
    if (t->self_closing || (tags[id].flags & F_VOID))
        pop(r);
}

static void end_tag(reader *r, int id, const char *name, size_t n, uint32_t hash)
{
    if (r->ignored_ends > 0 && (id == T_HTML || id == T_BODY || id == T_HEAD)) {
        r->ignored_ends--;
        return;
    }
    const xmlChar *iname = id != T_OTHER ? r->names[id] : name_known(r, name, n, hash);
    if (!iname)
        return;   /* never opened */
    int rank = tags[id].rank;
    int i = r->depth - 1;
    for (; i >= 0; i--) {
        if (r->qnames[i] == iname)
            break;
        /* a stray end tag never closes an element ranked above it */
        if (tags[r->ids[i]].rank > rank)
            return;
    }
    if (i >= 0)
        r->depth = i;
}

/* Blank as libxml2's areBlanks reads it: no form feed. */
static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(byte_class[(unsigned char)s[i]] & B_BLANK))
            return false;
    return true;
}

/* Whether libxml2 would drop this blank text (its areBlanks, NOBLANKS). */
static bool ignorable(const reader *r)
{
    int cur = current(r);
    if (cur < 0 || cur == T_HTML || cur == T_HEAD)
        return true;
    if (cur == T_BODY && r->strict)
        return true;
    xmlNodePtr last = r->open[r->depth - 1]->last;
    if (!last)
        return !(tags[cur].flags & F_PCDATA);
    if (last->type == XML_TEXT_NODE)
        return false;
    if (last->type != XML_ELEMENT_NODE)
        return true;
    int id = r->last_child[r->depth - 1];
    if (id < 0)
        id = tag_find((const char *)last->name, strlen((const char *)last->name));
    return !(tags[id].flags & F_PCDATA);
}

static size_t decode(const char *s, size_t n, char *out, bool in_attr);
static size_t drop_controls(char *s, size_t n);
static size_t first_control(const char *s, size_t n);
static inline bool is_control(char c);

static void text(reader *r, const char *s, size_t n)
{
    if (!n)
        return;
    if (blank(s, n)) {
        if (ignorable(r))
            return;
    } else {
        /* text straight in html or head, or before any element, goes in a p */
        int cur = current(r);
        if (cur < 0 || cur == T_HTML || cur == T_HEAD) {
            close_for(r, T_P);
            imply(r, T_P);
            push_id(r, T_P);
        }
    }
    raw_text(r, s, n, DECODED);
}

/* A text node (cdata: script or style, kept as libxml2 keeps them, as a
 * CDATA section, and not decoded), joined to a text node just before it. */
static void raw_text(reader *r, const char *s, size_t n, enum text_kind kind)
{
    bool cdata = kind == AS_CDATA;
    if (!n || !r->depth || r->failed)
        return;
    xmlNodePtr parent = r->open[r->depth - 1];
    xmlNodePtr last = parent->last;
    bool join = !cdata && last && last->type == XML_TEXT_NODE;
    size_t have = join ? strlen((const char *)last->content) : 0;
    xmlChar *c = take(r, have + n + 1);
    if (!c)
        return;
    if (join)
        memcpy(c, last->content, have);
    size_t len = kind != DECODED ? drop_controls(memcpy(c + have, s, n), n) : decode(s, n, (char *)c + have, false);
    c[have + len] = 0;
    if (join) {
        last->content = c;   /* the old text stays in its block till the page ends */
        return;
    }
    xmlNodePtr t = new_node(r, cdata ? XML_CDATA_SECTION_NODE : XML_TEXT_NODE);
    if (!t)
        return;
    t->name = cdata ? NULL : xmlStringText;
    t->content = c;
    append(r, t);
}

static void add_attrs(reader *r, xmlNodePtr e, const tag_tok *t)
{
    xmlAttrPtr prev = NULL;
    for (int i = 0; i < t->n_attrs && !r->failed; i++) {
        const attr_tok *a = &t->attrs[i];
        xmlAttrPtr at = (xmlAttrPtr)new_node(r, XML_ATTRIBUTE_NODE);
        /* past MAX_ATTRS the last name buffer was written again: hash what it holds now */
        uint32_t hash = t->overflow && i == MAX_ATTRS - 1 ? name_hash(a->name, a->name_len) : a->hash;
        if (!at || !(at->name = name_lookup(r, a->name, a->name_len, hash))) {
            r->failed = true;
            return;
        }
        at->parent = e;
        if (a->value) {
            xmlNodePtr v = new_node(r, XML_TEXT_NODE);
            xmlChar *c = take(r, a->value_len + 1);
            if (!v || !c) {
                r->failed = true;
                return;
            }
            c[decode(a->value, a->value_len, (char *)c, true)] = 0;
            v->name = xmlStringText;
            v->content = c;
            v->parent = (xmlNodePtr)at;
            at->children = at->last = v;
        }
        if (prev)
            prev->next = at, at->prev = prev;
        else
            e->properties = at;
        prev = at;
    }
}

/* ---- character references ------------------------------------------ */

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool xml_char(uint32_t v)
{
    return v >= 0x20 ? v < 0xD800 || (v >= 0xE000 && v < 0xFFFE) || (v >= 0x10000 && v <= 0x10FFFF)
                     : v == 9 || v == 10 || v == 13;
}

/* "&#...;" at s: the character (0 for none) and the bytes taken, 0 when
 * not a reference. The output is never longer than the reference. */
static size_t numeric_ref(const char *s, size_t n, uint32_t *cp)
{
    size_t i = 2;
    bool hex = i < n && (s[i] | 0x20) == 'x';
    i += hex;
    size_t first = i;
    uint32_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i];
        if (d - '0' < 10)
            d -= '0';
        else if (hex && (d | 0x20) - 'a' < 6)
            d = (d | 0x20) - 'a' + 10;
        else
            break;
        v = v > 0x10FFFF ? v : v * (hex ? 16 : 10) + d;
    }
    if (i == first)
        return 0;
    if (v >= 0x80 && v < 0xA0)   /* WHATWG: these mean windows-1252's characters */
        v = (uint32_t)sr_cp1252_to_unicode((unsigned char)v);
    /* what libxml2 drops (not an XML character) reads as nothing */
    *cp = xml_char(v) ? v : 0;
    return i + (i < n && s[i] == ';');
}

static size_t named_ref(const char *s, size_t n, bool in_attr, uint32_t *cp)
{
    size_t i = 1;
    while (i < n && i < 34 && ((unsigned char)((s[i] | 0x20) - 'a') < 26 || (unsigned char)(s[i] - '0') < 10))
        i++;
    if (i == 1)
        return 0;
    uint32_t v = entity_find(s + 1, i - 1);
    if (!v)
        return 0;
    if (i < n && s[i] == ';') {
        *cp = v;
        return i + 1;
    }
    for (size_t k = 0; !in_attr && k < sizeof bare_names / sizeof *bare_names; k++)
        if (strlen(bare_names[k]) == i - 1 && !memcmp(bare_names[k], s + 1, i - 1)) {
            *cp = v;
            return i;
        }
    return 0;
}

/* Text with its character references decoded and NUL bytes dropped. */
static size_t decode(const char *s, size_t n, char *out, bool in_attr)
{
    size_t o = 0;
    const char *end = s + n;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        size_t run = (size_t)((amp ? amp : end) - s);
        memcpy(out + o, s, run);
        o += run;
        s += run;
        if (!amp)
            break;
        uint32_t cp = 0;
        size_t used = s + 1 < end && s[1] == '#' ? numeric_ref(s, (size_t)(end - s), &cp)
                                                 : named_ref(s, (size_t)(end - s), in_attr, &cp);
        if (used) {
            o += cp ? put_utf8(out + o, cp) : 0;
            s += used;
        } else {
            out[o++] = '&';
            s++;
        }
    }
    return drop_controls(out, o);
}

/* C0 controls but tab, line feed and carriage return are not XML
 * characters; libxml2 leaves them out of its tree, and so does this. */
static size_t drop_controls(char *s, size_t n)
{
    size_t i = first_control(s, n);
    size_t k = i;
    for (; i < n; i++)
        if (!is_control(s[i]))
            s[k++] = s[i];
    return k;
}

static inline bool is_control(char c)
{
    unsigned char u = (unsigned char)c;
    return u < 0x20 && !(0x2600u >> u & 1);   /* bits 9, 10, 13: tab, line feed, return */
}

/* Where the first control may be; n when there is none. With SSE2 sixteen
 * bytes at a time (short texts as two overlapping halves, the last block
 * of a long one overlapping the one before): an eight-byte scan that only
 * knew "below 0x20" stopped at every tab and line feed of the page's text
 * and scripts, and was 12 % of the reader. */
#ifdef __SSE2__
static inline bool controls_in(__m128i x)
{
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
    __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
                                           _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
    return _mm_movemask_epi8(_mm_andnot_si128(ok, low)) != 0;
}

static inline uint64_t load64(const char *s)
{
    uint64_t x;
    memcpy(&x, s, 8);
    return x;
}

static inline uint32_t load32(const char *s)
{
    uint32_t x;
    memcpy(&x, s, 4);
    return x;
}

static size_t first_control(const char *s, size_t n)
{
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (is_control(s[i]))
                return i;
        return n;
    }
    if (n < 16) {
        __m128i x = n >= 8 ? _mm_set_epi64x((long long)load64(s + n - 8), (long long)load64(s))
                           : _mm_set1_epi64x((long long)((uint64_t)load32(s + n - 4) << 32 | load32(s)));
        return controls_in(x) ? 0 : n;
    }
    for (size_t i = 0;; i += 16) {
        if (i + 16 > n)
            i = n - 16;
        if (controls_in(_mm_loadu_si128((const __m128i *)(const void *)(s + i))))
            return i;
        if (i + 16 == n)
            return n;
    }
}
#else
static size_t first_control(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !is_control(s[i]))
        i++;
    return i;
}
#endif
