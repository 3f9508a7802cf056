/* Events written out: JSON (JSON Lines, the API), GeoJSON features and CSV
 * rows. One writer per format, shared by `sitrep export` and the server. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "sitrep/code.h"
#include "sitrep/store.h"
#include "sitrep/util.h"

const char *sr_store_precision_name(sr_store_precision p)
{
    static const char *const names[] = {"unknown", "second", "day", "week", "month", "year"};
    return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "unknown";
}

static void format_time(char *out, size_t n, int64_t t, const char *fmt)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, n, fmt, &tm))
        snprintf(out, n, "%s", "");
}

/* ---- JSON. ---------------------------------------------------------------- */

static void kv_count(sr_json *j, const char *key, int n)
{
    sr_json_key(j, key);
    if (n >= 0)
        sr_json_int(j, n);
    else
        sr_json_null(j);
}

static void kv_id(sr_json *j, const char *key, int64_t id)
{
    sr_json_key(j, key);
    if (id)
        sr_json_int(j, id);
    else
        sr_json_null(j);
}

static void kv_time(sr_json *j, const char *key, int64_t t)
{
    char s[32];
    format_time(s, sizeof s, t, "%Y-%m-%dT%H:%M:%SZ");
    sr_json_kv_string(j, key, s);
}

/* An actor as docs/api.md names it: the code and the words ("text"). */
static void actor_json(sr_json *j, const char *key, const sr_store_actor *a)
{
    sr_json_key(j, key);
    if (!a->code && !a->name) {
        sr_json_null(j);
        return;
    }
    sr_json_object_begin(j);
    sr_json_kv_string(j, "code", a->code);
    sr_json_kv_string(j, "text", a->name);
    sr_json_kv_string(j, "country", a->cc);
    sr_json_object_end(j);
}

/* "precision" is the granularity of the place (its kind), as in
 * docs/api.md; "precision_m" the uncertainty in metres when known. */
static void place_json(sr_json *j, const sr_store_event *e)
{
    sr_json_key(j, "place");
    if (!e->place_name && !e->cc && !isfinite(e->lat)) {
        sr_json_null(j);
        return;
    }
    sr_json_object_begin(j);
    sr_json_kv_string(j, "name", e->place_name);
    sr_json_kv_string(j, "kind", e->place_kind);
    sr_json_kv_string(j, "cc", e->cc);
    sr_json_kv_string(j, "admin1", e->admin1);
    sr_json_kv_double(j, "lat", e->lat, 6);
    sr_json_kv_double(j, "lon", e->lon, 6);
    kv_id(j, "geonameid", e->geonameid);
    sr_json_kv_string(j, "precision", e->place_kind);
    kv_count(j, "precision_m", e->geo_precision > 0 ? e->geo_precision : -1);
    sr_json_object_end(j);
}

void sr_store_event_json(sr_json *j, const sr_store_event *e)
{
    char day[16];
    format_time(day, sizeof day, e->date, "%Y-%m-%d");
    sr_json_object_begin(j);
    sr_json_kv_int(j, "id", e->id);
    sr_json_kv_int(j, "seq", e->seq);
    sr_json_kv_string(j, "date", day);
    sr_json_kv_string(j, "date_precision", sr_store_precision_name(e->date_precision));
    actor_json(j, "source", &e->actor1);
    actor_json(j, "target", &e->actor2);
    sr_json_kv_string(j, "cameo", e->cameo);
    sr_json_kv_string(j, "root", e->cameo_root);
    kv_count(j, "quad", e->quad > 0 ? e->quad : -1);
    sr_json_kv_double(j, "goldstein", e->goldstein, 1);
    sr_json_kv_string(j, "acled_type", e->acled_type);
    sr_json_kv_string(j, "acled_subtype", e->acled_subtype);
    sr_code_toll_json(j, "fatalities", &e->fatalities);
    sr_code_toll_json(j, "injuries", &e->injuries);
    place_json(j, e);
    sr_json_kv_bool(j, "negated", e->negated);
    sr_json_kv_string(j, "modality", e->modality);
    sr_json_kv_bool(j, "historical", e->historical);
    sr_json_key(j, "evidence");
    sr_json_object_begin(j);
    kv_id(j, "article", e->article_id);
    sr_json_kv_string(j, "url", e->source_url);
    sr_json_kv_string(j, "sentence", e->sentence);
    sr_json_kv_int(j, "start", e->sent_start);
    sr_json_kv_int(j, "end", e->sent_end);
    sr_json_object_end(j);
    sr_json_kv_int(j, "articles", e->num_articles);
    kv_id(j, "story", e->story_id);
    sr_json_kv_bool(j, "breaking", e->breaking);
    kv_time(j, "added", e->added);
    kv_time(j, "updated", e->updated);
    sr_json_object_end(j);
}

/* RFC 7946: positions are [longitude, latitude]; a Feature without a
 * location has a null geometry; no "crs" member. */
void sr_store_event_geojson(sr_json *j, const sr_store_event *e)
{
    sr_json_object_begin(j);
    sr_json_kv_string(j, "type", "Feature");
    sr_json_kv_int(j, "id", e->id);
    sr_json_key(j, "geometry");
    if (isfinite(e->lat) && isfinite(e->lon)) {
        sr_json_object_begin(j);
        sr_json_kv_string(j, "type", "Point");
        sr_json_key(j, "coordinates");
        sr_json_array_begin(j);
        sr_json_double(j, e->lon, 6);
        sr_json_double(j, e->lat, 6);
        sr_json_array_end(j);
        sr_json_object_end(j);
    } else {
        sr_json_null(j);
    }
    sr_json_key(j, "properties");
    sr_store_event_json(j, e);
    sr_json_object_end(j);
}

/* ---- CSV. ----------------------------------------------------------------- */

static const char *const csv_columns[] = {
    /* GDELT 2.0 event table names, for the columns that have a counterpart. */
    "GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "EventCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumArticles", "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
    /* ACLED-style columns, then sitrep's own. */
    "event_date", "time_precision", "event_type", "sub_event_type", "fatalities", "injuries",
    /* each toll's details, named as the JSON toll object's members */
    "fatalities_at_least", "fatalities_approximate", "fatalities_who", "fatalities_aggregate",
    "fatalities_historical", "injuries_at_least", "injuries_approximate", "injuries_who",
    "injuries_aggregate", "injuries_historical",
    "geo_precision", "notes", "negated", "historical", "modality", "date_precision", "story_id",
};

void sr_store_event_csv_header(sr_buf *out)
{
    for (size_t i = 0; i < sizeof csv_columns / sizeof csv_columns[0]; i++) {
        if (i)
            sr_buf_putc(out, ',');
        sr_buf_puts(out, csv_columns[i]);
    }
    sr_buf_puts(out, "\r\n");
}

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes
 * doubled. Invalid UTF-8 becomes U+FFFD like everywhere else. */
static void field(sr_buf *out, const char *s, bool first)
{
    if (!first)
        sr_buf_putc(out, ',');
    if (!s)
        return;
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (!sr_utf8_valid(s, n)) {
        sr_buf clean;
        sr_buf_init(&clean, n * 3 + 4);
        sr_utf8_sanitize(&clean, s, n);
        field(out, clean.data ? clean.data : "", true);
        sr_buf_free(&clean);
        return;
    }
    if (!quote) {
        sr_buf_append(out, s, n);
        return;
    }
    sr_buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            sr_buf_putc(out, '"');
        sr_buf_putc(out, *s);
    }
    sr_buf_putc(out, '"');
}

static void field_fmt(sr_buf *out, bool present, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void field_fmt(sr_buf *out, bool present, const char *fmt, ...)
{
    sr_buf_putc(out, ',');
    if (!present)
        return;
    va_list ap;
    va_start(ap, fmt);
    sr_buf_vprintf(out, fmt, ap);
    va_end(ap);
}

static bool is_kind(const char *kind, const char *want)
{
    return kind && strcmp(kind, want) == 0;
}

/* GDELT ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city,
 * 5 world state (first-order division). */
static int gdelt_geo_type(const sr_store_event *e)
{
    bool us = e->cc && strcmp(e->cc, "US") == 0;
    if (is_kind(e->place_kind, "country"))
        return 1;
    if (is_kind(e->place_kind, "admin1") || is_kind(e->place_kind, "admin2"))
        return us ? 2 : 5;
    if (e->place_kind || isfinite(e->lat))
        return us ? 3 : 4;
    return 0;
}

/* ACLED time_precision: 1 the day is known, 2 within a week, 3 the month. */
static int acled_time_precision(sr_store_precision p)
{
    return p == SR_PREC_SECOND || p == SR_PREC_DAY ? 1 : p == SR_PREC_WEEK ? 2 : p ? 3 : 0;
}

/* ACLED geo_precision: 1 the town itself, 2 a part of a region or near a
 * town, 3 only the province or country. */
static int acled_geo_precision(const sr_store_event *e)
{
    if (!e->place_kind)
        return 0;
    if (is_kind(e->place_kind, "country") || is_kind(e->place_kind, "admin1"))
        return 3;
    return is_kind(e->place_kind, "admin2") ? 2 : 1;
}

/* A toll's details as 0/1 flags and the words for who; all empty when no
 * figure was stated, as the JSON gives null for the whole toll. */
static void toll_fields(sr_buf *out, const sr_code_toll *t)
{
    bool stated = t->value >= 0;
    field_fmt(out, stated, "%d", t->at_least);
    field_fmt(out, stated, "%d", t->approximate);
    field(out, stated ? t->who : NULL, false);
    field_fmt(out, stated, "%d", t->aggregate);
    field_fmt(out, stated, "%d", t->historical);
}

void sr_store_event_csv(sr_buf *out, const sr_store_event *e)
{
    char sqldate[16], added[20], day[16];
    format_time(sqldate, sizeof sqldate, e->date, "%Y%m%d");
    format_time(added, sizeof added, e->added, "%Y%m%d%H%M%S");
    format_time(day, sizeof day, e->date, "%Y-%m-%d");
    bool located = isfinite(e->lat) && isfinite(e->lon);
    int geo_type = gdelt_geo_type(e);
    sr_buf_printf(out, "%lld,%s", (long long)e->id, sqldate);
    field(out, e->actor1.code, false);
    field(out, e->actor1.name, false);
    field(out, e->actor1.cc, false);
    field(out, e->actor2.code, false);
    field(out, e->actor2.name, false);
    field(out, e->actor2.cc, false);
    field(out, e->cameo, false);
    field(out, e->cameo_root, false);
    field_fmt(out, e->quad > 0, "%d", e->quad);
    field_fmt(out, isfinite(e->goldstein), "%.1f", e->goldstein);
    field_fmt(out, true, "%d", e->num_articles);
    field_fmt(out, geo_type > 0, "%d", geo_type);
    field(out, e->place_name, false);
    field(out, e->cc, false);
    field(out, e->admin1, false);
    field_fmt(out, located, "%.6f", e->lat);
    field_fmt(out, located, "%.6f", e->lon);
    field_fmt(out, e->geonameid != 0, "%lld", (long long)e->geonameid);
    field(out, added, false);
    field(out, e->source_url, false);
    field(out, day, false);
    int tp = acled_time_precision(e->date_precision), gp = acled_geo_precision(e);
    field_fmt(out, tp > 0, "%d", tp);
    field(out, e->acled_type, false);
    field(out, e->acled_subtype, false);
    field_fmt(out, e->fatalities.value >= 0, "%d", e->fatalities.value);
    field_fmt(out, e->injuries.value >= 0, "%d", e->injuries.value);
    toll_fields(out, &e->fatalities);
    toll_fields(out, &e->injuries);
    field_fmt(out, gp > 0, "%d", gp);
    field(out, e->sentence, false);
    field_fmt(out, true, "%d", e->negated ? 1 : 0);
    field_fmt(out, true, "%d", e->historical ? 1 : 0);
    field(out, e->modality, false);
    field(out, sr_store_precision_name(e->date_precision), false);
    field_fmt(out, e->story_id != 0, "%lld", (long long)e->story_id);
    sr_buf_puts(out, "\r\n");
}
