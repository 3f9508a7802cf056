/* Breaking detection: a story whose distinct outlets within a sliding
 * window reach a threshold is flagged, once. Memory stays bounded: a story
 * that stops gaining reports is forgotten after the window, a flagged one
 * shrinks to its id and is forgotten after remember_s. */
#include <stdlib.h>
#include <string.h>
#include "sitrep/alert.h"

#define MAX_SOURCES 64
#define SWEEP_EVERY 1024 /* observations between sweeps of stale stories */

typedef struct sighting {
    uint64_t outlet; /* hash of the outlet's name */
    double t;
} sighting;

typedef struct story {
    struct story *next;
    uint64_t id;
    double last;
    bool flagged;
    int n;
    sighting *seen; /* min_sources entries; freed once flagged */
} story;

struct sr_breaking {
    sr_breaking_options opt;
    story **table;
    size_t cap, count;
    size_t since_sweep;
};

static story *find(sr_breaking *b, uint64_t id, bool create, double t);
static void record(const sr_breaking *b, story *s, uint64_t outlet, double t);
static void sweep(sr_breaking *b, double now);
static uint64_t hash_outlet(const char *s);

sr_breaking *sr_breaking_new(const sr_breaking_options *opt)
{
    sr_breaking *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    if (opt)
        b->opt = *opt;
    if (b->opt.min_sources <= 0)
        b->opt.min_sources = 5;
    if (b->opt.min_sources > MAX_SOURCES)
        b->opt.min_sources = MAX_SOURCES;
    if (b->opt.window_s <= 0)
        b->opt.window_s = 1800;
    if (b->opt.remember_s <= 0)
        b->opt.remember_s = 7 * 86400;
    b->cap = 1024;
    b->table = calloc(b->cap, sizeof *b->table);
    if (!b->table) {
        free(b);
        return NULL;
    }
    return b;
}

void sr_breaking_free(sr_breaking *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->cap; i++)
        for (story *s = b->table[i], *next; s; s = next) {
            next = s->next;
            free(s->seen);
            free(s);
        }
    free(b->table);
    free(b);
}

bool sr_breaking_observe(sr_breaking *b, uint64_t id, const char *outlet, double t)
{
    if (!outlet || !*outlet)
        return false;
    if (++b->since_sweep >= SWEEP_EVERY) {
        sweep(b, t);
        b->since_sweep = 0;
    }
    story *s = find(b, id, true, t);
    if (!s)
        return false;
    if (s->flagged) {
        if (t > s->last) /* still in the news: remember it longer */
            s->last = t;
        return false;
    }
    record(b, s, hash_outlet(outlet), t);
    if (s->n < b->opt.min_sources)
        return false;
    s->flagged = true;
    free(s->seen);
    s->seen = NULL;
    return true;
}

sr_err sr_breaking_mark(sr_breaking *b, uint64_t id, double t)
{
    story *s = find(b, id, true, t);
    if (!s)
        return SR_ENOMEM;
    if (t > s->last)
        s->last = t;
    s->flagged = true;
    free(s->seen);
    s->seen = NULL;
    return SR_OK;
}

size_t sr_breaking_tracked(const sr_breaking *b)
{
    return b->count;
}

/* Sightings older than the window fall out; an outlet seen again only
 * moves its time forward. */
static void record(const sr_breaking *b, story *s, uint64_t outlet, double t)
{
    int kept = 0, same = -1;
    for (int i = 0; i < s->n; i++) {
        if (s->seen[i].t < t - b->opt.window_s)
            continue;
        s->seen[kept] = s->seen[i];
        if (s->seen[kept].outlet == outlet)
            same = kept;
        kept++;
    }
    s->n = kept;
    if (t > s->last)
        s->last = t;
    if (same >= 0) {
        if (t > s->seen[same].t)
            s->seen[same].t = t;
        return;
    }
    if (s->n < b->opt.min_sources)
        s->seen[s->n++] = (sighting){outlet, t};
}

static size_t slot_of(const sr_breaking *b, uint64_t id)
{
    id ^= id >> 33, id *= 0xff51afd7ed558ccdULL, id ^= id >> 33; /* murmur3's mix */
    return (size_t)id & (b->cap - 1);
}

static void grow(sr_breaking *b)
{
    size_t cap = b->cap * 2;
    story **t = calloc(cap, sizeof *t);
    if (!t)
        return; /* stay at this size: slower, still right */
    size_t old = b->cap;
    story **from = b->table;
    b->table = t, b->cap = cap;
    for (size_t i = 0; i < old; i++)
        for (story *s = from[i], *next; s; s = next) {
            next = s->next;
            size_t h = slot_of(b, s->id);
            s->next = t[h], t[h] = s;
        }
    free(from);
}

static story *find(sr_breaking *b, uint64_t id, bool create, double t)
{
    for (story *s = b->table[slot_of(b, id)]; s; s = s->next)
        if (s->id == id)
            return s;
    if (!create)
        return NULL;
    if (b->count >= b->cap)
        grow(b);
    story *s = calloc(1, sizeof *s);
    if (!s || !(s->seen = calloc((size_t)b->opt.min_sources, sizeof *s->seen))) {
        free(s);
        return NULL;
    }
    s->id = id, s->last = t;
    size_t h = slot_of(b, id);
    s->next = b->table[h], b->table[h] = s;
    b->count++;
    return s;
}

static void sweep(sr_breaking *b, double now)
{
    for (size_t i = 0; i < b->cap; i++)
        for (story **p = &b->table[i]; *p;) {
            story *s = *p;
            double keep = s->flagged ? b->opt.remember_s : b->opt.window_s;
            if (s->last >= now - keep) {
                p = &s->next;
                continue;
            }
            *p = s->next;
            free(s->seen);
            free(s);
            b->count--;
        }
}

static uint64_t hash_outlet(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, folding ASCII case */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        h = (h ^ (c >= 'A' && c <= 'Z' ? c | 32 : c)) * 1099511628211ULL;
    }
    return h;
}
