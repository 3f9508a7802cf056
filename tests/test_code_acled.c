/* ACLED-style types from the lexicon's rules: the CAMEO default, refined by
 * the weapon the sentence names and by who was targeted. */
#include <criterion/criterion.h>
#include <string.h>
#include "sitrep/code.h"

static sr_acled_rules *rules;

static void load(void)
{
    cr_assert_eq(sr_acled_rules_load(SR_SOURCE_DIR "/data/lexicon/acled.tsv", NULL, &rules), SR_OK);
}

static void fini(void)
{
    sr_acled_rules_free(rules);
}

TestSuite(acled, .init = load, .fini = fini);

static void expect(const char *cameo, const char *sentence, const char *src, const char *tgt,
                   const char *type, const char *sub)
{
    const char *t, *s;
    bool ok = sr_acled_classify(rules, cameo, sentence, strlen(sentence), src, tgt, &t, &s);
    if (!type) {
        cr_assert(!ok, "%s: expected no type, got %s / %s", sentence, t, s);
        return;
    }
    cr_assert(ok, "%s: no type", sentence);
    cr_assert_str_eq(t, type, "%s", sentence);
    cr_assert_str_eq(s, sub, "%s", sentence);
}

Test(acled, fighting_between_armed_groups_is_an_armed_clash)
{
    expect("190", "Iraqi troops clashed with militants in Ramadi.", "IRQMIL", "IRQINS", "Battles", "Armed clash");
}

Test(acled, the_weapon_named_refines_the_sub_type)
{
    expect("190", "Warplanes struck the town overnight.", "SYRMIL", "SYRREB", "Explosions/Remote violence", "Air/drone strike");
    expect("195", "The army shelled the villages near Hama.", "SYRMIL", NULL, "Explosions/Remote violence", "Shelling/artillery/missile attack");
    expect("183", "A suicide bomber blew himself up at the checkpoint.", NULL, NULL, "Explosions/Remote violence", "Suicide bomb");
    expect("190", "A roadside bomb hit the convoy.", NULL, "USAMIL", "Explosions/Remote violence", "Remote explosive/landmine/IED");
}

Test(acled, words_are_matched_whole)
{
    /* "mob" (no '*') must not match inside "mobile", nor "ied" inside "supplied" */
    expect("190", "Fishermen supplied by the town clashed with police over mobile permits.", "CVL", "COP", "Battles", "Armed clash");
}

Test(acled, police_using_tear_gas_is_a_protest_with_intervention)
{
    expect("141", "Police fired tear gas to disperse thousands of protesters.", "COP", "CVL", "Protests", "Protest with intervention");
    expect("141", "Thousands marched peacefully through the capital.", "CVL", NULL, "Protests", "Peaceful protest");
}

Test(acled, diplomacy_has_no_acled_type)
{
    expect("042", "The foreign minister visited Cairo.", "EGYGOV", "USAGOV", NULL, NULL);
}
