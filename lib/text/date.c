/* Dates in news sentences, resolved against the document's own date the
 * way reporters write them: "on Sunday" is the Sunday just gone, "last
 * week" the week before the one the story was filed in, "on Jan. 5" the
 * nearest Jan. 5 (preferring the past), "in 2013" a year. Expressions that
 * name a stretch of time ("during 2013", "since 2011", "in the past year")
 * are flagged, because figures counted over them are aggregates. */
#include <stdlib.h>
#include "internal.h"

static const char *const month_names[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", NULL};
/* AP abbreviations, with or without the stop ("Jan. 5", "Jan 5") */
static const char *const month_abbrevs[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const weekday_names[] = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", NULL};
static const char *const count_words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", NULL};

/* What a word can be in a date expression. Each token's roles are looked
 * up once; a pattern is tried only where its first word has its role, which
 * turns away nearly every token in a few instructions. */
enum { R_PREP = 1, R_MONTH = 2, R_WEEKDAY = 4, R_REL = 8, R_COUNT = 16, R_THE = 32, R_EDGE = 64 };

/* Every word a date expression can start with, sorted, and its roles. */
static const char *const keywords[] = {
    "a", "after", "an", "apr", "apr.", "april", "as", "aug", "aug.", "august", "before", "by",
    "coming", "dec", "dec.", "december", "during", "earlier", "early", "eight", "eleven", "feb",
    "feb.", "february", "few", "five", "for", "four", "friday", "from", "in", "jan", "jan.",
    "january", "jul", "jul.", "july", "jun", "jun.", "june", "last", "late", "mar", "mar.",
    "march", "may", "mid", "monday", "next", "nine", "nov", "nov.", "november", "oct", "oct.",
    "october", "of", "on", "one", "over", "past", "saturday", "sep", "sep.", "sept", "sept.",
    "september", "seven", "several", "since", "six", "so", "sunday", "ten", "the", "this",
    "three", "throughout", "thursday", "till", "today", "tomorrow", "tonight", "tuesday",
    "twelve", "two", "until", "wednesday", "within", "yesterday", "zero",
};
static const uint8_t keyword_roles[] = {
    R_COUNT, R_PREP, R_COUNT, R_MONTH, R_MONTH, R_MONTH, R_PREP, R_MONTH, R_MONTH, R_MONTH,
    R_PREP, R_PREP, R_REL, R_MONTH, R_MONTH, R_MONTH, R_PREP, R_REL, R_EDGE, R_COUNT, R_COUNT,
    R_MONTH, R_MONTH, R_MONTH, R_COUNT, R_COUNT, R_PREP, R_COUNT, R_WEEKDAY, R_PREP, R_PREP,
    R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_REL,
    R_EDGE, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_EDGE, R_WEEKDAY, R_REL, R_COUNT, R_MONTH,
    R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_PREP, R_PREP, R_COUNT, R_PREP, R_REL,
    R_WEEKDAY, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_MONTH, R_COUNT, R_COUNT, R_PREP, R_COUNT,
    R_PREP, R_WEEKDAY, R_COUNT, R_THE, R_REL, R_COUNT, R_PREP, R_WEEKDAY, R_PREP, R_REL, R_REL,
    R_REL, R_WEEKDAY, R_COUNT, R_COUNT, R_PREP, R_WEEKDAY, R_PREP, R_REL, R_COUNT,
};
static struct word_set keyword_set = WORD_SET(keywords);

/* Words before a date that change what it means. */
enum prep { PREP_NONE, PREP_AT, PREP_SINCE, PREP_DURING, PREP_OVER };

static const struct preposition {
    const char *words[3];
    enum prep kind;
} prepositions[] = {
    {{"in"}, PREP_AT},         {{"on"}, PREP_AT},          {{"by"}, PREP_AT},
    {{"until"}, PREP_AT},      {{"till"}, PREP_AT},        {{"from"}, PREP_AT},
    {{"before"}, PREP_AT},     {{"after"}, PREP_AT},       {{"of"}, PREP_AT},
    {{"as", "of"}, PREP_AT},   {{"since"}, PREP_SINCE},    {{"so", "far"}, PREP_SINCE},
    {{"during"}, PREP_DURING}, {{"throughout"}, PREP_DURING},
    {{"over"}, PREP_OVER},     {{"within"}, PREP_OVER},    {{"for"}, PREP_OVER},
};

struct ctx {
    const char *s;
    const sr_token *t;
    const uint8_t *roles; /* R_* of each token */
    size_t n;
    sr_ymd doc;
    bool have_doc;
    enum prep prep;
};

static size_t date_at(const struct ctx *c, size_t i, sr_date *d);
static bool may_start(const struct ctx *c, size_t i);
static size_t match_phrase(const struct ctx *c, size_t i, const char *const *words);
static sr_ymd civil_from_days(long z);
static int days_in_month(int y, int m);

/* "mid-March": drops the "mid-" so the month can be read. */
static bool mid_prefix(const char *s, sr_token *t)
{
    if (t->end - t->start <= 4 || (s[t->start] | 32) != 'm' || (s[t->start + 1] | 32) != 'i' ||
        (s[t->start + 2] | 32) != 'd' || s[t->start + 3] != '-')
        return false;
    t->start += 4;
    t->flags |= SR_TOKEN_CAPITALISED * (s[t->start] >= 'A' && s[t->start] <= 'Z');
    return true;
}

sr_err sr_text_dates(sr_arena *a, const char *text, size_t len, sr_ymd doc_date,
                     sr_date **out, size_t *n)
{
    sr_token *t;
    size_t nt;
    *out = NULL;
    *n = 0;
    sr_err err = sr_text_lex_all(a, text, len, &t, &nt);
    return err ? err : sr_text_dates_in(a, text, t, nt, doc_date, out, n);
}

sr_err sr_text_dates_in(sr_arena *a, const char *text, const sr_token *t, size_t nt,
                        sr_ymd doc_date, sr_date **out, size_t *n)
{
    struct grow g = {0};
    *out = NULL;
    *n = 0;
    uint8_t *roles = nt ? sr_arena_alloc(a, nt) : NULL;
    if (nt && !roles)
        return SR_ENOMEM;
    for (size_t i = 0; i < nt; i++) {
        sr_token w = t[i];
        bool mid = mid_prefix(text, &w);
        int k = w.kind == SR_TOKEN_WORD ? sr_text_word_index(text, &w, &keyword_set) : -1;
        roles[i] = k < 0 ? 0 : mid ? keyword_roles[k] & R_MONTH : keyword_roles[k];
    }
    struct ctx c = {text, t, roles, nt, doc_date, doc_date.year > 0 && doc_date.month >= 1 &&
                    doc_date.month <= 12 && doc_date.day >= 1 &&
                    doc_date.day <= days_in_month(doc_date.year, doc_date.month), PREP_NONE};
    for (size_t i = 0; i < nt;) {
        sr_date d;
        size_t used = 0, lead = 0;
        if (!may_start(&c, i)) {
            i++;
            continue;
        }
        for (size_t p = 0; (roles[i] & R_PREP) && p < sizeof prepositions / sizeof prepositions[0] && !used;
             p++) {
            lead = match_phrase(&c, i, prepositions[p].words);
            if (lead) {
                c.prep = prepositions[p].kind;
                used = may_start(&c, i + lead) ? date_at(&c, i + lead, &d) : 0;
            }
        }
        if (used) {
            d.start = t[i].start;
        } else {
            lead = 0;
            c.prep = PREP_NONE;
            used = date_at(&c, i, &d);
        }
        if (!used) {
            i++;
            continue;
        }
        if (c.prep == PREP_SINCE)
            d.flags |= SR_DATE_PERIOD | SR_DATE_SINCE;
        else if (c.prep == PREP_DURING)
            d.flags |= SR_DATE_PERIOD;
        sr_date *slot = sr_text_grow(a, &g, sizeof *slot);
        if (!slot)
            return SR_ENOMEM;
        *slot = d;
        i += lead + used;
    }
    *out = g.items;
    *n = g.n;
    return SR_OK;
}

/* ---- calendar ---- */

static sr_ymd civil_from_days(long z)
{
    sr_ymd r;
    sr_civil_from_days(z, &r.year, &r.month, &r.day);
    return r;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

int sr_ymd_weekday(sr_ymd d)
{
    long z = sr_days_from_civil(d.year, d.month, d.day);
    return (int)(((z % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
}

sr_ymd sr_ymd_add_days(sr_ymd d, long days)
{
    return civil_from_days(sr_days_from_civil(d.year, d.month, d.day) + days);
}

bool sr_ymd_parse(const char *s, size_t len, sr_ymd *out)
{
    if (len < 10 || s[4] != '-' || s[7] != '-')
        return false;
    int v[8];
    static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; i++) {
        if (s[at[i]] < '0' || s[at[i]] > '9')
            return false;
        v[i] = s[at[i]] - '0';
    }
    if (len > 10 && s[10] >= '0' && s[10] <= '9')
        return false;
    sr_ymd d = {v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5], v[6] * 10 + v[7]};
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
        return false;
    *out = d;
    return true;
}

static sr_ymd month_shift(sr_ymd d, int months)
{
    int m = d.year * 12 + (d.month - 1) + months;
    sr_ymd r = {m / 12, m % 12 + 1, d.day};
    int dim = days_in_month(r.year, r.month);
    if (r.day > dim)
        r.day = dim;
    return r;
}

static sr_ymd week_start(sr_ymd d)
{
    return sr_ymd_add_days(d, -((sr_ymd_weekday(d) + 6) % 7));
}

/* The year that puts month/day nearest the document date; a day in the
 * future counts as twice as far, since news mostly reports what happened,
 * and a month alone ("in March") is the latest one not after the story:
 * a coming month is usually said so ("next March"). */
static int nearest_year(sr_ymd doc, int month, int day)
{
    if (!day)
        return month <= doc.month ? doc.year : doc.year - 1;
    long now = sr_days_from_civil(doc.year, doc.month, doc.day), best = -1;
    int year = doc.year;
    for (int y = doc.year - 1; y <= doc.year + 1; y++) {
        int dd = day ? day : days_in_month(y, month) / 2;
        if (dd > days_in_month(y, month))
            continue;
        long diff = sr_days_from_civil(y, month, dd) - now;
        long cost = diff < 0 ? -diff : 2 * diff;
        if (best < 0 || cost < best) {
            best = cost;
            year = y;
        }
    }
    return year;
}

/* ---- token tests ---- */

static size_t match_phrase(const struct ctx *c, size_t i, const char *const *words)
{
    size_t k = 0;
    for (; k < 3 && words[k]; k++)
        if (i + k >= c->n || !tok_is(c->s, &c->t[i + k], words[k]))
            return 0;
    return k;
}

/* Could a date expression start at token i? Most tokens fail this cheap
 * test, and the patterns are tried only on the rest. */
static bool may_start(const struct ctx *c, size_t i)
{
    return i < c->n && (c->t[i].kind == SR_TOKEN_NUMBER || c->roles[i]);
}

static unsigned role(const struct ctx *c, size_t i)
{
    return i < c->n ? c->roles[i] : 0;
}

static bool is(const struct ctx *c, size_t i, const char *word)
{
    return i < c->n && tok_is(c->s, &c->t[i], word);
}

static bool capitalised(const struct ctx *c, size_t i)
{
    return i < c->n && (c->t[i].flags & (SR_TOKEN_CAPITALISED | SR_TOKEN_ALL_CAPS));
}

/* A month name: "March", "Jan.", "Sept", "JANUARY". 1-12, or 0. */
static int month_at(const struct ctx *c, size_t i, bool *abbreviated)
{
    if (i >= c->n)
        return 0;
    sr_token t = c->t[i];
    mid_prefix(c->s, &t);
    if (!(t.flags & (SR_TOKEN_CAPITALISED | SR_TOKEN_ALL_CAPS)))
        return 0;
    int k = tok_in(c->s, &t, month_names);
    *abbreviated = false;
    if (k >= 0)
        return k + 1;
    if (t.end - t.start >= 2 && c->s[t.end - 1] == '.')
        t.end--;
    *abbreviated = true;
    if (tok_is(c->s, &t, "sept"))
        return 9;
    k = tok_in(c->s, &t, month_abbrevs);
    return k >= 0 ? k + 1 : 0;
}

/* A plain integer token ("5", "2013") or a day ordinal ("5th", "21st"). */
static int integer_at(const struct ctx *c, size_t i, bool allow_ordinal, size_t *digits)
{
    if (i >= c->n || c->t[i].kind != SR_TOKEN_NUMBER)
        return -1;
    const char *p = c->s + c->t[i].start;
    size_t n = c->t[i].end - c->t[i].start, k = 0;
    int v = 0;
    for (; k < n && k < 5 && p[k] >= '0' && p[k] <= '9'; k++)
        v = v * 10 + (p[k] - '0');
    *digits = k;
    if (k == n)
        return v;
    if (allow_ordinal && n - k == 2) {
        sr_token suffix = {.start = c->t[i].start + k, .end = c->t[i].end};
        if (tok_is(c->s, &suffix, "st") || tok_is(c->s, &suffix, "nd") || tok_is(c->s, &suffix, "rd") ||
            tok_is(c->s, &suffix, "th"))
            return v;
    }
    return -1;
}

static int year_at(const struct ctx *c, size_t i)
{
    size_t digits;
    int y = integer_at(c, i, false, &digits);
    return digits == 4 && y >= 1800 && y <= 2199 ? y : 0;
}

static int day_at(const struct ctx *c, size_t i)
{
    size_t digits;
    int d = integer_at(c, i, true, &digits);
    return digits >= 1 && digits <= 2 && d >= 1 && d <= 31 ? d : 0;
}

static void set(sr_date *d, const struct ctx *c, size_t i, size_t used, sr_ymd date,
                sr_date_precision p, unsigned flags)
{
    d->start = c->t[i].start;
    d->end = c->t[i + used - 1].end;
    d->date = date;
    d->precision = p;
    d->flags = flags;
}

/* ---- the expressions ---- */

static size_t calendar_date(const struct ctx *c, size_t i, sr_date *d);
static size_t weekday_date(const struct ctx *c, size_t i, sr_date *d);
static size_t relative_date(const struct ctx *c, size_t i, sr_date *d);
static size_t past_period(const struct ctx *c, size_t i, sr_date *d);
static size_t ago_date(const struct ctx *c, size_t i, sr_date *d);

/* The expression that starts at token i; returns the tokens it used. */
static size_t date_at(const struct ctx *c, size_t i, sr_date *d)
{
    if (i >= c->n)
        return 0;
    size_t used;
    if ((used = calendar_date(c, i, d)) || (used = weekday_date(c, i, d)) ||
        (used = relative_date(c, i, d)) || (used = past_period(c, i, d)) || (used = ago_date(c, i, d)))
        return used;
    return 0;
}

/* "2014-01-05", "January 5, 2014", "Jan. 5", "5 January 2014", "March
 * 2013", "in March", "in 2013", "in early 2013", "the 2004 battle". */
static size_t calendar_date(const struct ctx *c, size_t i, sr_date *d)
{
    if (!(c->t[i].kind == SR_TOKEN_NUMBER || (role(c, i) & (R_MONTH | R_EDGE | R_THE))))
        return 0;
    sr_ymd ymd;
    const sr_token *t = &c->t[i];
    if (t->kind == SR_TOKEN_NUMBER && sr_ymd_parse(c->s + t->start, t->end - t->start, &ymd)) {
        set(d, c, i, 1, ymd, SR_DATE_DAY, 0);
        return 1;
    }
    size_t j = i;
    bool has_prep = c->prep != PREP_NONE;
    if (has_prep && (is(c, j, "early") || is(c, j, "late") || is(c, j, "mid")))
        j++;
    int year = year_at(c, j);
    if (year && has_prep) {
        set(d, c, i, j - i + 1, (sr_ymd){year, 0, 0}, SR_DATE_YEAR, 0);
        return j - i + 1;
    }
    /* "the 2004 battle": a year used as an adjective, not a count */
    if (!has_prep && is(c, i, "the") && (year = year_at(c, i + 1)) && i + 2 < c->n &&
        c->t[i + 2].kind == SR_TOKEN_WORD && !(c->t[i + 2].flags & SR_TOKEN_CAPITALISED) &&
        (c->s[c->t[i + 2].end - 1] | 32) != 's' && (!c->have_doc || year <= c->doc.year)) {
        set(d, c, i + 1, 1, (sr_ymd){year, 0, 0}, SR_DATE_YEAR, 0);
        return 2;
    }
    int day = day_at(c, j), month;
    bool abbr;
    size_t k = j;
    if (day && (month = month_at(c, j + 1, &abbr))) {
        k = j + 2; /* 5 January */
    } else if ((month = month_at(c, j, &abbr))) {
        k = j + 1;
        day = day_at(c, k);
        if (day)
            k++;  /* January 5 */
        else if (abbr && c->s[c->t[j].end - 1] != '.' && !year_at(c, k))
            return 0; /* "Mar" or "Jan" alone is not a month */
    } else {
        return 0;
    }
    if (day && is(c, k, ",") && year_at(c, k + 1))
        k++;
    year = year_at(c, k);
    if (year)
        k++;
    /* "May" and "March" are also a verb; any month alone needs a preposition
     * ("in March") or a day or year beside it to be read as a date. */
    bool last = is(c, i - 1, "last"), next = is(c, i - 1, "next");
    if (!day && !year && !has_prep && !last && !next && !is(c, i - 1, "this"))
        return 0;
    unsigned flags = 0;
    if (!year) {
        if (!c->have_doc)
            return 0;
        year = nearest_year(c->doc, month, day);
        if (!day && last && month == c->doc.month)
            year--;
        if (!day && next)
            year = c->doc.year + (month <= c->doc.month);
        flags = SR_DATE_RELATIVE;
    }
    if (day && day > days_in_month(year, month))
        return 0;
    set(d, c, i, k - i, (sr_ymd){year, month, day}, day ? SR_DATE_DAY : SR_DATE_MONTH, flags);
    return k - i;
}

/* "Sunday", "on Sunday", "last Sunday", "next Sunday": news means the
 * latest such day on or before the story unless told otherwise. */
static size_t weekday_date(const struct ctx *c, size_t i, sr_date *d)
{
    if (!(role(c, i) & (R_REL | R_WEEKDAY)))
        return 0;
    size_t j = i;
    int dir = 0; /* -1 strictly before, 0 on or before, +1 after */
    if (is(c, j, "last") || is(c, j, "past")) {
        dir = -1;
        j++;
    } else if (is(c, j, "next") || is(c, j, "coming")) {
        dir = 1;
        j++;
    } else if (is(c, j, "this") && is(c, j + 1, "coming")) {
        dir = 1;
        j += 2;
    }
    if (!capitalised(c, j) || !c->have_doc)
        return 0;
    int wd = tok_in(c->s, &c->t[j], weekday_names);
    if (wd < 0)
        return 0;
    /* "Sunday, Jan. 5": the explicit date says it better */
    if (is(c, j + 1, ",")) {
        bool abbr;
        if (month_at(c, j + 2, &abbr) || day_at(c, j + 2))
            return 0;
    }
    int now = sr_ymd_weekday(c->doc);
    long shift;
    if (dir > 0) {
        shift = (wd - now + 7) % 7;
        if (shift == 0)
            shift = 7;
    } else {
        shift = -((now - wd + 7) % 7);
        if (dir < 0 && shift == 0)
            shift = -7;
    }
    set(d, c, i, j - i + 1, sr_ymd_add_days(c->doc, shift), SR_DATE_DAY, SR_DATE_RELATIVE);
    return j - i + 1;
}

/* "yesterday", "today", "last week", "this month", "next year",
 * "earlier this week", "last night", "this morning". */
static size_t relative_date(const struct ctx *c, size_t i, sr_date *d)
{
    if (!(role(c, i) & R_REL))
        return 0;
    /* "moved in last week": "in" adds nothing, so it stays out of the span */
    if (!c->have_doc || c->prep == PREP_AT)
        return 0;
    sr_ymd doc = c->doc;
    static const char *const days[] = {"yesterday", "today", "tonight", "tomorrow", NULL};
    static const long day_shift[] = {-1, 0, 0, 1};
    int k = tok_in(c->s, &c->t[i], days);
    if (k >= 0) {
        set(d, c, i, 1, sr_ymd_add_days(doc, day_shift[k]), SR_DATE_DAY, SR_DATE_RELATIVE);
        return 1;
    }
    size_t j = i + is(c, i, "earlier");
    int dir;
    if (is(c, j, "last") || is(c, j, "past"))
        dir = -1;
    else if (is(c, j, "this"))
        dir = 0;
    else if (is(c, j, "next"))
        dir = 1;
    else
        return 0;
    if (j + 1 >= c->n)
        return 0;
    const sr_token *u = &c->t[j + 1];
    size_t used = j - i + 2;
    if (tok_is(c->s, u, "night") && dir < 0)
        set(d, c, i, used, sr_ymd_add_days(doc, -1), SR_DATE_DAY, SR_DATE_RELATIVE);
    else if ((tok_is(c->s, u, "morning") || tok_is(c->s, u, "afternoon") || tok_is(c->s, u, "evening")) &&
             dir == 0)
        set(d, c, i, used, doc, SR_DATE_DAY, SR_DATE_RELATIVE);
    else if (tok_is(c->s, u, "week"))
        set(d, c, i, used, week_start(sr_ymd_add_days(doc, 7 * dir)), SR_DATE_WEEK, SR_DATE_RELATIVE);
    else if (tok_is(c->s, u, "month")) {
        sr_ymd m = month_shift(doc, dir);
        set(d, c, i, used, (sr_ymd){m.year, m.month, 0}, SR_DATE_MONTH, SR_DATE_RELATIVE);
    } else if (tok_is(c->s, u, "year"))
        set(d, c, i, used, (sr_ymd){doc.year + dir, 0, 0}, SR_DATE_YEAR, SR_DATE_RELATIVE);
    else
        return 0;
    return used;
}

/* A count of units: "three", "3", "a", "a few" (taken as three). */
static int count_at(const struct ctx *c, size_t i, size_t *used)
{
    size_t digits;
    int v = integer_at(c, i, false, &digits);
    *used = 1;
    if (v > 0 && v < 1000 && digits <= 3)
        return v;
    if (i >= c->n)
        return -1;
    int k = tok_in(c->s, &c->t[i], count_words);
    if (k > 0)
        return k;
    if (is(c, i, "a") || is(c, i, "an"))
        return is(c, i + 1, "few") ? (*used = 2, 3) : 1;
    if (is(c, i, "few") || is(c, i, "several"))
        return 3;
    return -1;
}

/* Shift the document date back by n units (day, week, month, year). */
static bool unit_back(const struct ctx *c, size_t i, int n, sr_ymd *out, sr_date_precision *p)
{
    static const char *const units[] = {"day", "days", "week", "weeks", "month", "months",
                                        "year", "years", NULL};
    int u = tok_in(c->s, &c->t[i], units);
    if (u < 0)
        return false;
    switch (u / 2) {
    case 0:
        *out = sr_ymd_add_days(c->doc, -n);
        *p = SR_DATE_DAY;
        break;
    case 1:
        *out = sr_ymd_add_days(c->doc, -7L * n);
        *p = SR_DATE_WEEK;
        break;
    case 2:
        *out = month_shift(c->doc, -n);
        *p = SR_DATE_MONTH;
        break;
    default:
        *out = month_shift(c->doc, -12 * n);
        *p = SR_DATE_YEAR;
    }
    return true;
}

/* "in the past year", "over the last three months", "during the past
 * week": a period reaching back from the story to now. */
static size_t past_period(const struct ctx *c, size_t i, sr_date *d)
{
    if (!(role(c, i) & R_THE))
        return 0;
    if (!c->have_doc || c->prep == PREP_NONE || !is(c, i, "the") ||
        !(is(c, i + 1, "past") || is(c, i + 1, "last")) || i + 2 >= c->n)
        return 0;
    size_t j = i + 2, used = 0;
    int n = count_at(c, j, &used);
    if (n > 0 && i + 2 + used < c->n)
        j += used;
    else
        n = 1;
    sr_ymd from;
    sr_date_precision p;
    if (j >= c->n || !unit_back(c, j, n, &from, &p))
        return 0;
    set(d, c, i, j - i + 1, from, SR_DATE_DAY, SR_DATE_RELATIVE | SR_DATE_PERIOD | SR_DATE_SINCE);
    return j - i + 1;
}

/* "three days ago", "a week ago", "two years ago". */
static size_t ago_date(const struct ctx *c, size_t i, sr_date *d)
{
    if (!(c->t[i].kind == SR_TOKEN_NUMBER || (role(c, i) & R_COUNT)))
        return 0;
    if (!c->have_doc || c->prep == PREP_AT)
        return 0;
    size_t used;
    int n = count_at(c, i, &used);
    if (n <= 0 || i + used + 1 >= c->n || !is(c, i + used + 1, "ago"))
        return 0;
    sr_ymd date;
    sr_date_precision p;
    if (!unit_back(c, i + used, n, &date, &p))
        return 0;
    if (p == SR_DATE_WEEK)
        date = week_start(date);
    else if (p == SR_DATE_MONTH)
        date.day = 0;
    else if (p == SR_DATE_YEAR)
        date.month = date.day = 0;
    set(d, c, i, used + 2, date, p, SR_DATE_RELATIVE);
    return used + 2;
}
