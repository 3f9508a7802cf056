/* What the stages of place finding share about one document: its words,
 * the candidate mentions, and the votes for its focus (find.c cuts and
 * matches, place.c weighs, resolve.c resolves and answers). */
#ifndef SR_GEO_DOC_H
#define SR_GEO_DOC_H

#include <stdbool.h>
#include <stdint.h>
#include "sitrep/geo.h"
#include "gaz.h"

#define MAX_CANDIDATES 32    /* postings weighed per mention */
#define MAX_POSTINGS_SCAN 400

enum {
    TOK_CAP = 1,          /* starts with a capital (or a letter without case) */
    TOK_SENT = 2,         /* first word of a sentence or line */
    TOK_JOIN = 4,         /* only a space or a hyphen before the next word */
    TOK_COMMA = 8,        /* a comma right after it */
    TOK_POSS = 16,        /* ends in 's */
    TOK_NUM = 32,
    TOK_UPPER = 64,       /* all capitals */
};

typedef struct token {
    uint32_t start, end;  /* bytes */
    uint32_t poss_end;    /* end without 's */
    uint32_t cp_start;    /* start in code points (lead bytes, as sr_utf8_count) */
    const char *norm;     /* normalised (arena) */
    uint16_t nlen, plen;  /* normalised length; of the form without 's */
    uint8_t flags;
} token;

typedef struct candidate {
    uint32_t place;
    uint8_t type;
    float prior, score;
} candidate;

typedef struct mention {
    uint32_t first, last;  /* tokens */
    uint32_t start, end;   /* bytes */
    uint64_t key;
    candidate *cand;
    uint16_t n_cand;
    int8_t kind_hint;      /* -1 none, else the sr_place_kind context asks for */
    bool accepted, person, strong, metonym;
    float placeness;
    int container;         /* mention index of "X" in "City, X", -1 */
    int rep;               /* first accepted mention of the same name */
    int next_same;         /* next accepted mention of the same name, -1 */
    int chosen;            /* index into cand, -1 */
    float lat, lon;        /* of the chosen place when it is a town or county */
    bool local;            /* chosen is a town or county */
} mention;

typedef struct doc_state {
    const sr_gazetteer *g;
    sr_arena *a;
    const char *text;
    size_t len;
    token *tok;
    size_t n_tok;
    mention *m;
    size_t n_m;
    /* focus: counts per country code and per admin-1 place */
    uint32_t cc_count[26 * 26];
    uint32_t adm1_peers[26 * 26];  /* names resolved to an admin-1 area, per country */
    uint32_t cc_total;
    uint16_t adm1_index[512];      /* hash of adm1[]: position + 1, 0 empty */
    uint32_t *adm1;        /* admin-1 place ids seen */
    uint32_t *adm1_count;
    size_t n_adm1;
    struct area_count { uint32_t adm1, count, last; } *area;  /* candidate admin-1s */
    size_t area_cap;
} doc_state;

/* find.c: the code-point offset of byte, at or after the start of token tok. */
size_t geo_cp_offset(const doc_state *d, size_t tok, size_t byte);
/* place.c: decides which mentions are places. */
void geo_weigh_mentions(doc_state *d);
/* resolve.c: picks one entry per mention and builds the answer. */
void geo_resolve(doc_state *d);
sr_err geo_make_doc(doc_state *d, sr_geo_doc **out);

static inline bool is_stop_key(const doc_state *d, uint64_t key)
{
    const gaz_slot *s = gaz_lookup(d->g, key);
    return s && (s->flags & GAZ_KEY_STOP);
}

#endif
