/* The coder on project-written dictionaries (tests/fixtures/code): what a
 * user relies on — who did what to whom, passive voice, compounds, clauses,
 * attribution, negation, modality, discards, offsets and bad input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sitrep/code.h"

static sr_code_dict *dict;
static sr_coder *coder;
static FILE *errs;
static char errbuf[8192];

static void setup(void)
{
    errs = fmemopen(errbuf, sizeof errbuf, "w");
    cr_assert_eq(sr_code_dict_new(&dict, errs), SR_OK);
    cr_assert_eq(sr_code_dict_load_dir(dict, SR_FIXTURES "/code"), SR_OK);
    cr_assert_eq(sr_coder_new(&coder, dict), SR_OK);
}

static void teardown(void)
{
    sr_coder_free(coder);
    sr_code_dict_free(dict);
    fclose(errs);
}

TestSuite(code, .init = setup, .fini = teardown);

static const sr_code_result *code(const char *s)
{
    const sr_code_result *r;
    cr_assert_eq(sr_code_sentence(coder, s, strlen(s), 20140101, 0, &r), SR_OK);
    return r;
}

static bool has(const sr_code_result *r, const char *src, const char *tgt, const char *cameo)
{
    for (size_t i = 0; i < r->n_events; i++) {
        const sr_code_event *e = &r->events[i];
        if (!strcmp(e->source.code, src) && !strcmp(e->target.code, tgt) && !strcmp(e->cameo, cameo)) return true;
    }
    return false;
}

Test(code, subject_verb_object_with_agents)
{
    const sr_code_result *r = code("Syrian troops attacked Turkey on Sunday.");
    cr_assert_eq(r->n_events, 1);
    cr_assert(has(r, "SYRMIL", "TUR", "190"));
    const sr_code_event *e = &r->events[0];
    cr_assert_str_eq(e->root, "19");
    cr_assert_eq(e->quad, 4);
    cr_assert_float_eq(e->goldstein, -10.0, 1e-9);
    cr_assert_str_eq(e->source.words, "Syrian troops");
    cr_assert_eq(e->source.start, 0);
    cr_assert_eq(e->source.end, 13);
    cr_assert_str_eq(e->target.words, "Turkey");
    cr_assert_eq(e->date, 20131229);  /* "on Sunday" before Wed 1 Jan 2014 */
}

Test(code, offsets_are_code_points)
{
    const sr_code_result *r = code("Ünlü Syrian troops attacked Turkey.");
    cr_assert_eq(r->n_events, 1);
    /* "Ünlü " is 5 code points but 6 bytes */
    cr_assert_eq(r->events[0].source.start, 5);
    cr_assert_eq(r->events[0].sent_end, 35);
}

Test(code, passive_voice_swaps_source_and_target)
{
    const sr_code_result *r = code("Iraqi police were attacked by Islamic State militants near Baghdad.");
    cr_assert(has(r, "IMGMUSISIREB", "IRQCOP", "190"), "passive voice not reversed");
    cr_assert(!has(r, "IRQCOP", "IMGMUSISIREB", "190"));
}

Test(code, compound_actors_give_one_event_each)
{
    const sr_code_result *r = code("Iraq and Syria accused Turkey of shelling the border.");
    cr_assert_eq(r->n_events, 2);
    cr_assert(has(r, "IRQ", "TUR", "112"));
    cr_assert(has(r, "SYR", "TUR", "112"));
}

Test(code, paired_and_compound_meeting)
{
    const sr_code_result *r = code("Iraq and Syria will meet in Damascus next week officials said.");
    cr_assert(has(r, "IRQ", "SYR", "036"));
    cr_assert(has(r, "SYR", "IRQ", "036"));
}

Test(code, relative_clause_does_not_steal_the_event)
{
    const sr_code_result *r = code("Islamic State extremists who had overrun villages stormed Iraqi positions.");
    cr_assert(has(r, "IMGMUSISIREB", "IRQ", "190"));
    cr_assert_eq(r->n_events, 1);
}

Test(code, attribution_is_subordinate_to_the_reported_event)
{
    const sr_code_result *r = code("Turkey said Syrian troops attacked Iraq.");
    cr_assert(!has(r, "TUR", "SYRMIL", "010"), "the saying should not stand beside the attack");
    cr_assert(has(r, "SYRMIL", "IRQ", "190"), "the reported attack is by the Syrian troops");
    cr_assert_eq(r->n_events, 1);
}

Test(code, saying_alone_is_coded_when_nothing_else_is)
{
    const sr_code_result *r = code("Turkey said Syria was a threat.");
    cr_assert(has(r, "TUR", "SYR", "010"));
}

Test(code, negation_is_flagged)
{
    const sr_code_result *r = code("Syria denied that Iraq did not accuse Turkey.");
    (void)r;
    r = code("Syrian troops did not attack Turkey yesterday.");
    cr_assert_eq(r->n_events, 1);
    cr_assert(r->events[0].negated);
    r = code("Syrian troops attacked Turkey yesterday.");
    cr_assert(!r->events[0].negated);
}

Test(code, null_coded_pattern_removes_the_event)
{
    const sr_code_result *r = code("Washington said there won't be any deploy of U.S. boots in Syria.");
    for (size_t i = 0; i < r->n_events; i++) cr_assert_str_neq(r->events[i].cameo, "150");
}

Test(code, modality_threat_and_intent)
{
    const sr_code_result *r = code("Turkey threatened to attack Syria.");
    cr_assert(has(r, "TUR", "SYR", "138"));
    cr_assert_eq(r->events[0].modality, SR_MOD_THREAT);
    r = code("Turkey will attack Syria.");
    cr_assert_eq(r->n_events, 1);
    cr_assert_eq(r->events[0].modality, SR_MOD_INTENT);
}

Test(code, synset_pattern)
{
    const sr_code_result *r = code("Syria attacked Turkey with rockets.");
    cr_assert(has(r, "SYR", "TUR", "195"));
}

Test(code, discard_phrase_codes_nothing)
{
    const sr_code_result *r = code("A football match between Iraq and Syria ended when Iraq attacked.");
    cr_assert_eq(r->status, SR_CODE_DISCARD);
    cr_assert_eq(r->n_events, 0);
}

Test(code, date_restricted_actor)
{
    const sr_code_result *r;
    const char *s = "The old regime attacked Turkey.";
    cr_assert_eq(sr_code_sentence(coder, s, strlen(s), 19950101, 0, &r), SR_OK);
    cr_assert(has(r, "XXX", "TUR", "190"));
    cr_assert_eq(sr_code_sentence(coder, s, strlen(s), 20140101, 0, &r), SR_OK);
    cr_assert_eq(r->n_events, 0, "after its date the actor is null-coded");
}

Test(code, documents_are_split_into_sentences)
{
    const char *doc = "Syrian troops attacked Turkey. Gen. Smith said nothing. Iraq accused Syria.";
    const sr_code_result *r;
    cr_assert_eq(sr_code_document(coder, doc, strlen(doc), 20140101, &r), SR_OK);
    cr_assert_eq(r->n_events, 2);
    cr_assert_str_eq(r->events[1].source.code, "IRQ");
    cr_assert_eq(r->events[1].sent_start, 56);
    cr_assert_eq(r->events[1].source.start, 56);
}

/* Offsets count code points: accented letters, curly quotes and dashes
 * in the sentences before an event and in its own sentence count one
 * each; bytes that are no UTF-8 count as the rest of sitrep counts them
 * (a byte that could start a character is one, a stray continuation byte
 * none). */
Test(code, document_offsets_count_code_points)
{
    const char *doc = "Caf\u00e9 owners in S\u00e3o Paulo were \u201cworried\u201d. "
                      "Syrian troops attacked Turkey \u2014 again. Iraq accused Syria.";
    const sr_code_result *r;
    cr_assert_eq(sr_code_document(coder, doc, strlen(doc), 20140101, &r), SR_OK);
    cr_assert_eq(r->n_events, 2);
    cr_assert_eq(r->events[0].sent_start, 41);
    cr_assert_eq(r->events[0].source.start, 41);
    cr_assert_str_eq(r->events[0].target.words, "Turkey");
    cr_assert_eq(r->events[0].target.start, 64);
    cr_assert_eq(r->events[1].sent_start, 80);
    cr_assert_eq(r->events[1].source.start, 80);
    const char bad[] = "Prices rose \xff\x80 sharply. Iraq accused Syria.";
    cr_assert_eq(sr_code_document(coder, bad, sizeof bad - 1, 20140101, &r), SR_OK);
    cr_assert_eq(r->n_events, 1);
    cr_assert_eq(r->events[0].source.start, 23, "a stray continuation byte is no code point");
}

Test(code, hostile_input_is_survived)
{
    static char big[200000];
    for (size_t i = 0; i < sizeof big - 1; i++) big[i] = "Syria attacked Turkey and "[i % 26];
    big[sizeof big - 1] = 0;
    const sr_code_result *r;
    cr_assert_eq(sr_code_sentence(coder, big, strlen(big), 0, 0, &r), SR_OK);
    const char bad[] = "Syria \xff\xfe attacked \xc3 Turkey \xe2\x80";
    cr_assert_eq(sr_code_sentence(coder, bad, sizeof bad - 1, 0, 0, &r), SR_OK);
    cr_assert(has(r, "SYR", "TUR", "190"));
    cr_assert_eq(sr_code_sentence(coder, "", 0, 0, 0, &r), SR_OK);
    cr_assert_eq(r->n_events, 0);
}

Test(code, cameo_facts)
{
    const char *name;
    int quad;
    double g;
    cr_assert(sr_cameo_lookup("0231", &name, &quad, &g));
    cr_assert_eq(quad, 1);
    cr_assert(sr_cameo_lookup("190", &name, &quad, &g));
    cr_assert_float_eq(g, -10.0, 1e-9);
    cr_assert_eq(quad, 4);
    cr_assert(!sr_cameo_lookup("999", NULL, NULL, NULL));
}

/* SET: CONVERT AGENTS (manual 8.2.6) makes an agent with no actor an actor
 * of its own; one that comes first in a compound ("the troops and Iraqi police")
 * once sent the compound scan round in a circle, and coding never ended. */
Test(code, converted_agent_first_in_a_compound_ends, .timeout = 10)
{
    cr_assert_eq(sr_code_dict_option(dict, "SET: CONVERT AGENTS = TRUE"), SR_OK);
    const sr_code_result *r = code("Both the troops and the Iraqi police attacked Turkey last week, "
                                   "according to a group in Baghdad.");
    cr_assert(has(r, "~MIL", "TUR", "190"));
    cr_assert(has(r, "IRQCOP", "TUR", "190"));
}

/* A dictionary written the Treebank way ("DID N'T", as PETRARCH's are)
 * matches the text's "didn't", and TABARI's "WON'T" the text's "won't". */
Test(code, contractions_match_either_spelling)
{
    cr_assert(has(code("Iraq condemned Syria on Sunday."), "IRQ", "SYR", "122"));
    cr_assert_eq(code("Iraq didn't condemn Syria on Sunday.")->n_events, 0);
    cr_assert_eq(code("Iraq didn\xe2\x80\x99t condemn Syria on Sunday.")->n_events, 0);
}

Test(code, agent_joins_the_actor_after_from)
{
    cr_assert(has(code("Soldiers from Syria attacked Turkey on Sunday."), "SYRMIL", "TUR", "190"));
}

/* SET: STEMMING = FALSE (PETRARCH): "KURDISTAN" no longer matches
 * "Kurdistani", though its regular plural and possessive still do. */
Test(code, without_stemming_actor_words_match_whole)
{
    cr_assert(has(code("Kurdistani troops attacked Turkey."), "KRDMIL", "TUR", "190"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: STEMMING = FALSE"), SR_OK);
    cr_assert(!has(code("Kurdistani troops attacked Turkey."), "KRDMIL", "TUR", "190"));
    cr_assert(has(code("Kurdistan's troops attacked Turkey."), "KRDMIL", "TUR", "190"));
}

static void load_file(const char *text, const char *suffix)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/sitrep-test-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    cr_assert_eq(sr_code_dict_load(dict, path), SR_OK);
    unlink(path);
}

static void load_text(const char *text)
{
    load_file(text, ".petr.verbs");
}

/* PETRARCH verb blocks: irregular forms in {}, multi-word verbs marked
 * with '+', and a verb line with a code of its own; every verb of the block
 * shares its patterns. */
Test(code, petrarch_verb_block)
{
    load_text("--- SEVER [161] ---\n"
                        "SEVER { SEVERED }\n"
                        "+BREAK_OFF {+BROKE_OFF +BROKEN_OFF}\n"
                        "+CUT_+TIES [162]\n"
                        "- * TREATY [163]\n");
    sr_coder_free(coder);
    cr_assert_eq(sr_coder_new(&coder, dict), SR_OK);
    cr_assert(has(code("Iraq broke off relations with Syria."), "IRQ", "SYR", "161"));
    cr_assert(has(code("Iraq has broken off a treaty with Syria."), "IRQ", "SYR", "163"));
    cr_assert(has(code("Iraq cut ties with Syria."), "IRQ", "SYR", "162"));
    cr_assert(has(code("Iraq cut ties over a treaty with Syria."), "IRQ", "SYR", "163"));
}

/* SET: NULL ACTORS (PETRARCH): an agent heading its noun phrase with no
 * actor is "---" plus the agent, and a verb with no object after it has
 * the null target; off, both sentences give nothing. */
Test(code, null_actors_for_lone_agents_and_objectless_verbs)
{
    const char *lone = "Police attacked Turkey.";
    const char *no_object = "Syria attacked on Sunday.";
    cr_assert_eq(code(lone)->n_events, 0);
    cr_assert_eq(code(no_object)->n_events, 0);
    cr_assert_eq(sr_code_dict_option(dict, "SET: NULL ACTORS = TRUE"), SR_OK);
    cr_assert(has(code(lone), "---COP", "TUR", "190"));
    cr_assert(has(code(no_object), "SYR", "---", "190"));
    /* an agent that only describes a noun is no actor of its own */
    cr_assert_eq(code("Police cars attacked Turkey.")->n_events, 0);
    /* an object after the verb, or a clause cut at a conjunction, is not "no object" */
    cr_assert(!has(code("Syria attacked and Iraq shelled Turkey."), "SYR", "---", "190"));
}

/* <TIME> phrases (TABARI manual 10.5) move the event's date by their
 * days; a pattern spells out a longer phrase of its root, which wins as
 * the longer match; SET: TIME SHIFT = FALSE leaves the date alone. */
Test(code, time_phrases_shift_the_event_date)
{
    load_text("<TIME>\nYESTERDAY [-1]\nTOMORROW [+1]\n- * AND A WEEK [+8]\nLAST_MONTH [-30]\n</TIME>\n");
    sr_coder_free(coder);
    cr_assert_eq(sr_coder_new(&coder, dict), SR_OK);
    const sr_code_result *r = code("Yesterday Syria attacked Turkey.");
    cr_assert_eq(r->n_events, 1);
    cr_assert_eq(r->events[0].date, 20131231);
    cr_assert_eq(code("Syria will attack Turkey tomorrow and a week from now.")->events[0].date, 20140109);
    cr_assert_eq(code("Syria attacked Turkey last month.")->events[0].date, 20131202);
    cr_assert_eq(code("Syria attacked Turkey.")->events[0].date, 20140101);
    cr_assert_eq(sr_code_dict_option(dict, "SET: TIME SHIFT = FALSE"), SR_OK);
    cr_assert_neq(code("Syria will attack Turkey tomorrow and a week from now.")->events[0].date, 20140109);
}

/* SET: REQUIRE DYAD (PETRARCH's require_dyad): an event whose source or
 * target is the bare null actor is dropped. */
Test(code, require_dyad_drops_events_with_a_null_side)
{
    const char *no_object = "Syria attacked on Sunday.";
    cr_assert_eq(sr_code_dict_option(dict, "SET: NULL ACTORS = TRUE"), SR_OK);
    cr_assert(has(code(no_object), "SYR", "---", "190"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: REQUIRE DYAD = TRUE"), SR_OK);
    cr_assert_eq(code(no_object)->n_events, 0);
    /* a bare time phrase is no object: nothing to code even without the dyad rule */
    cr_assert_eq(sr_code_dict_option(dict, "SET: REQUIRE DYAD = FALSE"), SR_OK);
    cr_assert_eq(code("Syria attacked today.")->n_events, 0);
}

/* SET: NOUN PHRASES (PETRARCH reads noun phrases from its parse tree):
 * unknown words inside a compound's member, an agent heading a longer
 * phrase, an agent after a possessive actor, nouns joined by AND. */
Test(code, noun_phrases_as_a_parse_tree_reads_them)
{
    const char *compound = "Syria and the evil awful Iraq attacked Turkey.";
    const char *agency = "The government news agency WFNA attacked Turkey.";
    const char *possessive = "Syria's new deputy president attacked Turkey.";
    const char *nouns = "Syria sent food and aid to Turkey.";
    cr_assert_eq(sr_code_dict_option(dict, "SET: NULL ACTORS = TRUE"), SR_OK);
    cr_assert(!has(code(compound), "SYR", "TUR", "190"));
    cr_assert_eq(code(agency)->n_events, 0);
    cr_assert(!has(code(possessive), "SYRGOV", "TUR", "190"));
    cr_assert(!has(code(nouns), "SYR", "TUR", "071"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: NOUN PHRASES = TRUE"), SR_OK);
    const sr_code_result *r = code(compound);
    cr_assert(has(r, "SYR", "TUR", "190") && has(r, "IRQ", "TUR", "190"));
    cr_assert(has(code(agency), "---GOV", "TUR", "190"));
    cr_assert(has(code(possessive), "SYRGOV", "TUR", "190"));
    cr_assert(has(code(nouns), "SYR", "TUR", "071"));
    /* adjectives joined by AND do not make the actors around them a compound */
    r = code("Iraq's awful and evil president Syria attacked Turkey.");
    cr_assert(!has(r, "SYR", "TUR", "190"));
}

/* SET: TARGET COMPOUND (PETRARCH): a % after the verb is the target
 * compound and the source is found as usual; TABARI makes the compound
 * both source and target wherever the % stands. */
Test(code, target_compound_after_the_verb)
{
    const char *s = "Syria meets with Iraq and Turkey.";
    const sr_code_result *r = code(s);
    cr_assert(has(r, "IRQ", "TUR", "036") && has(r, "TUR", "IRQ", "036"));
    cr_assert(!has(r, "SYR", "IRQ", "036"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: TARGET COMPOUND = TRUE"), SR_OK);
    r = code(s);
    cr_assert(has(r, "SYR", "IRQ", "036") && has(r, "SYR", "TUR", "036"));
    cr_assert(!has(r, "IRQ", "TUR", "036"));
    /* before the verb it is still both */
    r = code("Iraq and Turkey meet in Baghdad.");
    cr_assert(has(r, "IRQ", "TUR", "036") && has(r, "TUR", "IRQ", "036"));
}

/* SET: NEW ACTOR LENGTH (PETRARCH's new_actor_length): a noun phrase no
 * dictionary knows, of at most that many words, is an actor coded with
 * its own words in quotes; a longer one is not. */
Test(code, new_actors_from_unknown_noun_phrases)
{
    const char *subject = "The Ministry of Magic attacked Turkey.";
    const char *object = "Turkey attacked the Ministry of Magic on Sunday.";
    cr_assert_eq(code(subject)->n_events, 0);
    cr_assert_eq(code(object)->n_events, 0);
    cr_assert_eq(sr_code_dict_option(dict, "SET: NEW ACTOR LENGTH = 4"), SR_OK);
    cr_assert(has(code(subject), "\"THE MINISTRY OF MAGIC\"", "TUR", "190"));
    cr_assert(has(code(object), "TUR", "\"THE MINISTRY OF MAGIC\"", "190"));
    cr_assert(has(code("Gryffindor's head attacked Turkey."), "\"GRYFFINDOR HEAD\"", "TUR", "190"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: NEW ACTOR LENGTH = 3"), SR_OK);
    cr_assert_eq(code(subject)->n_events, 0);
}

/* SET: STEMMING = FALSE: pattern words and verb forms match whole, as
 * PETRARCH compares them. */
Test(code, whole_words_in_patterns_and_verb_forms)
{
    const char *attacks = "Iraq condemned the attacks on Turkey.";
    cr_assert(has(code(attacks), "IRQ", "TUR", "111"));
    cr_assert(has(code("Syria attackes Turkey."), "SYR", "TUR", "190"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: STEMMING = FALSE"), SR_OK);
    cr_assert(has(code(attacks), "IRQ", "TUR", "122"));
    cr_assert(has(code("Iraq condemned the attack on Turkey."), "IRQ", "TUR", "111"));
    cr_assert(has(code("Syria attacked Turkey."), "SYR", "TUR", "190"));
    cr_assert_eq(code("Syria attackes Turkey.")->n_events, 0);
}

/* SET: SHARED AGENTS (PETRARCH): the agent before OF/IN/FROM and a compound
 * belongs to every member; off (TABARI), to the first only. */
Test(code, shared_agents_over_a_compound)
{
    const char *s = "Troops from Syria and Iraq attacked Turkey.";
    cr_assert(has(code(s), "SYRMIL", "TUR", "190"));
    cr_assert(has(code(s), "IRQ", "TUR", "190"));
    cr_assert_eq(sr_code_dict_option(dict, "SET: SHARED AGENTS = TRUE"), SR_OK);
    cr_assert_eq(sr_code_dict_option(dict, "SET: NULL ACTORS = TRUE"), SR_OK);
    cr_assert(has(code(s), "IRQMIL", "TUR", "190"));
    cr_assert(!has(code(s), "IRQ", "TUR", "190"));
    /* two agents joined before the place both belong to each member */
    const sr_code_result *r = code("Police and troops from Syria and Iraq attacked Turkey.");
    cr_assert(has(r, "SYRCOP", "TUR", "190") && has(r, "SYRMIL", "TUR", "190"));
    cr_assert(has(r, "IRQCOP", "TUR", "190") && has(r, "IRQMIL", "TUR", "190"));
    cr_assert(!has(r, "---COP", "TUR", "190"));
}

/* A pronoun's code, when the default target search wants one distinct
 * from the source's (TABARI manual 5.8), is its referent's actor without
 * agents: THEIR after "Syria and Iraq" is SYR, the source, and is passed
 * over; after "Syrian troops and Iraq" (SYRMIL) it is distinct, so it is
 * the target and stands for the whole compound (TABARI's COMPOUND-24).
 * With SET: NOUN PHRASES a possessive pronoun only opens its noun phrase,
 * as PETRARCH's tree reads it. */
Test(code, pronoun_code_is_its_referents_actor_without_agents)
{
    const sr_code_result *r = code("Syria and Iraq condemned their allies in Turkey.");
    cr_assert(has(r, "SYR", "TUR", "122") && has(r, "IRQ", "TUR", "122"));
    cr_assert_eq(r->n_events, 2);
    const char *agent = "Syrian troops and Iraq condemned their allies in Turkey.";
    r = code(agent);
    cr_assert(has(r, "SYRMIL", "IRQ", "122") && has(r, "IRQ", "SYRMIL", "122"));
    cr_assert(!has(r, "SYRMIL", "TUR", "122"));
    cr_assert_eq(r->n_events, 2);
    cr_assert_eq(sr_code_dict_option(dict, "SET: NOUN PHRASES = TRUE"), SR_OK);
    r = code(agent);
    cr_assert(has(r, "SYRMIL", "TUR", "122") && has(r, "IRQ", "TUR", "122"));
}

/* An actor phrase's words joined by a blank may have any number of others
 * between them, up to a comma, and those keep their own roles (TABARI's
 * DEBUG-02: "Durthang should be set up ... rebel Orc" is DURTHANG ORC,
 * and SHOULD stays a verb). */
Test(code, actor_phrase_skips_words_that_keep_their_roles)
{
    load_file("HOMS REBELS [SYRREB]\n", ".actors");
    sr_coder_free(coder);
    cr_assert_eq(sr_coder_new(&coder, dict), SR_OK);
    cr_assert_eq(sr_code_dict_option(dict, "SET: ATTRIBUTION = FALSE"), SR_OK);
    /* six words between HOMS and REBELS, OVERRUN among them */
    const sr_code_result *r = code("Iraq said Homs would soon be overrun by the rebels.");
    cr_assert(has(r, "IRQ", "SYRREB", "190"), "the skipped verb lost its role, or the phrase did not match");
    cr_assert_eq(r->n_events, 1);
    /* a comma ends the phrase */
    cr_assert(!has(code("Iraq said Homs would soon be overrun, by the rebels."), "IRQ", "SYRREB", "190"));
}

/* A "clause" of one or two words cut off by a conjunction is no clause
 * (TABARI's coder passes it over, its COMPLEX-05): it gives no source, so
 * the next clause takes its first actor, even after its verb. A longer
 * first clause with no event keeps its actor as the source (manual 7.6). */
Test(code, two_word_clause_gives_no_source)
{
    const sr_code_result *r = code("Syria accused and denied that Iraqi troops attacked Turkey.");
    cr_assert(has(r, "IRQMIL", "TUR", "141"));
    cr_assert(!has(r, "SYR", "IRQMIL", "141"));
    r = code("Syria angrily accused and denied that Iraqi troops attacked Turkey.");
    cr_assert(has(r, "SYR", "IRQMIL", "141"));
}
