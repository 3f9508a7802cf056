/* Event details: casualty figures, aggregates and history, the sentence's
 * own date, mood and negation with the lexicon, and the floors of the
 * lexicon on the PLOVER gold sentences and the project's ACLED reports.
 * Every sentence here is written for this test. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>
#include "code_details_support.h"

#define LEXICON SR_SOURCE_DIR "/data/lexicon"

static sr_code_toll dead, hurt;

static void tolls(const char *s, int doc_date)
{
    sr_code_tolls(s, strlen(s), NULL, 0, doc_date, &dead, &hurt);
}

/* ---- casualty figures ----------------------------------------------------- */

Test(tolls, digits_and_victims)
{
    tolls("Gunmen attacked a bus station in the city, and 14 civilians were killed.", 20140108);
    cr_assert_eq(dead.value, 14);
    cr_assert_str_eq(dead.who, "civilians");
    cr_assert(!dead.at_least && !dead.approximate && !dead.aggregate && !dead.historical);
    cr_assert_eq(hurt.value, -1);
}

Test(tolls, words_and_at_least)
{
    tolls("At least twenty-three soldiers died when the convoy was ambushed.", 20140108);
    cr_assert_eq(dead.value, 23);
    cr_assert(dead.at_least);
    cr_assert_str_eq(dead.who, "soldiers");
}

Test(tolls, killing_x_and_wounding_y)
{
    tolls("A bomb exploded near the market, killing 5 and wounding 12.", 20140108);
    cr_assert_eq(dead.value, 5);
    cr_assert_eq(hurt.value, 12);
    tolls("The rebels killed three policemen and injured more than 40 people.", 20140108);
    cr_assert_eq(dead.value, 3);
    cr_assert_str_eq(dead.who, "police");
    cr_assert_eq(hurt.value, 40);
    cr_assert(hurt.at_least);
}

Test(tolls, groups_are_summed)
{
    tolls("Two soldiers and a civilian were killed in the attack.", 20140108);
    cr_assert_eq(dead.value, 3);
    cr_assert_str_eq(dead.who, "soldiers and civilians");
    tolls("Four militants were killed and two police officers died in the clashes.", 20140108);
    cr_assert_eq(dead.value, 6);
}

Test(tolls, an_overlapping_figure_is_not_added)
{
    tolls("At least 12 people, including five children, were killed in the strike.", 20140108);
    cr_assert_eq(dead.value, 12);
}

Test(tolls, vague_and_approximate)
{
    tolls("Dozens of protesters were wounded when police opened fire.", 20140108);
    cr_assert_geq(hurt.value, 24);
    cr_assert(hurt.approximate && hurt.at_least);
    cr_assert_str_eq(hurt.who, "protesters");
    tolls("About 30 people were killed.", 20140108);
    cr_assert_eq(dead.value, 30);
    cr_assert(dead.approximate && !dead.at_least);
}

Test(tolls, death_toll_and_lives)
{
    tolls("The death toll from the bombing rose to 41 on Tuesday.", 20140108);
    cr_assert_eq(dead.value, 41);
    tolls("The flooding claimed 19 lives in the district.", 20140108);
    cr_assert_eq(dead.value, 19);
}

Test(tolls, no_one_killed_is_zero)
{
    tolls("A rocket hit an empty school, but no one was killed.", 20140108);
    cr_assert_eq(dead.value, 0);
    tolls("Nobody was hurt in the explosion.", 20140108);
    cr_assert_eq(hurt.value, 0);
    cr_assert_eq(dead.value, -1);
}

Test(tolls, numbers_that_are_not_victims)
{
    tolls("Troops in 12 armoured vehicles attacked the village in 2014.", 20140108);
    cr_assert_eq(dead.value, -1);
    cr_assert_eq(hurt.value, -1);
}

Test(tolls, aggregate_over_a_period)
{
    tolls("Nearly 8,000 civilians were killed in 2013, the United Nations said.", 20140110);
    cr_assert_eq(dead.value, 8000);
    cr_assert(dead.approximate);
    cr_assert(dead.aggregate);
    cr_assert(!dead.historical);  /* 2013 ended ten days before */
    tolls("More than 100,000 people have been killed since the war began.", 20140110);
    cr_assert_eq(dead.value, 100000);
    cr_assert(dead.aggregate);
    tolls("Fighters killed 9 soldiers at a checkpoint on Sunday.", 20140110);
    cr_assert(!dead.aggregate && !dead.historical);
}

Test(tolls, historical_battle)
{
    tolls("The 2004 battle for the city cost the lives of 1,300 American soldiers.", 20140110);
    cr_assert_eq(dead.value, 1300);
    cr_assert_str_eq(dead.who, "soldiers");
    cr_assert(dead.historical);
    tolls("Villagers marked the anniversary of the massacre in which 300 people were killed.", 20140110);
    cr_assert(dead.historical);
}

Test(tolls, next_sentence_tells_the_toll)
{
    const char *s = "Insurgents attacked an army base near the border.";
    const char *n = "At least 12 people were killed, officials said.";
    sr_code_tolls(s, strlen(s), n, strlen(n), 20140108, &dead, &hurt);
    cr_assert_eq(dead.value, 12);
    cr_assert(dead.at_least);
    const char *other = "Separately, a court sentenced 12 men to prison.";
    sr_code_tolls(s, strlen(s), other, strlen(other), 20140108, &dead, &hurt);
    cr_assert_eq(dead.value, -1);
}

Test(tolls, a_nationality_alone_counts_as_civilians)
{
    tolls("Israeli troops raided the village, and two Palestinians were killed.", 20140108);
    cr_assert_eq(dead.value, 2);
    cr_assert_str_eq(dead.who, "civilians");
    tolls("The army shelled the town, killing 3 Syrians and wounding 4 Lebanese.", 20140108);
    cr_assert_eq(dead.value, 3);
    cr_assert_str_eq(dead.who, "civilians");
    cr_assert_eq(hurt.value, 4);
    cr_assert_str_eq(hurt.who, "civilians");
    /* a role named with the nationality is the role */
    tolls("Two Israeli soldiers were killed near the border.", 20140108);
    cr_assert_str_eq(dead.who, "soldiers");
}

/* ---- dates ------------------------------------------------------------------ */

static int date;
static enum sr_code_precision prec;
static bool hist;

static void when(const char *s, int doc)
{
    sr_code_sentence_date(s, strlen(s), doc, &date, &prec, &hist);
}

Test(dates, relative_to_the_document)
{
    /* 8 January 2014 is a Wednesday */
    when("Rebels attacked the town on Sunday.", 20140108);
    cr_assert_eq(date, 20140105);
    cr_assert_eq(prec, SR_CODE_DATE_DAY);
    when("Troops shelled the village yesterday.", 20140108);
    cr_assert_eq(date, 20140107);
    when("Police arrested the mayor last week.", 20140108);
    cr_assert_eq(prec, SR_CODE_DATE_WEEK);
    cr_assert_eq(date, 20131230);
    when("The ministers met on Jan. 5.", 20140108);
    cr_assert_eq(date, 20140105);
    cr_assert(!hist);
    when("The army took the city in 2013.", 20140108);
    cr_assert_eq(prec, SR_CODE_DATE_YEAR);
    cr_assert_eq(date / 10000, 2013);
    cr_assert(!hist);
    when("The talks resumed.", 20140108);
    cr_assert_eq(date, 20140108);
    cr_assert_eq(prec, SR_CODE_DATE_DAY);
}

Test(dates, a_relative_clause_dates_its_own_story)
{
    when("Government forces bombed Aleppo, where nearly 8,000 civilians were killed in 2013.", 20140308);
    cr_assert_eq(date, 20140308);
    cr_assert_eq(prec, SR_CODE_DATE_DAY);
    cr_assert(!hist);
    when("Rebels attacked Homs, which the army took in 2012, on Monday.", 20140108);
    cr_assert_eq(date, 20140106);
    when("Government forces bombed Aleppo in March, killing 8,000 civilians.", 20140508);
    cr_assert_eq(prec, SR_CODE_DATE_MONTH);  /* a comma alone starts no clause */
}

Test(dates, historical_when_more_than_30_days_before)
{
    when("Marines stormed the city in 2004.", 20140108);
    cr_assert(hist);
    when("Rebels seized the airport on Nov. 20.", 20140108);
    cr_assert(hist);  /* 49 days before */
    when("Rebels seized the airport on Dec. 20.", 20140108);
    cr_assert(!hist);
}

/* ---- through the coder, with the lexicon ------------------------------------- */

static sr_code_dict *dict;
static sr_coder *coder;

static void open_lexicon(void)
{
    coder = details_coder(LEXICON, &dict);
    cr_assert(coder, "the lexicon loads");
}

static void close_lexicon(void)
{
    sr_coder_free(coder);
    sr_code_dict_free(dict);
}

static const sr_code_result *code(const char *s, int doc)
{
    const sr_code_result *r;
    cr_assert_eq(sr_code_document(coder, s, strlen(s), doc, &r), SR_OK);
    return r;
}

TestSuite(lexicon, .init = open_lexicon, .fini = close_lexicon);

Test(lexicon, negation_drops_the_event)
{
    cr_assert_gt(code("Russian troops attacked Ukraine.", 20140108)->n_events, 0);
    const sr_code_result *r = code("Russian troops did not attack Ukraine.", 20140108);
    for (size_t i = 0; i < r->n_events; i++) cr_assert_neq(r->events[i].cameo[0] == '1' && r->events[i].cameo[1] == '9', 1);
}

Test(lexicon, intent_takes_the_intent_code)
{
    const sr_code_result *r = code("Japan plans to send aid to the Philippines.", 20140108);
    cr_assert_eq(r->n_events, 1);
    cr_assert_eq(r->events[0].modality, SR_MOD_INTENT);
    cr_assert_str_eq(r->events[0].root, "03");  /* intend to cooperate */
    cr_assert(r->events[0].asserted_cameo && !strncmp(r->events[0].asserted_cameo, "07", 2));
}

Test(lexicon, threat_is_a_threat)
{
    const sr_code_result *r = code("Russia threatened to impose sanctions on Ukraine.", 20140108);
    cr_assert_eq(r->n_events, 1);
    cr_assert_str_eq(r->events[0].root, "13");
    cr_assert_str_eq(r->events[0].plover, "THREATEN");
    cr_assert_null(r->events[0].acled_type);
}

Test(lexicon, violent_event_with_its_details)
{
    const sr_code_result *r =
        code("Syrian forces shelled the town of Homs on Sunday. At least 12 people were killed, activists said.",
             20140108);
    cr_assert_geq(r->n_events, 1);
    const sr_code_event *e = &r->events[0];
    cr_assert_str_eq(e->cameo, "194");
    cr_assert_str_eq(e->acled_type, "Explosions/Remote violence");
    cr_assert_str_eq(e->acled_subtype, "Shelling/artillery/missile attack");
    cr_assert_eq(e->date, 20140105);
    cr_assert_eq(e->date_precision, SR_CODE_DATE_DAY);
    cr_assert(!e->historical);
    cr_assert_eq(e->fatalities.value, 12);
    cr_assert(e->fatalities.at_least);
}

Test(lexicon, a_toll_told_after_the_event_is_counted_once)
{
    const sr_code_result *r =
        code("Syrian forces shelled the town of Homs on Sunday. At least 12 people were killed, activists said.",
             20140108);
    int with_toll = 0, total = 0;
    for (size_t i = 0; i < r->n_events; i++)
        if (r->events[i].fatalities.value > 0) with_toll++, total += r->events[i].fatalities.value;
    cr_assert_eq(with_toll, 1, "%d events carry the toll", with_toll);
    cr_assert_eq(total, 12);
    cr_assert_str_eq(r->events[0].cameo, "194");
    /* an event of its own in the next sentence keeps its own toll */
    r = code("Syrian forces shelled the town of Homs on Sunday. Rebels attacked a checkpoint, killing 4 soldiers.",
             20140108);
    cr_assert_eq(r->n_events, 2);
    cr_assert_eq(r->events[0].fatalities.value, -1);
    cr_assert_eq(r->events[1].fatalities.value, 4);
}

Test(lexicon, a_statement_has_no_toll)
{
    const sr_code_result *r = code("France criticized Iran over the attack that killed 12 people.", 20140108);
    for (size_t i = 0; i < r->n_events; i++)
        if (!strncmp(r->events[i].cameo, "11", 2)) cr_assert_eq(r->events[i].fatalities.value, -1);
}

/* ---- floors ------------------------------------------------------------------ */

Test(floors, plover_gold_with_the_lexicon)
{
    const char *gold = SR_CORPORA "/events/plover/PLOVER_GSR_CAMEO.txt";
    if (access(gold, R_OK) != 0) cr_skip_test("corpus absent: %s", gold);
    details_score s;
    cr_assert(details_plover(LEXICON, gold, &s));
    double cat = 100.0 * s.hit / s.n, src = 100.0 * s.hit_source / s.n;
    cr_log_info("PLOVER: %d sentences, category %.1f %%, category+source %.1f %%", s.n, cat, src);
    cr_assert_geq(cat, 70.0);
    cr_assert_geq(src, 60.0);
}

Test(floors, acled_subtypes_of_the_project_reports)
{
    details_score s;
    cr_assert(details_acled(LEXICON, SR_FIXTURES "/code/acled_subtypes.tsv", NULL, &s));
    cr_log_info("ACLED: %d reports, weighted F1 %.3f, type %d", s.n, s.f1, s.type_hit);
    cr_assert_geq(s.n, 60);
    cr_assert_geq(s.f1, 0.80);
}
