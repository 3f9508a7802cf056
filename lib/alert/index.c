/* The subscription index. Each subscription sits in exactly one place
 * chosen by its region:
 *   - anywhere                       → the global bucket
 *   - a country / an admin1          → a bucket per country / per admin1
 *   - a box or circle                → the cells of a 1° grid it covers, or of a
 *                                      10° grid when that is over MAX_CELLS cells,
 *                                      or the "wide" bucket when even that is
 * An event with a point looks at one cell per grid; with a country and an
 * admin1 at their buckets; always at the global and wide buckets. Every
 * candidate is then tested exactly (sr_alert_sub_matches), so the index only
 * has to never leave a match out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/alert.h"
#include "match.h"

#define FINE_DEG 1
#define COARSE_DEG 10
#define MAX_CELLS 32
#define EDGE_MARGIN_DEG 1e-3 /* rounding room around a circle's bounding box */

typedef struct bucket {
    uint32_t *slot;
    uint32_t n, cap;
} bucket;

typedef struct grid {
    int deg, rows, cols;
    bucket *cells;
} grid;

typedef enum place { PLACE_GLOBAL, PLACE_WIDE, PLACE_FINE, PLACE_COARSE, PLACE_COUNTRY, PLACE_ADMIN1 } place;

typedef struct stored {
    sr_alert_sub sub; /* its strings live in mem */
    void *mem;
    place where;
    bool live;
} stored;

typedef struct admin1_entry {
    struct admin1_entry *next;
    bucket b;
    char key[]; /* "CC\x1f" + admin1 in ASCII lower case */
} admin1_entry;

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
    uint32_t n_free, cap_free;
    /* id → slot, open addressing */
    uint64_t *map_id;
    uint32_t *map_slot;
    uint8_t *map_state; /* 0 empty, 1 used, 2 deleted */
    size_t map_cap, map_used, map_tomb;
    bucket global, wide;
    bucket country[26 * 26];
    grid fine, coarse;
    admin1_entry **admin1;
    size_t admin1_cap, admin1_n;
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
static sr_err check_bucket(sr_alert_index *idx, const bucket *b, const sr_alert_event *ev);
static bucket *admin1_bucket(sr_alert_index *idx, const char *cc, const char *admin1, bool create);
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
    idx->fine = (grid){FINE_DEG, 180 / FINE_DEG, 360 / FINE_DEG, NULL};
    idx->coarse = (grid){COARSE_DEG, 180 / COARSE_DEG, 360 / COARSE_DEG, NULL};
    idx->fine.cells = calloc((size_t)idx->fine.rows * idx->fine.cols, sizeof(bucket));
    idx->coarse.cells = calloc((size_t)idx->coarse.rows * idx->coarse.cols, sizeof(bucket));
    if (!idx->fine.cells || !idx->coarse.cells) {
        sr_alert_index_free(idx);
        return NULL;
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
    bucket_free(&idx->wide);
    for (int i = 0; i < 26 * 26; i++)
        bucket_free(&idx->country[i]);
    grid *grids[] = {&idx->fine, &idx->coarse};
    for (int g = 0; g < 2; g++) {
        if (grids[g]->cells)
            for (int i = 0; i < grids[g]->rows * grids[g]->cols; i++)
                bucket_free(&grids[g]->cells[i]);
        free(grids[g]->cells);
    }
    for (size_t i = 0; i < idx->admin1_cap; i++)
        for (admin1_entry *e = idx->admin1[i], *next; e; e = next) {
            next = e->next;
            bucket_free(&e->b);
            free(e);
        }
    free(idx->admin1);
    free(idx->result);
    free(idx);
}

sr_err sr_alert_index_add(sr_alert_index *idx, const sr_alert_sub *sub)
{
    uint32_t slot;
    if (!sr_alert_region_valid(&sub->region) || map_get(idx, sub->id, &slot))
        return SR_EINVAL;
    if (idx->n_free > 0) {
        slot = idx->free_slots[--idx->n_free];
    } else {
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
        slot = idx->n_subs++;
        idx->subs[slot] = (stored){.live = false};
    }
    sr_err err = store_copy(sub, &idx->subs[slot]);
    if (err == SR_OK && (err = map_put(idx, sub->id, slot)) == SR_OK) {
        if ((err = place_sub(idx, slot, true)) != SR_OK) {
            place_sub(idx, slot, false);
            map_del(idx, sub->id);
        }
    }
    if (err != SR_OK) {
        free(idx->subs[slot].mem);
        idx->subs[slot] = (stored){.live = false};
        idx->free_slots[idx->n_free++] = slot;
        return err;
    }
    idx->subs[slot].live = true;
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
    idx->subs[slot] = (stored){.live = false};
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
    if (err == SR_OK && sr_alert_event_has_point(ev)) {
        err = check_bucket(idx, grid_cell(&idx->fine, ev->lat, ev->lon), ev);
        if (err == SR_OK)
            err = check_bucket(idx, grid_cell(&idx->coarse, ev->lat, ev->lon), ev);
    }
    int c = country_slot(ev->cc);
    if (err == SR_OK && c >= 0) {
        err = check_bucket(idx, &idx->country[c], ev);
        bucket *b = ev->admin1 ? admin1_bucket(idx, ev->cc, ev->admin1, false) : NULL;
        if (err == SR_OK && b)
            err = check_bucket(idx, b, ev);
    }
    if (idx->n_result > 1)
        qsort(idx->result, idx->n_result, sizeof *idx->result, cmp_u64);
    *ids = idx->result;
    *n = err == SR_OK ? idx->n_result : 0;
    return err;
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

/* Adds the slot to (add) or takes it out of (!add) the buckets its region
 * selects; the choice depends on the region only, so both agree. */
static sr_err place_sub(sr_alert_index *idx, uint32_t slot, bool add)
{
    stored *st = &idx->subs[slot];
    const sr_alert_region *r = &st->sub.region;
    bucket *b = NULL;
    switch (r->kind) {
    case SR_REGION_ANY:
        b = &idx->global;
        break;
    case SR_REGION_COUNTRY:
        b = &idx->country[country_slot(r->cc)];
        break;
    case SR_REGION_ADMIN1:
        b = admin1_bucket(idx, r->cc, r->admin1, add);
        if (!b)
            return add ? SR_ENOMEM : SR_OK;
        break;
    case SR_REGION_BBOX:
    case SR_REGION_RADIUS: {
        cell_span fine, coarse;
        span_of(r, &idx->fine, &fine);
        span_of(r, &idx->coarse, &coarse);
        if (span_cells(&fine) <= MAX_CELLS)
            return grid_place(&idx->fine, &fine, slot, add);
        if (span_cells(&coarse) <= MAX_CELLS)
            return grid_place(&idx->coarse, &coarse, slot, add);
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

static void bucket_free(bucket *b)
{
    free(b->slot);
    b->slot = NULL;
    b->n = b->cap = 0;
}

/* ---- admin1 table --------------------------------------------------------------- */

static size_t hash_text(const char *s)
{
    size_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void admin1_key(char *key, const char *cc, const char *admin1)
{
    key[0] = (char)(cc[0] & ~32), key[1] = (char)(cc[1] & ~32), key[2] = '\x1f';
    size_t i = 0;
    for (; admin1[i]; i++) {
        char c = admin1[i];
        key[3 + i] = c >= 'A' && c <= 'Z' ? (char)(c | 32) : c;
    }
    key[3 + i] = '\0';
}

static bool admin1_grow(sr_alert_index *idx)
{
    size_t cap = idx->admin1_cap ? idx->admin1_cap * 2 : 64;
    admin1_entry **t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < idx->admin1_cap; i++)
        for (admin1_entry *e = idx->admin1[i], *next; e; e = next) {
            next = e->next;
            size_t h = hash_text(e->key) & (cap - 1);
            e->next = t[h], t[h] = e;
        }
    free(idx->admin1);
    idx->admin1 = t, idx->admin1_cap = cap;
    return true;
}

static bucket *admin1_bucket(sr_alert_index *idx, const char *cc, const char *admin1, bool create)
{
    size_t len = strlen(admin1);
    if (len > 1024)
        return NULL;
    char key[1024 + 4];
    admin1_key(key, cc, admin1);
    if (idx->admin1_cap) {
        for (admin1_entry *e = idx->admin1[hash_text(key) & (idx->admin1_cap - 1)]; e; e = e->next)
            if (strcmp(e->key, key) == 0)
                return &e->b;
    }
    if (!create)
        return NULL;
    if (idx->admin1_n * 2 >= idx->admin1_cap && !admin1_grow(idx))
        return NULL;
    admin1_entry *e = calloc(1, sizeof *e + len + 4);
    if (!e)
        return NULL;
    memcpy(e->key, key, len + 4);
    size_t h = hash_text(key) & (idx->admin1_cap - 1);
    e->next = idx->admin1[h], idx->admin1[h] = e;
    idx->admin1_n++;
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
