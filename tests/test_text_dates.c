/* Dates in sentences, resolved against the document's date. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "sitrep/text.h"

static sr_date found[16];
static size_t nfound;

/* The dates in `text` for a story filed on doc; returns how many. */
static size_t dates(const char *text, sr_ymd doc)
{
    sr_arena *a = sr_arena_new(0);
    sr_date *d;
    cr_assert_eq(sr_text_dates(a, text, strlen(text), doc, &d, &nfound), SR_OK);
    cr_assert_leq(nfound, 16);
    if (nfound)
        memcpy(found, d, nfound * sizeof *d);
    sr_arena_free(a);
    return nfound;
}

#define YMD(y, m, d) ((sr_ymd){y, m, d})
/* Thursday 9 January 2014 */
static const sr_ymd thursday = {2014, 1, 9};

static void assert_date(size_t i, sr_ymd want, sr_date_precision p)
{
    cr_assert_lt(i, nfound, "only %zu dates", nfound);
    cr_assert_eq(found[i].date.year, want.year, "year %d", found[i].date.year);
    cr_assert_eq(found[i].date.month, want.month, "month %d", found[i].date.month);
    cr_assert_eq(found[i].date.day, want.day, "day %d", found[i].date.day);
    cr_assert_eq(found[i].precision, p, "precision %d", found[i].precision);
}

static void assert_span(const char *text, size_t i, const char *covered)
{
    cr_assert_eq(found[i].end - found[i].start, strlen(covered), "span \"%.*s\"",
                 (int)(found[i].end - found[i].start), text + found[i].start);
    cr_assert_eq(memcmp(text + found[i].start, covered, strlen(covered)), 0);
}

Test(dates, on_a_weekday_is_the_last_such_day_on_or_before_the_story)
{
    const char *t = "Militants stormed the city on Sunday.";
    cr_assert_eq(dates(t, thursday), 1);
    assert_date(0, YMD(2014, 1, 5), SR_DATE_DAY);
    assert_span(t, 0, "on Sunday");
    cr_assert(found[0].flags & SR_DATE_RELATIVE);
    dates("It happened on Thursday.", thursday);
    assert_date(0, YMD(2014, 1, 9), SR_DATE_DAY);
    dates("Friday's attack", thursday);
    assert_date(0, YMD(2014, 1, 3), SR_DATE_DAY);
}

Test(dates, weekdays_cross_month_and_year_boundaries)
{
    dates("Talks collapsed on Saturday.", YMD(2014, 1, 2)); /* a Thursday */
    assert_date(0, YMD(2013, 12, 28), SR_DATE_DAY);
    dates("Talks collapsed on Monday.", YMD(2014, 3, 1)); /* a Saturday */
    assert_date(0, YMD(2014, 2, 24), SR_DATE_DAY);
}

Test(dates, last_and_next_weekday)
{
    dates("They met last Thursday and will meet next Monday.", thursday);
    assert_date(0, YMD(2014, 1, 2), SR_DATE_DAY);
    assert_date(1, YMD(2014, 1, 13), SR_DATE_DAY);
}

Test(dates, yesterday_today_and_tomorrow)
{
    const char *t = "Fighting began yesterday, continued today and may end tomorrow.";
    cr_assert_eq(dates(t, YMD(2014, 1, 1)), 3);
    assert_date(0, YMD(2013, 12, 31), SR_DATE_DAY);
    assert_date(1, YMD(2014, 1, 1), SR_DATE_DAY);
    assert_date(2, YMD(2014, 1, 2), SR_DATE_DAY);
    dates("Rockets hit the base last night.", YMD(2016, 3, 1));
    assert_date(0, YMD(2016, 2, 29), SR_DATE_DAY);
}

Test(dates, last_week_is_the_monday_of_the_week_before)
{
    const char *t = "Troops moved in last week.";
    cr_assert_eq(dates(t, thursday), 1);
    assert_date(0, YMD(2013, 12, 30), SR_DATE_WEEK);
    assert_span(t, 0, "last week");
    dates("Earlier this week the army attacked.", thursday);
    assert_date(0, YMD(2014, 1, 6), SR_DATE_WEEK);
}

Test(dates, last_month_and_this_year_across_the_new_year)
{
    dates("Last month the city fell; this year it was retaken, and next year elections follow.", thursday);
    assert_date(0, YMD(2013, 12, 0), SR_DATE_MONTH);
    assert_date(1, YMD(2014, 0, 0), SR_DATE_YEAR);
    assert_date(2, YMD(2015, 0, 0), SR_DATE_YEAR);
}

Test(dates, month_and_day_take_the_nearest_year)
{
    const char *t = "The attack on Jan. 5 killed 12.";
    cr_assert_eq(dates(t, thursday), 1);
    assert_date(0, YMD(2014, 1, 5), SR_DATE_DAY);
    assert_span(t, 0, "on Jan. 5");
    cr_assert(found[0].flags & SR_DATE_RELATIVE);
    dates("The attack on Dec. 28 killed 12.", thursday);
    assert_date(0, YMD(2013, 12, 28), SR_DATE_DAY);
    dates("Elections are set for Jan. 12.", YMD(2013, 12, 20));
    assert_date(0, YMD(2014, 1, 12), SR_DATE_DAY);
    dates("The convoy was hit on 30 December.", thursday);
    assert_date(0, YMD(2013, 12, 30), SR_DATE_DAY);
    cr_assert(found[0].flags & SR_DATE_RELATIVE);
}

Test(dates, full_dates_in_both_orders)
{
    const char *t = "Between January 5, 2014 and 5 January 2015, and on 3rd March 2012.";
    cr_assert_eq(dates(t, thursday), 3);
    assert_date(0, YMD(2014, 1, 5), SR_DATE_DAY);
    assert_span(t, 0, "January 5, 2014");
    cr_assert_eq(found[0].flags, 0);
    assert_date(1, YMD(2015, 1, 5), SR_DATE_DAY);
    assert_date(2, YMD(2012, 3, 3), SR_DATE_DAY);
}

Test(dates, every_month_by_name_and_abbreviation)
{
    static const char *const names[] = {"January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December"};
    static const char *const abbrevs[] = {"Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July",
                                          "Aug.", "Sept.", "Oct.", "Nov.", "Dec."};
    char text[64];
    for (int m = 0; m < 12; m++) {
        snprintf(text, sizeof text, "on %s 8, 2008", names[m]);
        cr_assert_eq(dates(text, thursday), 1, "%s", text);
        assert_date(0, YMD(2008, m + 1, 8), SR_DATE_DAY);
        snprintf(text, sizeof text, "in mid %s 2012", abbrevs[m]);
        cr_assert_eq(dates(text, thursday), 1, "%s", text);
        assert_date(0, YMD(2012, m + 1, 0), SR_DATE_MONTH);
    }
}

Test(dates, iso_dates_and_timestamps)
{
    dates("Posted 2014-01-05T10:00:00Z, updated 2014-01-06.", thursday);
    cr_assert_eq(nfound, 2);
    assert_date(0, YMD(2014, 1, 5), SR_DATE_DAY);
    assert_date(1, YMD(2014, 1, 6), SR_DATE_DAY);
}

Test(dates, a_year_after_a_preposition)
{
    const char *t = "Nearly 8,000 civilians were killed in 2013, the worst toll since 2008.";
    cr_assert_eq(dates(t, thursday), 2);
    assert_date(0, YMD(2013, 0, 0), SR_DATE_YEAR);
    assert_span(t, 0, "in 2013");
    cr_assert_not(found[0].flags & SR_DATE_RELATIVE);
    assert_date(1, YMD(2008, 0, 0), SR_DATE_YEAR);
    cr_assert(found[1].flags & SR_DATE_PERIOD);
    cr_assert(found[1].flags & SR_DATE_SINCE);
}

Test(dates, a_year_used_as_an_adjective)
{
    const char *t = "He fought in the 2004 battle for Fallujah.";
    cr_assert_eq(dates(t, thursday), 1);
    assert_date(0, YMD(2004, 0, 0), SR_DATE_YEAR);
    cr_assert_eq(dates("They sent the 2000 troops home.", thursday), 0);
}

Test(dates, a_month_needs_a_preposition_a_day_or_a_year)
{
    dates("The siege began in March.", thursday);
    cr_assert_eq(nfound, 1);
    assert_date(0, YMD(2013, 3, 0), SR_DATE_MONTH);
    cr_assert_eq(dates("Protesters March on the capital. They may return.", thursday), 0);
    cr_assert_eq(dates("It may happen.", thursday), 0);
    dates("Polls open next March; the town fell last January.", thursday);
    assert_date(0, YMD(2014, 3, 0), SR_DATE_MONTH);
    assert_date(1, YMD(2013, 1, 0), SR_DATE_MONTH);
    dates("By mid-March the town had fallen.", thursday);
    assert_date(0, YMD(2013, 3, 0), SR_DATE_MONTH);
    dates("In May 2013 the town fell.", thursday);
    assert_date(0, YMD(2013, 5, 0), SR_DATE_MONTH);
    cr_assert_not(found[0].flags & SR_DATE_RELATIVE);
}

Test(dates, periods_for_aggregate_figures)
{
    const char *t = "During 2013, 8,000 died; since 2011 more than 100,000; in the past year 500; "
                    "over the last three months 90; so far this year 12.";
    cr_assert_eq(dates(t, thursday), 5);
    assert_date(0, YMD(2013, 0, 0), SR_DATE_YEAR);
    cr_assert_eq(found[0].flags, SR_DATE_PERIOD);
    assert_date(1, YMD(2011, 0, 0), SR_DATE_YEAR);
    cr_assert_eq(found[1].flags, SR_DATE_PERIOD | SR_DATE_SINCE);
    assert_date(2, YMD(2013, 1, 9), SR_DATE_DAY);
    cr_assert(found[2].flags & SR_DATE_PERIOD);
    cr_assert(found[2].flags & SR_DATE_SINCE);
    assert_span(t, 2, "in the past year");
    assert_date(3, YMD(2013, 10, 9), SR_DATE_DAY);
    assert_date(4, YMD(2014, 0, 0), SR_DATE_YEAR);
    cr_assert(found[4].flags & SR_DATE_SINCE);
}

Test(dates, time_ago)
{
    dates("Three days ago the town fell; two weeks ago it was calm; a year ago, peace.", thursday);
    cr_assert_eq(nfound, 3);
    assert_date(0, YMD(2014, 1, 6), SR_DATE_DAY);
    assert_date(1, YMD(2013, 12, 23), SR_DATE_WEEK);
    assert_date(2, YMD(2013, 0, 0), SR_DATE_YEAR);
}

Test(dates, without_a_document_date_only_absolute_dates)
{
    const char *t = "On Sunday, yesterday, on Jan. 5, in 2013 and on January 5, 2014.";
    cr_assert_eq(dates(t, YMD(0, 0, 0)), 2);
    assert_date(0, YMD(2013, 0, 0), SR_DATE_YEAR);
    assert_date(1, YMD(2014, 1, 5), SR_DATE_DAY);
    cr_assert_eq(dates(t, YMD(2014, 2, 30)), 2, "an impossible document date counts as none");
}

Test(dates, stop_safely_at_the_end_of_the_text)
{
    cr_assert_eq(dates("It happened on 5", thursday), 0);
    cr_assert_eq(dates("in 12", thursday), 0);
    cr_assert_eq(dates("last", thursday), 0);
    cr_assert_eq(dates("in the past", thursday), 0);
}

Test(dates, reject_impossible_days)
{
    cr_assert_eq(dates("on February 30, 2014 and 2014-13-01", thursday), 0);
}

Test(calendar, weekdays_and_day_arithmetic)
{
    cr_assert_eq(sr_ymd_weekday(YMD(2014, 1, 9)), 4);
    cr_assert_eq(sr_ymd_weekday(YMD(2000, 2, 29)), 2);
    sr_ymd d = sr_ymd_add_days(YMD(2016, 2, 28), 2);
    cr_assert_eq(d.month, 3);
    cr_assert_eq(d.day, 1);
    d = sr_ymd_add_days(YMD(2014, 1, 1), -1);
    cr_assert_eq(d.year, 2013);
    cr_assert_eq(d.day, 31);
}

Test(dates, read_from_one_sentence_of_tokens_made_once)
{
    const char *text = "Militants took Fallujah on Sunday. Nearly 8,000 civilians were killed in 2013.";
    sr_arena *a = sr_arena_new(0);
    sr_token *t;
    size_t n, second = 0;
    cr_assert_eq(sr_text_tokens(a, text, strlen(text), &t, &n), SR_OK);
    for (size_t i = 1; i < n && !second; i++)
        if (t[i].flags & SR_TOKEN_SENTENCE_START)
            second = i;
    cr_assert_gt(second, 0);
    sr_date *d;
    size_t nd;
    cr_assert_eq(sr_text_dates_in(a, text, t, second, thursday, &d, &nd), SR_OK);
    cr_assert_eq(nd, 1);
    cr_assert_eq(d[0].date.day, 5);
    cr_assert_eq(sr_text_dates_in(a, text, t + second, n - second, thursday, &d, &nd), SR_OK);
    cr_assert_eq(nd, 1);
    cr_assert_eq(d[0].date.year, 2013);
    cr_assert_eq(d[0].start, (size_t)(strstr(text, "in 2013") - text));
    sr_number *num;
    cr_assert_eq(sr_text_numbers_in(a, text, t + second, n - second, &num, &nd), SR_OK);
    cr_assert_eq(nd, 2);
    cr_assert_eq(num[0].value, 8000);
    sr_arena_free(a);
}
