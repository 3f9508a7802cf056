/* Story signatures: what the writer compares to put other outlets' own
 * reports of one happening in one story, and what the store gives back. */
#include <criterion/criterion.h>
#include <string.h>
#include "pipeline/pipeline_int.h"

static const char bombing_a[] =
    "Fourteen people were killed and 31 wounded on Tuesday in Kirkuk. A suicide bomber attacked a police "
    "station in Kirkuk, police said. Islamic State militants have carried out similar attacks.";
static const char bombing_b[] =
    "An explosives-laden car blew up outside police headquarters in Kirkuk, killing 14. A suicide bomber "
    "attacked the police station as officers arrived; 31 were hurt. Islamic State cells were suspected.";
static const char market[] =
    "The covered grain market in Kirkuk reopened after a year of repairs, and traders said the price of "
    "wheat had reached a record as farmers held back their harvest.";

/* A document with one resolved city, as sr_geo_find gives it. */
static sr_geo_doc *city(sr_place *pl, sr_geo_doc *doc, uint32_t id, const char *cc)
{
    memset(pl, 0, sizeof *pl);
    pl->kind = SR_PLACE_CITY;
    pl->geonameid = id;
    memcpy(pl->cc, cc, 3);
    *doc = (sr_geo_doc){.places = pl, .n_places = 1};
    return doc;
}

static void sig_of(pl_story_sig *sig, const char *title, const char *text, uint32_t place, const char *cc)
{
    sr_place pl;
    sr_geo_doc doc;
    pl_story_sig_make(sig, title, text, strlen(text), city(&pl, &doc, place, cc), NULL, 0);
}

Test(story_sig, two_outlets_reports_of_one_attack_are_alike)
{
    pl_story_sig a, b, c;
    sig_of(&a, "Suicide bomber kills 14 at Kirkuk police station", bombing_a, 94787, "IQ");
    sig_of(&b, "Blast at police headquarters in Kirkuk leaves 14 dead", bombing_b, 94787, "IQ");
    sig_of(&c, "Kirkuk grain market reopens", market, 94787, "IQ");
    double same = pl_story_similarity(&a, &b), other = pl_story_similarity(&a, &c);
    cr_expect_geq(same, PL_STORY_JOIN, "reports of one bombing: %.3f", same);
    cr_expect_lt(other, PL_STORY_JOIN, "a market report of the same city: %.3f", other);
    cr_expect_float_eq(pl_story_similarity(&b, &a), same, 1e-12, "similarity is symmetric");
}

Test(story_sig, no_shared_place_no_story)
{
    pl_story_sig a, b;
    sig_of(&a, "Suicide bomber kills 14 at police station", bombing_a, 94787, "IQ");
    sig_of(&b, "Suicide bomber kills 14 at police station", bombing_a, 3871336, "CL");
    cr_expect_eq(pl_story_similarity(&a, &b), 0, "the same words in another country are another story");
}

Test(story_sig, the_store_gives_back_what_it_was_given)
{
    pl_story_sig a, back;
    sig_of(&a, "Suicide bomber kills 14 at Kirkuk police station", bombing_a, 94787, "IQ");
    a.roots = 1u << 19;
    sr_arena *arena = sr_arena_new(1 << 16);
    const char *text = pl_story_sig_encode(&a, arena);
    cr_assert(pl_story_sig_decode(text, &back), "%s", text);
    cr_expect_eq(memcmp(&a, &back, sizeof a), 0, "%s", text);
    sr_arena_free(arena);
}

Test(story_sig, a_malformed_signature_is_empty)
{
    const char *bad[] = {"", "x", "t12:3", "t12:3;p;c", "tzz;p;c;r0", "t12:3;pq;cIQ;r0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pl_story_sig s;
        memset(&s, 0xff, sizeof s);
        cr_expect_not(pl_story_sig_decode(bad[i], &s), "\"%s\"", bad[i]);
        cr_expect_eq(s.n_terms + s.n_places + s.n_cc, 0, "\"%s\" leaves an empty signature", bad[i]);
    }
    cr_expect_not(pl_story_sig_decode(NULL, &(pl_story_sig){0}));
}

/* A random signature over a small vocabulary, as pl_story_sig_make would
 * leave it (terms ascending), made through the store's text form so that
 * its masks and sums are what the writer sees. */
static void random_sig(pl_story_sig *s, unsigned *seed, sr_arena *arena)
{
    pl_story_sig raw;
    memset(&raw, 0, sizeof raw);
    uint32_t last = 0;
    *seed = *seed * 1103515245u + 12345u;
    int n = (int)((*seed >> 16) % PL_SIG_TERMS) + 1;
    for (int k = 0; k < n; k++) {
        *seed = *seed * 1103515245u + 12345u;
        raw.term[raw.n_terms] = last = last + 1 + (*seed >> 16) % 30;
        raw.weight[raw.n_terms++] = (uint16_t)(1 + (*seed >> 8) % 6);
    }
    raw.place[raw.n_places++] = 1 + (*seed >> 4) % 3;
    memcpy(raw.cc[raw.n_cc++], "IQ", 2);
    cr_assert(pl_story_sig_decode(pl_story_sig_encode(&raw, arena), s));
}

/* The writer asks pl_story_may_join before comparing two reports' terms:
 * it must never rule out a pair alike enough to join, and it must rule
 * out most of those that are not (else it saves nothing). */
Test(story_sig, the_cheap_bound_never_rules_out_a_story)
{
    sr_arena *arena = sr_arena_new(0);
    unsigned seed = 11;
    int alike = 0, unlike = 0, ruled_out = 0;
    for (int i = 0; i < 20000; i++) {
        pl_story_sig a, b;
        random_sig(&a, &seed, arena);
        random_sig(&b, &seed, arena);
        if (i % 2) {   /* b another report of a: most of its terms, other weights */
            pl_story_sig c = a;
            c.n_terms = 0;
            for (int k = 0; k < a.n_terms; k++) {
                seed = seed * 1103515245u + 12345u;
                if ((seed >> 16) % 10 < 6) {
                    c.term[c.n_terms] = a.term[k];
                    c.weight[c.n_terms++] = (uint16_t)(1 + (seed >> 8) % 6);
                }
            }
            if (c.n_terms)
                cr_assert(pl_story_sig_decode(pl_story_sig_encode(&c, arena), &b));
        }
        double sim = pl_story_similarity(&a, &b);
        pl_story_query q;
        pl_story_query_make(&q, &a);
        /* the bound term by term, as it was first written */
        unsigned bound = 0;
        for (int k = 0; k < a.n_terms; k++)
            bound += b.terms_bloom[(a.term[k] >> 6) & 7] >> (a.term[k] & 63) & 1 ? a.weight[k] : 0;
        bool may = pl_story_may_join(&q, b.terms_bloom, b.weight_sum);
        cr_assert_eq(may, (double)bound * (1 + PL_STORY_JOIN) >= PL_STORY_JOIN * ((double)a.weight_sum + b.weight_sum),
                     "pair %d: the bit-by-bit bound differs from the term-by-term one", i);
        if (sim >= PL_STORY_JOIN) {
            cr_assert(may, "pair %d at %f was ruled out", i, sim);
            alike++;
        } else {
            unlike++;
            ruled_out += !may;
        }
        sr_arena_reset(arena);
    }
    cr_assert(alike > 20, "only %d alike pairs: the test says nothing", alike);
    cr_assert(ruled_out * 10 > unlike * 8, "%d of %d unlike pairs ruled out", ruled_out, unlike);
    sr_arena_free(arena);
}
