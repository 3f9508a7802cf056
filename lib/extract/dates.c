/* Dates as pages write them, turned into ISO 8601 with an honest precision.
 * Forms: ISO 8601 / RFC 3339 (what JSON-LD and article:published_time use),
 * RFC 2822 ("Fri, 02 Aug 2019 12:00:00 GMT"), "August 2, 2019",
 * "2 August 2019", "2. August 2019", "02.08.2019", "2019/08/02", and dates
 * in URL paths (/2019/08/02/, /2019-08-02-, /20190802/). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "extract_int.h"

static bool parse_iso(const char *s, char *iso, size_t isosz, sr_date_precision *p);
static bool parse_words(const char *s, char *iso, size_t isosz);
static int month_name(const char *s, size_t n);
static bool valid_ymd(int y, int m, int d);
static bool four_digits(const char *s);

sr_date_precision sr_date_parse(const char *s, char *iso, size_t isosz)
{
    if (!s)
        return SR_DATE_NONE;
    while (isspace((unsigned char)*s))
        s++;
    sr_date_precision p;
    if (parse_iso(s, iso, isosz, &p))
        return p;
    if (parse_words(s, iso, isosz))
        return SR_DATE_DAY;
    return SR_DATE_NONE;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool parse_iso(const char *s, char *iso, size_t isosz, sr_date_precision *p)
{
    int y = digits(s, 4);
    if (y < 1900 || y > 2100)
        return false;
    const char *q = s + 4;
    char sep = *q;
    int m, d;
    if (sep == '-' || sep == '/' || sep == '.') {
        m = digits(q + 1, 2);
        if (m < 1 || m > 12)
            return false;
        q += 3;
        if (*q != sep || (d = digits(q + 1, 2)) < 1) {
            if (isdigit((unsigned char)*q))
                return false;
            snprintf(iso, isosz, "%04d-%02d", y, m);
            *p = SR_DATE_MONTH;
            return true;
        }
        q += 3;
    } else if (isdigit((unsigned char)*q)) {
        m = digits(q, 2);
        d = digits(q + 2, 2);
        q += 4;
        if (isdigit((unsigned char)*q))
            return false;
    } else {
        if (isalnum((unsigned char)*q))
            return false;
        snprintf(iso, isosz, "%04d", y);
        *p = SR_DATE_YEAR;
        return true;
    }
    if (!valid_ymd(y, m, d))
        return false;
    int hh, mm, ss = 0;
    if ((*q == 'T' || *q == ' ') && (hh = digits(q + 1, 2)) >= 0 && q[3] == ':' &&
        (mm = digits(q + 4, 2)) >= 0 && hh < 24 && mm < 60) {
        q += 6;
        if (*q == ':' && digits(q + 1, 2) >= 0) {
            ss = digits(q + 1, 2);
            q += 3;
        }
        if (*q == '.' || *q == ',')
            for (q++; isdigit((unsigned char)*q); q++)
                ;
        while (*q == ' ')
            q++;
        char tz[8] = "";
        int th, tm = 0;
        if (*q == 'Z' || *q == 'z' || !strncmp(q, "UTC", 3) || !strncmp(q, "GMT", 3)) {
            strcpy(tz, "Z");
        } else if ((*q == '+' || *q == '-') && (th = digits(q + 1, 2)) >= 0 && th < 24) {
            const char *r = q + 3;
            if (*r == ':')
                r++;
            if (digits(r, 2) >= 0)
                tm = digits(r, 2);
            snprintf(tz, sizeof tz, "%c%02d:%02d", *q, th % 24, tm % 60);
        }
        snprintf(iso, isosz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, hh, mm, ss, tz);
        *p = SR_DATE_SECOND;
        return true;
    }
    snprintf(iso, isosz, "%04d-%02d-%02d", y, m, d);
    *p = SR_DATE_DAY;
    return true;
}

/* English, German, French, Spanish month names and their common abbreviations:
 * the languages of most of the news sitrep reads in Latin script. */
static const char *const months[][6] = {
    {"january", "jan", "januar", "janvier", "enero", "jänner"},
    {"february", "feb", "februar", "février", "febrero", "fevrier"},
    {"march", "mar", "märz", "mars", "marzo", "maerz"},
    {"april", "apr", "avril", "abril", "", ""},
    {"may", "mai", "mayo", "", "", ""},
    {"june", "jun", "juni", "juin", "junio", ""},
    {"july", "jul", "juli", "juillet", "julio", ""},
    {"august", "aug", "août", "agosto", "aout", ""},
    {"september", "sep", "sept", "septembre", "septiembre", ""},
    {"october", "oct", "oktober", "okt", "octobre", "octubre"},
    {"november", "nov", "novembre", "noviembre", "", ""},
    {"december", "dec", "dezember", "dez", "décembre", "diciembre"},
};

static int month_name(const char *s, size_t n)
{
    char w[16];
    if (n == 0 || n >= sizeof w)
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)s[i]);
    w[n] = 0;
    /* every word of every line tried as a date comes here: the first
     * letter turns most names away before a strcmp */
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 6; k++)
            if (months[m][k][0] == w[0] && !strcmp(w, months[m][k]))
                return m + 1;
    return 0;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

/* Token scan: numbers and words; the first (day, month, year) triple that
 * fits one of the written forms wins. */
typedef struct tok {
    int num;      /* -1 for a word */
    int month;    /* month number for a month word */
    int ndig;
    char after;   /* the character right after the token */
} tok;

static bool parse_words(const char *s, char *iso, size_t isosz)
{
    /* every form ends in a year token of four digits, which needs four
     * digits in a row: most lines tried have none, and need no tokens */
    if (!four_digits(s))
        return false;
    tok t[24];
    int n = 0;
    for (const char *p = s; *p && n < 24 && p - s < 400;) {
        if (isdigit((unsigned char)*p)) {
            const char *q = p;
            int v = 0;
            while (isdigit((unsigned char)*q) && q - p < 6)
                v = v * 10 + (*q++ - '0');
            t[n++] = (tok){v, 0, (int)(q - p), *q};
            p = q;
        } else if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80) {
            const char *q = p;
            while (isalpha((unsigned char)*q) || (unsigned char)*q >= 0x80)
                q++;
            t[n++] = (tok){-1, month_name(p, (size_t)(q - p)), 0, *q};
            p = q;
        } else {
            p++;
        }
    }
    for (int i = 0; i + 2 < n; i++) {
        int y = 0, m = 0, d = 0;
        if (t[i].num >= 0 && t[i + 1].month && t[i + 2].ndig == 4) {          /* 2 August 2019 */
            d = t[i].num, m = t[i + 1].month, y = t[i + 2].num;
        } else if (t[i].month && t[i + 1].num >= 0 && t[i + 1].ndig <= 2 &&
                   t[i + 2].ndig == 4) {                                           /* August 2, 2019 */
            m = t[i].month, d = t[i + 1].num, y = t[i + 2].num;
        } else if (t[i].ndig <= 2 && t[i].num > 0 && t[i].after == '.' && t[i + 1].ndig <= 2 &&
                   t[i + 1].num > 0 && t[i + 1].after == '.' && t[i + 2].ndig == 4) { /* 02.08.2019 */
            d = t[i].num, m = t[i + 1].num, y = t[i + 2].num;
        } else if (t[i].ndig <= 2 && t[i].after == '/' && t[i + 1].ndig <= 2 && t[i + 2].ndig == 4) {
            /* 08/02/2019: month first, as US pages write it, unless that cannot be */
            m = t[i].num, d = t[i + 1].num, y = t[i + 2].num;
            if (m > 12) {
                int x = m; m = d; d = x;
            }
        }
        if (y && valid_ymd(y, m, d)) {
            snprintf(iso, isosz, "%04d-%02d-%02d", y, m, d);
            return true;
        }
    }
    return false;
}

/* Four digits in a row where parse_words reads tokens (a token starts in
 * the first 400 bytes). */
static bool four_digits(const char *s)
{
    int run = 0;
    for (size_t i = 0; s[i] && i < 406; i++) {
        run = isdigit((unsigned char)s[i]) ? run + 1 : 0;
        if (run == 4)
            return true;
    }
    return false;
}

/* The first day-precise date written anywhere in a text (a dateline, a
 * "Published 2 August 2019" line). */
bool sr_date_find(const char *s, size_t n, char *iso, size_t isosz)
{
    if (n > 4000)
        n = 4000;
    char buf[256];
    for (size_t i = 0; i < n;) {
        size_t k = n - i < sizeof buf - 1 ? n - i : sizeof buf - 1;
        memcpy(buf, s + i, k);
        buf[k] = 0;
        for (size_t j = 0; j + 10 <= k; j++) {
            sr_date_precision p;
            if ((j == 0 || !isalnum((unsigned char)buf[j - 1])) && isdigit((unsigned char)buf[j]) &&
                parse_iso(buf + j, iso, isosz, &p) && p >= SR_DATE_DAY)
                return true;
        }
        if (parse_words(buf, iso, isosz))
            return true;
        if (i + k >= n)
            break;
        i += k > 80 ? k - 80 : k;   /* overlap so a date across the cut is seen */
        while (i < n && isalnum((unsigned char)s[i]))
            i++;
    }
    return false;
}

sr_date_precision sr_date_from_url(const char *url, char *iso, size_t isosz)
{
    if (!url)
        return SR_DATE_NONE;
    const char *path = strstr(url, "://");
    path = path ? strchr(path + 3, '/') : url;
    for (const char *p = path; p && *p; p++) {
        if (*p != '/' && *p != '-' && *p != '_')
            continue;
        const char *q = p + 1;
        int y = digits(q, 4);
        if (y < 1990 || y > 2100)
            continue;
        char sep = q[4];
        int m, d = -1;
        if ((sep == '/' || sep == '-' || sep == '_') && (m = digits(q + 5, 2)) >= 1 && m <= 12) {
            if (q[7] == sep)
                d = digits(q + 8, 2);
            if (d >= 1 && valid_ymd(y, m, d) && !isdigit((unsigned char)q[10])) {
                snprintf(iso, isosz, "%04d-%02d-%02d", y, m, d);
                return SR_DATE_DAY;
            }
            if (!isdigit((unsigned char)q[7])) {
                snprintf(iso, isosz, "%04d-%02d", y, m);
                return SR_DATE_MONTH;
            }
        } else if ((m = digits(q + 4, 2)) >= 1 && (d = digits(q + 6, 2)) >= 1 &&
                   !isdigit((unsigned char)q[8]) && valid_ymd(y, m, d)) {
            snprintf(iso, isosz, "%04d-%02d-%02d", y, m, d);
            return SR_DATE_DAY;
        }
    }
    return SR_DATE_NONE;
}
