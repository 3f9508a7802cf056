/* ACLED-style types from CAMEO codes and the sentence: a default per CAMEO
 * code prefix (the longest that matches), then the first cue in the table's
 * order that applies to the code and matches — a weapon or means named in
 * the sentence, or the sector of an actor — replaces it. The table is the
 * lexicon's (data/lexicon/acled.tsv), so analysts extend it without code. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sitrep/code.h"
#include "sitrep/util.h"

enum cue_kind { CUE_WORD, CUE_SOURCE, CUE_TARGET };

struct cue {
    enum cue_kind kind;
    char **alts;          /* words or phrases (lower case), or sector codes */
    size_t n_alts;
    const char *type, *sub_type;
    char **applies;       /* CAMEO code prefixes */
    size_t n_applies;
};

struct row {
    char code[8];
    const char *type, *sub_type;
};

struct sr_acled_rules {
    sr_arena *arena;
    struct row *rows;
    size_t n_rows, cap_rows;
    struct cue *cues;
    size_t n_cues, cap_cues;
};

static char **split(sr_arena *a, const char *s, char sep, size_t *n);
static bool prefix_match(const char *code, char **prefixes, size_t n);
/* Where the sentence's words start, and which letters they start with: a
 * cue word is compared at word starts only, and not at all when no word
 * starts with its letter (most cues of most sentences). */
#define MAX_STARTS 1024
typedef struct word_starts {
    uint32_t pos[MAX_STARTS];
    size_t n;
    uint32_t letters;      /* bit c - 'a' */
    bool all;              /* too many words: every letter may occur */
} word_starts;

static void find_starts(const char *s, size_t len, word_starts *ws);
static bool words_match(const char *sentence, size_t len, const word_starts *ws, char **alts, size_t n);
static bool sector_match(const char *actor, char **sectors, size_t n);

sr_err sr_acled_rules_load(const char *path, FILE *errors, sr_acled_rules **out)
{
    *out = NULL;
    if (!errors)
        errors = stderr;
    FILE *f = fopen(path, "r");
    if (!f)
        return SR_ENOTFOUND;
    sr_acled_rules *r = calloc(1, sizeof *r);
    r->arena = sr_arena_new(16 << 20);
    sr_buf line;
    sr_buf_init(&line, 64 * 1024);
    enum { NONE, CAMEO, CUE } section = NONE;
    int lineno = 0;
    sr_err e;
    while ((e = sr_read_line(f, &line)) != SR_ENOTFOUND) {
        lineno++;
        if (e) {
            fprintf(errors, "%s:%d: line too long, skipped\n", path, lineno);
            continue;
        }
        const char *s = line.data;
        if (!s[0] || s[0] == '#')
            continue;
        if (strcmp(s, "[cameo]") == 0 || strcmp(s, "[cue]") == 0) {
            section = s[2] == 'a' ? CAMEO : CUE;
            continue;
        }
        size_t nf;
        char **fld = split(r->arena, s, '\t', &nf);
        if (strcmp(fld[0], "code") == 0 || strcmp(fld[0], "kind") == 0)
            continue;  /* a column header */
        if (section == CAMEO && nf >= 3 && strlen(fld[0]) < sizeof r->rows[0].code) {
            if (r->n_rows == r->cap_rows) {
                r->cap_rows = r->cap_rows ? 2 * r->cap_rows : 64;
                r->rows = realloc(r->rows, r->cap_rows * sizeof *r->rows);
            }
            struct row *row = &r->rows[r->n_rows++];
            snprintf(row->code, sizeof row->code, "%s", fld[0]);
            row->type = fld[1];
            row->sub_type = fld[2];
        } else if (section == CUE && nf >= 5 &&
                   (!strcmp(fld[0], "word") || !strcmp(fld[0], "source") || !strcmp(fld[0], "target"))) {
            if (r->n_cues == r->cap_cues) {
                r->cap_cues = r->cap_cues ? 2 * r->cap_cues : 64;
                r->cues = realloc(r->cues, r->cap_cues * sizeof *r->cues);
            }
            struct cue *c = &r->cues[r->n_cues++];
            c->kind = fld[0][0] == 'w' ? CUE_WORD : fld[0][0] == 's' ? CUE_SOURCE : CUE_TARGET;
            for (char *p = fld[1]; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            c->alts = split(r->arena, fld[1], '|', &c->n_alts);
            c->type = fld[2];
            c->sub_type = fld[3];
            c->applies = split(r->arena, fld[4], ',', &c->n_applies);
        } else {
            fprintf(errors, "%s:%d: not a rule of the [%s] section, skipped\n", path, lineno,
                    section == CAMEO ? "cameo" : section == CUE ? "cue" : "?");
        }
    }
    sr_buf_free(&line);
    fclose(f);
    *out = r;
    return SR_OK;
}

void sr_acled_rules_free(sr_acled_rules *r)
{
    if (!r)
        return;
    sr_arena_free(r->arena);
    free(r->rows);
    free(r->cues);
    free(r);
}

bool sr_acled_classify(const sr_acled_rules *r, const char *cameo, const char *sentence, size_t len,
                       const char *source, const char *target, const char **type, const char **sub_type)
{
    *type = *sub_type = NULL;
    if (!r || !cameo)
        return false;
    size_t best = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        size_t n = strlen(r->rows[i].code);
        if (n > best && strncmp(cameo, r->rows[i].code, n) == 0) {
            best = n;
            *type = r->rows[i].type;
            *sub_type = r->rows[i].sub_type;
        }
    }
    word_starts ws;
    ws.n = 0, ws.letters = 0, ws.all = false;   /* pos[] is filled on first use */
    bool have_starts = false;
    for (size_t i = 0; i < r->n_cues; i++) {
        const struct cue *c = &r->cues[i];
        if (!prefix_match(cameo, c->applies, c->n_applies))
            continue;
        if (c->kind == CUE_WORD && sentence && !have_starts) {
            find_starts(sentence, len, &ws);
            have_starts = true;
        }
        bool hit = c->kind == CUE_WORD ? sentence && words_match(sentence, len, &ws, c->alts, c->n_alts)
                 : c->kind == CUE_SOURCE ? sector_match(source, c->alts, c->n_alts)
                                         : sector_match(target, c->alts, c->n_alts);
        if (hit) {
            *type = c->type;
            *sub_type = c->sub_type;
            break;
        }
    }
    return *type != NULL;
}

/* ---- Helpers. -------------------------------------------------------------- */

static char **split(sr_arena *a, const char *s, char sep, size_t *n)
{
    size_t count = 1;
    for (const char *p = s; *p; p++)
        count += *p == sep;
    char **out = sr_arena_alloc(a, count * sizeof *out);
    char *copy = sr_arena_strdup(a, s);
    *n = 0;
    for (char *p = copy;;) {
        char *end = strchr(p, sep);
        if (end)
            *end = 0;
        while (*p == ' ')
            p++;
        size_t l = strlen(p);
        while (l && p[l - 1] == ' ')
            p[--l] = 0;
        out[(*n)++] = p;
        if (!end)
            break;
        p = end + 1;
    }
    return out;
}

static bool prefix_match(const char *code, char **prefixes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (prefixes[i][0] && strncmp(code, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static bool is_word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

static void find_starts(const char *s, size_t len, word_starts *ws)
{
    ws->n = 0;
    ws->letters = 0;
    ws->all = false;
    for (size_t at = 0; at < len; at++) {
        if (!is_word_char((unsigned char)s[at]) || (at && is_word_char((unsigned char)s[at - 1])))
            continue;
        if (ws->n == MAX_STARTS) {
            ws->all = true;
            return;
        }
        ws->pos[ws->n++] = (uint32_t)at;
        int c = tolower((unsigned char)s[at]);
        if (c >= 'a' && c <= 'z')
            ws->letters |= 1u << (c - 'a');
    }
}

static bool match_at(const char *sentence, size_t len, size_t at, const char *w, size_t wl, bool stem)
{
    if (at + wl > len || strncasecmp(sentence + at, w, wl) != 0)
        return false;
    return stem || at + wl == len || !is_word_char((unsigned char)sentence[at + wl]);
}

/* Whole words, case-insensitive; a final '*' lets the last word run on
 * ("shell*" matches shelled and shelling). */
static bool words_match(const char *sentence, size_t len, const word_starts *ws, char **alts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *w = alts[i];
        size_t wl = strlen(w);
        bool stem = wl && w[wl - 1] == '*';
        if (stem)
            wl--;
        if (!wl || wl > len)
            continue;
        int first = tolower((unsigned char)w[0]);
        if (ws->all) {
            for (size_t at = 0; at + wl <= len; at++)
                if ((!at || !is_word_char((unsigned char)sentence[at - 1])) && match_at(sentence, len, at, w, wl, stem))
                    return true;
            continue;
        }
        if (first >= 'a' && first <= 'z' && !(ws->letters & (1u << (first - 'a'))))
            continue;
        for (size_t k = 0; k < ws->n; k++)
            if (tolower((unsigned char)sentence[ws->pos[k]]) == first &&
                match_at(sentence, len, ws->pos[k], w, wl, stem))
                return true;
    }
    return false;
}

/* CAMEO actor codes are three-letter parts: "IRQMIL" has the sector MIL. */
static bool sector_match(const char *actor, char **sectors, size_t n)
{
    if (!actor)
        return false;
    size_t len = strlen(actor);
    for (size_t at = 0; at + 3 <= len; at += 3)
        for (size_t i = 0; i < n; i++)
            if (strncmp(actor + at, sectors[i], 3) == 0)
                return true;
    return false;
}
