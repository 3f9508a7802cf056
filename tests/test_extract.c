/* sitrep extract: what a reader of each kind of page expects to get. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/extract.h"
#include "extract/extract_int.h"

static sr_extractor *ex;
static sr_arena *arena;

static void setup(void)
{
    ex = sr_extractor_new(NULL);
    arena = sr_arena_new(0);
}

static void teardown(void)
{
    sr_arena_free(arena);
    sr_extractor_free(ex);
}

TestSuite(extract, .init = setup, .fini = teardown);

static sr_err extract_fixture(const char *name, sr_article **a)
{
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/extract/%s", SR_FIXTURES, name);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK, "cannot read %s", path);
    sr_err e = sr_extract_html(ex, arena, data, len, name, NULL, NULL, a);
    free(data);
    return e;
}

static sr_article *article(const char *name)
{
    sr_article *a = NULL;
    sr_err e = extract_fixture(name, &a);
    cr_assert_eq(e, SR_OK, "%s: %s", name, sr_extractor_message(ex));
    cr_assert_not_null(a->text);
    return a;
}

#define HAS(a, s) cr_expect(strstr((a)->text, s) != NULL, "text lacks \"%s\":\n%s", s, (a)->text)
#define LACKS(a, s) cr_expect(strstr((a)->text, s) == NULL, "text keeps \"%s\":\n%s", s, (a)->text)

Test(extract, app_banner_goes_and_every_paragraph_stays)
{
    sr_article *a = article("app_banner.html");
    LACKS(a, "Open in app");
    LACKS(a, "Continue in browser");
    LACKS(a, "Northern Dispatch app");
    HAS(a, "KIRKUK, Iraq — Authorities imposed a curfew");   /* the dateline stays */
    HAS(a, "Calm returned by evening.");                     /* so do short paragraphs */
    HAS(a, "after meetings with tribal and community leaders.");
    cr_expect(strstr(a->text, "Shops closed") < strstr(a->text, "Calm returned"), "order kept");
    cr_expect_str_eq(a->title, "Curfew imposed in Kirkuk after clashes");
    cr_expect_str_eq(a->site_name, "Northern Dispatch");
}

Test(extract, notification_prompt_goes)
{
    sr_article *a = article("notification_prompt.html");
    LACKS(a, "Be the first to know");
    LACKS(a, "Turn on notifications");
    LACKS(a, "browser notifications");
    HAS(a, "DOHA, Qatar — Negotiators returned");
    HAS(a, "sequence of a withdrawal.");
}

Test(extract, video_chrome_and_durations_go)
{
    sr_article *a = article("video_embed.html");
    LACKS(a, "02:37");
    LACKS(a, "Watch:");
    LACKS(a, "Fullscreen");
    HAS(a, "TBILISI, Georgia — Tens of thousands");
    HAS(a, "14 people were detained.");
    HAS(a, "until the bill was withdrawn.");
    cr_expect_eq(a->n_captions, 0);
}

Test(extract, figure_caption_and_credit_go_to_captions)
{
    sr_article *a = article("figure_credit.html");
    cr_assert_eq(a->n_captions, 2);
    cr_expect_str_eq(a->captions[0].text, "Residents are evacuated by boat from a flooded street in Kherson.");
    cr_expect_str_eq(a->captions[0].credit, "Photo: Olena Kovalenko/Northern Dispatch");
    cr_expect_str_eq(a->captions[1].text, "The flooded area along the lower Dnipro.");
    cr_expect_str_eq(a->captions[1].credit, "Photo: Map data by the regional administration");
    LACKS(a, "Olena Kovalenko");
    LACKS(a, "Residents are evacuated");
    HAS(a, "Rescue workers used boats");
    cr_expect_geq(a->n_images, 2);
}

Test(extract, jsonld_article_dates_authors_and_title)
{
    sr_article *a = article("jsonld_dates.html");
    /* the NewsArticle's date, not the WebPage's, and over the meta tag's */
    cr_expect_str_eq(a->published, "2023-08-18T17:42:10+01:00");
    cr_expect_eq(a->published_precision, SR_DATE_SECOND);
    cr_expect_str_eq(a->published_source, "json-ld");
    cr_expect_str_eq(a->modified, "2023-08-18T19:05:00+01:00");
    cr_assert_eq(a->n_authors, 1);
    cr_expect_str_eq(a->authors[0], "Aïssata Maïga");
    cr_expect_str_eq(a->title, "Manifestation à Niamey contre la présence militaire étrangère");
    cr_expect_str_eq(a->lang, "fr");
    HAS(a, "Aucun incident n'a été signalé");
}

Test(extract, windows_1252_page_comes_out_as_utf8)
{
    sr_article *a = article("windows1252.html");
    cr_expect_str_eq(a->title, "Großbrand in Zürcher Lagerhalle gelöscht");
    HAS(a, "ZÜRICH – Die Feuerwehr");
    HAS(a, "„Die Halle ist vollständig ausgebrannt“");
    cr_expect(sr_utf8_valid(a->text, a->text_len));
}

Test(extract, invalid_bytes_never_reach_the_output)
{
    sr_article *a = article("invalid_utf8.html");
    HAS(a, "goes on after it without trouble");
    HAS(a, "événements were reported in the café quarter");
    cr_expect(sr_utf8_valid(a->text, a->text_len));
    sr_buf out;
    sr_buf_init(&out, 1 << 20);
    sr_json j;
    sr_json_init(&j, &out);
    sr_article_write_json(a, &j);
    cr_expect(sr_utf8_valid(out.data, out.len));
    sr_buf_free(&out);
}

Test(extract, binary_file_is_refused_as_not_html)
{
    sr_article *a = NULL;
    cr_expect_eq(extract_fixture("not_html.png", &a), SR_EPARSE);
    cr_expect_null(a);
    cr_expect(strstr(sr_extractor_message(ex), "not an HTML page") != NULL);
}

Test(extract, plain_text_file_is_refused_with_a_hint)
{
    sr_article *a = NULL;
    cr_expect_eq(extract_fixture("plain_note.txt", &a), SR_EPARSE);
    cr_expect(strstr(sr_extractor_message(ex), "--text") != NULL);
}

Test(extract, empty_file_is_an_empty_page)
{
    sr_article *a = NULL;
    cr_expect_eq(extract_fixture("empty.html", &a), SR_EEMPTY);
    cr_expect_str_eq(sr_extractor_message(ex), "empty page");
}

Test(extract, page_over_the_limit_is_refused)
{
    sr_extract_options o = {.max_bytes = 1000};
    sr_extractor *small = sr_extractor_new(&o);
    char page[2000];
    memset(page, 'a', sizeof page);
    memcpy(page, "<p>", 3);
    sr_article *a = NULL;
    cr_expect_eq(sr_extract_html(small, arena, page, sizeof page, "big", NULL, NULL, &a), SR_ETOOBIG);
    sr_extractor_free(small);
}

Test(extract, http_charset_beats_meta)
{
    /* bytes in ISO-8859-1, the page claims UTF-8, the server knows better */
    const char page[] = "<html><head><meta charset=\"utf-8\"><title>Caf\xe9</title></head><body>"
                        "<p>Le caf\xe9 de la gare a rouvert ses portes lundi matin apr\xe8s trois mois de travaux.</p></body></html>";
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_html(ex, arena, page, sizeof page - 1, "x", NULL,
                                 "text/html; charset=ISO-8859-1", &a), SR_OK);
    cr_expect_str_eq(a->title, "Café");
    HAS(a, "Le café de la gare");
}

Test(extract, url_resolves_images_and_carries_the_date)
{
    const char page[] = "<html><head><title>t</title></head><body><article>"
                        "<p>A report long enough to be taken for the story of this page, with detail.</p>"
                        "<figure><img src=\"../img/a.jpg\"><figcaption>Cap</figcaption></figure></article></body></html>";
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_html(ex, arena, page, sizeof page - 1, "x",
                                 "https://example.org/news/2021/03/09/story.html", NULL, &a), SR_OK);
    cr_expect_str_eq(a->url, "https://example.org/news/2021/03/09/story.html");
    cr_expect_str_eq(a->published, "2021-03-09");
    cr_expect_eq(a->published_precision, SR_DATE_DAY);
    cr_expect_str_eq(a->published_source, "url");
    cr_assert_geq(a->n_images, 1);
    cr_expect_str_eq(a->images[0], "https://example.org/news/2021/03/img/a.jpg");
}

Test(extract, text_mode_drops_furniture_lines)
{
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/extract/plain_text.txt", SR_FIXTURES);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK);
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_text(ex, arena, data, len, "plain", &a), SR_OK);
    free(data);
    cr_expect_str_eq(a->title, "Militants seize Fallujah as Iraqi army attacks");
    HAS(a, "BAGHDAD (GW) — Al Qaeda-linked militants");
    HAS(a, "Hellfire missiles");
    LACKS(a, "Open in the app");
    LACKS(a, "Continue in browser");
    LACKS(a, "notifications");
    LACKS(a, "first to know");
    LACKS(a, "Watch:");
    LACKS(a, "02:37");
    LACKS(a, "Advertisement");
    cr_expect(strstr(a->text, "\n\n") != NULL, "paragraphs separated by a blank line");
}

Test(extract, dates_in_the_forms_pages_write)
{
    char iso[40];
    cr_expect_eq(sr_date_parse("2019-08-02T12:34:56+02:00", iso, sizeof iso), SR_DATE_SECOND);
    cr_expect_str_eq(iso, "2019-08-02T12:34:56+02:00");
    cr_expect_eq(sr_date_parse("2019-08-02T12:34:56.123Z", iso, sizeof iso), SR_DATE_SECOND);
    cr_expect_str_eq(iso, "2019-08-02T12:34:56Z");
    cr_expect_eq(sr_date_parse("2019-08-02", iso, sizeof iso), SR_DATE_DAY);
    cr_expect_eq(sr_date_parse("August 2, 2019", iso, sizeof iso), SR_DATE_DAY);
    cr_expect_str_eq(iso, "2019-08-02");
    cr_expect_eq(sr_date_parse("Fri, 02 Aug 2019 12:00:00 GMT", iso, sizeof iso), SR_DATE_DAY);
    cr_expect_str_eq(iso, "2019-08-02");
    cr_expect_eq(sr_date_parse("31. Mai 2012", iso, sizeof iso), SR_DATE_DAY);
    cr_expect_str_eq(iso, "2012-05-31");
    cr_expect_eq(sr_date_parse("12.10.2015, 19:16 Uhr", iso, sizeof iso), SR_DATE_DAY);
    cr_expect_str_eq(iso, "2015-10-12");
    cr_expect_eq(sr_date_parse("2019-02-30", iso, sizeof iso), SR_DATE_NONE);
    cr_expect_eq(sr_date_parse("yesterday", iso, sizeof iso), SR_DATE_NONE);
    cr_expect_eq(sr_date_from_url("https://x.org/2014/01/04/iraq", iso, sizeof iso), SR_DATE_DAY);
    cr_expect_str_eq(iso, "2014-01-04");
    cr_expect_eq(sr_date_from_url("https://x.org/2014/01/iraq", iso, sizeof iso), SR_DATE_MONTH);
    cr_expect_eq(sr_date_from_url("https://x.org/story/12345678", iso, sizeof iso), SR_DATE_NONE);
}

Test(extract, article_json_has_every_field)
{
    sr_article *a = article("figure_credit.html");
    sr_buf out;
    sr_buf_init(&out, 1 << 20);
    sr_json j;
    sr_json_init(&j, &out);
    sr_article_write_json(a, &j);
    static const char *const keys[] = {"\"source\":", "\"url\":", "\"title\":", "\"published\":",
        "\"published_precision\":", "\"published_source\":", "\"modified\":", "\"authors\":[",
        "\"lang\":", "\"site_name\":", "\"description\":", "\"text\":", "\"captions\":[{\"text\":",
        "\"credit\":", "\"images\":[", "\"word_count\":", NULL};
    for (int i = 0; keys[i]; i++)
        cr_expect(strstr(out.data, keys[i]) != NULL, "no %s in %s", keys[i], out.data);
    sr_buf_free(&out);
}

Test(extract, story_inside_an_unclosed_header_and_nav_is_found)
{
    /* broken markup: <nav> and <header> never closed wrap the whole story */
    sr_article *a = article("unclosed_header.html");
    HAS(a, "MOSUL, Iraq — Temporary barriers along the Tigris held overnight");
    HAS(a, "Schools stay closed.");
    LACKS(a, "The Valley Courier");
}

Test(extract, reader_comments_without_comment_classes_go)
{
    /* the story's wrapper says "commentary" (an opinion piece); the comments
     * are told by their repeated "Reply" controls, not by a class name */
    sr_article *a = article("plain_comments.html");
    HAS(a, "BASRA, Iraq — Dock workers at Umm Qasr returned to work");
    HAS(a, "Importers warned that clearing the backlog would take weeks.");
    LACKS(a, "overtime should have been paid months ago");
    LACKS(a, "queue of lorries");
    LACKS(a, "riverwatcher");
}

Test(extract, json_ld_headline_wins_over_a_name_that_is_the_site)
{
    sr_article *a = article("jsonld_site_name.html");
    cr_expect_str_eq(a->title, "Vodáci zahájili sezonu na Vltavě");
}

Test(extract, site_suffix_after_an_en_dash_goes_and_a_logo_h1_is_not_the_title)
{
    sr_article *a = article("title_en_dash.html");
    cr_expect_str_eq(a->title, "Bridge reopens to traffic after repairs");
}

Test(extract, paywall_prompts_and_reprint_notices_go)
{
    sr_article *a = article("paywall_notice.html");
    HAS(a, "BASRA, Iraq — Firefighters contained a blaze");
    HAS(a, "Around 30,000 tonnes of wheat were stored on the site.");
    LACKS(a, "please subscribe");
    LACKS(a, "already a subscriber");
    LACKS(a, "copyrighted property");
    LACKS(a, "min read");
    LACKS(a, "affiliate links");
    LACKS(a, "Follow us");
    LACKS(a, "About the author");
}

Test(extract, the_standfirst_under_the_headline_opens_the_story)
{
    sr_article *a = article("standfirst.html");
    HAS(a, "Swarms crossed the border overnight");
    HAS(a, "Agriculture officials said spraying teams");
    HAS(a, "because of the smoke.");
    cr_expect(strstr(a->text, "Swarms crossed") < strstr(a->text, "Agriculture officials"),
              "the standfirst comes first");
    LACKS(a, "Dust storm closes");
    LACKS(a, "Desert locusts reach southern farms");   /* the headline is the title, not text */
}

Test(extract, picture_credit_lines_go_but_agency_sentences_stay)
{
    static const char page[] =
        "Floods close the river port\n\n"
        "The river rose two metres overnight, the port authority said on Monday.\n\n"
        "AFP / MARCO BERTORELLO\n\n"
        "Reuters reported that barges were moored downstream while the water fell.\n\n"
        "Augusta National/Getty Images\n\n"
        "iStock.com\n\n"
        "Traffic on the river resumes once the level is below the quay, officials said.\n";
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_text(ex, arena, page, sizeof page - 1, "credits", &a), SR_OK);
    HAS(a, "The river rose two metres");
    HAS(a, "Reuters reported that barges");
    HAS(a, "Traffic on the river resumes");
    LACKS(a, "BERTORELLO");
    LACKS(a, "Getty Images");
    LACKS(a, "iStock");
}

Test(extract, lines_that_are_furniture_by_their_form_go)
{
    static const char page[] =
        "Ferry service resumes on the lake\n\n"
        "The first ferry left the northern pier at seven, the operator said on Tuesday.\n\n"
        "Passengers wait at the northern pier on Tuesday morning. (Photo: Lake Gazette)\n\n"
        "The harbour master inspects a mooring line. \xc2\xa9 Jane Roe\n\n"
        "Follow the Lake Gazette on Twitter and Facebook for updates.\n\n"
        "Y\xd0\xbeur c\xd0\xbentent reaches th\xd0\xbeusands \xd0\xbe" "f readers every day!\n\n"
        "Impressum\n\n"
        "Source: Lake Gazette\n\n"
        "aja/PAP\n\n"
        "Independent journalism for the lake shore. Cancel anytime.\n\n"
        "Repairs to the southern pier, which a storm damaged in March, end next month.\n";
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_text(ex, arena, page, sizeof page - 1, "lines", &a), SR_OK);
    HAS(a, "The first ferry left the northern pier");
    HAS(a, "Repairs to the southern pier");
    LACKS(a, "Passengers wait");          /* a caption ending with its credit */
    LACKS(a, "harbour master");           /* ... or with a copyright sign and a name */
    LACKS(a, "on Twitter");               /* a call to follow the site */
    LACKS(a, "readers every day");        /* words disguised with Cyrillic letters */
    LACKS(a, "Impressum");                /* a legal page's link alone */
    LACKS(a, "Source:");
    LACKS(a, "PAP");                      /* an agency's signature */
    LACKS(a, "Cancel anytime");
}

Test(extract, a_sentence_with_a_photographer_or_a_follow_stays)
{
    /* the same words inside the story are not furniture */
    static const char page[] =
        "Exhibition opens\n\n"
        "Photographers followed the delegation on Twitter, where the minister posted "
        "pictures of the site (Photo: see below) and answered questions for an hour after "
        "the visit, officials said.\n\n"
        "The museum, which reopened in 2019 after a decade of work, expects ten thousand "
        "visitors in the first month of the exhibition.\n";
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_text(ex, arena, page, sizeof page - 1, "story", &a), SR_OK);
    HAS(a, "Photographers followed the delegation");
    HAS(a, "ten thousand visitors");
}

Test(extract, text_comes_out_composed)
{
    /* "é" written as e + U+0301 and the Bengali "য়" as U+09DF both come out
     * in NFC, so a search for the composed form finds them */
    static const char page[] =
        "Title line\n\n"
        "Le pre\xcc\x81sident a visite\xcc\x81 la ville de Kushtia \xe0\xa7\x9f hier.\n";
    sr_article *a = NULL;
    cr_assert_eq(sr_extract_text(ex, arena, page, sizeof page - 1, "nfc", &a), SR_OK);
    HAS(a, "Le pr\xc3\xa9sident a visit\xc3\xa9");
    HAS(a, "\xe0\xa6\xaf\xe0\xa6\xbc");
    LACKS(a, "\xe0\xa7\x9f");
}

Test(extract, teaser_named_standfirst_after_the_real_headline_opens_the_story)
{
    /* a logo <h1> comes first; the headline is an <h2> after a breadcrumb;
     * the standfirst sits in a block of its own named "teaser", between the
     * headline's block and the story's */
    sr_article *a = article("standfirst_teaser.html");
    HAS(a, "Engineers found cracks in two of the dam's spillway gates");
    HAS(a, "The water authority said on Sunday");
    HAS(a, "before the spring floods.");
    cr_expect(strstr(a->text, "Engineers found") < strstr(a->text, "The water authority"),
              "the standfirst comes first");
    LACKS(a, "Harvest festival draws record crowds");   /* other stories' teasers */
    LACKS(a, "Home");
}

Test(extract, a_page_swallowed_by_an_unclosed_noscript_is_read)
{
    /* <noscript><div></noscript>: libxml2 keeps the <div> open inside the
     * <noscript>, which then wraps the page, menus and all */
    sr_article *a = article("noscript_wrapper.html");
    HAS(a, "ERBIL, Iraq — The regional government reopened the road");
    HAS(a, "Traders welcomed the decision.");
    LACKS(a, "Weather");
}

Test(extract, a_class_word_is_read_whole)
{
    /* "tagStyle" is not a tag list; "sidebarBox" is a sidebar */
    sr_article *a = article("class_words.html");
    HAS(a, "Rescue teams reached the village");
    HAS(a, "The road is expected to reopen on Thursday.");
    LACKS(a, "Most read this week");
}

Test(extract, the_authors_box_after_the_story_goes)
{
    /* itemprop=author marks the box, though its class says "content" */
    sr_article *a = article("author_box.html");
    HAS(a, "KONSTANZ — Die neue Fähre");
    HAS(a, "Der Fahrplan bleibt unverändert.");
    LACKS(a, "schreibt seit 2015");
    LACKS(a, "Zu ihren Themen");
}

Test(extract, a_paragraph_beside_more_links_than_words_stays)
{
    /* a paywalled story shows one paragraph; related links and tags beside
     * it outweigh it, but it is the story */
    sr_article *a = article("paywalled_paragraph.html");
    HAS(a, "La autoridad portuaria cerró el puerto de Ponce");
    LACKS(a, "Suspenden las clases");
    LACKS(a, "Tormentas");
}
