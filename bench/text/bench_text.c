/*
 * bench_text: speed of the text basics on news text, and a sanity figure
 * for sentence splitting.
 *
 * Re-run:  cmake --build build --target bench_text && ./build/bench/text/bench_text [SECONDS]
 *
 * Text: the LGL news articles, PETRARCH's unit-test records and TABARI's
 * demo text from ../shared/corpora (SR_CORPORA) when present, else a
 * project-written sample repeated. Speed is printed against a bound
 * measured in the same run: memchr for '.' over the same bytes, the least
 * any splitter must do. The event coder needs >= 90,000 sentences/s per core
 * overall, so splitting and tokenising should be far above that.
 *
 * Quality: PETRARCH's records and the PLOVER gold sentences are each one
 * sentence (a few records hold two); the share split into exactly one is
 * printed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/text.h"

#define MAX_DOCS 4096

struct doc {
    const char *text;
    size_t len;
};

static struct doc docs[MAX_DOCS];
static size_t ndocs;
static char *files[8];
static size_t nfiles;

static char *load(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SR_CORPORA, name);
    char *data;
    if (sr_read_file(path, 64u << 20, &data, len) != SR_OK)
        return NULL;
    files[nfiles++] = data;
    return data;
}

/* Adds every text between `open` and `close` in a file as a document. */
static size_t add_between(const char *name, const char *open, const char *close)
{
    size_t len, added = 0;
    char *data = load(name, &len);
    if (!data)
        return 0;
    for (char *p = data; ndocs < MAX_DOCS && (p = strstr(p, open));) {
        p += strlen(open);
        char *e = strstr(p, close);
        if (!e)
            break;
        docs[ndocs++] = (struct doc){p, (size_t)(e - p)};
        added++;
        p = e;
    }
    return added;
}

static const char sample[] =
    "Militants take Fallujah\n\n"
    "BAGHDAD (AP) - Al Qaeda-linked militants have taken Fallujah and parts of Ramadi, "
    "U.S. officials said on Sunday. The Iraqi army went on the attack early Monday. "
    "Nearly 8,000 civilians were killed in 2013, the U.N. said. \"We will fight until the "
    "end,\" Lt. Col. Ahmed Ali said at 9 a.m. local time. At least 12 people died and "
    "dozens were wounded last week.\n";

static double run_sentences(double secs, size_t *sentences, size_t *bytes)
{
    sr_arena *a = sr_arena_new(0);
    double t0 = sr_now(), t;
    *sentences = *bytes = 0;
    do {
        for (size_t i = 0; i < ndocs; i++) {
            sr_sentence *s;
            size_t n;
            sr_text_sentences(a, docs[i].text, docs[i].len, &s, &n);
            *sentences += n;
            *bytes += docs[i].len;
            sr_arena_reset(a);
        }
    } while ((t = sr_now() - t0) < secs);
    sr_arena_free(a);
    return t;
}

static double run_tokens(double secs, size_t *tokens, size_t *bytes)
{
    sr_arena *a = sr_arena_new(0);
    double t0 = sr_now(), t;
    *tokens = *bytes = 0;
    do {
        for (size_t i = 0; i < ndocs; i++) {
            sr_token *tk;
            size_t n;
            sr_text_tokens(a, docs[i].text, docs[i].len, &tk, &n);
            *tokens += n;
            *bytes += docs[i].len;
            sr_arena_reset(a);
        }
    } while ((t = sr_now() - t0) < secs);
    sr_arena_free(a);
    return t;
}

static double run_numbers(double secs, size_t *found, size_t *bytes)
{
    sr_arena *a = sr_arena_new(0);
    double t0 = sr_now(), t;
    *found = *bytes = 0;
    do {
        for (size_t i = 0; i < ndocs; i++) {
            sr_number *num;
            size_t n;
            sr_text_numbers(a, docs[i].text, docs[i].len, &num, &n);
            *found += n;
            *bytes += docs[i].len;
            sr_arena_reset(a);
        }
    } while ((t = sr_now() - t0) < secs);
    sr_arena_free(a);
    return t;
}

static double run_dates(double secs, size_t *found, size_t *bytes)
{
    sr_arena *a = sr_arena_new(0);
    double t0 = sr_now(), t;
    sr_ymd doc = {2014, 1, 9};
    *found = *bytes = 0;
    do {
        for (size_t i = 0; i < ndocs; i++) {
            sr_date *d;
            size_t n;
            sr_text_dates(a, docs[i].text, docs[i].len, doc, &d, &n);
            *found += n;
            *bytes += docs[i].len;
            sr_arena_reset(a);
        }
    } while ((t = sr_now() - t0) < secs);
    sr_arena_free(a);
    return t;
}

/* What the coder does: tokens once per document, then numbers and dates
 * over each sentence's run of tokens. */
static double run_pipeline(double secs, size_t *sentences, size_t *bytes)
{
    sr_arena *a = sr_arena_new(0);
    double t0 = sr_now(), t;
    sr_ymd doc = {2014, 1, 9};
    *sentences = *bytes = 0;
    do {
        for (size_t i = 0; i < ndocs; i++) {
            sr_token *tk;
            size_t n;
            sr_text_tokens(a, docs[i].text, docs[i].len, &tk, &n);
            for (size_t s = 0, e; s < n; s = e) {
                for (e = s + 1; e < n && !(tk[e].flags & SR_TOKEN_SENTENCE_START); e++)
                    ;
                sr_number *num;
                sr_date *d;
                size_t k;
                sr_text_numbers_in(a, docs[i].text, tk + s, e - s, &num, &k);
                sr_text_dates_in(a, docs[i].text, tk + s, e - s, doc, &d, &k);
                ++*sentences;
            }
            *bytes += docs[i].len;
            sr_arena_reset(a);
        }
    } while ((t = sr_now() - t0) < secs);
    sr_arena_free(a);
    return t;
}

static double run_memchr(double secs, size_t *stops, size_t *bytes)
{
    double t0 = sr_now(), t;
    *stops = *bytes = 0;
    do {
        for (size_t i = 0; i < ndocs; i++) {
            const char *p = docs[i].text, *end = p + docs[i].len;
            while ((p = memchr(p, '.', (size_t)(end - p)))) {
                ++*stops;
                p++;
            }
            *bytes += docs[i].len;
        }
    } while ((t = sr_now() - t0) < secs);
    return t;
}

/* Share of one-sentence texts that split into exactly one sentence. */
static void quality(const char *label, const char **texts, size_t n)
{
    sr_arena *a = sr_arena_new(0);
    size_t one = 0;
    for (size_t i = 0; i < n; i++) {
        sr_sentence *s;
        size_t k;
        sr_text_sentences(a, texts[i], strlen(texts[i]), &s, &k);
        one += k == 1;
        if (k != 1 && getenv("SR_BENCH_VERBOSE"))
            fprintf(stderr, "split into %zu: %s\n", k, texts[i]);
        sr_arena_reset(a);
    }
    printf("%-34s %zu of %zu split into one sentence (%.1f %%)\n", label, one, n, n ? 100.0 * one / n : 0);
    sr_arena_free(a);
}

static void quality_petrarch(void)
{
    static const char *texts[MAX_DOCS];
    static char copies[MAX_DOCS][2048];
    size_t n = 0, len;
    char *data = load("events/phoenix/PETR.UnitTest.records.xml", &len);
    if (!data)
        return;
    for (char *p = data; n < MAX_DOCS && (p = strstr(p, "<Text>"));) {
        p += 6;
        char *e = strstr(p, "</Text>");
        if (!e || (size_t)(e - p) >= sizeof copies[0])
            break;
        memcpy(copies[n], p, (size_t)(e - p));
        copies[n][e - p] = '\0';
        texts[n] = copies[n];
        n++;
        p = e;
    }
    quality("PETRARCH unit-test records:", texts, n);
}

static void quality_plover(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/events/plover/PLOVER_GSR_CAMEO.txt", SR_CORPORA);
    json_t *root = json_load_file(path, 0, NULL);
    if (!json_is_array(root)) {
        json_decref(root);
        return;
    }
    static const char *texts[MAX_DOCS];
    size_t n = 0, i;
    json_t *rec;
    json_array_foreach(root, i, rec) {
        const char *t = json_string_value(json_object_get(rec, "text"));
        if (t && n < MAX_DOCS)
            texts[n++] = t;
    }
    quality("PLOVER gold sentences:", texts, n);
    json_decref(root);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 2.0;
    size_t lgl = add_between("geo/lgl.xml", "<text><![CDATA[", "]]></text>");
    size_t petr = add_between("events/phoenix/PETR.UnitTest.records.xml", "<Text>", "</Text>");
    size_t demo = 0, len;
    char *d = load("events/tabari/TABARI.Demo.text", &len);
    if (d && ndocs < MAX_DOCS) {
        docs[ndocs++] = (struct doc){d, len};
        demo = 1;
    }
    if (ndocs == 0) {
        printf("corpora not found at %s: timing a project-written sample\n", SR_CORPORA);
        for (; ndocs < 1000; ndocs++)
            docs[ndocs] = (struct doc){sample, sizeof sample - 1};
    } else {
        printf("text: %zu LGL articles, %zu PETRARCH records, %zu TABARI demo file\n", lgl, petr, demo);
    }

    size_t stops, sents, toks, nums, dates, piped, b0, b1, b2, b3, b4, b5;
    double t0 = run_memchr(secs, &stops, &b0);
    double t1 = run_sentences(secs, &sents, &b1);
    double t2 = run_tokens(secs, &toks, &b2);
    double t3 = run_numbers(secs, &nums, &b3);
    double t4 = run_dates(secs, &dates, &b4);
    double t5 = run_pipeline(secs, &piped, &b5);
    double bound = b0 / t0 / 1e6, per_byte = (double)sents / b1;
    printf("memchr '.' bound:       %8.1f MB/s\n", bound);
    printf("sentences: %8.1f MB/s (%.3f of the bound) %10.0f sentences/s  (%.1fx the coder's 90,000/s)\n",
           b1 / t1 / 1e6, b1 / t1 / 1e6 / bound, sents / t1, sents / t1 / 90000.0);
    printf("tokens:    %8.1f MB/s (%.3f of the bound) %10.0f sentences/s, %.0f tokens/s\n",
           b2 / t2 / 1e6, b2 / t2 / 1e6 / bound, per_byte * b2 / t2, toks / t2);
    size_t corpus = 0;
    for (size_t i = 0; i < ndocs; i++)
        corpus += docs[i].len;
    printf("numbers:   %8.1f MB/s (%.3f of the bound) %10.0f sentences/s, %.0f found per pass\n",
           b3 / t3 / 1e6, b3 / t3 / 1e6 / bound, per_byte * b3 / t3, nums / ((double)b3 / corpus));
    printf("dates:     %8.1f MB/s (%.3f of the bound) %10.0f sentences/s, %.0f found per pass\n",
           b4 / t4 / 1e6, b4 / t4 / 1e6 / bound, per_byte * b4 / t4, dates / ((double)b4 / corpus));

    printf("tokens, then numbers and dates per sentence: %8.1f MB/s (%.3f of the bound) %10.0f sentences/s "
           "(%.1fx the coder's 90,000/s)\n",
           b5 / t5 / 1e6, b5 / t5 / 1e6 / bound, piped / t5, piped / t5 / 90000.0);

    quality_petrarch();
    quality_plover();
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    return 0;
}
