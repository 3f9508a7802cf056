/* Feeds: RSS 0.9x / 1.0 / 2.0 and Atom through libxml2's streaming reader,
 * JSON Feed through jansson. One pass, one arena per feed.
 *
 * The XML side is a small state machine over reader nodes: an item (RSS
 * <item>, Atom <entry>) opens, its direct children are captured as fields
 * (text accumulated across text and CDATA nodes, capped), and the item is
 * kept when it closes — or when the document breaks off, so a truncated
 * feed still yields what it had. Elements are told apart by namespace and
 * local name, so prefixes do not matter. */
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <libxml/xmlreader.h>
#include "internal.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA "http://search.yahoo.com/mrss/"

enum field {
    F_NONE, F_TITLE, F_LINK, F_ID, F_PUBLISHED, F_UPDATED, F_SUMMARY, F_CONTENT,
    F_AUTHOR, F_CATEGORY, F_FEED_TITLE, F_FEED_LINK,
};

struct feed_parser {
    xmlTextReaderPtr rd;
    const sr_ingest_limits *lim;
    sr_arena *a;
    sr_feed *feed;
    sr_buf items;            /* sr_feed_item array, copied to the arena at the end */
    sr_buf authors, categories;  /* const char * arrays of the current item */
    sr_feed_item cur;
    const char *content;     /* content:encoded / atom:content, summary's fallback */
    const char *permalink;   /* an RSS guid that is a permalink */
    bool guid_permalink;
    const char *thumbnail;
    bool in_item, in_author;
    int item_depth;
    enum field field;
    int field_depth;
    sr_buf text;
    bool root_closed;
    char error[160];
    int error_line;
};

static sr_err parse_xml(const char *data, size_t len, const char *base, struct feed_parser *p);
static sr_err parse_json(const char *data, size_t len, const char *base, struct feed_parser *p,
                         char *err, size_t errlen);
static sr_err finish(struct feed_parser *p, sr_feed **out);

sr_err sr_feed_parse(const char *data, size_t len, const char *base_url,
                     const sr_ingest_limits *limits, sr_arena *a,
                     sr_feed **out, char *err, size_t errlen)
{
    *out = NULL;
    sr_ingest_limits dflt;
    limits = sr_limits_or_default(limits, &dflt);
    const char *warning;
    sr_err e = sr_doc_prepare(&data, &len, limits, a, &warning, err, errlen);
    if (e)
        return e;
    struct feed_parser p;
    memset(&p, 0, sizeof p);
    p.lim = limits;
    p.a = a;
    p.feed = sr_arena_calloc(a, sizeof *p.feed);
    if (!p.feed)
        return SR_ENOMEM;
    p.feed->warning = warning;
    sr_buf_init(&p.items, (limits->max_items + 1) * sizeof(sr_feed_item));
    sr_buf_init(&p.authors, (limits->max_list + 1) * sizeof(char *));
    sr_buf_init(&p.categories, (limits->max_list + 1) * sizeof(char *));
    sr_buf_init(&p.text, limits->max_field_bytes + 8);

    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < len && (data[i] == '{' || data[i] == '['))
        e = parse_json(data + i, len - i, base_url, &p, err, errlen);
    else {
        size_t fixed_len;
        char *fixed = sr_xml_fix_entities(data, len, a, &fixed_len);
        if (fixed) {
            data = fixed;
            len = fixed_len;
            const char *what = "HTML entities or bare \"&\" in XML (repaired)";
            p.feed->warning = p.feed->warning ? sr_arena_printf(a, "%s; %s", p.feed->warning, what) : what;
        }
        e = parse_xml(data, len, base_url, &p);
        if (e == SR_EPARSE)
            sr_xml_errf(err, errlen, p.error_line, p.error, "document ends before the feed does");
        else if (e == SR_EEMPTY)
            sr_ingest_errf(err, errlen, "not a feed (no <rss>, <rdf:RDF> or Atom <feed> root)");
    }
    if (e == SR_OK || (e == SR_EPARSE && p.items.len > 0)) {
        sr_err fe = finish(&p, out);
        if (fe)
            e = fe;
    }
    sr_buf_free(&p.items);
    sr_buf_free(&p.authors);
    sr_buf_free(&p.categories);
    sr_buf_free(&p.text);
    return e;
}

static sr_err finish(struct feed_parser *p, sr_feed **out)
{
    if (p->items.failed)
        return p->items.failed;
    size_t n = p->items.len / sizeof(sr_feed_item);
    p->feed->items = n ? sr_arena_alloc(p->a, p->items.len) : NULL;
    if (n && !p->feed->items)
        return SR_ENOMEM;
    if (n)
        memcpy(p->feed->items, p->items.data, p->items.len);
    p->feed->n_items = n;
    *out = p->feed;
    return SR_OK;
}

/* ---- items ---------------------------------------------------------------- */

static void item_begin(struct feed_parser *p, int depth)
{
    memset(&p->cur, 0, sizeof p->cur);
    p->content = p->permalink = p->thumbnail = NULL;
    p->in_item = true;
    p->in_author = false;
    p->item_depth = depth;
    sr_buf_reset(&p->authors);
    sr_buf_reset(&p->categories);
}

static const char **list_copy(struct feed_parser *p, sr_buf *b, size_t *n)
{
    *n = b->len / sizeof(char *);
    if (*n == 0)
        return NULL;
    const char **v = sr_arena_alloc(p->a, b->len);
    if (v)
        memcpy(v, b->data, b->len);
    else
        *n = 0;
    return v;
}

static void list_push(struct feed_parser *p, sr_buf *b, const char *s)
{
    if (s && *s && b->len / sizeof(char *) < p->lim->max_list)
        sr_buf_append(b, &s, sizeof s);
}

static void item_end(struct feed_parser *p)
{
    sr_feed_item *it = &p->cur;
    p->in_item = false;
    it->content = p->content;
    if (!it->summary)
        it->summary = p->content;
    if (!it->link && p->permalink)
        it->link = p->permalink;
    if (!it->link && it->id && (strncmp(it->id, "http://", 7) == 0 || strncmp(it->id, "https://", 8) == 0))
        it->link = it->id;
    if (!it->image)
        it->image = p->thumbnail;
    it->authors = list_copy(p, &p->authors, &it->n_authors);
    it->categories = list_copy(p, &p->categories, &it->n_categories);
    if (!it->title && !it->link && !it->summary)
        return;   /* nothing a reader could use */
    if (p->items.len / sizeof *it >= p->lim->max_items) {
        p->feed->n_dropped++;
        return;
    }
    sr_buf_append(&p->items, it, sizeof *it);
}

static const char *text_of(struct feed_parser *p)
{
    return sr_trimmed(p->text.data ? p->text.data : "", p->text.len, p->lim->max_field_bytes, p->a);
}

static const char *html_text_of(struct feed_parser *p)
{
    const char *s = sr_html_to_text(p->text.data ? p->text.data : "", p->text.len,
                                    p->lim->max_field_bytes, p->a);
    return s && *s ? s : NULL;
}

static const char *date_of(struct feed_parser *p)
{
    char iso[32];
    return sr_date_iso8601(text_of(p), iso) ? sr_arena_strdup(p->a, iso) : NULL;
}

/* Resolve against the node's base (xml:base, else the document URL). */
static const char *url_of(struct feed_parser *p, const char *ref)
{
    if (!ref || !*ref)
        return NULL;
    xmlChar *base = xmlTextReaderBaseUri(p->rd);
    char *abs = NULL;
    sr_url_resolve((const char *)base, ref, p->a, &abs);
    xmlFree(base);
    return abs;
}

/* RSS <author> is an e-mail address, "jd@example.com (Jane Doe)" at best:
 * keep the name when there is one. */
static const char *rss_author(struct feed_parser *p, const char *s)
{
    const char *at = strchr(s, '@'), *open = strchr(s, '(');
    const char *close = open ? strrchr(open, ')') : NULL;
    if (at && open && at < open && close && close > open + 1)
        return sr_trimmed(open + 1, (size_t)(close - open - 1), p->lim->max_field_bytes, p->a);
    return s;
}

static void field_end(struct feed_parser *p)
{
    sr_feed_item *it = &p->cur;
    const char *s;
    switch (p->field) {
    case F_TITLE: if (!it->title) it->title = html_text_of(p); break;
    case F_LINK: if (!it->link) it->link = url_of(p, text_of(p)); break;
    case F_ID:
        if (!it->id && *(s = text_of(p))) {
            it->id = s;
            if (p->guid_permalink)
                p->permalink = url_of(p, s);
        }
        break;
    case F_PUBLISHED: if (!it->published) it->published = date_of(p); break;
    case F_UPDATED: if (!it->updated) it->updated = date_of(p); break;
    case F_SUMMARY: if (!it->summary) it->summary = html_text_of(p); break;
    case F_CONTENT: if (!p->content) p->content = html_text_of(p); break;
    case F_AUTHOR:
        list_push(p, &p->authors, rss_author(p, text_of(p)));
        break;
    case F_CATEGORY: list_push(p, &p->categories, html_text_of(p)); break;
    case F_FEED_TITLE: if (!p->feed->title) p->feed->title = html_text_of(p); break;
    case F_FEED_LINK: if (!p->feed->link) p->feed->link = url_of(p, text_of(p)); break;
    default: break;
    }
    p->field = F_NONE;
}

/* ---- XML ------------------------------------------------------------------ */

static void on_error(void *arg, const char *msg, xmlParserSeverities sev, xmlTextReaderLocatorPtr loc)
{
    struct feed_parser *p = arg;
    if (p->error[0] || (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR))
        return;
    snprintf(p->error, sizeof p->error, "%s", msg);
    size_t n = strlen(p->error);
    while (n && (p->error[n - 1] == '\n' || p->error[n - 1] == ' '))
        p->error[--n] = 0;
    p->error_line = xmlTextReaderLocatorLineNumber(loc);
}

static bool is(const xmlChar *ns, const xmlChar *name, const char *want_ns, const char *want)
{
    if (strcmp((const char *)name, want) != 0)
        return false;
    if (!want_ns)
        return ns == NULL;
    return ns && strcmp((const char *)ns, want_ns) == 0;
}

static char *attr(struct feed_parser *p, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(p->rd, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = sr_trimmed((const char *)v, strlen((const char *)v), p->lim->max_field_bytes, p->a);
    xmlFree(v);
    return s;
}

static bool image_type(const char *type, const char *medium)
{
    return (type && strncasecmp(type, "image/", 6) == 0) || (medium && strcasecmp(medium, "image") == 0);
}

static sr_feed_format root_format(struct feed_parser *p, const xmlChar *ns, const xmlChar *name)
{
    if (is(ns, name, NULL, "rss")) {
        char *v = attr(p, "version");
        return v && strncmp(v, "0.9", 3) == 0 ? SR_FEED_RSS09X : SR_FEED_RSS20;
    }
    if (is(ns, name, NS_RDF, "RDF"))
        return SR_FEED_RSS10;   /* RSS 0.90 is told by its item namespace */
    if (is(ns, name, NS_ATOM, "feed"))
        return SR_FEED_ATOM;
    return SR_FEED_UNKNOWN;
}

static bool is_item(struct feed_parser *p, const xmlChar *ns, const xmlChar *name)
{
    switch (p->feed->format) {
    case SR_FEED_ATOM: return is(ns, name, NS_ATOM, "entry");
    case SR_FEED_RSS10:
        if (is(ns, name, NS_RSS090, "item"))
            p->feed->format = SR_FEED_RSS090;
        return is(ns, name, NS_RSS10, "item") || is(ns, name, NS_RSS090, "item");
    case SR_FEED_RSS090: return is(ns, name, NS_RSS090, "item");
    default: return is(ns, name, NULL, "item");
    }
}

/* An Atom <link>: rel alternate (or none) is the article, rel enclosure
 * with an image type is its picture. */
static void atom_link(struct feed_parser *p, bool in_item)
{
    char *rel = attr(p, "rel"), *type = attr(p, "type");
    const char *href = url_of(p, attr(p, "href"));
    if (!href)
        return;
    bool alternate = !rel || strcmp(rel, "alternate") == 0;
    if (!in_item) {
        if (alternate && !p->feed->link)
            p->feed->link = href;
        return;
    }
    if (alternate && (!p->cur.link || (type && strcmp(type, "text/html") == 0)))
        p->cur.link = href;
    else if (rel && strcmp(rel, "enclosure") == 0 && image_type(type, NULL) && !p->cur.image)
        p->cur.image = href;
}

/* Elements that carry their value in attributes. */
static bool attribute_element(struct feed_parser *p, const xmlChar *ns, const xmlChar *name)
{
    if (is(ns, name, NULL, "enclosure") || is(ns, name, NS_MEDIA, "content")) {
        char *type = attr(p, "type"), *medium = attr(p, "medium");
        const char *url = url_of(p, attr(p, "url"));
        if (url && image_type(type, medium) && !p->cur.image)
            p->cur.image = url;
        return true;
    }
    if (is(ns, name, NS_MEDIA, "thumbnail")) {
        if (!p->thumbnail)
            p->thumbnail = url_of(p, attr(p, "url"));
        return true;
    }
    if (p->feed->format == SR_FEED_ATOM && is(ns, name, NS_ATOM, "link")) {
        atom_link(p, true);
        return true;
    }
    if (p->feed->format == SR_FEED_ATOM && is(ns, name, NS_ATOM, "category")) {
        char *label = attr(p, "label"), *term = attr(p, "term");
        list_push(p, &p->categories, label && *label ? label : term);
        return true;
    }
    return false;
}

static enum field item_field(struct feed_parser *p, const xmlChar *ns, const xmlChar *name, int depth)
{
    const char *n = (const char *)name;
    bool atom = p->feed->format == SR_FEED_ATOM;
    const char *own = atom ? NS_ATOM : p->feed->format == SR_FEED_RSS10 ? NS_RSS10
                    : p->feed->format == SR_FEED_RSS090 ? NS_RSS090 : NULL;
    if (atom && p->in_author)
        return depth == p->item_depth + 2 && is(ns, name, NS_ATOM, "name") ? F_AUTHOR : F_NONE;
    if (depth != p->item_depth + 1)
        return F_NONE;
    if (ns && strcmp((const char *)ns, NS_DC) == 0)
        return !strcmp(n, "title") ? F_TITLE : !strcmp(n, "date") ? F_PUBLISHED
             : !strcmp(n, "creator") ? F_AUTHOR : !strcmp(n, "subject") ? F_CATEGORY
             : !strcmp(n, "description") ? F_SUMMARY : !strcmp(n, "identifier") ? F_ID : F_NONE;
    if (is(ns, name, NS_CONTENT, "encoded"))
        return F_CONTENT;
    if (!is(ns, name, own, n))
        return F_NONE;
    if (!strcmp(n, "title"))
        return F_TITLE;
    if (atom) {
        if (!strcmp(n, "author")) {
            p->in_author = true;
            return F_NONE;
        }
        return !strcmp(n, "id") ? F_ID : !strcmp(n, "published") || !strcmp(n, "issued") ? F_PUBLISHED
             : !strcmp(n, "updated") || !strcmp(n, "modified") ? F_UPDATED
             : !strcmp(n, "summary") ? F_SUMMARY : !strcmp(n, "content") ? F_CONTENT : F_NONE;
    }
    if (!strcmp(n, "guid")) {
        char *pl = attr(p, "isPermaLink");
        p->guid_permalink = !pl || strcasecmp(pl, "false") != 0;
        return F_ID;
    }
    return !strcmp(n, "link") ? F_LINK : !strcmp(n, "pubDate") ? F_PUBLISHED
         : !strcmp(n, "description") ? F_SUMMARY : !strcmp(n, "author") ? F_AUTHOR
         : !strcmp(n, "category") ? F_CATEGORY : F_NONE;
}

/* Title and link of the channel (RSS: children of <channel>; Atom: of <feed>). */
static enum field feed_field(struct feed_parser *p, const xmlChar *ns, const xmlChar *name, int depth)
{
    if (p->feed->format == SR_FEED_ATOM) {
        if (depth != 1)
            return F_NONE;
        if (is(ns, name, NS_ATOM, "link")) {
            atom_link(p, false);
            return F_NONE;
        }
        return is(ns, name, NS_ATOM, "title") ? F_FEED_TITLE : F_NONE;
    }
    if (depth != 2)
        return F_NONE;
    const char *n = (const char *)name;
    if (strcmp(n, "title") == 0)
        return F_FEED_TITLE;
    if (strcmp(n, "link") == 0)
        return F_FEED_LINK;
    return F_NONE;
}

static void on_element(struct feed_parser *p, int depth)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->rd);
    const xmlChar *name = xmlTextReaderConstLocalName(p->rd);
    enum field f = F_NONE;
    if (!p->in_item && is_item(p, ns, name)) {
        item_begin(p, depth);
        if (p->feed->format == SR_FEED_RSS10 || p->feed->format == SR_FEED_RSS090) {
            xmlChar *about = xmlTextReaderGetAttributeNs(p->rd, (const xmlChar *)"about", (const xmlChar *)NS_RDF);
            if (about) {
                p->cur.id = sr_trimmed((const char *)about, strlen((const char *)about), p->lim->max_field_bytes, p->a);
                xmlFree(about);
            }
        }
        if (xmlTextReaderIsEmptyElement(p->rd))
            item_end(p);
        return;
    }
    if (p->in_item) {
        if (attribute_element(p, ns, name))
            return;
        f = item_field(p, ns, name, depth);
    } else {
        f = feed_field(p, ns, name, depth);
    }
    if (f == F_NONE)
        return;
    p->field = f;
    p->field_depth = depth;
    sr_buf_reset(&p->text);
    if (xmlTextReaderIsEmptyElement(p->rd))
        field_end(p);
}

static void on_end(struct feed_parser *p, int depth)
{
    if (p->field != F_NONE && depth == p->field_depth)
        field_end(p);
    else if (p->in_author && depth == p->item_depth + 1)
        p->in_author = false;
    else if (p->in_item && depth == p->item_depth)
        item_end(p);
    if (depth == 0)
        p->root_closed = true;
}

static sr_err parse_xml(const char *data, size_t len, const char *base, struct feed_parser *p)
{
    /* No entity substitution, no DTD or network access: a feed cannot make
     * the reader fetch or expand anything. RECOVER reads past the small
     * faults real feeds have (stray "&", undefined HTML entities). */
    int opts = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    sr_xml_quiet quiet;
    sr_xml_quiet_begin(&quiet, p->error, sizeof p->error, &p->error_line);
    const char *force = sr_xml_encoding_override(data, len);
    if (force) {
        opts |= XML_PARSE_IGNORE_ENC;
        const char *what = "encoding declared in the document unknown; read as UTF-8";
        p->feed->warning = p->feed->warning ? sr_arena_printf(p->a, "%s; %s", p->feed->warning, what) : what;
    }
    p->rd = xmlReaderForMemory(data, (int)len, base, force, opts);
    if (!p->rd) {
        sr_xml_quiet_end(&quiet);
        return SR_ENOMEM;
    }
    xmlTextReaderSetErrorHandler(p->rd, on_error, p);
    int r;
    bool root_seen = false;
    sr_err e = SR_OK;
    while ((r = xmlTextReaderRead(p->rd)) == 1) {
        int type = xmlTextReaderNodeType(p->rd);
        int depth = xmlTextReaderDepth(p->rd);
        if (type == XML_READER_TYPE_ELEMENT && !root_seen) {
            root_seen = true;
            p->feed->format = root_format(p, xmlTextReaderConstNamespaceUri(p->rd), xmlTextReaderConstLocalName(p->rd));
            if (p->feed->format == SR_FEED_UNKNOWN) {
                e = SR_EEMPTY;
                break;
            }
        } else if (type == XML_READER_TYPE_ELEMENT) {
            on_element(p, depth);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            on_end(p, depth);
        } else if (p->field != F_NONE && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                                          type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                                          type == XML_READER_TYPE_WHITESPACE)) {
            const xmlChar *v = xmlTextReaderConstValue(p->rd);
            if (v)
                sr_append_capped(&p->text, (const char *)v, p->lim->max_field_bytes);
        }
        if (p->items.failed == SR_ENOMEM) {
            e = SR_ENOMEM;
            break;
        }
    }
    if (e == SR_OK && !root_seen)
        e = p->error[0] ? SR_EPARSE : SR_EEMPTY;
    else if (e == SR_OK && (r < 0 || !p->root_closed)) {
        /* Keep the item the document broke off in. */
        if (p->in_item) {
            if (p->field != F_NONE)
                field_end(p);
            item_end(p);
        }
        e = SR_EPARSE;
        if (!p->error_line)
            p->error_line = xmlTextReaderGetParserLineNumber(p->rd);
    } else if (e == SR_OK && p->error[0]) {
        const char *what = sr_arena_printf(p->a, "line %d: %s (recovered)", p->error_line, p->error);
        p->feed->warning = p->feed->warning ? sr_arena_printf(p->a, "%s; %s", p->feed->warning, what) : what;
    }
    xmlFreeTextReader(p->rd);
    sr_xml_quiet_end(&quiet);
    p->rd = NULL;
    return e;
}

/* ---- JSON Feed (jsonfeed.org, versions 1 and 1.1) -------------------------- */

static const char *jstr(struct feed_parser *p, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return sr_trimmed(json_string_value(v), json_string_length(v), p->lim->max_field_bytes, p->a);
    if (json_is_integer(v))
        return sr_arena_printf(p->a, "%lld", (long long)json_integer_value(v));
    return NULL;
}

static const char *jtext(struct feed_parser *p, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return NULL;
    const char *s = sr_html_to_text(json_string_value(v), json_string_length(v), p->lim->max_field_bytes, p->a);
    return s && *s ? s : NULL;
}

static const char *jdate(struct feed_parser *p, json_t *o, const char *key)
{
    char iso[32];
    const char *s = jstr(p, o, key);
    return s && sr_date_iso8601(s, iso) ? sr_arena_strdup(p->a, iso) : NULL;
}

static const char *jurl(struct feed_parser *p, const char *base, json_t *o, const char *key)
{
    const char *s = jstr(p, o, key);
    char *abs = NULL;
    if (s && *s)
        sr_url_resolve(base, s, p->a, &abs);
    return abs;
}

static void json_authors(struct feed_parser *p, json_t *item)
{
    json_t *list = json_object_get(item, "authors"), *one = json_object_get(item, "author"), *v;
    size_t i;
    if (json_is_array(list))
        json_array_foreach(list, i, v)
            list_push(p, &p->authors, jstr(p, v, "name"));
    else if (json_is_object(one))
        list_push(p, &p->authors, jstr(p, one, "name"));
}

static void json_item(struct feed_parser *p, const char *base, json_t *o)
{
    item_begin(p, 0);
    sr_feed_item *it = &p->cur;
    it->id = jstr(p, o, "id");
    it->link = jurl(p, base, o, "url");
    if (!it->link)
        it->link = jurl(p, base, o, "external_url");
    it->title = jtext(p, o, "title");
    p->content = jtext(p, o, "content_text");
    if (!p->content)
        p->content = jtext(p, o, "content_html");
    it->summary = jtext(p, o, "summary");
    it->published = jdate(p, o, "date_published");
    it->updated = jdate(p, o, "date_modified");
    it->image = jurl(p, base, o, "image");
    if (!it->image)
        it->image = jurl(p, base, o, "banner_image");
    json_t *att = json_object_get(o, "attachments"), *v;
    size_t i;
    json_array_foreach(att, i, v)
        if (!it->image && image_type(jstr(p, v, "mime_type"), NULL))
            it->image = jurl(p, base, v, "url");
    json_authors(p, o);
    json_t *tags = json_object_get(o, "tags");
    json_array_foreach(tags, i, v)
        if (json_is_string(v))
            list_push(p, &p->categories, sr_trimmed(json_string_value(v), json_string_length(v),
                                                   p->lim->max_field_bytes, p->a));
    item_end(p);
}

static sr_err parse_json(const char *data, size_t len, const char *base, struct feed_parser *p,
                         char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    if (!root) {
        sr_ingest_errf(err, errlen, "line %d: %s", jerr.line, jerr.text);
        return SR_EPARSE;
    }
    sr_err e = SR_OK;
    json_t *version = json_object_get(root, "version"), *items = json_object_get(root, "items");
    if (!json_is_string(version) || strncmp(json_string_value(version), "https://jsonfeed.org/version/", 29) ||
        !json_is_array(items)) {
        sr_ingest_errf(err, errlen, "not a JSON Feed (no jsonfeed.org version or no items array)");
        e = SR_EEMPTY;
        goto done;
    }
    p->feed->format = SR_FEED_JSON;
    const char *feed_url = jstr(p, root, "feed_url");
    if (!base || !*base)
        base = feed_url;
    p->feed->title = jtext(p, root, "title");
    p->feed->link = jurl(p, base, root, "home_page_url");
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) {
        if (json_is_object(v))
            json_item(p, base, v);
        if (p->items.failed) {
            e = p->items.failed;
            break;
        }
    }
done:
    json_decref(root);
    return e;
}
