/* Numbers as news states them: digits ("1,300", "1.5 million"), words
 * ("twenty-three", "One hundred", "a dozen"), rough sizes ("dozens",
 * "scores of") and the words that qualify them ("nearly", "at least",
 * "more than", "up to"). Casualty figures are read from these. */
#include <math.h>
#include <stdlib.h>
#include "internal.h"

#define WINDOW 16 /* tokens enough for "no fewer than one hundred and twenty-three" */

/* A qualifier before the figure: its words and what it says about it. */
static const struct modifier {
    const char *words[4];
    unsigned flags;
} modifiers[] = {
    {{"at", "least"}, SR_NUMBER_LOWER_BOUND},
    {{"no", "fewer", "than"}, SR_NUMBER_LOWER_BOUND},
    {{"no", "less", "than"}, SR_NUMBER_LOWER_BOUND},
    {{"not", "less", "than"}, SR_NUMBER_LOWER_BOUND},
    {{"a", "minimum", "of"}, SR_NUMBER_LOWER_BOUND},
    {{"more", "than"}, SR_NUMBER_LOWER_BOUND | SR_NUMBER_STRICT},
    {{"over"}, SR_NUMBER_LOWER_BOUND | SR_NUMBER_STRICT},
    {{"upwards", "of"}, SR_NUMBER_LOWER_BOUND | SR_NUMBER_STRICT},
    {{"in", "excess", "of"}, SR_NUMBER_LOWER_BOUND | SR_NUMBER_STRICT},
    {{"up", "to"}, SR_NUMBER_UPPER_BOUND},
    {{"as", "many", "as"}, SR_NUMBER_UPPER_BOUND},
    {{"at", "most"}, SR_NUMBER_UPPER_BOUND},
    {{"no", "more", "than"}, SR_NUMBER_UPPER_BOUND},
    {{"not", "more", "than"}, SR_NUMBER_UPPER_BOUND},
    {{"a", "maximum", "of"}, SR_NUMBER_UPPER_BOUND},
    {{"less", "than"}, SR_NUMBER_UPPER_BOUND | SR_NUMBER_STRICT},
    {{"fewer", "than"}, SR_NUMBER_UPPER_BOUND | SR_NUMBER_STRICT},
    {{"under"}, SR_NUMBER_UPPER_BOUND | SR_NUMBER_STRICT},
    {{"nearly"}, SR_NUMBER_APPROXIMATE},
    {{"almost"}, SR_NUMBER_APPROXIMATE},
    {{"about"}, SR_NUMBER_APPROXIMATE},
    {{"around"}, SR_NUMBER_APPROXIMATE},
    {{"approximately"}, SR_NUMBER_APPROXIMATE},
    {{"roughly"}, SR_NUMBER_APPROXIMATE},
    {{"some"}, SR_NUMBER_APPROXIMATE},
    {{"an", "estimated"}, SR_NUMBER_APPROXIMATE},
    {{"estimated"}, SR_NUMBER_APPROXIMATE},
    {{"close", "to"}, SR_NUMBER_APPROXIMATE},
};

static const char *const units[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", NULL};
static const char *const tens[] = {
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL};
static const char *const scales[] = {"hundred", "thousand", "million", "billion", NULL};
static const double scale_values[] = {1e2, 1e3, 1e6, 1e9};

/* Words for a rough size and the range each stands for. "scores" needs
 * "of" after it ("scores of people"), or it is the verb. */
static const struct vague {
    const char *words[3];
    double min, max;
    bool needs_of;
} vague_words[] = {
    {{"tens", "of", "thousands"}, 2e4, 99999, false},
    {{"hundreds", "of", "thousands"}, 2e5, 999999, false},
    {{"tens", "of", "millions"}, 2e7, 99999999, false},
    {{"a", "few"}, 2, 5, false},
    {{"a", "handful"}, 2, 5, true},
    {{"several"}, 3, 9, false},
    {{"dozens"}, 24, 99, false},
    {{"scores"}, 40, 99, true},
    {{"hundreds"}, 200, 999, false},
    {{"thousands"}, 2000, 9999, false},
    {{"millions"}, 2e6, 9999999, false},
};

/* What a word can be in a number expression: looked up once per token so
 * that the patterns are tried only where they can match. */
enum { R_MOD = 1, R_VAGUE = 2, R_WORD = 4, R_BETWEEN = 8 };

static const char *const keywords[] = {
    "a", "about", "almost", "an", "approximately", "around", "as", "at", "between", "billion",
    "close", "dozen", "dozens", "eight", "eighteen", "eighty", "eleven", "estimated", "fewer",
    "fifteen", "fifty", "five", "forty", "four", "fourteen", "hundred", "hundreds", "in",
    "less", "million", "millions", "more", "nearly", "nine", "nineteen", "ninety", "no", "not",
    "one", "over", "roughly", "scores", "seven", "seventeen", "seventy", "several", "six",
    "sixteen", "sixty", "some", "ten", "tens", "thirteen", "thirty", "thousand", "thousands",
    "three", "twelve", "twenty", "two", "under", "up", "upwards", "zero",
};
static const uint8_t keyword_roles[] = {
    R_MOD|R_VAGUE|R_WORD, R_MOD, R_MOD, R_MOD|R_WORD, R_MOD, R_MOD, R_MOD, R_MOD, R_BETWEEN,
    R_WORD, R_MOD, R_WORD, R_VAGUE, R_WORD, R_WORD, R_WORD, R_WORD, R_MOD, R_MOD, R_WORD,
    R_WORD, R_WORD, R_WORD, R_WORD, R_WORD, R_WORD, R_VAGUE, R_MOD, R_MOD, R_WORD, R_VAGUE,
    R_MOD, R_MOD, R_WORD, R_WORD, R_WORD, R_MOD, R_MOD, R_WORD, R_MOD, R_MOD, R_VAGUE, R_WORD,
    R_WORD, R_WORD, R_VAGUE, R_WORD, R_WORD, R_WORD, R_MOD, R_WORD, R_VAGUE, R_WORD, R_WORD,
    R_WORD, R_VAGUE, R_WORD, R_WORD, R_WORD, R_WORD, R_MOD, R_MOD, R_MOD, R_WORD,
};
static struct word_set keyword_set = WORD_SET(keywords);

struct toks {
    const char *s;
    const sr_token *t;
    const uint8_t *roles; /* R_* of each token */
    size_t n;
};

static size_t number_parse(const struct toks *tk, size_t i, sr_number *out);
static size_t parse_figure(const struct toks *tk, size_t i, sr_number *out);
static size_t match_words(const struct toks *tk, size_t i, const char *const *words, size_t max);
static unsigned roles_at(const struct toks *tk, size_t i);
static void fill_roles(const char *s, const sr_token *t, size_t n, uint8_t *roles);

/* pos is inside a word or a number ("1,3|00", "Ira|q"), not at its start. */
static bool inside_token(const char *s, size_t pos)
{
    if (pos == 0)
        return false;
    unsigned char prev = (unsigned char)s[pos - 1], c = (unsigned char)s[pos];
    bool alnum_prev = (prev | 32) >= 'a' && (prev | 32) <= 'z';
    alnum_prev |= (prev >= '0' && prev <= '9') || prev >= 0x80;
    if (alnum_prev && (((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c >= 0x80))
        return true;
    return pos >= 2 && strchr(",.:/-", prev) && prev && s[pos - 2] >= '0' && s[pos - 2] <= '9' && c >= '0' && c <= '9';
}

bool sr_text_number_at(const char *text, size_t len, size_t pos, sr_number *out)
{
    sr_token window[WINDOW];
    struct lex lx;
    struct lex_tok lt;
    size_t n = 0;
    if (pos >= len || inside_token(text, pos))
        return false;
    sr_lex_init(&lx, text, len, pos);
    while (n < WINDOW && sr_lex_next(&lx, &lt))
        window[n++] = lt.t;
    if (n == 0 || window[0].start != pos)
        return false;
    uint8_t roles[WINDOW];
    fill_roles(text, window, n, roles);
    struct toks tk = {text, window, roles, n};
    return number_parse(&tk, 0, out) > 0;
}

sr_err sr_text_numbers(sr_arena *a, const char *text, size_t len, sr_number **out, size_t *n)
{
    sr_token *t;
    size_t nt;
    *out = NULL;
    *n = 0;
    sr_err err = sr_text_lex_all(a, text, len, &t, &nt);
    return err ? err : sr_text_numbers_in(a, text, t, nt, out, n);
}

sr_err sr_text_numbers_in(sr_arena *a, const char *text, const sr_token *t, size_t nt,
                          sr_number **out, size_t *n)
{
    struct grow g = {0};
    *out = NULL;
    *n = 0;
    uint8_t *roles = nt ? sr_arena_alloc(a, nt) : NULL;
    if (nt && !roles)
        return SR_ENOMEM;
    fill_roles(text, t, nt, roles);
    struct toks tk = {text, t, roles, nt};
    for (size_t i = 0; i < nt;) {
        sr_number num;
        bool may = t[i].kind == SR_TOKEN_NUMBER || roles_at(&tk, i);
        size_t used = may ? number_parse(&tk, i, &num) : 0;
        /* "no one", "every one": a pronoun, not a figure */
        if (used && i > 0 && tok_is(text, &t[i], "one") &&
            (tok_is(text, &t[i - 1], "no") || tok_is(text, &t[i - 1], "every")))
            used = 0;
        if (!used) {
            i++;
            continue;
        }
        sr_number *slot = sr_text_grow(a, &g, sizeof *slot);
        if (!slot)
            return SR_ENOMEM;
        *slot = num;
        i += used;
    }
    *out = g.items;
    *n = g.n;
    return SR_OK;
}

/* Modifier, then a figure or a range; returns the tokens used (0: none). */
static size_t number_parse(const struct toks *tk, size_t i, sr_number *out)
{
    unsigned flags = 0;
    size_t j = i;
    bool modifier = roles_at(tk, i) & R_MOD;
    for (size_t m = 0; modifier && m < sizeof modifiers / sizeof modifiers[0]; m++) {
        size_t used = match_words(tk, i, modifiers[m].words, 4);
        if (used) {
            flags = modifiers[m].flags;
            j = i + used;
            break;
        }
    }
    sr_number num, hi;
    bool between = (roles_at(tk, j) & R_BETWEEN) != 0;
    size_t used = parse_figure(tk, j + between, &num);
    if (!used)
        return 0;
    size_t end = j + between + used;
    /* "between 10 and 15", "10 to 15", "two or three", "10-15" */
    if (end + 1 < tk->n && (between ? tok_is(tk->s, &tk->t[end], "and")
                                    : (tok_is(tk->s, &tk->t[end], "to") || tok_is(tk->s, &tk->t[end], "or") ||
                                       tok_punct(tk->s, &tk->t[end], '-')))) {
        size_t more = parse_figure(tk, end + 1, &hi);
        if (more && hi.max >= num.min && !(hi.flags & SR_NUMBER_VAGUE)) {
            num.max = hi.max;
            num.flags |= SR_NUMBER_RANGE | (hi.flags & SR_NUMBER_WORDS);
            end += 1 + more;
        } else if (between) {
            return 0;
        }
    } else if (between) {
        return 0;
    }
    num.flags |= flags;
    if (flags & SR_NUMBER_LOWER_BOUND)
        num.max = INFINITY;
    if (flags & SR_NUMBER_UPPER_BOUND)
        num.min = 0;
    num.start = tk->t[i].start;
    num.end = tk->t[end - 1].end;
    *out = num;
    return end - i;
}

static unsigned roles_at(const struct toks *tk, size_t i)
{
    return i < tk->n ? tk->roles[i] : 0;
}

/* R_* of each word token, looked up once; "twenty-three" has the roles of
 * "twenty" as a number word. */
static void fill_roles(const char *s, const sr_token *t, size_t n, uint8_t *roles)
{
    for (size_t i = 0; i < n; i++) {
        roles[i] = 0;
        if (t[i].kind != SR_TOKEN_WORD)
            continue;
        sr_token w = t[i];
        const char *dash = memchr(s + w.start, '-', w.end - w.start);
        if (dash)
            w.end = (size_t)(dash - s);
        int k = sr_text_word_index(s, &w, &keyword_set);
        roles[i] = k < 0 ? 0 : dash ? keyword_roles[k] & R_WORD : keyword_roles[k];
    }
}

/* The words of a NULL-terminated phrase, in order; returns their count. */
static size_t match_words(const struct toks *tk, size_t i, const char *const *words, size_t max)
{
    size_t k = 0;
    for (; k < max && words[k]; k++)
        if (i + k >= tk->n || !tok_is(tk->s, &tk->t[i + k], words[k]))
            return 0;
    return k;
}

static size_t parse_digits(const struct toks *tk, size_t i, sr_number *out);
static size_t parse_words(const struct toks *tk, size_t i, sr_number *out);
static size_t parse_vague(const struct toks *tk, size_t i, sr_number *out);

static size_t parse_figure(const struct toks *tk, size_t i, sr_number *out)
{
    if (i >= tk->n)
        return 0;
    size_t used = 0;
    unsigned r = tk->t[i].kind == SR_TOKEN_NUMBER ? 0 : roles_at(tk, i);
    if ((tk->t[i].kind == SR_TOKEN_NUMBER && (used = parse_digits(tk, i, out))) ||
        ((r & R_VAGUE) && (used = parse_vague(tk, i, out))) || ((r & R_WORD) && (used = parse_words(tk, i, out)))) {
        out->start = tk->t[i].start;
        out->end = tk->t[i + used - 1].end;
    }
    return used;
}

static void set_exact(sr_number *out, double v, unsigned flags)
{
    out->value = out->min = out->max = v;
    out->flags = flags;
}

/* A token of digits: "12", "1,300", "3.5"; a range "10-15" too. Ordinals,
 * times, dates and "23-year-old" are not figures. */
static bool digits_value(const char *p, size_t n, double *v)
{
    size_t i = 0, group = 0;
    bool comma = false, point = false;
    double x = 0, frac = 0.1;
    for (; i < n; i++) {
        char c = p[i];
        if (c >= '0' && c <= '9') {
            if (point) {
                x += (c - '0') * frac;
                frac /= 10;
            } else {
                x = x * 10 + (c - '0');
                group++;
            }
        } else if (c == ',' && !point && group >= 1 && group <= 3 && (comma ? group == 3 : true)) {
            comma = true;
            group = 0;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    if (comma && group != 3)
        return false;
    *v = x;
    return true;
}

static size_t parse_digits(const struct toks *tk, size_t i, sr_number *out)
{
    const sr_token *t = &tk->t[i];
    if (t->kind != SR_TOKEN_NUMBER)
        return 0;
    const char *p = tk->s + t->start;
    size_t n = t->end - t->start;
    double v, hi;
    const char *dash = memchr(p, '-', n);
    if (dash) {
        /* "10-15", "1,000-2,000"; but "272-2400" is a telephone number */
        size_t k = (size_t)(dash - p);
        bool short_sides = (k <= 3 && n - k - 1 <= 3) || memchr(p, ',', n);
        if (!short_sides || !digits_value(p, k, &v) || !digits_value(dash + 1, n - k - 1, &hi) || hi < v)
            return 0;
        set_exact(out, v, SR_NUMBER_RANGE);
        out->max = hi;
        return 1;
    }
    if (!digits_value(p, n, &v))
        return 0;
    set_exact(out, v, 0);
    /* "1.5 million", "12 thousand" */
    int s;
    if (i + 1 < tk->n && (s = tok_in(tk->s, &tk->t[i + 1], scales)) >= 0) {
        set_exact(out, v * scale_values[s], 0);
        return 2;
    }
    return 1;
}

static size_t parse_vague(const struct toks *tk, size_t i, sr_number *out)
{
    for (size_t k = 0; k < sizeof vague_words / sizeof vague_words[0]; k++) {
        const struct vague *w = &vague_words[k];
        size_t used = match_words(tk, i, w->words, 3);
        if (!used)
            continue;
        bool of = i + used < tk->n && tok_is(tk->s, &tk->t[i + used], "of");
        if (w->needs_of && !of)
            continue;
        out->value = out->min = w->min;
        out->max = w->max;
        out->flags = SR_NUMBER_VAGUE | SR_NUMBER_WORDS;
        return used;
    }
    return 0;
}

/* One number word (a part of "twenty-three" or a whole token). */
static int word_value(const char *s, size_t start, size_t end, double *v, bool *scale)
{
    sr_token t = {.start = start, .end = end, .kind = SR_TOKEN_WORD};
    int k;
    *scale = false;
    if ((k = tok_in(s, &t, units)) >= 0)
        *v = k;
    else if ((k = tok_in(s, &t, tens)) >= 0)
        *v = 20 + 10 * k;
    else if (tok_is(s, &t, "dozen"))
        *v = 12, *scale = true;
    else if ((k = tok_in(s, &t, scales)) >= 0)
        *v = scale_values[k], *scale = true;
    else
        return 0;
    return 1;
}

/* Adds one token's words ("twenty-three" is two) to the running total. */
static bool add_token_words(const char *s, const sr_token *t, double *total, double *current)
{
    size_t p = t->start;
    while (p < t->end) {
        const char *dash = memchr(s + p, '-', t->end - p);
        size_t e = dash ? (size_t)(dash - s) : t->end;
        double v;
        bool scale;
        if (!word_value(s, p, e, &v, &scale))
            return false;
        if (!scale) {
            *current += v;
        } else if (v < 1000) { /* hundred, dozen */
            *current = (*current ? *current : 1) * v;
        } else {
            *total += (*current ? *current : 1) * v;
            *current = 0;
        }
        p = e + 1;
    }
    return true;
}

/* "One hundred", "twenty-three", "two hundred and fifty", "a dozen",
 * "a thousand", "two dozen". */
static size_t parse_words(const struct toks *tk, size_t i, sr_number *out)
{
    double total = 0, current = 0;
    size_t j = i;
    const char *s = tk->s;
    bool scale;
    double v;
    if (tok_is(s, &tk->t[j], "a") || tok_is(s, &tk->t[j], "an")) {
        /* "a dozen", "a hundred": "a" counts only before a scale word */
        if (j + 1 >= tk->n || !word_value(s, tk->t[j + 1].start, tk->t[j + 1].end, &v, &scale) || !scale)
            return 0;
        current = 1;
        j++;
    }
    size_t last = j;
    /* The longest figures news spells out ("one hundred and twenty-three
     * thousand four hundred") take a dozen words; past that it is not one. */
    for (; j < tk->n && j - i < 12; j++) {
        const sr_token *t = &tk->t[j];
        if (t->kind != SR_TOKEN_WORD)
            break;
        if (tok_is(s, t, "and")) {
            /* "two hundred and fifty": "and" joins only after a scale */
            if (j + 1 < tk->n && current >= 100 && tk->t[j + 1].kind == SR_TOKEN_WORD &&
                word_value(s, tk->t[j + 1].start, tk->t[j + 1].end, &v, &scale) && !scale)
                continue;
            break;
        }
        double t0 = total, c0 = current;
        if (!add_token_words(s, t, &total, &current)) {
            total = t0, current = c0;
            break;
        }
        last = j + 1;
    }
    if (last == i || (last == i + 1 && (tok_is(s, &tk->t[i], "a") || tok_is(s, &tk->t[i], "an"))))
        return 0;
    set_exact(out, total + current, SR_NUMBER_WORDS);
    if (tok_is(s, &tk->t[last - 1], "dozen") && last - i <= 2)
        out->flags |= SR_NUMBER_APPROXIMATE; /* "a dozen" is rarely exact */
    return last - i;
}
