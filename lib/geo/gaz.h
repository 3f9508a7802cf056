/* The gazetteer file format and name normalisation, shared by the builder
 * (build.c), the reader (gazetteer.c) and the recogniser (find.c). */
#ifndef SR_GEO_GAZ_H
#define SR_GEO_GAZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdatomic.h>
#include "sitrep/geo.h"

#define GAZ_MAGIC "SRGAZET\n"
/* Bump whenever the layout, the normalisation or the data rules change:
 * an older file is then reported stale and rebuilt. */
#define GAZ_VERSION 9u
#define GAZ_MAX_TOKENS 8
#define GAZ_MAX_KEY 256
#define GAZ_NONE UINT32_MAX

/* Layout: header, places[], slots[] (open-addressing hash of name keys),
 * postings[] (places a key names, best first), strings (NUL-terminated). */
typedef struct gaz_header {
    char magic[8];
    uint32_t version;
    uint32_t n_places;
    uint32_t n_slots;      /* power of two */
    uint32_t n_postings;
    uint32_t country_first, country_count;  /* countries are contiguous */
    uint32_t reserved;
    uint64_t off_places, off_slots, off_postings, off_strings, n_strings;
    uint64_t file_size;
} gaz_header;

/* Feature rank within cities (GeoNames feature codes): capitals first. */
enum { GAZ_PPLC = 3, GAZ_PPLA = 2, GAZ_PPLA2 = 1, GAZ_PPL = 0 };

typedef struct gaz_place {
    float lat, lon;
    uint32_t geonameid;
    uint32_t population;
    uint32_t name;         /* string offset */
    uint32_t admin1;       /* place index of its admin-1 entry, or GAZ_NONE */
    uint32_t admin2;       /* place index of its admin-2 entry, or GAZ_NONE */
    char cc[2];
    uint8_t kind;          /* sr_place_kind */
    uint8_t rank;          /* GAZ_PPLC.. for cities */
} gaz_place;

/* How a key names a place; lower is a stronger claim. */
enum gaz_name_type {
    GAZ_NAME_MAIN = 0,     /* the entry's own name */
    GAZ_NAME_ALT,          /* an alternate name or spelling */
    GAZ_NAME_DEMONYM,      /* "Iraqi" for Iraq */
    GAZ_NAME_SHORT,        /* with the article or the "County"/"Province" word dropped */
    GAZ_NAME_ABBREV,       /* "La.", "Calif.": only after "City, " */
};

enum { GAZ_KEY_FULL = 1, GAZ_KEY_PREFIX = 2, GAZ_KEY_STOP = 4, GAZ_KEY_GIVEN = 8 };

typedef struct gaz_slot {
    uint64_t hash;         /* 0: empty */
    uint32_t first;        /* first posting */
    uint16_t count;
    uint8_t flags;         /* GAZ_KEY_* */
    uint8_t tokens;
} gaz_slot;

typedef struct gaz_posting {
    uint32_t place;
    uint8_t type;          /* gaz_name_type */
    uint8_t pad[3];
} gaz_posting;

struct sr_gazetteer {
    void *map;
    size_t size;
    const gaz_header *h;
    const gaz_place *places;
    const gaz_slot *slots;
    const gaz_posting *postings;
    const char *strings;
};

/* ---- names ---- */

/* FNV-1a, continued from `h` (start with GAZ_HASH_INIT). */
#define GAZ_HASH_INIT 1469598103934665603ULL
static inline uint64_t gaz_hash_add(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}
static inline uint64_t gaz_hash_final(uint64_t h) { return h ? h : 1; }

/* Normalises one word (no separators inside) into out: case folded,
 * accents and marks stripped, apostrophes and dots dropped, a final "ah"
 * shortened to "a" (Fallujah = Falluja). Returns its length (0: nothing
 * left). out must hold GAZ_MAX_KEY bytes. */
size_t gaz_norm_word(const char *s, size_t n, char *out);
/* Normalises a whole name: words joined by single spaces. Returns the
 * number of words, the key in out (GAZ_MAX_KEY bytes). */
int gaz_norm_name(const char *s, size_t n, char *out, size_t *outlen);
/* What the recogniser and the normaliser ask of a code point below
 * U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic), worked out once with
 * utf8proc by gaz_cp_init (at the first gazetteer open) instead of per
 * letter: its category and, when it fits, its folded form as put_folded
 * writes it into an empty key. */
enum { GAZ_CP_WORD = 1, GAZ_CP_UPPER = 2, GAZ_CP_CASED = 4, GAZ_CP_FOLDED = 8, GAZ_CP_DROPPED = 16 };
#define GAZ_CP_TABLE 0x800
typedef struct gaz_cp {
    uint8_t flags;         /* GAZ_CP_*: WORD for letters, marks and digits;
                              DROPPED for the marks a key leaves out (ʼ ʾ ʿ ´) */
    uint8_t fold_len;
    char fold[6];
} gaz_cp;
extern gaz_cp gaz_cp_facts[GAZ_CP_TABLE];
extern atomic_bool gaz_cp_ready;
void gaz_cp_init(void);
/* The table, or NULL until gaz_cp_init has run (the builder never needs it). */
static inline const gaz_cp *gaz_cp_table(void)
{
    return atomic_load_explicit(&gaz_cp_ready, memory_order_acquire) ? gaz_cp_facts : NULL;
}

/* True when w is an Arabic article read as its own word (al, el, as-, ...). */
bool gaz_is_article(const char *w, size_t n);

/* Moves a country's point (lat, lon: the Factbook's) to the midpoint with
 * the centre of its largest polygon in the GeoJSON outline at path when
 * the two agree within 322 km (outline.c says why). False: left as it was. */
bool gaz_outline_settle(const char *geojson_path, float *lat, float *lon);
/* Moves (lat, lon) to the midpoint with (lat2, lon2) when the two lie
 * within 322 km of each other, so it is within 161 km of both. */
bool gaz_settle_between(float *lat, float *lon, double lat2, double lon2);

/* Look up a key hash; NULL when absent. */
const gaz_slot *gaz_lookup(const sr_gazetteer *g, uint64_t hash);
static inline const char *gaz_str(const sr_gazetteer *g, uint32_t off)
{
    return off < g->h->n_strings ? g->strings + off : "";
}

#endif
