/*
 * The coder: TABARI's shallow parse of one sentence (TABARI 0.8.4 manual,
 * chapter 7), then verb patterns, source and target.
 *
 *   filter & tokenise -> classify words by longest dictionary match ->
 *   agents join actors -> compound actors -> pronouns -> comma clauses ->
 *   conjunction clauses -> per clause, verbs left to right: longest pattern
 *   first, then default source/target search, passive voice -> events.
 *
 * All per-sentence memory comes from one arena that is reset per sentence.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/text.h"
#include "code_internal.h"
#include "details.h"

enum tok_type {
    T_NULL, T_ACTOR, T_AGENT, T_VERB, T_NOUN, T_ADJ, T_TIME, T_DISCARD,
    T_DET, T_CONJ, T_PRON, T_AUX, T_BY, T_COMMA, T_NUM
};

typedef struct token {
    const char *w;       /* upper-cased, folded */
    uint16_t len;
    uint8_t type;
    uint8_t cap;         /* capitalised in the text */
    uint8_t dropped;     /* inside an eliminated comma clause */
    uint8_t joined;      /* comma or conjunction inside a compound phrase:
                            JOIN_ACTORS between actors, JOIN_WORDS between
                            nouns or adjectives */
    uint8_t np_word;     /* an unknown word inside a compound's member */
    uint8_t part;        /* a later word of a phrase that started before it */
    uint8_t skipped;     /* passed over by a phrase around it: keeps its own
                            role and is none of the phrase's words */
    uint16_t span;       /* tokens of the dictionary phrase starting here */
    uint32_t item;
    uint32_t c0, c1;     /* code-point offsets in the sentence, which are
                            the folded text's (text_byte: its bytes) */
    int32_t mention;     /* mention starting here, -1 none */
    int32_t in_mention;  /* mention covering this token, -1 none */
} token;

#define MAX_CODES 16
enum { JOIN_ACTORS = 1, JOIN_WORDS = 2 };

typedef struct mention {
    int first, last;     /* tokens, inclusive */
    const char *base;    /* the actor's code before any agent joined it */
    const char *codes[MAX_CODES];
    int ncodes;
    int group;           /* first mention of its compound, or itself */
    int group_last;      /* last mention of the compound */
    bool glued;          /* right after another member: "Arnor's Elrond" */
    int pron_ref;        /* pronoun: mention it refers to, else -1 */
    const char *own;     /* pronoun: the code it has by itself, its referent's
                            actor without agents (see same_code) */
    bool lone_agent;     /* an agent with no actor, coded ---AGT */
    uint32_t of_agent;   /* agent joined through OF/IN/FROM, + 1; 0 none */
} mention;

typedef struct side {
    int m;               /* mention, -1 none */
    bool whole_group;
    bool single;         /* this member of a compound only */
    const char *dflt;    /* default code from the options */
} side;

struct sr_coder {
    const sr_code_dict *d;
    sr_arena *mem;
    token *tok;
    int ntok;
    mention *men;
    int nmen;
    int date;
    const char *text;
    size_t base;
    sr_code_event *ev;
    size_t nev, capev;
    sr_code_result result;
    sr_code_place_fn place_fn;
    void *place_ctx;
    long steps;
    bool all_caps;
    bool passive_seen;
    int shift;           /* days the sentence's time phrase moves its events */
    bool shifting;       /* <TIME> phrases date the events (manual 10.5) */
    word_set words;      /* beginnings of the sentence's words */
    bool words_made;     /* `words` is this sentence's */
    uint8_t word_up[128]; /* a word character's upper case, 0x80 for the
                             others (ch_class) */
    int skip[8];         /* mentions the matched pattern skipped */
    int nskip;
    char forward[64];    /* FORWARD: code a leading pronoun stands for */
    char first_actor[64];
    bool trace;          /* SR_CODE_TRACE set when the coder was made */
    /* per-sentence work space, allocated once: the hot path does not
     * allocate per token */
    char *fold;          /* folded text, then the words */
    uint32_t *shift_f;   /* folded bytes after each multi-byte character */
    uint32_t *shift_extra; /* bytes more than characters up to there */
    uint32_t nshift, shift_at;
    uint32_t ncp;        /* code points in the sentence */
    bool whole_utf8;     /* the sentence was read to its end and is UTF-8 */
    size_t fold_cap;
    int *pos;
    /* a document's events, copied out of the per-sentence arena */
    sr_arena *docmem;
    sr_code_event *doc_ev;
    size_t doc_n, doc_cap;
    sr_code_result doc;
};

static void make_word_up(sr_coder *c);
static sr_err tokenise(sr_coder *c, const char *text, size_t len);
static void classify(sr_coder *c);
static void find_mentions(sr_coder *c, int *status);
static bool tok_is_any(const token *t, const char *const *words);
static void find_compounds(sr_coder *c);
static void share_agents(sr_coder *c);
static void resolve_pronouns(sr_coder *c);
static void drop_comma_clauses(sr_coder *c);
static int code_clauses(sr_coder *c, int *status);
static void finish_events(sr_coder *c, size_t len);
static void trace(const sr_coder *c);

sr_err sr_coder_new(sr_coder **out, const sr_code_dict *d)
{
    sr_coder *c = calloc(1, sizeof *c);
    if (!c) return SR_ENOMEM;
    /* the index is built once, when the first coder is made; create coders
     * from one thread, then use each from its own */
    sr_dict_prepare((sr_code_dict *)d);
    c->d = d;
    c->trace = getenv("SR_CODE_TRACE") != NULL;
    make_word_up(c);
    c->mem = sr_arena_new(64u << 20);
    c->docmem = sr_arena_new(256u << 20);
    c->capev = SR_CODE_MAX_EVENTS;
    c->ev = calloc(c->capev, sizeof *c->ev);
    c->tok = malloc(SR_CODE_MAX_TOKENS * sizeof *c->tok);
    c->men = malloc((SR_CODE_MAX_TOKENS + 1) * sizeof *c->men);
    c->pos = malloc((SR_CODE_MAX_TOKENS + 1) * sizeof *c->pos);
    if (!c->mem || !c->docmem || !c->ev || !c->tok || !c->men || !c->pos) {
        sr_coder_free(c);
        return SR_ENOMEM;
    }
    *out = c;
    return SR_OK;
}

void sr_coder_free(sr_coder *c)
{
    if (!c) return;
    sr_arena_free(c->mem);
    sr_arena_free(c->docmem);
    free(c->ev);
    free(c->tok);
    free(c->men);
    free(c->pos);
    free(c->fold);
    free(c->shift_f);
    free(c->shift_extra);
    free(c->doc_ev);
    free(c);
}

void sr_coder_forward(sr_coder *c, const char *code)
{
    snprintf(c->forward, sizeof c->forward, "%s", code ? code : "");
}

const char *sr_coder_first_actor(const sr_coder *c)
{
    return c->first_actor;
}

void sr_coder_set_place_hook(sr_coder *c, sr_code_place_fn fn, void *ctx)
{
    c->place_fn = fn;
    c->place_ctx = ctx;
}

static sr_err code_sentence(sr_coder *c, const char *text, size_t len, int date, size_t base,
                            bool events_only, const sr_code_result **out);

sr_err sr_code_sentence(sr_coder *c, const char *text, size_t len, int date, size_t base,
                        const sr_code_result **out)
{
    return code_sentence(c, text, len, date, base, false, out);
}

static bool has_verb(const sr_coder *c)
{
    for (int i = 0; i < c->ntok; i++)
        if (c->tok[i].type == T_VERB) return true;
    return false;
}

/* Only classify makes verbs, and every event is a verb's: a sentence with
 * none codes no event, whatever its status would be. Most news sentences
 * are such, so `events_only` (a document's sentences, whose events alone
 * are kept) stops there; the status and the first actor (FORWARD) are then
 * not worked out. */
static sr_err code_sentence(sr_coder *c, const char *text, size_t len, int date, size_t base,
                            bool events_only, const sr_code_result **out)
{
    sr_arena_reset(c->mem);
    c->nev = 0;
    c->nmen = 0;
    c->first_actor[0] = 0;
    c->date = date;
    c->text = text;
    c->base = base;
    c->passive_seen = false;
    c->result.status = SR_CODE_CODED;
    c->result.events = c->ev;
    c->result.n_events = 0;
    *out = &c->result;
    sr_err e = tokenise(c, text, len);
    if (e) return e;
    int words = 0;
    for (int i = 0; i < c->ntok; i++) words++;
    if (c->d->opt.min_words && words < c->d->opt.min_words) {
        c->result.status = SR_CODE_SHORT;
        return SR_OK;
    }
    classify(c);
    if (events_only && !c->trace && !has_verb(c)) return SR_OK;
    int status = SR_CODE_CODED;
    /* time shifting (manual 10.5): on when the options say so, or by
     * default when the verbs have <TIME> phrases; the first phrase that is
     * not null moves the date */
    int ts = c->d->opt.time_shift;
    bool shifting = ts > 0 || (ts < 0 && c->d->has_time), shifted = false;
    c->shift = 0;
    c->shifting = shifting;
    for (int i = 0; i < c->ntok; i++) {
        if (c->tok[i].type == T_DISCARD) status = SR_CODE_DISCARD;
        if (c->tok[i].type == T_TIME && c->tok[i].span) {
            const time_entry *te = &c->d->times[c->tok[i].item];
            if (te->discard) status = SR_CODE_DISCARD;
            if (te->complex && status == SR_CODE_CODED) status = SR_CODE_COMPLEX;
            if (shifting && !shifted && !te->null) c->shift = te->shift, shifted = true;
        }
    }
    if (status == SR_CODE_CODED) find_mentions(c, &status);
    if (status != SR_CODE_CODED) {
        c->result.status = (enum sr_code_status)status;
        return SR_OK;
    }
    find_compounds(c);
    if (c->d->opt.shared_agents) share_agents(c);
    if (c->d->opt.comma_on) drop_comma_clauses(c);
    resolve_pronouns(c);
    c->first_actor[0] = 0;
    for (int m = 0; m < c->nmen; m++)
        if (c->men[m].base && c->men[m].pron_ref < 0) {
            snprintf(c->first_actor, sizeof c->first_actor, "%s", c->men[m].base);
            break;
        }
    if (c->trace) trace(c);
    code_clauses(c, &status);
    if (status != SR_CODE_CODED) {
        c->nev = 0;
        c->result.status = (enum sr_code_status)status;
        return SR_OK;
    }
    finish_events(c, len);
    c->result.n_events = c->nev;
    return SR_OK;
}

/* ---- filtering and tokens (manual 7.3) --------------------------------- */

/* Latin-1 letters to their base letter: TABARI strips diacritics. */
static char fold_latin1(int32_t cp)
{
    static const char map[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    if (cp >= 0xC0 && cp <= 0xFF) return map[cp - 0xC0];
    if (cp == 0x2019 || cp == 0x2018) return '\'';
    if (cp == 0x201C || cp == 0x201D) return '"';
    if (cp == 0x2013 || cp == 0x2014) return '-';
    return 0;
}

/* What a folded character is to the word splitter: the separators of
 * manual 7.3, the period, the comma and the semicolon; anything else is
 * part of a word. Folded text is ASCII. */
enum { CH_WORD, CH_SEP, CH_DOT, CH_COMMA, CH_SEMI };
static const uint8_t ch_class[128] = {
    [' '] = CH_SEP, ['\t'] = CH_SEP, ['\n'] = CH_SEP, ['\r'] = CH_SEP, ['"'] = CH_SEP, ['?'] = CH_SEP,
    ['!'] = CH_SEP, ['-'] = CH_SEP, ['('] = CH_SEP, [')'] = CH_SEP, ['['] = CH_SEP, [']'] = CH_SEP,
    [':'] = CH_SEP, ['{'] = CH_SEP, ['}'] = CH_SEP, ['/'] = CH_SEP, ['*'] = CH_SEP, ['`'] = CH_SEP,
    ['_'] = CH_SEP, ['.'] = CH_DOT, [','] = CH_COMMA, [';'] = CH_SEMI,
};

/* The C locale's character classes, without a call per byte. */
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_alpha(char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'); }
static char upper(char ch) { return ch >= 'a' && ch <= 'z' ? (char)(ch - ('a' - 'A')) : ch; }

static void make_word_up(sr_coder *c)
{
    for (int ch = 0; ch < 128; ch++) c->word_up[ch] = ch_class[ch] == CH_WORD ? (uint8_t)upper((char)ch) : 0x80;
}

/* The first byte at or after `from` that is not ASCII, or len. */
static size_t ascii_run(const char *s, size_t from, size_t len)
{
    return from + sr_ascii_span(s + from, len - from);
}

/* Byte offset in the sentence of folded character f: each character
 * folds to one byte, so f plus the extra bytes of the multi-byte
 * characters before it. Only an event's actor words need it; a cursor
 * walks the list of those characters. */
static uint32_t text_byte(sr_coder *c, uint32_t f)
{
    if (!c->nshift) return f;
    while (c->shift_at < c->nshift && c->shift_f[c->shift_at] <= f) c->shift_at++;
    while (c->shift_at > 0 && c->shift_f[c->shift_at - 1] > f) c->shift_at--;
    return f + (c->shift_at ? c->shift_extra[c->shift_at - 1] : 0);
}

static sr_err add_token(sr_coder *c, const char *w, size_t n, uint32_t f0, uint32_t f1, bool cap)
{
    if (c->ntok >= SR_CODE_MAX_TOKENS) return SR_OK; /* a giant sentence is coded on its head */
    token *t = &c->tok[c->ntok++];
    memset(t, 0, sizeof *t);
    t->w = w;
    t->len = (uint16_t)n;
    t->c0 = f0;
    t->c1 = f1;
    t->cap = cap;
    t->mention = t->in_mention = -1;
    return SR_OK;
}

static sr_err fold_text(sr_coder *c, const char *text, size_t len, size_t first_high);

static sr_err tokenise(sr_coder *c, const char *text, size_t len)
{
    c->ntok = 0;
    c->nshift = c->shift_at = 0;
    c->whole_utf8 = len <= SR_CODE_MAX_SENTENCE;
    if (len > SR_CODE_MAX_SENTENCE) len = SR_CODE_MAX_SENTENCE;
    /* folded text, then each word once more with its terminating NUL (a
     * split contraction takes one byte more: at most half as many again) */
    size_t need = 3 * len + 4;
    if (need > c->fold_cap) {
        free(c->fold);
        free(c->shift_f);
        free(c->shift_extra);
        c->fold = malloc(need);
        c->shift_f = malloc(need * sizeof *c->shift_f);
        c->shift_extra = malloc(need * sizeof *c->shift_extra);
        c->fold_cap = c->fold && c->shift_f && c->shift_extra ? need : 0;
        if (!c->fold_cap) return SR_ENOMEM;
    }
    /* ASCII text is its own folded form: only a sentence with other
     * characters is copied */
    size_t high = ascii_run(text, 0, len);
    const char *folded = text;
    size_t n = len;
    if (high < len) {
        sr_err e = fold_text(c, text, len, high);
        if (e) return e;
        folded = c->fold;
        n = c->ncp;
    }
    c->ncp = (uint32_t)n;
    char *words = c->fold + len + 1;
    unsigned lower = 0;
    size_t p = 0;
    while (p < n) {
        unsigned char ch = (unsigned char)folded[p];
        int cls = ch_class[ch];
        if (cls == CH_SEP || cls == CH_DOT) { p++; continue; }
        if (cls != CH_WORD) {
            add_token(c, ",", 1, (uint32_t)p, (uint32_t)p + 1, false);
            p++;
            continue;
        }
        size_t b = p;
        char *w = words;
        size_t wl = 0;
        while (p < n) {
            ch = (unsigned char)folded[p];
            unsigned up = c->word_up[ch];
            if (up & 0x80) {
                cls = ch_class[ch];
                if (cls == CH_SEP || cls == CH_SEMI) break;
                if (cls == CH_COMMA) {
                    /* a comma inside a number disappears: 1,500 -> 1500 */
                    if (wl && is_digit(folded[p - 1]) && p + 1 < n && is_digit(folded[p + 1])) { p++; continue; }
                    break;
                }
                /* a period after a lower-case letter ends a sentence; one in an
                 * abbreviation (U.N.) or a number stays */
                char prev = folded[p - 1];
                bool keep = wl && ((prev >= 'A' && prev <= 'Z') || (is_digit(prev) && p + 1 < n && is_digit(folded[p + 1])));
                if (!keep) break;
                up = ch;
            }
            lower |= up ^ ch;
            w[wl++] = (char)up;
            p++;
        }
        bool cap = folded[b] >= 'A' && folded[b] <= 'Z';
        size_t stem = sr_contraction_stem(w, wl);
        if (stem) {
            /* "didn't" is "did" and "n't", as Treebank and PETRARCH have it */
            char *w2 = w + stem + 1;
            memmove(w2, w + stem, 3);
            w[stem] = 0;
            w2[3] = 0;
            words += wl + 2;
            add_token(c, w, stem, (uint32_t)b, (uint32_t)(p - 3), cap);
            add_token(c, w2, 3, (uint32_t)(p - 3), (uint32_t)p, false);
            continue;
        }
        w[wl] = 0;
        words += wl + 1;
        add_token(c, w, wl, (uint32_t)b, (uint32_t)p, cap);
    }
    c->all_caps = !lower;
    return SR_OK;
}

/* Latin-1 letters to their base letter, curly quotes and dashes to ASCII,
 * anything else to X, a bad byte to a blank: one folded byte per
 * character. Notes where a character took more than one byte. */
static sr_err fold_text(sr_coder *c, const char *text, size_t len, size_t first_high)
{
    char *folded = c->fold;
    memcpy(folded, text, first_high);
    size_t n = first_high, i = first_high;
    uint32_t extra = 0;
    while (i < len) {
        size_t run = ascii_run(text, i, len) - i;
        memcpy(folded + n, text + i, run);
        n += run;
        i += run;
        if (i >= len) break;
        size_t at = i;
        int32_t cp = sr_utf8_decode(text, len, &i);
        if (cp < 0) c->whole_utf8 = false;
        char ch = cp < 0 ? ' ' : fold_latin1(cp);
        if (!ch) ch = cp >= 0 ? 'X' : ' ';
        folded[n++] = ch;
        if (i - at > 1) {
            extra += (uint32_t)(i - at - 1);
            c->shift_f[c->nshift] = (uint32_t)n;
            c->shift_extra[c->nshift++] = extra;
        }
    }
    folded[n] = 0;
    c->ncp = (uint32_t)n;
    return SR_OK;
}

/* ---- word matching ------------------------------------------------------- */

static bool regular_ending(const char *rest, size_t n, bool verb)
{
    static const char *const noun_end[] = {"S", "'S", "ES", "S'", "'", NULL};
    static const char *const verb_end[] = {"S", "ED", "ES", "EN", "ING", "D", NULL};
    for (const char *const *e = verb ? verb_end : noun_end; *e; e++)
        if (strlen(*e) == n && memcmp(*e, rest, n) == 0) return true;
    return false;
}

bool sr_word_matches(const pword *pw, const char *w, size_t len, bool final, int kind)
{
    /* the first letters differ for most words tried: no call then */
    if (len < pw->len || (pw->len && w[0] != pw->s[0]) || memcmp(w, pw->s, pw->len) != 0) return false;
    if (len == pw->len || pw->stem) return true;
    if (!final || pw->noend) return false;
    return regular_ending(w + pw->len, len - pw->len, kind == PK_VERB || kind == -1);
}

/* SET: STEMMING = FALSE: actor, agent and verb words match whole, with
 * their regular endings only (PETRARCH does not stem: "THE_AU" is not "The
 * Australian", "DIPLOMAT" not "diplomatic", "DEPART" not "departx").
 * Pattern words are left alone: they name nouns in any number. */
static bool whole_words(const sr_coder *c, const phrase *p)
{
    return !c->d->opt.stemming && (p->kind == PK_ACTOR || p->kind == PK_AGENT || p->kind == PK_VERB);
}

/* A verb's regular forms as PETRARCH makes them (its make_verb_forms):
 * -S, -ED, -ING, and -D after a final E ("departes" is no form of
 * DEPART). */
static bool verb_form(const pword *w, const token *t, bool final)
{
    if (t->len < w->len || memcmp(t->w, w->s, w->len) != 0) return false;
    size_t n = t->len - w->len;
    if (n == 0) return true;
    if (!final || w->noend) return false;
    const char *rest = t->w + w->len;
    bool e = w->len > 0 && w->s[w->len - 1] == 'E';
    return (n == 1 && rest[0] == 'S') || (n == 1 && e && rest[0] == 'D') ||
           (n == 2 && !e && !memcmp(rest, "ED", 2)) || (n == 3 && !memcmp(rest, "ING", 3));
}

/* Does phrase p match the tokens from i? Words joined by '_' must be
 * consecutive; after a blank any number of other words may come between,
 * up to a comma, as TABARI matches a root word by word (manual 5.2: "AL
 * GORE" matches "Al 'The Weasel' Gore"; its DEBUG-02 matches DURTHANG ORC
 * across eleven words). Returns the tokens spanned or 0; *gaps counts the
 * words skipped; `at_out`, if given, receives the tokens matched. A word
 * already taken by an earlier phrase ends the match. */
static bool sentence_has(sr_coder *c, const pword *w);

static int phrase_at(sr_coder *c, const phrase *p, int i, int *gaps, int *at_out)
{
    int at = i;
    *gaps = 0;
    bool whole = whole_words(c, p);
    for (int k = 0; k < p->nwords; k++) {
        bool final = k == p->nwords - 1;
        int limit = k > 0 && p->w[k].gap ? c->ntok : at;
        pword w = p->w[k];
        if (whole) w.stem = 0;
        /* a word the sentence lacks is not looked for to its end */
        if (limit > at && w.len && !sentence_has(c, &w)) return 0;
        for (;; at++) {
            if (at >= c->ntok || at > limit) return 0;
            const token *t = &c->tok[at];
            if (t->w[0] == ',' || t->part) return 0;
            bool hit = whole && p->kind == PK_VERB ? verb_form(&w, t, final) : sr_word_matches(&w, t->w, t->len, final, p->kind);
            if (hit) break;
            if (k == 0) return 0;
            (*gaps)++;
        }
        if (at_out) at_out[k] = at;
        at++;
    }
    return at - i;
}

/* Might the sentence hold word w? Its set of word beginnings is made
 * when a phrase with a gap first asks, which most sentences never do. */
static bool sentence_has(sr_coder *c, const pword *w)
{
    if (!c->words_made) {
        memset(&c->words, 0, sizeof c->words);
        for (int i = 0; i < c->ntok; i++) word_set_add(&c->words, c->tok[i].w, c->tok[i].len);
        c->words_made = true;
    }
    return word_set_has(&c->words, word_bit(w->s, w->len < 3 ? w->len : 3));
}

static int kind_rank(int kind)
{
    static const int rank[] = {[PK_DISCARD] = 7, [PK_ACTOR] = 6, [PK_AGENT] = 5, [PK_VERB] = 4,
                               [PK_TIME] = 3, [PK_NOUN] = 2, [PK_ADJ] = 1};
    return rank[kind];
}

/* Words that may have others before them: "AL_GORE" is a closer match
 * for "Al-Gore" than "AL GORE". */
static int loose_words(const phrase *p)
{
    int n = 0;
    for (int k = 1; k < p->nwords; k++) n += p->w[k].gap;
    return n;
}

/* Longest dictionary phrase starting at token i: most words, then most
 * letters, then fewest skipped words, then the kind's rank. */
static const phrase *longest_at(sr_coder *c, int i, int *ntok)
{
    const sr_code_dict *d = c->d;
    const token *t = &c->tok[i];
    const phrase *best = NULL;
    int best_n = 0, best_gaps = 0;
    uint32_t hashes[64];
    size_t maxl = t->len < 64 ? t->len : 64;
    uint32_t h = SR_FNV_INIT;
    for (size_t l = 0; l < maxl; l++) hashes[l] = h = sr_fnv_step(h, t->w[l]);
    const token *next = i + 1 < c->ntok ? &c->tok[i + 1] : NULL;
    int next_bucket = next ? sub_bucket(next->w[0]) : 0;
    for (size_t l = maxl; l >= 1; l--) {
        if (!bloom_maybe(d->bloom, hashes[l - 1])) continue;
        int32_t slot = sr_dict_slot(d, t->w, l, hashes[l - 1]);
        if (slot < 0) continue;
        int32_t sub = d->head_sub[slot];
        /* a long chain: the phrases that fit any next word, then those whose
         * second word starts like the next token */
        for (int pass = 0; pass < 2; pass++) {
            int32_t id;
            if (sub < 0) id = pass ? -1 : d->heads[slot];
            else id = pass && next_bucket == 0 ? -1 : d->subs[sub + (pass ? next_bucket : 0)];
            for (; id >= 0; id = sub < 0 ? d->phrases[id].next : d->sub_next[id]) {
                const phrase *p = &d->phrases[id];
                /* a whole first word that is only a prefix of this one can
                 * match only as the last word, by a regular ending */
                if (l < t->len && (!p->w[0].stem || whole_words(c, p)) && (p->nwords > 1 || p->w[0].noend)) continue;
                /* a second word joined to the first must begin the next
                 * token: most phrases tried fail there */
                if (p->nwords > 1 && !p->w[1].gap && p->w[1].len && (!next || next->w[0] != p->w[1].s[0])) continue;
                int gaps;
                int n = phrase_at(c, p, i, &gaps, NULL);
                if (!n) continue;
                bool better = !best || p->nwords > best->nwords ||
                    (p->nwords == best->nwords && (p->chars > best->chars ||
                    (p->chars == best->chars && (gaps < best_gaps ||
                    (gaps == best_gaps && (loose_words(p) < loose_words(best) ||
                    (loose_words(p) == loose_words(best) && kind_rank(p->kind) > kind_rank(best->kind))))))));
                if (better) {
                    best = p;
                    best_n = n;
                    best_gaps = gaps;
                }
            }
        }
    }
    *ntok = best_n;
    return best;
}

/* Determiners, conjunctions, pronouns, auxiliaries and BY: a switch on
 * the length and the first letter, as this runs for every word. */
static int closed_class(const token *t)
{
    const char *w = t->w;
#define W_IS(s) (memcmp(w, s, sizeof s - 1) == 0)
    if (w[0] == ',') return T_COMMA;
    if (is_digit(w[0])) return T_NUM;
    switch (t->len) {
    case 1:
        return w[0] == 'A' ? T_DET : T_NULL;
    case 2:
        if (W_IS("AN")) return T_DET;
        if (W_IS("OR")) return T_CONJ;
        if (W_IS("HE") || W_IS("IT")) return T_PRON;
        if (W_IS("BY")) return T_BY;
        return T_NULL;
    case 3:
        switch (w[0]) {
        case 'T': return W_IS("THE") ? T_DET : T_NULL;
        case 'A': return W_IS("AND") ? T_CONJ : T_NULL;
        case 'B': return W_IS("BUT") ? T_CONJ : T_NULL;
        case 'N': return W_IS("NOR") ? T_CONJ : T_NULL;
        case 'S': return W_IS("SHE") ? T_PRON : T_NULL;
        case 'H': return W_IS("HIM") || W_IS("HER") || W_IS("HIS") ? T_PRON : T_NULL;
        case 'I': return W_IS("ITS") ? T_PRON : T_NULL;
        case 'W': return W_IS("WAS") ? T_AUX : T_NULL;
        default: return T_NULL;
        }
    case 4:
        if (W_IS("THEY") || W_IS("THEM")) return T_PRON;
        if (W_IS("WERE") || W_IS("BEEN")) return T_AUX;
        return T_NULL;
    case 5:
        return W_IS("THEIR") ? T_PRON : T_NULL;
    default:
        return T_NULL;
    }
#undef W_IS
}

static void classify(sr_coder *c)
{
    static const int type_of[] = {[PK_ACTOR] = T_ACTOR, [PK_AGENT] = T_AGENT, [PK_VERB] = T_VERB,
                                  [PK_NOUN] = T_NOUN, [PK_ADJ] = T_ADJ, [PK_TIME] = T_TIME,
                                  [PK_DISCARD] = T_DISCARD};
    c->words_made = false;
    for (int i = 0; i < c->ntok; i++) {
        token *t = &c->tok[i];
        if (t->part) continue;
        int cc = closed_class(t);
        if (cc == T_COMMA) { t->type = T_COMMA; continue; }
        int n;
        const phrase *p = longest_at(c, i, &n);
        if (!p || (cc != T_NULL && n < 2) || (cc == T_NUM && n < 2)) {
            t->type = (uint8_t)cc;
            continue;
        }
        t->type = (uint8_t)type_of[p->kind];
        t->span = (uint16_t)n;
        t->item = p->item;
        int at[SR_CODE_MAX_WORDS], gaps;
        phrase_at(c, p, i, &gaps, at);
        /* the words a phrase skips keep their own roles, as in TABARI,
         * where only a root's own words take its type: SHOULD inside
         * "Durthang should be set up ... Orc" stays a verb (DEBUG-02) */
        for (int k = i + 1; k < i + n; k++) c->tok[k].skipped = gaps > 0;
        for (int k = 1; k < p->nwords; k++) {
            token *w = &c->tok[at[k]];
            w->type = T_NULL, w->span = 0, w->part = 1, w->skipped = 0;
        }
        /* a verb after a determiner or capitalised inside the sentence is a
         * noun (manual 7.4) */
        if (t->type == T_VERB) {
            bool det = i > 0 && c->tok[i - 1].type == T_DET;
            bool capital = i > 0 && t->cap && !c->all_caps;
            const verb_entry *v = &c->d->verbs[t->item];
            if (det || capital) t->type = T_NOUN;
            else if (v->code.null && v->npats == 0) t->type = T_NULL;
        }
        if (!gaps) i += n - 1;
    }
}

/* ---- actors, agents, compounds, pronouns -------------------------------- */

static const char *resolve_code(const sr_coder *c, const actor_entry *a)
{
    /* the first restriction that holds wins, else the unrestricted code
     * (manual 6.5.2); with no date, an open-ended ">date" code is the
     * actor's current role */
    const char *dflt = NULL, *current = NULL;
    for (int k = 0; k < a->ncodes; k++) {
        const dcode *dc = &a->codes[k];
        bool restricted = dc->lo != 0 || dc->hi != 99999999;
        if (!restricted) {
            if (!dflt) dflt = dc->code;
        } else if (c->date && c->date >= dc->lo && c->date <= dc->hi) {
            return dc->code;
        } else if (!c->date && dc->hi == 99999999 && !current) {
            current = dc->code;
        }
    }
    if (dflt) return dflt;
    return current ? current : "---";
}

/* A mention's words: from its first to its last token, less the words its
 * phrase skipped, which keep their own roles. */
static void cover(sr_coder *c, int m)
{
    for (int k = c->men[m].first; k <= c->men[m].last; k++)
        if (!c->tok[k].skipped) c->tok[k].in_mention = m;
}

static int new_mention(sr_coder *c, int first, int last)
{
    if (c->nmen >= SR_CODE_MAX_TOKENS) return -1;
    mention *m = &c->men[c->nmen];
    memset(m, 0, sizeof *m);
    m->first = first;
    m->last = last;
    m->group = m->group_last = c->nmen;
    m->pron_ref = -1;
    cover(c, c->nmen);
    c->tok[first].mention = c->nmen;
    return c->nmen++;
}

static void split_codes(sr_coder *c, mention *m, const char *code)
{
    const char *p = code;
    while (*p && m->ncodes < MAX_CODES) {
        size_t n = strcspn(p, "/");
        m->codes[m->ncodes++] = sr_arena_strndup(c->mem, p, n);
        p += n;
        if (*p == '/') p++;
    }
}

/* Actor code plus agent code, unless the agent code is already there on
 * CAMEO's 3-character boundaries (manual 5.4). */
static const char *with_agent(sr_coder *c, const char *actor, const agent_entry *g, bool former)
{
    const char *ag = former ? "ELI" : g->code;
    size_t al = strlen(actor), gl = strlen(ag);
    if (!g->prefix || former) {
        for (size_t k = 0; k + gl <= al; k += 3)
            if (memcmp(actor + k, ag, gl) == 0) return actor;
        return sr_arena_printf(c->mem, "%s%s", actor, ag);
    }
    if (al >= gl && memcmp(actor, ag, gl) == 0) return actor;
    return sr_arena_printf(c->mem, "%s%s", ag, actor);
}

static bool word_is_n(const token *t, const char *w, size_t n)
{
    return n == t->len && memcmp(t->w, w, n) == 0;
}
#define word_is(t, lit) word_is_n((t), (lit), sizeof(lit) - 1)

static void attach_agent(sr_coder *c, int agent_tok, int m_idx)
{
    mention *m = &c->men[m_idx];
    const agent_entry *g = &c->d->agents[c->tok[agent_tok].item];
    bool former = agent_tok > 0 && word_is(&c->tok[agent_tok - 1], "FORMER");
    if (!former && m->first > 0 && word_is(&c->tok[m->first - 1], "FORMER")) former = true;
    for (int k = 0; k < m->ncodes; k++) m->codes[k] = with_agent(c, m->codes[k], g, former);
    int end = agent_tok + c->tok[agent_tok].span - 1;
    if (agent_tok < m->first) m->first = agent_tok;
    if (end > m->last) m->last = end;
    cover(c, m_idx);
    c->tok[agent_tok].type = T_NULL;
}

/* Mentions in text order; they never overlap, and are appended to an
 * already sorted run, so insertion sort does little work. */
static void sort_mentions(sr_coder *c)
{
    for (int a = 1; a < c->nmen; a++) {
        mention x = c->men[a];
        int b = a - 1;
        while (b >= 0 && c->men[b].first > x.first) { c->men[b + 1] = c->men[b]; b--; }
        c->men[b + 1] = x;
    }
}

/* A word no dictionary knows and no closed class claims. */
static bool phrase_word(const sr_coder *c, const token *t)
{
    static const char *const function[] = {"OF", "IN", "ON", "AT", "TO", "FOR", "WITH", "FROM", "BY", "ABOUT",
        "AFTER", "BEFORE", "AGAINST", "OVER", "INTO", "BETWEEN", "THAT", "WHICH", "WHO", "IS", "ARE", "BE",
        "HAS", "HAVE", "HAD", "WILL", "WOULD", "NOT", "ALSO", "THEN", "THERE", "THIS", "THESE", "THOSE", NULL};
    (void)c;
    if (t->type != T_NULL || t->len < 2) return false;
    for (int k = 0; k < t->len; k++)
        if (!isalpha((unsigned char)t->w[k])) return false;
    return !tok_is_any(t, function);
}

/* A lower-case word no dictionary knows and no closed class claims: with
 * SET: NOUN PHRASES, a modifier inside a noun phrase ("the evil awful
 * Gondor"), as PETRARCH's parse tree has it. */
static bool plain_word(const sr_coder *c, const token *t)
{
    return (!t->cap || c->all_caps) && phrase_word(c, t);
}

/* The agent ends its noun phrase, whose head it is: a verb, a conjunction,
 * a comma or IN/AT (a place) follows ("a senior official said"; not
 * "diplomatic ties", nor "President of the European Commission Jose ..."). */
/* Returns the last token of the phrase, -1 when the agent does not head
 * one. With SET: NOUN PHRASES a few more words of the phrase may follow
 * it ("the official news agency WFNA said"): PETRARCH finds an agent
 * anywhere in a noun phrase that names no actor. */
static int heads_phrase(const sr_coder *c, int end)
{
    for (int k = 0; k < 3 && c->d->opt.noun_phrases && end + 1 < c->ntok && phrase_word(c, &c->tok[end + 1]); k++)
        end++;
    if (end + 1 >= c->ntok) return end;
    const token *t = &c->tok[end + 1];
    bool heads = t->type == T_NULL ? word_is(t, "IN") || word_is(t, "AT")
                                   : t->type == T_VERB || t->type == T_AUX || t->type == T_CONJ || t->type == T_COMMA;
    return heads ? end : -1;
}

/* With SET: NOUN PHRASES, the actor whose possessive opens the agent's
 * noun phrase, a few modifiers before it ("Dagolath's first Deputy Prime
 * Minister Telemar", "Ithilen's awful and evil minister"): PETRARCH takes
 * the first actor of a noun phrase and adds the agents in it. -1: none. */
static int possessor_before(const sr_coder *c, int i)
{
    int k = i - 1;
    for (int words = 0; k >= 0 && words < 4 && c->tok[k].in_mention < 0; k--, words++) {
        const token *t = &c->tok[k];
        bool modifier = t->type == T_ADJ || phrase_word(c, t);
        bool adjectives = t->type == T_CONJ && k > 0 && k + 1 < i && plain_word(c, &c->tok[k - 1]) && plain_word(c, &c->tok[k + 1]);
        if (!modifier && !adjectives) return -1;
    }
    if (k < 0 || k == i - 1 || c->tok[k].in_mention < 0) return -1;
    const token *last = &c->tok[k];
    bool possessive = last->len >= 2 && (memcmp(last->w + last->len - 2, "'S", 2) == 0 || last->w[last->len - 1] == '\'');
    int m = c->tok[k].in_mention;
    return possessive && c->men[m].last == k ? m : -1;
}

static void find_mentions(sr_coder *c, int *status)
{
    c->nmen = 0;
    for (int i = 0; i < c->ntok; i++) {
        token *t = &c->tok[i];
        if (t->type != T_ACTOR) continue;
        const char *code = t->item == UINT32_MAX ? "---" : resolve_code(c, &c->d->actors[t->item]);
        if (strcmp(code, "###") == 0) { *status = SR_CODE_DISCARD; return; }
        if (strcmp(code, "+++") == 0) { *status = SR_CODE_COMPLEX; return; }
        if (strcmp(code, "---") == 0) { t->type = T_NOUN; continue; }
        int m = new_mention(c, i, i + t->span - 1);
        if (m >= 0) {
            split_codes(c, &c->men[m], code);
            c->men[m].base = c->men[m].codes[0];
        }
    }
    /* agents: after an actor, before one, or before OF/IN/FROM + actor
     * ("soldiers from Gondor": PETRARCH joins them, and TABARI leaves
     * its list of such prepositions open, manual 5.4) */
    for (int i = 0; i < c->ntok; i++) {
        token *t = &c->tok[i];
        if (t->type != T_AGENT) continue;
        int end = i + t->span - 1;
        int before = i > 0 ? c->tok[i - 1].in_mention : -1;
        if (before < 0 && i > 1 && word_is(&c->tok[i - 1], "FORMER")) before = c->tok[i - 2].in_mention;
        if (before < 0 && c->d->opt.noun_phrases) before = possessor_before(c, i);
        int after = end + 1 < c->ntok ? c->tok[end + 1].mention : -1;
        if (before >= 0) {
            attach_agent(c, i, before);
            if (after >= 0) { /* "Bree Prime Minister Romendacil": one actor */
                mention *a = &c->men[after];
                c->men[before].last = a->last;
                cover(c, before);
                c->tok[a->first].mention = -1;
                a->ncodes = 0;
            }
            continue;
        }
        if (after >= 0) {
            attach_agent(c, i, after);
            continue;
        }
        int k = end + 1;
        if (k < c->ntok && (word_is(&c->tok[k], "OF") || word_is(&c->tok[k], "IN") || word_is(&c->tok[k], "FROM"))) {
            k++;
            while (k < c->ntok && c->tok[k].type == T_DET) k++;
            if (k < c->ntok && c->tok[k].mention >= 0) {
                int m = c->tok[k].mention;
                c->tok[k].mention = -1;
                attach_agent(c, i, m);
                c->men[m].of_agent = t->item + 1;
                c->tok[i].mention = m;
                continue;
            }
        }
        if (c->d->opt.convert_agents) {
            int m = new_mention(c, i, end);
            if (m >= 0) {
                const agent_entry *g = &c->d->agents[t->item];
                c->men[m].codes[c->men[m].ncodes++] = g->raw;
            }
        } else if (c->d->opt.null_actors && heads_phrase(c, end) >= 0) {
            /* PETRARCH codes a noun phrase whose head is an agent with no
             * actor as that agent of no one: "a senior official said" is
             * ---GOV; "diplomatic ties" is headed by "ties" */
            int m = new_mention(c, i, heads_phrase(c, end));
            if (m >= 0) {
                const agent_entry *g = &c->d->agents[t->item];
                c->men[m].codes[c->men[m].ncodes++] = with_agent(c, "---", g, false);
                c->men[m].lone_agent = true;
                c->men[m].of_agent = t->item + 1;
            }
        }
    }
    /* drop mentions emptied by merging; converted agents were appended, so
     * put mentions back in text order (the compound scan walks forward
     * through them); keep token links right */
    int w = 0;
    for (int m = 0; m < c->nmen; m++) {
        if (c->men[m].ncodes == 0) continue;
        c->men[w++] = c->men[m];
    }
    c->nmen = w;
    sort_mentions(c);
    for (int m = 0; m < c->nmen; m++) c->men[m].group = c->men[m].group_last = m;
    for (int i = 0; i < c->ntok; i++) c->tok[i].mention = c->tok[i].in_mention = -1;
    for (int m = 0; m < c->nmen; m++) {
        c->tok[c->men[m].first].mention = m;
        cover(c, m);
    }
}

static bool np_filler(const token *t)
{
    return t->type == T_DET || t->type == T_ADJ || t->np_word;
}

/* The tokens from k that may stand before an actor in a compound's member:
 * determiners and adjectives, and with SET: NOUN PHRASES up to three plain
 * words, marked as part of the phrase when an actor follows them. */
static int skip_fillers(sr_coder *c, int k)
{
    int plain = 0, from = k;
    while (k < c->ntok && c->tok[k].mention < 0) {
        token *t = &c->tok[k];
        if (np_filler(t)) { k++; continue; }
        if (!c->d->opt.noun_phrases || plain >= 3 || !plain_word(c, t)) break;
        plain++, k++;
    }
    if (plain && k < c->ntok && c->tok[k].mention >= 0)
        for (int j = from; j < k; j++) c->tok[j].np_word = c->tok[j].type == T_NULL;
    return k;
}

/* Parsed compounds (manual 7.5): np1 , np2 , ... AND npn, where an np is an
 * actor after any determiners and adjectives. */
static void find_compounds(sr_coder *c)
{
    for (int m = 0; m < c->nmen; m++) {
        int members[64], links[64];
        int nm = 0, nl = 0, last_and = -1;
        members[nm++] = m;
        int cur = m;
        for (;;) {
            int k = c->men[cur].last + 1;
            int link_start = k;
            bool saw_and = false, saw_comma = false;
            while (k < c->ntok && (c->tok[k].type == T_COMMA || (c->tok[k].type == T_CONJ && !word_is(&c->tok[k], "BUT")))) {
                if (c->tok[k].type == T_COMMA) saw_comma = true;
                else saw_and = true;
                k++;
            }
            if (!saw_and && !saw_comma) break;
            k = skip_fillers(c, k);
            if (k >= c->ntok || c->tok[k].mention < 0 || nm >= 64) break;
            links[nl++] = link_start;
            cur = c->tok[k].mention;
            members[nm++] = cur;
            if (saw_and) last_and = nm - 1;
        }
        if (last_and < 0) continue;
        for (int j = 0; j <= last_and; j++) {
            c->men[members[j]].group = members[0];
            c->men[members[j]].group_last = members[last_and];
        }
        for (int j = 0; j < last_and; j++)
            for (int k = links[j]; k < c->ntok && (c->tok[k].type == T_COMMA || c->tok[k].type == T_CONJ); k++)
                c->tok[k].joined = JOIN_ACTORS;
        /* an actor right after a possessive member belongs to the compound
         * too: "Gondor and Arnor's Elrond" */
        for (int j = 0; j <= last_and; j++) {
            const token *lt = &c->tok[c->men[members[j]].last];
            bool possessive = lt->len >= 3 && memcmp(lt->w + lt->len - 2, "'S", 2) == 0;
            int after = c->men[members[j]].last + 1, adjectives = 0;
            /* or after adjectives: "the evil Arnor awful Gondor" */
            while (after < c->ntok && c->tok[after].type == T_ADJ) after++, adjectives++;
            if (!possessive && !adjectives) continue;
            int g = after < c->ntok ? c->tok[after].mention : -1;
            if (g >= 0 && g != members[j] && (j == last_and || g != members[j + 1])) c->men[g].glued = true;
        }
        /* never step back: the scan must end whatever the mention order */
        if (members[last_and] > m) m = members[last_and];
    }
    /* compound noun and adjective phrases keep their conjunction (7.5.1) */
    for (int i = 1; i + 1 < c->ntok; i++) {
        token *t = &c->tok[i];
        if (t->type != T_CONJ || t->joined) continue;
        int prev = c->tok[i - 1].type, k = i + 1;
        if (prev == T_ADJ && c->tok[k].type == T_ADJ) { t->joined = JOIN_WORDS; continue; }
        /* with SET: NOUN PHRASES, words no dictionary knows are joined as
         * a parse tree joins nouns ("death and injury toll") */
        if (c->d->opt.noun_phrases && plain_word(c, &c->tok[i - 1]) && plain_word(c, &c->tok[k])) { t->joined = JOIN_WORDS; continue; }
        if (prev != T_NOUN) continue;
        while (k < c->ntok && c->tok[k].type == T_ADJ) k++;
        if (k < c->ntok && c->tok[k].type == T_NOUN) t->joined = JOIN_WORDS;
    }
}

/* PETRARCH gives an agent before OF/IN/FROM and a compound to every member
 * ("Lawmakers in Fornost and Gondor": FORLEG, GONLEG); TABARI gives it to
 * the first only (its validation DEMO-08). */
static void share_agents(sr_coder *c)
{
    for (int m = 0; m < c->nmen; m++) {
        const mention *first = &c->men[m];
        if (!first->of_agent || first->lone_agent) continue;
        const agent_entry *g = &c->d->agents[first->of_agent - 1];
        for (int o = m + 1; o <= first->group_last && o < c->nmen; o++)
            for (int k = 0; k < c->men[o].ncodes; k++) c->men[o].codes[k] = with_agent(c, c->men[o].codes[k], g, false);
        /* "Lawmakers and officials in Fornost and Gondor": the lone agent
         * joined to them is theirs too */
        mention *lone = m > 0 ? &c->men[m - 1] : NULL;
        if (!lone || !lone->lone_agent || !lone->of_agent || lone->group != first->group) continue;
        const agent_entry *lg = &c->d->agents[lone->of_agent - 1];
        for (int o = m; o <= first->group_last && o < c->nmen; o++) {
            mention *mo = &c->men[o];
            if (mo->ncodes < MAX_CODES && mo->base) mo->codes[mo->ncodes++] = with_agent(c, mo->base, lg, false);
        }
        lone->ncodes = 0;
    }
}

static bool ok_fillers(const sr_coder *c, int from, int to)
{
    for (int k = from; k < to; k++)
        if (c->tok[k].type != T_ADJ) return false;
    return true;
}

static int group_size(const sr_coder *c, int m)
{
    int g = c->men[m].group, n = 0;
    for (int k = g; k < c->nmen && c->men[k].group == g; k++) n++;
    return n;
}

static void resolve_pronouns(sr_coder *c)
{
    int first_compound = -1;
    for (int m = 0; m < c->nmen; m++)
        if (group_size(c, m) > 1) { first_compound = c->men[m].group; break; }
    int nmen0 = c->nmen;
    for (int i = 0; i < c->ntok; i++) {
        token *t = &c->tok[i];
        if (t->type != T_PRON) continue;
        if (c->forward[0] && (nmen0 == 0 || c->men[0].first > i)) {
            /* a pronoun before any actor stands for the previous record's
             * first actor (FORWARD, manual 8.4) */
            int m = new_mention(c, i, i);
            if (m < 0) return;
            c->men[m].codes[0] = c->forward;
            c->men[m].ncodes = 1;
            continue;
        }
        int ref = -1;
        bool plural = word_is(t, "THEY") || word_is(t, "THEM") || word_is(t, "THEIR");
        if (plural && first_compound >= 0 && c->men[first_compound].first < i) ref = first_compound;
        else {
            /* the first actor still in the sentence once comma clauses are
             * gone (validation COMMA-02C) */
            for (int m = 0; m < nmen0 && c->men[m].first < i; m++)
                if (!c->tok[c->men[m].first].dropped) { ref = m; break; }
        }
        if (ref < 0) continue;
        int m = new_mention(c, i, i);
        if (m < 0) return;
        mention *pm = &c->men[m];
        pm->pron_ref = ref;
        pm->own = c->men[ref].base;
        int g = c->men[ref].group;
        for (int k = g; k < nmen0 && c->men[k].group == g; k++)
            for (int j = 0; j < c->men[k].ncodes && pm->ncodes < MAX_CODES; j++)
                pm->codes[pm->ncodes++] = c->men[k].codes[j];
        if (!(plural && group_size(c, ref) > 1)) {
            pm->ncodes = 0;
            for (int j = 0; j < c->men[ref].ncodes; j++) pm->codes[pm->ncodes++] = c->men[ref].codes[j];
        }
    }
    /* pronoun mentions were appended: keep mentions in text order */
    sort_mentions(c);
    /* renumber groups after the sort: members are consecutive mentions */
    for (int m = 0; m < c->nmen; m++) {
        mention *x = &c->men[m];
        if (x->group == x->group_last && x->pron_ref < 0 && x->first == x->last) { x->group = x->group_last = m; continue; }
    }
    /* simple rebuild: a mention is in a group with its neighbours when the
     * tokens between them are joined links */
    for (int m = 0; m < c->nmen; m++) c->men[m].group = c->men[m].group_last = m;
    for (int m = 1; m < c->nmen; m++) {
        int k = c->men[m - 1].last + 1;
        bool link = false, ok = k < c->men[m].first;
        for (; ok && k < c->men[m].first; k++) {
            const token *t = &c->tok[k];
            /* "awful and evil minister": adjectives joined, not actors */
            if (t->joined == JOIN_ACTORS) link = true;
            else if (t->joined == JOIN_WORDS) continue;
            else if (!np_filler(t)) ok = false;
        }
        bool glued = c->men[m].glued && ok_fillers(c, c->men[m - 1].last + 1, c->men[m].first);
        if ((ok && link) || glued) c->men[m].group = c->men[m - 1].group;
    }
    for (int m = c->nmen - 1; m >= 0; m--) {
        int g = c->men[m].group;
        if (m + 1 < c->nmen && c->men[m + 1].group == g) c->men[m].group_last = c->men[m + 1].group_last;
        else c->men[m].group_last = m;
    }
    for (int m = 0; m < c->nmen; m++) c->men[m].group_last = c->men[c->men[m].group].group_last;
    for (int i = 0; i < c->ntok; i++) c->tok[i].mention = c->tok[i].in_mention = -1;
    for (int m = 0; m < c->nmen; m++) {
        c->tok[c->men[m].first].mention = m;
        cover(c, m);
    }
}

/* Comma-delimited clauses of MIN < words <= MAX are dropped (manual 7.8). */
static void drop_comma_clauses(sr_coder *c)
{
    const code_options *o = &c->d->opt;
    int commas[SR_CODE_MAX_TOKENS];
    int nc = 0;
    for (int i = 0; i < c->ntok; i++)
        if (c->tok[i].type == T_COMMA && !c->tok[i].joined) commas[nc++] = i;
    if (nc == 0) return;
    /* phrases are chained: a dropped phrase uses up its closing comma, and
     * the next phrase starts at the comma after it */
    for (int s = 0; s <= nc; s++) {
        int from = s == 0 ? 0 : commas[s - 1] + 1;
        int to = s == nc ? c->ntok : commas[s];
        int words = to - from;
        int lo = o->cmin, hi = o->cmax;
        if (s == 0) lo = o->bmin, hi = o->bmax;
        else if (s == nc) lo = o->emin, hi = o->emax;
        int j = from;
        while (s > 0 && j < to && !(c->tok[j].type == T_COMMA && c->tok[j].joined)) j++;
        if (s > 0 && j < to && j - from > o->cmin && j - from <= o->cmax) {
            /* a clause opened by a comma outside a list may close on a
             * comma inside one (DEBUG-17: ", associated with the IMF and
             * Red Cross, and Elrond"); a comma inside a list opens none
             * (manual 7.8; DEBUG-18a keeps "Calenardhon and Gondor, and
             * Ithilen and Dagolath" whole) */
            for (int k = from; k <= j; k++) c->tok[k].dropped = 1;
            c->tok[commas[s - 1]].dropped = 1;
            continue;
        }
        if (words > lo && words <= hi) {
            for (int k = from; k < to; k++) c->tok[k].dropped = 1;
            if (s > 0) c->tok[commas[s - 1]].dropped = 1;
            if (s < nc) c->tok[commas[s]].dropped = 1;
            s++;
        }
    }
}

/* ---- pattern matching ---------------------------------------------------- */

/* The part of a pattern after the verb is matched forward from the verb;
 * the part before it backward from the verb, so '$' before the verb takes
 * the actor nearest to the words it is tied to (validation PATTERN-31). */

typedef struct mctx {
    sr_coder *c;
    const int *pos;      /* clause positions -> token index */
    int n;               /* positions in the clause */
    int lo, hi;          /* the match stays in [lo, hi) */
    int src, tgt, cmp;   /* bound mentions, -1 none */
    int chars;           /* letters of the words matched */
    int skip[8];         /* mentions passed over by '^' */
    int nskip;
} mctx;

typedef struct cont {
    const elem_seq *seq;
    int idx;
    bool adj;
    const struct cont *next;
} cont;

#define MATCH_STEPS 20000

static const token *tok_at(const mctx *m, int p)
{
    return &m->c->tok[m->pos[p]];
}

static int letters(const pword *w)
{
    int n = 0;
    for (int k = 0; k < w->len; k++) n += isalnum((unsigned char)w->s[k]) != 0;
    return n;
}

/* A pattern word stems as TABARI's do; with SET: STEMMING = FALSE it must
 * be the word itself, as PETRARCH compares them ("EFFORT" is not
 * "efforts", "IN" not "into"). */
static bool pattern_word(const sr_coder *c, const pword *w, const token *t)
{
    if (t->type == T_COMMA) return false;
    if (c->d->opt.stemming || !w->stem) return sr_word_matches(w, t->w, t->len, false, -1);
    pword whole = *w;
    whole.stem = 0;
    return sr_word_matches(&whole, t->w, t->len, false, -1);
}

/* Bind an actor element to mention men; returns false if it cannot take it. */
static bool bind(mctx *m, const elem *e, int men, bool *group)
{
    sr_coder *c = m->c;
    bool compound = group_size(c, men) > 1;
    if (e->kind == E_CMP && !compound && c->men[men].ncodes < 2) return false;
    *group = compound || e->kind == E_SKIP || e->kind == E_CMP;
    if (compound) men = c->men[men].group;
    if (e->kind == E_SRC) m->src = men;
    else if (e->kind == E_TGT) m->tgt = men;
    else if (e->kind == E_CMP) m->cmp = men;
    else if (m->nskip < 8) m->skip[m->nskip++] = men;
    return true;
}

static bool m_fwd(mctx *m, const elem_seq *seq, int idx, int pos, bool force_adj, const cont *k);
static bool m_back(mctx *m, const elem_seq *seq, int idx, int pos, bool force_adj, const cont *k);

static bool m_fwd(mctx *m, const elem_seq *seq, int idx, int pos, bool force_adj, const cont *k)
{
    if (++m->c->steps > MATCH_STEPS) return false;
    if (idx == seq->n) return !k || m_fwd(m, k->seq, k->idx, pos, false, k->next);
    const elem *e = &seq->e[idx];
    bool adj = force_adj || e->adj;
    for (int p = pos; p < m->hi; p++) {
        const token *t = tok_at(m, p);
        if (e->kind == E_WORD) {
            if (pattern_word(m->c, &e->w, t) && m_fwd(m, seq, idx + 1, p + 1, false, k)) {
                m->chars += letters(&e->w);
                return true;
            }
        } else if (e->kind == E_ALT) {
            cont k2 = {seq, idx + 1, false, k};
            for (int a = 0; a < e->nalts; a++)
                if (m_fwd(m, &e->alts[a], 0, p, true, &k2)) return true;
        } else if (t->mention >= 0) {
            /* designated actors take the first actor found (5.7.3) */
            int s = m->src, g = m->tgt, cm = m->cmp, ns = m->nskip;
            bool group;
            if (!bind(m, e, t->mention, &group)) return false;
            const mention *mm = &m->c->men[t->mention];
            int last = group ? m->c->men[mm->group_last].last : mm->last;
            int next = p;
            while (next < m->hi && m->pos[next] <= last) next++;
            if (m_fwd(m, seq, idx + 1, next, false, k)) return true;
            m->src = s, m->tgt = g, m->cmp = cm, m->nskip = ns;
            return false;
        }
        if (adj) break;
    }
    return false;
}

/* Element idx must end before pos (right at it when force_adj). */
static bool m_back(mctx *m, const elem_seq *seq, int idx, int pos, bool force_adj, const cont *k)
{
    if (++m->c->steps > MATCH_STEPS) return false;
    if (idx < 0) return !k || m_back(m, k->seq, k->idx, pos, k->adj, k->next);
    const elem *e = &seq->e[idx];
    for (int q = pos - 1; q >= m->lo; q--) {
        const token *t = tok_at(m, q);
        if (e->kind == E_WORD) {
            if (pattern_word(m->c, &e->w, t) && m_back(m, seq, idx - 1, q, e->adj, k)) {
                m->chars += letters(&e->w);
                return true;
            }
        } else if (e->kind == E_ALT) {
            cont k2 = {seq, idx - 1, e->adj, k};
            for (int a = 0; a < e->nalts; a++) {
                const elem_seq *alt = &e->alts[a];
                if (alt->n && m_back(m, alt, alt->n - 1, q + 1, true, &k2)) return true;
            }
        } else if (t->in_mention >= 0) {
            int s = m->src, g = m->tgt, cm = m->cmp, ns = m->nskip;
            bool group;
            int men = t->in_mention;
            if (!bind(m, e, men, &group)) return false;
            const mention *mm = &m->c->men[men];
            int first = group ? m->c->men[mm->group].first : mm->first;
            int next = q;
            while (next > m->lo && m->pos[next - 1] >= first) next--;
            if (m_back(m, seq, idx - 1, next, e->adj, k)) return true;
            m->src = s, m->tgt = g, m->cmp = cm, m->nskip = ns;
            return false;
        }
        /* Before the verb, TABARI 0.8.4 matches a synset with its own
         * connectors only: the one written after the designator is not
         * checked (Validate.text SYNSET-22h, "REALLY DID NOT EVEN EVER"
         * matches &NEGATVAUXVRB_EVER), the one before it is (SYNSET-22i).
         * PETRARCH checks both (SET: CLOSED SYNSETS, its SYNSET-22h). */
        if (force_adj && !(e->kind == E_ALT && e->synset && !m->c->d->opt.closed_synsets)) break;
    }
    return false;
}

static bool is_comma(const sr_coder *c, const int *pos, int p)
{
    return c->tok[pos[p]].type == T_COMMA;
}

/* Match a pattern around the verb at clause positions [vs, ve). Matching
 * stops at commas (manual 5.5.3). */
static bool match_pattern(sr_coder *c, const pattern *pat, const int *pos, int n, int vs, int ve, mctx *m)
{
    memset(m, 0, sizeof *m);
    m->c = c;
    m->pos = pos;
    m->n = n;
    m->src = m->tgt = m->cmp = -1;
    c->steps = 0;
    if (pat->pre.n) {
        m->lo = vs;
        while (m->lo > 0 && !is_comma(c, pos, m->lo - 1)) m->lo--;
        m->hi = vs;
        if (!m_back(m, &pat->pre, pat->pre.n - 1, vs, pat->adj_before, NULL)) return false;
    }
    if (pat->post.n) {
        m->lo = ve;
        m->hi = ve;
        while (m->hi < n && !is_comma(c, pos, m->hi)) m->hi++;
        if (!m_fwd(m, &pat->post, 0, ve, pat->adj_after, NULL)) return false;
    }
    return true;
}

/* ---- clauses and events -------------------------------------------------- */

/* The default searches want an actor whose code is distinct from the other
 * side's (manual 5.8). A pronoun's code is its referent's actor: agents join
 * an actor by standing next to it (5.4), and none stands next to the
 * pronoun, so THEIR after "the ambassadors of Arnor, Osgiliath and Gondor"
 * (ARNGOV) is ARN, distinct, and the target; it stands for the compound,
 * whose pairs of one member are then dropped (COMPOUND-24). THEM after
 * "Elrond and Gondor" is ELF, the source's code, and is passed over
 * (CODEBY-08). With SET: NOUN PHRASES a possessive pronoun only opens its
 * noun phrase ("their credentials"), as PETRARCH's tree reads it, and names
 * no actor of its own (PETRARCH's COMPOUND-37 on the same sentence). */
static const char *own_code(const sr_coder *c, int m)
{
    const mention *x = &c->men[m];
    return x->pron_ref >= 0 && x->own && !c->d->opt.noun_phrases ? x->own : x->codes[0];
}

static bool same_code(const sr_coder *c, int a, int b)
{
    return a >= 0 && b >= 0 && strcmp(own_code(c, a), own_code(c, b)) == 0;
}

/* First mention in positions [from, to) whose code differs from `avoid`
 * and that a '^' did not pass over. */
static int first_mention(const sr_coder *c, const int *pos, int from, int to, int avoid)
{
    for (int p = from; p < to; p++) {
        int men = c->tok[pos[p]].mention;
        if (men < 0) continue;
        bool skipped = false;
        for (int k = 0; k < c->nskip; k++) skipped |= c->men[men].group == c->men[c->skip[k]].group;
        if (skipped) continue;
        if (avoid >= 0 && (same_code(c, men, avoid) || c->men[men].group == c->men[avoid].group)) continue;
        return men;
    }
    return -1;
}

/* A mention begun in an earlier clause whose own words reach into this
 * one before the verb, across the skipped conjunction: TABARI's search
 * before the verb meets such a word and backs into the actor's head
 * ("... near Durthang and an Orc leader said": MORORC, DEBUG-01). */
static int reaching_mention(const sr_coder *c, const int *pos, int vs, int avoid)
{
    for (int p = vs - 1; p >= 0; p--) {
        int men = c->tok[pos[p]].in_mention;
        if (men >= 0 && c->men[men].first < pos[0] && !same_code(c, men, avoid)) return men;
    }
    return -1;
}

/* First mention in [from, to) with a code other than mention `avoid`'s,
 * members of its compound included. */
static int first_other(const sr_coder *c, const int *pos, int from, int to, int avoid)
{
    for (int p = from; p < to; p++) {
        int men = c->tok[pos[p]].mention;
        if (men >= 0 && men != avoid && !same_code(c, men, avoid)) return men;
    }
    return -1;
}

static void push_event(sr_coder *c, int sm, const char *scode, int tm, const char *tcode,
                       const char *code, bool sub, bool dom, int verb_tok)
{
    if (!scode || !tcode || strcmp(scode, tcode) == 0) return;
    /* PETRARCH's require_dyad: an event needs two parties; off, a default
     * target [---] codes events without one (sitrep's lexicon) */
    if (c->d->opt.require_dyad && (!strcmp(scode, "---") || !strcmp(tcode, "---"))) return;
    for (size_t i = 0; i < c->nev; i++) {
        sr_code_event *e = &c->ev[i];
        if (e->cameo[0] != code[0] || e->source.code[0] != scode[0] || e->target.code[0] != tcode[0]) continue;
        if (!strcmp(e->source.code, scode) && !strcmp(e->target.code, tcode) && !strcmp(e->cameo, code)) return;
    }
    if (c->nev >= c->capev) return;
    sr_code_event *e = &c->ev[c->nev++];
    memset(e, 0, sizeof *e);
    e->source.code = scode;
    e->target.code = tcode;
    e->cameo = code;
    /* stash what finish_events needs in the offset fields until then */
    e->source.start = (size_t)(sm + 1);
    e->target.start = (size_t)(tm + 1);
    e->sent_start = (size_t)verb_tok;
    e->negated = sub;       /* temporarily: subordinate flag */
    e->has_goldstein = dom; /* temporarily: dominant flag */
}

typedef struct actor_list {
    int men[64];
    const char *code[64];
    int n;
} actor_list;

static void expand(const sr_coder *c, const side *s, actor_list *out)
{
    out->n = 0;
    if (s->m < 0) {
        if (s->dflt) { out->men[0] = -1; out->code[0] = s->dflt; out->n = 1; }
        return;
    }
    int from = s->m, to = s->m;
    if (!s->single && (s->whole_group || group_size(c, s->m) > 1)) {
        from = c->men[s->m].group;
        to = c->men[s->m].group_last;
    }
    for (int m = from; m <= to && m < c->nmen; m++) {
        /* members inside a dropped comma clause are gone with it */
        if (m != s->m && c->tok[c->men[m].first].dropped) continue;
        for (int k = 0; k < c->men[m].ncodes && out->n < 64; k++) {
            out->men[out->n] = m;
            out->code[out->n++] = c->men[m].codes[k];
        }
    }
}

static void make_events(sr_coder *c, const side *src, const side *tgt, const event_code *code, int verb_tok)
{
    actor_list S, T;
    expand(c, src, &S);
    expand(c, tgt, &T);
    for (int i = 0; i < S.n; i++)
        for (int j = 0; j < T.n; j++) {
            push_event(c, S.men[i], S.code[i], T.men[j], T.code[j], code->a, code->sub, code->dom, verb_tok);
            if (code->b && strcmp(S.code[i], "---") && strcmp(T.code[j], "---")) push_event(c, T.men[j], T.code[j], S.men[i], S.code[i], code->b, code->sub, code->dom, verb_tok);
        }
}

static bool passive_at(const sr_coder *c, const int *pos, int n, int vs, int ve)
{
    /* "was opposed by", also "was opposed earlier by" (validation PASV-04) */
    bool by = (ve < n && c->tok[pos[ve]].type == T_BY) ||
              (ve + 1 < n && c->tok[pos[ve + 1]].type == T_BY && c->tok[pos[ve]].type == T_NULL);
    if (!by) return false;
    for (int k = 1; k <= 2 && vs - k >= 0; k++)
        if (c->tok[pos[vs - k]].type == T_AUX) return true;
    return false;
}

typedef struct clause_state {
    int source;          /* carried source mention */
    bool have_source;
    int said_at;         /* clause position after a subordinate-coded verb */
    bool kept;           /* the source stays over an actor before the verb (7.6) */
} clause_state;

static bool may_match(const pattern *pat, const word_set *ahead, const word_set *after)
{
    for (int k = 0; k < pat->npre; k++)
        if (!word_set_has(ahead, pat->need_pre[k])) return false;
    for (int k = 0; k < pat->npost; k++)
        if (!word_set_has(after, pat->need_post[k])) return false;
    return true;
}

/* Synsets add nothing to a pattern's length, so patterns that differ only
 * in their synsets tie; of those, the one that matched the most letters of
 * the text wins ("austrian gold florin" is &HYPERCURR's, not &CURRENCY's
 * "austrian ... florin"). */
static void prefer_longer_synset_match(sr_coder *c, const verb_entry *v, uint32_t i, const int *pos, int n,
                                       int vs, int ve, const word_set *ahead, const word_set *after,
                                       const event_code **code, mctx *m)
{
    if (*code != &v->pats[i].code) return;
    int best = m->chars;
    for (uint32_t j = i + 1; j < v->npats && v->pats[j].length == v->pats[i].length; j++) {
        mctx mm;
        if (!v->pats[j].synset || !may_match(&v->pats[j], ahead, after)) continue;
        if (!match_pattern(c, &v->pats[j], pos, n, vs, ve, &mm) || mm.chars <= best) continue;
        best = mm.chars;
        *code = &v->pats[j].code;
        *m = mm;
    }
}

/* Code one verb; returns 1 if an event was made, 0 if not, -1 discard, -2 complex. */
/* A comma between clause position `from` and mention `m`: a lone agent
 * there heads another clause ("..., a senior official said"), and
 * PETRARCH takes a target from the verb's own phrase only. */
static bool comma_between(const sr_coder *c, const int *pos, int from, int m)
{
    /* dropped comma clauses count too: their commas are still there */
    for (int k = pos[from - 1]; k < c->men[m].first; k++)
        if (c->tok[k].type == T_COMMA) return true;
    return false;
}

/* A bare time phrase ("today", "Saturday", "last week"): the Penn
 * Treebank makes it an NP-TMP, which PETRARCH does not read as an actor. */
static bool time_words(const sr_coder *c, const int *pos, int from, int to)
{
    static const char *const when[] = {"TODAY", "YESTERDAY", "TONIGHT", "TOMORROW", "NOW", "LATER", "EARLIER",
        "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY", "LAST", "THIS", "NEXT",
        "WEEK", "MONTH", "YEAR", "NIGHT", "MORNING", "AFTERNOON", "EVENING", NULL};
    for (int p = from; p < to; p++)
        if (!tok_is_any(&c->tok[pos[p]], when)) return false;
    return true;
}

/* Nothing but a few words that name no actor and no verb follow the verb
 * to the end of its clause ("said on Saturday"): the verb has no object,
 * and PETRARCH codes its target as the null actor ---. A bare time phrase
 * is no object at all ("said today": no event, PETRARCH's COMMA-06). */
static bool ends_clause(const sr_coder *c, const int *pos, int n, int ve)
{
    if (n - ve > 3 || time_words(c, pos, ve, n)) return false;
    /* a clause cut at a conjunction goes on with the verb's object */
    int next = pos[n - 1] + 1;
    while (next < c->ntok && c->tok[next].dropped) next++;
    if (next < c->ntok && c->tok[next].type == T_CONJ) return false;
    for (int p = ve; p < n; p++) {
        const token *t = &c->tok[pos[p]];
        if (t->mention >= 0 || t->in_mention >= 0 || t->type == T_VERB || t->type == T_COMMA) return false;
    }
    return true;
}

/* The source is the verb's own subject: in its clause, before it, with no
 * comma between (not a source carried from an earlier clause). */
static bool own_subject(const sr_coder *c, const int *pos, int vs, int m)
{
    if (m < 0 || c->men[m].last >= pos[vs] || c->men[m].first < pos[0]) return false;
    for (int k = c->men[m].last + 1; k < pos[vs]; k++)
        if (c->tok[k].type == T_COMMA) return false;
    return true;
}

/* A word of a new actor's phrase: an unknown word, or its possessive. */
static bool new_actor_word(const sr_coder *c, const token *t)
{
    if (t->len > 3 && t->type == T_NULL && !memcmp(t->w + t->len - 2, "'S", 2)) {
        token bare = *t;
        bare.len = (uint16_t)(t->len - 2);
        return phrase_word(c, &bare);
    }
    return phrase_word(c, t);
}

/* PETRARCH's new_actor_length (SET: NEW ACTOR LENGTH = n): a noun phrase
 * no dictionary knows, of at most n words, is an actor coded with its own
 * words in quotes ("GRYFFINDOR HEAD MINERVA MCGONAGALL"). The phrase right
 * before clause position `at` (the verb) when `end` < 0, else the one right
 * after it, past one preposition ("left for the Ministry of Magic"). Returns
 * the new mention, -1 when there is none or it is too long. */
static int new_actor(sr_coder *c, const int *pos, int at, int end)
{
    static const char *const preps[] = {"FOR", "TO", "WITH", "AT", "IN", "ON", "FROM", "AGAINST", "INTO", NULL};
    int first, last, limit = c->d->opt.new_actor_length;
    if (end < 0) {
        first = last = at - 1;
        for (;; first--) {
            if (first >= 0 && c->tok[pos[first]].in_mention < 0 && new_actor_word(c, &c->tok[pos[first]])) continue;
            if (first > 0 && first < last && word_is(&c->tok[pos[first]], "OF") && new_actor_word(c, &c->tok[pos[first - 1]])) continue;
            break;
        }
        if (first >= 0 && c->tok[pos[first]].type == T_DET) first--;
        first++;
    } else {
        first = at;
        if (first < end && tok_is_any(&c->tok[pos[first]], preps)) first++;
        last = first;
        if (last < end && c->tok[pos[last]].type == T_DET) last++;
        for (;; last++) {
            if (last < end && c->tok[pos[last]].in_mention < 0 && new_actor_word(c, &c->tok[pos[last]])) continue;
            /* "the Ministry of Magic": OF joins the phrase */
            if (last + 1 < end && word_is(&c->tok[pos[last]], "OF") && new_actor_word(c, &c->tok[pos[last + 1]])) continue;
            break;
        }
        last--;
    }
    int words = last - first + 1;
    if (first < 0 || words < 1 || words > limit || c->tok[pos[last]].type == T_DET) return -1;
    for (int p = first; p <= last; p++)
        if (pos[p] != pos[first] + (p - first)) return -1;  /* a dropped clause inside */
    size_t need = 3;
    for (int p = first; p <= last; p++) need += c->tok[pos[p]].len + 1u;
    char *code = sr_arena_alloc(c->mem, need);
    if (!code) return -1;
    size_t k = 0;
    code[k++] = '"';
    for (int p = first; p <= last; p++) {
        const token *t = &c->tok[pos[p]];
        size_t len = t->len;
        if (len > 2 && !memcmp(t->w + len - 2, "'S", 2)) len -= 2;
        if (p > first) code[k++] = ' ';
        memcpy(code + k, t->w, len);
        k += len;
    }
    code[k++] = '"';
    code[k] = 0;
    int m = new_mention(c, pos[first], pos[last]);
    if (m < 0) return -1;
    c->men[m].codes[0] = code;
    c->men[m].ncodes = 1;
    c->men[m].base = code;
    return m;
}

static int code_verb(sr_coder *c, const int *pos, int n, int vs, clause_state *cs, bool first_clause,
                     bool *sub_only)
{
    const token *vt = &c->tok[pos[vs]];
    const verb_entry *v = &c->d->verbs[vt->item];
    int ve = vs + 1;
    while (ve < n && pos[ve] < pos[vs] + vt->span) ve++;
    const event_code *code = v->has_code ? &v->code : NULL;
    mctx m = {.src = -1, .tgt = -1, .cmp = -1, .nskip = 0};
    bool matched = false;
    /* words before and after the verb, to skip patterns that cannot match */
    word_set ahead = {{0}}, after = {{0}};
    for (int p = 0; p < vs; p++) word_set_add(&ahead, c->tok[pos[p]].w, c->tok[pos[p]].len);
    for (int p = ve; p < n; p++) word_set_add(&after, c->tok[pos[p]].w, c->tok[pos[p]].len);
    for (uint32_t i = 0; i < v->npats; i++) {
        mctx mm;
        if (!may_match(&v->pats[i], &ahead, &after)) continue;
        if (!match_pattern(c, &v->pats[i], pos, n, vs, ve, &mm)) continue;
        code = &v->pats[i].code;
        m = mm;
        matched = true;
        /* a match through alternatives counts the letters it really
         * matched; longer patterns get their turn first (manual 5.7.1) */
        int actual = mm.chars;
        for (uint32_t j = i + 1; j < v->npats && v->pats[j].length > actual; j++) {
            if (v->pats[j].length >= v->pats[i].length) continue;
            if (may_match(&v->pats[j], &ahead, &after) && match_pattern(c, &v->pats[j], pos, n, vs, ve, &mm)) {
                code = &v->pats[j].code;
                m = mm;
                break;
            }
        }
        if (v->pats[i].synset) prefer_longer_synset_match(c, v, i, pos, n, vs, ve, &ahead, &after, &code, &m);
        break;
    }
    c->nskip = m.nskip;
    memcpy(c->skip, m.skip, sizeof c->skip);
    if (!code || code->null) return 0;
    if (code->discard) return -1;
    if (code->complex) return -2;
    side src = {.m = m.src}, tgt = {.m = m.tgt};
    if (m.cmp >= 0 && c->d->opt.target_compound && c->men[m.cmp].first > pos[vs]) {
        /* PETRARCH: a % after the verb is the target compound ("agrees
         * with the Philippines and France"), the source found as usual */
        tgt.m = m.cmp;
        tgt.whole_group = true;
    } else if (m.cmp >= 0) {
        src.m = tgt.m = m.cmp;
        src.whole_group = tgt.whole_group = true;
    }
    bool designated = matched && (m.src >= 0 || m.tgt >= 0 || m.cmp >= 0);
    const code_options *o = &c->d->opt;
    if (src.m < 0) {
        /* attribution: after "X said", the reported event's source is
         * looked for after the saying verb first */
        int prior = cs->said_at >= 0 ? first_mention(c, pos, cs->said_at, vs, tgt.m) : -1;
        if (prior < 0 && !first_clause && cs->have_source && cs->kept) prior = cs->source;
        if (prior < 0) prior = first_mention(c, pos, 0, vs, tgt.m);
        if (prior < 0 && !first_clause && cs->have_source) prior = cs->source;
        if (prior < 0 && o->new_actor_length) prior = new_actor(c, pos, vs, -1);
        if (prior < 0 && o->def_src && o->def_src_prior) src.dflt = o->def_src;
        else if (prior < 0) {
            /* a source found after the verb is that actor alone; the rest
             * of its compound can be the target (validation DEFAULT-06b) */
            prior = first_mention(c, pos, ve, n, tgt.m);
            src.single = prior >= 0 && group_size(c, prior) > 1;
        }
        src.m = prior;
    }
    if (tgt.m < 0) {
        int t = src.single ? first_other(c, pos, ve, n, src.m) : first_mention(c, pos, ve, n, src.m);
        if (o->null_actors && t >= 0 && c->men[t].lone_agent && comma_between(c, pos, ve, t)) t = -1;
        if (t < 0 && o->def_tgt && o->def_tgt_after) tgt.dflt = o->def_tgt;
        else if (t < 0 && o->null_actors && own_subject(c, pos, vs, src.m) && ends_clause(c, pos, n, ve))
            tgt.dflt = "---";
        else if (t < 0 && o->new_actor_length && (t = new_actor(c, pos, ve, n)) >= 0) {}
        else if (t < 0) t = first_mention(c, pos, 0, vs, src.m);
        if (t < 0 && !tgt.dflt) t = reaching_mention(c, pos, vs, src.m);
        if (o->null_actors && t >= 0 && c->men[t].lone_agent && c->men[t].first < pos[vs]) t = -1;
        if (t >= 0 && src.single) tgt.single = true;
        if (t < 0 && !tgt.dflt && src.m >= 0 && group_size(c, src.m) > 1) {
            /* no other actor: the compound's first member acts on the
             * next (validation DEFAULT-07b), as a source found after the
             * verb does on the rest of its compound (DEFAULT-06b) */
            int first = c->men[src.m].group;
            src.m = first;
            src.single = tgt.single = true;
            t = first + 1;
        }
        tgt.m = t;
    }
    if (src.m < 0 && !src.dflt && o->def_src) src.dflt = o->def_src;
    if (tgt.m < 0 && !tgt.dflt && o->def_tgt) tgt.dflt = o->def_tgt;
    if (!designated && passive_at(c, pos, n, vs, ve)) {
        side tmp = src;
        src = tgt;
        tgt = tmp;
        c->passive_seen = true;
    }
    if ((src.m < 0 && !src.dflt) || (tgt.m < 0 && !tgt.dflt)) return 0;
    size_t before = c->nev;
    make_events(c, &src, &tgt, code, pos[vs]);
    if (c->nev == before) return 0;
    if (src.m >= 0) { cs->source = src.m; cs->have_source = true; }
    *sub_only = code->sub;
    return 1;
}

/* PETRARCH reads a clause with its own subject after a comma as a
 * clause of the tree ("..., a senior official said on Saturday"): a noun
 * phrase naming an actor, then its verb. */
static bool subject_clause_at(const sr_coder *c, int k)
{
    int words = 0;
    while (k < c->ntok && c->tok[k].in_mention < 0 && words < 4) {
        const token *t = &c->tok[k];
        if (t->type != T_DET && t->type != T_ADJ && t->type != T_NULL && t->type != T_NOUN) return false;
        k++, words++;
    }
    if (k >= c->ntok || c->tok[k].in_mention < 0) return false;
    k = c->men[c->tok[k].in_mention].last + 1;
    return k < c->ntok && c->tok[k].type == T_VERB;
}

static int code_clauses(sr_coder *c, int *status)
{
    const code_options *o = &c->d->opt;
    int *pos = c->pos;
    int nverbs = 0, nconj = 0;
    for (int i = 0; i < c->ntok; i++) {
        if (c->tok[i].dropped) continue;
        if (c->tok[i].type == T_VERB) nverbs++;
        if (c->tok[i].type == T_CONJ && !c->tok[i].joined) nconj++;
    }
    /* VERBS[5]: five verbs are already too many (validation COMPLEX-04) */
    if ((o->max_verbs && nverbs >= o->max_verbs) || (o->max_conj && nconj >= o->max_conj)) {
        *status = SR_CODE_COMPLEX;
        return 0;
    }
    if (o->noactprior) {
        /* no actor before the first verb: the subject is not in the
         * dictionaries, so the sentence goes to the complex pile */
        for (int i = 0; i < c->ntok; i++) {
            if (c->tok[i].dropped) continue;
            if (c->tok[i].mention >= 0) break;
            /* a null-coded verb root is only a verb if a pattern says so */
            if (c->tok[i].type == T_VERB && !c->d->verbs[c->tok[i].item].code.null) {
                *status = SR_CODE_COMPLEX;
                return 0;
            }
        }
    }
    clause_state cs = {.source = -1, .said_at = -1};
    int i = 0, clause_no = 0;
    bool sentence_done = false, comma_clause = false;
    while (i < c->ntok && !sentence_done) {
        int n = 0;
        bool split_by_conj = false, clause_verb = false, after_comma = comma_clause;
        comma_clause = false;
        for (; i < c->ntok; i++) {
            const token *t = &c->tok[i];
            if (t->dropped) continue;
            if (t->type == T_CONJ && !t->joined) { i++; split_by_conj = true; break; }
            clause_verb |= t->type == T_VERB;
            if (n > 0 && o->null_actors && t->type == T_COMMA && !t->joined && subject_clause_at(c, i + 1)) {
                i++;
                comma_clause = true;
                break;
            }
            pos[n++] = i;
        }
        /* a "clause" of one or two words is no clause, as any true clause
         * needs at least a verb and an object (TABARI's coder passes it
         * over): it is not coded and gives no source, so the clause after
         * it finds its own ("Gondor alleged and acknowledged that ... an
         * attack by Osgiliath soldiers ... Ithilen": OSGMIL/ITH/023 from
         * ACKNOWLEDGED, the source its first actor, after the verb,
         * COMPLEX-05); a clause of PETRARCH's tree cut at a comma
         * ("..., officials said") is one of its own */
        if (n > 0 && pos[n - 1] - pos[0] < 2 && !after_comma && !comma_clause) continue;
        /* an actor right after the conjunction replaces the carried source */
        if (clause_no > 0 && n > 0) {
            int p = 0;
            while (p < n && np_filler(&c->tok[pos[p]])) p++;
            if (p < n && c->tok[pos[p]].mention >= 0) {
                cs.source = c->tok[pos[p]].mention;
                cs.have_source = true;
                cs.kept = false;
            }
        }
        bool coded = false;
        cs.said_at = -1;
        for (int p = 0; p < n; p++) {
            const token *t = &c->tok[pos[p]];
            if (t->type != T_VERB) continue;
            bool sub = false;
            int r = code_verb(c, pos, n, p, &cs, clause_no == 0, &sub);
            if (r == 1 && sub && o->attribution) cs.said_at = p + 1;
            if (r == -1) { *status = SR_CODE_DISCARD; return 0; }
            if (r == -2) { *status = SR_CODE_COMPLEX; return 0; }
            if (r == 1 && !sub) {
                coded = true;
                if (o->code_by != BY_ALL) break;
            }
        }
        /* No event in the first clause: its first actor is the source
         * (manual 7.6), kept in the next clauses unless an actor comes
         * right after the conjunction, even over an actor before their verb
         * ("Gondor launched a new bombing and shelling offensive against
         * besieged Osgiliath during ... raids": GON raids, DEBUG-12). A first
         * "clause" with no verb is a noun phrase cut at AND, and the next
         * clause finds its own subject ("Ithilen's sheep and pigs of Gondor
         * warned": GON, COMPOUND-19). */
        if (!coded && !cs.have_source) {
            int f = first_mention(c, pos, 0, n, -1);
            if (f >= 0) { cs.source = f; cs.have_source = true; cs.kept = clause_no == 0 && clause_verb && split_by_conj; }
        }
        if (coded && o->code_by == BY_SENTENCE) sentence_done = true;
        clause_no++;
    }
    return 0;
}

/* ---- event details ------------------------------------------------------- */

static bool tok_is_any(const token *t, const char *const *words)
{
    for (; *words; words++)
        if (word_is_n(t, *words, strlen(*words))) return true;
    return false;
}

static void modality_and_negation(const sr_coder *c, sr_code_event *e, int verb_tok)
{
    static const char *const neg[] = {"NOT", "N'T", "NEVER", "NO", "DIDN'T", "DOESN'T", "DON'T", "WON'T",
                                      "WOULDN'T", "CAN'T", "CANNOT", "ISN'T", "WASN'T", "HASN'T",
                                      "HAVEN'T", "REFUSED", NULL};
    static const char *const intent[] = {"WILL", "WOULD", "PLANS", "PLAN", "PLANNED", "INTENDS",
                                         "INTEND", "EXPECTED", "SET", "WANTS", "VOWED", "PLEDGED", NULL};
    static const char *const threat[] = {"THREATENED", "THREATENS", "THREATEN", NULL};
    static const char *const hedge[] = {"MAY", "MIGHT", "COULD", "REPORTEDLY", "ALLEGEDLY", NULL};
    for (int k = verb_tok - 1; k >= 0 && k >= verb_tok - 4; k--) {
        const token *t = &c->tok[k];
        if (t->type == T_COMMA || t->type == T_CONJ) break;
        if (tok_is_any(t, neg)) e->negated = true;
        if (e->modality == SR_MOD_ASSERTED) {
            if (tok_is_any(t, threat)) e->modality = SR_MOD_THREAT;
            else if (tok_is_any(t, intent)) e->modality = SR_MOD_INTENT;
            else if (tok_is_any(t, hedge)) e->modality = SR_MOD_HEDGED;
        }
    }
}

/* The words that named the actor (a pronoun's own word), with offsets. */
static void fill_actor(sr_coder *c, sr_code_actor *a, int men)
{
    if (men < 0) {
        a->words = "";
        a->start = a->end = c->base;
        return;
    }
    const mention *m = &c->men[men];
    size_t b0 = text_byte(c, c->tok[m->first].c0), b1 = text_byte(c, c->tok[m->last].c1);
    a->words = sr_arena_strndup(c->mem, c->text + b0, b1 - b0);
    a->start = c->base + c->tok[m->first].c0;
    a->end = c->base + c->tok[m->last].c1;
}

static int shifted_date(int date, int days)
{
    if (!date || !days) return date;
    sr_ymd d = sr_ymd_add_days((sr_ymd){date / 10000, date / 100 % 100, date % 100}, days);
    return d.year * 10000 + d.month * 100 + d.day;
}

static void finish_events(sr_coder *c, size_t len)
{
    /* subordinate events stand only when nothing else was coded (6.6.1);
     * dominant events push out the rest (6.6.2) */
    bool any_main = false, any_dom = false;
    for (size_t i = 0; i < c->nev; i++) {
        if (!c->ev[i].negated) any_main = true;
        if (c->ev[i].has_goldstein) any_dom = true;
    }
    size_t w = 0;
    for (size_t i = 0; i < c->nev; i++) {
        sr_code_event *e = &c->ev[i];
        if (any_main && e->negated) continue;
        if (any_dom && !e->has_goldstein) continue;
        c->ev[w++] = *e;
    }
    c->nev = w;
    size_t sent_cp = c->ncp;
    (void)len;
    for (size_t i = 0; i < c->nev; i++) {
        sr_code_event *e = &c->ev[i];
        int sm = (int)e->source.start - 1, tm = (int)e->target.start - 1;
        int verb_tok = (int)e->sent_start;
        e->negated = false;
        e->has_goldstein = false;
        fill_actor(c, &e->source, sm);
        fill_actor(c, &e->target, tm);
        const char *name;
        int quad;
        double g;
        e->root = "";
        if (sr_cameo_lookup(e->cameo, &name, &quad, &g)) {
            e->root = sr_arena_strndup(c->mem, e->cameo, 2);
            e->quad = quad;
            e->goldstein = g;
            e->has_goldstein = true;
        }
        e->date = c->date;
        e->date_precision = c->date ? SR_CODE_DATE_DAY : SR_CODE_DATE_NONE;
        e->sent_start = c->base;
        e->sent_end = c->base + sent_cp;
        modality_and_negation(c, e, verb_tok);
        if (c->place_fn) c->place_fn(c->place_ctx, c->text, len, e);
    }
    c->nev = sr_details_sentence(c->d->details, c->mem, c->text, len, c->date, c->ev, c->nev);
    /* with time shifting on, the dictionaries' <TIME> phrases date the
     * events, as in TABARI, rather than the date words the text parser reads */
    for (size_t i = 0; c->shifting && i < c->nev; i++) {
        c->ev[i].date = shifted_date(c->date, c->shift);
        c->ev[i].date_precision = c->date ? SR_CODE_DATE_DAY : SR_CODE_DATE_NONE;
    }
}

/* ---- documents ------------------------------------------------------------ */

static size_t next_sentence_end(const char *s, size_t len, size_t from);
static sr_err keep_event(sr_coder *c, const sr_code_event *e);

sr_err sr_code_document(sr_coder *c, const char *text, size_t len, int date, const sr_code_result **out)
{
    sr_arena_reset(c->docmem);
    c->doc_n = 0;
    c->doc.status = SR_CODE_CODED;
    size_t at = 0, cp = 0;
    size_t held = SIZE_MAX;  /* the violent event a later sentence's toll may report on */
    while (at < len) {
        size_t end = next_sentence_end(text, len, at);
        const sr_code_result *r;
        sr_err e = code_sentence(c, text + at, end - at, date, cp, true, &r);
        if (e) return e;
        size_t k0 = c->doc_n;
        for (size_t i = 0; i < r->n_events; i++)
            if ((e = keep_event(c, &r->events[i]))) return e;
        c->doc_n = sr_details_doc_tolls(c->mem, text, at, end, date, c->doc_ev, k0, c->doc_n, &held);
        /* a whole, well-formed sentence has as many code points as it
         * folded to */
        cp += c->whole_utf8 ? c->ncp : sr_utf8_count(text + at, end - at);
        at = end;
    }
    c->doc.events = c->doc_ev;
    c->doc.n_events = c->doc_n;
    *out = &c->doc;
    return SR_OK;
}

static const char *keep_str(sr_coder *c, const char *s)
{
    return s ? sr_arena_strdup(c->docmem, s) : NULL;
}

static sr_err keep_event(sr_coder *c, const sr_code_event *e)
{
    if (c->doc_n == c->doc_cap) {
        size_t ncap = c->doc_cap ? c->doc_cap * 2 : 64;
        if (ncap > (1u << 20)) return SR_ETOOBIG;
        sr_code_event *na = realloc(c->doc_ev, ncap * sizeof *na);
        if (!na) return SR_ENOMEM;
        c->doc_ev = na;
        c->doc_cap = ncap;
    }
    sr_code_event *k = &c->doc_ev[c->doc_n];
    *k = *e;
    k->source.code = keep_str(c, e->source.code);
    k->source.words = keep_str(c, e->source.words);
    k->target.code = keep_str(c, e->target.code);
    k->target.words = keep_str(c, e->target.words);
    k->cameo = keep_str(c, e->cameo);
    k->root = keep_str(c, e->root);
    k->place.name = keep_str(c, e->place.name);
    k->place.id = keep_str(c, e->place.id);
    k->asserted_cameo = keep_str(c, e->asserted_cameo);
    if (!k->source.code || !k->target.code || !k->cameo) return SR_ENOMEM;
    c->doc_n++;
    return SR_OK;
}

/* Sentence ends: . ! ? (and closing quotes) followed by blank and a capital
 * or quote, except after common news abbreviations and single initials. */
static bool abbreviation_before(const char *s, size_t dot)
{
    static const char *const abbr[] = {"MR", "MRS", "MS", "DR", "GEN", "LT", "COL", "SGT", "CAPT", "CPL",
        "GOV", "SEN", "REP", "ST", "NO", "JAN", "FEB", "MAR", "APR", "AUG", "SEPT", "SEP", "OCT", "NOV",
        "DEC", "PROF", "REV", "GEN", "ADM", "MAJ", "BRIG", "JR", "SR", "INC", "CORP", "CO", "VS", "U.S",
        "U.N", "U.K", "E.U", NULL};
    size_t b = dot;
    while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] == '.')) b--;
    size_t n = dot - b;
    if (n == 1) return true;
    if (n == 0 || n > 5) return false;
    char w[8];
    for (size_t i = 0; i < n; i++) w[i] = upper(s[b + i]);
    for (const char *const *a = abbr; *a; a++)
        if ((*a)[0] == w[0] && strlen(*a) == n && memcmp(*a, w, n) == 0) return true;
    return false;
}

static size_t next_sentence_end(const char *s, size_t len, size_t from)
{
    /* only these bytes can end a sentence: the rest are passed over by a
     * table, as this reads every byte of every document */
    static const bool may_end[256] = {['\n'] = 1, ['.'] = 1, ['!'] = 1, ['?'] = 1};
    for (size_t i = from; i < len; i++) {
        while (i < len && !may_end[(unsigned char)s[i]]) i++;
        if (i >= len) break;
        char ch = s[i];
        if (ch == '\n' && i + 1 < len && s[i + 1] == '\n') return i + 2;
        if (ch != '.' && ch != '!' && ch != '?') continue;
        size_t j = i + 1;
        while (j < len && (s[j] == '"' || s[j] == '\'' || s[j] == ')')) j++;
        if (j >= len) return len;
        if (s[j] != ' ' && s[j] != '\n' && s[j] != '\t') continue;
        size_t k = j;
        while (k < len && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t')) k++;
        if (k < len && !(s[k] >= 'A' && s[k] <= 'Z') && s[k] != '"' && !is_digit(s[k])) continue;
        if (ch == '.' && abbreviation_before(s, i)) continue;
        return k;
    }
    return len;
}

/* SR_CODE_TRACE=1 shows the parse on stderr, as TABARI's P)arse display. */
static void trace(const sr_coder *c)
{
    static const char *const names[] = {"", "actor", "agent", "verb", "noun", "adj", "time", "discard",
                                        "det", "conj", "pron", "aux", "by", "comma", "num"};
    for (int i = 0; i < c->ntok; i++) {
        const token *t = &c->tok[i];
        fprintf(stderr, "%s%.*s", i ? " " : "", (int)t->len, t->w);
        if (t->type) fprintf(stderr, "/%s", names[t->type]);
        if (t->mention >= 0) {
            const mention *m = &c->men[t->mention];
            fprintf(stderr, "<m%d g%d", t->mention, m->group);
            for (int k = 0; k < m->ncodes; k++) fprintf(stderr, " %s", m->codes[k]);
            fprintf(stderr, ">");
        }
        if (t->dropped) fprintf(stderr, "#");
        if (t->joined) fprintf(stderr, "+");
    }
    fprintf(stderr, "\n");
}
