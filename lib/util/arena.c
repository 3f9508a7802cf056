/* Arena allocator: bump allocation in blocks that double in size, freed all
 * at once. Per-document work allocates from one of these so the hot path
 * never calls malloc per token. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "sitrep/util.h"

#define SR_ARENA_FIRST_BLOCK (16 * 1024)
#define SR_ARENA_ALIGN 16

struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct sr_arena {
    struct block *head;   /* current block; older ones follow */
    struct block *first;  /* kept across resets */
    size_t max;
    size_t used;
};

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

sr_arena *sr_arena_new(size_t max)
{
    sr_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->first = a->head = block_new(SR_ARENA_FIRST_BLOCK);
    if (!a->head) {
        free(a);
        return NULL;
    }
    a->max = max;
    return a;
}

void sr_arena_free(sr_arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void sr_arena_reset(sr_arena *a)
{
    struct block *b = a->head;
    while (b && b != a->first) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    a->head = a->first;
    a->first->next = NULL;
    a->first->used = 0;
    a->used = 0;
}

void *sr_arena_alloc(sr_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    size_t need = (n + SR_ARENA_ALIGN - 1) & ~(size_t)(SR_ARENA_ALIGN - 1);
    if (need < n || (a->max && a->used + need > a->max))
        return NULL;
    struct block *b = a->head;
    if (b->size - b->used < need) {
        size_t size = b->size * 2;
        while (size < need)
            size *= 2;
        struct block *nb = block_new(size);
        if (!nb)
            return NULL;
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used += need;
    return p;
}

void *sr_arena_calloc(sr_arena *a, size_t n)
{
    void *p = sr_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *sr_arena_strndup(sr_arena *a, const char *s, size_t n)
{
    char *p = sr_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sr_arena_strdup(sr_arena *a, const char *s)
{
    return s ? sr_arena_strndup(a, s, strlen(s)) : NULL;
}

char *sr_arena_printf(sr_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? sr_arena_alloc(a, (size_t)n + 1) : NULL;
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

size_t sr_arena_used(const sr_arena *a)
{
    return a->used;
}
