/* The walk's shortcuts answer as the string tests they replace: element
 * ids from the parsed tree, and the case-folded search of class names. */
#define _GNU_SOURCE  /* strcasestr, the reference */
#include <criterion/criterion.h>
#include <string.h>
#include "extract/extract_int.h"

static const char page[] =
    "<html><body><div class=a><p>One <a href=x>link</a><br>two</p><h2>Head</h2>"
    "<custom-card><span>card</span></custom-card><section><h1>Top</h1></section>"
    "<table><tr><td>cell</td></tr></table><noscript>n</noscript></div></body></html>";

static void check(xmlNodePtr n, int *seen)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            int id = sr_tag(n);
            const char *name = (const char *)n->name;
#define SR_TAG_CHECK(t) cr_expect((id == SR_TAG_##t) == !strcmp(name, #t), "%s read as %d", name, id);
            SR_TAGS(SR_TAG_CHECK)
#undef SR_TAG_CHECK
            cr_expect(id == SR_TAG_OTHER || id > SR_TAG_OTHER);
            cr_expect_eq(sr_tag(n), id, "the second look agrees with the first");
            (*seen)++;
        } else {
            cr_expect_eq(sr_tag(n), SR_TAG_NONE);
        }
        check(n->children, seen);
    }
}

Test(extract_walk, element_ids_match_names)
{
    htmlDocPtr doc = htmlReadMemory(page, (int)strlen(page), NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    cr_assert_not_null(doc);
    int seen = 0;
    check(xmlDocGetRootElement(doc), &seen);
    cr_expect_geq(seen, 15);
    xmlFreeDoc(doc);
}

Test(extract_walk, case_folded_search_agrees_with_strcasestr)
{
    static const char *const hay[] = {
        "", "byline", "ByLine author", "post-BYLINE", "bylin", "xbyline", "datePublished",
        "DATEPUBLISHED x", "date", "Datum", "published-date", "\xc3\251DATE\xc3\xa9", "d", NULL};
    static const char *const needle[] = {"byline", "date", "publish", "datePublished", "d", "", NULL};
    for (int i = 0; hay[i]; i++)
        for (int j = 0; needle[j]; j++)
            cr_expect_eq(sr_contains_ci(hay[i], needle[j]), strcasestr(hay[i], needle[j]) != NULL,
                         "\"%s\" in \"%s\"", needle[j], hay[i]);
}

static bool furniture(const char *s)
{
    return sr_furniture_line(s, strlen(s));
}

/* A notice phrase counts wherever it stands in a line of up to 300 bytes,
 * in any case; a reading-time phrase only in a line of up to 40. */
Test(extract_walk, furniture_phrases_anywhere_within_their_limits)
{
    char line[400];
    cr_expect(furniture("Please subscribe to keep reading this story today."));
    cr_expect(furniture("To keep reading this story today, PLEASE SUBSCRIBE"));
    cr_expect(furniture("The mayor said so. Support our journalism, it matters."));
    cr_expect(furniture("A story of 5 Min Read"));
    cr_expect(!furniture("The council said its vote stands and the road will close in May."));
    memset(line, 'x', sizeof line);
    memcpy(line, "The council met for hours. Please subscribe", 43);
    line[300] = 0;
    cr_expect(furniture(line), "a 300-byte line is tried");
    memcpy(line + 250, " ....... please subscribe", 25);
    line[300] = 'x';
    line[301] = 0;
    memcpy(line, "The council met for hours and the vote ", 39);
    cr_expect(!furniture(line), "a 301-byte line is a paragraph of the story");
    cr_expect(!furniture("It took 12 minutes. A story of 5 min read"), "41 bytes: too long for it");
}
