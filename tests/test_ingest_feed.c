/* Feeds: what a reader of each format gets out of the project's fixtures. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "sitrep/ingest.h"

static sr_arena *arena;
static char err[SR_INGEST_ERRLEN];

static void setup(void) { arena = sr_arena_new(0); err[0] = 0; }
static void teardown(void) { sr_arena_free(arena); }
TestSuite(feed, .init = setup, .fini = teardown);

static sr_err parse_fixture(const char *name, const char *base, sr_feed **feed)
{
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/ingest/%s", SR_FIXTURES, name);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK, "cannot read %s", path);
    sr_err e = sr_feed_parse(data, len, base, NULL, arena, feed, err, sizeof err);
    free(data);
    return e;
}

static bool has(const char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

Test(feed, rss2_items_carry_every_field)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("rss2.xml", "https://wire.example.org/world/rss.xml", &f), SR_OK, "%s", err);
    cr_assert_eq(f->format, SR_FEED_RSS20);
    cr_assert_str_eq(f->title, "Example Wire: World");
    cr_assert_str_eq(f->link, "https://wire.example.org/world/");
    cr_assert_eq(f->n_items, 3);
    sr_feed_item *a = &f->items[0];
    cr_assert_str_eq(a->title, "Militants seize Fallujah & parts of Ramadi");
    cr_assert_str_eq(a->link, "https://wire.example.org/world/2014/01/03/anbar-fighting?utm_source=rss");
    cr_assert_str_eq(a->id, "wire-2014-0103-anbar");
    cr_assert_str_eq(a->published, "2014-01-03T15:20:00Z", "+0100 is converted to UTC");
    cr_assert_str_eq(a->summary, "Al Qaeda-linked militants have taken Fallujah & parts of Ramadi.");
    cr_assert_str_eq(a->image, "https://wire.example.org/img/anbar.jpg");
    cr_assert_eq(a->n_authors, 2);
    cr_assert(has(a->authors, a->n_authors, "Ahmed Rasheed"));
    cr_assert_eq(a->n_categories, 2);
    cr_assert(has(a->categories, a->n_categories, "Iraq"));
}

Test(feed, rss2_permalink_guid_author_and_relative_links)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("rss2.xml", "https://wire.example.org/world/rss.xml", &f), SR_OK);
    sr_feed_item *b = &f->items[1];
    cr_assert_str_eq(b->link, "https://wire.example.org/world/2014/01/05/hellfire", "a permalink guid is the link");
    cr_assert_str_eq(b->published, "2014-01-05T14:00:00Z", "EST is five hours behind");
    cr_assert_str_eq(b->authors[0], "Sam Lee");
    cr_assert_str_eq(b->summary, "The US will speed up delivery of Hellfire missiles to Iraq.");
    cr_assert_str_eq(b->content, "Full text with a link.", "content:encoded as text");
    cr_assert_null(f->items[0].content);
    cr_assert_str_eq(b->image, "https://wire.example.org/img/hellfire.jpg");
    sr_feed_item *c = &f->items[2];
    cr_assert_str_eq(c->link, "https://wire.example.org/world/2014/01/06/relative");
    cr_assert_null(c->published);
    cr_assert_str_eq(c->image, "https://wire.example.org/img/thumb.jpg", "a thumbnail when nothing better");
}

Test(feed, rss1_rdf)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("rss1.rdf", NULL, &f), SR_OK, "%s", err);
    cr_assert_eq(f->format, SR_FEED_RSS10);
    cr_assert_str_eq(f->title, "The Example Gazette");
    cr_assert_eq(f->n_items, 2);
    cr_assert_str_eq(f->items[0].title, "Protesters gather in Basra");
    cr_assert_str_eq(f->items[0].id, "https://gazette.example.net/a/1");
    cr_assert_str_eq(f->items[0].published, "2014-01-07T05:30:00Z");
    cr_assert_str_eq(f->items[0].authors[0], "Lina Haddad");
    cr_assert_str_eq(f->items[0].categories[0], "Protests");
    cr_assert_str_eq(f->items[1].published, "2014-01-08", "a day stays a day");
}

Test(feed, rss091_in_latin1)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("rss091.xml", NULL, &f), SR_OK, "%s", err);
    cr_assert_eq(f->format, SR_FEED_RSS09X);
    cr_assert_eq(f->n_items, 1);
    cr_assert_str_eq(f->items[0].title, "Caf\xc3\xa9 bombing in Kabul");
}

Test(feed, atom_xml_base_html_titles_and_authors)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("atom.xml", "https://reports.example.com/feed.atom", &f), SR_OK, "%s", err);
    cr_assert_eq(f->format, SR_FEED_ATOM);
    cr_assert_str_eq(f->link, "https://reports.example.com/");
    cr_assert_eq(f->n_items, 2);
    sr_feed_item *a = &f->items[0];
    cr_assert_str_eq(a->title, "Clashes in Ramadi & Fallujah");
    cr_assert_str_eq(a->link, "https://reports.example.com/news/2014/01/09/clashes", "xml:base applies");
    cr_assert_str_eq(a->image, "https://reports.example.com/media/clashes.png");
    cr_assert_str_eq(a->published, "2014-01-09T15:15:30Z");
    cr_assert_str_eq(a->updated, "2014-01-09T11:00:00Z");
    cr_assert_eq(a->n_authors, 2);
    cr_assert_str_eq(a->authors[0], "Omar Said");
    cr_assert_str_eq(a->authors[1], "Kate Byrne");
    cr_assert(has(a->categories, a->n_categories, "Iraq"), "label before term");
    cr_assert(has(a->categories, a->n_categories, "security"));
    cr_assert_str_eq(a->summary, "Fighting continued overnight.");
    sr_feed_item *b = &f->items[1];
    cr_assert_str_eq(b->link, "https://other.example.com/blog/posts/aid-convoy", "xml:base on the entry");
    cr_assert_str_eq(b->summary, "The convoy carried food and medicine.", "xhtml content as text");
    cr_assert_str_eq(b->content, "The convoy carried food and medicine.");
}

Test(feed, json_feed_1_1)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("feed11.json", NULL, &f), SR_OK, "%s", err);
    cr_assert_eq(f->format, SR_FEED_JSON);
    cr_assert_str_eq(f->title, "Example JSON Desk");
    cr_assert_eq(f->n_items, 2, "the string item is skipped");
    sr_feed_item *a = &f->items[0];
    cr_assert_str_eq(a->link, "https://json.example.org/2014/01/11/ceasefire", "resolved against feed_url");
    cr_assert_str_eq(a->summary, "A ceasefire was announced on Saturday.");
    cr_assert_str_eq(a->content, "A ceasefire was announced on Saturday.");
    cr_assert_str_eq(a->published, "2014-01-11T07:00:00Z");
    cr_assert_str_eq(a->image, "https://json.example.org/img/aleppo.jpg");
    cr_assert_eq(a->n_authors, 2);
    cr_assert_eq(a->n_categories, 2);
    sr_feed_item *b = &f->items[1];
    cr_assert_str_eq(b->id, "2002", "numeric ids become text");
    cr_assert_str_eq(b->link, "https://elsewhere.example.com/story");
    cr_assert_str_eq(b->summary, "Short summary.");
    cr_assert_str_eq(b->content, "A second item with only text.");
}

Test(feed, json_feed_1_0_author_object)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("feed10.json", NULL, &f), SR_OK, "%s", err);
    cr_assert_eq(f->n_items, 1);
    cr_assert_str_eq(f->items[0].authors[0], "Ann Author");
    cr_assert_str_eq(f->items[0].image, "https://json10.example.org/a.jpg");
}

Test(feed, truncated_feed_keeps_what_it_had)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("truncated.xml", NULL, &f), SR_EPARSE);
    cr_assert(strstr(err, "line ") == err, "the message says where: %s", err);
    cr_assert_not_null(f);
    cr_assert_eq(f->n_items, 2);
    cr_assert_str_eq(f->items[0].published, "2014-01-13T10:00:00Z");
    cr_assert_str_eq(f->items[1].link, "https://cut.example.com/2", "the partial item is kept");
}

Test(feed, html_entities_single_and_double_escaped)
{
    sr_feed *f;
    sr_err e = parse_fixture("entities.xml", NULL, &f);
    cr_assert(e == SR_OK, "undefined entities are recovered from: %s", err);
    cr_assert_eq(f->n_items, 2, "items after the bad entities still come");
    cr_assert_str_eq(f->items[0].title, "Mayor\xe2\x80\x99s office & police \"on alert\"");
    cr_assert_not_null(strstr(f->items[0].summary, "AT&T says no"), "%s", f->items[0].summary);
    cr_assert_not_null(f->warning, "the recovered fault is reported");
}

Test(feed, bad_utf8_is_read_as_windows_1252)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("bad-encoding.xml", NULL, &f), SR_OK, "%s", err);
    cr_assert_not_null(f->warning);
    cr_assert_eq(f->n_items, 2);
    cr_assert_str_eq(f->items[0].title, "Caf\xc3\xa9 attack in \xe2\x80\x9cKabul\xe2\x80\x9d");
    cr_assert_str_eq(f->items[1].title, "Na\xc3\xafve UTF-8 stays");
}

Test(feed, a_page_is_not_a_feed)
{
    sr_feed *f;
    cr_assert_eq(parse_fixture("not-a-feed.html", NULL, &f), SR_EEMPTY);
    cr_assert_null(f);
    cr_assert_not_null(strstr(err, "not a feed"));
    const char *json = "{\"hello\": 1}";
    cr_assert_eq(sr_feed_parse(json, strlen(json), NULL, NULL, arena, &f, err, sizeof err), SR_EEMPTY);
    cr_assert_eq(sr_feed_parse("{\"version\":", 11, NULL, NULL, arena, &f, err, sizeof err), SR_EPARSE);
}

Test(feed, gzip_feed_is_inflated)
{
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/ingest/rss2.xml", SR_FIXTURES);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK);
    unsigned char gz[8192];
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    sr_feed *f;
    cr_assert_eq(sr_feed_parse((char *)gz, z.total_out, NULL, NULL, arena, &f, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(f->n_items, 3);
    deflateEnd(&z);
    free(data);
}

Test(feed, limits_cap_items_fields_and_size)
{
    sr_ingest_limits lim;
    sr_ingest_limits_default(&lim);
    lim.max_items = 2;
    lim.max_field_bytes = 10;
    lim.max_list = 1;
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/ingest/rss2.xml", SR_FIXTURES);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK);
    sr_feed *f;
    cr_assert_eq(sr_feed_parse(data, len, NULL, &lim, arena, &f, err, sizeof err), SR_OK);
    cr_assert_eq(f->n_items, 2);
    cr_assert_eq(f->n_dropped, 1);
    cr_assert_leq(strlen(f->items[0].title), 10);
    cr_assert_eq(f->items[0].n_authors, 1);
    lim.max_doc_bytes = 100;
    cr_assert_eq(sr_feed_parse(data, len, NULL, &lim, arena, &f, err, sizeof err), SR_ETOOBIG);
    cr_assert_not_null(strstr(err, "limit"));
    free(data);
}

Test(feed, entity_expansion_is_refused)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>\n"
        "<rss version=\"2.0\"><channel><item><title>&d;</title><link>https://e.example/1</link></item></channel></rss>";
    sr_feed *f;
    sr_err e = sr_feed_parse(doc, strlen(doc), NULL, NULL, arena, &f, err, sizeof err);
    if (e == SR_OK)
        cr_assert(!f->items[0].title || strlen(f->items[0].title) < 1000, "entities are not expanded");
    else
        cr_assert_eq(e, SR_EPARSE, "a hostile document is refused with a message: %s", err);
}

Test(feed, external_entities_are_not_read)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<rss version=\"2.0\"><channel><item><title>T &x;</title><link>https://e.example/1</link></item></channel></rss>";
    sr_feed *f;
    cr_assert_eq(sr_feed_parse(doc, strlen(doc), NULL, NULL, arena, &f, err, sizeof err), SR_OK, "%s", err);
    cr_assert_str_eq(f->items[0].title, "T");
}

Test(feed, unknown_declared_encoding_is_read_as_utf8)
{
    const char *doc = "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>\n"
                      "<rss version=\"2.0\"><channel><item><title>Caf\xc3\xa9</title>"
                      "<link>https://e.example/1</link></item></channel></rss>";
    sr_feed *f;
    cr_assert_eq(sr_feed_parse(doc, strlen(doc), NULL, NULL, arena, &f, err, sizeof err), SR_OK, "%s", err);
    cr_assert_str_eq(f->items[0].title, "Caf\xc3\xa9");
    cr_assert_not_null(strstr(f->warning, "encoding"));
}

Test(feed_stderr, conversion_errors_are_one_message_and_nothing_on_stderr, .init = cr_redirect_stderr)
{
    sr_arena *arena = sr_arena_new(0);
    const char *doc = "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n"
                      "<rss version=\"2.0\"><channel><item><title>x\x1b$B\xff\xff\x1b(B</title>"
                      "<link>https://e.example/1</link></item></channel></rss>";
    sr_feed *f;
    cr_assert_eq(sr_feed_parse(doc, strlen(doc), NULL, NULL, arena, &f, err, sizeof err), SR_EPARSE);
    cr_assert_not_null(strstr(err, "conversion"), "%s", err);
    sr_arena_free(arena);
    fflush(stderr);
    cr_assert_stderr_eq_str("", "libxml2 printed on its own");
}
