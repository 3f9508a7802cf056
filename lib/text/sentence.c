/* Sentence splitting and tokenising, one pass over the lexer's tokens.
 * A stop ends a sentence unless what follows shows it does not: a lower-case
 * word, a comma, or (after an abbreviation such as "U.S." that can also end a
 * sentence) anything but a word that usually opens one. Paragraph breaks
 * always end a sentence. */
#include <utf8proc.h>
#include "internal.h"

enum stop { STOP_NONE, STOP_FULL, STOP_WEAK };

struct split {
    sr_arena *a;
    const char *s;
    bool line_breaks;      /* a single newline ends a sentence */
    struct grow *sentences;
    struct grow *tokens;
};

static sr_err run(struct split *sp, size_t len);
static bool hard_wrapped(const char *s, size_t len);
static enum stop stop_kind(const char *s, const struct lex_tok *t);
static bool is_closer(const char *s, const sr_token *t);
static bool continues_sentence(const char *s, const sr_token *t);
static bool opens_sentence(const char *s, const sr_token *t);
static bool line_continues(const char *s, const sr_token *prev, const sr_token *next);

sr_err sr_text_sentences(sr_arena *a, const char *text, size_t len,
                         sr_sentence **out, size_t *n)
{
    struct grow g = {.hint = sr_text_token_estimate(len) / 16 + 1};
    struct split sp = {.a = a, .s = text, .sentences = &g};
    sr_err err = run(&sp, len);
    *out = err ? NULL : g.items;
    *n = err ? 0 : g.n;
    return err;
}

sr_err sr_text_tokens(sr_arena *a, const char *text, size_t len,
                      sr_token **out, size_t *n)
{
    struct grow g = {.hint = sr_text_token_estimate(len)};
    struct split sp = {.a = a, .s = text, .tokens = &g};
    sr_err err = run(&sp, len);
    *out = err ? NULL : g.items;
    *n = err ? 0 : g.n;
    return err;
}

static sr_err emit(struct split *sp, size_t start, size_t end)
{
    if (!sp->sentences)
        return SR_OK;
    sr_sentence *s = sr_text_grow(sp->a, sp->sentences, sizeof *s);
    if (!s)
        return SR_ENOMEM;
    s->start = start;
    s->end = end;
    return SR_OK;
}

static sr_err keep(struct split *sp, const sr_token *t)
{
    if (!sp->tokens)
        return SR_OK;
    sr_token *k = sr_text_grow(sp->a, sp->tokens, sizeof *k);
    if (!k)
        return SR_ENOMEM;
    *k = *t;
    return SR_OK;
}

static sr_err run(struct split *sp, size_t len)
{
    const char *s = sp->s;
    struct lex lx;
    struct lex_tok t;
    sr_lex_init(&lx, s, len, 0);
    sp->line_breaks = !hard_wrapped(s, len);
    bool open = false;
    size_t start = 0, last_end = 0;
    enum stop pending = STOP_NONE;
    sr_err err = SR_OK;
    sr_token prev = {0};
    while (!err && sr_lex_next(&lx, &t)) {
        bool spaced = t.t.flags & SR_TOKEN_SPACE_BEFORE;
        bool para = t.newlines >= 2 ||
                    (t.newlines == 1 && sp->line_breaks && !line_continues(s, &prev, &t.t));
        prev = t.t;
        if (open && pending != STOP_NONE &&
            ((!spaced && (is_closer(s, &t.t) || stop_kind(s, &t) == STOP_FULL)) ||
             (pending == STOP_FULL && t.newlines == 0 && s[t.t.start] == '.' && t.t.kind == SR_TOKEN_PUNCT))) {
            last_end = t.t.end; /* '."', '.)', '?!', ". . ." */
            err = keep(sp, &t.t);
            continue;
        }
        if (open && (para || (pending == STOP_FULL && !continues_sentence(s, &t.t)) ||
                     (pending == STOP_WEAK && opens_sentence(s, &t.t)))) {
            err = emit(sp, start, last_end);
            open = false;
        }
        if (!open) {
            open = true;
            start = t.t.start;
            t.t.flags |= SR_TOKEN_SENTENCE_START;
        }
        if (!err)
            err = keep(sp, &t.t);
        last_end = t.t.end;
        pending = stop_kind(s, &t);
    }
    if (!err && open)
        err = emit(sp, start, last_end);
    return err;
}

static enum stop stop_kind(const char *s, const struct lex_tok *t)
{
    if (t->t.kind == SR_TOKEN_WORD)
        return t->abbr == ABBR_MAY_END ? STOP_WEAK : STOP_NONE;
    if (t->t.kind != SR_TOKEN_PUNCT)
        return STOP_NONE;
    const unsigned char *p = (const unsigned char *)s + t->t.start;
    size_t n = t->t.end - t->t.start;
    if (n >= 1 && (p[0] == '.' || p[0] == '!' || p[0] == '?'))
        return STOP_FULL;
    /* U+2026 HORIZONTAL ELLIPSIS, U+3002 IDEOGRAPHIC FULL STOP */
    if (n == 3 && ((p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA6) ||
                   (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x82)))
        return STOP_FULL;
    return STOP_NONE;
}

/* Quotes and brackets that close what the stop before them ended. */
static bool is_closer(const char *s, const sr_token *t)
{
    if (t->kind != SR_TOKEN_PUNCT)
        return false;
    const unsigned char *p = (const unsigned char *)s + t->start;
    size_t n = t->end - t->start;
    if (n == 1)
        return p[0] == '"' || p[0] == '\'' || p[0] == ')' || p[0] == ']' || p[0] == '}';
    /* ’ ” » */
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x99 || p[2] == 0x9D))
        return true;
    return n == 2 && p[0] == 0xC2 && p[1] == 0xBB;
}

/* After a full stop: a lower-case word or a mark that never opens a
 * sentence means the stop did not end one ("etc. and", "3 p.m., when"). */
static bool continues_sentence(const char *s, const sr_token *t)
{
    unsigned char c = (unsigned char)s[t->start];
    if (t->kind == SR_TOKEN_WORD) {
        if (c < 0x80)
            return c >= 'a' && c <= 'z';
        /* lower case only: scripts without case (Arabic, Chinese) start
         * sentences with any letter */
        size_t i = t->start;
        int32_t cp = sr_utf8_decode(s, t->end, &i);
        return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
    }
    if (t->kind == SR_TOKEN_PUNCT && t->end - t->start == 1)
        return c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '%';
    return false;
}

/* Words that open sentences far more often than they follow "U.S." or an
 * initial inside one: pronouns, determiners, conjunctions, prepositions. */
static const char *const openers[] = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its",
    "their", "our", "this", "that", "these", "those", "there", "here", "in", "on", "at",
    "but", "and", "or", "so", "as", "after", "before", "when", "while", "if", "although",
    "though", "however", "meanwhile", "yet", "also", "earlier", "later", "since", "during",
    "last", "some", "many", "most", "no", "not", "for", "with", "from", "by", "to", "what",
    "who", "where", "why", "how", "both", "all", "each", "one", "two", "three", "instead",
    NULL};

static bool opens_sentence(const char *s, const sr_token *t)
{
    if (t->kind == SR_TOKEN_WORD && (t->flags & SR_TOKEN_CAPITALISED))
        return tok_in(s, t, openers) >= 0;
    if (t->kind == SR_TOKEN_PUNCT) {
        const unsigned char *p = (const unsigned char *)s + t->start;
        /* a quotation opening: " or “ */
        return p[0] == '"' || (t->end - t->start == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x9C);
    }
    return false;
}

/* Words a line cannot end on unless the sentence goes on below it. */
static const char *const joiners[] = {
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "by", "from", "and",
    "or", "but", "between", "against", "into", "over", "after", "before", "about", "as",
    "that", "which", "who", "whose", "than", "under", "near", "during", "since", "among",
    "including", "toward", "towards", "via", "per", "its", "their", "his", "her", "is",
    "are", "was", "were", "has", "have", "had", "will", "would", "be", "been", NULL};

/* A newline inside a sentence: the line ends on a comma or a joining word,
 * or the next line starts in lower case. */
static bool line_continues(const char *s, const sr_token *prev, const sr_token *next)
{
    if (prev->end == 0)
        return false;
    if (prev->kind == SR_TOKEN_PUNCT && prev->end - prev->start == 1 &&
        (s[prev->start] == ',' || s[prev->start] == ';' || s[prev->start] == '('))
        return true;
    if (prev->kind == SR_TOKEN_WORD && tok_in(s, prev, joiners) >= 0)
        return true;
    return next->kind == SR_TOKEN_WORD && !(next->flags & SR_TOKEN_CAPITALISED) &&
           (unsigned char)s[next->start] >= 'a';
}

/* Does the line s[from..to) end on a joining word? */
static bool ends_with_joiner(const char *s, size_t from, size_t to)
{
    size_t w = to;
    while (w > from && (((s[w - 1] | 32) >= 'a' && (s[w - 1] | 32) <= 'z')))
        w--;
    if (w == to || to - w > 12 || (w > from && s[w - 1] != ' ' && s[w - 1] != '\t'))
        return false;
    sr_token t = {.start = w, .end = to, .kind = SR_TOKEN_WORD};
    return tok_in(s, &t, joiners) >= 0;
}

/* Hard-wrapped text breaks lines in the middle of sentences, so a line
 * often ends on a comma or a joining word, or the next starts in lower
 * case. Text with a paragraph per line (what `sitrep extract` writes)
 * rarely does, and there a newline ends a headline or a dateline that has
 * no stop. */
static bool hard_wrapped(const char *s, size_t len)
{
    size_t open = 0, wraps = 0, p = 0;
    while (p < len) {
        const char *nl = memchr(s + p, '\n', len - p);
        if (!nl)
            break;
        size_t end = (size_t)(nl - s), q = end;
        while (q > p && (s[q - 1] == ' ' || s[q - 1] == '\t' || s[q - 1] == '\r'))
            q--;
        size_t next = end + 1;
        while (next < len && (s[next] == ' ' || s[next] == '\t'))
            next++;
        if (q > p && next < len && s[next] != '\n' && s[next] != '\r') {
            char last = s[q - 1];
            if (last != '.' && last != '!' && last != '?' && last != ':' && last != '"' &&
                (unsigned char)last < 0x80) {
                open++;
                wraps += (s[next] >= 'a' && s[next] <= 'z') || last == ',' || ends_with_joiner(s, p, q);
            }
        }
        p = end + 1;
        if (open >= 64)
            break; /* enough to judge */
    }
    return wraps > 0 && wraps * 3 >= open;
}
