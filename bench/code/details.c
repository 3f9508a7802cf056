/*
 * bench/code, event details with sitrep's own lexicon (data/lexicon):
 *  - PLOVER gold standard (../shared/corpora/events/plover/PLOVER_GSR_CAMEO.txt):
 *    share of sentences with the gold category, and also the gold source
 *    (issue targets: 70 % and 60 %; TABARI with its 2009 dictionaries: 31.2 %
 *    and 26.2 %, quoted);
 *  - ACLED sub-types of the project's short event reports
 *    (tests/fixtures/code/acled_subtypes.tsv): weighted F1 (systems built for
 *    this reach 0.84 on real reports, quoted) and type accuracy;
 *  - speed of coding news sentences with the lexicon, with and without the
 *    detail tables (mood, PLOVER, ACLED, casualties, dates), measured in the
 *    same run: the ratio is what the details cost.
 * Re-run: ./build/bench/code/bench_code  (SR_BENCH_MISSES=1 lists ACLED misses)
 */
#include <time.h>
#include "code_details_support.h"

#define LEXICON SR_SOURCE_DIR "/data/lexicon"
#define PLOVER_GOLD SR_CORPORA "/events/plover/PLOVER_GSR_CAMEO.txt"
#define ACLED_TSV SR_SOURCE_DIR "/tests/fixtures/code/acled_subtypes.tsv"

void sr_bench_details(double seconds);

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sentences per CPU second over the sentences of the ACLED reports. */
static double speed(sr_coder *c, char **s, size_t n, double seconds)
{
    size_t done = 0;
    double t0 = cpu_seconds(), t;
    do {
        for (size_t i = 0; i < n; i++) {
            const sr_code_result *r;
            sr_code_document(c, s[i], strlen(s[i]), 20140105, &r);
        }
        done += n;
    } while ((t = cpu_seconds() - t0) < seconds);
    return done / t;
}

static void bench_speed_details(double seconds)
{
    char *data;
    size_t len;
    if (sr_read_file(ACLED_TSV, 1u << 20, &data, &len)) return;
    char *s[256];
    size_t n = 0;
    for (char *line = strtok(data, "\n"); line && n < 256; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        if (tab) *tab = 0;
        s[n++] = line;
    }
    sr_code_dict *with = NULL, *without = NULL;
    sr_coder *cw = details_coder(LEXICON, &with), *co = NULL;
    if (sr_code_dict_new(&without, NULL) == SR_OK &&
        sr_code_dict_load_project(without, LEXICON "/sitrep.project", NULL) == SR_OK)
        sr_coder_new(&co, without);
    if (cw && co) {
        double a = speed(cw, s, n, seconds), b = speed(co, s, n, seconds);
        printf("details speed: %.0f sentences/s per core with the detail tables, %.0f without "
               "(same lexicon, same run): ratio %.2f\n", a, b, a / b);
    }
    sr_coder_free(cw);
    sr_coder_free(co);
    sr_code_dict_free(with);
    sr_code_dict_free(without);
    free(data);
}

void sr_bench_details(double seconds)
{
    details_score s;
    if (details_plover(LEXICON, PLOVER_GOLD, &s))
        printf("plover gold (sitrep lexicon): %d sentences, category %.1f %%, category+source %.1f %% "
               "(targets 70 / 60; TABARI 2009 dictionaries 31.2 / 26.2, quoted)\n",
               s.n, 100.0 * s.hit / s.n, 100.0 * s.hit_source / s.n);
    else
        printf("plover gold: corpus absent (%s)\n", PLOVER_GOLD);
    if (details_acled(LEXICON, ACLED_TSV, getenv("SR_BENCH_MISSES") ? stdout : NULL, &s))
        printf("acled sub-types (project reports): %d reports, weighted F1 %.3f, type accuracy %.1f %% "
               "(0.84 F1 quoted for systems on real reports)\n", s.n, s.f1, 100.0 * s.type_hit / s.n);
    bench_speed_details(seconds / 2);
}
