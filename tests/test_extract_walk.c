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
        "DATEPUBLISHED x", "date", "Datum", "published-date", "\xc3\xa9" "DATE\xc3\xa9", "d", NULL};
    static const char *const needle[] = {"byline", "date", "publish", "datePublished", "d", "", NULL};
    for (int i = 0; hay[i]; i++)
        for (int j = 0; needle[j]; j++)
            cr_expect_eq(sr_contains_ci(hay[i], needle[j]), strcasestr(hay[i], needle[j]) != NULL,
                         "\"%s\" in \"%s\"", needle[j], hay[i]);
}
