/* The article body: score the page's paragraphs and let the scores flow up
 * to their containers (Readability's method: commas and length per
 * paragraph, shared with parent and grandparent, discounted by link density
 * and class/id words), take the best container and its siblings that look
 * like more of the story, then flatten them to paragraphs while dropping the
 * furniture inside (link lists, share bars, credits, prompts, durations). */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "extract_int.h"

enum { MAX_DEPTH = 256, MAX_IMAGES = 20, MAX_CAPTIONS = 32 };

typedef struct scorer {
    sr_page *pg;
    xmlNodePtr *cands;       /* elements that received a score */
    size_t n_cands, cap_cands;
    bool use_hints;          /* skip boilerplate-named subtrees while scoring */
    xmlNodePtr headline;     /* the <h1>/<h2> that reads as the page's title */
    bool by_headline;        /* the story was chosen for standing under it */
    struct names_cache *names;   /* what each class attribute says, by its text */
} scorer;

typedef struct writer {
    sr_page *pg;
    sr_textbuf text;         /* the article so far */
    sr_textbuf para;         /* the paragraph being built */
    size_t para_link;        /* bytes of para inside links */
    int in_link;
    uint32_t root_text;
    const char *last_para;
    size_t n_paras;
    xmlNodePtr headline;     /* the page's headline element, if found */
    size_t lead_len;         /* bytes of text from the standfirst outside the container */
} writer;

static void stats(scorer *sc, xmlNodePtr n, int depth);
static bool lift_wrappers(xmlNodePtr n, uint32_t visible, int depth);
static bool reply_control(xmlNodePtr n);
static void short_text(xmlNodePtr n, char *buf, size_t cap, size_t *len, int depth);
static void clear_para_text(xmlNodePtr n, int depth);
static void from_json_ld(writer *w, const char *body);
static void whole_page_check(writer *w, xmlNodePtr body);
static void flush(writer *w);
static void write_node(writer *w, xmlNodePtr n, int depth);
static void score_walk(scorer *sc, xmlNodePtr n, int depth, bool in_neg);
static xmlNodePtr best_candidate(scorer *sc);
static xmlNodePtr find_headline(sr_page *pg, xmlNodePtr n, int depth);
static bool near_headline(xmlNodePtr c, xmlNodePtr h);
static bool contains(xmlNodePtr a, xmlNodePtr n);
static bool next_story_after(xmlNodePtr n);
static void write_article(writer *w, xmlNodePtr best);
static bool lead_paragraphs(writer *w, xmlNodePtr n, xmlNodePtr h1, bool after, int depth);
static void lead_block(writer *w, xmlNodePtr c, int depth);
static bool dated(xmlNodePtr n);
static void collect_media(sr_page *pg, xmlNodePtr best);
static inline size_t figure_byte(const char *s, bool *sp, uint32_t *commas);
static uint32_t names_hash(const char *s);

sr_err sr_body_extract(sr_page *pg)
{
    xmlNodePtr body = pg->body;
    if (!body)
        return SR_EEMPTY;
    scorer sc = {.pg = pg, .use_hints = true};
    stats(&sc, body, 0);
    for (int round = 0; round < 4 && lift_wrappers(body, SR_NODE(body)->text, 0); round++)
        stats(&sc, body, 0);
    score_walk(&sc, body, 0, false);
    if (pg->art->title)
        sc.headline = find_headline(pg, body, 0);
    xmlNodePtr best = best_candidate(&sc);
    writer w = {.pg = pg, .headline = sc.headline};
    sr_tb_init(&w.text, pg->arena, 4096);
    sr_tb_init(&w.para, pg->arena, 1024);
    if (best)
        write_article(&w, best);
    if (w.text.len < 250) {
        /* Too little: the story may sit inside a container whose name looks
         * like boilerplate. Score again without the class/id words. */
        scorer again = {.pg = pg, .use_hints = false, .headline = sc.headline};
        for (size_t i = 0; i < sc.n_cands; i++)
            SR_NODE(sc.cands[i])->score = 0;
        clear_para_text(body, 0);
        score_walk(&again, body, 0, false);
        xmlNodePtr other = best_candidate(&again);
        if (other && other != best) {
            writer w2 = {.pg = pg, .headline = sc.headline};
            sr_tb_init(&w2.text, pg->arena, 4096);
            sr_tb_init(&w2.para, pg->arena, 1024);
            write_article(&w2, other);
            /* the names were right more often than not: a container they
             * condemn must hold clearly more than the one they chose */
            if (w2.text.len > 2 * w.text.len + 100) {
                w = w2;
                best = other;
            }
        }
    }
    whole_page_check(&w, body);
    if (!w.text.p)
        return SR_ENOMEM;
    if (pg->ld_body && w.text.len < 2000 && strlen(pg->ld_body) > 2 * w.text.len + 100)
        from_json_ld(&w, pg->ld_body);   /* the page draws its story with script */
    pg->art->text = w.text.p;
    pg->art->text_len = w.text.len;
    sr_article_nfc(pg->arena, pg->art);
    if (best)
        collect_media(pg, best);
    return SR_OK;
}

/* A chrome element (nav, footer, hidden, noscript...) holding more prose
 * than the rest of the page is not chrome but a wrapper that broken markup
 * or a script-drawn page put around the story: take it back. Its own chrome
 * inside stays out. */
static bool lift_wrappers(xmlNodePtr n, uint32_t visible, int depth)
{
    bool lifted = false;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        sr_node *d = SR_NODE(c);
        if (c->type != XML_ELEMENT_NODE || !d || d->drop == 1 || depth >= MAX_DEPTH)
            continue;
        /* a wrapper holding nearly the whole page keeps its menus too, so
         * its link share says nothing then */
        bool whole = d->text > 10 * visible;
        if (d->drop == 2 && d->text > visible && d->text > 500 && d->paras >= 2 &&
            (d->link * 2 < d->text || whole)) {
            d->drop = 0;
            lifted = true;
        } else if (lift_wrappers(c, visible, depth + 1)) {
            lifted = true;
        }
    }
    return lifted;
}

static void clear_para_text(xmlNodePtr n, int depth)
{
    if (SR_NODE(n))
        SR_NODE(n)->para_text = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && depth < MAX_DEPTH)
            clear_para_text(c, depth + 1);
}

/* A short result that holds well under the page's filtered text most likely
 * took one block of a story laid out in many (trafilatura compares with
 * other extractors for the same reason): then the whole page, with the same
 * furniture filters, is the better answer. */
static void whole_page_check(writer *w, xmlNodePtr body)
{
    if (!w->text.p || w->text.len >= 3000)
        return;
    writer all = {.pg = w->pg};
    sr_tb_init(&all.text, w->pg->arena, 4096);
    sr_tb_init(&all.para, w->pg->arena, 1024);
    all.root_text = SR_NODE(body)->text;
    write_node(&all, body, 0);
    flush(&all);
    if (all.text.p && (double)(w->text.len - w->lead_len) < 0.7 * (double)all.text.len)
        *w = all;
}

/* JSON-LD articleBody: one paragraph per non-empty line. */
static void from_json_ld(writer *w, const char *body)
{
    sr_tb_init(&w->text, w->pg->arena, strlen(body) + 16);
    for (const char *p = body; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t before = w->text.len;
        if (w->text.len)
            sr_tb_raw(&w->text, "\n\n", 2);
        size_t mark = w->text.len;
        sr_tb_add(&w->text, p, n);
        if (w->text.p && w->text.len == mark) {   /* blank line: undo the separator */
            w->text.len = before;
            w->text.p[before] = 0;
        }
        w->text.space = false;
        p = nl ? nl + 1 : p + n;
    }
}

/* ---- figures per element ------------------------------------------------ */

/* The attributes the extractor reads, gathered in one pass over them. */
typedef struct attrs {
    const char *cls, *id, *itemprop, *role, *style, *aria_hidden;
    bool hidden;
} attrs;

static void read_attrs(xmlNodePtr n, attrs *at)
{
    memset(at, 0, sizeof *at);
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        const char *v = a->children && a->children->type == XML_TEXT_NODE && !a->children->next &&
                        a->children->content ? (const char *)a->children->content : "";
        switch (name[0]) {
        case 'c': if (!strcmp(name, "class")) at->cls = v; break;
        case 'i': if (name[1] == 'd' && !name[2]) at->id = v; else if (!strcmp(name, "itemprop")) at->itemprop = v; break;
        case 'r': if (!strcmp(name, "role")) at->role = v; break;
        case 's': if (!strcmp(name, "style")) at->style = v; break;
        case 'a': if (!strcmp(name, "aria-hidden")) at->aria_hidden = v; break;
        case 'h': if (!strcmp(name, "hidden")) at->hidden = true; break;
        }
    }
}

/* Never part of a story, whatever they contain: 1. Elements that are chrome
 * by their tag, role or visibility give 2 ("chrome"): broken markup (a
 * <header> or <nav> never closed, a page drawn hidden until its script runs,
 * the story inside <noscript>) can make them wrap the whole page, and
 * lift_wrappers gives them back then. */
static int never_content(xmlNodePtr n, const attrs *at)
{
    switch (sr_tag(n)) {
    case SR_TAG_script: case SR_TAG_style: case SR_TAG_template: case SR_TAG_iframe:
    case SR_TAG_svg: case SR_TAG_canvas: case SR_TAG_button: case SR_TAG_input:
    case SR_TAG_select: case SR_TAG_textarea: case SR_TAG_option: case SR_TAG_object:
    case SR_TAG_embed: case SR_TAG_video: case SR_TAG_audio: case SR_TAG_map: case SR_TAG_head:
    case SR_TAG_link: case SR_TAG_meta: case SR_TAG_title: case SR_TAG_label:
        return 1;
    case SR_TAG_nav: case SR_TAG_footer: case SR_TAG_menu: case SR_TAG_dialog: case SR_TAG_noscript:
        return 2;
    default:
        break;
    }
    if (at->hidden || (at->aria_hidden && !strcmp(at->aria_hidden, "true")))
        return 2;
    const char *role = at->role;
    if (role && (!strcmp(role, "navigation") || !strcmp(role, "dialog") || !strcmp(role, "alertdialog") ||
                 !strcmp(role, "complementary") || !strcmp(role, "contentinfo") || !strcmp(role, "menu")))
        return 2;
    const char *style = at->style;
    if (style && (strstr(style, "display:none") || strstr(style, "display: none") ||
                  strstr(style, "visibility:hidden") || strstr(style, "visibility: hidden")))
        return 2;
    return 0;
}

/* Pages repeat their class attributes (every teaser of a list, every
 * paragraph of a story): what one says is read once per page. Open
 * addressing over the attribute's text; when the table is full the rest
 * are read each time. */
enum { NAMES_SLOTS = 1024 };

typedef struct names_cache {
    const char *key[NAMES_SLOTS];
    uint32_t hash[NAMES_SLOTS];
    uint8_t bits[NAMES_SLOTS];
    size_t used;
} names_cache;

static unsigned class_names(scorer *sc, const char *cls)
{
    if (!sc->names && !(sc->names = sr_arena_calloc(sc->pg->arena, sizeof *sc->names)))
        return sr_names_hint(cls);
    names_cache *c = sc->names;
    uint32_t h = names_hash(cls);
    for (size_t i = h % NAMES_SLOTS;; i = (i + 1) % NAMES_SLOTS) {
        if (!c->key[i]) {
            unsigned bits = sr_names_hint(cls);
            if (c->used < NAMES_SLOTS * 3 / 4) {
                c->key[i] = cls;
                c->hash[i] = h;
                c->bits[i] = (uint8_t)bits;
                c->used++;
            }
            return bits;
        }
        if (c->hash[i] == h && !strcmp(c->key[i], cls))
            return c->bits[i];
    }
}

/* FNV-1a over eight bytes at a time (then the last few one by one): the
 * hash only picks a slot, so any spread of the bits does. */
static uint32_t names_hash(const char *s)
{
    size_t len = strlen(s), i = 0;
    uint64_t h = 14695981039346656037ull;
    for (; len - i >= 8; i += 8)
        h = (h ^ sr_load8(s + i)) * 1099511628211ull;
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (uint32_t)(h ^ h >> 32);
}

/* Class/id words, and what the element itself says: <aside> is usually a
 * sidebar but some sites wrap the story in one; itemprop=articleBody is the
 * publisher naming the story. */
static int element_hint(scorer *sc, xmlNodePtr n, const attrs *at, bool *lead)
{
    *lead = at->itemprop && !strcasecmp(at->itemprop, "description");
    if (at->itemprop && !strcasecmp(at->itemprop, "articleBody"))
        return 1;
    bool named = false;
    int h = at->cls || at->id ? sr_names_combine(at->cls ? class_names(sc, at->cls) : 0,
                                                 at->id ? sr_names_hint(at->id) : 0, &named)
                              : 0;
    *lead |= named;
    /* the author's box names its person with itemprop=author, whatever
     * content words its classes carry */
    if (at->itemprop && h >= 0 &&
        (sr_contains_ci(at->itemprop, "author") || sr_contains_ci(at->itemprop, "creator")))
        return -1;
    if (h == 0 && sr_tag(n) == SR_TAG_aside)
        return -1;
    return h;
}

static bool is_para_tag(int t)
{
    return t == SR_TAG_p || t == SR_TAG_pre || t == SR_TAG_td || t == SR_TAG_blockquote;
}

static bool is_block(int t)
{
    switch (t) {
    case SR_TAG_p: case SR_TAG_div: case SR_TAG_section: case SR_TAG_article: case SR_TAG_main:
    case SR_TAG_h1: case SR_TAG_h2: case SR_TAG_h3: case SR_TAG_h4: case SR_TAG_h5: case SR_TAG_h6:
    case SR_TAG_li: case SR_TAG_ul: case SR_TAG_ol: case SR_TAG_dl: case SR_TAG_dd: case SR_TAG_dt:
    case SR_TAG_blockquote: case SR_TAG_pre: case SR_TAG_table: case SR_TAG_tbody: case SR_TAG_thead:
    case SR_TAG_tfoot: case SR_TAG_tr: case SR_TAG_figure: case SR_TAG_figcaption: case SR_TAG_header:
    case SR_TAG_address: case SR_TAG_center: case SR_TAG_hr: case SR_TAG_br: case SR_TAG_form:
    case SR_TAG_fieldset: case SR_TAG_details: case SR_TAG_summary: case SR_TAG_body:
        return true;
    default:
        return false;
    }
}

/* A text node's visible bytes (whitespace runs counted once, leading
 * whitespace not at all) and its commas (U+FF0C too), in one pass, eight
 * bytes at a time where they hold no control byte but tab, newline and
 * carriage return and no 0xEF: then the bytes under 0x21 are the
 * whitespace, and one counts unless whitespace precedes it. */
static size_t text_figures(const char *s, uint32_t *commas)
{
    size_t len = strlen(s), n = 0, i = 0;
    uint32_t c = 0;
    bool sp = true;
    for (; SR_WORDWISE && len - i >= 8; i += 8) {
        uint64_t w = sr_load8(s + i);
        uint64_t ctl = sr_bytes_below(w, 0x20);
        if (ctl)
            ctl &= ~(sr_bytes_equal(w, '\t') | sr_bytes_equal(w, '\n') | sr_bytes_equal(w, '\r'));
        if (ctl || ((w & SR_HIGH8) && sr_bytes_equal(w, 0xEF))) {
            for (size_t k = i; k < i + 8; k++)
                n += figure_byte(s + k, &sp, &c);
            continue;
        }
        uint64_t ws = sr_bytes_below(w, 0x21);
        n += 8 - sr_bytes_count(ws & ((ws << 8) | (sp ? 0x80u : 0)));
        sp = ws >> 63;
        c += sr_bytes_count(sr_bytes_equal(w, ','));
    }
    for (; i < len; i++)
        n += figure_byte(s + i, &sp, &c);
    *commas += c;
    return n;
}

/* One byte of text_figures: 1 if it counts. */
static inline size_t figure_byte(const char *s, bool *sp, uint32_t *commas)
{
    bool w = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
    size_t n = !w || !*sp;
    *sp = w;
    if (*s == ',' || (*s == '\xef' && s[1] == '\xbc' && s[2] == '\x8c'))
        (*commas)++;
    return n;
}

static void add_candidate(scorer *sc, xmlNodePtr n)
{
    sr_node *d = SR_NODE(n);
    if (d->score != 0)
        return;
    if (sc->n_cands == sc->cap_cands) {
        size_t cap = sc->cap_cands ? sc->cap_cands * 2 : 64;
        xmlNodePtr *p = sr_arena_alloc(sc->pg->arena, cap * sizeof *p);
        if (!p)
            return;
        if (sc->n_cands)
            memcpy(p, sc->cands, sc->n_cands * sizeof *p);
        sc->cands = p;
        sc->cap_cands = cap;
    }
    sc->cands[sc->n_cands++] = n;
    d->score = 1e-6f;
}

/* A paragraph's score goes to its parent, half to the grandparent, and a
 * third, a sixth... further up (Readability). */
static void score_paragraph(scorer *sc, xmlNodePtr n)
{
    sr_node *d = SR_NODE(n);
    if (d->text < 25)
        return;
    float s = 1.0f + (float)d->commas + (float)(d->text / 100 > 3 ? 3 : d->text / 100);
    xmlNodePtr a = n->parent;
    for (int level = 0; a && a->type == XML_ELEMENT_NODE && level < 5; level++, a = a->parent) {
        if (!SR_NODE(a))
            break;
        add_candidate(sc, a);
        float div = level == 0 ? 1 : level == 1 ? 2 : (float)level * 3;
        SR_NODE(a)->score += s / div;
    }
}

/* Text, link text, commas and paragraphs below each element, bottom-up. */
static void stats(scorer *sc, xmlNodePtr n, int depth)
{
    sr_node *d = SR_NODE(n);
    if (!d) {
        d = sr_arena_calloc(sc->pg->arena, sizeof *d);
        if (!d)
            return;
        n->_private = d;
        attrs at;
        read_attrs(n, &at);
        d->drop = (uint8_t)never_content(n, &at);
        if (!d->drop && n != sc->pg->body) {
            bool lead;
            d->hint = (int8_t)element_hint(sc, n, &at, &lead);
            d->lead = lead;
        }
    }
    d->text = d->link = d->commas = d->paras = d->para_text = d->replies = 0;
    d->thread = 0;
    int tag = sr_tag(n);
    d->has_h1 = tag == SR_TAG_h1 ? 1 : tag == SR_TAG_h2 ? 2 : 0;
    if (d->drop == 1) {
        d->replies = tag == SR_TAG_button && reply_control(n);
        return;   /* chrome is measured (lift_wrappers asks) but adds nothing to its parent */
    }
    bool is_link = tag == SR_TAG_a;
    bool inline_only = true;
    uint32_t own = 0;   /* text not inside a block child: a paragraph without <p> */
    uint32_t with_reply = 0, reply_text = 0;   /* children holding a "reply" control */
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            size_t t = text_figures((const char *)c->content, &d->commas);
            d->text += (uint32_t)t;
            own += (uint32_t)t;
            if (is_link)
                d->link += (uint32_t)t;
        } else if (c->type == XML_ELEMENT_NODE && depth < MAX_DEPTH) {
            stats(sc, c, depth + 1);
            sr_node *k = SR_NODE(c);
            if (k)
                d->has_h1 |= k->has_h1;
            if (k && k->replies) {
                uint32_t r = (uint32_t)d->replies + k->replies;
                d->replies = (uint16_t)(r < UINT16_MAX ? r : UINT16_MAX);
                with_reply++;
                reply_text += k->text;
            }
            if (!k || k->drop)
                continue;
            d->text += k->text;
            d->link += is_link ? k->text : k->link;
            d->commas += k->commas;
            d->paras += k->paras;
            if (is_block(sr_tag(c)))
                inline_only = false;
            else
                own += k->text;
        }
    }
    bool para = is_para_tag(tag) ||
                (inline_only && (tag == SR_TAG_div || tag == SR_TAG_section || tag == SR_TAG_li));
    /* text written straight into a container between blocks, <br>-separated */
    if (!para && !inline_only && own >= 100 && !is_link && is_block(tag) && tag != SR_TAG_body)
        para = true;
    d->is_para = para;
    if (para && d->text >= 25)
        d->paras++;
    if (!d->replies && d->text && d->text <= 40 && (is_link || tag == SR_TAG_span) && reply_control(n))
        d->replies = 1;
    /* three items or more, each with its own "reply", holding most of the
     * text: reader comments, whatever the classes say */
    if (with_reply >= 3 && reply_text * 10 >= d->text * 6)
        d->thread = 1;
}

/* A control that answers a comment: "Reply", "Antworten", "Répondre"...
 * as its first word, or WordPress's comment-reply-link. */
static bool reply_control(xmlNodePtr n)
{
#define W(s) {s, sizeof s - 1}
    static const struct { const char *s; size_t len; } words[] = {
        W("reply"), W("antworten"), W("antwort"), W("répondre"), W("repondre"), W("responder"),
        W("rispondi"), W("odpowiedz"), W("odpowiedź"), W("svara"), W("svar"), W("beantwoorden"),
        W("reageer"), W("reageren"), W("ответить"), W("回复"), W("回覆"), W("返信"), W("답글"),
        W("yanıtla"), W("vastaa"), W("odpovědět"), {NULL, 0}};
#undef W
    char buf[48];
    size_t len = 0;
    short_text(n, buf, sizeof buf, &len, 0);
    char *s = buf;
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\n' || buf[len - 1] == '\t'))
        len--;
    buf[len] = 0;
    while (*s == ' ' || *s == '\n' || *s == '\t')
        s++;
    /* most links start with none of the words' letters: decide cheaply */
    unsigned char c0 = (unsigned char)tolower((unsigned char)*s);
    if (c0 < 0x80 && !strchr("raosbyv", c0)) {
        const char *cls = sr_attr(n, "class");
        return cls && *cls == 'c' && strstr(cls, "reply");   /* comment-reply-link */
    }
    for (int i = 0; words[i].s; i++) {
        size_t k = words[i].len;
        /* "Reply", "Reply ↓", "reply to Jane" (the words are lower case:
         * a first byte that differs folded cannot match) */
        if ((unsigned char)words[i].s[0] == c0 && !strncasecmp(s, words[i].s, k) &&
            (!s[k] || s[k] == ' '))
            return true;
    }
    return false;
}

static void short_text(xmlNodePtr n, char *buf, size_t cap, size_t *len, int depth)
{
    for (xmlNodePtr c = n->children; c && *len + 1 < cap; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            size_t k = strlen((const char *)c->content);
            if (k > cap - 1 - *len)
                k = cap - 1 - *len;
            memcpy(buf + *len, c->content, k);
            *len += k;
        } else if (c->type == XML_ELEMENT_NODE && depth < 4) {
            short_text(c, buf, cap, len, depth + 1);
        }
    }
    buf[*len] = 0;
}

/* Paragraphs under a boilerplate-named element do not score, unless the
 * name is a weak or mixed sign and the element holds much of the page (a
 * page-wide wrapper called "l-outer--nav" is not navigation, an
 * "article paywall" is the article). */
static void score_walk(scorer *sc, xmlNodePtr n, int depth, bool in_neg)
{
    sr_node *d = SR_NODE(n);
    if (!d || d->drop)
        return;
    uint32_t page_text = SR_NODE(sc->pg->body)->text;
    if (sc->use_hints && (d->hint == -2 || (d->hint < 0 && d->text * 5 < page_text * 2)))
        in_neg = true;
    if (d->thread)
        in_neg = true;
    if (d->is_para && d->text >= 25 && !in_neg && (double)d->link / d->text < 0.5) {
        score_paragraph(sc, n);
        for (xmlNodePtr a = n; a && a->type == XML_ELEMENT_NODE && SR_NODE(a); a = a->parent)
            SR_NODE(a)->para_text += d->text;
    }
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && depth < MAX_DEPTH)
            score_walk(sc, c, depth + 1, in_neg);
}

static float tag_weight(int t)
{
    switch (t) {
    case SR_TAG_div: case SR_TAG_article: case SR_TAG_section: case SR_TAG_main:
        return 5;
    case SR_TAG_pre: case SR_TAG_td: case SR_TAG_blockquote:
        return 3;
    case SR_TAG_address: case SR_TAG_ol: case SR_TAG_ul: case SR_TAG_dl: case SR_TAG_dd:
    case SR_TAG_dt: case SR_TAG_li: case SR_TAG_form:
        return -3;
    case SR_TAG_h1: case SR_TAG_h2: case SR_TAG_h3: case SR_TAG_h4: case SR_TAG_h5: case SR_TAG_h6:
        return -5;
    default:
        return 0;
    }
}

static float final_score(scorer *sc, xmlNodePtr n)
{
    sr_node *d = SR_NODE(n);
    float s = d->score + tag_weight(sr_tag(n)) + (sc->use_hints ? 25.0f * (d->hint < 0 ? -1 : d->hint) : 0);
    float ld = d->text ? (float)d->link / (float)d->text : 0;
    return s * (1.0f - ld);
}

static xmlNodePtr best_candidate(scorer *sc)
{
    xmlNodePtr best = NULL;
    float top = 0;
    for (size_t i = 0; i < sc->n_cands; i++) {
        float s = final_score(sc, sc->cands[i]);
        SR_NODE(sc->cands[i])->score = s;
        if (s > top) {
            top = s;
            best = sc->cands[i];
        }
    }
    /* Pages that run several stories (the next one loaded below, a list of
     * teasers) may score another story higher: the story is the one under
     * the heading that reads as the page's title, when one of those is
     * close to the top. */
    if (best && sc->headline && !near_headline(best, sc->headline)) {
        xmlNodePtr alt = NULL;
        float at = 0;
        for (size_t i = 0; i < sc->n_cands; i++) {
            float s = SR_NODE(sc->cands[i])->score;
            if (s > at && near_headline(sc->cands[i], sc->headline)) {
                at = s;
                alt = sc->cands[i];
            }
        }
        if (alt && at >= 0.2f * top) {
            best = alt;
            sc->by_headline = true;
        }
    }
    /* A lone child carries no more than its parent: take the parent, which
     * may hold the headline's siblings too (Readability does the same). */
    while (best && best->parent && best->parent != sc->pg->body && SR_NODE(best->parent) &&
           SR_NODE(best->parent)->text <= SR_NODE(best)->text + 2 &&
           best->parent->type == XML_ELEMENT_NODE)
        best = best->parent;
    /* Stories split into several blocks (CMS content modules, page builder
     * rows): climb while what the parent adds is mostly story paragraphs. */
    while (best && best->parent && best->parent != sc->pg->body &&
           best->parent->type == XML_ELEMENT_NODE && SR_NODE(best->parent)) {
        sr_node *b = SR_NODE(best), *p = SR_NODE(best->parent);
        uint32_t gain = p->para_text - b->para_text, extra = p->text - b->text;
        if (p->hint < 0 || gain == 0 || (float)gain < 0.7f * (float)extra)
            break;
        if (sc->headline && next_story_after(best) && near_headline(best, sc->headline))
            break;   /* the parent holds the next story, under its own <h1> */
        best = best->parent;
    }
    return best;
}

/* Another story under an <h1> of its own follows n in its parent. */
static bool next_story_after(xmlNodePtr n)
{
    for (xmlNodePtr s = n->next; s; s = s->next)
        if (s->type == XML_ELEMENT_NODE && SR_NODE(s) && !SR_NODE(s)->drop && (SR_NODE(s)->has_h1 & 1))
            return true;
    return false;
}

/* The first <h1> or <h2> whose text is the page's title. */
static xmlNodePtr find_headline(sr_page *pg, xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        sr_node *d = SR_NODE(c);
        if (c->type != XML_ELEMENT_NODE || !d || d->drop || !d->has_h1 || depth >= MAX_DEPTH)
            continue;
        if (sr_tag(c) == SR_TAG_h1 || sr_tag(c) == SR_TAG_h2) {
            char *t = sr_node_text(pg->arena, c);
            if (t && !strcasecmp(t, pg->art->title))
                return c;
            continue;
        }
        xmlNodePtr h = find_headline(pg, c, depth + 1);
        if (h)
            return h;
    }
    return NULL;
}

/* The candidate holds the headline, or the headline is the last heading
 * before it (in an earlier sibling of it or of one of its near parents). */
static bool near_headline(xmlNodePtr c, xmlNodePtr h)
{
    if (contains(c, h))
        return true;
    xmlNodePtr a = c;
    for (int up = 0; a && a->type == XML_ELEMENT_NODE && up < 4; up++, a = a->parent)
        for (xmlNodePtr s = a->prev; s; s = s->prev) {
            if (s->type != XML_ELEMENT_NODE || !SR_NODE(s) || SR_NODE(s)->drop)
                continue;
            if (contains(s, h))
                return true;
            if (SR_NODE(s)->has_h1)
                return false;
        }
    return false;
}

/* ---- writing the article ------------------------------------------------- */

static void flush(writer *w);
static void write_node(writer *w, xmlNodePtr n, int depth);

static bool sibling_belongs(xmlNodePtr best, xmlNodePtr s)
{
    sr_node *b = SR_NODE(best), *d = SR_NODE(s);
    if (!d || d->drop || d->hint < 0 || !d->text)
        return false;
    float threshold = b->score * 0.2f > 10 ? b->score * 0.2f : 10;
    const char *bc = sr_attr(best, "class"), *sc = sr_attr(s, "class");
    float bonus = bc && sc && *bc && !strcmp(bc, sc) ? b->score * 0.2f : 0;
    if (d->score + bonus >= threshold)
        return true;
    float ld = (float)d->link / (float)d->text;
    if (sr_tag(s) == SR_TAG_p) {
        if (d->text > 80 && ld < 0.25f)
            return true;
        if (d->text <= 80 && d->link == 0 && s->children && s->last && s->last->content &&
            strstr((const char *)s->last->content, "."))
            return true;
    }
    return false;
}

static bool contains(xmlNodePtr a, xmlNodePtr n)
{
    for (; n; n = n->parent)
        if (n == a)
            return true;
    return false;
}

/* The standfirst: news pages often set the headline and a lead paragraph
 * in a header block before the story's container. When the story was found
 * next to (or a few levels below) the block holding the <h1>, the
 * paragraphs after the <h1> in that block open the story. */
static void write_lead(writer *w, xmlNodePtr best)
{
    /* the headline that matches the title; the first <h1> may be the logo */
    xmlNodePtr h1 = w->headline ? w->headline : w->pg->title_node;
    if (!h1 || contains(best, h1))
        return;
    xmlNodePtr head = NULL, a = best;
    for (int up = 0; a && a != w->pg->body && up < 5; up++, a = a->parent) {
        for (xmlNodePtr s = a->prev; s && !head; s = s->prev)
            if (s->type == XML_ELEMENT_NODE && contains(s, h1))
                head = s;
        if (head)
            break;
    }
    if (!head || !SR_NODE(head) || SR_NODE(head)->drop || SR_NODE(head)->text > 1500)
        return;
    lead_paragraphs(w, head, h1, false, 0);
    /* the standfirst may stand in a block of its own between the headline's
     * block and the story's */
    for (xmlNodePtr s = head->next; s && s != a; s = s->next)
        if (s->type == XML_ELEMENT_NODE && SR_NODE(s) && SR_NODE(s)->text <= 1500)
            lead_block(w, s, 0);
}

static bool lead_paragraphs(writer *w, xmlNodePtr n, xmlNodePtr h1, bool after, int depth)
{
    for (xmlNodePtr c = n->children; c && depth < 16; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !SR_NODE(c))
            continue;
        if (SR_NODE(c)->drop) {
            /* a headline set inside a breadcrumb bar: the lead follows the bar */
            after |= contains(c, h1);
            continue;
        }
        if (c == h1 || contains(c, h1))
            after = c == h1 ? true : lead_paragraphs(w, c, h1, after, depth + 1);
        else if (after)
            lead_block(w, c, depth + 1);
    }
    return after;
}

/* A block after the headline: a paragraph (or a subheadline) of some length
 * that is not links is the standfirst; a teaser name does not condemn it. */
static void lead_block(writer *w, xmlNodePtr c, int depth)
{
    sr_node *d = SR_NODE(c);
    if (c->type != XML_ELEMENT_NODE || !d || d->drop || depth >= 16 || d->hint < -1 ||
        (d->hint == -1 && !d->lead))
        return;
    int t = sr_tag(c);
    bool block = d->is_para || t == SR_TAG_p || t == SR_TAG_h2 || t == SR_TAG_h3;
    if (block && d->text >= 60 && d->link * 10 < d->text * 3) {
        if (!dated(c))
            write_node(w, c, 0);
    } else if (!d->is_para) {
        for (xmlNodePtr k = c->children; k; k = k->next)
            lead_block(w, k, depth + 1);
    }
}

/* A line that opens with a date ("2017-03-10 09:58 Source: ...") is the
 * story's metadata, not its standfirst. */
static bool dated(xmlNodePtr n)
{
    char buf[24];
    size_t len = 0;
    short_text(n, buf, sizeof buf, &len, 0);
    const char *s = buf;
    while (*s == ' ' || *s == '\n' || *s == '\t')
        s++;
    size_t k = 0;
    while (isdigit((unsigned char)s[k]))
        k++;
    return k >= 1 && k <= 4 && (s[k] == '-' || s[k] == '.' || s[k] == '/') &&
           isdigit((unsigned char)s[k + 1]);
}

/* A sibling under an <h1> of its own that is not the page's headline is
 * the next story. */
static bool another_story(writer *w, xmlNodePtr s)
{
    return w->headline && (SR_NODE(s)->has_h1 & 1) && !contains(s, w->headline);
}

static void write_article(writer *w, xmlNodePtr best)
{
    w->root_text = SR_NODE(best)->text;
    write_lead(w, best);
    flush(w);
    w->lead_len = w->text.len;
    xmlNodePtr parent = best->parent;
    if (!parent || parent == w->pg->body->parent || parent->type != XML_ELEMENT_NODE) {
        write_node(w, best, 0);
    } else {
        for (xmlNodePtr s = parent->children; s; s = s->next) {
            if (s == best)
                write_node(w, s, 0);
            else if (s->type == XML_ELEMENT_NODE && sibling_belongs(best, s) &&
                     !another_story(w, s))
                write_node(w, s, 0);
        }
    }
    flush(w);
}

/* Readability's "clean conditionally", in short: a container inside the
 * story that is mostly links, or mostly list items of links, is furniture. */
static bool furniture_container(writer *w, xmlNodePtr n)
{
    sr_node *d = SR_NODE(n);
    int t = sr_tag(n);
    if (!d->text)
        return false;
    float ld = (float)d->link / (float)d->text;
    if (t == SR_TAG_ul || t == SR_TAG_ol)
        return ld > 0.5f;
    /* a block whose story paragraphs hold a third of its text is not
     * furniture as a whole: its link lists go one by one */
    if (d->para_text * 3 >= d->text)
        return false;
    if (t == SR_TAG_div || t == SR_TAG_section || t == SR_TAG_table || t == SR_TAG_header)
        return (ld > 0.5f && d->text < 2000) || (ld > 0.33f && d->paras == 0 && d->text < 300);
    return false;
}

static void write_children(writer *w, xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (!c->content)
                continue;
            size_t before = w->para.len;
            sr_tb_add(&w->para, (const char *)c->content, strlen((const char *)c->content));
            if (w->in_link)
                w->para_link += w->para.len - before;
        } else if (c->type == XML_ELEMENT_NODE && depth < MAX_DEPTH) {
            write_node(w, c, depth + 1);
        }
    }
}

static void write_node(writer *w, xmlNodePtr n, int depth)
{
    sr_node *d = SR_NODE(n);
    if (!d || d->drop)
        return;
    int t = sr_tag(n);
    /* a boilerplate-named element is skipped unless it holds much of the
     * story, or is a teaser-named standfirst before the story's paragraphs */
    if (d->hint < 0 && d->text * 4 < w->root_text && !(d->hint == -1 && d->lead && w->n_paras < 2))
        return;
    if (t == SR_TAG_figure || t == SR_TAG_figcaption)
        return;   /* captions and credits go to `captions` */
    if (d->thread)
        return;   /* reader comments */
    if (t == SR_TAG_br) {
        if (n->next && sr_tag(n->next) == SR_TAG_br)
            flush(w);
        else
            w->para.space = true;
        return;
    }
    bool block = is_block(t);
    if (block) {
        flush(w);
        if (depth > 0 && furniture_container(w, n))
            return;
    }
    if (t == SR_TAG_a)
        w->in_link++;
    if (t == SR_TAG_td || t == SR_TAG_th)
        w->para.space = true;
    write_children(w, n, depth);
    if (t == SR_TAG_a)
        w->in_link--;
    if (block)
        flush(w);
}

static bool same_text(const char *a, const char *b)
{
    return a && b && !strcasecmp(a, b);
}

/* "By Jane Doe", "By Jane Doe and John Roe, staff writers", "Von ..." */
static bool is_byline(const char *s, size_t n)
{
    static const char *const by[] = {"By ", "BY ", "by ", "Von ", "Par ", "Por ", NULL};
    if (n > 100)
        return false;
    for (int i = 0; by[i]; i++) {
        size_t k = strlen(by[i]);
        if (n > k + 2 && !strncmp(s, by[i], k) &&
            (isupper((unsigned char)s[k]) || (unsigned char)s[k] >= 0xC0))
            return !memchr(s, '.', n) || n < 60;
    }
    return false;
}

/* End the paragraph being built: keep it unless it is furniture. */
static void flush(writer *w)
{
    sr_textbuf *p = &w->para;
    if (!p->p || !p->len) {
        w->para_link = 0;
        p->space = false;
        return;
    }
    char *s = p->p;
    size_t n = p->len;
    while (n && s[n - 1] == ' ')
        n--;
    bool keep = n > 0;
    if (keep && sr_furniture_line(s, n))
        keep = false;
    if (keep && w->para_link * 10 >= n * 6 && n < 160)
        keep = false;   /* a line that is mostly link: navigation, "Watch ..." */
    s[n] = 0;
    if (keep && (same_text(s, w->pg->art->title) || same_text(s, w->last_para)))
        keep = false;
    if (keep && w->n_paras < 3 && is_byline(s, n)) {
        /* the byline repeated above the story is chrome; its names are data */
        if (!w->pg->byline)
            w->pg->byline = sr_arena_strndup(w->pg->arena, s, n);
        keep = false;
    }
    if (keep) {
        if (w->text.len)
            sr_tb_raw(&w->text, "\n\n", 2);
        size_t at = w->text.len;
        sr_tb_raw(&w->text, s, n);
        w->last_para = w->text.p ? w->text.p + at : NULL;
        w->n_paras++;
    }
    p->len = 0;
    if (p->p)
        p->p[0] = 0;
    p->space = false;
    w->para_link = 0;
}

/* ---- captions and images ------------------------------------------------- */

static bool credit_named(xmlNodePtr n)
{
    const char *c = sr_attr(n, "class");
    const char *ip = sr_attr(n, "itemprop");
    return (c && (sr_contains_ci(c, "credit") || sr_contains_ci(c, "copyright") ||
                  sr_contains_ci(c, "source") || sr_contains_ci(c, "photographer") ||
                  sr_contains_ci(c, "author"))) ||
           (ip && (sr_contains_ci(ip, "copyright") || sr_contains_ci(ip, "author") ||
                   sr_contains_ci(ip, "creator")));
}

static xmlNodePtr find_credit(xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c && depth < 16; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (credit_named(c))
            return c;
        xmlNodePtr r = find_credit(c, depth + 1);
        if (r)
            return r;
    }
    return NULL;
}

/* "Caption text. (Photo: Jane Doe/AP)" → credit from the words that
 * introduce one, when the credit has no element of its own. */
static void split_credit(sr_arena *a, const char *text, sr_caption *cap)
{
    static const char *const marks[] = {"(Photo: ", "Photo: ", "Foto: ", "Image: ", "Credit: ",
                                        "Photograph: ", "Picture: ", "Bild: ", "(AP Photo", "©", NULL};
    for (int i = 0; marks[i]; i++) {
        const char *m = strstr(text, marks[i]);
        if (!m)
            continue;
        const char *cr = m + (marks[i][0] == '(' ? 1 : 0);
        char *credit = sr_collapse(a, cr);
        size_t cl = credit ? strlen(credit) : 0;
        if (cl && credit[cl - 1] == ')' && marks[i][0] == '(')
            credit[cl - 1] = 0;
        cap->credit = credit;
        cap->text = sr_collapse(a, sr_arena_strndup(a, text, (size_t)(m - text)));
        return;
    }
    cap->text = sr_collapse(a, text);
}

static void add_image(sr_page *pg, xmlNodePtr img)
{
    sr_article *art = pg->art;
    const char *src = sr_attr(img, "src");
    if (!src || !*src || !strncmp(src, "data:", 5))
        src = sr_attr(img, "data-src");
    if (!src || !*src || !strncmp(src, "data:", 5) || art->n_images >= MAX_IMAGES)
        return;
    char *u = sr_meta_absolute(pg, src);
    if (!u)
        return;
    for (size_t i = 0; i < art->n_images; i++)
        if (!strcmp(art->images[i], u))
            return;
    art->images[art->n_images++] = u;
}

static void text_except(sr_textbuf *t, xmlNodePtr n, xmlNodePtr skip, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content)
            sr_tb_add(t, (const char *)c->content, strlen((const char *)c->content));
        else if (c->type == XML_ELEMENT_NODE && c != skip && depth < 32 &&
                 !(SR_NODE(c) && SR_NODE(c)->drop))
            text_except(t, c, skip, depth + 1);
    }
}

static void add_caption(sr_page *pg, xmlNodePtr fig)
{
    sr_article *art = pg->art;
    if (art->n_captions >= MAX_CAPTIONS)
        return;
    xmlNodePtr fc = NULL;
    for (xmlNodePtr c = fig->children; c && !fc; c = c->next)
        if (sr_tag_is(c, "figcaption"))
            fc = c;
    if (!fc && sr_tag_is(fig, "figcaption"))
        fc = fig;
    if (!fc)
        return;
    sr_caption cap = {0};
    xmlNodePtr cr = find_credit(fc, 0);
    if (cr) {
        cap.credit = sr_node_text(pg->arena, cr);
        sr_textbuf t;
        sr_tb_init(&t, pg->arena, 256);
        text_except(&t, fc, cr, 0);
        cap.text = t.p && t.len ? t.p : NULL;
    } else {
        char *t = sr_node_text(pg->arena, fc);
        if (t)
            split_credit(pg->arena, t, &cap);
    }
    /* a video's "Watch: ..." title is player chrome, not a caption */
    if (cap.text && sr_furniture_line(cap.text, strlen(cap.text)))
        cap.text = NULL;
    if (cap.text || cap.credit)
        art->captions[art->n_captions++] = cap;
}

static void media_walk(sr_page *pg, xmlNodePtr n, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
            continue;
        sr_node *d = SR_NODE(c);
        int t = sr_tag(c);
        if (d && d->drop && t != SR_TAG_noscript)
            continue;
        if (t == SR_TAG_figure) {
            add_caption(pg, c);
        } else if (t == SR_TAG_img) {
            add_image(pg, c);
            continue;
        }
        if (d && d->hint < 0 && t != SR_TAG_figure)
            continue;
        media_walk(pg, c, depth + 1);
    }
}

/* Figures of the story: those in the chosen container and, when it sits in
 * an <article>, the lead image above it. */
static void collect_media(sr_page *pg, xmlNodePtr best)
{
    sr_article *art = pg->art;
    const char **imgs = sr_arena_calloc(pg->arena, sizeof(char *) * MAX_IMAGES);
    art->captions = sr_arena_calloc(pg->arena, sizeof(sr_caption) * MAX_CAPTIONS);
    if (!imgs || !art->captions)
        return;
    for (size_t i = 0; i < art->n_images; i++)
        imgs[i] = art->images[i];
    art->images = imgs;
    xmlNodePtr root = best;
    for (xmlNodePtr a = best; a && a->type == XML_ELEMENT_NODE && a != pg->body; a = a->parent)
        if (sr_tag_is(a, "article")) {
            root = a;
            break;
        }
    media_walk(pg, root, 0);
}
