/* The lexer: one forward pass over the bytes, driven by a class table for
 * ASCII and utf8proc's categories for everything else. It decides here, not
 * later, whether a stop belongs to the word before it ("Gen.", "U.S.",
 * "3.5"), because that is what sentence splitting hinges on. */
#include <utf8proc.h>
#include "internal.h"

enum cls { C_SPACE, C_NL, C_UPPER, C_LOWER, C_DIGIT, C_PUNCT, C_HIGH };

static const uint8_t byte_class[256] = {
    [0 ... 9] = C_SPACE,       ['\n'] = C_NL,     [11 ... 31] = C_SPACE,
    [' '] = C_SPACE,           ['!' ... '/'] = C_PUNCT,
    ['0' ... '9'] = C_DIGIT,   [':' ... '@'] = C_PUNCT,
    ['A' ... 'Z'] = C_UPPER,   ['[' ... '`'] = C_PUNCT,
    ['a' ... 'z'] = C_LOWER,   ['{' ... '~'] = C_PUNCT,
    [127] = C_SPACE,           [128 ... 255] = C_HIGH,
};

/* What a non-ASCII code point is, for the lexer. */
enum uclass { U_LETTER_UPPER, U_LETTER, U_MARK, U_SPACE, U_NEWLINE, U_APOSTROPHE, U_PUNCT };

static const struct abbr {
    const char *word;
    uint8_t kind;
} abbreviations[] = {
    /* Sorted (strcmp order, case-sensitive) for bsearch. Titles and ranks
     * (ABBR_TITLE) stand before a name, so a stop after them never ends a
     * sentence (AP style: Gen., Lt. Col., Sgt., Rep., Sen., Gov.); No., Art.
     * and Vol. are abbreviations only before a number; months, companies,
     * suffixes, places ("St. Louis" but also "Orchard St.") and AP's state
     * abbreviations (ABBR_MAY_END) can close a sentence as well as sit
     * inside one. */
    {"Adm", ABBR_TITLE}, {"Ala", ABBR_MAY_END}, {"Amb", ABBR_TITLE}, {"Apr", ABBR_MAY_END},
    {"Ariz", ABBR_MAY_END}, {"Ark", ABBR_MAY_END}, {"Art", ABBR_BEFORE_DIGIT},
    {"Assn", ABBR_MAY_END}, {"Aug", ABBR_MAY_END}, {"Ave", ABBR_MAY_END},
    {"Blvd", ABBR_MAY_END}, {"Brig", ABBR_TITLE}, {"Bros", ABBR_MAY_END},
    {"Calif", ABBR_MAY_END}, {"Capt", ABBR_TITLE}, {"Cdr", ABBR_TITLE},
    {"Ch", ABBR_BEFORE_DIGIT}, {"Cmdr", ABBR_TITLE}, {"Co", ABBR_MAY_END}, {"Col", ABBR_TITLE},
    {"Colo", ABBR_MAY_END}, {"Conn", ABBR_MAY_END}, {"Corp", ABBR_MAY_END}, {"Cpl", ABBR_TITLE},
    {"Dec", ABBR_MAY_END}, {"Del", ABBR_MAY_END}, {"Dept", ABBR_MAY_END}, {"Det", ABBR_TITLE},
    {"Dr", ABBR_TITLE}, {"Feb", ABBR_MAY_END}, {"Fig", ABBR_BEFORE_DIGIT},
    {"Fla", ABBR_MAY_END}, {"Fr", ABBR_TITLE}, {"Ft", ABBR_MAY_END}, {"Ga", ABBR_MAY_END},
    {"Gen", ABBR_TITLE}, {"Gens", ABBR_TITLE}, {"Gov", ABBR_TITLE}, {"Govt", ABBR_MAY_END},
    {"Hon", ABBR_TITLE}, {"Ill", ABBR_MAY_END}, {"Inc", ABBR_MAY_END}, {"Ind", ABBR_MAY_END},
    {"Insp", ABBR_TITLE}, {"Jan", ABBR_MAY_END}, {"Jr", ABBR_MAY_END}, {"Jul", ABBR_MAY_END},
    {"Jun", ABBR_MAY_END}, {"Kan", ABBR_MAY_END}, {"Ky", ABBR_MAY_END}, {"La", ABBR_MAY_END},
    {"Lieut", ABBR_TITLE}, {"Lt", ABBR_TITLE}, {"Ltd", ABBR_MAY_END}, {"Maj", ABBR_TITLE},
    {"Mar", ABBR_MAY_END}, {"Mass", ABBR_MAY_END}, {"Md", ABBR_MAY_END}, {"Messrs", ABBR_TITLE},
    {"Mich", ABBR_MAY_END}, {"Minn", ABBR_MAY_END}, {"Miss", ABBR_MAY_END},
    {"Mo", ABBR_MAY_END}, {"Mont", ABBR_MAY_END}, {"Mr", ABBR_TITLE}, {"Mrs", ABBR_TITLE},
    {"Ms", ABBR_TITLE}, {"Msgr", ABBR_TITLE}, {"Mt", ABBR_MAY_END}, {"Neb", ABBR_MAY_END},
    {"Nev", ABBR_MAY_END}, {"No", ABBR_BEFORE_DIGIT}, {"Nos", ABBR_BEFORE_DIGIT},
    {"Nov", ABBR_MAY_END}, {"Oct", ABBR_MAY_END}, {"Okla", ABBR_MAY_END}, {"Ore", ABBR_MAY_END},
    {"Pa", ABBR_MAY_END}, {"Pct", ABBR_BEFORE_DIGIT}, {"Pres", ABBR_TITLE}, {"Prof", ABBR_TITLE}, {"Pvt", ABBR_TITLE},
    {"Rd", ABBR_MAY_END}, {"Rep", ABBR_TITLE}, {"Reps", ABBR_TITLE}, {"Rev", ABBR_TITLE},
    {"Sen", ABBR_TITLE}, {"Sens", ABBR_TITLE}, {"Sep", ABBR_MAY_END}, {"Sept", ABBR_MAY_END},
    {"Sgt", ABBR_TITLE}, {"Sr", ABBR_MAY_END}, {"St", ABBR_MAY_END}, {"Supt", ABBR_TITLE},
    {"Tenn", ABBR_MAY_END}, {"Tex", ABBR_MAY_END}, {"Univ", ABBR_MAY_END}, {"Va", ABBR_MAY_END},
    {"Vol", ABBR_BEFORE_DIGIT}, {"Vt", ABBR_MAY_END}, {"Wash", ABBR_MAY_END},
    {"Wis", ABBR_MAY_END}, {"Wyo", ABBR_MAY_END}, {"approx", ABBR_MAY_END}, {"cf", ABBR_TITLE},
    {"etc", ABBR_MAY_END}, {"no", ABBR_BEFORE_DIGIT}, {"p", ABBR_BEFORE_DIGIT},
    {"pp", ABBR_BEFORE_DIGIT}, {"vs", ABBR_TITLE},
};

static size_t skip_gap(struct lex *lx, struct lex_tok *tok);
static void scan_word(struct lex *lx, struct lex_tok *tok);
static void scan_number(struct lex *lx, struct lex_tok *tok);
static void scan_punct(struct lex *lx, struct lex_tok *tok);
static enum uclass classify(int32_t cp);
static bool is_possessive(const char *s, size_t len, size_t pos);
static int word_char_at(const char *s, size_t len, size_t pos, size_t *next);
static void stop_after_word(struct lex *lx, struct lex_tok *tok, size_t seg_start);

void sr_lex_init(struct lex *lx, const char *s, size_t len, size_t pos)
{
    lx->s = s;
    lx->len = len;
    lx->pos = pos < len ? pos : len;
}

bool sr_lex_next(struct lex *lx, struct lex_tok *tok)
{
    size_t gap_start = lx->pos;
    tok->newlines = 0;
    tok->abbr = ABBR_NONE;
    tok->t.flags = 0;
    skip_gap(lx, tok);
    if (lx->pos >= lx->len)
        return false;
    if (lx->pos > gap_start || lx->pos == 0)
        tok->t.flags |= SR_TOKEN_SPACE_BEFORE;
    tok->t.start = lx->pos;
    unsigned char c = (unsigned char)lx->s[lx->pos];
    switch (byte_class[c]) {
    case C_UPPER:
    case C_LOWER:
        scan_word(lx, tok);
        break;
    case C_DIGIT:
        scan_number(lx, tok);
        break;
    case C_HIGH: {
        size_t next;
        if (word_char_at(lx->s, lx->len, lx->pos, &next) > 0)
            scan_word(lx, tok);
        else if (is_possessive(lx->s, lx->len, lx->pos))
            scan_word(lx, tok);
        else
            scan_punct(lx, tok);
        break;
    }
    default:
        if (c == '\'' && is_possessive(lx->s, lx->len, lx->pos))
            scan_word(lx, tok);
        else
            scan_punct(lx, tok);
    }
    tok->t.end = lx->pos;
    return true;
}

/* Skips white space (ASCII, Unicode separators, format characters such as
 * zero-width spaces), counting newlines up to two: two mean a blank line. */
static size_t skip_gap(struct lex *lx, struct lex_tok *tok)
{
    const unsigned char *s = (const unsigned char *)lx->s;
    size_t p = lx->pos, len = lx->len;
    unsigned nl = 0;
    while (p < len) {
        uint8_t k = byte_class[s[p]];
        if (k == C_SPACE) {
            p++;
        } else if (k == C_NL) {
            nl++;
            p++;
        } else if (k == C_HIGH) {
            size_t q = p;
            int32_t cp = sr_utf8_decode(lx->s, len, &q);
            enum uclass u = cp < 0 ? U_PUNCT : classify(cp);
            if (u == U_NEWLINE)
                nl += 2;
            else if (u != U_SPACE)
                break;
            p = q;
        } else {
            break;
        }
    }
    lx->pos = p;
    tok->newlines = (uint8_t)(nl > 2 ? 2 : nl);
    return nl;
}

static enum uclass classify(int32_t cp)
{
    if (cp == 0x2019 || cp == 0x02BC)
        return U_APOSTROPHE;
    if (cp == 0x2028 || cp == 0x2029)
        return U_NEWLINE;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return U_LETTER_UPPER;
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
        return U_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return U_MARK;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_CF:
        return U_SPACE;
    default:
        return U_PUNCT;
    }
}

/* If a word character starts at pos: 1 for a lower-case letter, 2 for
 * an upper-case one, 3 for a digit, mark or uncased letter; 0 otherwise. */
static int word_char_at(const char *s, size_t len, size_t pos, size_t *next)
{
    unsigned char c = (unsigned char)s[pos];
    switch (byte_class[c]) {
    case C_UPPER:
        *next = pos + 1;
        return 2;
    case C_LOWER:
        *next = pos + 1;
        return 1;
    case C_DIGIT:
        *next = pos + 1;
        return 3;
    case C_HIGH: {
        size_t q = pos;
        int32_t cp = sr_utf8_decode(s, len, &q);
        if (cp < 0)
            return 0;
        *next = q;
        switch (classify(cp)) {
        case U_LETTER_UPPER:
            return 2;
        case U_LETTER:
            return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL ? 1 : 3;
        case U_MARK:
            return 3;
        default:
            return 0;
        }
    }
    default:
        return 0;
    }
}

/* An apostrophe at pos (ASCII or U+2019) that starts a word character. */
static size_t apostrophe_len(const char *s, size_t len, size_t pos)
{
    if (s[pos] == '\'')
        return 1;
    if (pos + 2 < len && (unsigned char)s[pos] == 0xE2 && (unsigned char)s[pos + 1] == 0x80 &&
        (unsigned char)s[pos + 2] == 0x99)
        return 3;
    return 0;
}

/* "'s" closing a word, as in "Iraq's": a token of its own. */
static bool is_possessive(const char *s, size_t len, size_t pos)
{
    size_t a = apostrophe_len(s, len, pos);
    if (a == 0 || pos == 0 || pos + a >= len || (s[pos + a] | 32) != 's')
        return false;
    size_t next;
    if (byte_class[(unsigned char)s[pos - 1]] == C_SPACE || byte_class[(unsigned char)s[pos - 1]] == C_NL)
        return false;
    return pos + a + 1 >= len || word_char_at(s, len, pos + a + 1, &next) == 0;
}

static bool all_caps(const char *s, size_t from, size_t to);

static void scan_word(struct lex *lx, struct lex_tok *tok)
{
    const char *s = lx->s;
    size_t len = lx->len, p = lx->pos, seg_start = p, next, a;
    tok->t.kind = SR_TOKEN_WORD;
    if (s[p] == '\'' || (unsigned char)s[p] == 0xE2)
        p += apostrophe_len(s, len, p); /* the possessive "'s" */
    int w = p < len ? word_char_at(s, len, p, &next) : 0;
    if (w == 0) {
        lx->pos = p;
        return;
    }
    if (w == 2)
        tok->t.flags |= SR_TOKEN_CAPITALISED;
    p = next;
    while (p < len) {
        /* ASCII letters and digits, the bulk of news text, straight from
         * the table; everything else goes the slow way below. */
        while (p < len && (uint8_t)(byte_class[(unsigned char)s[p]] - C_UPPER) <= C_DIGIT - C_UPPER)
            p++;
        if (p >= len)
            break;
        if (byte_class[(unsigned char)s[p]] == C_HIGH && word_char_at(s, len, p, &next)) {
            p = next;
            continue;
        }
        if ((a = apostrophe_len(s, len, p)) && p + a < len && !is_possessive(s, len, p) &&
            word_char_at(s, len, p + a, &next)) {
            p += a;
            continue;
        }
        if (s[p] == '-' && p + 1 < len && word_char_at(s, len, p + 1, &next)) {
            p++;
            seg_start = p;
            continue;
        }
        break;
    }
    if ((tok->t.flags & SR_TOKEN_CAPITALISED) && all_caps(s, tok->t.start, p))
        tok->t.flags |= SR_TOKEN_ALL_CAPS;
    lx->pos = p;
    if (p < len && s[p] == '.')
        stop_after_word(lx, tok, seg_start);
}

/* Two or more letters and none in lower case ("NATO", "AL-QAEDA"); most
 * capitalised words answer at their second letter. */
static bool all_caps(const char *s, size_t from, size_t to)
{
    size_t letters = 0, p = from;
    while (p < to) {
        uint8_t k = byte_class[(unsigned char)s[p]];
        if (k == C_LOWER)
            return false;
        if (k == C_UPPER) {
            letters++;
            p++;
        } else if (k == C_HIGH) {
            int32_t cp = sr_utf8_decode(s, to, &p);
            utf8proc_category_t cat = cp < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(cp);
            if (cat == UTF8PROC_CATEGORY_LL)
                return false;
            letters += cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
        } else {
            p++;
        }
    }
    return letters >= 2;
}

static bool ascii_letters(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        uint8_t k = byte_class[(unsigned char)s[i]];
        if (k != C_UPPER && k != C_LOWER)
            return false;
    }
    return to > from;
}

static bool has_lower(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (byte_class[(unsigned char)s[i]] == C_LOWER)
            return true;
    return false;
}

static int compare_abbreviation(const void *key, const void *item)
{
    return strcmp(key, ((const struct abbr *)item)->word);
}

/* The word w[0..n) before a stop; its last hyphenated part is seg[0..m). */
static enum abbr_kind abbreviation(const char *w, size_t n, const char *seg, size_t m)
{
    if (m == 1 && byte_class[(unsigned char)seg[0]] == C_UPPER)
        return ABBR_MAY_END; /* an initial: "John F. Kennedy", "D-W. Va." */
    if (n > 6)
        return ABBR_NONE;
    char key[8];
    memcpy(key, w, n);
    key[n] = '\0';
    const struct abbr *a = bsearch(key, abbreviations, sizeof abbreviations / sizeof abbreviations[0],
                                   sizeof abbreviations[0], compare_abbreviation);
    if (!a && n >= 2 && !has_lower(w, 0, n)) {
        /* datelines and headlines in capitals: "ST. JOHN'S", "GEN. SMITH" */
        for (size_t i = 1; i < n; i++)
            key[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
        a = bsearch(key, abbreviations, sizeof abbreviations / sizeof abbreviations[0],
                    sizeof abbreviations[0], compare_abbreviation);
        /* but "LA." or "PA." in capitals is more often a name at the end of
         * a sentence than a state abbreviation */
        if (a && a->kind == ABBR_MAY_END && !(n == 2 && (key[0] == 'S' || key[0] == 'M') && key[1] == 't'))
            a = NULL;
    }
    return a ? (enum abbr_kind)a->kind : ABBR_NONE;
}

/* The word ends at a stop (lx->pos). Takes the stop into the word when the
 * word is dotted ("U.S.", "a.m.", "Ph.D.") or a known abbreviation. */
static void stop_after_word(struct lex *lx, struct lex_tok *tok, size_t seg_start)
{
    const char *s = lx->s;
    size_t len = lx->len, p = lx->pos;
    /* Dotted: segments of one or two letters, each closed by a stop. */
    if (p - seg_start <= 2 && ascii_letters(s, seg_start, p)) {
        size_t q = p;
        bool dotted = false;
        while (q + 1 < len && s[q] == '.') {
            size_t r = q + 1;
            while (r < len && r - (q + 1) < 3 && ascii_letters(s, r, r + 1))
                r++;
            if (r - (q + 1) == 0 || r - (q + 1) > 2 || r >= len || s[r] != '.')
                break;
            dotted = true;
            q = r;
        }
        if (dotted) {
            lx->pos = q + 1;
            tok->abbr = ABBR_MAY_END;
            tok->t.flags |= SR_TOKEN_ABBREVIATION;
            tok->t.flags &= (uint8_t)~SR_TOKEN_ALL_CAPS;
            if (!has_lower(s, tok->t.start, lx->pos))
                tok->t.flags |= SR_TOKEN_ALL_CAPS;
            return;
        }
    }
    enum abbr_kind k = abbreviation(s + tok->t.start, p - tok->t.start, s + seg_start, p - seg_start);
    if (k == ABBR_BEFORE_DIGIT) {
        size_t q = p + 1;
        while (q < len && (s[q] == ' ' || s[q] == '\t'))
            q++;
        if (q >= len || byte_class[(unsigned char)s[q]] != C_DIGIT)
            return;
        k = ABBR_TITLE;
    }
    if (k != ABBR_NONE) {
        lx->pos = p + 1;
        tok->abbr = (uint8_t)k;
        tok->t.flags |= SR_TOKEN_ABBREVIATION;
    }
}

/* Digits with the separators numbers, dates and times use inside them
 * ("1,300", "3.5", "10:30", "9/11", "2014-01-05") and letters after them
 * ("21st", "1990s", "23-year-old"). */
static void scan_number(struct lex *lx, struct lex_tok *tok)
{
    const char *s = lx->s;
    size_t len = lx->len, p = lx->pos;
    tok->t.kind = SR_TOKEN_NUMBER;
    while (p < len) {
        uint8_t k = byte_class[(unsigned char)s[p]];
        if (k == C_DIGIT || k == C_UPPER || k == C_LOWER) {
            p++;
            continue;
        }
        if (p + 1 < len) {
            uint8_t n = byte_class[(unsigned char)s[p + 1]];
            char c = s[p];
            if ((c == ',' || c == '.' || c == ':' || c == '/') && n == C_DIGIT) {
                p += 2;
                continue;
            }
            if (c == '-' && (n == C_DIGIT || n == C_UPPER || n == C_LOWER)) {
                p += 2;
                continue;
            }
        }
        break;
    }
    lx->pos = p;
}

/* One mark; a run of stops ("...") or hyphens ("--") is one token. Any byte
 * that is not valid UTF-8 is a token of its own, so nothing is lost. */
static void scan_punct(struct lex *lx, struct lex_tok *tok)
{
    const char *s = lx->s;
    size_t p = lx->pos;
    tok->t.kind = SR_TOKEN_PUNCT;
    if (byte_class[(unsigned char)s[p]] == C_HIGH) {
        size_t q = p;
        sr_utf8_decode(s, lx->len, &q);
        lx->pos = q;
        return;
    }
    char c = s[p++];
    if (c == '.' || c == '-')
        while (p < lx->len && s[p] == c)
            p++;
    lx->pos = p;
}

/* News English runs about five bytes a token; sizing the array once for
 * that saves copying it as it grows. Large texts start at a bound and grow. */
size_t sr_text_token_estimate(size_t len)
{
    size_t n = len / 5 + 16;
    return n < 65536 ? n : 65536;
}

void *sr_text_grow(sr_arena *a, struct grow *g, size_t size)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : g->hint ? g->hint : 16;
        void *items = sr_arena_alloc(a, cap * size);
        if (!items)
            return NULL;
        if (g->n)
            memcpy(items, g->items, g->n * size);
        g->items = items;
        g->cap = cap;
    }
    return (char *)g->items + size * g->n++;
}

/* A hash from the length and three lower-cased letters: constant time,
 * and spread enough for a few hundred words in 512 slots. */
static uint32_t word_hash(const char *w, size_t n)
{
    uint32_t a = (unsigned char)w[0] | 32, b = (unsigned char)w[n > 1] | 32, z = (unsigned char)w[n - 1] | 32;
    return a * 31u + b * 17u + z * 7u + (uint32_t)n * 131u;
}

static void word_set_build(struct word_set *set)
{
    for (size_t i = 0; i < set->n && i < 255; i++) {
        size_t len = strlen(set->words[i]);
        uint32_t slot = word_hash(set->words[i], len) % WORD_SET_SLOTS;
        while (set->slots[slot])
            slot = (slot + 1) % WORD_SET_SLOTS;
        set->slots[slot] = (uint8_t)(i + 1);
    }
}

static void word_set_ready(struct word_set *set)
{
    int expected = 0;
    if (atomic_compare_exchange_strong(&set->state, &expected, 1)) {
        word_set_build(set);
        atomic_store_explicit(&set->state, 2, memory_order_release);
        return;
    }
    while (atomic_load_explicit(&set->state, memory_order_acquire) != 2)
        ; /* another thread is building a table of a few hundred slots */
}

int sr_text_word_index(const char *s, const sr_token *t, struct word_set *set)
{
    size_t len = t->end - t->start;
    if (len >= 16 || len == 0)
        return -1;
    if (atomic_load_explicit(&set->state, memory_order_acquire) != 2)
        word_set_ready(set);
    const char *w = s + t->start;
    uint32_t slot = word_hash(w, len) % WORD_SET_SLOTS;
    for (uint8_t k; (k = set->slots[slot]); slot = (slot + 1) % WORD_SET_SLOTS) {
        const char *cand = set->words[k - 1];
        size_t i = 0;
        for (; i < len; i++) {
            unsigned char c = (unsigned char)w[i];
            if ((char)(c >= 'A' && c <= 'Z' ? c + 32 : c) != cand[i])
                break;
        }
        if (i == len && cand[len] == '\0')
            return k - 1;
    }
    return -1;
}

sr_err sr_text_lex_all(sr_arena *a, const char *text, size_t len, sr_token **out, size_t *n)
{
    struct lex lx;
    struct lex_tok t;
    struct grow g = {.hint = sr_text_token_estimate(len)};
    sr_lex_init(&lx, text, len, 0);
    *out = NULL;
    *n = 0;
    while (sr_lex_next(&lx, &t)) {
        sr_token *slot = sr_text_grow(a, &g, sizeof *slot);
        if (!slot)
            return SR_ENOMEM;
        *slot = t.t;
    }
    *out = g.items;
    *n = g.n;
    return SR_OK;
}
