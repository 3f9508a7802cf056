/* Article metadata: JSON-LD first (what publishers fill in for search
 * engines), then OpenGraph / article:* / Twitter / Dublin Core meta,
 * microdata, <time> elements, the URL path and the byline in the page.
 * The order of preference follows what is most often right on news sites
 * and matches Readability's for titles and bylines. */
#define _GNU_SOURCE  /* strtok_r */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <libxml/uri.h>
#include "extract_int.h"

enum slot { S_TITLE, S_SITE, S_DESC, S_PUB, S_MOD, S_AUTHOR, S_LANG, S_URL, S_IMAGE, S_N };

/* meta name/property/itemprop → slot, in order of preference within a slot. */
static const struct { const char *key; enum slot slot; } meta_keys[] = {
    {"dc:title", S_TITLE}, {"dcterm:title", S_TITLE}, {"dc.title", S_TITLE},
    {"dcterms.title", S_TITLE}, {"og:title", S_TITLE},
    {"weibo:article:title", S_TITLE}, {"title", S_TITLE}, {"twitter:title", S_TITLE},
    {"parsely-title", S_TITLE}, {"headline", S_TITLE},
    {"og:site_name", S_SITE}, {"application-name", S_SITE}, {"publisher", S_SITE},
    {"dc:publisher", S_SITE},
    {"dc:description", S_DESC}, {"dcterm:description", S_DESC}, {"og:description", S_DESC},
    {"description", S_DESC}, {"twitter:description", S_DESC},
    {"article:published_time", S_PUB}, {"og:article:published_time", S_PUB},
    {"datepublished", S_PUB}, {"parsely-pub-date", S_PUB}, {"pubdate", S_PUB},
    {"publishdate", S_PUB}, {"publish-date", S_PUB}, {"publish_date", S_PUB},
    {"published_time", S_PUB}, {"article.published", S_PUB}, {"article:published", S_PUB},
    {"sailthru.date", S_PUB}, {"dc.date.issued", S_PUB}, {"dcterms.issued", S_PUB},
    {"dc.date", S_PUB}, {"dc.date.created", S_PUB}, {"dcterms.created", S_PUB},
    {"dcterms.date", S_PUB}, {"dc:date", S_PUB}, {"date", S_PUB},
    {"citation_publication_date", S_PUB}, {"citation_date", S_PUB},
    {"originalpublicationdate", S_PUB}, {"article_date_original", S_PUB},
    {"cxenseparse:recs:publishtime", S_PUB}, {"datecreated", S_PUB},
    {"article:modified_time", S_MOD}, {"og:updated_time", S_MOD}, {"datemodified", S_MOD},
    {"dc.date.modified", S_MOD}, {"dcterms.modified", S_MOD}, {"last-modified", S_MOD},
    {"lastmod", S_MOD},
    {"dc:creator", S_AUTHOR}, {"dcterm:creator", S_AUTHOR}, {"author", S_AUTHOR},
    {"parsely-author", S_AUTHOR}, {"article:author", S_AUTHOR}, {"sailthru.author", S_AUTHOR},
    {"dc.creator", S_AUTHOR}, {"citation_author", S_AUTHOR}, {"byl", S_AUTHOR},
    {"og:locale", S_LANG}, {"content-language", S_LANG}, {"dc.language", S_LANG},
    {"inlanguage", S_LANG},
    {"og:url", S_URL},
    {"og:image", S_IMAGE}, {"twitter:image", S_IMAGE}, {"og:image:url", S_IMAGE},
};
#define N_KEYS (sizeof meta_keys / sizeof meta_keys[0])

typedef struct meta_state {
    sr_page *pg;
    const char *found[N_KEYS];     /* first value per key */
    /* JSON-LD */
    const char *ld_title, *ld_pub, *ld_mod, *ld_site, *ld_desc, *ld_lang, *ld_image;
    const char *ld_title_pair[2];  /* name, headline when they differ */
    const char *ld_authors[8];
    int n_ld_authors;
    bool ld_article;
    /* document */
    const char *html_lang, *canonical, *doc_title;
    xmlNodePtr h1;
    int n_h1;
    const char *headings[8];       /* h1/h2 texts */
    int n_headings;
    const char *time_pub;          /* <time datetime> most likely the article's */
    int time_rank;
    const char *text_date;         /* a date in an element named for it */
    const char *dom_authors[8];
    int n_dom_authors;
} meta_state;

static void walk(meta_state *st, xmlNodePtr n, int depth);
static unsigned named_words(const char *s);
static bool folded_at(const char *s, const char *w);
static unsigned named_at(const char *s);
static unsigned names_of(const char *cls, const char *id, unsigned *named, bool *read);
static void json_ld(meta_state *st, const char *s, size_t n);
static void decide(meta_state *st);

void sr_meta_extract(sr_page *pg)
{
    meta_state *st = sr_arena_calloc(pg->arena, sizeof *st);
    if (!st)
        return;
    st->pg = pg;
    pg->meta = st;
    xmlNodePtr root = xmlDocGetRootElement(pg->doc);
    if (root) {
        st->html_lang = sr_attr(root, "lang");
        if (!st->html_lang)
            st->html_lang = sr_attr(root, "xml:lang");
        walk(st, root, 0);
    }
    decide(st);
}

/* ---- the walk -------------------------------------------------------- */

static void on_meta(meta_state *st, xmlNodePtr n)
{
    const char *key = sr_attr(n, "property");
    if (!key)
        key = sr_attr(n, "name");
    if (!key)
        key = sr_attr(n, "itemprop");
    if (!key)
        key = sr_attr(n, "http-equiv");
    const char *val = sr_attr(n, "content");
    if (!val || !*val) {
        val = sr_attr(n, "datetime");
        if (!val || !*val)
            return;
    }
    if (!key || !*key)
        return;
    /* property="og:title twitter:title" lists several names */
    char one[64];
    const char *p = key;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t k = 0;
        while (p[k] && p[k] != ' ')
            k++;
        if (k && k < sizeof one) {
            for (size_t i = 0; i < k; i++)
                one[i] = (char)tolower((unsigned char)p[i]);
            one[k] = 0;
            for (size_t i = 0; i < N_KEYS; i++)
                if (!st->found[i] && meta_keys[i].key[0] == one[0] && !strcmp(one, meta_keys[i].key))
                    st->found[i] = val;
        }
        p += k;
    }
}

static bool named_for(xmlNodePtr n, const char *a, const char *b)
{
    const char *c = sr_attr(n, "class"), *id = sr_attr(n, "id");
    return (c && (sr_contains_ci(c, a) || (b && sr_contains_ci(c, b)))) ||
           (id && (sr_contains_ci(id, a) || (b && sr_contains_ci(id, b))));
}

static void add_dom_author(meta_state *st, xmlNodePtr n)
{
    if (st->n_dom_authors >= 8)
        return;
    const char *name = sr_attr(n, "content");
    char *t = name ? sr_collapse(st->pg->arena, name) : NULL;
    if (!t) {
        xmlNodePtr nm = n;
        /* itemprop=author often wraps itemprop=name */
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && sr_attr(c, "itemprop") &&
                !strcasecmp(sr_attr(c, "itemprop"), "name"))
                nm = c;
        t = sr_node_text(st->pg->arena, nm);
    }
    if (t && strlen(t) > 1 && strlen(t) < 100)
        st->dom_authors[st->n_dom_authors++] = t;
}

/* Which of "byline", "date" and "publish" a class or id value holds
 * anywhere (ASCII letters folded, as strcasestr folds them), in one pass:
 * every element with a class or id is asked. A byte b, d or p in either
 * case is the only place one can start (c | 0x20 is one of those letters
 * only for them). */
enum { N_BYLINE = 1, N_DATE = 2, N_PUBLISH = 4 };

static unsigned named_words(const char *s)
{
    size_t len = strlen(s), i = 0;
    unsigned bits = 0;
    /* eight bytes at a time: only the b, d and p among them are tried */
    for (; SR_WORDWISE && len - i >= 8; i += 8) {
        uint64_t y = sr_load8(s + i) | 0x2020202020202020ull;
        uint64_t m = sr_bytes_equal(y, 'b') | sr_bytes_equal(y, 'd') | sr_bytes_equal(y, 'p');
        for (; m; m &= m - 1)
            bits |= named_at(s + i + sr_bytes_first(m));
    }
    for (; i < len; i++)
        bits |= named_at(s + i);
    return bits;
}

static unsigned named_at(const char *s)
{
    unsigned char c = (unsigned char)*s | 0x20;
    if (c == 'b')
        return folded_at(s, "byline") ? N_BYLINE : 0;
    if (c == 'd')
        return folded_at(s, "date") ? N_DATE : 0;
    if (c == 'p')
        return folded_at(s, "publish") ? N_PUBLISH : 0;
    return 0;
}

/* s starts with the lower-case letters w, in either case */
static bool folded_at(const char *s, const char *w)
{
    for (; *w; s++, w++)
        if (((unsigned char)*s | 0x20) != (unsigned char)*w)
            return false;
    return true;
}

static void on_element(meta_state *st, xmlNodePtr n)
{
    int tag = sr_tag(n);
    const char *ip = NULL, *cls = NULL, *id = NULL, *rel = NULL;
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        const char *name = (const char *)at->name;
        unsigned char c0 = (unsigned char)name[0] | 0x20;
        if (c0 != 'i' && c0 != 'c' && c0 != 'r')
            continue;
        const char *v = at->children && at->children->type == XML_TEXT_NODE && !at->children->next &&
                        at->children->content ? (const char *)at->children->content : "";
        if (c0 == 'r') {
            if (!rel && !strcasecmp(name, "rel"))
                rel = v;   /* as sr_attr finds it: the first, name folded */
        } else if (name[0] == 'i' && name[1] == 'd' && !name[2]) {
            id = v;
        } else if (!strcmp(name, c0 == 'i' ? "itemprop" : "class")) {
            if (c0 == 'i')
                ip = v;
            else
                cls = v;
        }
    }
    unsigned named = 0;   /* named_words of class and id, read when first asked */
    bool named_read = false;
    if (tag == SR_TAG_meta) {
        on_meta(st, n);
    } else if (tag == SR_TAG_title) {
        if (!st->doc_title && n->parent && !sr_tag_is(n->parent, "svg"))
            st->doc_title = sr_node_text(st->pg->arena, n);
    } else if (tag == SR_TAG_link) {
        const char *rel = sr_attr(n, "rel"), *href = sr_attr(n, "href");
        if (rel && href && !strcasecmp(rel, "canonical") && !st->canonical)
            st->canonical = href;
    } else if (tag == SR_TAG_script) {
        const char *type = sr_attr(n, "type");
        if (type && sr_contains_ci(type, "ld+json") && n->children && n->children->content)
            json_ld(st, (const char *)n->children->content, strlen((const char *)n->children->content));
    } else if (tag == SR_TAG_h1 || tag == SR_TAG_h2) {
        if (tag == SR_TAG_h1 && !st->n_h1++)
            st->h1 = n;
        if (st->n_headings < 8) {
            char *h = sr_node_text(st->pg->arena, n);
            if (h)
                st->headings[st->n_headings++] = h;
        }
    } else if (tag == SR_TAG_time) {
        const char *dt = sr_attr(n, "datetime");
        if (!dt || !*dt)
            dt = (const char *)NULL;
        int rank = 1;
        if (sr_attr(n, "pubdate") || (ip && sr_contains_ci(ip, "datePublished")) ||
            named_for(n, "publish", "posted"))
            rank = 3;
        else if (named_for(n, "update", "modif"))
            rank = 0;
        char *txt = dt ? NULL : sr_node_text(st->pg->arena, n);
        const char *v = dt ? dt : txt;
        if (v && rank > st->time_rank) {
            st->time_pub = v;
            st->time_rank = rank;
        }
    }
    if (ip && tag != SR_TAG_meta) {
        if (!strcasecmp(ip, "author") || !strcasecmp(ip, "creator"))
            add_dom_author(st, n);
        else if (!strcasecmp(ip, "datePublished") && !st->text_date) {
            const char *v = sr_attr(n, "content");
            if (!v)
                v = sr_attr(n, "datetime");
            st->text_date = v ? v : sr_node_text(st->pg->arena, n);
        } else if (!strcasecmp(ip, "headline") && !st->found[7] && n->children) {
            st->found[7] = sr_node_text(st->pg->arena, n);
        }
    } else if (tag == SR_TAG_a && rel && !strcasecmp(rel, "author")) {
        add_dom_author(st, n);
    } else if (!st->n_dom_authors && (cls || id) && tag != SR_TAG_body && tag != SR_TAG_html &&
               (names_of(cls, id, &named, &named_read) & N_BYLINE)) {
        add_dom_author(st, n);
    }
    if (!st->text_date && (cls || id) && tag != SR_TAG_body && tag != SR_TAG_html &&
        (names_of(cls, id, &named, &named_read) & (N_DATE | N_PUBLISH))) {
        /* only a short text is a date: the text of a large block named
         * "update" is not read to its end */
        char *t = sr_node_text_max(st->pg->arena, n, 80);
        char iso[40];
        if (t && strlen(t) < 80 && sr_date_parse(t, iso, sizeof iso) >= SR_DATE_DAY)
            st->text_date = t;
    }
}

static unsigned names_of(const char *cls, const char *id, unsigned *named, bool *read)
{
    if (!*read) {
        *named = (cls ? named_words(cls) : 0) | (id ? named_words(id) : 0);
        *read = true;
    }
    return *named;
}

static void walk(meta_state *st, xmlNodePtr n, int depth)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        on_element(st, n);
        int tag = sr_tag(n);
        if (n->children && depth < 256 && tag != SR_TAG_script && tag != SR_TAG_style)
            walk(st, n->children, depth + 1);
    }
}

/* ---- JSON-LD ----------------------------------------------------------- */

static bool article_type(const char *t)
{
    static const char *const types[] = {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
        "BackgroundNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle",
        "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "DiscussionForumPosting",
        "TechArticle", "ScholarlyArticle", "Report", "SatiricalArticle", "AdvertiserContentArticle",
        "MedicalScholarlyArticle", "APIReference", NULL};
    for (int i = 0; types[i]; i++)
        if (!strcmp(t, types[i]))
            return true;
    return false;
}

static bool has_article_type(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    if (json_is_string(t))
        return article_type(json_string_value(t));
    size_t i;
    json_t *v;
    json_array_foreach(t, i, v) if (json_is_string(v) && article_type(json_string_value(v))) return true;
    return false;
}

static const char *str(meta_state *st, json_t *v)
{
    if (json_is_array(v))
        v = json_array_get(v, 0);
    if (json_is_object(v)) {
        json_t *x = json_object_get(v, "name");
        if (!x)
            x = json_object_get(v, "@value");
        if (!x)
            x = json_object_get(v, "url");
        v = x;
    }
    return json_is_string(v) && *json_string_value(v) ? sr_arena_strdup(st->pg->arena, json_string_value(v)) : NULL;
}

static void ld_author(meta_state *st, json_t *a)
{
    if (json_is_array(a)) {
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) ld_author(st, v);
        return;
    }
    const char *name = str(st, a);
    if (name && st->n_ld_authors < 8 && strncmp(name, "http", 4))
        st->ld_authors[st->n_ld_authors++] = name;
}

static void ld_object(meta_state *st, json_t *o, int depth)
{
    if (depth > 8)
        return;
    if (json_is_array(o)) {
        size_t i;
        json_t *v;
        json_array_foreach(o, i, v) ld_object(st, v, depth + 1);
        return;
    }
    if (!json_is_object(o))
        return;
    json_t *graph = json_object_get(o, "@graph");
    if (graph)
        ld_object(st, graph, depth + 1);
    bool art = has_article_type(o);
    if (art && st->ld_article)
        return;   /* the first article object is the page's */
    json_t *t = json_object_get(o, "@type");
    bool webpage = json_is_string(t) && strstr(json_string_value(t), "WebPage");
    if (!art && !webpage)
        return;
    if (art) {
        st->ld_article = true;
        /* "name" unless only "headline" agrees with <title> (Readability's rule) */
        const char *name = str(st, json_object_get(o, "name"));
        const char *headline = str(st, json_object_get(o, "headline"));
        st->ld_title = name ? name : headline;
        if (name && headline && strcmp(name, headline)) {
            st->ld_title_pair[0] = name;
            st->ld_title_pair[1] = headline;
        }
        ld_author(st, json_object_get(o, "author"));
        json_t *pub = json_object_get(o, "publisher");
        if (pub)
            st->ld_site = str(st, pub);
        st->ld_desc = str(st, json_object_get(o, "description"));
        st->pg->ld_body = str(st, json_object_get(o, "articleBody"));
        st->ld_lang = str(st, json_object_get(o, "inLanguage"));
        st->ld_image = str(st, json_object_get(o, "image"));
    }
    if (art || !st->ld_pub) {
        const char *p = str(st, json_object_get(o, "datePublished"));
        if (p || art)
            st->ld_pub = p ? p : st->ld_pub;
        const char *m = str(st, json_object_get(o, "dateModified"));
        if (m || art)
            st->ld_mod = m ? m : st->ld_mod;
    }
}

static void json_ld(meta_state *st, const char *s, size_t n)
{
    /* pages wrap JSON-LD in <![CDATA[ ]]> or <!-- --> and end it with ';' */
    while (n && isspace((unsigned char)*s))
        s++, n--;
    if (n >= 9 && !strncmp(s, "<![CDATA[", 9))
        s += 9, n -= 9;
    else if (n >= 4 && !strncmp(s, "<!--", 4))
        s += 4, n -= 4;
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
        n--;
    if (n >= 3 && !strncmp(s + n - 3, "]]>", 3))
        n -= 3;
    else if (n >= 3 && !strncmp(s + n - 3, "-->", 3))
        n -= 3;
    json_error_t err;
    json_t *root = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!root)
        root = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, &err);
    if (!root)
        return;   /* broken JSON-LD is common; the meta tags still count */
    ld_object(st, root, 0);
    json_decref(root);
}

/* ---- deciding ---------------------------------------------------------- */

static const char *first(meta_state *st, enum slot s)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (meta_keys[i].slot == s && st->found[i] && *st->found[i])
            return st->found[i];
    return NULL;
}

static const char *clean_title(meta_state *st, const char *t);
static char *unescape(sr_arena *ar, const char *s);
static void set_date(sr_page *pg, const char *v, const char *source, bool modified);
static void set_authors(meta_state *st);
static char *absolute(sr_page *pg, const char *u);

static bool pair_wants_headline(meta_state *st, const char *site);
static bool title_holds_headline(const char *title, const char *h);

static void decide(meta_state *st)
{
    sr_page *pg = st->pg;
    sr_article *a = pg->art;
    sr_arena *ar = pg->arena;
    pg->doc_title = st->doc_title;
    a->site_name = sr_collapse(ar, st->ld_site ? st->ld_site : first(st, S_SITE));
    const char *og_site = first(st, S_SITE);
    if (og_site)
        a->site_name = sr_collapse(ar, og_site);
    if (st->ld_title_pair[0] && pair_wants_headline(st, a->site_name))
        st->ld_title = st->ld_title_pair[1];
    const char *t = st->ld_title ? st->ld_title : first(st, S_TITLE);
    a->title = t ? sr_collapse(ar, unescape(ar, t)) : clean_title(st, st->doc_title);
    /* the page's own headline, when the title is it plus more */
    if (a->title && !st->ld_title && st->n_h1 >= 1) {
        char *h = sr_node_text(ar, st->h1);
        if (h && strlen(h) >= 10 && title_holds_headline(a->title, h))
            a->title = h;
    }
    if (a->title && a->site_name) {
        /* "Headline - Site Name", "Headline | Site Name" */
        size_t tl = strlen(a->title), sl = strlen(a->site_name);
        if (tl > sl + 3 && !strcmp(a->title + tl - sl, a->site_name)) {
            char *c = sr_arena_strndup(ar, a->title, tl - sl);
            size_t n = strlen(c);
            while (n && (c[n - 1] == ' ' || c[n - 1] == '-' || c[n - 1] == '|' ||
                         c[n - 1] == ':' || (unsigned char)c[n - 1] >= 0x80))
                n--;
            c[n] = 0;
            if (n)
                a->title = c;
        }
    }
    pg->title_node = st->h1;
    a->description = sr_collapse(ar, st->ld_desc ? st->ld_desc : first(st, S_DESC));
    const char *lang = st->html_lang && *st->html_lang ? st->html_lang : st->ld_lang;
    if (!lang)
        lang = first(st, S_LANG);
    if (lang) {
        char *l = sr_collapse(ar, lang);
        for (char *p = l; p && *p; p++)
            if (*p == '_')
                *p = '-';
        a->lang = l;
    }
    if (!a->url) {
        const char *u = st->canonical ? st->canonical : first(st, S_URL);
        a->url = u ? absolute(pg, u) : NULL;
    }
    if (st->ld_pub)
        set_date(pg, st->ld_pub, "json-ld", false);
    if (!a->published)
        set_date(pg, first(st, S_PUB), "meta", false);
    if (!a->published && st->time_pub)
        set_date(pg, st->time_pub, "time", false);
    if (!a->published) {
        char iso[40];
        sr_date_precision p = sr_date_from_url(a->url, iso, sizeof iso);
        if (!p && pg->base_url)
            p = sr_date_from_url(pg->base_url, iso, sizeof iso);
        if (p) {
            a->published = sr_arena_strdup(ar, iso);
            a->published_precision = p;
            a->published_source = "url";
        }
    }
    if (!a->published && st->text_date)
        set_date(pg, st->text_date, "text", false);
    set_date(pg, st->ld_mod ? st->ld_mod : first(st, S_MOD), NULL, true);
    set_authors(st);
    const char *img = st->ld_image ? st->ld_image : first(st, S_IMAGE);
    if (img) {
        a->images = sr_arena_alloc(ar, sizeof(char *) * 1);
        if (a->images) {
            a->images[0] = absolute(pg, img);
            a->n_images = a->images[0] ? 1 : 0;
        }
    }
}

static void set_date(sr_page *pg, const char *v, const char *source, bool modified)
{
    char iso[40];
    sr_date_precision p = v ? sr_date_parse(v, iso, sizeof iso) : SR_DATE_NONE;
    if (!p)
        return;
    if (modified) {
        pg->art->modified = sr_arena_strdup(pg->arena, iso);
        return;
    }
    pg->art->published = sr_arena_strdup(pg->arena, iso);
    pg->art->published_precision = p;
    pg->art->published_source = source;
}

static bool is_url(const char *s)
{
    return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "//", 2);
}

/* "By Jane Doe and John Roe", "Jane Doe, John Roe" → names */
static void split_names(meta_state *st, const char *s)
{
    sr_article *a = st->pg->art;
    char *c = sr_collapse(st->pg->arena, s);
    if (!c || is_url(c))
        return;
    if (!strncasecmp(c, "by ", 3))
        c += 3;
    else if (!strncasecmp(c, "von ", 4))
        c += 4;
    else if (!strncasecmp(c, "par ", 4))
        c += 4;
    char *save = NULL;
    for (char *part = strtok_r(c, ",;|", &save); part; part = strtok_r(NULL, ",;|", &save)) {
        char *and = strstr(part, " and ");
        if (!and)
            and = strstr(part, " & ");
        if (!and)
            and = strstr(part, " und ");
        char *rest = NULL;
        if (and) {
            *and = 0;
            rest = strchr(and + 1, ' ') + 1;
        }
        for (char *nm = part; nm; nm = rest, rest = NULL) {
            char *x = sr_collapse(st->pg->arena, nm);
            /* "staff writer", "correspondent": roles, not names */
            if (x && islower((unsigned char)x[0]) &&
                (strstr(x, "writer") || strstr(x, "correspondent") || strstr(x, "reporter") ||
                 strstr(x, "editor") || strstr(x, "staff")))
                continue;
            if (x && strlen(x) > 1 && strlen(x) < 80 && a->n_authors < 8) {
                bool dup = false;
                for (size_t i = 0; i < a->n_authors; i++)
                    dup |= !strcasecmp(a->authors[i], x);
                if (!dup)
                    a->authors[a->n_authors++] = x;
            }
        }
    }
}

static void set_authors(meta_state *st)
{
    sr_article *a = st->pg->art;
    a->authors = sr_arena_calloc(st->pg->arena, sizeof(char *) * 8);
    if (!a->authors)
        return;
    if (st->n_ld_authors) {
        for (int i = 0; i < st->n_ld_authors; i++)
            split_names(st, st->ld_authors[i]);
        return;
    }
    const char *m = first(st, S_AUTHOR);
    if (m && !is_url(m)) {
        split_names(st, m);
        return;
    }
    for (int i = 0; i < st->n_dom_authors; i++)
        split_names(st, st->dom_authors[i]);
}

static size_t words(const char *s, size_t n)
{
    size_t w = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        bool sp = isspace((unsigned char)s[i]);
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

/* JSON-LD with a "name" and a "headline" that differ: some sites put their
 * own name in "name". The headline wins when the name is the site's (found
 * in og:site_name or the publisher's name), or when only the headline
 * agrees with <title> (Readability's rule). */
static bool pair_wants_headline(meta_state *st, const char *site)
{
    const char *name = st->ld_title_pair[0], *headline = st->ld_title_pair[1];
    if ((site && sr_contains_ci(site, name)) || (st->ld_site && sr_contains_ci(st->ld_site, name)))
        return true;
    return st->doc_title && strstr(st->doc_title, headline) && !strstr(st->doc_title, name);
}

/* The <h1> is the headline and the title is it plus the site's name: the
 * title starts with it ("Headline | Site"), or ends with it after a shorter
 * prefix ("Site: Headline"). An <h1> found elsewhere in the title is the
 * site's logo or blog name, not the headline. */
static bool title_holds_headline(const char *title, const char *h)
{
    size_t tl = strlen(title), hl = strlen(h);
    if (hl > tl)
        return false;
    if (!strncmp(title, h, hl))
        return true;
    return !strcmp(title + tl - hl, h) && tl - hl < hl;
}

/* Bytes of a title separator at p: | - \ / > » – or — (0 if none). */
static int sep_at(const char *p)
{
    if (*p == '|' || *p == '-' || *p == '\\' || *p == '/' || *p == '>')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xBB)
        return 2;
    /* en and em dash, as typographers write "Headline – Site" */
    if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94))
        return 3;
    return 0;
}

static bool heading_is(meta_state *st, const char *t)
{
    for (int i = 0; i < st->n_headings; i++)
        if (!strcmp(st->headings[i], t))
            return true;
    return false;
}

/* <title> without the site's name, by Readability's rules (so that titles
 * agree with what readers show): cut at the last " | " / " - " unless too
 * few words remain, then try the part after the first separator; for
 * "Site: Headline" keep what follows the colon; a title too short or too
 * long gives way to the only <h1>; four words or fewer keep the original. */
static const char *clean_title(meta_state *st, const char *orig_in)
{
    sr_arena *ar = st->pg->arena;
    if (!orig_in)
        return st->n_h1 == 1 ? sr_node_text(ar, st->h1) : NULL;
    const char *orig = sr_collapse(ar, orig_in);
    if (!orig)
        return NULL;
    size_t n = strlen(orig);
    const char *cur = orig;
    bool hier = false, had_sep = false;
    const char *last = NULL;
    for (const char *p = orig; *p; p++) {
        int k = p > orig && p[-1] == ' ' ? sep_at(p) : 0;
        if (k && p[k] == ' ') {
            had_sep = true;
            last = p;
            hier |= *p != '|' && *p != '-' && k != 3;   /* dashes are not a hierarchy */
        }
    }
    if (had_sep) {
        cur = sr_collapse(ar, sr_arena_strndup(ar, orig, (size_t)(last - orig)));
        if (!cur || words(cur, strlen(cur)) < 3) {
            const char *p = orig;
            while (*p && !sep_at(p))
                p++;
            cur = sr_collapse(ar, *p ? p + sep_at(p) : p);
        }
    } else if (strstr(orig, ": ")) {
        if (!heading_is(st, orig)) {
            const char *lc = strrchr(orig, ':'), *fc = strchr(orig, ':');
            cur = sr_collapse(ar, lc + 1);
            if (!cur || words(cur, strlen(cur)) < 3)
                cur = sr_collapse(ar, fc + 1);
            else if (words(orig, (size_t)(fc - orig)) > 5)
                cur = orig;
        }
    } else if ((n > 150 || n < 15) && st->n_h1 == 1) {
        cur = sr_node_text(ar, st->h1);
    }
    if (!cur)
        return orig;
    size_t cw = words(cur, strlen(cur));
    if (cw <= 4) {
        size_t ow = 0;
        bool in = false;
        for (const char *p = orig; *p; p++) {   /* words with separators removed */
            bool sp = *p == ' ' || sep_at(p);
            ow += !sp && !in;
            in = !sp;
        }
        if (!hier || cw != ow - 1)
            cur = orig;
    }
    return cur;
}

static char *absolute(sr_page *pg, const char *u)
{
    char *c = sr_collapse(pg->arena, u);
    if (!c)
        return NULL;
    if (!pg->base_url || (is_url(c) && c[0] != '/'))
        return c;
    xmlChar *r = xmlBuildURI((const xmlChar *)c, (const xmlChar *)pg->base_url);
    if (!r)
        return c;
    char *s = sr_arena_strdup(pg->arena, (const char *)r);
    xmlFree(r);
    return s;
}

char *sr_meta_absolute(sr_page *pg, const char *u)
{
    return absolute(pg, u);
}

/* No day-precise date from the markup: look where pages write it in words,
 * near the headline and at the start of the story (the dateline). A date in
 * the URL that names only the month is refined when the text agrees. */
void sr_meta_finish(sr_page *pg)
{
    meta_state *st = pg->meta;
    sr_article *a = pg->art;
    if (st && pg->byline && a->authors && !a->n_authors)
        split_names(st, pg->byline);
    if (!st || (a->published && a->published_precision >= SR_DATE_DAY))
        return;
    char iso[40];
    bool found = false;
    xmlNodePtr h = st->h1 ? st->h1->parent : NULL;
    for (int up = 0; up < 2 && h && !found && h != pg->body && h->type == XML_ELEMENT_NODE;
         up++, h = h->parent) {
        /* sr_date_find reads the first 4000 bytes: a large block's text is
         * read no further than that */
        char *t = sr_node_text_max(pg->arena, h, 4000);
        found = t && sr_date_find(t, strlen(t), iso, sizeof iso);
    }
    if (!found && a->text)
        found = sr_date_find(a->text, a->text_len < 600 ? a->text_len : 600, iso, sizeof iso);
    if (!found || (a->published && strncmp(a->published, iso, strlen(a->published)) != 0))
        return;
    a->published = sr_arena_strdup(pg->arena, iso);
    a->published_precision = SR_DATE_DAY;
    a->published_source = "text";
}

/* Metadata written with its entities escaped twice ("&amp;#8211;") reaches
 * us as "&#8211;": decode the common ones once more. */
static char *unescape(sr_arena *ar, const char *s)
{
    if (!strchr(s, '&'))
        return (char *)s;
    size_t n = strlen(s);
    char *o = sr_arena_alloc(ar, n + 1), *q = o;
    if (!o)
        return (char *)s;
    static const struct { const char *name; const char *text; } named[] = {
        {"amp;", "&"}, {"quot;", "\""}, {"lt;", "<"}, {"gt;", ">"}, {"apos;", "'"},
        {"nbsp;", " "}, {"ndash;", "\u2013"}, {"mdash;", "\u2014"}, {"hellip;", "\u2026"}};
    while (*s) {
        if (*s == '&' && s[1] == '#') {
            char *end;
            long cp = s[2] == 'x' || s[2] == 'X' ? strtol(s + 3, &end, 16) : strtol(s + 2, &end, 10);
            if (*end == ';' && cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp < 0xE000)) {
                q += sr_utf8_encode((int32_t)cp, q);
                s = end + 1;
                continue;
            }
        } else if (*s == '&') {
            size_t i;
            for (i = 0; i < sizeof named / sizeof named[0]; i++)
                if (!strncmp(s + 1, named[i].name, strlen(named[i].name)))
                    break;
            if (i < sizeof named / sizeof named[0]) {
                size_t k = strlen(named[i].text);
                memcpy(q, named[i].text, k);
                q += k;
                s += 1 + strlen(named[i].name);
                continue;
            }
        }
        *q++ = *s++;
    }
    *q = 0;
    return o;
}

