/* libxml2's memory during a page: a bump region per thread.
 *
 * Why: building a page's tree is some ten thousand small allocations, and
 * in a profile of `sitrep ingest` glibc's malloc and free were a fifth of
 * all the time, with freeing the tree another twentieth. Between
 * sr_xml_arena_begin and sr_xml_arena_end every libxml2 allocation in the
 * calling thread is cut from that thread's region, a free costs nothing
 * (the last allocation is taken back, which suits libxml2's growing
 * buffers), and the end of the page drops the whole tree at once instead
 * of walking it.
 *
 * A pointer is the region's when its address is inside the region, so
 * pointers libxml2 got from glibc -- before the hooks were set, outside a
 * page, or when a page outgrew the region -- go back to glibc as before.
 * A page that spilled into glibc memory has its tree freed the usual way.
 * libxml2's global state (set up by xmlInitParser) is made before the
 * hooks exist, so it is glibc's. What libxml2 keeps in a thread beyond a
 * page (the last error) is cleared before the region is reused.
 *
 * Under AddressSanitizer the region's free bytes are poisoned, so a read of
 * a tree after its page has ended is still reported. */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include "extract_int.h"

#if defined(__SANITIZE_ADDRESS__)
#define SR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SR_ASAN 1
#endif
#endif
#ifdef SR_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Address space for one thread's pages; only what a page touches becomes
 * memory. A news page's tree takes a few MB; a bigger one spills. */
#define REGION_BYTES ((size_t)64 << 20)
/* Touched memory kept between pages; the rest of a big page's is given
 * back, so memory stays flat whatever pages come by. */
#define KEEP_BYTES ((size_t)8 << 20)
#define ALIGN 16

/* Before each allocation: its size, and where the one before it starts,
 * so frees in reverse order of allocation give the space back. */
typedef struct chunk {
    size_t size;
    size_t prev;
} chunk;

typedef struct region {
    char *base;
    size_t used;     /* bytes handed out, headers included */
    size_t last;     /* offset of the last allocation's header; SIZE_MAX none */
    size_t touched;  /* high-water mark since memory was last given back */
    bool spilled;    /* a libxml2 allocation of this page went to glibc */
} region;

static _Thread_local region *mine;     /* this thread's region, made at its first page */
static _Thread_local region *active;   /* set while a page is parsed */

/* sitrep's reader builds its tree from blocks (sr_xml_arena_block) and
 * cuts nodes out of them, so its nodes are no chunks libxml2 could free
 * one by one: the page's end drops the tree whole, and frees only the
 * blocks that had to come from glibc. */
typedef struct block_spill {
    struct block_spill *next;
    max_align_t align[];
} block_spill;
static _Thread_local xmlDocPtr block_doc;       /* the tree made of blocks */
static _Thread_local block_spill *block_spills; /* blocks from glibc, freed at the end */
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static pthread_key_t region_key;

static void set_hooks(void);
static region *region_get(void);
static void drop_spills(void);
static void *region_alloc(region *r, size_t n);

void sr_xml_arena_init(void)
{
    pthread_once(&hooks_once, set_hooks);
}

void sr_xml_arena_begin(void)
{
    sr_xml_arena_init();
    region *r = region_get();
    if (!r)
        return;  /* no region: libxml2 keeps using glibc */
    r->used = 0;
    r->last = SIZE_MAX;
    r->spilled = false;
    active = r;
}

void sr_xml_arena_end(xmlDocPtr doc)
{
    region *r = active;
    if (doc && doc == block_doc)
        doc->children = doc->last = NULL;   /* the blocks go below, not node by node */
    block_doc = NULL;
    drop_spills();
    if (!r) {
        if (doc)
            xmlFreeDoc(doc);
        return;
    }
    /* the thread's last error holds strings from this page */
    xmlResetLastError();
    if (doc && r->spilled)
        xmlFreeDoc(doc);  /* frees of region pointers cost nothing */
    active = NULL;
    if (r->used > r->touched)
        r->touched = r->used;
#ifndef SR_ASAN
    if (r->touched > KEEP_BYTES) {
        uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
        uintptr_t from = ((uintptr_t)r->base + KEEP_BYTES + page - 1) & ~(page - 1);
        uintptr_t to = ((uintptr_t)r->base + REGION_BYTES) & ~(page - 1);
        madvise((void *)from, to - from, MADV_DONTNEED);
        r->touched = KEEP_BYTES;
    }
#endif
    POISON(r->base, r->used);
    r->used = 0;
}

void *sr_xml_arena_block(size_t n)
{
    region *r = active;
    size_t need = sizeof(chunk) + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
    if (r && n <= REGION_BYTES && need <= REGION_BYTES - r->used)
        return region_alloc(r, n);   /* a chunk never freed: the ones before it stay put */
    block_spill *b = malloc(sizeof *b + n);
    if (!b)
        return NULL;
    b->next = block_spills;
    block_spills = b;
    return b->align;
}

void sr_xml_arena_blocks_doc(xmlDocPtr doc)
{
    block_doc = doc;
}

static void drop_spills(void)
{
    while (block_spills) {
        block_spill *b = block_spills;
        block_spills = b->next;
        free(b);
    }
}

/* ---- The hooks libxml2 calls. ---------------------------------------------- */

static bool in_region(const region *r, const void *p)
{
    return r && (const char *)p >= r->base && (const char *)p < r->base + REGION_BYTES;
}

static void *region_alloc(region *r, size_t n)
{
    size_t need = sizeof(chunk) + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
    if (n > REGION_BYTES || need > REGION_BYTES - r->used) {
        r->spilled = true;
        return malloc(n);
    }
    chunk *c = (chunk *)(r->base + r->used);
    UNPOISON(c, need);
    c->size = n;
    c->prev = r->last;
    r->last = r->used;
    r->used += need;
    POISON(c, sizeof *c);
    return c + 1;
}

static void *hook_malloc(size_t n)
{
    region *r = active;
    return r ? region_alloc(r, n) : malloc(n);
}

static chunk *chunk_of(void *p)
{
    chunk *c = (chunk *)p - 1;
    UNPOISON(c, sizeof *c);
    return c;
}

static void hook_free(void *p)
{
    region *r = mine;
    if (!in_region(r, p)) {
        free(p);
        return;
    }
    if (r != active)
        return;  /* left over from an ended page: its memory is already reused */
    chunk *c = chunk_of(p);
    if ((char *)c != r->base + r->last) {
        POISON(c, sizeof *c + c->size);
        return;
    }
    r->used = r->last;
    r->last = c->prev;
    POISON(c, sizeof *c + c->size);
}

static void *hook_realloc(void *p, size_t n)
{
    region *r = active;
    if (!p)
        return hook_malloc(n);
    if (!in_region(mine, p)) {
        if (r)
            r->spilled = true;  /* glibc memory may end up in the tree */
        return realloc(p, n);
    }
    chunk *c = chunk_of(p);
    size_t old = c->size;
    size_t need = sizeof *c + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
    if (r && (char *)c == r->base + r->last && n <= REGION_BYTES && need <= REGION_BYTES - r->last) {
        /* the last allocation grows (or shrinks) where it is */
        UNPOISON(c, need);
        c->size = n;
        r->used = r->last + need;
        POISON(c, sizeof *c);
        return p;
    }
    POISON(c, sizeof *c);
    void *q = hook_malloc(n);
    if (q)
        memcpy(q, p, old < n ? old : n);
    return q;
}

static char *hook_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = hook_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- Setting up. ------------------------------------------------------------ */

static void region_free(void *arg)
{
    region *r = arg;
    if (mine == r)
        mine = active = NULL;
    UNPOISON(r->base, REGION_BYTES);
    free(r->base);
    free(r);
}

static void set_hooks(void)
{
    /* libxml2's own global state first, from glibc */
    xmlInitParser();
    pthread_key_create(&region_key, region_free);
    xmlGcMemSetup(hook_free, hook_malloc, hook_malloc, hook_realloc, hook_strdup);
}

static region *region_get(void)
{
    if (mine)
        return mine;
    region *r = calloc(1, sizeof *r);
    /* glibc maps a block this big on its own, so untouched pages cost nothing */
    if (r && !(r->base = malloc(REGION_BYTES))) {
        free(r);
        r = NULL;
    }
    if (!r)
        return NULL;
    POISON(r->base, REGION_BYTES);
    pthread_setspecific(region_key, r);
    return mine = r;
}
