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
#include "doc.h"
#include "words.h"

static sr_err tokenize(doc_state *d);
/* A lone "Eastern", "West" or "Central" right before another capitalised
 * word qualifies that word ("Eastern Mediterranean", "West Kasai", "South
 * Los Angeles"), even though Ghana and Cameroon have regions of that name:
 * the name to place starts at the next word. */
static bool modifies_next(const doc_state *d, size_t i, size_t j)
{
    if (j != i || i + 1 >= d->n_tok || !(d->tok[i].flags & TOK_JOIN) || d->tok[i].plen)
        return false;
    const token *next = &d->tok[i + 1];
    return is_place_modifier(d->tok[i].norm) && (next->flags & TOK_CAP) && !(next->flags & TOK_NUM);
}

static sr_err find_mentions(doc_state *d);

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
        geo_weigh_mentions(&d);
        geo_resolve(&d);
        e = geo_make_doc(&d, out);
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

static inline bool is_word_cp(int32_t cp, bool *upper, bool *cased)
{
    if (cp < 0x80) {
        *upper = cp >= 'A' && cp <= 'Z';
        *cased = *upper || (cp >= 'a' && cp <= 'z');
        return *cased || (cp >= '0' && cp <= '9');
    }
    const gaz_cp *facts = cp < GAZ_CP_TABLE ? gaz_cp_table() : NULL;
    if (facts) {
        *upper = facts[cp].flags & GAZ_CP_UPPER;
        *cased = facts[cp].flags & GAZ_CP_CASED;
        return facts[cp].flags & GAZ_CP_WORD;
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
    if (next->start == prev->end + 1 && s[prev->end] == ' ') {
        prev->flags |= TOK_JOIN;  /* the common gap: what the counts below make of it */
        return;
    }
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

/* The class of each ASCII byte: lower-case letter, capital or digit (0:
 * none, and every byte over 0x7F, which the general path reads). */
enum { ASCII_LOWER = 1, ASCII_UPPER = 2, ASCII_DIGIT = 4 };
#define L ASCII_LOWER
#define U ASCII_UPPER
#define D ASCII_DIGIT
static const uint8_t ascii_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
    0, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, 0, 0, 0, 0, 0,
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
};
#undef L
#undef U
#undef D

static inline bool ascii_alnum(unsigned char c)
{
    return ascii_class[c] != 0;
}

/* Whether the byte at k ends an ASCII word for scan_word: it is no letter
 * or digit, no byte of a longer character, and no apostrophe or dot that
 * another letter follows. */
static bool ends_ascii_word(const char *s, size_t len, size_t k)
{
    unsigned char c = (unsigned char)s[k];
    if (c >= 0x80 || ascii_alnum(c))
        return false;
    if ((c != '\'' && c != '.') || k + 1 >= len)
        return true;
    unsigned char next = (unsigned char)s[k + 1];
    return next < 0x80 && !ascii_alnum(next);
}

/* The facts of the two-byte character at s[k], or NULL when there is none
 * (ASCII, a longer or broken sequence, no table). */
static inline const gaz_cp *two_byte_facts(const gaz_cp *facts, const char *s, size_t len, size_t k)
{
    unsigned char c = (unsigned char)s[k];
    if (c < 0xC2 || c > 0xDF || !facts || k + 1 >= len || ((unsigned char)s[k + 1] & 0xC0) != 0x80)
        return NULL;
    return &facts[(c & 0x1F) << 6 | ((unsigned char)s[k + 1] & 0x3F)];
}

/* scan_word's flags: a capital (or a character without case) first, a
 * digit first, all capitals over more than one byte. */
static void flag_plain_word(const char *s, size_t i, size_t k, unsigned seen, const gaz_cp *facts,
                            token *t)
{
    unsigned char lead = (unsigned char)s[i];
    const gaz_cp *f = lead < 0x80 ? NULL : two_byte_facts(facts, s, k, i);
    bool cap = f ? (f->flags & GAZ_CP_UPPER) || !(f->flags & GAZ_CP_CASED) : !(ascii_class[lead] & ASCII_LOWER);
    t->flags |= cap ? TOK_CAP : 0;
    t->flags |= lead >= '0' && lead <= '9' ? TOK_NUM : 0;
    t->flags |= seen == ASCII_UPPER && k > i + 1 ? TOK_UPPER : 0;
}

/* Most words of a news text are letters and digits below U+0800 (Latin,
 * Greek, Cyrillic, Hebrew, Arabic) ended by a byte that cannot continue
 * them. Such a word is cut, flagged and normalised in one pass, into out,
 * with exactly what scan_word, elided_capital and gaz_norm_word make of
 * it; *multi counts its two-byte characters. Returns its end, or 0 when
 * the word needs the general path: a longer or broken sequence, an
 * apostrophe or dot before another letter ("U.S.", "Canada's"), or a key
 * near its length limit. */
static size_t scan_plain_word(const char *s, size_t len, size_t i, token *t, char *out,
                              size_t *multi)
{
    const gaz_cp *facts = gaz_cp_table();
    unsigned seen = 0;             /* ASCII_* classes of its characters */
    size_t k = i, o = 0;
    bool ended = false;            /* by a character no word holds */
    *multi = 0;
    for (;;) {
        size_t room = GAZ_MAX_KEY - 1 - o, stop = len - k < room ? len : k + room;
        char *run = out + o;
        size_t from = k;
        for (; k < stop; k++) {  /* a run of ASCII letters and digits */
            unsigned char c = (unsigned char)s[k];
            unsigned cls = ascii_class[c];
            if (!cls)
                break;
            seen |= cls;
            run[k - from] = (char)(c | (cls & ASCII_UPPER) << 4);  /* 'A' | 0x20 is 'a' */
        }
        o += k - from;
        if (k == len || ascii_class[(unsigned char)s[k]])
            break;  /* the end, or a key too long: below */
        const gaz_cp *f = two_byte_facts(facts, s, len, k);
        if (!f)
            break;
        if (!(f->flags & GAZ_CP_WORD)) {
            ended = !is_apostrophe((int32_t)(f - facts));
            break;
        }
        if (!(f->flags & GAZ_CP_DROPPED)) {
            if (!(f->flags & GAZ_CP_FOLDED) || o + f->fold_len + 4 >= GAZ_MAX_KEY)
                return 0;
            for (size_t b = 0; b < f->fold_len; b++)
                out[o++] = f->fold[b];
        }
        seen |= !(f->flags & GAZ_CP_CASED) ? ASCII_DIGIT : f->flags & GAZ_CP_UPPER ? ASCII_UPPER : ASCII_LOWER;
        (*multi)++;
        k += 2;
    }
    if (k < len && !ended && !ends_ascii_word(s, len, k))
        return 0;
    flag_plain_word(s, i, k, seen, facts, t);
    if (*multi && elided_capital(s + i, k - i))
        t->flags |= TOK_CAP;
    if (o >= 5 && out[o - 1] == 'h' && out[o - 2] == 'a')
        o--;  /* gaz_norm_word: a final "ah" read as "a" */
    out[o] = 0;
    t->norm = out;
    t->nlen = (uint16_t)o;
    return k;
}

/* A word in full generality: any script, inner apostrophes and dots. */
static size_t scan_any_word(doc_state *d, size_t i, token *t, char *out)
{
    size_t poss = 0;
    t->flags = 0;
    size_t end = scan_word(d->text, d->len, i, &t->flags, &poss);
    t->end = (uint32_t)end;
    t->poss_end = (uint32_t)poss;
    if (elided_capital(d->text + i, end - i))
        t->flags |= TOK_CAP;  /* "d'Ivoire" inside "Côte d'Ivoire" */
    normalise_token(d, t, out);
    return end;
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

/* Bytes 10xxxxxx in s[a, b): what separates a byte offset from a
 * code-point offset, counted as sr_utf8_count and sr_cp_cursor do. */
static size_t continuation_bytes(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += ((unsigned char)s[i] & 0xC0) == 0x80;
    return n;
}

size_t geo_cp_offset(const doc_state *d, size_t tok, size_t byte)
{
    size_t from = d->tok[tok].start;
    return d->tok[tok].cp_start + (byte - from) - continuation_bytes(d->text, from, byte);
}

/* Cuts the text into tokens. Code-point offsets come along: only the
 * bytes read by the general path can hold continuation bytes. */
static sr_err tokenize(doc_state *d)
{
    size_t cap = d->len / 6 + 64;  /* English averages a word per 6 bytes */
    d->tok = sr_arena_alloc(d->a, cap * sizeof *d->tok);
    size_t norm_cap = d->len * 2 + GAZ_MAX_KEY * 2;
    char *norm = sr_arena_alloc(d->a, norm_cap);
    if (!d->tok || !norm)
        return SR_ENOMEM;
    size_t used = 0, cont = 0;  /* continuation bytes before i */
    /* Folding can lengthen a word (ligatures, "ß"); a text that would
     * overflow the buffer is read only up to there. */
    for (size_t i = 0; i < d->len && used + GAZ_MAX_KEY < norm_cap;) {
        unsigned char c = (unsigned char)d->text[i];
        if (c < 0x80 && !ascii_alnum(c)) {
            i++;
            continue;
        }
        size_t k = i;
        int32_t cp = c < 0x80 ? (unsigned char)d->text[k++] : sr_utf8_decode(d->text, d->len, &k);
        bool up, cased;
        if (cp < 0 || !is_word_cp(cp, &up, &cased)) {
            cont += continuation_bytes(d->text, i, k);
            i = k;
            continue;
        }
        if (d->n_tok == cap && !(d->tok = grow_tokens(d, &cap)))
            return SR_ENOMEM;
        token *t = &d->tok[d->n_tok];
        memset(t, 0, sizeof *t);
        t->start = (uint32_t)i;
        t->cp_start = (uint32_t)(i - cont);
        size_t multi = 0;
        size_t end = cp < GAZ_CP_TABLE ? scan_plain_word(d->text, d->len, i, t, norm + used, &multi) : 0;
        bool plain = end;
        if (!plain)
            end = scan_any_word(d, i, t, norm + used);
        t->end = (uint32_t)end;
        used += t->nlen + 1u;
        if (d->n_tok == 0)
            t->flags |= TOK_SENT;
        else
            mark_gap(d, &d->tok[d->n_tok - 1], t);
        d->n_tok++;
        size_t next = end > i ? end : k;
        cont += plain ? multi : continuation_bytes(d->text, i, next);
        i = next;
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
        /* "People's Republic of China": a possessive may sit inside a name. */
        if (!(s->flags & GAZ_KEY_PREFIX) || !(t->flags & TOK_JOIN))
            break;
    }
    return best;
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
        if (j < 0 || modifies_next(d, i, (size_t)j)) {
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
