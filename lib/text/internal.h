/* What the text module's files share: the one-pass lexer and small word
 * tests. Not part of the public API. */
#ifndef SR_TEXT_INTERNAL_H
#define SR_TEXT_INTERNAL_H

#include <stdatomic.h>
#include <string.h>
#include "sitrep/text.h"

/* How a stop after an abbreviation may end a sentence. */
enum abbr_kind {
    ABBR_NONE = 0,
    ABBR_TITLE,        /* "Gen.", "Mr.", "St.": never ends a sentence */
    ABBR_BEFORE_DIGIT, /* "No. 3": an abbreviation only before a number */
    ABBR_MAY_END,      /* "U.S.", "Inc.", "Jan.", "F.": ends one only when a
                          word that usually opens a sentence follows */
};

/* A token as the lexer sees it: the public token plus the white space
 * before it, which sentence splitting needs. */
struct lex_tok {
    sr_token t;
    uint8_t newlines;  /* newlines in the gap before it, capped at 2 */
    uint8_t abbr;      /* enum abbr_kind, for tokens ending in a stop */
};

struct lex {
    const char *s;
    size_t len;
    size_t pos;
};

void sr_lex_init(struct lex *lx, const char *s, size_t len, size_t pos);
/* The next token, or false at the end of the text. */
bool sr_lex_next(struct lex *lx, struct lex_tok *tok);

/* Case-insensitive (ASCII) test of a token against a lower-case word. */
static inline bool tok_is(const char *s, const sr_token *t, const char *word)
{
    size_t n = t->end - t->start;
    const char *p = s + t->start;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (word[i] != (char)c)
            return false;
    }
    return word[n] == '\0';
}

static inline bool tok_punct(const char *s, const sr_token *t, char c)
{
    return t->kind == SR_TOKEN_PUNCT && t->end - t->start == 1 && s[t->start] == c;
}

/* Index of the token in `words` (a NULL-terminated list of lower-case
 * words), or -1. */
static inline int tok_in(const char *s, const sr_token *t, const char *const *words)
{
    for (int i = 0; words[i]; i++)
        if (tok_is(s, t, words[i]))
            return i;
    return -1;
}

/* A set of lower-case words (at most 255 of up to 15 bytes) looked up by
 * hash, built on first use by whichever thread gets there first. */
#define WORD_SET_SLOTS 512
struct word_set {
    const char *const *words;
    size_t n;
    _Atomic int state; /* 0 new, 1 being built, 2 ready */
    uint8_t slots[WORD_SET_SLOTS]; /* index + 1 of the word hashed there */
};
#define WORD_SET(list) {list, sizeof list / sizeof *list, 0, {0}}

/* Index of the token, lower-cased, in the set, or -1. A quick gate before
 * trying the longer patterns. */
int sr_text_word_index(const char *s, const sr_token *t, struct word_set *set);
static inline bool sr_text_word_listed(const char *s, const sr_token *t, struct word_set *set)
{
    return sr_text_word_index(s, t, set) >= 0;
}

/* Every token of the text, without sentence flags: what numbers and dates
 * scan (they do not need to know where sentences start). */
sr_err sr_text_lex_all(sr_arena *a, const char *text, size_t len, sr_token **out, size_t *n);

/* An array that grows inside an arena (the old copy is left to the arena). */
struct grow {
    void *items;
    size_t n;
    size_t cap;
    size_t hint; /* first capacity, 0 for a small default */
};
/* A first capacity for the tokens of len bytes of text. */
size_t sr_text_token_estimate(size_t len);
void *sr_text_grow(sr_arena *a, struct grow *g, size_t size);

#endif
