/*
 * bench/code, event details with sitrep's own lexicon (data/lexicon):
 *  - PLOVER gold standard (../shared/corpora/events/plover/PLOVER_GSR_CAMEO.txt):
 *    share of sentences with the gold category, and also the gold source
 *    (issue targets: 70 % and 60 %; TABARI with its 2009 dictionaries: 31.2 %
 *    and 26.2 %, quoted);
 *  - ACLED sub-types of the project's short event reports
 *    (tests/fixtures/code/acled_subtypes.tsv): weighted F1 (systems built for
 *    this reach 0.84 on real reports, quoted) and type accuracy;
 *  - speed of coding with the lexicon, with and without the detail tables
 *    (mood, PLOVER, ACLED, casualties, dates), measured in the same run: the
 *    ratio is what the details cost. Twice: on news text (the issue's
 *    figure: target >= 90,000 sentences/s per core and ratio >= 0.9), the
 *    article bodies of the project's example pages and of the English pages
 *    of ../shared/corpora/extract, extracted at bench time and coded a
 *    document at a time as the pipeline does; and on the project's ACLED
 *    reports, where every sentence is violent (the worst case).
 * Re-run: ./build/bench/code/bench_code  (SR_BENCH_MISSES=1 lists ACLED misses)
 */
#include <time.h>
#include "code_details_support.h"
#include "sitrep/text.h"

#define LEXICON SR_SOURCE_DIR "/data/lexicon"
#define PLOVER_GOLD SR_CORPORA "/events/plover/PLOVER_GSR_CAMEO.txt"
#define ACLED_TSV SR_SOURCE_DIR "/tests/fixtures/code/acled_subtypes.tsv"
#define EXAMPLES SR_SOURCE_DIR "/data/examples"
#define READABILITY SR_CORPORA "/extract/readability-test-pages"
#define TRAFILATURA SR_CORPORA "/extract/trafilatura-eval/tests/cache"
#define MAX_DOCS 512
#define MAX_PAGE (8u << 20)
#define NEWS_DATE 20240115

typedef struct news {
    sr_arena *mem;
    const char *doc[MAX_DOCS];
    size_t len[MAX_DOCS];
    size_t ndoc, nsent, pages;
} news;

void sr_bench_details(double seconds);
size_t sr_bench_news_pages(const char *dir, sr_arena *mem, const char **doc, size_t *len, size_t n, size_t max);  /* news.c */

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

/* Sentences per CPU second, coding whole article bodies. */
static double speed_docs(sr_coder *c, const news *nw, double seconds)
{
    size_t done = 0;
    double t0 = cpu_seconds(), t;
    do {
        for (size_t i = 0; i < nw->ndoc; i++) {
            const sr_code_result *r;
            sr_code_document(c, nw->doc[i], nw->len[i], NEWS_DATE, &r);
        }
        done += nw->nsent;
    } while ((t = cpu_seconds() - t0) < seconds);
    return done / t;
}

static void bench_speed_news(sr_coder *cw, sr_coder *co, double seconds)
{
    news nw = {.mem = sr_arena_new(256u << 20)};
    if (nw.mem) {
        const char *const dirs[] = {EXAMPLES, READABILITY, TRAFILATURA};
        for (size_t i = 0; i < 3; i++)
            nw.ndoc = sr_bench_news_pages(dirs[i], nw.mem, nw.doc, nw.len, nw.ndoc, MAX_DOCS);
        for (size_t i = 0; i < nw.ndoc; i++) {
            sr_sentence *ss;
            size_t n;
            if (sr_text_sentences(nw.mem, nw.doc[i], nw.len[i], &ss, &n) == SR_OK) nw.nsent += n;
        }
        nw.pages = nw.ndoc;
    }
    if (nw.nsent) {
        double a = speed_docs(cw, &nw, seconds), b = speed_docs(co, &nw, seconds);
        printf("details speed, news text (%zu English article bodies, %zu sentences): %.0f sentences/s per core "
               "with the detail tables, %.0f engine only (same lexicon, same run): ratio %.2f "
               "(targets >= 90000 and >= 0.90)\n",
               nw.pages, nw.nsent, a, b, a / b);
    }
    sr_arena_free(nw.mem);
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
        bench_speed_news(cw, co, seconds);
        double a = speed(cw, s, n, seconds), b = speed(co, s, n, seconds);
        printf("details speed, ACLED reports (every sentence violent: worst case): %.0f sentences/s per core with the detail tables, %.0f without "
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
