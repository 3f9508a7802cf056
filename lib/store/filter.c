#define _GNU_SOURCE  /* strptime, timegm */
/* Filters as users write them — `--since 2014-01-03` on the command line,
 * `since=2014-01-03` in a URL — read in one place, and the same filter
 * applied to one event in memory (for live streams). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "sitrep/store.h"

static bool parse_time(const char *s, bool end_of_day, int64_t *out)
{
    char *end;
    if (s[0] == '@') {
        errno = 0;
        long long v = strtoll(s + 1, &end, 10);
        *out = v;
        return !errno && end != s + 1 && !*end;
    }
    struct tm tm = {0};
    end = strptime(s, "%Y-%m-%d", &tm);
    if (!end)
        return false;
    bool bare_date = !*end;
    if (!bare_date) {
        end = strptime(end, "T%H:%M:%S", &tm);
        if (!end || (*end && strcmp(end, "Z") != 0))
            return false;
    }
    *out = (int64_t)timegm(&tm) + (bare_date && end_of_day ? 86400 : 0);
    return true;
}

static bool parse_count(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 1000000000)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_bbox(const char *s, sr_store_filter *f)
{
    char *end;
    double v[4];
    for (int i = 0; i < 4; i++) {
        errno = 0;
        v[i] = strtod(s, &end);
        if (errno || end == s || !isfinite(v[i]) || (i < 3 ? *end != ',' : *end != '\0'))
            return false;
        s = end + 1;
    }
    if (v[0] < -180 || v[0] > 180 || v[2] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[1] > v[3])
        return false;
    f->has_bbox = true;
    f->west = v[0], f->south = v[1], f->east = v[2], f->north = v[3];
    return true;
}

/* Codes are short tokens of letters, digits, '.', '-' and '_': anything else
 * is a typo or an attack, and is refused rather than searched for. */
static bool is_code(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!n || n > max)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
            return false;
    return true;
}

sr_err sr_store_filter_set(sr_store_filter *f, const char *key, const char *value,
                           char *err, size_t errlen)
{
    const char *why = NULL;
    if (strcmp(key, "since") == 0 || strcmp(key, "until") == 0) {
        bool until = key[0] == 'u';
        if (!parse_time(value, until, until ? &f->until : &f->since))
            why = "is not YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @SECONDS";
        else if (until)
            f->has_until = true;
        else
            f->has_since = true;
    } else if (strcmp(key, "bbox") == 0) {
        if (!parse_bbox(value, f))
            why = "is not WEST,SOUTH,EAST,NORTH in degrees";
    } else if (strcmp(key, "country") == 0) {
        if (!is_code(value, 3))
            why = "is not a country code";
        f->country = value;
    } else if (strcmp(key, "admin1") == 0) {
        f->admin1 = value;
    } else if (strcmp(key, "root") == 0) {
        if (!is_code(value, 2))
            why = "is not a CAMEO root (two digits)";
        f->cameo_root = value;
    } else if (strcmp(key, "cameo") == 0) {
        if (!is_code(value, 4))
            why = "is not a CAMEO code";
        f->cameo = value;
    } else if (strcmp(key, "acled_type") == 0 || strcmp(key, "type") == 0) {
        f->acled_type = value;
    } else if (strcmp(key, "acled_subtype") == 0 || strcmp(key, "subtype") == 0) {
        f->acled_subtype = value;
    } else if (strcmp(key, "actor") == 0) {
        if (!is_code(value, 32))
            why = "is not a CAMEO actor code";
        f->actor = value;
    } else if (strcmp(key, "min_fatalities") == 0 || strcmp(key, "min-fatalities") == 0) {
        if (!parse_count(value, &f->min_fatalities))
            why = "is not a count";
    } else if (strcmp(key, "q") == 0 || strcmp(key, "query") == 0) {
        if (strlen(value) > 1000)
            why = "is longer than 1000 bytes";
        f->q = value;
    } else if (strcmp(key, "limit") == 0) {
        if (!parse_count(value, &f->limit))
            why = "is not a count";
    } else {
        snprintf(err, errlen, "unknown filter '%s'", key);
        return SR_EINVAL;
    }
    if (why) {
        snprintf(err, errlen, "%s '%.100s' %s", key, value, why);
        return SR_EINVAL;
    }
    return SR_OK;
}

const char *const sr_store_filter_keys[] = {
    "since", "until", "bbox", "country", "admin1", "root", "cameo", "acled_type",
    "acled_subtype", "actor", "min_fatalities", "q", NULL,
};

static bool prefix_of(const char *prefix, const char *s)
{
    return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool in_bbox(const sr_store_filter *f, double lat, double lon)
{
    if (!isfinite(lat) || !isfinite(lon) || lat < f->south || lat > f->north)
        return false;
    if (f->west <= f->east)
        return lon >= f->west && lon <= f->east;
    return lon >= f->west || lon <= f->east;  /* crosses the antimeridian */
}

bool sr_store_event_matches(const sr_store_filter *f, const sr_store_event *e)
{
    if ((f->has_since && e->date < f->since) || (f->has_until && e->date >= f->until))
        return false;
    if (f->has_bbox && !in_bbox(f, e->lat, e->lon))
        return false;
    if (f->country && !(e->cc && strcasecmp(f->country, e->cc) == 0))
        return false;
    if (f->admin1 && !(e->admin1 && strcasecmp(f->admin1, e->admin1) == 0))
        return false;
    if (f->cameo_root && !(e->cameo && strncmp(e->cameo, f->cameo_root, 2) == 0))
        return false;
    if (f->cameo && !prefix_of(f->cameo, e->cameo))
        return false;
    if (f->acled_type && !(e->acled_type && strcasecmp(f->acled_type, e->acled_type) == 0))
        return false;
    if (f->acled_subtype && !(e->acled_subtype && strcasecmp(f->acled_subtype, e->acled_subtype) == 0))
        return false;
    if (f->actor && !prefix_of(f->actor, e->actor1.code) && !prefix_of(f->actor, e->actor2.code))
        return false;
    if (f->story_id && e->story_id != f->story_id)
        return false;
    if (f->min_fatalities > 0 && sr_store_event_own_fatalities(e) < f->min_fatalities)
        return false;
    /* Words: the evidence sentence stands in for the full text of the
     * supporting articles, which a live event does not carry. */
    if (f->q && !(e->sentence && strcasestr(e->sentence, f->q)))
        return false;
    return true;
}

/* The same rule as the SQL of min_fatalities (sqlite_events.c). */
int sr_store_event_own_fatalities(const sr_store_event *e)
{
    const sr_code_toll *t = &e->fatalities;
    return t->aggregate || t->historical || e->historical ? -1 : t->value;
}
