/* Finding the places a text names and resolving each one.
 *
 * One pass cuts the text into words (normalised as the gazetteer's names
 * are, see norm.c); from every capitalised word the longest run of words
 * that is a gazetteer key becomes a candidate mention. Each mention is
 * then weighed as a place (context words, capitalisation, person and
 * organisation cues, common words) and resolved in ordered passes in the
 * spirit of CLIFF: country names first, then the document's focus
 * countries and admin-1 areas, places that co-occur, explicit containers
 * ("Alexandria, La."), population and feature class. */
#include <math.h>
#include <string.h>
#include <utf8proc.h>
#include "sitrep/geo.h"
#include "gaz.h"
#include "words.h"

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
    uint32_t *adm1;        /* admin-1 place ids seen */
    uint32_t *adm1_count;
    size_t n_adm1;
    struct area_count { uint32_t adm1, count, last; } *area;  /* candidate admin-1s */
    size_t area_cap;
} doc_state;

static sr_err tokenize(doc_state *d);
static sr_err find_mentions(doc_state *d);
static void weigh_mentions(doc_state *d);
static void resolve(doc_state *d);
static sr_err make_doc(doc_state *d, sr_geo_doc **out);

sr_err sr_geo_find(const sr_gazetteer *g, sr_arena *arena, const char *text, size_t len,
                   sr_geo_doc **out)
{
    if (!g || !arena || (!text && len) || !out)
        return SR_EINVAL;
    *out = NULL;
    if (len > SR_GEO_MAX_TEXT)
        return SR_ETOOBIG;
    doc_state d = {.g = g, .a = arena, .text = text ? text : "", .len = len};
    sr_err e = tokenize(&d);
    if (e == SR_OK)
        e = find_mentions(&d);
    if (e == SR_OK) {
        weigh_mentions(&d);
        resolve(&d);
        e = make_doc(&d, out);
    }
    return e;
}

size_t sr_geo_places_within(const sr_geo_doc *doc, size_t a, size_t b, const sr_place **first)
{
    size_t lo = 0, hi = doc ? doc->n_places : 0;
    while (lo < hi) {  /* first place starting at or after a */
        size_t mid = (lo + hi) / 2;
        if (doc->places[mid].start < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < (doc ? doc->n_places : 0) && doc->places[lo + n].start < b)
        n++;
    if (first)
        *first = n ? &doc->places[lo] : NULL;
    return n;
}

/* ---- words ---- */

static bool is_word_cp(int32_t cp, bool *upper, bool *cased)
{
    if (cp < 0x80) {
        *upper = cp >= 'A' && cp <= 'Z';
        *cased = *upper || (cp >= 'a' && cp <= 'z');
        return *cased || (cp >= '0' && cp <= '9');
    }
    utf8proc_category_t c = utf8proc_category(cp);
    *upper = c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
    *cased = *upper || c == UTF8PROC_CATEGORY_LL;
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND);  /* letters, marks, digits */
}

static bool is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x02BF || cp == 0x02BE || cp == 0x2018;
}

/* Reads one word from s[i]: letters and digits with inner apostrophes;
 * "U.S." and "D.C." stay one word. Returns the end; flags describe it. */
static size_t scan_word(const char *s, size_t len, size_t i, uint8_t *flags, size_t *poss_end)
{
    size_t k = i, end = i;
    bool first = true, all_upper = true, any_cased = false, lower_or_other = false;
    size_t letters = 0;
    *poss_end = 0;
    while (k < len) {
        size_t at = k;
        int32_t cp = (unsigned char)s[k] < 0x80 ? (unsigned char)s[k++] : sr_utf8_decode(s, len, &k);
        bool up = false, cased = false;
        if (cp >= 0 && is_word_cp(cp, &up, &cased)) {
            if (first) {
                *flags |= up || !cased ? TOK_CAP : 0;
                *flags |= cp >= '0' && cp <= '9' ? TOK_NUM : 0;
                first = false;
            }
            any_cased |= cased;
            if (cased && !up)
                all_upper = false;
            if (!cased)
                lower_or_other = true;
            letters++;
            end = k;
            continue;
        }
        if (cp >= 0 && (is_apostrophe(cp) || cp == '.') && !first && k < len) {
            size_t k2 = k;
            bool up2, cased2;
            int32_t next = sr_utf8_decode(s, len, &k2);
            if (next >= 0 && is_word_cp(next, &up2, &cased2)) {
                if (cp == '.' && !(letters == 1 && up2))  /* only "U.S.", not "end.Next" */
                    break;
                if (cp != '.' && (next == 's' || next == 'S')) {
                    size_t k3 = k2;
                    bool u3, c3;
                    int32_t after = k3 < len ? sr_utf8_decode(s, len, &k3) : ' ';
                    if (after < 0 || !is_word_cp(after, &u3, &c3))
                        *poss_end = at;
                }
                letters = cp == '.' ? 0 : letters;
                continue;
            }
            if (cp == '.' && letters == 1 && at > i + 1 && s[at - 2] == '.') {
                end = k;  /* the last dot of "U.S." */
                break;
            }
        }
        (void)at;
        break;
    }
    if (any_cased && all_upper && !lower_or_other && end > i + 1)
        *flags |= TOK_UPPER;
    return end;
}

/* "d'Ivoire", "l'Aquila": an elided article before a capital. */
static bool elided_capital(const char *s, size_t n)
{
    if (n < 3 || (s[0] != 'd' && s[0] != 'l'))
        return false;
    size_t k = 1;
    int32_t ap = sr_utf8_decode(s, n, &k);
    return is_apostrophe(ap) && k < n && s[k] >= 'A' && s[k] <= 'Z';
}

static void normalise_token(doc_state *d, token *t, char *buf)
{
    char w[GAZ_MAX_KEY];
    size_t n = gaz_norm_word(d->text + t->start, t->end - t->start, w);
    memcpy(buf, w, n + 1);
    t->norm = buf;
    t->nlen = (uint16_t)n;
    t->plen = 0;
    if (t->poss_end) {
        char p[GAZ_MAX_KEY];
        size_t pn = gaz_norm_word(d->text + t->start, t->poss_end - t->start, p);
        if (pn && pn < n && memcmp(p, w, pn) == 0)
            t->plen = (uint16_t)pn;
    }
}

/* What lies between two words decides whether they may form one name and
 * whether the second opens a sentence. */
static void mark_gap(doc_state *d, token *prev, token *next)
{
    const char *s = d->text;
    size_t spaces = 0, hyphens = 0, other = 0, newlines = 0, stops = 0, commas = 0, dots = 0;
    for (size_t i = prev->end; i < next->start; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t')
            spaces++;
        else if (c == '\n' || c == '\r')
            newlines++;
        else if (c == '-')
            hyphens++;
        else if (c == '.')
            dots++;
        else if (c == '!' || c == '?' || c == ':' || c == ';')
            stops++;
        else if (c == ',')
            commas++;
        else if (c == '\'' && i + 1 < next->start && (s[i + 1] == 's' || s[i + 1] == 'S'))
            ;  /* 's already handled */
        else
            other++;
    }
    if (commas)
        prev->flags |= TOK_COMMA;
    bool short_abbrev = dots == 1 && prev->nlen <= 3 && (prev->flags & TOK_CAP) &&
                        (is_abbrev_word(prev->norm) || prev->nlen == 1);  /* "St. Louis", "W. Va." */
    if (!newlines && !other && !stops && !commas && hyphens <= 1 && spaces <= 2 &&
        (dots == 0 || short_abbrev))
        prev->flags |= TOK_JOIN;
    if (newlines > 1 || stops || (dots && !short_abbrev && !is_title_abbrev(prev->norm)) ||
        (newlines && (next->flags & TOK_CAP)))
        next->flags |= TOK_SENT;
}

static token *grow_tokens(doc_state *d, size_t *cap)
{
    size_t ncap = *cap * 2;
    token *t = sr_arena_alloc(d->a, ncap * sizeof *t);
    if (t && d->n_tok)
        memcpy(t, d->tok, d->n_tok * sizeof *t);
    *cap = ncap;
    return t;
}

static sr_err tokenize(doc_state *d)
{
    size_t cap = d->len / 6 + 64;  /* English averages a word per 6 bytes */
    d->tok = sr_arena_alloc(d->a, cap * sizeof *d->tok);
    size_t norm_cap = d->len * 2 + GAZ_MAX_KEY * 2;
    char *norm = sr_arena_alloc(d->a, norm_cap);
    if (!d->tok || !norm)
        return SR_ENOMEM;
    size_t used = 0;
    /* Folding can lengthen a word (ligatures, "ß"); a text that would
     * overflow the buffer is read only up to there. */
    for (size_t i = 0; i < d->len && used + GAZ_MAX_KEY < norm_cap;) {
        size_t k = i;
        int32_t cp = (unsigned char)d->text[i] < 0x80 ? (unsigned char)d->text[k++]
                                                      : sr_utf8_decode(d->text, d->len, &k);
        bool up, cased;
        if (cp < 0 || !is_word_cp(cp, &up, &cased)) {
            i = k;
            continue;
        }
        if (d->n_tok == cap && !(d->tok = grow_tokens(d, &cap)))
            return SR_ENOMEM;
        token *t = &d->tok[d->n_tok];
        memset(t, 0, sizeof *t);
        size_t poss = 0;
        size_t end = scan_word(d->text, d->len, i, &t->flags, &poss);
        t->start = (uint32_t)i;
        t->end = (uint32_t)end;
        t->poss_end = (uint32_t)poss;
        if (elided_capital(d->text + i, end - i))
            t->flags |= TOK_CAP;  /* "d'Ivoire" inside "Côte d'Ivoire" */
        normalise_token(d, t, norm + used);
        used += t->nlen + 1u;
        if (d->n_tok == 0)
            t->flags |= TOK_SENT;
        else
            mark_gap(d, &d->tok[d->n_tok - 1], t);
        d->n_tok++;
        i = end > i ? end : k;
    }
    return SR_OK;
}

/* ---- mentions: longest gazetteer key from each capitalised word ---- */

static uint64_t extend_key(uint64_t h, const token *t, bool first, bool poss)
{
    if (!first)
        h = gaz_hash_add(h, " ", 1);
    return gaz_hash_add(h, t->norm, poss ? t->plen : t->nlen);
}

static bool may_continue(const token *t)
{
    return (t->flags & (TOK_CAP | TOK_NUM)) == TOK_CAP || is_name_connector(t->norm);
}

/* The longest key starting at token i; returns its last token or -1. */
static long longest_key(doc_state *d, size_t i, const gaz_slot **found, bool *poss_end)
{
    long best = -1;
    uint64_t h = GAZ_HASH_INIT;
    for (size_t j = i; j < d->n_tok && j < i + GAZ_MAX_TOKENS; j++) {
        const token *t = &d->tok[j];
        if (j > i && !may_continue(t))
            break;
        bool possessive = false;
        if (t->plen) {  /* "Canada's": the name ends here, whatever "Canadas" may be */
            const gaz_slot *s = gaz_lookup(d->g, gaz_hash_final(extend_key(h, t, j == i, true)));
            if (s && (s->flags & GAZ_KEY_FULL) && s->count && !is_name_connector(t->norm)) {
                best = (long)j, *found = s, *poss_end = true, possessive = true;
            }
        }
        h = extend_key(h, t, j == i, false);
        const gaz_slot *s = gaz_lookup(d->g, gaz_hash_final(h));
        if (!s)
            break;
        if ((s->flags & GAZ_KEY_FULL) && s->count && (t->flags & TOK_CAP) && !possessive) {
            best = (long)j, *found = s, *poss_end = false;
        }
        if (!(s->flags & GAZ_KEY_PREFIX) || !(t->flags & TOK_JOIN) || t->plen)
            break;
    }
    return best;
}

static bool is_stop_key(const doc_state *d, uint64_t key)
{
    const gaz_slot *s = gaz_lookup(d->g, key);
    return s && (s->flags & GAZ_KEY_STOP);
}

static sr_err add_mention(doc_state *d, size_t i, size_t j, const gaz_slot *s, bool poss,
                          size_t *cap)
{
    if (d->n_m == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        mention *m = sr_arena_alloc(d->a, ncap * sizeof *m);
        if (!m)
            return SR_ENOMEM;
        if (d->n_m)
            memcpy(m, d->m, d->n_m * sizeof *m);
        d->m = m, *cap = ncap;
    }
    mention *m = &d->m[d->n_m];
    memset(m, 0, sizeof *m);
    m->first = (uint32_t)i, m->last = (uint32_t)j;
    m->start = d->tok[i].start;
    m->end = poss ? d->tok[j].poss_end : d->tok[j].end;
    m->key = s->hash;
    m->kind_hint = -1;
    m->container = -1;
    m->chosen = -1;
    size_t n = s->count < MAX_POSTINGS_SCAN ? s->count : MAX_POSTINGS_SCAN;
    m->cand = sr_arena_alloc(d->a, (n < MAX_CANDIDATES ? n : MAX_CANDIDATES) * sizeof *m->cand + 1);
    if (!m->cand)
        return SR_ENOMEM;
    for (size_t k = 0; k < n && m->n_cand < MAX_CANDIDATES; k++) {
        const gaz_posting *p = &d->g->postings[s->first + k];
        if (p->place >= d->g->h->n_places)
            continue;
        m->cand[m->n_cand++] = (candidate){p->place, p->type, 0, 0};
    }
    if (m->n_cand)
        d->n_m++;
    return SR_OK;
}

static sr_err find_mentions(doc_state *d)
{
    size_t cap = 0;
    for (size_t i = 0; i < d->n_tok;) {
        const token *t = &d->tok[i];
        if (!(t->flags & TOK_CAP) || (t->flags & TOK_NUM)) {
            i++;
            continue;
        }
        const gaz_slot *s = NULL;
        bool poss = false;
        long j = longest_key(d, i, &s, &poss);
        if (j < 0) {
            i++;
            continue;
        }
        sr_err e = add_mention(d, i, (size_t)j, s, poss, &cap);
        if (e != SR_OK)
            return e;
        i = (size_t)j + 1;
    }
    return SR_OK;
}

/* ---- is it a place? ---- */

typedef struct mention_class {
    bool country, admin1, region, only_abbrev, any_abbrev, has_main;
    uint32_t max_pop;
} mention_class;

static mention_class classify(const doc_state *d, const mention *m)
{
    mention_class c = {.only_abbrev = true};
    /* Postings come strongest name first, then by population: the first
     * few tell what the name can be. */
    for (size_t k = 0; k < m->n_cand && k < 8; k++) {
        const gaz_place *p = &d->g->places[m->cand[k].place];
        uint8_t type = m->cand[k].type;
        if (type != GAZ_NAME_ABBREV)
            c.only_abbrev = false;
        else
            c.any_abbrev = true;
        if (type == GAZ_NAME_ABBREV)
            continue;
        /* "Fallujah" is the short form of "Al Fallujah": as good as a main name. */
        c.has_main |= type != GAZ_NAME_ALT;
        if (type == GAZ_NAME_SHORT && p->kind != SR_PLACE_CITY)
            continue;
        c.country |= p->kind == SR_PLACE_COUNTRY;
        c.admin1 |= p->kind == SR_PLACE_ADMIN1 && p->population >= 50000;
        c.region |= p->kind == SR_PLACE_REGION;
        uint32_t pop = type == GAZ_NAME_ALT ? p->population / 3 : p->population;
        if (pop > c.max_pop)
            c.max_pop = pop;
    }
    return c;
}

static bool is_given_name(const doc_state *d, const token *t)
{
    const gaz_slot *s = gaz_lookup(d->g, gaz_hash_final(gaz_hash_add(GAZ_HASH_INIT, t->norm, t->nlen)));
    return s && (s->flags & GAZ_KEY_GIVEN);
}

static const token *prev_token(const doc_state *d, const mention *m)
{
    return m->first > 0 && !(d->tok[m->first].flags & TOK_SENT) ? &d->tok[m->first - 1] : NULL;
}

static const token *next_token(const doc_state *d, const mention *m)
{
    return m->last + 1 < d->n_tok ? &d->tok[m->last + 1] : NULL;
}

/* Person cues: a title before ("Secretary Kerry"), a first name next to
 * the name ("Michael Jordan", "Chad Johnson"), or a capitalised word before
 * a one-word name that is no country or state ("John Kerry"). A capitalised
 * word after a name is no cue: news writes "Dublin Mayor", "U.S. House",
 * "Nashville Film Festival", and those are places. */
static float person_cue(const doc_state *d, const mention *m, const mention *prev_m,
                        const mention_class *c)
{
    const token *p = prev_token(d, m), *n = next_token(d, m);
    const token *first = &d->tok[m->first], *last = &d->tok[m->last];
    if (p && !(p->flags & TOK_COMMA) && is_title_word(p->norm))
        return 5.0f;
    if (p && (p->flags & TOK_JOIN) && (p->flags & TOK_CAP) && is_given_name(d, p))
        return 4.0f;
    if (n && (last->flags & TOK_JOIN) && m->first == m->last && (n->flags & TOK_CAP) &&
        !(n->flags & TOK_NUM) && is_given_name(d, first) && admin_word_kind(n->norm) < 0 &&
        !is_calendar_word(n->norm) && !is_name_connector(n->norm) && !is_org_word(n->norm) &&
        !is_institution_word(n->norm))
        return 4.0f;
    if (c->country || c->admin1 || c->region || m->last > m->first)
        return 0;
    if (p && (p->flags & TOK_JOIN) && (p->flags & TOK_CAP) && !(p->flags & TOK_NUM) &&
        !p->plen && p->nlen > 1 && !(prev_m && prev_m->last + 1 == m->first) &&
        !is_place_modifier(p->norm) && !is_calendar_word(p->norm) &&
        !is_name_connector(p->norm) && !is_place_preposition(p->norm) &&
        !is_stop_key(d, gaz_hash_final(gaz_hash_add(GAZ_HASH_INIT, p->norm, p->nlen))))
        return (p->flags & TOK_SENT) ? 1.0f : 3.5f;
    return 0;
}

static float context_cue(doc_state *d, mention *m)
{
    float s = 0;
    const token *p = prev_token(d, m), *n = next_token(d, m);
    const token *last = &d->tok[m->last];
    if (p && p->nlen == 1 && (p->norm[0] == 'd' || p->norm[0] == 'r') && (p->flags & TOK_JOIN) &&
        d->text[p->end] == '-')
        s += 2.0f;  /* a legislator's party and home: "D-Columbus", "R-Texas" */
    if (p && !(p->flags & TOK_COMMA)) {
        if (is_place_preposition(p->norm))
            s += 1.5f;
        else if (strcmp(p->norm, "of") == 0) {
            s += 0.5f;
            const token *pp = m->first > 1 ? &d->tok[m->first - 2] : NULL;
            if (pp && is_settlement_word(pp->norm))
                s += 2.0f, m->kind_hint = SR_PLACE_CITY;
            else if (pp && admin_word_kind(pp->norm) >= 0)
                s += 2.0f, m->kind_hint = (int8_t)admin_word_kind(pp->norm);
        }
    }
    if (n && (last->flags & TOK_JOIN) && !last->plen) {
        int kind = admin_word_kind(n->norm);
        if (kind >= 0 && !(n->flags & TOK_POSS)) {
            s += 2.0f, m->kind_hint = (int8_t)kind;
            m->end = n->end;  /* "Anbar province" is the mention */
        } else if (is_settlement_word(n->norm))
            s += 1.0f, m->kind_hint = SR_PLACE_CITY;
        else if (is_org_word(n->norm))
            s -= 3.0f;
        if (strcmp(n->norm, "is") == 0 && m->last + 3 < d->n_tok &&
            (strcmp(d->tok[m->last + 2].norm, "a") == 0 || strcmp(d->tok[m->last + 2].norm, "an") == 0 ||
             strcmp(d->tok[m->last + 2].norm, "the") == 0) &&
            (is_settlement_word(d->tok[m->last + 3].norm) || admin_word_kind(d->tok[m->last + 3].norm) >= 0 ||
             is_community_word(d->tok[m->last + 3].norm)))
            s += 3.0f;  /* "Reading is a town", "Hope is a city" */
        if (is_speech_verb(n->norm) && strcmp(d->tok[m->first].norm, "washington") == 0 &&
            m->first == m->last)
            m->metonym = true;
    }
    return s;
}

/* "S.C.", "N.Y.": a dotted abbreviation of two or more letters. */
static bool is_dotted_abbrev(const doc_state *d, const mention *m)
{
    const char *s = d->text + m->start;
    size_t n = m->end - m->start;
    return m->first == m->last && n >= 4 && n <= 6 && s[1] == '.' && memchr(s + 2, '.', n - 2);
}

static float placeness(doc_state *d, mention *m, const mention *prev_m)
{
    mention_class c = classify(d, m);
    float s = 0.5f;
    if (c.only_abbrev)
        return prev_m && prev_m->container == (int)(m - d->m) ? 3.0f
               : is_dotted_abbrev(d, m)                       ? 2.0f
                                                              : -9.0f;
    if (c.country || c.admin1 || c.region)
        s += 2.0f;
    s += c.max_pop >= 1000000 ? 1.5f : c.max_pop >= 100000 ? 1.0f : c.max_pop >= 10000 ? 0.5f : 0;
    if (!c.has_main)
        s -= 1.0f;
    if (m->last > m->first)
        s += 1.0f;
    if ((d->tok[m->first].flags & TOK_SENT) && m->first == m->last && !c.country)
        s -= 0.5f;
    if (is_stop_key(d, m->key))
        s -= c.country ? 2.5f : 4.0f;
    s += context_cue(d, m);
    if (m->container >= 0)  /* "Mobile, Ala.": as sure a sign as news gives */
        s += 4.0f;
    else if (prev_m && prev_m->container == (int)(m - d->m))
        s += 2.5f;
    float person = person_cue(d, m, prev_m, &c);
    if (person >= 3.0f)
        m->person = true;
    return s - person;
}

/* "Alexandria, La.": a place right after "Place," is its container. */
static void link_containers(doc_state *d)
{
    for (size_t i = 0; i + 1 < d->n_m; i++) {
        mention *m = &d->m[i], *n = &d->m[i + 1];
        if ((d->tok[m->last].flags & TOK_COMMA) && n->first == m->last + 1) {
            mention_class c = classify(d, n);
            if (c.country || c.admin1 || c.any_abbrev)
                m->container = (int)(i + 1);
        }
    }
}

static void weigh_mentions(doc_state *d)
{
    link_containers(d);
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        m->placeness = placeness(d, m, i ? &d->m[i - 1] : NULL);
        m->accepted = m->placeness >= 1.0f;
        m->strong = m->placeness >= 2.0f && !m->person;
    }
    /* One reading per name and document: a name taken firmly as a place
     * elsewhere is a place here too unless a person cue says otherwise;
     * a name seen as a person stays a person without a place cue. */
    size_t cap = 16;
    while (cap < d->n_m * 2)
        cap *= 2;
    struct name_seen { uint64_t key; bool strong, person; } *seen =
        sr_arena_calloc(d->a, cap * sizeof *seen);
    if (!seen)
        return;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->n_m; i++) {
            mention *m = &d->m[i];
            size_t h = (size_t)m->key & (cap - 1);
            while (seen[h].key && seen[h].key != m->key)
                h = (h + 1) & (cap - 1);
            if (pass == 0) {
                seen[h].key = m->key;
                seen[h].strong |= m->strong;
                seen[h].person |= m->person;
                continue;
            }
            if (seen[h].strong && !m->person && m->placeness > -1.0f)
                m->accepted = true;
            if (seen[h].person && !seen[h].strong && m->placeness < 2.5f)
                m->accepted = false;
        }
    }
}

/* ---- which place is it? ---- */

static float prior(const doc_state *d, const mention *m, const candidate *c)
{
    const gaz_place *p = &d->g->places[c->place];
    float s = 0;
    switch (c->type) {
    case GAZ_NAME_ALT: s -= 1.0f; break;
    case GAZ_NAME_SHORT: s -= 1.5f; break;
    case GAZ_NAME_ABBREV: s -= 2.0f; break;
    default: break;
    }
    switch (p->kind) {
    /* A country's name outranks any city's alternate name: GeoNames lists
     * "Iraq" as an alternate name of a town in Iran. */
    case SR_PLACE_COUNTRY: s += c->type == GAZ_NAME_SHORT ? 0 : 5.0f; break;
    case SR_PLACE_ADMIN1: s += 3.0f; break;
    case SR_PLACE_REGION: s += 7.0f; break;  /* few and unambiguous; no population */
    case SR_PLACE_ADMIN2: s += 0.5f; break;
    default: s += p->rank == GAZ_PPLC ? 1.5f : p->rank == GAZ_PPLA ? 1.0f : p->rank == GAZ_PPLA2 ? 0.3f : 0;
    }
    s += 0.7f * log10f((float)p->population + 1.0f);
    if (m->kind_hint >= 0) {
        bool admin_hint = m->kind_hint == SR_PLACE_ADMIN1 || m->kind_hint == SR_PLACE_ADMIN2;
        if (p->kind == m->kind_hint)
            s += 4.0f;
        else if (admin_hint && (p->kind == SR_PLACE_ADMIN1 || p->kind == SR_PLACE_ADMIN2))
            s += 2.0f;
    }
    return s;
}

static int cc_index(const char cc[2])
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static uint32_t admin1_of(const gaz_place *places, uint32_t idx)
{
    return places[idx].kind == SR_PLACE_ADMIN1 ? idx : places[idx].admin1;
}

static size_t adm1_slot(const doc_state *d, uint32_t adm1)
{
    for (size_t i = 0; i < d->n_adm1; i++)
        if (d->adm1[i] == adm1)
            return i;
    return SIZE_MAX;
}

/* Tallies the chosen places: countries (a named country counts double)
 * and admin-1 areas. */
static void count_focus(doc_state *d, int sign, const mention *m)
{
    if (!m->accepted || m->chosen < 0 || m->rep != (int)(m - d->m))
        return;
    uint32_t idx = m->cand[m->chosen].place;
    const gaz_place *p = &d->g->places[idx];
    int cc = cc_index(p->cc);
    if (cc >= 0)
        d->cc_count[cc] += (uint32_t)(sign * (p->kind == SR_PLACE_COUNTRY ? 2 : 1));
    if (cc >= 0 && p->kind == SR_PLACE_ADMIN1)
        d->adm1_peers[cc] += (uint32_t)sign;
    uint32_t a1 = admin1_of(d->g->places, idx);
    if (a1 == GAZ_NONE)
        return;
    size_t k = adm1_slot(d, a1);
    if (k == SIZE_MAX && sign > 0 && d->n_adm1 < 256) {
        k = d->n_adm1++;
        d->adm1[k] = a1;
        d->adm1_count[k] = 0;
    }
    if (k != SIZE_MAX)
        d->adm1_count[k] += (uint32_t)(sign * (1 + (m->container >= 0 ? 1 : 0)));
}

/* Admin-1 areas the other mentions could lie in: "Gainesville" and "Hall
 * County" can both be in Georgia, which tips both. Each distinct name
 * counts once per area, over its strongest few candidates. */
#define COOC_TOP 12
static void tally_candidate_areas(doc_state *d)
{
    size_t need = 0;
    for (size_t i = 0; i < d->n_m; i++)
        if (d->m[i].accepted && !d->m[i].metonym && d->m[i].rep == (int)i)
            need += d->m[i].n_cand < COOC_TOP ? d->m[i].n_cand : COOC_TOP;
    size_t cap = 16;
    while (cap < need * 2)
        cap *= 2;
    d->area_cap = cap;
    d->area = sr_arena_calloc(d->a, cap * sizeof *d->area);
    if (!d->area)
        return;
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        if (!m->accepted || m->metonym)
            continue;
        if (m->rep != (int)i)
            continue;
        for (size_t k = 0; k < m->n_cand && k < COOC_TOP; k++) {
            uint32_t a1 = admin1_of(d->g->places, m->cand[k].place);
            if (a1 == GAZ_NONE)
                continue;
            size_t h = (a1 * 2654435761u) & (cap - 1);
            while (d->area[h].adm1 != a1 && d->area[h].count)
                h = (h + 1) & (cap - 1);
            if (d->area[h].last == i + 1)
                continue;
            d->area[h].adm1 = a1;
            d->area[h].last = (uint32_t)i + 1;
            d->area[h].count++;
        }
    }
}

static float cooccurrence(const doc_state *d, const mention *m, const candidate *c)
{
    uint32_t a1 = admin1_of(d->g->places, c->place);
    if (!d->area || a1 == GAZ_NONE)
        return 0;
    size_t h = (a1 * 2654435761u) & (d->area_cap - 1);
    while (d->area[h].count && d->area[h].adm1 != a1)
        h = (h + 1) & (d->area_cap - 1);
    uint32_t n = d->area[h].adm1 == a1 ? d->area[h].count : 0;
    (void)m;
    n = n ? n - 1 : 0;  /* this name itself */
    return n >= 4 ? 4.0f : (float)n;
}

static float context_score(const doc_state *d, const mention *m, const candidate *c,
                           uint32_t total_cc)
{
    const gaz_place *p = &d->g->places[c->place];
    float s = 0;
    int cc = cc_index(p->cc);
    if (cc >= 0 && total_cc)
        s += 5.0f * (float)d->cc_count[cc] / (float)total_cc;
    uint32_t a1 = admin1_of(d->g->places, c->place);
    size_t k = a1 == GAZ_NONE ? SIZE_MAX : adm1_slot(d, a1);
    if (k != SIZE_MAX) {
        float n = (float)d->adm1_count[k];
        s += n >= 3 ? 6.0f : 2.0f * n;
    }
    s += cooccurrence(d, m, c);
    if (cc >= 0 && p->kind == SR_PLACE_ADMIN1)  /* a list of states or provinces */
        s += d->adm1_peers[cc] >= 3 ? 3.0f : (float)d->adm1_peers[cc];
    float best_container = 0;
    bool any_container = false;
    for (int i = (int)(m - d->m); i >= 0; i = d->m[i].next_same) {
        if (d->m[i].container < 0)
            continue;
        const mention *ct = &d->m[d->m[i].container];
        if (ct->chosen < 0)
            continue;
        uint32_t cidx = ct->cand[ct->chosen].place;
        const gaz_place *cp = &d->g->places[cidx];
        bool inside = cp->kind == SR_PLACE_COUNTRY ? memcmp(cp->cc, p->cc, 2) == 0
                                                   : p->admin1 == cidx || c->place == cidx;
        float v = inside ? 8.0f : -4.0f;
        best_container = any_container ? fmaxf(best_container, v) : v;
        any_container = true;
    }
    s += best_container;
    return s;
}

/* A bare name shared by a country's capital and one of its states is the
 * capital ("Washington"), unless the text asks for the state. */
static void prefer_capital(const doc_state *d, mention *m)
{
    for (size_t k = 0; k < m->n_cand; k++)
        m->cand[k].prior = 0;
    if (m->kind_hint >= 0)
        return;
    for (size_t k = 0; k < m->n_cand; k++) {
        const gaz_place *cap = &d->g->places[m->cand[k].place];
        if (cap->kind != SR_PLACE_CITY || cap->rank != GAZ_PPLC || m->cand[k].type != GAZ_NAME_MAIN)
            continue;
        for (size_t j = 0; j < m->n_cand; j++) {
            const gaz_place *st = &d->g->places[m->cand[j].place];
            if (st->kind == SR_PLACE_ADMIN1 && memcmp(st->cc, cap->cc, 2) == 0 &&
                m->cand[j].type == GAZ_NAME_MAIN)
                m->cand[k].prior = 4.0f;
        }
    }
}

static void choose(doc_state *d, mention *m, bool with_context)
{
    if (!m->accepted)
        return;
    uint32_t total = 0;
    for (size_t i = 0; i < 26 * 26; i++)
        total += d->cc_count[i];
    count_focus(d, -1, m);  /* a mention is not its own evidence */
    int best = -1;
    if (!with_context)
        prefer_capital(d, m);
    for (size_t k = 0; k < m->n_cand; k++) {
        candidate *c = &m->cand[k];
        if (!with_context)
            c->prior += prior(d, m, c);
        c->score = c->prior + (with_context ? context_score(d, m, c, total) : 0);
        if (best < 0 || c->score > m->cand[best].score)
            best = (int)k;
    }
    m->chosen = best;
    count_focus(d, +1, m);
}

static uint32_t find_country(const doc_state *d, const char *cc)
{
    const gaz_header *h = d->g->h;
    for (uint32_t i = h->country_first; i < h->country_first + h->country_count; i++)
        if (memcmp(d->g->places[i].cc, cc, 2) == 0)
            return i;
    return GAZ_NONE;
}

/* "Washington said": the US government, a country-level mention. */
static void apply_metonymy(doc_state *d, mention *m)
{
    uint32_t us = find_country(d, "US");
    if (us == GAZ_NONE || !m->n_cand)
        return;
    m->cand[0] = (candidate){us, GAZ_NAME_ALT, 0, 0};
    m->n_cand = 1;
    m->chosen = 0;
}

/* Links the accepted mentions of each name: rep is the first, next_same
 * chains the rest; a kind asked for by any mention holds for all. */
static void group_names(doc_state *d)
{
    size_t cap = 16;
    while (cap < d->n_m * 2)
        cap *= 2;
    struct { uint64_t key; int first, last; } *t = sr_arena_calloc(d->a, cap * sizeof *t);
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        m->rep = (int)i;
        m->next_same = -1;
        if (!t || !m->accepted || m->metonym)
            continue;
        size_t h = (size_t)m->key & (cap - 1);
        while (t[h].key && t[h].key != m->key)
            h = (h + 1) & (cap - 1);
        if (!t[h].key) {
            t[h].key = m->key, t[h].first = t[h].last = (int)i;
            continue;
        }
        mention *rep = &d->m[t[h].first];
        m->rep = t[h].first;
        d->m[t[h].last].next_same = (int)i;
        t[h].last = (int)i;
        if (rep->kind_hint < 0)
            rep->kind_hint = m->kind_hint;
    }
}

/* The admin-1 area that dominates the document (at least three names and
 * half the admin-1 votes), GAZ_NONE when none does. */
static uint32_t dominant_admin1(const doc_state *d)
{
    uint32_t total = 0, best = 0;
    size_t at = SIZE_MAX;
    for (size_t i = 0; i < d->n_adm1; i++) {
        total += d->adm1_count[i];
        if (d->adm1_count[i] > best)
            best = d->adm1_count[i], at = i;
    }
    return at != SIZE_MAX && best >= 3 && best * 2 >= total ? d->adm1[at] : GAZ_NONE;
}

/* A town the gazetteer does not know is often named for the first time
 * in a story set firmly in one state or province ("Riverton is a
 * community in Coos County, Oregon"). When no candidate lies in that area
 * and nothing else places the name, it is put on the map at the area the
 * story names (an admin-2 area named in it, else the admin-1), with that
 * precision, rather than at a namesake far away. */
static void fall_back_to_focus(doc_state *d)
{
    uint32_t focus = dominant_admin1(d);
    if (focus == GAZ_NONE)
        return;
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        if (!m->accepted || m->metonym || m->rep != (int)i || m->chosen < 0 || m->container >= 0)
            continue;
        const gaz_place *p = &d->g->places[m->cand[m->chosen].place];
        if (p->kind != SR_PLACE_CITY)
            continue;  /* county names are precise enough to stand */
        int repeats = 0;
        for (int k = m->next_same; k >= 0 && repeats < 3; k = d->m[k].next_same)
            repeats++;
        /* A well-known place is named from afar too, unless the story
         * keeps coming back to the name: then it is the story's own. */
        if ((p->population >= 150000 || p->rank >= GAZ_PPLA) && repeats < 2)
            continue;
        bool inside = false;
        for (size_t k = 0; k < m->n_cand && !inside; k++)
            inside = admin1_of(d->g->places, m->cand[k].place) == focus;
        if (inside)
            continue;
        uint32_t area = focus;
        size_t best_gap = SIZE_MAX;
        for (size_t k = 0; k < d->n_m; k++) {
            const mention *o = &d->m[k];
            if (!o->accepted || o->chosen < 0 || o->metonym)
                continue;
            uint32_t op = o->cand[o->chosen].place;
            if (d->g->places[op].kind != SR_PLACE_ADMIN2 || d->g->places[op].admin1 != focus)
                continue;
            size_t gap = o->start > m->start ? o->start - m->start : m->start - o->start;
            if (gap < best_gap)
                best_gap = gap, area = op;
        }
        m->cand[0] = (candidate){area, GAZ_NAME_ALT, 0, 0};
        m->n_cand = 1;
        m->chosen = 0;
        m->placeness = fminf(m->placeness, 1.5f);  /* the place itself is unknown */
    }
}

static void resolve(doc_state *d)
{
    d->adm1 = sr_arena_alloc(d->a, 256 * sizeof *d->adm1);
    d->adm1_count = sr_arena_alloc(d->a, 256 * sizeof *d->adm1_count);
    if (!d->adm1 || !d->adm1_count) {
        for (size_t i = 0; i < d->n_m; i++)
            d->m[i].accepted = false;
        return;
    }
    for (size_t i = 0; i < d->n_m; i++)
        if (d->m[i].metonym && d->m[i].accepted)
            apply_metonymy(d, &d->m[i]);
    group_names(d);
    tally_candidate_areas(d);
    /* One sense per name and document: the first mention of a name is
     * resolved with the evidence of all its mentions, the others follow. */
    for (size_t i = 0; i < d->n_m; i++)
        if (!d->m[i].metonym && d->m[i].rep == (int)i)
            choose(d, &d->m[i], false);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < d->n_m; i++)
            if (!d->m[i].metonym && d->m[i].rep == (int)i)
                choose(d, &d->m[i], true);
    fall_back_to_focus(d);
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        if (m->metonym || !m->accepted || m->rep == (int)i)
            continue;
        const mention *r = &d->m[m->rep];
        if (r->metonym || r->chosen < 0)
            continue;
        uint32_t place = r->cand[r->chosen].place;
        for (size_t k = 0; k < m->n_cand; k++) {
            m->cand[k].score = m->cand[k].place == place ? 1.0f : 0.0f;
            if (m->cand[k].place == place)
                m->chosen = (int)k;
        }
        if (m->chosen < 0 && m->n_cand) {  /* the name was placed at its area */
            m->cand[0] = r->cand[r->chosen];
            m->n_cand = 1;
            m->chosen = 0;
        }
    }
}

/* ---- the answer ---- */

static float confidence(const mention *m)
{
    float best = m->cand[m->chosen].score, second = -1e9f;
    for (size_t k = 0; k < m->n_cand; k++)
        if ((int)k != m->chosen && m->cand[k].score > second)
            second = m->cand[k].score;
    float margin = m->n_cand > 1 ? best - second : 4.0f;
    float sure = 1.0f / (1.0f + expf(-margin));
    float place = m->placeness >= 3.0f ? 1.0f : m->placeness <= 0 ? 0.3f : 0.3f + 0.7f * m->placeness / 3.0f;
    return sure * place;
}

static void fill_place(doc_state *d, const mention *m, sr_place *out, sr_cp_cursor *cur)
{
    const candidate *c = &m->cand[m->chosen];
    const gaz_place *p = &d->g->places[c->place];
    out->start = m->start;
    out->end = m->end;
    out->cp_start = sr_cp_cursor_at(cur, m->start);
    out->cp_end = sr_cp_cursor_at(cur, m->end);
    out->text = sr_arena_strndup(d->a, d->text + m->start, m->end - m->start);
    out->name = gaz_str(d->g, p->name);
    out->kind = (sr_place_kind)p->kind;
    out->cc[0] = p->cc[0], out->cc[1] = p->cc[1], out->cc[2] = 0;
    uint32_t a1 = admin1_of(d->g->places, c->place);
    out->admin1 = a1 < d->g->h->n_places ? gaz_str(d->g, d->g->places[a1].name) : "";
    out->lat = p->lat;
    out->lon = p->lon;
    out->geonameid = p->geonameid;
    out->population = p->population;
    const mention *rep = &d->m[m->rep];
    out->confidence = confidence(rep->chosen >= 0 && !rep->metonym ? rep : m);
}

static int cmp_focus(const void *a, const void *b)
{
    const sr_geo_focus *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return x->mentions < y->mentions ? 1 : x->mentions > y->mentions ? -1 : 0;
}

static sr_err make_focus(doc_state *d, sr_geo_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < 26 * 26; i++)
        n += d->cc_count[i] > 0;
    doc->focus = sr_arena_calloc(d->a, (n + d->n_adm1 + 1) * sizeof *doc->focus);
    if (!doc->focus)
        return SR_ENOMEM;
    for (size_t i = 0; i < 26 * 26; i++) {
        if (!d->cc_count[i])
            continue;
        char cc[3] = {(char)('A' + i / 26), (char)('A' + i % 26), 0};
        uint32_t idx = find_country(d, cc);
        sr_geo_focus *f = &doc->focus[doc->n_focus++];
        f->kind = SR_PLACE_COUNTRY;
        memcpy(f->cc, cc, 3);
        f->name = idx != GAZ_NONE ? gaz_str(d->g, d->g->places[idx].name) : "";
        f->admin1 = "";
        f->lat = idx != GAZ_NONE ? d->g->places[idx].lat : NAN;
        f->lon = idx != GAZ_NONE ? d->g->places[idx].lon : NAN;
        f->mentions = d->cc_count[i];
    }
    for (size_t i = 0; i < d->n_adm1; i++) {
        if (!d->adm1_count[i])
            continue;
        const gaz_place *p = &d->g->places[d->adm1[i]];
        sr_geo_focus *f = &doc->focus[doc->n_focus++];
        f->kind = SR_PLACE_ADMIN1;
        f->cc[0] = p->cc[0], f->cc[1] = p->cc[1];
        f->name = f->admin1 = gaz_str(d->g, p->name);
        f->lat = p->lat, f->lon = p->lon;
        f->mentions = d->adm1_count[i];
    }
    qsort(doc->focus, doc->n_focus, sizeof *doc->focus, cmp_focus);
    return SR_OK;
}

static sr_err make_doc(doc_state *d, sr_geo_doc **out)
{
    sr_geo_doc *doc = sr_arena_calloc(d->a, sizeof *doc);
    size_t n = 0;
    for (size_t i = 0; i < d->n_m; i++)
        n += d->m[i].accepted && d->m[i].chosen >= 0;
    if (!doc || !(doc->places = sr_arena_calloc(d->a, (n + 1) * sizeof *doc->places)))
        return SR_ENOMEM;
    sr_cp_cursor cur;
    sr_cp_cursor_init(&cur, d->text, d->len);
    for (size_t i = 0; i < d->n_m; i++)
        if (d->m[i].accepted && d->m[i].chosen >= 0)
            fill_place(d, &d->m[i], &doc->places[doc->n_places++], &cur);
    sr_err e = make_focus(d, doc);
    *out = doc;
    return e;
}
