/* Sitemaps (sitemaps.org 0.9): <urlset> of pages and <sitemapindex> of
 * sitemaps, with Google News' <news:news> block read and image, video and
 * other extensions passed over. Elements are matched by local name only:
 * sitemaps in the wild get their namespaces wrong more often than right. */
#include <string.h>
#include <libxml/xmlreader.h>
#include "internal.h"

enum sm_field { S_NONE, S_LOC, S_LASTMOD, S_NEWS_TITLE, S_NEWS_DATE, S_NEWS_LANG, S_NEWS_NAME };

struct sitemap_parser {
    xmlTextReaderPtr rd;
    const sr_ingest_limits *lim;
    sr_arena *a;
    sr_sitemap *map;
    sr_buf entries;
    sr_sitemap_entry cur;
    bool in_entry, in_news, in_publication, root_closed;
    enum sm_field field;
    int field_depth;
    sr_buf text;
    char error[160];
    int error_line;
};

static sr_err read_sitemap(const char *data, size_t len, const char *base, struct sitemap_parser *p);

sr_err sr_sitemap_parse(const char *data, size_t len, const char *base_url,
                        const sr_ingest_limits *limits, sr_arena *a,
                        sr_sitemap **out, char *err, size_t errlen)
{
    *out = NULL;
    sr_ingest_limits dflt;
    limits = sr_limits_or_default(limits, &dflt);
    const char *warning;
    sr_err e = sr_doc_prepare(&data, &len, limits, a, &warning, err, errlen);
    if (e)
        return e;
    struct sitemap_parser p;
    memset(&p, 0, sizeof p);
    p.lim = limits;
    p.a = a;
    if (!(p.map = sr_arena_calloc(a, sizeof *p.map)))
        return SR_ENOMEM;
    sr_buf_init(&p.entries, (limits->max_items + 1) * sizeof(sr_sitemap_entry));
    sr_buf_init(&p.text, limits->max_field_bytes + 8);
    size_t fixed_len;
    char *fixed = sr_xml_fix_entities(data, len, a, &fixed_len);
    if (fixed) {
        data = fixed;
        len = fixed_len;
    }
    e = read_sitemap(data, len, base_url, &p);
    if (e == SR_EPARSE)
        sr_xml_errf(err, errlen, p.error_line, p.error, "document ends before the sitemap does");
    else if (e == SR_EEMPTY)
        sr_ingest_errf(err, errlen, "not a sitemap (no <urlset> or <sitemapindex> root)");
    if (p.entries.failed)
        e = p.entries.failed;
    size_t n = p.entries.len / sizeof(sr_sitemap_entry);
    if ((e == SR_OK || (e == SR_EPARSE && n)) && n) {
        p.map->entries = sr_arena_alloc(a, p.entries.len);
        if (p.map->entries) {
            memcpy(p.map->entries, p.entries.data, p.entries.len);
            p.map->n_entries = n;
        } else {
            e = SR_ENOMEM;
        }
    }
    if (e == SR_OK || (e == SR_EPARSE && n))
        *out = p.map;
    sr_buf_free(&p.entries);
    sr_buf_free(&p.text);
    return e;
}

static void entry_end(struct sitemap_parser *p)
{
    p->in_entry = p->in_news = p->in_publication = false;
    if (!p->cur.loc)
        return;
    if (p->entries.len / sizeof p->cur >= p->lim->max_items) {
        p->map->n_dropped++;
        return;
    }
    sr_buf_append(&p->entries, &p->cur, sizeof p->cur);
}

static void field_end(struct sitemap_parser *p)
{
    const char *s = sr_trimmed(p->text.data ? p->text.data : "", p->text.len, p->lim->max_field_bytes, p->a);
    char iso[32];
    sr_sitemap_entry *e = &p->cur;
    switch (p->field) {
    case S_LOC:
        if (!e->loc && s && *s) {
            char *abs = NULL;
            xmlChar *base = xmlTextReaderBaseUri(p->rd);
            sr_url_resolve((const char *)base, s, p->a, &abs);
            xmlFree(base);
            e->loc = abs;
        }
        break;
    case S_LASTMOD:
        if (sr_date_iso8601(s, iso))
            e->lastmod = sr_arena_strdup(p->a, iso);
        break;
    case S_NEWS_DATE:
        if (sr_date_iso8601(s, iso))
            e->news_publication_date = sr_arena_strdup(p->a, iso);
        break;
    case S_NEWS_TITLE: e->news_title = sr_html_to_text(s, strlen(s), p->lim->max_field_bytes, p->a); break;
    case S_NEWS_LANG: e->news_language = s; break;
    case S_NEWS_NAME: e->news_publication = s; break;
    default: break;
    }
    p->field = S_NONE;
}

static enum sm_field field_of(struct sitemap_parser *p, const char *name, int depth)
{
    if (depth == 2) {
        if (!strcmp(name, "loc")) return S_LOC;
        if (!strcmp(name, "lastmod")) return S_LASTMOD;
        p->in_news = !strcmp(name, "news");
        return S_NONE;
    }
    if (depth == 3 && p->in_news) {
        p->in_publication = !strcmp(name, "publication");
        return !strcmp(name, "title") ? S_NEWS_TITLE : !strcmp(name, "publication_date") ? S_NEWS_DATE : S_NONE;
    }
    if (depth == 4 && p->in_news && p->in_publication)
        return !strcmp(name, "name") ? S_NEWS_NAME : !strcmp(name, "language") ? S_NEWS_LANG : S_NONE;
    return S_NONE;
}

static void on_element(struct sitemap_parser *p, const char *name, int depth)
{
    if (depth == 0) {
        p->map->kind = !strcmp(name, "urlset") ? SR_SITEMAP_URLSET
                     : !strcmp(name, "sitemapindex") ? SR_SITEMAP_INDEX : 0;
        return;
    }
    if (depth == 1) {
        if ((p->map->kind == SR_SITEMAP_URLSET && !strcmp(name, "url")) ||
            (p->map->kind == SR_SITEMAP_INDEX && !strcmp(name, "sitemap"))) {
            memset(&p->cur, 0, sizeof p->cur);
            p->in_entry = !xmlTextReaderIsEmptyElement(p->rd);
        }
        return;
    }
    if (!p->in_entry)
        return;
    enum sm_field f = field_of(p, name, depth);
    if (f == S_NONE)
        return;
    p->field = f;
    p->field_depth = depth;
    sr_buf_reset(&p->text);
    if (xmlTextReaderIsEmptyElement(p->rd))
        field_end(p);
}

static void on_error(void *arg, const char *msg, xmlParserSeverities sev, xmlTextReaderLocatorPtr loc)
{
    struct sitemap_parser *p = arg;
    if (p->error[0] || sev != XML_PARSER_SEVERITY_ERROR)
        return;
    snprintf(p->error, sizeof p->error, "%s", msg);
    size_t n = strlen(p->error);
    while (n && (p->error[n - 1] == '\n' || p->error[n - 1] == ' '))
        p->error[--n] = 0;
    p->error_line = xmlTextReaderLocatorLineNumber(loc);
}

static sr_err read_sitemap(const char *data, size_t len, const char *base, struct sitemap_parser *p)
{
    int opts = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    sr_xml_quiet quiet;
    sr_xml_quiet_begin(&quiet, p->error, sizeof p->error, &p->error_line);
    const char *force = sr_xml_encoding_override(data, len);
    if (force)
        opts |= XML_PARSE_IGNORE_ENC;
    p->rd = xmlReaderForMemory(data, (int)len, base, force, opts);
    if (!p->rd) {
        sr_xml_quiet_end(&quiet);
        return SR_ENOMEM;
    }
    xmlTextReaderSetErrorHandler(p->rd, on_error, p);
    int r;
    sr_err e = SR_OK;
    while ((r = xmlTextReaderRead(p->rd)) == 1) {
        int type = xmlTextReaderNodeType(p->rd), depth = xmlTextReaderDepth(p->rd);
        if (type == XML_READER_TYPE_ELEMENT) {
            on_element(p, (const char *)xmlTextReaderConstLocalName(p->rd), depth);
            if (depth == 0 && !p->map->kind) {
                e = SR_EEMPTY;
                break;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (p->field != S_NONE && depth == p->field_depth)
                field_end(p);
            else if (depth == 1 && p->in_entry)
                entry_end(p);
            else if (depth == 2)
                p->in_news = false;
            else if (depth == 3)
                p->in_publication = false;
            if (depth == 0)
                p->root_closed = true;
        } else if (p->field != S_NONE && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
            const xmlChar *v = xmlTextReaderConstValue(p->rd);
            if (v)
                sr_append_capped(&p->text, (const char *)v, p->lim->max_field_bytes);
        }
    }
    if (e == SR_OK && !p->map->kind)
        e = p->error[0] ? SR_EPARSE : SR_EEMPTY;
    else if (e == SR_OK && (r < 0 || !p->root_closed)) {
        if (p->in_entry) {
            if (p->field != S_NONE)
                field_end(p);
            entry_end(p);
        }
        if (!p->error_line)
            p->error_line = xmlTextReaderGetParserLineNumber(p->rd);
        e = SR_EPARSE;
    }
    xmlFreeTextReader(p->rd);
    sr_xml_quiet_end(&quiet);
    p->rd = NULL;
    return e;
}
