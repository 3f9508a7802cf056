/* Sentence splitting and tokens: what the event coder is handed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/text.h"

/* Splits text and joins the sentences with " | " for readable asserts. */
static char *split(const char *text)
{
    static char out[4096];
    sr_arena *a = sr_arena_new(0);
    sr_sentence *s;
    size_t n;
    cr_assert_eq(sr_text_sentences(a, text, strlen(text), &s, &n), SR_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, " | ");
        strncat(out, text + s[i].start, s[i].end - s[i].start);
    }
    sr_arena_free(a);
    return out;
}

#define assert_split(text, expected) cr_assert_str_eq(split(text), expected)

Test(sentences, end_at_stops_question_and_exclamation_marks)
{
    assert_split("Militants took Fallujah. The army attacked! Will it hold? Nobody knows.",
                 "Militants took Fallujah. | The army attacked! | Will it hold? | Nobody knows.");
}

Test(sentences, survive_country_abbreviations_inside_a_sentence)
{
    assert_split("The U.S. will speed up delivery of missiles. The U.N. envoy arrived.",
                 "The U.S. will speed up delivery of missiles. | The U.N. envoy arrived.");
    assert_split("He met U.S. Army officers.", "He met U.S. Army officers.");
}

Test(sentences, end_after_country_abbreviation_when_a_new_sentence_opens)
{
    assert_split("Aid came from the U.S. The fighting went on.",
                 "Aid came from the U.S. | The fighting went on.");
}

Test(sentences, survive_military_and_civil_titles)
{
    assert_split("Lt. Col. Ahmed and Sgt. Maj. Ali met Gen. Petraeus and Dr. Smith. Mr. and Mrs. Jones left.",
                 "Lt. Col. Ahmed and Sgt. Maj. Ali met Gen. Petraeus and Dr. Smith. | Mr. and Mrs. Jones left.");
    assert_split("Rep. Smith and Sen. Jones visited Mt. Sinai and St. Louis.",
                 "Rep. Smith and Sen. Jones visited Mt. Sinai and St. Louis.");
    assert_split("The fire was on Orchard St. The man fled.", "The fire was on Orchard St. | The man fled.");
}

Test(sentences, survive_month_abbreviations_before_a_day)
{
    assert_split("The attack on Jan. 5 killed 12. Another on Feb. 9 killed three.",
                 "The attack on Jan. 5 killed 12. | Another on Feb. 9 killed three.");
    assert_split("It began in Sept. 2014 and ended.", "It began in Sept. 2014 and ended.");
}

Test(sentences, survive_number_abbreviations)
{
    assert_split("Resolution No. 2254 passed. No. They refused.",
                 "Resolution No. 2254 passed. | No. | They refused.");
}

Test(sentences, survive_company_names_and_end_after_them)
{
    assert_split("Shares of Acme Corp. rose. Halliburton Co. The contract was signed by Acme Inc. and others.",
                 "Shares of Acme Corp. rose. | Halliburton Co. | The contract was signed by Acme Inc. and others.");
}

Test(sentences, survive_times_of_day)
{
    assert_split("The blast came at 9 a.m. local time. A second followed at 3 p.m. on Sunday.",
                 "The blast came at 9 a.m. local time. | A second followed at 3 p.m. on Sunday.");
}

Test(sentences, survive_initials_in_names)
{
    assert_split("John F. Kennedy was shot in 1963. George W. Bush spoke.",
                 "John F. Kennedy was shot in 1963. | George W. Bush spoke.");
}

Test(sentences, survive_decimals_and_thousands)
{
    assert_split("Growth was 3.5 percent. About 1,300 died.", "Growth was 3.5 percent. | About 1,300 died.");
}

Test(sentences, survive_ellipses_inside_a_quotation)
{
    assert_split("\"We will fight ... until the end,\" he said. Others fled.",
                 "\"We will fight ... until the end,\" he said. | Others fled.");
    assert_split("He paused\xE2\x80\xA6 then spoke. Then left.", "He paused\xE2\x80\xA6 then spoke. | Then left.");
}

Test(sentences, survive_spaced_ellipses)
{
    assert_split("It is a package . . . the makeup comes with it. Next.",
                 "It is a package . . . the makeup comes with it. | Next.");
}

Test(sentences, survive_abbreviations_in_capitals_and_after_hyphens)
{
    assert_split("ST. JOHN'S, N.L. - The victims were remembered.", "ST. JOHN'S, N.L. - The victims were remembered.");
    assert_split("GEN. SMITH flew to LA. Police met him.", "GEN. SMITH flew to LA. | Police met him.");
    assert_split("Sen. Jay Rockefeller, D-W. Va., spoke. Pct. 4 Commissioner Jerry West voted.",
                 "Sen. Jay Rockefeller, D-W. Va., spoke. | Pct. 4 Commissioner Jerry West voted.");
}

Test(sentences, keep_closing_quotes_and_brackets_after_the_stop)
{
    assert_split("He said: \"We will win.\" Then he left.", "He said: \"We will win.\" | Then he left.");
    assert_split("(The figure was disputed.) Officials declined to comment.",
                 "(The figure was disputed.) | Officials declined to comment.");
    assert_split("\xE2\x80\x9CWe are ready.\xE2\x80\x9D The troops moved.",
                 "\xE2\x80\x9CWe are ready.\xE2\x80\x9D | The troops moved.");
    assert_split("\"Are you sure?\" he asked.", "\"Are you sure?\" he asked.");
}

Test(sentences, end_at_blank_lines_even_without_a_stop)
{
    assert_split("Militants take Fallujah\n\nBAGHDAD (AP) - Fighters seized the city.",
                 "Militants take Fallujah | BAGHDAD (AP) - Fighters seized the city.");
}

Test(sentences, end_at_newlines_of_one_paragraph_per_line_text)
{
    assert_split("Iraqi army attacks Ramadi\nThe army went on the attack.\nNearly 8,000 died in 2013.",
                 "Iraqi army attacks Ramadi | The army went on the attack. | Nearly 8,000 died in 2013.");
}

Test(sentences, join_lines_of_hard_wrapped_text)
{
    assert_split("Arnor is about to restore full diplomatic ties with Gondor almost\n"
                 "five years after crowds trashed its embassy, a senior official\n"
                 "said on Saturday.\n",
                 "Arnor is about to restore full diplomatic ties with Gondor almost\n"
                 "five years after crowds trashed its embassy, a senior official\n"
                 "said on Saturday.");
}

Test(sentences, join_wrapped_lines_that_end_on_a_joining_word)
{
    assert_split("Osgiliath welcomed the resumption of formal diplomatic ties with\n"
                 "Mordor after a 12-year rift.\nThe talks went on.",
                 "Osgiliath welcomed the resumption of formal diplomatic ties with\n"
                 "Mordor after a 12-year rift. | The talks went on.");
    assert_split("Protesters clash with police\nThe police fired tear gas.",
                 "Protesters clash with police | The police fired tear gas.");
}

Test(sentences, end_before_letters_of_scripts_without_case)
{
    assert_split("\xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF. \xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF.",
                 "\xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF. | \xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF.");
    assert_split("\xE6\x9C\x89\xE3\x80\x82\xE6\x9C\x89", "\xE6\x9C\x89\xE3\x80\x82 | \xE6\x9C\x89");
    assert_split("Il est parti. \xC3\xA9galement, non. \xC3\x89tat.",
                 "Il est parti. \xC3\xA9galement, non. | \xC3\x89tat.");
}

Test(sentences, do_not_end_before_a_lower_case_word)
{
    assert_split("Guns, grenades, etc. were found. Then more.", "Guns, grenades, etc. were found. | Then more.");
}

Test(sentences, give_byte_offsets_into_the_original_text)
{
    const char *text = "  Kabul fell.   Herat held.  ";
    sr_arena *a = sr_arena_new(0);
    sr_sentence *s;
    size_t n;
    cr_assert_eq(sr_text_sentences(a, text, strlen(text), &s, &n), SR_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(s[0].start, 2);
    cr_assert_eq(s[0].end, 13);
    cr_assert_eq(s[1].start, 16);
    cr_assert_eq(s[1].end, 27);
    sr_arena_free(a);
}

Test(sentences, empty_and_blank_text_has_none)
{
    sr_arena *a = sr_arena_new(0);
    sr_sentence *s;
    size_t n = 99;
    cr_assert_eq(sr_text_sentences(a, "", 0, &s, &n), SR_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(sr_text_sentences(a, " \n\n\t ", 5, &s, &n), SR_OK);
    cr_assert_eq(n, 0);
    sr_arena_free(a);
}

Test(sentences, survive_invalid_utf8_and_nul_bytes)
{
    const char text[] = "Bad \xff\xfe bytes. And a \0 nul. End";
    sr_arena *a = sr_arena_new(0);
    sr_sentence *s;
    size_t n;
    cr_assert_eq(sr_text_sentences(a, text, sizeof text - 1, &s, &n), SR_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(s[2].end, sizeof text - 1);
    sr_arena_free(a);
}

Test(sentences, report_an_exhausted_arena)
{
    sr_arena *a = sr_arena_new(256);
    static char text[20000];
    for (size_t i = 0; i < sizeof text; i += 4)
        memcpy(text + i, "Go. ", 4);
    sr_sentence *s;
    size_t n;
    cr_assert_eq(sr_text_sentences(a, text, sizeof text, &s, &n), SR_ENOMEM);
    cr_assert_eq(n, 0);
    sr_arena_free(a);
}

/* ---- tokens ---- */

static sr_token *tokens(sr_arena *a, const char *text, size_t *n)
{
    sr_token *t;
    cr_assert_eq(sr_text_tokens(a, text, strlen(text), &t, n), SR_OK);
    return t;
}

static char *tok_text(const char *text, const sr_token *t)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(t->end - t->start), text + t->start);
    return buf;
}

Test(tokens, split_words_numbers_and_punctuation)
{
    const char *text = "Al-Qaeda's fighters didn't take 1,300 F-16s, 3.5 km away.";
    const char *want[] = {"Al-Qaeda", "'s", "fighters", "didn't", "take", "1,300", "F-16s", ",",
                          "3.5", "km", "away", "."};
    int kinds[] = {SR_TOKEN_WORD, SR_TOKEN_WORD, SR_TOKEN_WORD, SR_TOKEN_WORD, SR_TOKEN_WORD,
                   SR_TOKEN_NUMBER, SR_TOKEN_WORD, SR_TOKEN_PUNCT, SR_TOKEN_NUMBER, SR_TOKEN_WORD,
                   SR_TOKEN_WORD, SR_TOKEN_PUNCT};
    sr_arena *a = sr_arena_new(0);
    size_t n;
    sr_token *t = tokens(a, text, &n);
    cr_assert_eq(n, 12);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(tok_text(text, &t[i]), want[i]);
        cr_assert_eq(t[i].kind, kinds[i], "token %zu", i);
    }
    sr_arena_free(a);
}

Test(tokens, keep_stops_of_abbreviations_and_flag_them)
{
    const char *text = "U.S. Gen. Smith left at 9 a.m. today.";
    sr_arena *a = sr_arena_new(0);
    size_t n;
    sr_token *t = tokens(a, text, &n);
    cr_assert_eq(n, 9);
    cr_assert_str_eq(tok_text(text, &t[0]), "U.S.");
    cr_assert(t[0].flags & SR_TOKEN_ABBREVIATION);
    cr_assert(t[0].flags & SR_TOKEN_ALL_CAPS);
    cr_assert_str_eq(tok_text(text, &t[1]), "Gen.");
    cr_assert_str_eq(tok_text(text, &t[6]), "a.m.");
    cr_assert_str_eq(tok_text(text, &t[7]), "today");
    cr_assert_not(t[7].flags & SR_TOKEN_ABBREVIATION);
    sr_arena_free(a);
}

Test(tokens, flag_case_and_sentence_starts)
{
    const char *text = "NATO jets struck. Kabul airport closed.";
    sr_arena *a = sr_arena_new(0);
    size_t n;
    sr_token *t = tokens(a, text, &n);
    cr_assert_eq(n, 8);
    cr_assert(t[0].flags & SR_TOKEN_ALL_CAPS);
    cr_assert(t[0].flags & SR_TOKEN_CAPITALISED);
    cr_assert(t[0].flags & SR_TOKEN_SENTENCE_START);
    cr_assert_not(t[1].flags & (SR_TOKEN_CAPITALISED | SR_TOKEN_SENTENCE_START));
    cr_assert(t[4].flags & SR_TOKEN_SENTENCE_START);
    cr_assert(t[4].flags & SR_TOKEN_CAPITALISED);
    cr_assert_not(t[4].flags & SR_TOKEN_ALL_CAPS);
    sr_arena_free(a);
}

Test(tokens, read_letters_of_any_script_and_curly_apostrophes)
{
    const char *text = "Ça’s \xC3\x89lys\xC3\xA9" "e bombardé \xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF \xE2\x80\x94 ok";
    sr_arena *a = sr_arena_new(0);
    size_t n;
    sr_token *t = tokens(a, text, &n);
    cr_assert_eq(n, 7);
    cr_assert_str_eq(tok_text(text, &t[0]), "Ça");
    cr_assert_str_eq(tok_text(text, &t[1]), "’s");
    cr_assert_str_eq(tok_text(text, &t[2]), "\xC3\x89lys\xC3\xA9" "e");
    cr_assert(t[2].flags & SR_TOKEN_CAPITALISED);
    cr_assert_str_eq(tok_text(text, &t[4]), "\xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF");
    cr_assert_eq(t[5].kind, SR_TOKEN_PUNCT);
    sr_arena_free(a);
}

Test(tokens, map_to_code_point_offsets_with_a_cursor)
{
    const char *text = "Élysée: Mosul fell.";
    sr_arena *a = sr_arena_new(0);
    size_t n;
    sr_token *t = tokens(a, text, &n);
    sr_cp_cursor c;
    sr_cp_cursor_init(&c, text, strlen(text));
    cr_assert_str_eq(tok_text(text, &t[2]), "Mosul");
    cr_assert_eq(sr_cp_cursor_at(&c, t[2].start), 8);
    cr_assert_eq(sr_cp_cursor_at(&c, t[2].end), 13);
    sr_arena_free(a);
}

Test(sentences, handle_huge_input_in_one_pass)
{
    /* 2 MB: a giant word, then a giant run of sentences without newlines */
    size_t len = 2u << 20;
    char *text = malloc(len);
    memset(text, 'a', len / 2);
    for (size_t i = len / 2; i + 8 <= len; i += 8)
        memcpy(text + i, " Ok. Go.", 8);
    sr_arena *a = sr_arena_new(0);
    sr_sentence *s;
    size_t n;
    cr_assert_eq(sr_text_sentences(a, text, len, &s, &n), SR_OK);
    cr_assert_eq(n, (len / 2) / 8 * 2);
    cr_assert_eq(s[0].start, 0);
    cr_assert_eq(s[0].end, len / 2 + 4);
    sr_token *t;
    cr_assert_eq(sr_text_tokens(a, text, len, &t, &n), SR_OK);
    cr_assert_eq(t[0].end, len / 2);
    sr_date *d;
    cr_assert_eq(sr_text_dates(a, text, len, (sr_ymd){2014, 1, 9}, &d, &n), SR_OK);
    cr_assert_eq(n, 0);
    sr_arena_free(a);
    free(text);
}
