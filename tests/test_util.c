/* The shared helpers: arenas, bounded buffers, JSON output, UTF-8. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/util.h"

Test(arena, allocations_are_aligned_and_survive_growth)
{
    sr_arena *a = sr_arena_new(0);
    char *first = sr_arena_strdup(a, "Fallujah");
    for (int i = 0; i < 10000; i++) {
        void *p = sr_arena_alloc(a, 37);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % 16, 0);
    }
    cr_assert_str_eq(first, "Fallujah");
    sr_arena_reset(a);
    cr_assert_eq(sr_arena_used(a), 0);
    cr_assert_str_eq(sr_arena_printf(a, "%s %d", "Ramadi", 7), "Ramadi 7");
    sr_arena_free(a);
}

Test(arena, refuses_to_grow_past_its_cap)
{
    sr_arena *a = sr_arena_new(1000);
    cr_assert_not_null(sr_arena_alloc(a, 900));
    cr_assert_null(sr_arena_alloc(a, 200));
    sr_arena_free(a);
}

Test(buf, stops_at_its_maximum_and_remembers_failure)
{
    sr_buf b;
    sr_buf_init(&b, 10);
    cr_assert_eq(sr_buf_puts(&b, "12345"), SR_OK);
    cr_assert_eq(sr_buf_puts(&b, "678901"), SR_ETOOBIG);
    cr_assert_eq(sr_buf_putc(&b, 'x'), SR_ETOOBIG);
    cr_assert_eq(b.failed, SR_ETOOBIG);
    cr_assert_str_eq(b.data, "12345");
    sr_buf_free(&b);
}

Test(json, writes_nested_values_with_commas)
{
    sr_buf b;
    sr_buf_init(&b, 0);
    sr_json j;
    sr_json_init(&j, &b);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "title", "Militants \"take\" Fallujah\n");
    sr_json_key(&j, "places");
    sr_json_array_begin(&j);
    sr_json_int(&j, 1);
    sr_json_double(&j, 33.35, 4);
    sr_json_null(&j);
    sr_json_array_end(&j);
    sr_json_kv_bool(&j, "ok", true);
    sr_json_object_end(&j);
    cr_assert_str_eq(b.data, "{\"title\":\"Militants \\\"take\\\" Fallujah\\n\",\"places\":[1,33.35,null],\"ok\":true}");
    sr_buf_free(&b);
}

Test(json, replaces_invalid_utf8_and_escapes_controls)
{
    sr_buf b;
    sr_buf_init(&b, 0);
    sr_json j;
    sr_json_init(&j, &b);
    sr_json_string(&j, "a\xff" "b\x01\xc3\xa9\xe2\x80\xa8");
    cr_assert_str_eq(b.data, "\"a\xEF\xBF\xBD" "b\\u0001\xc3\xa9\\u2028\"");
    sr_buf_free(&b);
}

Test(utf8, decodes_and_rejects_ill_formed_sequences)
{
    const char *s = "\xc3\xa9\xe0\x80\x80\xed\xa0\x80\xf0\x9f\x8c\x8d";
    size_t i = 0, n = strlen(s);
    cr_assert_eq(sr_utf8_decode(s, n, &i), 0xE9);
    cr_assert_eq(sr_utf8_decode(s, n, &i), -1); /* overlong */
    i = 5;
    cr_assert_eq(sr_utf8_decode(s, n, &i), -1); /* surrogate */
    i = 8;
    cr_assert_eq(sr_utf8_decode(s, n, &i), 0x1F30D);
    cr_assert(!sr_utf8_valid(s, n));
    cr_assert(sr_utf8_valid("Al Fall\xc5\xab" "jah", 11));
    /* a bad byte at every place in and after long ASCII runs is still found */
    char run[40];
    for (size_t at = 0; at < sizeof run; at++) {
        memset(run, 'a', sizeof run);
        run[at] = (char)0xff;
        cr_assert(!sr_utf8_valid(run, sizeof run), "bad byte at %zu", at);
        run[at] = 'a';
        if (at + 1 < sizeof run) {
            run[at] = (char)0xc3, run[at + 1] = (char)0xa9;
            cr_assert(sr_utf8_valid(run, sizeof run), "e-acute at %zu", at);
            cr_assert(!sr_utf8_valid(run, at + 1), "cut e-acute at %zu", at);
        }
    }
    /* windows-1252: the euro, curly quotes and dashes sit in 0x80-0x9F;
     * the rest of the bytes are Latin-1 */
    cr_assert_eq(sr_cp1252_to_unicode(0x80), 0x20AC);
    cr_assert_eq(sr_cp1252_to_unicode(0x93), 0x201C);
    cr_assert_eq(sr_cp1252_to_unicode(0x96), 0x2013);
    cr_assert_eq(sr_cp1252_to_unicode(0x81), 0x81);
    cr_assert_eq(sr_cp1252_to_unicode(0xE9), 0xE9);
    cr_assert_eq(sr_cp1252_to_unicode('a'), 'a');
    i = 0;
    cr_assert_eq(sr_utf8_decode("\xe2\x82", 2, &i), -1); /* truncated */
    cr_assert_eq(i, 1);
}

Test(utf8, code_point_offsets_follow_byte_offsets)
{
    const char *s = "Al Fall\xc5\xab" "jah, \xd8\xa7\xd9\x84 x";
    sr_cp_cursor c;
    sr_cp_cursor_init(&c, s, strlen(s));
    cr_assert_eq(sr_cp_cursor_at(&c, 7), 7);
    cr_assert_eq(sr_cp_cursor_at(&c, 9), 8);
    cr_assert_eq(sr_cp_cursor_at(&c, strlen(s)), sr_utf8_count(s, strlen(s)));
    cr_assert_eq(sr_cp_cursor_at(&c, 3), 3);
}

Test(utf8, sanitize_keeps_valid_text_and_marks_bad_bytes)
{
    sr_buf b;
    sr_buf_init(&b, 0);
    sr_utf8_sanitize(&b, "caf\xe9 ok \xc3\xa9", 11);
    cr_assert_str_eq(b.data, "caf\xEF\xBF\xBD ok \xc3\xa9");
    sr_buf_free(&b);
}

Test(buf, an_empty_buffer_hands_over_an_empty_string)
{
    sr_buf b;
    sr_buf_init(&b, 10);
    size_t n = 99;
    char *s = sr_buf_steal(&b, &n);
    cr_assert_not_null(s);
    cr_assert_eq(n, 0);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(utf8, byte_offsets_of_code_points_invert_the_cursor)
{
    const char *s = "Al Fall\xc5\xab" "jah \xd8\xa7\xd9\x84 x";
    size_t len = strlen(s);
    sr_cp_cursor c;
    sr_cp_cursor_init(&c, s, len);
    for (size_t cp = 0; cp <= sr_utf8_count(s, len); cp++) {
        size_t b = sr_utf8_byte_offset(s, len, cp);
        cr_assert_eq(sr_cp_cursor_at(&c, b), cp, "code point %zu", cp);
    }
    cr_assert_eq(sr_utf8_byte_offset(s, len, 999), len);
}

Test(calendar, days_and_dates_round_trip_across_leap_years)
{
    cr_assert_eq(sr_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(sr_days_from_civil(2014, 1, 4), 16074);
    cr_assert_eq(sr_days_from_civil(2024, 3, 1) - sr_days_from_civil(2024, 2, 28), 2);
    cr_assert_eq(sr_days_from_civil(2100, 3, 1) - sr_days_from_civil(2100, 2, 28), 1);
    for (long d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        sr_civil_from_days(d, &y, &m, &dd);
        cr_assert_eq(sr_days_from_civil(y, m, dd), d);
    }
}

/* The coder and the UTF-8 check skip ASCII runs with sr_ascii_span: a
 * non-ASCII byte at any place of a text longer than the 8- and 32-byte
 * steps must stop it right there. */
Test(utf8, ascii_span_stops_at_the_first_high_byte_wherever_it_is)
{
    char s[80];
    memset(s, 'a', sizeof s);
    cr_assert_eq(sr_ascii_span(s, sizeof s), sizeof s);
    cr_assert_eq(sr_ascii_span(s, 0), 0);
    for (size_t at = 0; at < sizeof s; at++) {
        memset(s, 'a', sizeof s);
        s[at] = (char)0xC3;
        for (size_t len = 0; len <= sizeof s; len++)
            cr_assert_eq(sr_ascii_span(s, len), at < len ? at : len, "high byte at %zu, length %zu", at, len);
        s[at] = 'a';
    }
}
