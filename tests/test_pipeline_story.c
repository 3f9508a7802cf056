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
