/* libxml2's page region (lib/extract/xmlarena.c): pages come out the same
 * however many came before them, in one thread or several, and a page whose
 * tree outgrows the region still comes out whole (the ASan run checks that
 * nothing leaks on either path). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/extract.h"
#include "sitrep/util.h"

static const char story_a[] =
    "<html><head><title>Floods close the port of Mombasa</title></head><body><nav>Home | World</nav>"
    "<article><h1>Floods close the port of Mombasa</h1>"
    "<p>Heavy rain flooded the container terminals of Mombasa on Tuesday, and the port authority "
    "stopped all loading until the water goes down, officials said.</p>"
    "<p>Ships waiting offshore were told to expect delays of at least three days, while trucks "
    "queued for kilometres on the highway towards Nairobi.</p></article>"
    "<footer>Copyright Harbour Post</footer></body></html>";

static const char story_b[] =
    "<html><head><meta charset=\"windows-1252\"><title>Talks resume in Geneva</title></head><body>"
    "<div class=\"story\"><h1>Talks resume in Geneva</h1>"
    "<p>Negotiators met again in Geneva on Friday after a pause of two weeks, the mediators \x96 "
    "who asked not to be named \x96 said in a short statement.</p>"
    "<p>Neither side commented on the agenda, which diplomats expect to cover prisoner exchanges "
    "and the reopening of two border crossings.</p></div></body></html>";

/* The text of a page, copied out of the arena. */
static char *text_of(sr_extractor *ex, const char *html, size_t len)
{
    sr_arena *arena = sr_arena_new(0);
    sr_article *a = NULL;
    sr_err e = sr_extract_html(ex, arena, html, len, "page", NULL, NULL, &a);
    cr_assert_eq(e, SR_OK, "extract: %s", sr_extractor_message(ex));
    char *text = strndup(a->text, a->text_len);
    sr_arena_free(arena);
    return text;
}

struct round {
    char *first_a, *first_b;
    bool same;
};

static void *many_pages(void *arg)
{
    struct round *r = arg;
    sr_extractor *ex = sr_extractor_new(NULL);
    r->same = true;
    for (int i = 0; i < 200; i++) {
        const char *page = i % 2 ? story_b : story_a;
        char *t = text_of(ex, page, strlen(page));
        char **first = i % 2 ? &r->first_b : &r->first_a;
        if (!*first)
            *first = t;
        else {
            r->same &= strcmp(*first, t) == 0;
            free(t);
        }
    }
    sr_extractor_free(ex);
    return NULL;
}

Test(extract_region, pages_come_out_the_same_after_many_others_and_in_other_threads)
{
    struct round here = {0}, there[2] = {{0}, {0}};
    many_pages(&here);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, many_pages, &there[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    cr_assert(here.same, "a page read after 200 others differs from its first reading");
    cr_assert(strstr(here.first_a, "trucks queued for kilometres"));
    cr_assert(strstr(here.first_b, "mediators \xe2\x80\x93 who asked"));
    for (int i = 0; i < 2; i++) {
        cr_assert(there[i].same, "thread %d: a page differs between its readings", i);
        cr_assert_str_eq(there[i].first_a, here.first_a);
        cr_assert_str_eq(there[i].first_b, here.first_b);
        free(there[i].first_a);
        free(there[i].first_b);
    }
    free(here.first_a);
    free(here.first_b);
}

/* A page of some 300,000 elements: its tree is larger than the region. */
Test(extract_region, a_page_bigger_than_the_region_comes_out_whole, .timeout = 120)
{
    sr_buf html;
    sr_buf_init(&html, 32u << 20);
    sr_buf_append(&html, "<html><body><article><h1>A very long record</h1>", 48);
    char line[160];
    for (int i = 0; i < 20000; i++) {
        sr_buf_append(&html, "<p>", 3);
        for (int k = 0; k < 15; k++) {
            int n = snprintf(line, sizeof line, "<span class=\"w%d\">word%d,</span> ", k, i);
            sr_buf_append(&html, line, (size_t)n);
        }
        int n = snprintf(line, sizeof line, "end of paragraph %d.</p>", i);
        sr_buf_append(&html, line, (size_t)n);
    }
    sr_buf_append(&html, "</article></body></html>", 24);
    sr_extractor *ex = sr_extractor_new(NULL);
    char *text = text_of(ex, html.data, html.len);
    cr_assert(strstr(text, "end of paragraph 0."));
    cr_assert(strstr(text, "word19999, word19999,"), "the end of the page is missing");
    cr_assert(strstr(text, "end of paragraph 19999."));
    free(text);
    /* and the region is fine for the next page */
    char *small = text_of(ex, story_a, strlen(story_a));
    cr_assert(strstr(small, "Heavy rain flooded the container terminals"));
    free(small);
    sr_extractor_free(ex);
    sr_buf_free(&html);
}
