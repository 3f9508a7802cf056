/* libFuzzer target for sitrep's HTML reader (lib/extract/html.c): any bytes
 * give a tree (or NULL only when memory runs out) whose links agree (each
 * child's parent, prev and next), no deeper than the reader's bound, with
 * no control characters in its text, and whose text is valid UTF-8 when
 * the input was.
 *   CC=clang-14 cmake -S . -B build-fuzz -DSR_FUZZ=ON -DSR_SANITIZE=ON -DSR_BENCH=OFF
 *   cmake --build build-fuzz --target fuzz_html
 *   ./build-fuzz/fuzz/fuzz_html fuzz/html/corpus -max_total_time=300 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/extract/extract_int.h"
#include "sitrep/util.h"

static void check_text(const xmlChar *s, bool utf8)
{
    size_t n = strlen((const char *)s);
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            abort();
    if (utf8 && !sr_utf8_valid((const char *)s, n))
        abort();
}

/* Walks the tree without recursion, checking its links. */
static void check_tree(xmlDocPtr doc, bool utf8)
{
    xmlNodePtr n = doc->children;
    int depth = 0;
    while (n) {
        if (n->doc != doc || (n->prev && n->prev->next != n) || (n->next && n->next->prev != n))
            abort();
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            check_text(n->content, utf8);
        for (xmlAttrPtr a = n->type == XML_ELEMENT_NODE ? n->properties : NULL; a; a = a->next)
            if (a->parent != n || (a->children && (a->children->parent != (xmlNodePtr)a || !a->children->content)))
                abort();
            else if (a->children)
                check_text(a->children->content, utf8);
        if (n->children) {
            if (n->children->parent != n || n->children->prev || !n->last || n->last->next)
                abort();
            if (++depth > 260)
                abort();
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent == (xmlNodePtr)doc ? NULL : n->parent;
            depth--;
        }
        if (n)
            n = n->next;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        xmlInitParser();
        sr_xml_arena_init();
        ready = true;
    }
    const char *page = (const char *)data;
    sr_xml_arena_begin();
    htmlDocPtr doc = sr_html_read(page, size, NULL);
    if (!doc)
        abort();
    check_tree(doc, sr_utf8_valid(page, size));
    sr_xml_arena_end(doc);
    return 0;
}
