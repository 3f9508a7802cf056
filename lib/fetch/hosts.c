/* The hosts a fetcher has talked to, found by name in a hash table. The
 * table lives as long as the fetcher, so what a host asked for (a delay, a
 * Retry-After) holds across batches. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fetch_int.h"

static uint64_t hash(const char *s);
static sr_err grow(sr_hosts *h);

long sr_hosts_get(sr_hosts *h, const char *name)
{
    if (h->nslots) {
        for (size_t i = hash(name) & (h->nslots - 1);; i = (i + 1) & (h->nslots - 1)) {
            size_t k = h->slot[i];
            if (!k)
                break;
            if (strcmp(h->v[k - 1].name, name) == 0)
                return (long)(k - 1);
        }
    }
    if ((h->n + 1) * 2 > h->nslots && grow(h) != SR_OK)
        return -1;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        sr_host *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    h->v[h->n] = (sr_host){.name = copy};
    size_t i = hash(name) & (h->nslots - 1);
    while (h->slot[i])
        i = (i + 1) & (h->nslots - 1);
    h->slot[i] = ++h->n;
    return (long)(h->n - 1);
}

void sr_hosts_free(sr_hosts *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i].name);
    free(h->v);
    free(h->slot);
    memset(h, 0, sizeof *h);
}

static sr_err grow(sr_hosts *h)
{
    size_t nslots = h->nslots ? h->nslots * 2 : 64;
    size_t *slot = calloc(nslots, sizeof *slot);
    if (!slot)
        return SR_ENOMEM;
    for (size_t k = 1; k <= h->n; k++) {
        size_t i = hash(h->v[k - 1].name) & (nslots - 1);
        while (slot[i])
            i = (i + 1) & (nslots - 1);
        slot[i] = k;
    }
    free(h->slot);
    h->slot = slot;
    h->nslots = nslots;
    return SR_OK;
}

/* FNV-1a: host names are short and come from URLs we were given. */
static uint64_t hash(const char *s)
{
    uint64_t x = 1469598103934665603u;
    for (; *s; s++)
        x = (x ^ (unsigned char)*s) * 1099511628211u;
    return x;
}
