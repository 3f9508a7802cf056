/* Event details from the lexicon's tables: the CAMEO code of an event's
 * mood (modality.tsv: "threatened to attack" is a threat, 138, not an
 * attack), its PLOVER category (cameo_plover.tsv), its ACLED type and
 * sub-type (acled.tsv), and the date the sentence gives it. Tables are
 * optional: without one, its detail is left empty. */
#include <stdlib.h>
#include <string.h>
#include "sitrep/util.h"
#include "details.h"

#define MAX_TABLE_FILE (4u << 20)

typedef struct code_row {
    const char *code;
    const char *a, *b, *c;   /* modality: intent, threat, negated; plover: 2021 category */
} code_row;

struct sr_details_tables {
    sr_arena *mem;
    code_row *mood;
    size_t nmood;
    code_row *plover;
    size_t nplover;
    sr_acled_rules *acled;
};

static sr_err read_rows(struct sr_details_tables *t, const char *path, FILE *errors, bool mood);
static const code_row *find_row(const code_row *rows, size_t n, const char *code);
static bool toll_root(const char *cameo);

static const char *root_of(const char *code)
{
    static const char roots[20][3] = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
                                      "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"};
    int v = (code[0] - '0') * 10 + (code[1] - '0');
    return v >= 1 && v <= 20 ? roots[v - 1] : "";
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

bool sr_details_table_name(const char *path)
{
    const char *b = base_name(path);
    return strcmp(b, "modality.tsv") == 0 || strcmp(b, "cameo_plover.tsv") == 0 || strcmp(b, "acled.tsv") == 0;
}

sr_err sr_details_load(struct sr_details_tables **tp, const char *path, FILE *errors)
{
    if (!errors) errors = stderr;
    if (!*tp) {
        struct sr_details_tables *t = calloc(1, sizeof *t);
        if (!t || !(t->mem = sr_arena_new(8u << 20))) {
            free(t);
            return SR_ENOMEM;
        }
        *tp = t;
    }
    struct sr_details_tables *t = *tp;
    const char *b = base_name(path);
    if (strcmp(b, "acled.tsv") == 0) {
        sr_acled_rules_free(t->acled);
        t->acled = NULL;
        sr_err e = sr_acled_rules_load(path, errors, &t->acled);
        if (e) fprintf(errors, "sitrep: %s: %s\n", path, sr_strerror(e));
        return e;
    }
    return read_rows(t, path, errors, strcmp(b, "modality.tsv") == 0);
}

void sr_details_load_dir(struct sr_details_tables **t, const char *dir, FILE *errors)
{
    static const char *const names[] = {"modality.tsv", "cameo_plover.tsv", "acled.tsv"};
    char path[4096];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        fclose(f);
        sr_details_load(t, path, errors);
    }
}

void sr_details_free(struct sr_details_tables *t)
{
    if (!t) return;
    sr_acled_rules_free(t->acled);
    sr_arena_free(t->mem);
    free(t->mood);
    free(t->plover);
    free(t);
}

/* The mood's code replaces the verb's: an intent, threat or refusal is an
 * event of its own in CAMEO; an empty cell means nothing happened ("did not
 * attack") and the event goes. */
static bool apply_mood(const struct sr_details_tables *t, sr_code_event *e)
{
    if (!e->negated && e->modality != SR_MOD_INTENT && e->modality != SR_MOD_THREAT) return true;
    const code_row *r = find_row(t->mood, t->nmood, e->cameo);
    if (!r) return !e->negated;
    const char *to = e->negated ? r->c : e->modality == SR_MOD_THREAT ? r->b : r->a;
    if (!to || !*to) return false;
    /* "refused to release" is an act of refusing, told as a fact: kept on
     * the map as 1243, not set aside as a negated release */
    bool refusal = e->negated;
    e->negated = false;
    if (strcmp(to, e->cameo) != 0 || refusal) {
        e->asserted_cameo = e->cameo;
        e->cameo = to;
        const char *name;
        int quad;
        double g;
        if (sr_cameo_lookup(to, &name, &quad, &g)) {
            e->quad = quad;
            e->goldstein = g;
            e->has_goldstein = true;
            e->root = root_of(to);
        }
    }
    return true;
}

size_t sr_details_sentence(const struct sr_details_tables *t, sr_arena *a, const char *text, size_t len, int doc_date,
                           sr_code_event *ev, size_t n)
{
    int date = 0;
    enum sr_code_precision prec = SR_CODE_DATE_NONE;
    bool historical = false;
    bool dated = false;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        sr_code_event *e = &ev[i];
        e->asserted_cameo = NULL;
        e->plover = e->acled_type = e->acled_subtype = NULL;
        e->fatalities = e->injuries = (sr_code_toll){.value = -1};
        if (t && t->nmood && !apply_mood(t, e)) continue;
        if (t) {
            const code_row *p = find_row(t->plover, t->nplover, e->cameo);
            e->plover = p && p->a && *p->a ? p->a : NULL;
            if (t->acled)
                sr_acled_classify(t->acled, e->cameo, text, len, e->source.code, e->target.code,
                                  &e->acled_type, &e->acled_subtype);
        }
        if (!dated) {
            sr_details_date(a, text, len, doc_date, &date, &prec, &historical);
            dated = true;
        }
        e->date = date;
        e->date_precision = prec;
        e->historical = historical;
        ev[w++] = *e;
    }
    return w;
}

bool sr_details_tolls(sr_arena *a, const char *text, size_t s0, size_t s1, size_t s2, bool next_has_events, int doc_date,
                      sr_code_event *ev, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) any |= toll_root(ev[i].cameo);
    if (!any) return false;
    sr_code_toll f, j;
    const char *next = s2 <= s1 ? NULL : text + s1;
    bool from_next = sr_details_tolls_in(a, text + s0, s1 - s0, next, next ? s2 - s1 : 0, next_has_events, doc_date,
                                         &f, &j);
    for (size_t i = 0; i < n; i++) {
        if (!toll_root(ev[i].cameo)) continue;
        ev[i].fatalities = f;
        ev[i].injuries = j;
    }
    return from_next;
}

size_t sr_details_drop_retold(sr_code_event *ev, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const char *src = ev[i].source.code;
        if (toll_root(ev[i].cameo) && (!src || !*src || *src == '~')) continue;
        ev[w++] = ev[i];
    }
    return w;
}

/* Casualties belong to violent events: protests and their repression (14,
 * 17), force posture (15), assaults, fighting and mass violence (18-20). */
static bool toll_root(const char *cameo)
{
    if (!cameo || strlen(cameo) < 2) return false;
    return (cameo[0] == '1' && (cameo[1] == '4' || cameo[1] == '5' || cameo[1] == '7' || cameo[1] == '8' ||
                                cameo[1] == '9')) ||
           (cameo[0] == '2' && cameo[1] == '0');
}

/* ---- tables --------------------------------------------------------------- */

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const code_row *)a)->code, ((const code_row *)b)->code);
}

static const code_row *find_row(const code_row *rows, size_t n, const char *code)
{
    if (!rows || !code) return NULL;
    code_row key = {.code = code};
    return bsearch(&key, rows, n, sizeof *rows, cmp_row);
}

/* modality.tsv: code, intent, threat, negated. cameo_plover.tsv: code,
 * root, name, goldstein, quad, plover_event, ...: the 2021 category. */
static sr_err read_rows(struct sr_details_tables *t, const char *path, FILE *errors, bool mood)
{
    char *data;
    size_t len;
    sr_err e = sr_read_file(path, MAX_TABLE_FILE, &data, &len);
    if (e) {
        fprintf(errors, "sitrep: %s: %s\n", path, sr_strerror(e));
        return e;
    }
    code_row *rows = NULL;
    size_t n = 0, cap = 0;
    int lineno = 0;
    for (char *p = data, *end = data + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        lineno++;
        char *fld[10] = {0};
        int nf = 0;
        char *line = sr_arena_strndup(t->mem, p, (size_t)(le - p));
        p = le + 1;
        if (!line) break;
        if (!line[0] || line[0] == '#' || strncmp(line, "code\t", 5) == 0) continue;
        for (char *f = line; f && nf < 10;) {
            fld[nf++] = f;
            f = strchr(f, '\t');
            if (f) *f++ = 0;
        }
        if (strspn(fld[0], "0123456789") != strlen(fld[0]) || !fld[0][0] || nf < (mood ? 4 : 6)) {
            fprintf(errors, "%s:%d: expected a CAMEO code and %s columns, skipped\n", path, lineno,
                    mood ? "3" : "5");
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 512;
            code_row *nr = realloc(rows, cap * sizeof *rows);
            if (!nr) break;
            rows = nr;
        }
        rows[n++] = mood ? (code_row){fld[0], fld[1], fld[2], fld[3]} : (code_row){fld[0], fld[5], NULL, NULL};
    }
    free(data);
    qsort(rows, n, sizeof *rows, cmp_row);
    if (mood) {
        free(t->mood);
        t->mood = rows;
        t->nmood = n;
    } else {
        free(t->plover);
        t->plover = rows;
        t->nplover = n;
    }
    return SR_OK;
}
