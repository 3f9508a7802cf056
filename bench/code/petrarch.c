/* PETRARCH's unit-test records, read for the benchmark: each valid
 * <Sentence> has its <Text> and the <EventCoding> elements it expects. The
 * parse trees are ignored: sitrep codes the text. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/code.h"
#include "sitrep/util.h"

typedef struct ev { char s[64], t[64], c[32]; } ev;

static int ev_cmp(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    int r = strcmp(x->s, y->s);
    if (!r) r = strcmp(x->t, y->t);
    if (!r) r = strcmp(x->c, y->c);
    return r;
}

/* Value of attribute name="..." (or '...', blanks around '=') in tag. */
static bool attr(const char *tag, const char *end, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = tag; p && p < end; p = strstr(p + 1, name)) {
        p = strstr(p, name);
        if (!p || p >= end) return false;
        if (p > tag && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n') continue;
        const char *q = p + nl;
        while (*q == ' ') q++;
        if (*q != '=') continue;
        q++;
        while (*q == ' ') q++;
        char quote = *q;
        if (quote != '"' && quote != '\'') return false;
        const char *v = q + 1, *e = strchr(v, quote);
        if (!e || e > end) return false;
        snprintf(out, n, "%.*s", (int)(e - v), v);
        /* codes written as '""' mean an empty code */
        if (!strcmp(out, "\"\"")) out[0] = 0;
        return true;
    }
    return false;
}

/* The next <Sentence or <Config tag from p. */
static char *next_item(char *p)
{
    char *s = strstr(p, "<Sentence "), *k = strstr(p, "<Config ");
    return !s ? k : !k ? s : s < k ? s : k;
}

/* One of PETRARCH's <Config> options as the coder's option line.
 * PETRARCH drops a comma clause of lo <= words <= hi, a maximum of 0
 * turning that kind off; the coder's COMMA: limits read lo < words <= hi. */
static void apply_config(sr_code_dict *d, const char *opt, const char *val)
{
    char line[128];
    bool off = strstr(val, "false") || strstr(val, "False") || strstr(val, "FALSE");
    if (!strcmp(opt, "new_actor_length")) {
        snprintf(line, sizeof line, "SET: NEW ACTOR LENGTH = %d", atoi(val));
    } else if (!strcmp(opt, "require_dyad")) {
        snprintf(line, sizeof line, "SET: REQUIRE DYAD = %s", off ? "FALSE" : "TRUE");
    } else if (!strncmp(opt, "comma_", 6)) {
        static const char *const names[][2] = {{"comma_min", "MIN"}, {"comma_max", "MAX"}, {"comma_emin", "EMIN"},
                                               {"comma_emax", "EMAX"}, {"comma_bmin", "BMIN"}, {"comma_bmax", "BMAX"}};
        const char *key = NULL;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (!strcmp(opt, names[i][0])) key = names[i][1];
        if (!key) return;
        int n = atoi(val);
        bool is_min = strstr(key, "MIN") != NULL;
        snprintf(line, sizeof line, "COMMA: %s = %d", key, is_min ? (n > 0 ? n - 1 : 0) : n);
    } else {
        return;
    }
    sr_code_dict_option(d, line);
}

int sr_bench_petrarch(const char *records, const char *dir, int *valid, int *passed);

int sr_bench_petrarch(const char *records, const char *dir, int *valid, int *passed)
{
    char *x;
    size_t len;
    if (sr_read_file(records, 64u << 20, &x, &len)) return -1;
    sr_code_dict *d;
    FILE *quiet = fopen("/dev/null", "w");
    sr_code_dict_new(&d, quiet);
    static const char *const files[] = {"PETR.Validate.actors.txt", "PETR.Validate.agents.txt",
                                        "PETR.Validate.discards.txt", "PETR.Validate.verbs.txt", NULL};
    for (int i = 0; files[i]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        sr_code_dict_load(d, path);
    }
    /* PETRARCH matches actor and agent words whole, with their plurals */
    sr_code_dict_option(d, "SET: STEMMING = FALSE");
    sr_code_dict_option(d, "SET: NULL ACTORS = TRUE");
    sr_code_dict_option(d, "SET: SHARED AGENTS = TRUE");
    sr_code_dict_option(d, "SET: NOUN PHRASES = TRUE");
    sr_code_dict_option(d, "SET: TARGET COMPOUND = TRUE");
    sr_code_dict_option(d, "SET: CLOSED SYNSETS = TRUE");
    /* PETRARCH's own defaults (PETR_config.ini): comma clauses of 2 to 8
     * words inside and at the end are dropped, none at the beginning; an
     * event needs a source and a target other than the bare null actor */
    apply_config(d, "comma_min", "2");
    apply_config(d, "comma_max", "8");
    apply_config(d, "comma_emin", "2");
    apply_config(d, "comma_emax", "8");
    apply_config(d, "comma_bmax", "0");
    apply_config(d, "require_dyad", "true");
    sr_coder *c;
    sr_coder_new(&c, d);
    *valid = *passed = 0;
    FILE *log = getenv("SR_BENCH_VERBOSE") ? stdout : NULL;
    for (char *p = next_item(x); p; p = next_item(p + 1)) {
        char *tag_end = strchr(p, '>');
        if (!tag_end) break;
        if (strncmp(p, "<Config", 7) == 0) {
            /* the records change PETRARCH's options as they go (its
             * validation reader applies each <Config> in file order) */
            char opt[64], val[64];
            if (attr(p, tag_end, "option", opt, sizeof opt) && attr(p, tag_end, "value", val, sizeof val))
                apply_config(d, opt, val);
            continue;
        }
        char *close = strstr(p, "</Sentence>");
        if (!close) break;
        char val[64], date[32] = "", id[128] = "";
        if (!attr(p, tag_end, "sentence", val, sizeof val) || strcmp(val, "true") != 0) continue;
        attr(p, tag_end, "date", date, sizeof date);
        attr(p, tag_end, "id", id, sizeof id);
        ev want[64];
        int nw = 0;
        bool error = false;
        for (char *e = strstr(p, "<EventCoding"); e && e < close; e = strstr(e + 1, "<EventCoding")) {
            char *ee = strchr(e, '>');
            if (attr(e, ee, "error", val, sizeof val)) error = true;
            if (nw < 64 && attr(e, ee, "eventcode", want[nw].c, sizeof want[nw].c)) {
                attr(e, ee, "sourcecode", want[nw].s, sizeof want[nw].s);
                attr(e, ee, "targetcode", want[nw].t, sizeof want[nw].t);
                nw++;
            }
        }
        if (error) continue;
        char *t = strstr(p, "<Text>");
        char *te = t ? strstr(t, "</Text>") : NULL;
        if (!t || !te || te > close) continue;
        t += 6;
        (*valid)++;
        const sr_code_result *r;
        sr_code_sentence(c, t, (size_t)(te - t), atoi(date), 0, &r);
        ev got[64];
        int ng = 0;
        for (size_t i = 0; i < r->n_events && ng < 64; i++, ng++) {
            snprintf(got[ng].s, sizeof got[ng].s, "%s", r->events[i].source.code);
            snprintf(got[ng].t, sizeof got[ng].t, "%s", r->events[i].target.code);
            snprintf(got[ng].c, sizeof got[ng].c, "%s", r->events[i].cameo);
        }
        qsort(want, (size_t)nw, sizeof *want, ev_cmp);
        qsort(got, (size_t)ng, sizeof *got, ev_cmp);
        bool same = nw == ng;
        for (int i = 0; same && i < nw; i++) same = ev_cmp(&want[i], &got[i]) == 0;
        if (same) (*passed)++;
        else if (log) {
            fprintf(log, "petrarch %s: expected", id);
            for (int i = 0; i < nw; i++) fprintf(log, " {%s/%s/%s}", want[i].s, want[i].t, want[i].c);
            fprintf(log, "; coded");
            for (int i = 0; i < ng; i++) fprintf(log, " {%s/%s/%s}", got[i].s, got[i].t, got[i].c);
            fprintf(log, "\n");
        }
    }
    sr_coder_free(c);
    sr_code_dict_free(d);
    fclose(quiet);
    free(x);
    return 0;
}
