/* Story signatures: what lets two outlets' own reports of one happening be
 * recognised as one story when their words differ too much for SimHash.
 *
 * A signature is made in the analysis (any thread, from the page alone):
 * the most weighted terms of the title and lead, as 32-bit hashes with
 * weights, the places the text resolves to (GeoNames ids of cities, admin
 * areas and landmarks; country codes of every place and focus) and the
 * CAMEO roots of its events. The writer compares a new article's signature
 * with those of the recent articles (pipeline.c): a weighted Jaccard of the
 * terms, and only between articles that share a place or a country.
 *
 * Why these features: reports of one attack name the same town, the same
 * armed group or officials, the same toll ("killed 12"), and use the same
 * few content words (bomb, market, police) near the top, however the rest
 * is worded. Title and lead carry them (news is written top-down), so the
 * tail of a long article, which wanders into background, is left out. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline_int.h"

/* The lead: enough bytes for a headline paragraph and two or three more. */
#define LEAD_BYTES 1500
/* Distinct stems counted per article; the lead has far fewer. */
#define TERM_SLOTS 512
/* Terms are cut to this many bytes: a crude stem that makes "attacked",
 * "attackers" and "attacks" one term and costs nothing. */
#define STEM_BYTES 6

static void add_words(pl_story_sig *sig, uint32_t *keys, uint16_t *weights, const char *s, size_t len,
                      unsigned times, bool title);
static void keep_top_terms(pl_story_sig *sig, const uint32_t *keys, const uint16_t *weights);
static void add_places(pl_story_sig *sig, uint32_t *keys, uint16_t *weights, const sr_geo_doc *doc);
static void add_term(uint32_t *keys, uint16_t *weights, uint32_t h, unsigned w);
static uint32_t fnv1a(const char *s, size_t n, uint32_t h);
static uint64_t where_bits(const pl_story_sig *sig);
static void term_bits(pl_story_sig *sig);

void pl_story_sig_make(pl_story_sig *sig, const char *title, const char *text, size_t len,
                       const sr_geo_doc *doc, const sr_store_event *events, size_t n_events)
{
    memset(sig, 0, sizeof *sig);
    uint32_t keys[TERM_SLOTS] = {0};
    uint16_t weights[TERM_SLOTS] = {0};
    /* A headline is the article in a line: its words count twice. */
    if (title)
        add_words(sig, keys, weights, title, strlen(title), 2, true);
    add_words(sig, keys, weights, text, len < LEAD_BYTES ? len : LEAD_BYTES, 1, false);
    if (doc)
        add_places(sig, keys, weights, doc);
    for (size_t i = 0; i < n_events; i++) {
        /* CAMEO codes start with their two-digit root: "190", "1823" */
        const char *c = events[i].cameo;
        if (!c || c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9')
            continue;
        int root = (c[0] - '0') * 10 + (c[1] - '0');
        if (root > 0 && root < 32)
            sig->roots |= 1u << root;
    }
    keep_top_terms(sig, keys, weights);
    sig->where = where_bits(sig);
    term_bits(sig);
}

/* ---- Comparing. -------------------------------------------------------------- */

static bool share_place(const pl_story_sig *a, const pl_story_sig *b)
{
    /* the writer compares each new article with every recent one: a
     * mask test first keeps that to a few instructions for most pairs */
    if (!(a->where & b->where))
        return false;
    for (int i = 0; i < a->n_places; i++)
        for (int j = 0; j < b->n_places; j++)
            if (a->place[i] == b->place[j])
                return true;
    for (int i = 0; i < a->n_cc; i++)
        for (int j = 0; j < b->n_cc; j++)
            if (memcmp(a->cc[i], b->cc[j], 2) == 0)
                return true;
    return false;
}

double pl_story_similarity(const pl_story_sig *a, const pl_story_sig *b)
{
    if (!a->n_terms || !b->n_terms || !share_place(a, b))
        return 0;
    /* Weighted Jaccard over the terms (sorted by hash, so one merge pass):
     * the sum of the smaller weights over the sum of the larger. */
    unsigned lo = 0, hi = 0;
    int i = 0, j = 0;
    while (i < a->n_terms || j < b->n_terms) {
        if (j >= b->n_terms || (i < a->n_terms && a->term[i] < b->term[j])) {
            hi += a->weight[i++];
        } else if (i >= a->n_terms || b->term[j] < a->term[i]) {
            hi += b->weight[j++];
        } else {
            unsigned x = a->weight[i++], y = b->weight[j++];
            lo += x < y ? x : y;
            hi += x < y ? y : x;
        }
    }
    double sim = hi ? (double)lo / hi : 0;
    /* Events of different kinds (a protest, a bombing) in one place on one
     * day are two stories even when the lead words overlap: halve. */
    if (a->roots && b->roots && !(a->roots & b->roots))
        sim /= 2;
    return sim;
}

void pl_story_query_make(pl_story_query *q, const pl_story_sig *a)
{
    memcpy(q->bloom, a->terms_bloom, sizeof q->bloom);
    q->weight_sum = a->weight_sum;
    for (int i = 0; i < a->n_terms; i++)
        q->at_bit[a->term[i] & 511] = 0;
    for (int i = 0; i < a->n_terms; i++)
        q->at_bit[a->term[i] & 511] += a->weight[i];
}

/* With a full ring of recent articles (32,768), a third or more share a
 * country with a new one, and comparing their terms took 2.7 ms per new
 * article (bench_story). To reach PL_STORY_JOIN, lo / (Wa + Wb - lo) >=
 * J, the shared weight lo must be at least J / (1 + J) of Wa + Wb; a
 * shared term has its bit set in both blooms, so the weight of a's terms
 * whose bit b has set bounds lo from above. It is summed bit by bit over
 * the bits the two blooms share (the weight of a's terms at each bit made
 * once per new article, pl_story_query_make): the same number as summing
 * term by term, but two unlike reports share a bit or two, so a few steps
 * instead of one per term. */
bool pl_story_may_join(const pl_story_query *q, const uint64_t b_bloom[8], uint32_t b_weight_sum)
{
    unsigned bound = 0;
    for (int w = 0; w < 8; w++)
        for (uint64_t m = q->bloom[w] & b_bloom[w]; m; m &= m - 1)
            bound += q->at_bit[w * 64 + __builtin_ctzll(m)];
    return (double)bound * (1 + PL_STORY_JOIN) >= PL_STORY_JOIN * ((double)q->weight_sum + b_weight_sum);
}

/* ---- The text form the store keeps: "t<hash>:<w>,...;p<id>,...;c<cc>...;r<mask>". */

const char *pl_story_sig_encode(const pl_story_sig *sig, sr_arena *arena)
{
    char buf[PL_SIG_TERMS * 16 + PL_SIG_PLACES * 12 + PL_SIG_CC * 3 + 32];
    size_t n = 0;
    for (int i = 0; i < sig->n_terms; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%x:%u", i ? "," : "t", sig->term[i], sig->weight[i]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, ";p");
    for (int i = 0; i < sig->n_places; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%u", i ? "," : "", sig->place[i]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, ";c");
    for (int i = 0; i < sig->n_cc; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%.2s", sig->cc[i]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, ";r%x", sig->roots);
    return sr_arena_strndup(arena, buf, n);
}

/* A signature the store gives back. Anything malformed (a store edited by
 * hand, a later format) gives an empty signature: that article is then
 * only found again by SimHash, nothing worse. */
bool pl_story_sig_decode(const char *s, pl_story_sig *sig)
{
    memset(sig, 0, sizeof *sig);
    if (!s || *s++ != 't')
        return false;
    char *end;
    while (*s && *s != ';' && sig->n_terms < PL_SIG_TERMS) {
        unsigned long h = strtoul(s, &end, 16);
        if (*end != ':')
            goto bad;
        unsigned long w = strtoul(end + 1, &end, 10);
        sig->term[sig->n_terms] = (uint32_t)h;
        sig->weight[sig->n_terms++] = (uint16_t)(w > 0xffff ? 0xffff : w);
        s = *end == ',' ? end + 1 : end;
    }
    if (strncmp(s, ";p", 2))
        goto bad;
    for (s += 2; *s >= '0' && *s <= '9' && sig->n_places < PL_SIG_PLACES;) {
        sig->place[sig->n_places++] = (uint32_t)strtoul(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
    }
    if (strncmp(s, ";c", 2))
        goto bad;
    for (s += 2; s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && sig->n_cc < PL_SIG_CC; s += 2)
        memcpy(sig->cc[sig->n_cc++], s, 2);
    if (strncmp(s, ";r", 2))
        goto bad;
    sig->roots = (uint32_t)strtoul(s + 2, NULL, 16);
    sig->where = where_bits(sig);
    term_bits(sig);
    return true;
bad:
    memset(sig, 0, sizeof *sig);
    return false;
}

/* ---- Making: terms. ---------------------------------------------------------- */

/* Function words and the words of news furniture: they are in every
 * report and tell nothing about which happening it is. */
#define W(s) {s, sizeof s - 1}
static const struct {
    const char *w;
    size_t n;
} stop_words[] = {
    W("about"), W("after"), W("again"), W("against"), W("also"), W("among"), W("and"), W("another"), W("any"),
    W("are"), W("around"), W("because"), W("been"), W("before"), W("being"), W("between"), W("both"), W("but"),
    W("can"), W("could"), W("did"), W("does"), W("during"), W("each"), W("early"), W("for"), W("from"), W("had"),
    W("has"), W("have"), W("her"), W("here"), W("him"), W("his"), W("how"), W("into"), W("its"), W("last"),
    W("late"), W("least"), W("more"), W("most"), W("much"), W("near"), W("new"), W("not"), W("now"), W("one"),
    W("only"), W("other"), W("our"), W("out"), W("over"), W("own"), W("reported"), W("reports"), W("reuters"),
    W("said"), W("says"), W("she"), W("since"), W("some"), W("still"), W("such"), W("than"), W("that"), W("the"),
    W("their"), W("them"), W("then"), W("there"), W("these"), W("they"), W("this"), W("those"), W("through"),
    W("told"), W("under"), W("until"), W("upon"), W("very"), W("was"), W("were"), W("what"), W("when"), W("where"),
    W("which"), W("while"), W("who"), W("whom"), W("will"), W("with"), W("would"), W("yesterday"), W("today"),
    W("you"), W("your"), W("according"), W("two"), W("three"), W("people"), W("monday"), W("tuesday"),
    W("wednesday"), W("thursday"), W("friday"), W("saturday"), W("sunday"), W("news"), W("agency"), W("official"),
    W("officials"), W("several"), W("many"), W("just"), W("like"), W("may"), W("might"), W("must"), W("should"),
    W("per"), W("cent"),
};
#undef W

/* This runs for every word of every article's lead: the words are looked
 * up among those of the same first letter and length only (a scan of the
 * whole list was 1.7 % of ingest's instructions). */
#define N_STOP (sizeof stop_words / sizeof *stop_words)
static uint8_t stop_by_letter[26][N_STOP];   /* indexes into stop_words */
static uint8_t n_by_letter[26];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static void index_stop_words(void)
{
    for (size_t i = 0; i < N_STOP; i++) {
        int l = stop_words[i].w[0] - 'a';
        stop_by_letter[l][n_by_letter[l]++] = (uint8_t)i;
    }
}

static bool is_stop_word(const char *w, size_t n)
{
    if (w[0] < 'a' || w[0] > 'z')
        return false;
    pthread_once(&stop_once, index_stop_words);
    int l = w[0] - 'a';
    for (int k = 0; k < n_by_letter[l]; k++) {
        size_t i = stop_by_letter[l][k];
        if (stop_words[i].n == n && memcmp(stop_words[i].w, w, n) == 0)
            return true;
    }
    return false;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Names (a capital not at a sentence's start) and numbers say which
 * happening it is more than common words: they count double. */
static void add_words(pl_story_sig *sig, uint32_t *keys, uint16_t *weights, const char *s, size_t len,
                      unsigned times, bool title)
{
    (void)sig;
    bool sentence_start = true;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (!word_byte(c)) {
            if (c == '.' || c == '!' || c == '?' || c == '\n')
                sentence_start = true;
            i++;
            continue;
        }
        size_t b = i;
        while (i < len && (word_byte((unsigned char)s[i]) ||
                           ((s[i] == ',' || s[i] == '.') && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9' &&
                            s[b] >= '0' && s[b] <= '9')))
            i++;
        char w[64];
        size_t n = 0;
        bool digits = s[b] >= '0' && s[b] <= '9';
        for (size_t k = b; k < i && n < sizeof w; k++)
            if (s[k] != ',')
                w[n++] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
        bool name = !title && !sentence_start && s[b] >= 'A' && s[b] <= 'Z';
        sentence_start = false;
        if ((n < 3 && !digits) || is_stop_word(w, n))
            continue;
        /* a year or a day of the month is in every report of its time */
        if (digits && n <= 4 && strtoul(w, NULL, 10) > 31 && strtoul(w, NULL, 10) > 1900)
            continue;
        unsigned weight = times * (name || digits ? 2 : 1);
        add_term(keys, weights, fnv1a(w, n < STEM_BYTES || digits ? n : STEM_BYTES, 2166136261u), weight);
    }
}

/* A place the text resolves to is a term too (weight 2, as a name), and
 * the places are kept apart for the must-share test. */
static void add_places(pl_story_sig *sig, uint32_t *keys, uint16_t *weights, const sr_geo_doc *doc)
{
    for (size_t i = 0; i < doc->n_places; i++) {
        const sr_place *pl = &doc->places[i];
        bool in = false;
        for (int j = 0; j < sig->n_cc && pl->cc[0]; j++)
            in |= memcmp(sig->cc[j], pl->cc, 2) == 0;
        if (pl->cc[0] && pl->cc[1] && !in && sig->n_cc < PL_SIG_CC)
            memcpy(sig->cc[sig->n_cc++], pl->cc, 2);
        if (pl->kind == SR_PLACE_COUNTRY || pl->kind == SR_PLACE_REGION || !pl->geonameid)
            continue;
        in = false;
        for (int j = 0; j < sig->n_places; j++)
            in |= sig->place[j] == pl->geonameid;
        if (!in && sig->n_places < PL_SIG_PLACES)
            sig->place[sig->n_places++] = pl->geonameid;
        char key[16];
        int n = snprintf(key, sizeof key, "#%u", pl->geonameid);
        add_term(keys, weights, fnv1a(key, (size_t)n, 2166136261u), 2);
    }
    for (size_t i = 0; i < doc->n_focus && sig->n_cc < PL_SIG_CC; i++) {
        const sr_geo_focus *f = &doc->focus[i];
        bool in = false;
        for (int j = 0; j < sig->n_cc; j++)
            in |= memcmp(sig->cc[j], f->cc, 2) == 0;
        if (f->cc[0] && f->cc[1] && !in)
            memcpy(sig->cc[sig->n_cc++], f->cc, 2);
    }
}

/* Open addressing; 0 is the empty key (a term hashing to 0 becomes 1). */
static void add_term(uint32_t *keys, uint16_t *weights, uint32_t h, unsigned w)
{
    h = h ? h : 1;
    for (unsigned probe = 0; probe < TERM_SLOTS; probe++) {
        unsigned slot = (h + probe) % TERM_SLOTS;
        if (keys[slot] == h || !keys[slot]) {
            keys[slot] = h;
            unsigned sum = weights[slot] + w;
            weights[slot] = (uint16_t)(sum > 0xffff ? 0xffff : sum);
            return;
        }
    }
}

struct term { uint32_t key; uint16_t weight; };

static int by_weight(const void *x, const void *y)
{
    const struct term *a = x, *b = y;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static int by_key(const void *x, const void *y)
{
    const struct term *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* The heaviest terms, ties by hash so that every run keeps the same ones,
 * then sorted by hash for the comparison's merge. */
static void keep_top_terms(pl_story_sig *sig, const uint32_t *keys, const uint16_t *weights)
{
    struct term all[TERM_SLOTS];
    size_t n = 0;
    for (size_t i = 0; i < TERM_SLOTS; i++)
        if (keys[i])
            all[n++] = (struct term){keys[i], weights[i]};
    qsort(all, n, sizeof *all, by_weight);
    if (n > PL_SIG_TERMS)
        n = PL_SIG_TERMS;
    qsort(all, n, sizeof *all, by_key);
    for (size_t i = 0; i < n; i++) {
        sig->term[i] = all[i].key;
        sig->weight[i] = all[i].weight;
    }
    sig->n_terms = (uint8_t)n;
}

static uint32_t fnv1a(const char *s, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void term_bits(pl_story_sig *sig)
{
    memset(sig->terms_bloom, 0, sizeof sig->terms_bloom);
    sig->weight_sum = 0;
    for (int i = 0; i < sig->n_terms; i++) {
        sig->terms_bloom[(sig->term[i] >> 6) & 7] |= 1ull << (sig->term[i] & 63);
        sig->weight_sum += sig->weight[i];
    }
}

static uint64_t where_bits(const pl_story_sig *sig)
{
    uint64_t bits = 0;
    for (int i = 0; i < sig->n_places; i++)
        bits |= 1ull << (sig->place[i] * 2654435761u >> 26);
    for (int i = 0; i < sig->n_cc; i++)
        bits |= 1ull << (fnv1a(sig->cc[i], 2, 2166136261u) >> 26);
    return bits;
}
