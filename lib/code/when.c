/* The date a sentence gives its event, and whether that is history.
 *
 * The rule: the first date expression of the sentence that names a moment
 * (not a period such as "since 2011") is the event's date, the most precise
 * one when several are named ("on Sunday, in March"); with none, the
 * document's own date at day precision. An event is historical when the
 * date named ends more than HISTORICAL_DAYS days before the document's
 * date: news of the week reports what happened in the last days, and a
 * month is the longest gap between an event and its first report that
 * wire services commonly leave (later mentions are background).
 *
 * A date inside a relative clause set off by a comma ("bombed Aleppo,
 * where 8,000 were killed in 2013") dates what the clause tells about the
 * place or the people, not the main event, and is passed over. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sitrep/code.h"
#include "sitrep/text.h"
#include "details.h"

#define HISTORICAL_DAYS 30

static long day_number(sr_ymd d);
static sr_ymd last_day(sr_ymd d, sr_date_precision p);
static bool in_relative_clause(const char *s, size_t at);

void sr_code_sentence_date(const char *sentence, size_t len, int doc_date, int *date,
                           enum sr_code_precision *precision, bool *historical)
{
    sr_arena *a = sr_arena_new(1u << 20);
    sr_details_date(a, sentence, len, doc_date, date, precision, historical);
    sr_arena_free(a);
}

void sr_details_date(sr_arena *a, const char *sentence, size_t len, int doc_date, int *date,
                     enum sr_code_precision *precision, bool *historical)
{
    *date = doc_date;
    *precision = doc_date ? SR_CODE_DATE_DAY : SR_CODE_DATE_NONE;
    *historical = false;
    if (!a || !doc_date || !sentence || !len) return;
    sr_ymd doc = {doc_date / 10000, doc_date / 100 % 100, doc_date % 100};
    sr_date *d;
    size_t n = 0;
    if (sr_text_dates(a, sentence, len > 8192 ? 8192 : len, doc, &d, &n) != SR_OK) n = 0;
    const sr_date *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if ((d[i].flags & SR_DATE_PERIOD) || in_relative_clause(sentence, d[i].start)) continue;
        if (!best || d[i].precision < best->precision) best = &d[i];
    }
    if (best) {
        static const enum sr_code_precision map[] = {SR_CODE_DATE_NONE, SR_CODE_DATE_DAY, SR_CODE_DATE_WEEK,
                                                     SR_CODE_DATE_MONTH, SR_CODE_DATE_YEAR};
        *date = best->date.year * 10000 + best->date.month * 100 + best->date.day;
        *precision = map[best->precision];
        *historical = sr_details_date_past(best, doc_date);
    }
}

bool sr_details_date_past(const sr_date *d, int doc_date)
{
    if (!doc_date || (d->flags & SR_DATE_SINCE)) return false;
    sr_ymd doc = {doc_date / 10000, doc_date / 100 % 100, doc_date % 100};
    return day_number(doc) - day_number(last_day(d->date, d->precision)) > HISTORICAL_DAYS;
}

/* Is byte `at` after ", where" (which, who, whom, whose) with no comma or
 * semicolon between? Such a clause ends at the next comma or the sentence's
 * end. */
static bool in_relative_clause(const char *s, size_t at)
{
    static const char *const rel[] = {"where", "which", "who", "whom", "whose", NULL};
    for (size_t i = at; i-- > 0;) {
        if (s[i] == ';') return false;
        if (s[i] != ',' || (i + 1 < at && s[i + 1] != ' ')) continue;  /* "8,000" is no clause */
        size_t w = i + 1;
        while (w < at && s[w] == ' ') w++;
        for (const char *const *r = rel; *r; r++) {
            size_t n = strlen(*r);
            if (w + n < at && strncasecmp(s + w, *r, n) == 0 && s[w + n] == ' ') return true;
        }
        return false;
    }
    return false;
}

/* The last day a date of that precision covers. */
static sr_ymd last_day(sr_ymd d, sr_date_precision p)
{
    switch (p) {
    case SR_DATE_YEAR: return (sr_ymd){d.year, 12, 31};
    case SR_DATE_MONTH: {
        sr_ymd next = d.month == 12 ? (sr_ymd){d.year + 1, 1, 1} : (sr_ymd){d.year, d.month + 1, 1};
        return sr_ymd_add_days(next, -1);
    }
    case SR_DATE_WEEK: return sr_ymd_add_days(d, 6);
    default: return d;
    }
}

/* Days since a fixed origin (proleptic Gregorian), for differences only. */
static long day_number(sr_ymd d)
{
    int m = d.month ? d.month : 1, day = d.day ? d.day : 1;
    long y = d.year - (m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

/* Shared with casualty.c: is `year` well before the document's date? */
bool sr_details_past_year(int year, int doc_date)
{
    if (!doc_date) return false;
    sr_ymd doc = {doc_date / 10000, doc_date / 100 % 100, doc_date % 100};
    return day_number(doc) - day_number((sr_ymd){year, 12, 31}) > HISTORICAL_DAYS;
}
