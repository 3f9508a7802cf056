/* Figures as news states them: what casualty counts are read from. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "sitrep/text.h"

/* The number that starts at `phrase` inside `text`. */
static sr_number number_in(const char *text, const char *phrase)
{
    const char *at = strstr(text, phrase);
    cr_assert_not_null(at, "phrase not in text");
    sr_number n;
    cr_assert(sr_text_number_at(text, strlen(text), (size_t)(at - text), &n), "no number at \"%s\"", phrase);
    return n;
}

static void assert_span(const char *text, sr_number n, const char *covered)
{
    cr_assert_eq(n.end - n.start, strlen(covered), "span \"%.*s\"", (int)(n.end - n.start), text + n.start);
    cr_assert_eq(memcmp(text + n.start, covered, strlen(covered)), 0);
}

static bool no_number(const char *text, const char *phrase)
{
    sr_number n;
    const char *at = strstr(text, phrase);
    return !sr_text_number_at(text, strlen(text), (size_t)(at - text), &n);
}

Test(numbers, read_digits_with_thousands_separators)
{
    const char *t = "The fighting killed 1,300 soldiers and 8,000 civilians.";
    cr_assert_eq(number_in(t, "1,300").value, 1300);
    cr_assert_eq(number_in(t, "8,000").value, 8000);
    cr_assert_eq(number_in(t, "8,000").flags, 0);
    cr_assert_eq(number_in("12,345,678 people", "12").value, 12345678);
}

Test(numbers, read_decimals_with_a_scale_word)
{
    const char *t = "About 1.5 million people fled and 2 billion dollars were lost.";
    sr_number n = number_in(t, "About");
    cr_assert_eq(n.value, 1500000);
    cr_assert(n.flags & SR_NUMBER_APPROXIMATE);
    assert_span(t, n, "About 1.5 million");
    cr_assert_eq(number_in(t, "2 billion").value, 2e9);
}

Test(numbers, mark_approximate_figures)
{
    const char *t = "nearly 8,000 civilians, some 300 fighters, an estimated 40 children";
    sr_number n = number_in(t, "nearly");
    cr_assert_eq(n.value, 8000);
    cr_assert(n.flags & SR_NUMBER_APPROXIMATE);
    assert_span(t, n, "nearly 8,000");
    cr_assert(number_in(t, "some").flags & SR_NUMBER_APPROXIMATE);
    cr_assert_eq(number_in(t, "an estimated").value, 40);
}

Test(numbers, mark_lower_bounds_as_open_ended)
{
    const char *t = "at least 12 were killed and more than 20 wounded, over 300 fled";
    sr_number n = number_in(t, "at least");
    cr_assert_eq(n.value, 12);
    cr_assert_eq(n.min, 12);
    cr_assert(isinf(n.max));
    cr_assert_eq(n.flags, SR_NUMBER_LOWER_BOUND);
    assert_span(t, n, "at least 12");
    n = number_in(t, "more than");
    cr_assert_eq(n.flags, SR_NUMBER_LOWER_BOUND | SR_NUMBER_STRICT);
    cr_assert_eq(n.value, 20);
    cr_assert(number_in(t, "over 300").flags & SR_NUMBER_STRICT);
}

Test(numbers, mark_upper_bounds)
{
    const char *t = "up to 30 people and as many as forty more; fewer than 5 survived";
    sr_number n = number_in(t, "up to");
    cr_assert_eq(n.value, 30);
    cr_assert_eq(n.min, 0);
    cr_assert_eq(n.max, 30);
    cr_assert_eq(n.flags, SR_NUMBER_UPPER_BOUND);
    n = number_in(t, "as many as");
    cr_assert_eq(n.value, 40);
    cr_assert(n.flags & SR_NUMBER_WORDS);
    cr_assert(number_in(t, "fewer than").flags & SR_NUMBER_STRICT);
}

Test(numbers, read_numbers_in_words)
{
    cr_assert_eq(number_in("One hundred people died", "One").value, 100);
    cr_assert_eq(number_in("twenty-three soldiers", "twenty").value, 23);
    cr_assert_eq(number_in("two hundred and fifty homes", "two").value, 250);
    cr_assert_eq(number_in("five thousand three hundred troops", "five").value, 5300);
    cr_assert_eq(number_in("two million refugees", "two").value, 2e6);
    cr_assert_eq(number_in("a thousand homes", "a thousand").value, 1000);
    cr_assert_eq(number_in("killing two policemen", "two").value, 2);
    sr_number n = number_in("Eleven were hurt", "Eleven");
    cr_assert_eq(n.value, 11);
    cr_assert_eq(n.flags, SR_NUMBER_WORDS);
}

Test(numbers, read_a_dozen_as_twelve)
{
    const char *t = "a dozen soldiers and two dozen police";
    sr_number n = number_in(t, "a dozen");
    cr_assert_eq(n.value, 12);
    assert_span(t, n, "a dozen");
    cr_assert_eq(number_in(t, "two dozen").value, 24);
}

Test(numbers, give_vague_words_a_range_and_a_flag)
{
    const char *t = "dozens were hurt, scores of homes burned, hundreds fled and tens of thousands marched";
    sr_number n = number_in(t, "dozens");
    cr_assert(n.flags & SR_NUMBER_VAGUE);
    cr_assert_eq(n.min, 24);
    cr_assert_eq(n.max, 99);
    cr_assert_eq(n.value, n.min);
    cr_assert_eq(number_in(t, "scores").min, 40);
    cr_assert_eq(number_in(t, "hundreds").min, 200);
    n = number_in(t, "tens of");
    cr_assert_eq(n.min, 20000);
    assert_span(t, n, "tens of thousands");
    cr_assert(number_in("several people", "several").flags & SR_NUMBER_VAGUE);
}

Test(numbers, do_not_take_the_verb_scores_for_a_number)
{
    cr_assert(no_number("He scores a goal", "scores"));
}

Test(numbers, read_ranges)
{
    const char *t = "between 10 and 15 died, 20 to 30 were hurt, two or three fled, 40-50 missing";
    sr_number n = number_in(t, "between");
    cr_assert_eq(n.min, 10);
    cr_assert_eq(n.max, 15);
    cr_assert(n.flags & SR_NUMBER_RANGE);
    assert_span(t, n, "between 10 and 15");
    cr_assert_eq(number_in(t, "20 to").max, 30);
    cr_assert_eq(number_in(t, "two or").max, 3);
    n = number_in(t, "40-50");
    cr_assert_eq(n.min, 40);
    cr_assert_eq(n.max, 50);
}

Test(numbers, ignore_ordinals_ages_times_and_dates)
{
    cr_assert(no_number("the 23-year-old man", "23"));
    cr_assert(no_number("on the 3rd floor", "3rd"));
    cr_assert(no_number("at 10:30 local time", "10:30"));
    cr_assert(no_number("on 2014-01-05", "2014"));
    cr_assert(no_number("the third attack", "third"));
    cr_assert(no_number("a man", "a"));
    cr_assert(no_number("call 272-2400 now", "272"));
    cr_assert(no_number("at least some", "at least"));
}

Test(numbers, find_every_figure_in_a_sentence)
{
    const char *t = "Nearly 8,000 civilians were killed in 2013, and at least 12 on Sunday; no one else; "
                    "twenty-three more.";
    sr_arena *a = sr_arena_new(0);
    sr_number *n;
    size_t count;
    cr_assert_eq(sr_text_numbers(a, t, strlen(t), &n, &count), SR_OK);
    cr_assert_eq(count, 4);
    cr_assert_eq(n[3].value, 23);
    cr_assert_eq(n[0].value, 8000);
    cr_assert(n[0].flags & SR_NUMBER_APPROXIMATE);
    cr_assert_eq(n[1].value, 2013);
    cr_assert_eq(n[2].value, 12);
    cr_assert(n[2].flags & SR_NUMBER_LOWER_BOUND);
    sr_arena_free(a);
}

Test(numbers, only_start_at_a_token)
{
    sr_number n;
    cr_assert_not(sr_text_number_at("1,300", 5, 2, &n));
    cr_assert_not(sr_text_number_at("   ", 3, 0, &n));
    cr_assert_not(sr_text_number_at("", 0, 0, &n));
}
