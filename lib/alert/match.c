/* Whether an event matches a subscription, and subscriptions read from JSON.
 * The index (index.c) only narrows the candidates; this is the test. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "sitrep/alert.h"
#include "match.h"

#define EARTH_RADIUS_KM 6371.0088 /* IUGG mean radius */

static bool region_matches(const sr_alert_region *r, const sr_alert_event *ev);
static bool any_prefix(const char *const *prefixes, size_t n, const char *code);
static bool any_equal(const char *const *names, size_t n, const char *name);
static bool any_word(const char *const *words, size_t n, const char *text);

void sr_alert_event_init(sr_alert_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->lat = ev->lon = NAN;
    ev->fatalities = -1;
}

bool sr_alert_sub_matches(const sr_alert_sub *sub, const sr_alert_event *ev)
{
    if (!region_matches(&sub->region, ev))
        return false;
    if (sub->min_fatalities > 0 && ev->fatalities < sub->min_fatalities)
        return false;
    if (sub->n_acled_types && !any_equal(sub->acled_types, sub->n_acled_types, ev->acled_type))
        return false;
    if (sub->n_cameo && !any_prefix(sub->cameo, sub->n_cameo, ev->cameo))
        return false;
    if (sub->n_actors) {
        bool found = false;
        for (size_t i = 0; i < ev->n_actors && i < SR_ALERT_MAX_ACTORS && !found; i++)
            found = any_prefix(sub->actors, sub->n_actors, ev->actors[i]);
        if (!found)
            return false;
    }
    if (sub->n_words && !any_word(sub->words, sub->n_words, ev->text))
        return false;
    return true;
}

bool sr_alert_event_has_point(const sr_alert_event *ev)
{
    return isfinite(ev->lat) && isfinite(ev->lon) && fabs(ev->lat) <= 90 && fabs(ev->lon) <= 180;
}

bool sr_alert_region_valid(const sr_alert_region *r)
{
    switch (r->kind) {
    case SR_REGION_ANY:
        return true;
    case SR_REGION_BBOX:
        return fabs(r->west) <= 180 && fabs(r->east) <= 180 && fabs(r->south) <= 90 &&
               fabs(r->north) <= 90 && r->south <= r->north;
    case SR_REGION_RADIUS:
        return fabs(r->lat) <= 90 && fabs(r->lon) <= 180 && r->radius_km > 0 &&
               r->radius_km <= 20038;
    case SR_REGION_COUNTRY:
    case SR_REGION_ADMIN1:
        if (!(r->cc[0] >= 'A' && r->cc[0] <= 'Z' && r->cc[1] >= 'A' && r->cc[1] <= 'Z' && !r->cc[2]))
            return false;
        return r->kind == SR_REGION_COUNTRY || (r->admin1 && *r->admin1);
    }
    return false;
}

double sr_alert_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * EARTH_RADIUS_KM * asin(fmin(1.0, sqrt(h)));
}

static bool same_country(const char *cc, const char *ev_cc)
{
    return ev_cc && strlen(ev_cc) == 2 && strcasecmp(cc, ev_cc) == 0;
}

static bool region_matches(const sr_alert_region *r, const sr_alert_event *ev)
{
    switch (r->kind) {
    case SR_REGION_ANY:
        return true;
    case SR_REGION_BBOX:
        if (!sr_alert_event_has_point(ev) || ev->lat < r->south || ev->lat > r->north)
            return false;
        if (r->west <= r->east)
            return ev->lon >= r->west && ev->lon <= r->east;
        return ev->lon >= r->west || ev->lon <= r->east; /* crosses 180° */
    case SR_REGION_RADIUS:
        return sr_alert_event_has_point(ev) &&
               sr_alert_distance_km(r->lat, r->lon, ev->lat, ev->lon) <= r->radius_km;
    case SR_REGION_COUNTRY:
        return same_country(r->cc, ev->cc);
    case SR_REGION_ADMIN1:
        return same_country(r->cc, ev->cc) && ev->admin1 && strcasecmp(r->admin1, ev->admin1) == 0;
    }
    return false;
}

/* CAMEO codes nest by prefix, actors ("IRQ" ⊃ "IRQMIL") and events ("19" ⊃
 * "193") alike, so following a prefix follows everything under it. */
static bool any_prefix(const char *const *prefixes, size_t n, const char *code)
{
    if (!code)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strncasecmp(code, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static bool any_equal(const char *const *names, size_t n, const char *name)
{
    if (!name)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(names[i], name) == 0)
            return true;
    return false;
}

/* ---- words ---------------------------------------------------------------- */

static bool is_word_char(int32_t cp)
{
    if (cp < 0)
        return false;
    if (cp < 128)
        return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Does `word` occur at text[at] with both ends on a word boundary? Case is
 * folded code point by code point (utf8proc's simple lower case). */
static bool word_at(const char *text, size_t len, size_t at, const char *word, size_t wlen)
{
    size_t i = at, j = 0;
    while (j < wlen) {
        if (i >= len)
            return false;
        int32_t a = sr_utf8_decode(text, len, &i), b = sr_utf8_decode(word, wlen, &j);
        if (a < 0 || b < 0 || utf8proc_tolower(a) != utf8proc_tolower(b))
            return false;
    }
    size_t k = i;
    return i >= len || !is_word_char(sr_utf8_decode(text, len, &k));
}

static bool any_word(const char *const *words, size_t n, const char *text)
{
    if (!text)
        return false;
    size_t len = strlen(text), i = 0;
    bool boundary = true;
    while (i < len) {
        size_t start = i;
        int32_t cp = sr_utf8_decode(text, len, &i);
        if (boundary)
            for (size_t w = 0; w < n; w++)
                if (words[w][0] && word_at(text, len, start, words[w], strlen(words[w])))
                    return true;
        boundary = !is_word_char(cp);
    }
    return false;
}

/* ---- JSON ------------------------------------------------------------------ */

#define MAX_JSON 65536   /* bytes of criteria */
#define MAX_LIST 64      /* entries per list */
#define MAX_ENTRY 200    /* bytes per entry */

static sr_err read_region(json_t *r, sr_arena *a, sr_alert_region *out, char *err, size_t errlen);
static sr_err read_list(json_t *root, const char *key, sr_arena *a, const char ***out, size_t *n,
                        char *err, size_t errlen);

sr_err sr_alert_sub_from_json(const char *json, size_t len, sr_arena *arena,
                              sr_alert_sub *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len > MAX_JSON) {
        snprintf(err, errlen, "subscription is over %d bytes", MAX_JSON);
        return SR_ETOOBIG;
    }
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        snprintf(err, errlen, "subscription is not a JSON object%s%s", root ? "" : ": ",
                 root ? "" : jerr.text);
        json_decref(root);
        return SR_EPARSE;
    }
    sr_err rc = read_region(json_object_get(root, "region"), arena, &out->region, err, errlen);
    if (rc == SR_OK)
        rc = read_list(root, "actors", arena, &out->actors, &out->n_actors, err, errlen);
    if (rc == SR_OK)
        rc = read_list(root, "cameo", arena, &out->cameo, &out->n_cameo, err, errlen);
    if (rc == SR_OK)
        rc = read_list(root, "acled_types", arena, &out->acled_types, &out->n_acled_types, err, errlen);
    if (rc == SR_OK)
        rc = read_list(root, "words", arena, &out->words, &out->n_words, err, errlen);
    json_t *mf = json_object_get(root, "min_fatalities");
    if (rc == SR_OK && mf) {
        if (!json_is_integer(mf) || json_integer_value(mf) < 0 || json_integer_value(mf) > 1000000) {
            snprintf(err, errlen, "min_fatalities must be a whole number from 0");
            rc = SR_EINVAL;
        } else {
            out->min_fatalities = (int)json_integer_value(mf);
        }
    }
    json_decref(root);
    return rc;
}

static void write_list(sr_json *j, const char *key, const char **list, size_t n)
{
    if (n == 0)
        return;
    sr_json_key(j, key);
    sr_json_array_begin(j);
    for (size_t i = 0; i < n; i++)
        sr_json_string(j, list[i]);
    sr_json_array_end(j);
}

static void write_region(sr_json *j, const sr_alert_region *r)
{
    sr_json_key(j, "region");
    sr_json_object_begin(j);
    if (r->kind == SR_REGION_BBOX) {
        const double v[4] = {r->west, r->south, r->east, r->north};
        sr_json_key(j, "bbox");
        sr_json_array_begin(j);
        for (int i = 0; i < 4; i++)
            sr_json_double(j, v[i], 6);
        sr_json_array_end(j);
    } else if (r->kind == SR_REGION_RADIUS) {
        sr_json_key(j, "point");
        sr_json_array_begin(j);
        sr_json_double(j, r->lat, 6);
        sr_json_double(j, r->lon, 6);
        sr_json_array_end(j);
        sr_json_kv_double(j, "radius_km", r->radius_km, 3);
    } else {
        sr_json_kv_string(j, "country", r->cc);
        if (r->kind == SR_REGION_ADMIN1)
            sr_json_kv_string(j, "admin1", r->admin1);
    }
    sr_json_object_end(j);
}

sr_err sr_alert_sub_to_json(const sr_alert_sub *sub, sr_buf *out)
{
    if (!sr_alert_region_valid(&sub->region))
        return SR_EINVAL;
    sr_json j;
    sr_json_init(&j, out);
    sr_json_object_begin(&j);
    if (sub->region.kind != SR_REGION_ANY)
        write_region(&j, &sub->region);
    write_list(&j, "actors", sub->actors, sub->n_actors);
    write_list(&j, "cameo", sub->cameo, sub->n_cameo);
    write_list(&j, "acled_types", sub->acled_types, sub->n_acled_types);
    if (sub->min_fatalities > 0)
        sr_json_kv_int(&j, "min_fatalities", sub->min_fatalities);
    write_list(&j, "words", sub->words, sub->n_words);
    sr_json_object_end(&j);
    return out->failed;
}

static bool read_numbers(json_t *arr, double *v, size_t n)
{
    if (!json_is_array(arr) || json_array_size(arr) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(arr, i);
        if (!json_is_number(x))
            return false;
        v[i] = json_number_value(x);
    }
    return true;
}

static sr_err read_region(json_t *r, sr_arena *a, sr_alert_region *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!r || json_is_null(r))
        return SR_OK;
    json_t *bbox = json_object_get(r, "bbox"), *point = json_object_get(r, "point");
    json_t *cc = json_object_get(r, "country"), *admin1 = json_object_get(r, "admin1");
    double v[4];
    if (!json_is_object(r)) {
        snprintf(err, errlen, "region must be an object");
        return SR_EINVAL;
    }
    if (bbox) {
        out->kind = SR_REGION_BBOX;
        if (!read_numbers(bbox, v, 4)) {
            snprintf(err, errlen, "region.bbox must be [west, south, east, north]");
            return SR_EINVAL;
        }
        out->west = v[0], out->south = v[1], out->east = v[2], out->north = v[3];
    } else if (point) {
        out->kind = SR_REGION_RADIUS;
        json_t *radius = json_object_get(r, "radius_km");
        if (!read_numbers(point, v, 2) || !json_is_number(radius)) {
            snprintf(err, errlen, "region.point must be [lat, lon] with radius_km");
            return SR_EINVAL;
        }
        out->lat = v[0], out->lon = v[1], out->radius_km = json_number_value(radius);
    } else if (cc) {
        const char *s = json_string_value(cc);
        out->kind = admin1 ? SR_REGION_ADMIN1 : SR_REGION_COUNTRY;
        if (!s || strlen(s) != 2) {
            snprintf(err, errlen, "region.country must be a two-letter ISO code");
            return SR_EINVAL;
        }
        out->cc[0] = (char)(s[0] & ~32), out->cc[1] = (char)(s[1] & ~32);
        const char *s1 = json_string_value(admin1);
        if (admin1 && (!s1 || !*s1 || strlen(s1) > MAX_ENTRY)) {
            snprintf(err, errlen, "region.admin1 must be a non-empty string");
            return SR_EINVAL;
        }
        if (s1 && !(out->admin1 = sr_arena_strdup(a, s1)))
            return SR_ENOMEM;
    } else if (json_object_size(r) > 0) {
        snprintf(err, errlen, "region needs bbox, point or country");
        return SR_EINVAL;
    }
    if (!sr_alert_region_valid(out)) {
        snprintf(err, errlen, "region is out of range (lat -90..90, lon -180..180, "
                              "south <= north, radius 0..20038 km)");
        return SR_EINVAL;
    }
    return SR_OK;
}

static sr_err read_list(json_t *root, const char *key, sr_arena *a, const char ***out, size_t *n,
                        char *err, size_t errlen)
{
    json_t *arr = json_object_get(root, key);
    *out = NULL, *n = 0;
    if (!arr || json_is_null(arr))
        return SR_OK;
    if (!json_is_array(arr) || json_array_size(arr) > MAX_LIST) {
        snprintf(err, errlen, "%s must be a list of at most %d strings", key, MAX_LIST);
        return SR_EINVAL;
    }
    size_t count = json_array_size(arr);
    const char **list = sr_arena_alloc(a, (count ? count : 1) * sizeof *list);
    if (!list)
        return SR_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        if (!s || !*s || strlen(s) > MAX_ENTRY) {
            snprintf(err, errlen, "%s[%zu] must be a non-empty string of at most %d bytes", key, i,
                     MAX_ENTRY);
            return SR_EINVAL;
        }
        if (!(list[i] = sr_arena_strdup(a, s)))
            return SR_ENOMEM;
    }
    *out = list, *n = count;
    return SR_OK;
}
