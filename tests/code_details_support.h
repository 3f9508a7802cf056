/* Scoring the lexicon's event details, shared by tests/test_code_details.c
 * (floors) and bench/code (figures):
 *  - PLOVER gold sentences: share of sentences with an event of the gold
 *    category (cameo_plover.tsv's 2016 column, the categories the gold file
 *    uses), and of those whose event also has the gold source (the codes
 *    agree as prefixes: HUNGOV for HUN);
 *  - ACLED sub-types of the project's short event reports
 *    (tests/fixtures/code/acled_subtypes.tsv): weighted F1 over the gold
 *    sub-types, the prediction being the sub-type of the first event that
 *    has one ("none" when no event does). */
#ifndef SR_CODE_DETAILS_SUPPORT_H
#define SR_CODE_DETAILS_SUPPORT_H
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/code.h"
#include "sitrep/util.h"

typedef struct details_score {
    int n;
    int hit, hit_source;  /* PLOVER: category, category and source */
    double f1;            /* ACLED: weighted F1 of sub-types */
    int type_hit;         /* ACLED: right type */
} details_score;

static sr_coder *details_coder(const char *lexdir, sr_code_dict **d)
{
    sr_coder *c = NULL;
    if (sr_code_dict_new(d, NULL) || sr_code_dict_load_dir(*d, lexdir) || sr_coder_new(&c, *d)) c = NULL;
    return c;
}

/* cameo_plover.tsv: code -> the 2016 category (9th column). */
static const char *details_plover2016(char *table, const char *code)
{
    size_t n = strlen(code);
    for (char *p = table; p && *p;) {
        if (strncmp(p, code, n) == 0 && p[n] == '\t') {
            char *f = p;
            for (int k = 0; k < 8 && f; k++) f = strchr(f, '\t') ? strchr(f, '\t') + 1 : NULL;
            if (!f) return "";
            static char cat[64];
            size_t m = strcspn(f, "\t\n");
            snprintf(cat, sizeof cat, "%.*s", (int)(m < 63 ? m : 63), f);
            return cat;
        }
        p = strchr(p, '\n');
        if (p) p++;
    }
    return "";
}

static int details_date(const char *s)
{
    int y, m, d;
    return s && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 ? y * 10000 + m * 100 + d : 0;
}

static bool details_same_actor(const char *code, const char *gold)
{
    size_t a = strlen(code), b = strlen(gold);
    return b && a >= 3 && (strncmp(code, gold, b) == 0 || strncmp(gold, code, a) == 0);
}

static bool details_plover(const char *lexdir, const char *gold_path, details_score *out)
{
    memset(out, 0, sizeof *out);
    char path[4096], *table;
    size_t tlen;
    snprintf(path, sizeof path, "%s/cameo_plover.tsv", lexdir);
    if (sr_read_file(path, 4u << 20, &table, &tlen)) return false;
    json_error_t err;
    json_t *gold = json_load_file(gold_path, 0, &err);
    sr_code_dict *d = NULL;
    sr_coder *c = gold ? details_coder(lexdir, &d) : NULL;
    if (!c) {
        json_decref(gold);
        sr_code_dict_free(d);
        free(table);
        return false;
    }
    size_t i;
    json_t *g;
    json_array_foreach(gold, i, g) {
        const char *text = json_string_value(json_object_get(g, "text"));
        const char *cat = json_string_value(json_object_get(g, "event"));
        if (!text || !cat) continue;
        out->n++;
        const sr_code_result *r;
        if (sr_code_document(c, text, strlen(text), details_date(json_string_value(json_object_get(g, "date"))),
                             &r))
            continue;
        bool hit = false, src = false;
        for (size_t k = 0; k < r->n_events; k++) {
            const sr_code_event *e = &r->events[k];
            if (strcmp(details_plover2016(table, e->cameo), cat) != 0) continue;
            hit = true;
            size_t j;
            json_t *s;
            json_array_foreach(json_object_get(g, "source"), j, s) {
                const char *code = json_string_value(json_object_get(s, "code"));
                if (code && e->source.code && details_same_actor(e->source.code, code)) src = true;
            }
        }
        out->hit += hit;
        out->hit_source += src;
    }
    sr_coder_free(c);
    sr_code_dict_free(d);
    json_decref(gold);
    free(table);
    return out->n > 0;
}

#define DETAILS_MAX_CLASSES 64

static int details_class(char names[][64], int *n, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0) return i;
    if (*n == DETAILS_MAX_CLASSES) return DETAILS_MAX_CLASSES - 1;
    snprintf(names[*n], 64, "%s", name);
    return (*n)++;
}

/* Lines: sentence TAB type TAB sub-type; '#' comments. `misses` (may be
 * NULL) gets one line per wrong sub-type. */
static bool details_acled(const char *lexdir, const char *tsv, FILE *misses, details_score *out)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    if (sr_read_file(tsv, 1u << 20, &data, &len)) return false;
    sr_code_dict *d = NULL;
    sr_coder *c = details_coder(lexdir, &d);
    if (!c) {
        sr_code_dict_free(d);
        free(data);
        return false;
    }
    static char names[DETAILS_MAX_CLASSES][64];
    int nclass = 0;
    int tp[DETAILS_MAX_CLASSES] = {0}, npred[DETAILS_MAX_CLASSES] = {0}, ngold[DETAILS_MAX_CLASSES] = {0};
    for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || !line[0]) continue;
        char *type = strchr(line, '\t');
        char *sub = type ? strchr(type + 1, '\t') : NULL;
        if (!sub) continue;
        *type++ = 0;
        *sub++ = 0;
        const sr_code_result *r;
        const char *ptype = "none", *psub = "none";
        if (sr_code_document(c, line, strlen(line), 0, &r) == SR_OK)
            for (size_t k = 0; k < r->n_events; k++)
                if (r->events[k].acled_subtype) {
                    ptype = r->events[k].acled_type;
                    psub = r->events[k].acled_subtype;
                    break;
                }
        int g = details_class(names, &nclass, sub), p = details_class(names, &nclass, psub);
        ngold[g]++;
        npred[p]++;
        out->n++;
        if (g == p) tp[g]++;
        else if (misses) fprintf(misses, "want %s, got %s: %s\n", sub, psub, line);
        out->type_hit += strcmp(ptype, type) == 0;
    }
    double f1 = 0;
    for (int k = 0; k < nclass; k++) {
        if (!ngold[k]) continue;
        double p = npred[k] ? (double)tp[k] / npred[k] : 0, rc = (double)tp[k] / ngold[k];
        f1 += (p + rc > 0 ? 2 * p * rc / (p + rc) : 0) * ngold[k];
    }
    out->f1 = out->n ? f1 / out->n : 0;
    sr_coder_free(c);
    sr_code_dict_free(d);
    free(data);
    return out->n > 0;
}
#endif
