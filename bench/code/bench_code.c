/*
 * bench/code: the coder against TABARI's validation suite and PETRARCH's unit
 * tests, its speed against a plain tokenisation pass over the same
 * sentences, and the load time of the Phoenix dictionaries. See README.md.
 *
 *   ./build/bench/code/bench_code [SECONDS]
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sitrep/code.h"
#include "sitrep/util.h"

#define TABARI SR_CORPORA "/events/tabari"
#define DICTS SR_CORPORA "/events/tabari-dicts"
#define PHOENIX SR_CORPORA "/events/phoenix"

/* TABARI 0.8.4's speed with its dictionaries, as reported for this corpus. */
#define TABARI_RECORDS_PER_S 44600.0

/* CPU seconds of this thread: "per core" figures stay honest when the
 * machine is shared and the wall clock runs on without us. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct sentences {
    char **s;
    size_t *len;
    size_t n, cap;
} sentences;

static void add_sentence(sentences *v, const char *s, size_t n)
{
    while (n && isspace((unsigned char)s[n - 1])) n--;
    while (n && isspace((unsigned char)*s)) s++, n--;
    if (!n) return;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->s = realloc(v->s, v->cap * sizeof *v->s);
        v->len = realloc(v->len, v->cap * sizeof *v->len);
    }
    v->s[v->n] = strndup(s, n);
    v->len[v->n++] = n;
}

/* Record texts of a TABARI .text file, comments removed. */
static void read_records(sentences *v, const char *path)
{
    char *text;
    size_t len;
    if (sr_read_file(path, 64u << 20, &text, &len)) return;
    sr_buf rec;
    sr_buf_init(&rec, 1u << 20);
    bool in = false;
    char *p = text, *end = text + len;
    while (p <= end) {
        char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        char *le = nl ? nl : end;
        bool header = le - p > 7 && strspn(p, "0123456789") >= 6 && !isspace((unsigned char)p[0]);
        if ((header || p >= end || *p == '#') && in) {
            /* drop what is between comment marks */
            sr_buf out;
            sr_buf_init(&out, 1u << 20);
            const char *s = rec.data ? rec.data : "";
            for (;;) {
                const char *o = strstr(s, "/*");
                if (!o) { sr_buf_puts(&out, s); break; }
                sr_buf_append(&out, s, (size_t)(o - s));
                const char *c = strstr(o, "*/");
                if (!c) break;
                s = c + 2;
            }
            if (out.data) add_sentence(v, out.data, out.len);
            sr_buf_free(&out);
            in = false;
        }
        if (p >= end) break;
        if (header) {
            in = true;
            sr_buf_reset(&rec);
        } else if (in) {
            sr_buf_append(&rec, p, (size_t)(le - p));
            sr_buf_putc(&rec, ' ');
        }
        p = le + 1;
    }
    sr_buf_free(&rec);
    free(text);
}

/* The bound: what any coder must at least do, split and upper-case words. */
static size_t tokenise_only(const char *s, size_t n, char *buf)
{
    size_t words = 0, j = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalnum(ch) || ch == '\'' || ch == '.') {
            buf[j++] = (char)toupper(ch);
            if (!in) words++;
            in = true;
        } else {
            if (in) buf[j++] = ' ';
            in = false;
        }
    }
    buf[j] = 0;
    return words;
}

static double rate(const sentences *v, sr_coder *c, double seconds, size_t *events)
{
    size_t done = 0;
    *events = 0;
    double t0 = cpu_now(), t;
    do {
        for (size_t i = 0; i < v->n; i++) {
            const sr_code_result *r;
            sr_code_sentence(c, v->s[i], v->len[i], 20000101, 0, &r);
            *events += r->n_events;
        }
        done += v->n;
        t = cpu_now() - t0;
    } while (t < seconds);
    return (double)done / t;
}

static double rate_tokenise(const sentences *v, double seconds)
{
    size_t done = 0, words = 0;
    char *buf = malloc(1u << 20);
    double t0 = cpu_now(), t;
    do {
        for (size_t i = 0; i < v->n; i++) words += tokenise_only(v->s[i], v->len[i], buf);
        done += v->n;
        t = cpu_now() - t0;
    } while (t < seconds);
    free(buf);
    if (words == 0) fprintf(stderr, "no words\n");
    return (double)done / t;
}

static void bench_validation(void)
{
    sr_code_validation v;
    if (sr_code_validate(TABARI "/Validate.project", NULL, NULL, &v)) {
        printf("tabari validation: could not run\n");
        return;
    }
    printf("tabari validation: %d of %d coded records as TABARI codes them (%d records, %d option records)\n",
           v.passed, v.records - v.options, v.records, v.options);
}

int sr_bench_petrarch(const char *records, const char *dir, int *valid, int *passed);

static void bench_speed(double seconds)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "unzip -o -q '%s/CountryInfo.120116.actors.zip' -d '%s'", DICTS, SR_BENCH_DIR);
    if (system(cmd) != 0) {
        printf("speed: cannot unzip CountryInfo (is unzip installed?)\n");
        return;
    }
    sr_code_dict *d;
    FILE *quiet = fopen("/dev/null", "w");
    sr_code_dict_new(&d, quiet);
    double t0 = sr_now();
    sr_code_dict_load(d, TABARI "/CAMEO.091003.master.verbs");
    sr_code_dict_load(d, SR_BENCH_DIR "/CountryInfo.120116.actors");
    sr_code_dict_load(d, DICTS "/Internatnl.120521.actors");
    sr_code_dict_load(d, DICTS "/Levant.080629.actors");
    sr_code_dict_load(d, DICTS "/PSU.120522.agents");
    double load = sr_now() - t0;
    sentences v = {0};
    read_records(&v, TABARI "/TABARI.Demo.text");
    read_records(&v, TABARI "/Validate.text");
    sr_coder *c;
    sr_coder_new(&c, d);
    size_t events;
    double coded = rate(&v, c, seconds, &events);
    double bound = rate_tokenise(&v, seconds);
    printf("speed: %zu sentences, %zu dictionary entries loaded in %.0f ms\n", v.n, sr_code_dict_size(d), load * 1000);
    size_t per_pass = 0;
    for (size_t i = 0; i < v.n; i++) {
        const sr_code_result *r;
        sr_code_sentence(c, v.s[i], v.len[i], 20000101, 0, &r);
        per_pass += r->n_events;
    }
    (void)events;
    printf("speed: %.0f sentences/s per core coding (%zu events per pass over the sentences)\n", coded, per_pass);
    printf("speed: %.0f sentences/s per core for a plain tokenisation pass (the bound)\n", bound);
    printf("speed: coder / tokenisation = %.3f; coder / TABARI's %.0f records/s = %.2fx (target >= 2x, 90,000/s)\n",
           coded / bound, TABARI_RECORDS_PER_S, coded / TABARI_RECORDS_PER_S);
    sr_coder_free(c);
    sr_code_dict_free(d);
    fclose(quiet);
    for (size_t i = 0; i < v.n; i++) free(v.s[i]);
    free(v.s);
    free(v.len);
}

static void bench_phoenix_load(void)
{
    static const char *const files[] = {"Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                                        "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt",
                                        "Phoenix.discards.txt", NULL};
    double best = 1e9;
    size_t entries = 0;
    FILE *quiet = fopen("/dev/null", "w");
    for (int run = 0; run < 5; run++) {
        sr_code_dict *d;
        double t0 = cpu_now();
        sr_code_dict_new(&d, quiet);
        for (int i = 0; files[i]; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", PHOENIX, files[i]);
            sr_code_dict_load(d, path);
        }
        double t = cpu_now() - t0;
        if (t < best) best = t;
        entries = sr_code_dict_size(d);
        sr_code_dict_free(d);
    }
    fclose(quiet);
    printf("phoenix load: %zu entries in %.1f ms (CPU time, best of 5; target <= 100 ms)\n", entries, best * 1000);
}

void sr_bench_details(double seconds);  /* details.c */

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    sr_bench_details(seconds);
    if (access(TABARI "/Validate.project", R_OK) != 0) {
        printf("corpora absent (%s): nothing to measure\n", SR_CORPORA);
        return 0;
    }
    bench_validation();
    int valid = 0, passed = 0;
    if (sr_bench_petrarch(PHOENIX "/PETR.UnitTest.records.xml", PHOENIX, &valid, &passed) == 0)
        printf("petrarch unit tests: %d of %d valid records (%.1f %%; target >= 90 %%)\n", passed, valid,
               valid ? 100.0 * passed / valid : 0.0);
    bench_speed(seconds);
    bench_phoenix_load();
    return 0;
}
