/* The article text in NFC: the check that lets most pages skip utf8proc
 * must never let through a text that NFC would change. Every answer here
 * is utf8proc_NFC's own, on the same text. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "extract/extract_int.h"

static void same_as_utf8proc(const char *text)
{
    sr_arena *arena = sr_arena_new(4096);
    sr_article a = {.text = sr_arena_strdup(arena, text), .text_len = strlen(text)};
    sr_article_nfc(arena, &a);
    char *want = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
    cr_assert_not_null(want);
    cr_expect_str_eq(a.text, want, "NFC of \"%s\"", text);
    cr_expect_eq(a.text_len, strlen(want));
    free(want);
    sr_arena_free(arena);
}

Test(extract_nfc, composed_and_decomposed_forms)
{
    static const char *const texts[] = {
        "Plain ASCII, nothing to do.",
        "\xe2\x80\234Curly quotes\xe2\x80\x9d \xe2\x80\x94 dashes \xe2\x80\xa6 and \xe2\x82\xac 5",
        "Caf\xc3\xa9 and Cafe\xcc\x81",                                  /* é composed, then e + U+0301 */
        "\xd0\x9c\xd0\xb0\xd0\xb9 \xd0\xb8\xcc\x86",                      /* Май, then и + U+0306 */
        "\xe0\xa6\xaf\xe0\xa6\xbc and \xe0\xa7\x9f",                      /* Bengali য + nukta, and য় */
        "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4",                           /* Hangul syllables */
        "\xea\xb0\x80\xe1\x86\xa8",                                       /* 가 + trailing jamo: 각 */
        "\xe1\x84\x80\xe1\x85\xa1",                                       /* leading + vowel jamo */
        "\xe2\x84\xa6 \xe2\x84\xab",                                      /* ohm and angstrom: singletons */
        "Why\xcd\xbe",                                                    /* Greek question mark */
        "\xef\xa4\x80 \xf0\xaf\xa0\x80",                                  /* CJK compatibility ideographs */
        "Vi\xe1\xbb\x87t Nam, Vie\xcc\xa3\xcc\x82t",                      /* ệ composed and decomposed */
        "\xef\xac\x81nal \xef\xbc\xa1",                                   /* ligature, fullwidth: kept */
        "\xe0\xa4\x95\xe0\xa4\xbc \xe0\xa5\x98",                          /* Devanagari ka + nukta, qa */
        "a\xcc\xa3\xcc\x87 a\xcc\x87\xcc\xa3",                            /* marks out of order */
        "\xe3\x81\x8b\xe3\x82\x99",                                       /* か + voiced mark: が */
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        same_as_utf8proc(texts[i]);
}

/* Every code point up to U+2FFFF between letters, and after a letter that
 * composes with many marks: the check must agree with utf8proc on each. */
Test(extract_nfc, every_code_point_in_context)
{
    sr_arena *arena = sr_arena_new(1 << 16);
    long wrong = 0;
    for (int32_t cp = 0x300; cp <= 0x2FFFF && wrong < 5; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char text[16];
        text[0] = 'o';
        int n = 1 + sr_utf8_encode(cp, text + 1);
        text[n++] = 'b';
        text[n] = 0;
        sr_article a = {.text = text, .text_len = (size_t)n};
        sr_article_nfc(arena, &a);
        char *want = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
        if (want && strcmp(a.text, want)) {
            cr_log_error("U+%04X: NFC changes the text but it was kept", (unsigned)cp);
            wrong++;
        }
        free(want);
        if (a.text != text)
            sr_arena_reset(arena);
    }
    cr_expect_eq(wrong, 0);
    sr_arena_free(arena);
}
