/* bench_story: the story search of the writer (pipeline.c's find_story)
 * with a full ring of recent articles: each new article is compared with
 * every recent one whose place mask meets its own and whose terms may
 * share enough weight (pl_story_may_join), on the story signatures of a
 * real store. Beside it, in the same run: the same search without the
 * weight bound (every such pair's terms compared, as the writer did
 * before), which must find the same stories, and the loop that only tests
 * the masks.
 *
 *   build/bench/pipeline/bench_story STORE.db      (a store ingest made,
 *   e.g. of the bench WARC: bench_pipeline.sh keeps none, so ingest one)
 *
 * The signatures of the store fill all 32,768 slots (cycled through as
 * often as it takes), then each of them in turn is the new article; the
 * figures are microseconds per new article. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/store.h"
#include "pipeline_int.h"

#define SLOTS 32768

struct sigs {
    pl_story_sig *s;
    size_t n, cap;
};

static int take(const sr_store_article *a, void *ctx)
{
    struct sigs *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 1024;
        g->s = realloc(g->s, g->cap * sizeof *g->s);
        if (!g->s)
            exit(1);
    }
    if (pl_story_sig_decode(a->story_sig, &g->s[g->n]) && g->s[g->n].n_terms)
        g->n++;
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_story STORE.db\n");
        return 2;
    }
    sr_store *st;
    char err[512];
    if (sr_store_open(argv[1], SR_STORE_READONLY, &st, err, sizeof err)) {
        fprintf(stderr, "bench_story: %s\n", err);
        return 1;
    }
    struct sigs g = {0};
    sr_store_articles_recent(st, 0, take, &g);
    sr_store_close(st);
    if (!g.n) {
        fprintf(stderr, "bench_story: %s has no story signatures\n", argv[1]);
        return 1;
    }
    /* laid out as the writer keeps them: the place masks and weight sums
     * apart from the blooms, apart from the signatures */
    static pl_story_sig ring[SLOTS];
    static uint64_t where[SLOTS], bloom[SLOTS][8];
    static uint32_t wsum[SLOTS];
    for (size_t i = 0; i < SLOTS; i++) {
        ring[i] = g.s[i % g.n];
        where[i] = ring[i].where;
        wsum[i] = ring[i].weight_sum;
        memcpy(bloom[i], ring[i].terms_bloom, sizeof bloom[i]);
    }
    size_t queries = g.n < 2000 ? g.n : 2000, found = 0, met = 0;
    double scan = 0, masks = 0, bounded = 0;
    size_t differ = 0;
    for (size_t q = 0; q < queries; q++) {
        const pl_story_sig *a = &g.s[q];
        double t0 = now(), best_sim = PL_STORY_JOIN;
        long best = -1;
        for (size_t i = 0; i < SLOTS; i++) {
            if (!(where[i] & a->where))
                continue;
            double sim = pl_story_similarity(&ring[i], a);
            if (sim >= best_sim && (best < 0 || sim > best_sim))
                best = (long)i, best_sim = sim;
        }
        double t1 = now(), best_sim2 = PL_STORY_JOIN;
        long best2 = -1;
        pl_story_query aq;
        pl_story_query_make(&aq, a);
        for (size_t i = 0; i < SLOTS; i++) {
            if (!(where[i] & a->where) || !pl_story_may_join(&aq, bloom[i], wsum[i]))
                continue;
            double sim = pl_story_similarity(&ring[i], a);
            if (sim >= best_sim2 && (best2 < 0 || sim > best_sim2))
                best2 = (long)i, best_sim2 = sim;
        }
        double t2 = now();
        for (size_t i = 0; i < SLOTS; i++)
            met += (where[i] & a->where) != 0;
        masks += now() - t2;
        scan += t1 - t0;
        bounded += t2 - t1;
        differ += best != best2;
        found += best >= 0;
    }
    printf("bench_story: %zu signatures of %s in %d slots, %zu new articles (%zu found a story)\n", g.n, argv[1],
           SLOTS, queries, found);
    printf("story search, full ring: %.1f us per new article (%.0f of %d recent articles pass the place mask)\n",
           bounded / (double)queries * 1e6, (double)met / (double)queries, SLOTS);
    printf("the same comparing every such pair's terms: %.1f us per new article (%.1fx the time)\n",
           scan / (double)queries * 1e6, scan / bounded);
    printf("the masks alone: %.1f us per new article (%.2f of the search)\n", masks / (double)queries * 1e6,
           masks / bounded);
    printf("best match differs in %zu of %zu\n", differ, queries);
    free(g.s);
    return differ ? 1 : 0;
}
