/* Whose toll: a casualty figure belongs to one event, the one its sentence
 * reports on (docs/code.md, "Event details"). Documents coded with the
 * project's lexicon; the sentences are the project's own. */
#include <criterion/criterion.h>
#include <string.h>
#include "sitrep/code.h"

#define LEXICON SR_SOURCE_DIR "/data/lexicon"

static sr_code_dict *dict;
static sr_coder *coder;

static void open_lexicon(void)
{
    cr_assert_eq(sr_code_dict_new(&dict, NULL), SR_OK);
    cr_assert_eq(sr_code_dict_load_dir(dict, LEXICON), SR_OK, "the lexicon loads");
    cr_assert_eq(sr_coder_new(&coder, dict), SR_OK);
}

static void close_lexicon(void)
{
    sr_coder_free(coder);
    sr_code_dict_free(dict);
}

static const sr_code_result *code(const char *text)
{
    const sr_code_result *r;
    cr_assert_eq(sr_code_document(coder, text, strlen(text), 20140108, &r), SR_OK);
    return r;
}

/* How many events carry a stated killed (or wounded) figure, and the
 * index of the last one. */
static int with_toll(const sr_code_result *r, bool injuries, size_t *which)
{
    int n = 0;
    for (size_t i = 0; i < r->n_events; i++) {
        const sr_code_toll *t = injuries ? &r->events[i].injuries : &r->events[i].fatalities;
        if (t->value >= 0) n++, *which = i;
    }
    return n;
}

/* The event whose source words start with `words`. */
static const sr_code_event *by_source(const sr_code_result *r, const char *words)
{
    for (size_t i = 0; i < r->n_events; i++)
        if (r->events[i].source.words && strncmp(r->events[i].source.words, words, strlen(words)) == 0)
            return &r->events[i];
    return NULL;
}

TestSuite(toll_owner, .init = open_lexicon, .fini = close_lexicon);

Test(toll_owner, a_toll_in_its_own_sentence_goes_to_the_event_before_it)
{
    const sr_code_result *r = code("Israeli troops raided the camp. Two Palestinians were killed.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1, "the toll is on one event");
    cr_assert_str_eq(r->events[at].source.code, "ISRMIL");
    cr_assert_eq(r->events[at].fatalities.value, 2);
    cr_assert_str_eq(r->events[at].fatalities.who, "civilians");
    /* the victims' own "event" only retold the toll */
    cr_assert_null(by_source(r, "Palestinians"));
}

Test(toll_owner, a_toll_in_the_same_sentence_goes_to_the_attack_not_to_the_victims)
{
    const sr_code_result *r = code("Israeli troops raided the camp and two Palestinians were killed.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_str_eq(r->events[at].source.code, "ISRMIL");
    cr_assert_eq(r->events[at].fatalities.value, 2);
    r = code("Israeli troops raided the camp, killing two Palestinians.");
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_eq(r->events[at].fatalities.value, 2);
}

Test(toll_owner, the_victims_alone_keep_their_toll)
{
    /* no attack told before: the only event there is has the toll */
    const sr_code_result *r = code("Two Palestinians were killed.");
    size_t at = 0;
    cr_assert_eq(r->n_events, 1);
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_eq(r->events[0].fatalities.value, 2);
}

Test(toll_owner, two_events_with_two_tolls_keep_each_their_own)
{
    const sr_code_result *r =
        code("Israeli troops raided the camp, killing two. Militants fired rockets at Sderot, wounding three.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_str_eq(r->events[at].source.code, "ISRMIL");
    cr_assert_eq(r->events[at].fatalities.value, 2);
    cr_assert_eq(with_toll(r, true, &at), 1);
    cr_assert_str_eq(r->events[at].source.words, "Militants");
    cr_assert_eq(r->events[at].injuries.value, 3);
    cr_assert_eq(r->events[at].fatalities.value, -1);
}

Test(toll_owner, a_later_toll_does_not_go_to_an_event_that_has_one)
{
    /* the second sentence's toll is the raid's; the third tells its own */
    const sr_code_result *r = code("Israeli troops raided the camp. Two Palestinians were killed. "
                                   "Militants fired rockets at Sderot, wounding three.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_eq(r->events[at].fatalities.value, 2);
    cr_assert_eq(with_toll(r, true, &at), 1);
    cr_assert_str_eq(r->events[at].source.words, "Militants");
}

Test(toll_owner, the_nearest_violent_event_before_gets_it)
{
    const sr_code_result *r = code("Rebels attacked a checkpoint and clashed with soldiers. Four soldiers were killed.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1, "one of the two events has the toll");
    cr_assert_eq(at, r->n_events - 1, "the nearest one");
    cr_assert_eq(r->events[at].fatalities.value, 4);
}

Test(toll_owner, a_new_paragraph_reports_on_nothing_before_it)
{
    const sr_code_result *r = code("Israeli troops raided the camp.\n\nTwo Palestinians were killed.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_eq(r->events[at].fatalities.value, 2);
    cr_assert_str_neq(r->events[at].source.code, "ISRMIL");
    const sr_code_event *raid = by_source(r, "Israeli troops");
    cr_assert_not_null(raid);
    cr_assert_eq(raid->fatalities.value, -1);
}

Test(toll_owner, a_sentence_with_an_attack_of_its_own_keeps_its_toll)
{
    const sr_code_result *r =
        code("Syrian forces shelled the town of Homs on Sunday. Rebels attacked a checkpoint, killing 4 soldiers.");
    cr_assert_eq(r->n_events, 2);
    cr_assert_eq(r->events[0].fatalities.value, -1);
    cr_assert_eq(r->events[1].fatalities.value, 4);
}

Test(toll_owner, who_reported_the_toll_is_not_an_attacker)
{
    const sr_code_result *r = code("Syrian forces shelled the town of Homs on Sunday. "
                                   "At least 12 people were killed, according to activists.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_str_eq(r->events[at].cameo, "194");
    cr_assert_eq(r->events[at].fatalities.value, 12);
    cr_assert_null(by_source(r, "activists"), "the activists' retelling is not an event");
}

Test(toll_owner, attackers_named_with_the_toll_keep_it)
{
    /* the figure opens the sentence, but the sentence tells its own attack */
    const sr_code_result *r =
        code("Israeli troops raided the camp. Three people were wounded when militants fired rockets at Sderot.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, true, &at), 1);
    cr_assert_str_eq(r->events[at].source.words, "militants");
    cr_assert_eq(r->events[at].injuries.value, 3);
    const sr_code_event *raid = by_source(r, "Israeli troops");
    cr_assert_not_null(raid);
    cr_assert_eq(raid->injuries.value, -1);
}

Test(toll_owner, the_dead_are_the_most_violent_acts_of_the_sentence)
{
    const sr_code_result *r =
        code("Students protested in the capital and police opened fire on the crowd, killing three.");
    size_t at = 0;
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_str_eq(r->events[at].source.words, "police");
    cr_assert_eq(r->events[at].fatalities.value, 3);
    r = code("Rebels staged an uprising in the north and militias massacred 300 villagers.");
    cr_assert_eq(with_toll(r, false, &at), 1);
    cr_assert_str_eq(r->events[at].source.words, "militias");
    cr_assert_eq(r->events[at].fatalities.value, 300);
}
