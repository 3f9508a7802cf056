/* The subscription index. A subscription sits in the buckets its region
 * selects:
 *   - a country / an admin1   → the bucket of that country / admin1
 *   - a box or circle         → the cells it covers of the finest of three
 *                               grids (1°, 6°, 30°) where that is at most
 *                               MAX_CELLS cells, else the "wide" bucket
 *   - anywhere                → a bucket per ACLED type it names, else per
 *                               CAMEO root, else a list sorted by minimum
 *                               toll, else the global bucket
 * An event looks at one cell per grid, its country's and admin1's buckets,
 * its type's and its root's buckets, the toll list up to its toll, and the
 * global and wide buckets: it reaches every subscription at most once. Every candidate is then tested exactly
 * (sr_alert_sub_matches), so the index only has to never leave a match out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/alert.h"
#include "match.h"

#define N_GRIDS 3
static const int grid_deg[N_GRIDS] = {1, 6, 30};
#define MAX_CELLS 128
#define EDGE_MARGIN_DEG 1e-3 /* rounding room around a circle's bounding box */

typedef struct bucket {
    uint32_t *slot;
    uint32_t n, cap;
} bucket;

typedef struct grid {
    int deg, rows, cols;
    bucket *cells;
} grid;

typedef struct stored {
    sr_alert_sub sub; /* its strings live in mem */
    void *mem;
} stored;

/* Buckets found by name: an admin1 ("A" + country + name) or an ACLED type
 * ("T--" + type); names are compared in ASCII lower case, as strcasecmp
 * compares them in the exact test. */
typedef struct named_entry {
    struct named_entry *next;
    bucket b;
    char key[];
} named_entry;

/* Cells a region covers on one grid: a band of rows and one or two column
 * ranges (two when it crosses the antimeridian). */
typedef struct cell_span {
    int row0, row1;
    int col0[2], col1[2];
    int nranges;
} cell_span;

struct sr_alert_index {
    stored *subs;
    uint32_t n_subs, cap_subs;
    uint32_t *free_slots;
    uint32_t n_free; /* room for cap_subs */
    /* id → slot, open addressing */
    uint64_t *map_id;
    uint32_t *map_slot;
    uint8_t *map_state; /* 0 empty, 1 used, 2 deleted */
    size_t map_cap, map_used, map_tomb;
    bucket global, wide;
    bucket by_toll; /* regionless, keyed by min_fatalities only; sorted by it */
    bucket country[26 * 26];
    grid grids[N_GRIDS];
    named_entry **named;
    size_t named_cap, named_n;
    uint64_t *result;
    size_t n_result, cap_result;
    size_t count;
};

static sr_err store_copy(const sr_alert_sub *sub, stored *out);
static sr_err place_sub(sr_alert_index *idx, uint32_t slot, bool add);
static sr_err map_put(sr_alert_index *idx, uint64_t id, uint32_t slot);
static bool map_get(const sr_alert_index *idx, uint64_t id, uint32_t *slot);
static void map_del(sr_alert_index *idx, uint64_t id);
static sr_err bucket_add(bucket *b, uint32_t slot);
static void bucket_del(bucket *b, uint32_t slot);
static void bucket_free(bucket *b);
static sr_err sorted_add(sr_alert_index *idx, bucket *b, uint32_t slot);
static void bucket_del_ordered(bucket *b, uint32_t slot);
static sr_err check_by_toll(sr_alert_index *idx, const sr_alert_event *ev);
static sr_err check_bucket(sr_alert_index *idx, const bucket *b, const sr_alert_event *ev);
static bucket *named_bucket(sr_alert_index *idx, char kind, const char *cc, const char *name,
                            bool create);
static int country_slot(const char *cc);
static void span_of(const sr_alert_region *r, const grid *g, cell_span *s);
static size_t span_cells(const cell_span *s);
static bucket *grid_cell(grid *g, double lat, double lon);
static int cmp_u64(const void *a, const void *b);

sr_alert_index *sr_alert_index_new(void)
{
    sr_alert_index *idx = calloc(1, sizeof *idx);
    if (!idx)
        return NULL;
    for (int g = 0; g < N_GRIDS; g++) {
        int deg = grid_deg[g], rows = (180 + deg - 1) / deg, cols = (360 + deg - 1) / deg;
        idx->grids[g] = (grid){deg, rows, cols, calloc((size_t)rows * cols, sizeof(bucket))};
        if (!idx->grids[g].cells) {
            sr_alert_index_free(idx);
            return NULL;
        }
    }
    return idx;
}

void sr_alert_index_free(sr_alert_index *idx)
{
    if (!idx)
        return;
    for (uint32_t i = 0; i < idx->n_subs; i++)
        free(idx->subs[i].mem);
    free(idx->subs);
    free(idx->free_slots);
    free(idx->map_id);
    free(idx->map_slot);
    free(idx->map_state);
    bucket_free(&idx->global);
    bucket_free(&idx->by_toll);
    bucket_free(&idx->wide);
    for (int i = 0; i < 26 * 26; i++)
        bucket_free(&idx->country[i]);
    for (int g = 0; g < N_GRIDS; g++) {
        grid *gr = &idx->grids[g];
        if (gr->cells)
            for (int i = 0; i < gr->rows * gr->cols; i++)
                bucket_free(&gr->cells[i]);
        free(gr->cells);
    }
    for (size_t i = 0; i < idx->named_cap; i++)
        for (named_entry *e = idx->named[i], *next; e; e = next) {
            next = e->next;
            bucket_free(&e->b);
            free(e);
        }
    free(idx->named);
    free(idx->result);
    free(idx);
}

static sr_err take_slot(sr_alert_index *idx, uint32_t *slot);

sr_err sr_alert_index_add(sr_alert_index *idx, const sr_alert_sub *sub)
{
    uint32_t slot;
    if (!sr_alert_region_valid(&sub->region) || map_get(idx, sub->id, &slot))
        return SR_EINVAL;
    sr_err err = take_slot(idx, &slot);
    if (err != SR_OK)
        return err;
    err = store_copy(sub, &idx->subs[slot]);
    if (err == SR_OK && (err = map_put(idx, sub->id, slot)) == SR_OK &&
        (err = place_sub(idx, slot, true)) != SR_OK) {
        place_sub(idx, slot, false);
        map_del(idx, sub->id);
    }
    if (err != SR_OK) {
        free(idx->subs[slot].mem);
        idx->subs[slot] = (stored){0};
        idx->free_slots[idx->n_free++] = slot;
        return err;
    }
    idx->count++;
    return SR_OK;
}

sr_err sr_alert_index_remove(sr_alert_index *idx, uint64_t id)
{
    uint32_t slot;
    if (!map_get(idx, id, &slot))
        return SR_ENOTFOUND;
    place_sub(idx, slot, false);
    map_del(idx, id);
    free(idx->subs[slot].mem);
    idx->subs[slot] = (stored){0};
    idx->free_slots[idx->n_free++] = slot;
    idx->count--;
    return SR_OK;
}

size_t sr_alert_index_count(const sr_alert_index *idx)
{
    return idx->count;
}

sr_err sr_alert_index_match(sr_alert_index *idx, const sr_alert_event *ev,
                            const uint64_t **ids, size_t *n)
{
    idx->n_result = 0;
    sr_err err = check_bucket(idx, &idx->global, ev);
    if (err == SR_OK)
        err = check_bucket(idx, &idx->wide, ev);
    if (sr_alert_event_has_point(ev))
        for (int g = 0; g < N_GRIDS && err == SR_OK; g++)
            err = check_bucket(idx, grid_cell(&idx->grids[g], ev->lat, ev->lon), ev);
    int c = country_slot(ev->cc);
    if (err == SR_OK && c >= 0) {
        err = check_bucket(idx, &idx->country[c], ev);
        bucket *b = ev->admin1 ? named_bucket(idx, 'A', ev->cc, ev->admin1, false) : NULL;
        if (err == SR_OK && b)
            err = check_bucket(idx, b, ev);
    }
    bucket *t = ev->acled_type ? named_bucket(idx, 'T', "--", ev->acled_type, false) : NULL;
    if (err == SR_OK && t)
        err = check_bucket(idx, t, ev);
    if (err == SR_OK && ev->cameo && strlen(ev->cameo) >= 2) {
        char root[3] = {ev->cameo[0], ev->cameo[1], '\0'};
        bucket *c = named_bucket(idx, 'C', "--", root, false);
        if (c)
            err = check_bucket(idx, c, ev);
    }
    if (err == SR_OK)
        err = check_by_toll(idx, ev);
    if (idx->n_result > 1)
        qsort(idx->result, idx->n_result, sizeof *idx->result, cmp_u64);
    *ids = idx->result;
    *n = err == SR_OK ? idx->n_result : 0;
    return err;
}

static sr_err take_slot(sr_alert_index *idx, uint32_t *slot)
{
    if (idx->n_free > 0) {
        *slot = idx->free_slots[--idx->n_free];
        return SR_OK;
    }
    if (idx->n_subs == idx->cap_subs) {
        uint32_t cap = idx->cap_subs ? idx->cap_subs * 2 : 64;
        stored *s = realloc(idx->subs, cap * sizeof *s);
        if (!s)
            return SR_ENOMEM;
        idx->subs = s;
        /* Room for every slot to be free, so removing never allocates. */
        uint32_t *f = realloc(idx->free_slots, cap * sizeof *f);
        if (!f)
            return SR_ENOMEM;
        idx->free_slots = f, idx->cap_subs = cap;
    }
    *slot = idx->n_subs++;
    idx->subs[*slot] = (stored){0};
    return SR_OK;
}

/* ---- placing a subscription --------------------------------------------- */

static sr_err grid_place(grid *g, const cell_span *s, uint32_t slot, bool add)
{
    for (int row = s->row0; row <= s->row1; row++)
        for (int r = 0; r < s->nranges; r++)
            for (int col = s->col0[r]; col <= s->col1[r]; col++) {
                bucket *b = &g->cells[row * g->cols + col];
                if (!add) {
                    bucket_del(b, slot);
                } else if (!(b->n && b->slot[b->n - 1] == slot)) { /* ranges may share a cell */
                    sr_err err = bucket_add(b, slot);
                    if (err != SR_OK)
                        return err;
                }
            }
    return SR_OK;
}

static sr_err named_place(sr_alert_index *idx, char kind, const char *name, size_t len,
                          uint32_t slot, bool add)
{
    char key[256];
    if (len >= sizeof key)
        return add ? SR_EINVAL : SR_OK;
    memcpy(key, name, len);
    key[len] = '\0';
    bucket *b = named_bucket(idx, kind, "--", key, add);
    if (!b)
        return add ? SR_ENOMEM : SR_OK;
    if (!add)
        bucket_del(b, slot);
    else if (!(b->n && b->slot[b->n - 1] == slot)) /* a key listed twice */
        return bucket_add(b, slot);
    return SR_OK;
}

static bool cameo_roots_usable(const sr_alert_sub *sub)
{
    for (size_t i = 0; i < sub->n_cameo; i++)
        if (strlen(sub->cameo[i]) < 2)
            return false;
    return sub->n_cameo > 0;
}

/* Subscriptions without a region are filed by what else they ask for: an
 * event has one ACLED type and one CAMEO root (the code's first two
 * digits), so those make good keys; failing both, a stated toll keeps them
 * in a list sorted by min_fatalities, read only as far as the event's toll. */
static sr_err place_anywhere(sr_alert_index *idx, uint32_t slot, bool add)
{
    const sr_alert_sub *sub = &idx->subs[slot].sub;
    sr_err err = SR_OK;
    if (sub->n_acled_types) {
        for (size_t i = 0; i < sub->n_acled_types && err == SR_OK; i++)
            err = named_place(idx, 'T', sub->acled_types[i], strlen(sub->acled_types[i]), slot, add);
        return err;
    }
    if (cameo_roots_usable(sub)) {
        for (size_t i = 0; i < sub->n_cameo && err == SR_OK; i++)
            err = named_place(idx, 'C', sub->cameo[i], 2, slot, add);
        return err;
    }
    if (sub->min_fatalities > 0)
        return add ? sorted_add(idx, &idx->by_toll, slot) : (bucket_del_ordered(&idx->by_toll, slot), SR_OK);
    if (!add) {
        bucket_del(&idx->global, slot);
        return SR_OK;
    }
    return bucket_add(&idx->global, slot);
}

/* Adds the slot to (add) or takes it out of (!add) the buckets its region
 * selects; the choice depends on the region only, so both agree. */
static sr_err place_sub(sr_alert_index *idx, uint32_t slot, bool add)
{
    stored *st = &idx->subs[slot];
    const sr_alert_region *r = &st->sub.region;
    bucket *b = NULL;
    switch (r->kind) {
    case SR_REGION_ANY:
        return place_anywhere(idx, slot, add);
    case SR_REGION_COUNTRY:
        b = &idx->country[country_slot(r->cc)];
        break;
    case SR_REGION_ADMIN1:
        b = named_bucket(idx, 'A', r->cc, r->admin1, add);
        if (!b)
            return add ? SR_ENOMEM : SR_OK;
        break;
    case SR_REGION_BBOX:
    case SR_REGION_RADIUS: {
        for (int g = 0; g < N_GRIDS; g++) {
            cell_span span;
            span_of(r, &idx->grids[g], &span);
            if (span_cells(&span) <= MAX_CELLS)
                return grid_place(&idx->grids[g], &span, slot, add);
        }
        b = &idx->wide;
        break;
    }
    }
    if (!add) {
        bucket_del(b, slot);
        return SR_OK;
    }
    return bucket_add(b, slot);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int row_of(const grid *g, double lat)
{
    return clampi((int)floor((lat + 90) / g->deg), 0, g->rows - 1);
}

static int col_of(const grid *g, double lon)
{
    return clampi((int)floor((lon + 180) / g->deg), 0, g->cols - 1);
}

static void span_lon(const grid *g, cell_span *s, double west, double east)
{
    if (west <= east) {
        s->col0[0] = col_of(g, west), s->col1[0] = col_of(g, east), s->nranges = 1;
        return;
    }
    s->col0[0] = col_of(g, west), s->col1[0] = g->cols - 1;
    s->col0[1] = 0, s->col1[1] = col_of(g, east);
    s->nranges = 2;
}

/* A circle's box: its latitude reach is radius/R; its longitude reach is
 * asin(sin(radius/R) / cos(lat)) unless the cap holds a pole, when every
 * longitude is in. */
static void span_of(const sr_alert_region *r, const grid *g, cell_span *s)
{
    if (r->kind == SR_REGION_BBOX) {
        s->row0 = row_of(g, r->south), s->row1 = row_of(g, r->north);
        span_lon(g, s, r->west, r->east);
        return;
    }
    const double deg = 180 / M_PI, angle = r->radius_km / 6371.0088;
    double reach = angle * deg + EDGE_MARGIN_DEG;
    double south = r->lat - reach, north = r->lat + reach;
    s->row0 = row_of(g, south), s->row1 = row_of(g, north);
    double ratio = south <= -90 || north >= 90 ? 2 : sin(angle) / cos(r->lat / deg);
    if (angle >= M_PI / 2 || ratio >= 1) {
        span_lon(g, s, -180, 180);
        return;
    }
    double dlon = asin(ratio) * deg + EDGE_MARGIN_DEG;
    double west = r->lon - dlon, east = r->lon + dlon;
    if (west < -180)
        west += 360;
    if (east > 180)
        east -= 360;
    span_lon(g, s, west, east);
}

static size_t span_cells(const cell_span *s)
{
    size_t cols = 0;
    for (int r = 0; r < s->nranges; r++)
        cols += (size_t)(s->col1[r] - s->col0[r] + 1);
    return (size_t)(s->row1 - s->row0 + 1) * cols;
}

static bucket *grid_cell(grid *g, double lat, double lon)
{
    return &g->cells[row_of(g, lat) * g->cols + col_of(g, lon)];
}

static int country_slot(const char *cc)
{
    if (!cc || strlen(cc) != 2)
        return -1;
    int a = (cc[0] & ~32) - 'A', b = (cc[1] & ~32) - 'A';
    if (a < 0 || a >= 26 || b < 0 || b >= 26)
        return -1;
    return a * 26 + b;
}

/* ---- matching -------------------------------------------------------------- */

static sr_err check_bucket(sr_alert_index *idx, const bucket *b, const sr_alert_event *ev)
{
    for (uint32_t i = 0; i < b->n; i++) {
        const sr_alert_sub *sub = &idx->subs[b->slot[i]].sub;
        if (!sr_alert_sub_matches(sub, ev))
            continue;
        if (idx->n_result == idx->cap_result) {
            size_t cap = idx->cap_result ? idx->cap_result * 2 : 64;
            uint64_t *r = realloc(idx->result, cap * sizeof *r);
            if (!r)
                return SR_ENOMEM;
            idx->result = r, idx->cap_result = cap;
        }
        idx->result[idx->n_result++] = sub->id;
    }
    return SR_OK;
}

static sr_err check_by_toll(sr_alert_index *idx, const sr_alert_event *ev)
{
    const bucket *b = &idx->by_toll;
    uint32_t n = 0;
    while (n < b->n && idx->subs[b->slot[n]].sub.min_fatalities <= ev->fatalities)
        n++;
    bucket head = {b->slot, n, n};
    return check_bucket(idx, &head, ev);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- copies of subscriptions ------------------------------------------------ */

static size_t list_strings(const char **list, size_t n)
{
    size_t size = 0;
    for (size_t i = 0; i < n; i++)
        size += strlen(list[i]) + 1;
    return size;
}

static const char **list_copy(const char **list, size_t n, const char ***ptrs, char **text)
{
    if (n == 0)
        return NULL;
    const char **out = *ptrs;
    *ptrs += n;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list[i]) + 1;
        memcpy(*text, list[i], len);
        out[i] = *text;
        *text += len;
    }
    return out;
}

/* One allocation per subscription holds its lists (pointers first, for
 * their alignment) and then their strings. */
static sr_err store_copy(const sr_alert_sub *sub, stored *out)
{
    const sr_alert_region *r = &sub->region;
    size_t nptrs = sub->n_actors + sub->n_cameo + sub->n_acled_types + sub->n_words;
    size_t text = list_strings(sub->actors, sub->n_actors) + list_strings(sub->cameo, sub->n_cameo) +
                  list_strings(sub->acled_types, sub->n_acled_types) +
                  list_strings(sub->words, sub->n_words) +
                  (r->kind == SR_REGION_ADMIN1 ? strlen(r->admin1) + 1 : 0);
    void *mem = malloc(nptrs * sizeof(char *) + text + 1);
    if (!mem)
        return SR_ENOMEM;
    const char **ptrs = mem;
    char *cursor = (char *)(ptrs + nptrs);
    out->sub = *sub;
    out->sub.actors = list_copy(sub->actors, sub->n_actors, &ptrs, &cursor);
    out->sub.cameo = list_copy(sub->cameo, sub->n_cameo, &ptrs, &cursor);
    out->sub.acled_types = list_copy(sub->acled_types, sub->n_acled_types, &ptrs, &cursor);
    out->sub.words = list_copy(sub->words, sub->n_words, &ptrs, &cursor);
    out->sub.region.admin1 = NULL;
    if (r->kind == SR_REGION_ADMIN1) {
        strcpy(cursor, r->admin1);
        out->sub.region.admin1 = cursor;
    }
    out->mem = mem;
    return SR_OK;
}

/* ---- buckets ------------------------------------------------------------------ */

static sr_err bucket_add(bucket *b, uint32_t slot)
{
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 4;
        uint32_t *s = realloc(b->slot, cap * sizeof *s);
        if (!s)
            return SR_ENOMEM;
        b->slot = s, b->cap = cap;
    }
    b->slot[b->n++] = slot;
    return SR_OK;
}

static void bucket_del(bucket *b, uint32_t slot)
{
    for (uint32_t i = 0; i < b->n; i++)
        if (b->slot[i] == slot) {
            b->slot[i] = b->slot[--b->n];
            return;
        }
}

/* Keeps the bucket sorted by the subscriptions' min_fatalities. */
static sr_err sorted_add(sr_alert_index *idx, bucket *b, uint32_t slot)
{
    sr_err err = bucket_add(b, slot);
    if (err != SR_OK)
        return err;
    int toll = idx->subs[slot].sub.min_fatalities;
    uint32_t i = b->n - 1;
    for (; i > 0 && idx->subs[b->slot[i - 1]].sub.min_fatalities > toll; i--)
        b->slot[i] = b->slot[i - 1];
    b->slot[i] = slot;
    return SR_OK;
}

static void bucket_del_ordered(bucket *b, uint32_t slot)
{
    for (uint32_t i = 0; i < b->n; i++)
        if (b->slot[i] == slot) {
            memmove(b->slot + i, b->slot + i + 1, (b->n - i - 1) * sizeof *b->slot);
            b->n--;
            return;
        }
}

static void bucket_free(bucket *b)
{
    free(b->slot);
    b->slot = NULL;
    b->n = b->cap = 0;
}

/* ---- buckets by name ----------------------------------------------------------- */

static size_t hash_text(const char *s)
{
    size_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void named_key(char *key, char kind, const char *cc, const char *name)
{
    key[0] = kind;
    for (int i = 0; i < 2; i++)
        key[1 + i] = cc[i] >= 'a' && cc[i] <= 'z' ? (char)(cc[i] & ~32) : cc[i];
    key[3] = '\x1f';
    size_t i = 0;
    for (; name[i]; i++) {
        char c = name[i];
        key[4 + i] = c >= 'A' && c <= 'Z' ? (char)(c | 32) : c;
    }
    key[4 + i] = '\0';
}

static bool named_grow(sr_alert_index *idx)
{
    size_t cap = idx->named_cap ? idx->named_cap * 2 : 64;
    named_entry **t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < idx->named_cap; i++)
        for (named_entry *e = idx->named[i], *next; e; e = next) {
            next = e->next;
            size_t h = hash_text(e->key) & (cap - 1);
            e->next = t[h], t[h] = e;
        }
    free(idx->named);
    idx->named = t, idx->named_cap = cap;
    return true;
}

static bucket *named_bucket(sr_alert_index *idx, char kind, const char *cc, const char *name,
                            bool create)
{
    size_t len = strlen(name);
    if (len > 1024)
        return NULL;
    char key[1024 + 5];
    named_key(key, kind, cc, name);
    if (idx->named_cap) {
        for (named_entry *e = idx->named[hash_text(key) & (idx->named_cap - 1)]; e; e = e->next)
            if (strcmp(e->key, key) == 0)
                return &e->b;
    }
    if (!create)
        return NULL;
    if (idx->named_n * 2 >= idx->named_cap && !named_grow(idx))
        return NULL;
    named_entry *e = calloc(1, sizeof *e + len + 5);
    if (!e)
        return NULL;
    memcpy(e->key, key, len + 5);
    size_t h = hash_text(key) & (idx->named_cap - 1);
    e->next = idx->named[h], idx->named[h] = e;
    idx->named_n++;
    return &e->b;
}

/* ---- id map ------------------------------------------------------------------------ */

static size_t hash_id(uint64_t x)
{
    x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ULL; /* splitmix64's finaliser */
    x ^= x >> 27, x *= 0x94d049bb133111ebULL;
    return (size_t)(x ^ (x >> 31));
}

static bool map_find(const sr_alert_index *idx, uint64_t id, size_t *at)
{
    if (!idx->map_cap)
        return false;
    size_t mask = idx->map_cap - 1;
    for (size_t i = hash_id(id) & mask;; i = (i + 1) & mask) {
        if (idx->map_state[i] == 0)
            return false;
        if (idx->map_state[i] == 1 && idx->map_id[i] == id) {
            *at = i;
            return true;
        }
    }
}

static bool map_get(const sr_alert_index *idx, uint64_t id, uint32_t *slot)
{
    size_t at;
    if (!map_find(idx, id, &at))
        return false;
    *slot = idx->map_slot[at];
    return true;
}

static sr_err map_rehash(sr_alert_index *idx, size_t cap)
{
    uint64_t *ids = malloc(cap * sizeof *ids);
    uint32_t *slots = malloc(cap * sizeof *slots);
    uint8_t *state = calloc(cap, 1);
    if (!ids || !slots || !state) {
        free(ids), free(slots), free(state);
        return SR_ENOMEM;
    }
    for (size_t i = 0; i < idx->map_cap; i++) {
        if (idx->map_state[i] != 1)
            continue;
        size_t j = hash_id(idx->map_id[i]) & (cap - 1);
        while (state[j])
            j = (j + 1) & (cap - 1);
        state[j] = 1, ids[j] = idx->map_id[i], slots[j] = idx->map_slot[i];
    }
    free(idx->map_id), free(idx->map_slot), free(idx->map_state);
    idx->map_id = ids, idx->map_slot = slots, idx->map_state = state;
    idx->map_cap = cap, idx->map_tomb = 0;
    return SR_OK;
}

static sr_err map_put(sr_alert_index *idx, uint64_t id, uint32_t slot)
{
    if ((idx->map_used + idx->map_tomb + 1) * 2 > idx->map_cap) {
        size_t cap = idx->map_cap ? idx->map_cap : 64;
        while ((idx->map_used + 1) * 4 > cap) /* at most a quarter full after */
            cap *= 2;
        sr_err err = map_rehash(idx, cap);
        if (err != SR_OK)
            return err;
    }
    size_t mask = idx->map_cap - 1, i = hash_id(id) & mask;
    while (idx->map_state[i] == 1)
        i = (i + 1) & mask;
    if (idx->map_state[i] == 2)
        idx->map_tomb--;
    idx->map_state[i] = 1, idx->map_id[i] = id, idx->map_slot[i] = slot;
    idx->map_used++;
    return SR_OK;
}

static void map_del(sr_alert_index *idx, uint64_t id)
{
    size_t at;
    if (map_find(idx, id, &at)) {
        idx->map_state[at] = 2;
        idx->map_used--;
        idx->map_tomb++;
    }
}
