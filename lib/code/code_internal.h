/* Shapes shared by the dictionary reader, the coder and the validator. */
#ifndef SR_CODE_INTERNAL_H
#define SR_CODE_INTERNAL_H
#include <stdint.h>
#include "sitrep/code.h"
#include "sitrep/util.h"

/* Lengths read from outside are capped: a dictionary line, a phrase's words,
 * a sentence's tokens. */
#define SR_CODE_MAX_LINE 4096
#define SR_CODE_MAX_WORDS 64
#define SR_CODE_MAX_TOKENS 2048
#define SR_CODE_MAX_SENTENCE (256u << 10)   /* bytes of one sentence coded */
#define SR_CODE_MAX_EVENTS 256
#define SR_CODE_MAX_DEPTH 32

enum phrase_kind { PK_ACTOR, PK_AGENT, PK_VERB, PK_NOUN, PK_ADJ, PK_TIME, PK_DISCARD };

/* One word of a dictionary phrase: `stem` lets it match any word it
 * begins (TABARI's stemming); without it the word must match whole, up to a
 * regular ending unless `noend` ('=' in the dictionary). */
typedef struct pword {
    const char *s;
    uint16_t len;
    uint8_t stem, noend;
    uint8_t gap;         /* a blank before it: other words may come between */
} pword;

typedef struct phrase {
    pword *w;
    uint16_t nwords;
    uint8_t kind;
    uint32_t item;       /* index into the kind's table */
    uint32_t chars;      /* letters, for longest-match ties */
    int32_t next;        /* next phrase with the same first word */
} phrase;

/* A date-restricted code: applies when lo <= date <= hi (YYYYMMDD). */
typedef struct dcode {
    const char *code;    /* may be "A/B" compound, "---", "###", "+++" */
    int lo, hi;
} dcode;

typedef struct actor_entry {
    dcode *codes;
    uint16_t ncodes;
} actor_entry;

typedef struct agent_entry {
    const char *code;    /* without the ~ */
    const char *raw;     /* as written, e.g. "~GOV" */
    bool prefix;         /* "NGO~": the agent code goes before the actor's */
} agent_entry;

/* Verb pattern elements. */
enum elem_kind { E_WORD, E_ALT, E_SRC, E_TGT, E_CMP, E_SKIP };

typedef struct elem_seq {
    struct elem *e;
    uint16_t n;
} elem_seq;

typedef struct elem {
    uint8_t kind;
    uint8_t adj;         /* must follow the previous element immediately */
    uint8_t synset;
    pword w;
    elem_seq *alts;      /* E_ALT: alternatives (a synset or { | }) */
    uint16_t nalts;
} elem;

typedef struct event_code {
    const char *a, *b;   /* b: second code of a pair "a:b", else NULL */
    bool sub, dom;       /* '?' subordinate, '!' dominant */
    bool null, discard, complex;
} event_code;

/* Which word beginnings a clause holds: one bit set per word for its first
 * one, two and three letters. A pattern whose fixed words are not all in
 * the clause's set cannot match, so it is not tried. */
typedef struct word_set { uint64_t b[4]; } word_set;

static inline unsigned word_bit(const char *w, size_t n)
{
    unsigned h = (unsigned)n * 131u;
    for (size_t i = 0; i < n; i++) h = h * 31u + (unsigned char)w[i];
    return h & 255u;
}

static inline void word_set_add(word_set *s, const char *w, size_t len)
{
    for (size_t n = 1; n <= 3 && n <= len; n++) {
        unsigned b = word_bit(w, n);
        s->b[b >> 6] |= 1ull << (b & 63);
    }
}

static inline bool word_set_has(const word_set *have, unsigned bit)
{
    return (have->b[bit >> 6] >> (bit & 63)) & 1;
}

typedef struct pattern {
    /* up to four fixed words before and after the verb, as word_set bits:
     * a pattern whose words are not in the sentence is not tried */
    uint8_t need_pre[4], need_post[4];
    uint8_t npre, npost;
    elem_seq pre, post;  /* before and after the verb */
    bool adj_before, adj_after;
    bool synset;         /* has a &SYNSET */
    int length;
    event_code code;
    int line;
} pattern;

typedef struct verb_entry {
    event_code code;
    pattern *pats;
    uint32_t npats, cap;
    bool has_code;
} verb_entry;

typedef struct time_entry {
    int shift;           /* days */
    bool discard, complex, null;
} time_entry;

typedef struct synset {
    const char *name;
    elem_seq *alts;
    uint16_t nalts, cap;
} synset;

/* Options that change coding (TABARI .options). */
typedef struct code_options {
    enum { BY_CLAUSE, BY_SENTENCE, BY_ALL } code_by;
    bool noactprior, noactafter;
    int max_verbs, max_conj;   /* COMPLEX: VERBS[n] CONJ[n], 0 = off */
    bool comma_on;
    int cmin, cmax, emin, emax, bmin, bmax;
    int min_words;
    bool convert_agents;
    bool stemming;             /* off: actor, agent and verb words match whole */
    bool shared_agents;        /* PETRARCH: "X of A and B" gives X to A and B */
    bool null_actors;          /* PETRARCH: lone agents are ---AGT, lone verbs hit --- */
    int new_actor_length;      /* PETRARCH: unknown noun phrases of up to n words are actors */
    bool target_compound;      /* PETRARCH: a % after the verb is the target only */
    bool noun_phrases;         /* PETRARCH: unknown words inside noun phrases (compounds) */
    bool require_dyad;         /* PETRARCH's require_dyad: no event with a bare --- side */
    bool closed_synsets;       /* PETRARCH: "&SET_WORD" before the verb is checked too */
    bool attribution;          /* sitrep: "X said Y attacked Z" is Y's attack */
    bool forward;              /* FORWARD: pronouns across records (8.4) */
    char forward_format[32];
    bool yyyy;
    int time_shift;            /* -1 unset: on when <TIME> phrases exist */
    const char *def_src, *def_tgt;
    bool def_src_prior, def_tgt_after;
} code_options;

struct sr_code_dict {
    sr_arena *mem;
    FILE *errors;
    phrase *phrases;
    uint32_t nphrases, cap_phrases;
    int32_t *heads;            /* hash of first word -> phrase chain */
    const char **head_keys;
    uint32_t *head_hash;
    int32_t *head_sub;         /* long chains: offset into `subs`, else -1 */
    int32_t *subs;             /* SUB_BUCKETS chain starts per long chain */
    int32_t *sub_next;         /* per phrase: next in its bucket */
    uint32_t nsubs;
    uint32_t nheads;           /* power of two */
    uint32_t used_heads;
    uint64_t *bloom;           /* first-word hashes: most prefixes miss here */
    bool dirty;                /* index to rebuild before coding */
    actor_entry *actors; uint32_t nactors, cap_actors;
    agent_entry *agents; uint32_t nagents, cap_agents;
    verb_entry *verbs; uint32_t nverbs, cap_verbs;
    time_entry *times; uint32_t ntimes, cap_times;
    synset *synsets; uint32_t nsynsets, cap_synsets;
    code_options opt;
    bool has_time;
    struct sr_details_tables *details;  /* details.c: mood, PLOVER, ACLED tables */
};

/* Penn Treebank splits a negative contraction before "N'T" ("DIDN'T" ->
 * "DID N'T", "WON'T" -> "WO N'T"), and PETRARCH's dictionaries are written
 * that way; text and dictionary words are both split so that either
 * spelling matches either. Returns the length before "N'T", 0 if none. */
static inline size_t sr_contraction_stem(const char *w, size_t len)
{
    return len > 3 && w[len - 3] == 'N' && w[len - 2] == '\'' && w[len - 1] == 'T' ? len - 3 : 0;
}

/* dict.c */
#define SUB_BUCKETS 28         /* any second word, A..Z, other */
int32_t sr_dict_head(const sr_code_dict *d, const char *w, size_t len);
/* Slot of the first word w[0..len) whose FNV-1a hash is h, -1 if none. */
int32_t sr_dict_slot(const sr_code_dict *d, const char *w, size_t len, uint32_t h);
static inline uint32_t sr_fnv_step(uint32_t h, char c) { return (h ^ (uint8_t)c) * 16777619u; }
#define SR_FNV_INIT 2166136261u
#define BLOOM_BITS (1u << 20)
static inline bool bloom_maybe(const uint64_t *bloom, uint32_t h)
{
    uint32_t b = (h ^ (h >> 20)) & (BLOOM_BITS - 1);
    return (bloom[b >> 6] >> (b & 63)) & 1;
}
/* Build the lookup index after loading (done by sr_coder_new). */
void sr_dict_prepare(sr_code_dict *d);
static inline int sub_bucket(char c)
{
    return c >= 'A' && c <= 'Z' ? 1 + (c - 'A') : SUB_BUCKETS - 1;
}
bool sr_word_matches(const pword *pw, const char *w, size_t len, bool final, int kind);
void sr_options_default(code_options *o);

/* coder.c: FORWARD (manual 8.4). The next sentence's leading pronoun
 * stands for `code` (NULL: no forwarding); the first actor of the sentence
 * just coded, without its agent, is what the next one may forward. */
void sr_coder_forward(sr_coder *c, const char *code);
const char *sr_coder_first_actor(const sr_coder *c);

/* cameo_table.c */
struct sr_cameo_entry { const char *code; double goldstein; int quad; bool scored; const char *name; };
extern const struct sr_cameo_entry sr_cameo_table[];
extern const size_t sr_cameo_table_len;

#endif
