/* Near-duplicate test on real news text: how far apart SimHash puts
 * distinct articles, how close it keeps a reprint of each, and how fast
 * the fingerprints are. See README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/xmlreader.h>
#include <openssl/evp.h>
#include "sitrep/ingest.h"

#define MAX_ARTICLES 5000

static char *texts[MAX_ARTICLES];
static size_t lens[MAX_ARTICLES];
static size_t n_articles;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Article texts of a corpus file: every <text> element (LGL, GeoVirus). */
static void load_texts(const char *path)
{
    xmlTextReaderPtr rd = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_HUGE);
    if (!rd)
        return;
    while (xmlTextReaderRead(rd) == 1 && n_articles < MAX_ARTICLES) {
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
            strcmp((const char *)xmlTextReaderConstLocalName(rd), "text") != 0)
            continue;
        xmlChar *t = xmlTextReaderReadString(rd);
        if (t && strlen((char *)t) > 200) {
            texts[n_articles] = strdup((char *)t);
            lens[n_articles] = strlen((char *)t);
            n_articles++;
        }
        xmlFree(t);
    }
    xmlFreeTextReader(rd);
}

static size_t words(const char *s, size_t len)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool w = s[i] != ' ' && s[i] != '\n' && s[i] != '\t';
        n += w && !in;
        in = w;
    }
    return n;
}

/* The same article as another outlet prints it: its own headline instead
 * of the first sentence, curly apostrophes, and a footer. */
static char *reprint(size_t i, size_t *out_len)
{
    static const char *heads[] = {"UPDATE: Officials respond", "Local news in brief", "What we know so far",
                                  "Police and fire report", "From our partners"};
    static const char *feet[] = {
        "Copyright 2009 The Example Gazette. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "Sign up for our morning newsletter to get the day's top stories in your inbox. Follow us on social media for breaking news.",
        "Reporting by our staff; editing by the news desk. Send tips to the newsroom by e-mail or call the hotline any time.",
        "Have a news tip? Contact the editor. Comments on this story are moderated and may take a few minutes to appear online.",
        "This story was updated with additional information from local officials. Check back later for more details as they emerge."};
    const char *s = texts[i];
    const char *dot = strstr(s, ". ");
    const char *body = dot && dot - s < 200 ? dot + 2 : s;
    size_t cap = lens[i] * 3 + 512;
    char *out = malloc(cap);
    size_t o = (size_t)snprintf(out, cap, "%s\n\n", heads[i % 5]);
    for (const char *p = body; *p; p++) {
        if (*p == '\'') {
            memcpy(out + o, "\xe2\x80\x99", 3);
            o += 3;
        } else {
            out[o++] = *p;
        }
    }
    o += (size_t)snprintf(out + o, cap - o, "\n\n%s", feet[i % 5]);
    *out_len = o;
    return out;
}

int main(int argc, char **argv)
{
    const char *corpora[] = {SR_CORPORA "/geo/lgl.xml", SR_CORPORA "/geo/GeoVirus.xml"};
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            load_texts(argv[i]);
    else
        for (int i = 0; i < 2; i++)
            load_texts(corpora[i]);
    if (n_articles < 10) {
        fprintf(stderr, "bench_simhash: no article texts found (looked in %s/geo); pass corpus files\n", SR_CORPORA);
        return 77;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < n_articles; i++)
        bytes += lens[i];

    uint64_t *h = malloc(n_articles * sizeof *h);
    double t0 = cpu_now();
    for (int rep = 0; rep < 5; rep++)
        for (size_t i = 0; i < n_articles; i++)
            h[i] = sr_simhash(texts[i], lens[i]);
    double t_sim = (cpu_now() - t0) / 5;
    t0 = cpu_now();
    uint8_t digest[32];
    for (int rep = 0; rep < 5; rep++)
        for (size_t i = 0; i < n_articles; i++)
            sr_content_hash(texts[i], lens[i], digest);
    double t_hash = (cpu_now() - t0) / 5;
    t0 = cpu_now();
    unsigned int dl;
    for (int rep = 0; rep < 5; rep++)
        for (size_t i = 0; i < n_articles; i++)
            EVP_Digest(texts[i], lens[i], digest, &dl, EVP_sha256(), NULL);
    double t_sha = (cpu_now() - t0) / 5;

    /* Distinct articles: the distance histogram over every pair. Pairs
     * within the threshold are printed: a corpus can hold real reprints. */
    size_t pairs = 0, near = 0, hist[65] = {0};
    for (size_t i = 0; i < n_articles; i++)
        for (size_t j = i + 1; j < n_articles; j++) {
            int d = sr_simhash_distance(h[i], h[j]);
            hist[d]++;
            pairs++;
            if (d <= SR_SIMHASH_NEAR) {
                near++;
                if (near <= 10)
                    printf("  near pair (distance %d): \"%.60s\" / \"%.60s\"\n", d, texts[i], texts[j]);
            }
        }
    size_t below = 0, p01 = 0;
    for (int d = 0; d <= 64; d++) {
        below += hist[d];
        if (!p01 && below * 1000 >= pairs)
            p01 = (size_t)d;
    }
    /* How the threshold trades the two: false pairs and reprints found. */
    uint64_t *rh = malloc(n_articles * sizeof *rh);
    for (size_t i = 0; i < n_articles; i++) {
        size_t len;
        char *r = reprint(i, &len);
        rh[i] = sr_simhash(r, len);
        free(r);
    }
    printf("threshold  distinct pairs within  reprints within\n");
    for (int t = 6; t <= 16; t += 2) {
        size_t fp = 0, tp = 0;
        for (int d = 0; d <= t; d++)
            fp += hist[d];
        for (size_t i = 0; i < n_articles; i++)
            tp += sr_simhash_distance(h[i], rh[i]) <= t;
        printf("%9d  %21zu  %8.1f%%%s\n", t, fp, 100.0 * tp / n_articles, t == SR_SIMHASH_NEAR ? "  <- SR_SIMHASH_NEAR" : "");
    }
    free(rh);
    /* Reprints, by length of the article. */
    size_t found[3] = {0}, total[3] = {0};
    long dist_sum[3] = {0};
    for (size_t i = 0; i < n_articles; i++) {
        size_t len;
        char *r = reprint(i, &len);
        int d = sr_simhash_distance(h[i], sr_simhash(r, len));
        size_t w = words(texts[i], lens[i]);
        int b = w < 150 ? 0 : w < 400 ? 1 : 2;
        total[b]++;
        found[b] += d <= SR_SIMHASH_NEAR;
        dist_sum[b] += d;
        free(r);
    }
    printf("articles: %zu (%.1f MB of text)\n", n_articles, bytes / 1e6);
    printf("distinct pairs: %zu; within %d bits: %zu (%.4f%%); 0.1th percentile distance: %zu bits\n",
           pairs, SR_SIMHASH_NEAR, near, 100.0 * near / pairs, p01);
    const char *bucket[] = {"< 150 words", "150-400 words", ">= 400 words"};
    for (int b = 0; b < 3; b++)
        if (total[b])
            printf("reprints %-14s: %zu/%zu within %d bits (%.1f%%), mean distance %.1f\n", bucket[b], found[b],
                   total[b], SR_SIMHASH_NEAR, 100.0 * found[b] / total[b], (double)dist_sum[b] / total[b]);
    printf("simhash: %.0f MB/s; content hash: %.0f MB/s = %.0f%% of raw SHA-256 over the same bytes (%.0f MB/s)\n",
           bytes / 1e6 / t_sim, bytes / 1e6 / t_hash, 100.0 * t_sha / t_hash, bytes / 1e6 / t_sha);
    for (size_t i = 0; i < n_articles; i++)
        free(texts[i]);
    free(h);
    return 0;
}
