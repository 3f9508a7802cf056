/* Feed dates to ISO 8601 UTC. Feeds use RFC 822 (RSS 2.0, with every
 * liberty: no weekday, two-digit years, zone names, no seconds) or RFC 3339
 * (Atom, JSON Feed, dc:date, sitemaps: often without a zone or seconds). A
 * time without a zone is taken as UTC. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

struct when {
    int year, mon, day, hour, min, sec;
    int offset_min;     /* east of UTC */
    bool has_time;
};

static bool parse_iso(const char *s, struct when *w);
static bool parse_rfc822(const char *s, struct when *w);
static void write_utc(const struct when *w, char out[32]);

bool sr_date_iso8601(const char *text, char out[32])
{
    out[0] = 0;
    if (!text)
        return false;
    while (isspace((unsigned char)*text))
        text++;
    struct when w = {0};
    if (!parse_iso(text, &w) && !parse_rfc822(text, &w))
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (w.year < 1000 || w.year > 9999 || w.mon < 1 || w.mon > 12 || w.day < 1 ||
        w.day > mdays[w.mon - 1] || w.hour > 24 || w.min > 59 || w.sec > 60)
        return false;
    write_utc(&w, out);
    return true;
}

/* Read exactly n digits. */
static bool digits(const char **s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        x = x * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *v = x;
    return true;
}

static bool parse_zone_offset(const char **s, int *offset)
{
    const char *p = *s;
    if (*p == 'Z' || *p == 'z') {
        *offset = 0;
        *s = p + 1;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p == '-' ? -1 : 1, h, m = 0;
    p++;
    if (!digits(&p, 2, &h))
        return false;
    if (*p == ':')
        p++;
    if (isdigit((unsigned char)*p) && !digits(&p, 2, &m))
        return false;
    if (h > 23 || m > 59)
        return false;
    *offset = sign * (h * 60 + m);
    *s = p;
    return true;
}

static bool parse_iso(const char *s, struct when *w)
{
    if (!digits(&s, 4, &w->year) || *s++ != '-' || !digits(&s, 2, &w->mon))
        return false;
    if (*s++ != '-' || !digits(&s, 2, &w->day))
        return false;
    if (*s != 'T' && *s != 't' && *s != ' ')
        return *s == 0 || isspace((unsigned char)*s);
    s++;
    if (!digits(&s, 2, &w->hour) || *s++ != ':' || !digits(&s, 2, &w->min))
        return false;
    w->has_time = true;
    if (*s == ':') {
        s++;
        if (!digits(&s, 2, &w->sec))
            return false;
        if (*s == '.' || *s == ',')
            for (s++; isdigit((unsigned char)*s); s++)
                ;
    }
    while (*s == ' ')
        s++;
    if (*s && !parse_zone_offset(&s, &w->offset_min)) {
        if (strncasecmp(s, "UTC", 3) && strncasecmp(s, "GMT", 3))
            return false;
    }
    return true;
}

static int month_of(const char *s)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, names[i], 3) == 0)
            return i + 1;
    return 0;
}

/* RFC 822 5.1 zone names, plus what feeds write in their place. */
static bool zone_name(const char *z, int *offset)
{
    static const struct { const char *name; int hours; } zones[] = {
        {"GMT", 0}, {"UT", 0}, {"UTC", 0}, {"Z", 0},
        {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
        {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
        {"BST", 1}, {"CET", 1}, {"CEST", 2}, {"IST", 5}, {"JST", 9},
    };
    size_t n = 0;
    while (isalpha((unsigned char)z[n]))
        n++;
    for (size_t k = 0; k < sizeof zones / sizeof *zones; k++)
        if (strlen(zones[k].name) == n && strncasecmp(z, zones[k].name, n) == 0) {
            *offset = zones[k].hours * 60;
            /* IST is India's in news feeds; half an hour more. */
            if (strcmp(zones[k].name, "IST") == 0)
                *offset += 30;
            return true;
        }
    return false;
}

static bool parse_rfc822(const char *s, struct when *w)
{
    /* Optional weekday: letters followed by a comma or a space. */
    if (isalpha((unsigned char)*s)) {
        while (isalpha((unsigned char)*s))
            s++;
        if (*s == ',')
            s++;
        while (*s == ' ')
            s++;
    }
    char mon[16];
    int n = 0;
    if (sscanf(s, "%d %15[A-Za-z] %d%n", &w->day, mon, &w->year, &n) != 3)
        return false;
    const char *year_end = s + n;
    const char *ys = year_end;
    while (ys > s && isdigit((unsigned char)ys[-1]))
        ys--;
    if (year_end - ys == 2)
        w->year += w->year < 50 ? 2000 : 1900;
    if (!(w->mon = month_of(mon)))
        return false;
    s = year_end;
    while (*s == ' ')
        s++;
    if (!*s)
        return true;
    if (!digits(&s, 2, &w->hour) && !(s[1] == ':' && digits(&s, 1, &w->hour)))
        return false;
    if (*s++ != ':' || !digits(&s, 2, &w->min))
        return false;
    w->has_time = true;
    if (*s == ':') {
        s++;
        if (!digits(&s, 2, &w->sec))
            return false;
    }
    while (*s == ' ')
        s++;
    if (*s && !parse_zone_offset(&s, &w->offset_min) && !zone_name(s, &w->offset_min))
        return false;
    return true;
}

static void write_utc(const struct when *w, char out[32])
{
    if (!w->has_time) {
        snprintf(out, 32, "%04d-%02d-%02d", w->year, w->mon, w->day);
        return;
    }
    long long t = (long long)sr_days_from_civil(w->year, w->mon, w->day) * 86400 +
                  w->hour * 3600 + w->min * 60 + (w->sec > 59 ? 59 : w->sec) -
                  (long long)w->offset_min * 60;
    long days = (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    long secs = (long)(t - (long long)days * 86400);
    int y, m, d;
    sr_civil_from_days(days, &y, &m, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", (y % 10000 + 10000) % 10000, m % 13, d % 32,
             (int)(secs / 3600 % 24), (int)(secs / 60 % 60), (int)(secs % 60));
}
