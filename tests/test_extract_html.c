/* sitrep's HTML reader (lib/extract/html.c): the tree rules the extractor
 * relies on, written as the tree each snippet must give, and the same tree
 * as libxml2's HTML parser on the project's own pages. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include "extract/extract_int.h"
#include "sitrep/util.h"

/* A tree as text: elements as name(children), attributes as [name=value],
 * text as "text"; comments left out and text nodes beside each other
 * joined, since the reader makes no comment nodes. */
static void show(sr_buf *b, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            sr_buf_append(b, (const char *)n->name, strlen((const char *)n->name));
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                sr_buf_append(b, "[", 1);
                sr_buf_append(b, (const char *)a->name, strlen((const char *)a->name));
                if (a->children) {
                    sr_buf_append(b, "=", 1);
                    sr_buf_append(b, (const char *)a->children->content, strlen((const char *)a->children->content));
                }
                sr_buf_append(b, "]", 1);
            }
            sr_buf_append(b, "(", 1);
            show(b, n->children);
            sr_buf_append(b, ")", 1);
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            sr_buf_append(b, "\"", 1);
            for (;;) {
                sr_buf_append(b, (const char *)n->content, strlen((const char *)n->content));
                while (n->next && n->next->type == XML_COMMENT_NODE)
                    n = n->next;
                if (!n->next || n->next->type != XML_TEXT_NODE)
                    break;
                n = n->next;
            }
            sr_buf_append(b, "\"", 1);
        }
    }
}

static char *tree_of(htmlDocPtr doc)
{
    sr_buf b;
    sr_buf_init(&b, 64u << 20);
    show(&b, doc ? doc->children : NULL);
    sr_buf_append(&b, "", 1);
    return b.data;
}

/* The tree sitrep's reader makes of html (malloc'd). */
static char *own(const char *html)
{
    sr_xml_arena_init();
    sr_xml_arena_begin();
    htmlDocPtr doc = sr_html_read(html, strlen(html), NULL);
    cr_assert(doc, "no tree");
    char *t = tree_of(doc);
    sr_xml_arena_end(doc);
    return t;
}

#define TREE(html, want)                                                   \
    do {                                                                   \
        char *got_ = own(html);                                            \
        cr_expect_str_eq(got_, want, "%s\n  gave %s\n  want %s", html, got_, want); \
        free(got_);                                                        \
    } while (0)

Test(extract_html, html_head_and_body_are_implied)
{
    TREE("<title>T</title><p>x", "html(head(title(\"T\"))body(p(\"x\")))");
    TREE("<meta charset=utf-8><div>x</div>", "html(head(meta[charset=utf-8]())body(div(\"x\")))");
}

Test(extract_html, text_before_any_element_opens_a_body_and_a_paragraph)
{
    TREE("hello <b>world</b>", "html(body(p(\"hello \"b(\"world\"))))");
}

Test(extract_html, a_block_start_closes_an_open_paragraph)
{
    TREE("<body><p>a<div>b</div><p>c<p>d<ul><li>e</ul>",
         "html(body(p(\"a\")div(\"b\")p(\"c\")p(\"d\")ul(li(\"e\"))))");
    TREE("<body><p>a<h2>b</h2>", "html(body(p(\"a\")h2(\"b\")))");
}

Test(extract_html, inline_and_newer_elements_stay_inside_a_paragraph_as_in_libxml2)
{
    TREE("<body><p>a<span>b</span>c", "html(body(p(\"a\"span(\"b\")\"c\")))");
    TREE("<body><p>a<section>b</section>", "html(body(p(\"a\"section(\"b\"))))");
}

Test(extract_html, list_items_cells_and_options_close_their_siblings)
{
    TREE("<body><ul><li>a<li>b</ul>", "html(body(ul(li(\"a\")li(\"b\"))))");
    TREE("<body><dl><dt>a<dd>b<dt>c</dl>", "html(body(dl(dt(\"a\")dd(\"b\")dt(\"c\"))))");
    TREE("<body><table><tr><td>a<td>b<tr><td>c</table>",
         "html(body(table(tr(td(\"a\")td(\"b\"))tr(td(\"c\")))))");
    TREE("<body><select><option>a<option>b</select>", "html(body(select(option(\"a\")option(\"b\"))))");
}

Test(extract_html, an_end_tag_with_nothing_open_to_end_is_ignored)
{
    TREE("<body><div>a</p>b</span>c</div>", "html(body(div(\"abc\")))");
}

Test(extract_html, a_stray_end_tag_does_not_close_a_div_or_a_cell)
{
    TREE("<body><span><div>x</span>y</div>z", "html(body(span(div(\"xy\")\"z\")))");
    TREE("<body><b><table><tr><td>x</b>y</td></tr></table>",
         "html(body(b(table(tr(td(\"xy\"))))))");
}

Test(extract_html, an_end_tag_closes_the_inline_elements_left_open_inside_it)
{
    TREE("<body><div><b>x<i>y</div>z", "html(body(div(b(\"x\"i(\"y\")))\"z\"))");
}

Test(extract_html, void_and_self_closed_elements_have_no_children)
{
    TREE("<body><p>a<br>b<img src=x.jpg>c<hr>d",
         "html(body(p(\"a\"br()\"b\"img[src=x.jpg]()\"c\")hr()\"d\"))");
    TREE("<body><div class=\"x\"/>after", "html(body(div[class=x]()\"after\"))");
}

Test(extract_html, blank_text_is_dropped_where_libxml2_drops_it)
{
    TREE("<body><table>\n<tr>\n <td>a</td></tr>\n</table>", "html(body(table(tr(td(\"a\")))))");
    TREE("<body><p><b>a</b> <i>b</i></p>", "html(body(p(b(\"a\")\" \"i(\"b\"))))");
    TREE("<html> <head> <title>t</title> </head> <body><div> x </div></body> </html>",
         "html(head(title(\"t\"))body(div(\" x \")))");
}

Test(extract_html, attributes_lower_cased_first_one_wins_values_decoded)
{
    TREE("<body><a HREF='/a?x=1&amp;y=2' href=/b Class=\"c d\" hidden data-x=>t</a>",
         "html(body(a[href=/a?x=1&y=2][class=c d][hidden][data-x=](\"t\")))");
    TREE("<body><a href=\"/x?a=1&copy=2\">t</a>", "html(body(a[href=/x?a=1&copy=2](\"t\")))");
}

/* Names are found again through a per-page table and compared a word at a
 * time: names of every length up to past the cut at 100 bytes, more
 * distinct names than the table holds, each read back as written,
 * lower-cased. */
Test(extract_html, names_of_every_length_and_many_distinct_names_are_kept)
{
    sr_buf html, want;
    sr_buf_init(&html, 1u << 20);
    sr_buf_init(&want, 1u << 20);
    sr_buf_append(&want, "html(body(", 10);
    for (int i = 0; i < 400; i++) {
        char name[160], attr[160];
        int len = 1 + i % 120;
        int n = snprintf(name, sizeof name, "e%d", i);
        while (n < len)
            name[n++] = 'x';
        name[n] = 0;
        int k = snprintf(attr, sizeof attr, "d%d", i % 150);
        while (k < len)
            attr[k++] = 'Y';
        attr[k] = 0;
        char tag[512];
        int t = snprintf(tag, sizeof tag, "<%s %s=v>t</%s>", name, attr, name);
        sr_buf_append(&html, tag, (size_t)t);
        name[n > 100 ? 100 : n] = 0;   /* names are cut at 100 bytes */
        attr[k > 100 ? 100 : k] = 0;
        for (char *c = attr; *c; c++)
            *c = *c == 'Y' ? 'y' : *c;
        t = snprintf(tag, sizeof tag, "%s[%s=v](\"t\")", name, attr);
        sr_buf_append(&want, tag, (size_t)t);
    }
    sr_buf_append(&html, "", 1);
    sr_buf_append(&want, "))", 3);
    char *got = own(html.data);
    cr_expect_str_eq(got, want.data);
    free(got);
    sr_buf_free(&html);
    sr_buf_free(&want);
}

Test(extract_html, character_references_are_decoded)
{
    TREE("<body><p>&amp; &eacute; &#8217;&#x2019; &#150; &nbsp;|&nbsp|&unknown; &#0;&#7;.",
         "html(body(p(\"& \xC3\xA9 \xE2\x80\x99\xE2\x80\x99 \xE2\x80\x93 \xC2\xA0|\xC2\xA0|&unknown; .\")))");
    TREE("<body><p>&hellip;&mdash;&apos;&period;", "html(body(p(\"\xE2\x80\xA6\xE2\x80\x94'.\")))");
}

Test(extract_html, script_and_style_are_raw_text)
{
    TREE("<script>if (a<b && c) x = '<div>';</script><p>t",
         "html(head(script(\"if (a<b && c) x = '<div>';\"))body(p(\"t\")))");
    TREE("<body><style>p > a { color: red }</style>", "html(body(style(\"p > a { color: red }\")))");
}

Test(extract_html, title_and_textarea_hold_decoded_text_and_no_markup)
{
    TREE("<title>A &amp; <b>B</b></title><body><textarea>x<b>y</b>&lt;</textarea>",
         "html(head(title(\"A & <b>B</b>\"))body(textarea(\"x<b>y</b><\")))");
}

Test(extract_html, iframe_xmp_noembed_and_noframes_hold_raw_text)
{
    TREE("<body><iframe src=v><p>fallback &amp; more</p></iframe><p>after",
         "html(body(iframe[src=v](\"<p>fallback &amp; more</p>\")p(\"after\")))");
    TREE("<body><xmp><b>&amp;</b></xmp>", "html(body(xmp(\"<b>&amp;</b>\")))");
}

Test(extract_html, comments_doctype_cdata_and_processing_instructions_make_no_text)
{
    TREE("<!DOCTYPE html><!-- top --><body><p>a<!-- x -- y -->b<![CDATA[zz]]>c<?php echo 1 ?>d<!-->e",
         "html(body(p(\"abcde\")))");
}

Test(extract_html, nul_bytes_and_control_characters_are_left_out)
{
    const char html[] = "<body><p>a\0b\x07" "c\x1d</p>";
    sr_xml_arena_init();
    sr_xml_arena_begin();
    htmlDocPtr doc = sr_html_read(html, sizeof html - 1, NULL);
    char *t = tree_of(doc);
    sr_xml_arena_end(doc);
    cr_expect_str_eq(t, "html(body(p(\"abc\")))");
    free(t);
}

/* Long runs are scanned eight bytes at a time: a control character at any
 * place in them is still left out, and tabs and line feeds are kept. */
Test(extract_html, a_control_character_anywhere_in_a_long_text_is_left_out)
{
    sr_xml_arena_init();
    for (size_t at = 0; at < 40; at++) {
        char text[41], html[80], want[80];
        memset(text, 'x', 40);
        text[40] = 0;
        text[at] = '\x01';
        if (at + 1 < 40)
            text[at + 1] = '\t';
        snprintf(html, sizeof html, "<p>%s</p>", text);
        text[at] = 'x';
        char kept[41];
        size_t k = 0;
        for (size_t i = 0; i < 40; i++)
            if (i != at)
                kept[k++] = text[i];
        kept[k] = 0;
        snprintf(want, sizeof want, "html(body(p(\"%s\")))", kept);
        sr_xml_arena_begin();
        htmlDocPtr doc = sr_html_read(html, strlen(html), NULL);
        char *t = tree_of(doc);
        sr_xml_arena_end(doc);
        cr_expect_str_eq(t, want, "control character at %zu", at);
        free(t);
    }
}

/* A hostile page that would make more nodes than the limit is not read at
 * all (the caller reports it on one line), rather than half read. */
Test(extract_html, a_page_over_the_node_limit_is_refused)
{
    size_t n = SR_HTML_MAX_NODES / 2 + 16;   /* "a<br>": a text and an element */
    char *html = malloc(5 * n + 1);
    cr_assert(html);
    for (size_t i = 0; i < n; i++)
        memcpy(html + 5 * i, "a<br>", 5);
    html[5 * n] = 0;
    sr_xml_arena_init();
    sr_xml_arena_begin();
    htmlDocPtr doc = sr_html_read(html, 5 * n, NULL);
    sr_xml_arena_end(doc);
    cr_expect_null(doc);
    sr_xml_arena_begin();
    doc = sr_html_read(html, 5 * (SR_HTML_MAX_NODES / 4), NULL);   /* half the limit reads */
    cr_expect_not_null(doc);
    sr_xml_arena_end(doc);
    free(html);
}

/* The reader cuts its nodes from blocks of the page's region; a tree too
 * big for the region goes on in blocks from the heap, and is whole. */
Test(extract_html, a_tree_bigger_than_the_page_region_is_whole)
{
    size_t n = 600000;   /* 1.2 M nodes, some 150 MB of tree */
    char *html = malloc(6 + 8 * n + 1);
    cr_assert(html);
    memcpy(html, "<body>", 6);
    for (size_t i = 0; i < n; i++)
        memcpy(html + 6 + 8 * i, i % 2 ? "ab<br/> " : "cd<hr/> ", 8);
    html[6 + 8 * n] = 0;
    sr_xml_arena_init();
    sr_xml_arena_begin();
    htmlDocPtr doc = sr_html_read(html, 6 + 8 * n, NULL);
    cr_assert_not_null(doc);
    xmlNodePtr body = xmlDocGetRootElement(doc)->children;
    size_t seen = 0, texts = 0, wrong = 0;
    for (xmlNodePtr c = body->children; c; c = c->next, seen++) {
        static const char *const cycle[] = {" cd", "hr", " ab", "br"};
        const char *want = seen ? cycle[seen % 4] : "cd";
        bool text = c->type == XML_TEXT_NODE;
        texts += text;
        wrong += strcmp((const char *)(text ? c->content : c->name), want) != 0;
    }
    cr_expect_eq(seen, 2 * n);
    cr_expect_eq(texts, n);
    cr_expect_eq(wrong, 0);
    sr_xml_arena_end(doc);
    free(html);
}

Test(extract_html, pages_cut_anywhere_still_give_a_tree)
{
    const char *page = "<html><head><title>A &amp; B</title></head><body><div class=\"story\" id='s'>"
                       "<p>One <a href=\"/x\">two</a> three.<!-- c --><script>var x = '</div>';</script>"
                       "<p>Four &#8217; five</div></body></html>";
    size_t n = strlen(page);
    sr_xml_arena_init();
    for (size_t cut = 0; cut <= n; cut++) {
        sr_xml_arena_begin();
        htmlDocPtr doc = sr_html_read(page, cut, NULL);
        cr_assert(doc, "no tree at cut %zu", cut);
        sr_xml_arena_end(doc);
    }
}

/* Nesting is bounded: no recursion and no tree deeper than libxml2 allows. */
Test(extract_html, deep_nesting_is_bounded_and_the_text_is_kept)
{
    size_t depth = 200000;
    char *html = malloc(depth * 5 + 64);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        memcpy(html + n, "<div>", 5), n += 5;
    n += (size_t)sprintf(html + n, "deep text");
    sr_xml_arena_init();
    sr_xml_arena_begin();
    htmlDocPtr doc = sr_html_read(html, n, NULL);
    cr_assert(doc);
    int levels = 0;
    xmlNodePtr e = xmlDocGetRootElement(doc);
    while (e && e->children && e->children->type == XML_ELEMENT_NODE)
        e = e->children, levels++;
    cr_expect_leq(levels, 256);
    cr_expect(e && e->children && e->children->type == XML_TEXT_NODE &&
              !strcmp((const char *)e->children->content, "deep text"));
    sr_xml_arena_end(doc);
    free(html);
}

/* The project's own pages give the same tree as libxml2's parser. */
Test(extract_html, the_same_tree_as_libxml2_on_the_fixture_pages)
{
    const char *dir = SR_FIXTURES "/extract";
    DIR *d = opendir(dir);
    cr_assert(d, "no %s", dir);
    int pages = 0;
    sr_xml_arena_init();
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 5, ".html") || strstr(e->d_name, "1252") ||
            strstr(e->d_name, "invalid"))
            continue;   /* UTF-8 pages only: libxml2 converts the others itself */
        char path[1024], *html;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        cr_assert_eq(sr_read_file(path, 1u << 20, &html, &len), SR_OK);
        if (!len) {
            free(html);
            continue;
        }
        sr_xml_arena_begin();
        htmlDocPtr a = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                          HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS);
        char *want = tree_of(a);
        sr_xml_arena_end(a);
        sr_xml_arena_begin();
        htmlDocPtr b = sr_html_read(html, len, NULL);
        char *got = tree_of(b);
        sr_xml_arena_end(b);
        cr_expect_str_eq(got, want, "%s: the trees differ", e->d_name);
        free(want);
        free(got);
        free(html);
        pages++;
    }
    closedir(d);
    cr_expect_geq(pages, 10);
}
