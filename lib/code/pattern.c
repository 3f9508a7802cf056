/*
 * Verb pattern language (TABARI manual 5.5.3-5.7): words, '*' for the verb,
 * '$' source, '+' target, '%' compound for both, '^' skip an actor,
 * { a | b } alternatives and &SYNSET references. A '_' after a word makes it
 * match whole; '_' or '~' between elements makes them consecutive.
 */
#include <ctype.h>
#include <string.h>
#include "code_internal.h"

#define MAX_ELEMS 64

enum { E_STAR = 100 };

typedef struct pparser {
    sr_code_dict *d;
    const char *s;
    size_t i;
    char *err;
    size_t errn;
    int depth;
    bool next_adj;
} pparser;

static bool parse_elems(pparser *pp, elem *out, int *n, bool in_alt);
static int seq_length(const elem_seq *q);

bool sr_parse_pattern(sr_code_dict *d, const char *s, pattern *p, char *err, size_t errn)
{
    memset(p, 0, sizeof *p);
    pparser pp = {.d = d, .s = s, .err = err, .errn = errn};
    elem all[MAX_ELEMS];
    int n = 0;
    if (!parse_elems(&pp, all, &n, false)) return false;
    int star = -1;
    for (int i = 0; i < n; i++)
        if (all[i].kind == E_STAR) {
            if (star >= 0) { snprintf(err, errn, "two verb markers '*' in pattern"); return false; }
            star = i;
        }
    if (star < 0) { snprintf(err, errn, "missing verb marker '*' in pattern"); return false; }
    p->adj_before = all[star].adj;
    p->adj_after = star + 1 < n && all[star + 1].adj;
    p->pre.n = (uint16_t)star;
    p->post.n = (uint16_t)(n - star - 1);
    p->pre.e = sr_arena_alloc(d->mem, sizeof(elem) * (size_t)(star + 1));
    p->post.e = sr_arena_alloc(d->mem, sizeof(elem) * (size_t)(n - star));
    memcpy(p->pre.e, all, sizeof(elem) * (size_t)star);
    memcpy(p->post.e, all + star + 1, sizeof(elem) * (size_t)(n - star - 1));
    p->length = seq_length(&p->pre) + seq_length(&p->post);
    for (int i = 0; i < n; i++) p->synset |= all[i].kind == E_ALT && all[i].synset;
    const elem_seq *parts[2] = {&p->pre, &p->post};
    uint8_t *need[2] = {p->need_pre, p->need_post};
    uint8_t *count[2] = {&p->npre, &p->npost};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < parts[k]->n && *count[k] < 4; i++) {
            const elem *e = &parts[k]->e[i];
            if (e->kind != E_WORD) continue;
            size_t n = e->w.len < 3 ? e->w.len : 3;
            need[k][(*count[k])++] = (uint8_t)word_bit(e->w.s, n);
        }
    return true;
}

static int seq_length(const elem_seq *q)
{
    int len = 0;
    for (int i = 0; i < q->n; i++) {
        const elem *e = &q->e[i];
        if (e->kind == E_WORD) {
            for (int k = 0; k < e->w.len; k++) len += isalnum((unsigned char)e->w.s[k]) != 0;
        } else if (e->kind == E_ALT && !e->synset) {
            /* a synset adds nothing to the length: a plain word pattern of
             * the same words is preferred to it */
            int best = 0;
            for (int a = 0; a < e->nalts; a++) {
                int l = seq_length(&e->alts[a]);
                if (l > best) best = l;
            }
            len += best;
        }
    }
    return len;
}

static bool word_char(char c)
{
    return c && c != ' ' && c != '\t' && c != '_' && c != '~' && c != '{' && c != '}' && c != '|' && c != '-';
}

static void connector(pparser *pp, elem *e)
{
    const char *s = pp->s;
    if (s[pp->i] == '_' || s[pp->i] == '-') {
        if (e->kind == E_WORD) e->w.stem = 0;
        pp->i++;
        char c = s[pp->i];
        pp->next_adj = c && c != ' ' && c != '\t' && c != '|' && c != '}';
    } else if (s[pp->i] == '~') {
        pp->i++;
        while (s[pp->i] == '_' || s[pp->i] == ' ') pp->i++;
        pp->next_adj = true;
    } else if (s[pp->i] == '=') {
        if (e->kind == E_WORD) { e->w.stem = 0; e->w.noend = 1; }
        pp->i++;
    }
}

static bool parse_alternatives(pparser *pp, elem *e)
{
    elem_seq alts[64];
    int nalts = 0;
    for (;;) {
        elem buf[MAX_ELEMS];
        int n = 0;
        pp->next_adj = false;
        if (!parse_elems(pp, buf, &n, true)) return false;
        if (nalts == 64) { snprintf(pp->err, pp->errn, "too many alternatives"); return false; }
        alts[nalts].n = (uint16_t)n;
        alts[nalts].e = sr_arena_alloc(pp->d->mem, sizeof(elem) * (size_t)(n ? n : 1));
        memcpy(alts[nalts].e, buf, sizeof(elem) * (size_t)n);
        nalts++;
        char c = pp->s[pp->i];
        if (c == '|') { pp->i++; continue; }
        if (c == '}') { pp->i++; break; }
        snprintf(pp->err, pp->errn, "missing } in pattern");
        return false;
    }
    e->kind = E_ALT;
    e->nalts = (uint16_t)nalts;
    e->alts = sr_arena_alloc(pp->d->mem, sizeof(elem_seq) * (size_t)nalts);
    memcpy(e->alts, alts, sizeof(elem_seq) * (size_t)nalts);
    return true;
}

static bool parse_synset_ref(pparser *pp, elem *e)
{
    size_t b = ++pp->i;
    while (isalnum((unsigned char)pp->s[pp->i])) pp->i++;
    size_t n = pp->i - b;
    for (uint32_t k = 0; k < pp->d->nsynsets; k++) {
        const synset *s = &pp->d->synsets[k];
        if (strlen(s->name) == n && strncmp(s->name, pp->s + b, n) == 0) {
            e->kind = E_ALT;
            e->synset = 1;
            e->alts = s->alts;
            e->nalts = s->nalts;
            return true;
        }
    }
    snprintf(pp->err, pp->errn, "unknown synset &%.*s", (int)n, pp->s + b);
    return false;
}

static bool parse_elems(pparser *pp, elem *out, int *n, bool in_alt)
{
    if (++pp->depth > SR_CODE_MAX_DEPTH) {
        snprintf(pp->err, pp->errn, "pattern nested too deeply");
        return false;
    }
    const char *s = pp->s;
    for (;;) {
        bool spaced = false;
        while (s[pp->i] == ' ' || s[pp->i] == '\t') { pp->i++; spaced = true; }
        char c = s[pp->i];
        if (!c) break;
        if (c == '|' || c == '}') {
            if (in_alt) break;
            snprintf(pp->err, pp->errn, "unexpected '%c' in pattern", c);
            return false;
        }
        if (*n >= MAX_ELEMS) { snprintf(pp->err, pp->errn, "pattern too long"); return false; }
        elem *e = &out[*n];
        memset(e, 0, sizeof *e);
        e->adj = pp->next_adj && !spaced;
        pp->next_adj = false;
        if (c == '*') { e->kind = E_STAR; pp->i++; }
        else if (c == '$') { e->kind = E_SRC; pp->i++; }
        else if (c == '+') { e->kind = E_TGT; pp->i++; }
        else if (c == '%') { e->kind = E_CMP; pp->i++; }
        else if (c == '^') { e->kind = E_SKIP; pp->i++; }
        else if (c == '{') {
            pp->i++;
            if (!parse_alternatives(pp, e)) return false;
        } else if (c == '&') {
            if (!parse_synset_ref(pp, e)) return false;
        } else if (c == '_' || c == '~' || c == '-') {
            pp->i++; /* stray connector, e.g. "_ *": treat as adjacency */
            pp->next_adj = true;
            continue;
        } else {
            size_t b = pp->i;
            while (word_char(s[pp->i])) pp->i++;
            size_t stem = sr_contraction_stem(s + b, pp->i - b);
            if (stem && *n + 1 < MAX_ELEMS) {
                /* "DIDN'T": "DID" then "N'T" right after it */
                e->kind = E_WORD;
                e->w.s = sr_arena_strndup(pp->d->mem, s + b, stem);
                e->w.len = (uint16_t)stem;
                e->w.noend = 1;
                b += stem;
                (*n)++;
                e = &out[*n];
                memset(e, 0, sizeof *e);
                e->adj = 1;
            }
            e->kind = E_WORD;
            e->w.s = sr_arena_strndup(pp->d->mem, s + b, pp->i - b);
            e->w.len = (uint16_t)(pp->i - b);
            e->w.stem = 1;
        }
        connector(pp, e);
        (*n)++;
    }
    pp->depth--;
    return true;
}
