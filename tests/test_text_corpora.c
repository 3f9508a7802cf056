/* Sentence splitting on the event corpora (third-party, in ../shared when
 * present): records that hold one sentence must come out as one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/text.h"

static char *load_or_skip(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SR_CORPORA, name);
    char *data;
    if (sr_read_file(path, 16u << 20, &data, len) != SR_OK) {
        cr_skip_test("corpus %s not found: skipped", path);
        return NULL;
    }
    return data;
}

/* Counts the texts between `open` and `close` that split into one sentence.
 * Texts are cut at the closing mark, so the splitter sees only the record. */
static void count_single(char *data, const char *open, const char *close, size_t *texts, size_t *single)
{
    sr_arena *a = sr_arena_new(0);
    *texts = *single = 0;
    for (char *p = data; (p = strstr(p, open));) {
        p += strlen(open);
        char *e = strstr(p, close);
        if (!e)
            break;
        sr_sentence *s;
        size_t n;
        cr_assert_eq(sr_text_sentences(a, p, (size_t)(e - p), &s, &n), SR_OK);
        ++*texts;
        *single += n == 1;
        sr_arena_reset(a);
        p = e;
    }
    sr_arena_free(a);
}

Test(corpora, petrarch_records_stay_one_sentence_despite_hard_wrapping)
{
    size_t len, texts, single;
    char *data = load_or_skip("events/phoenix/PETR.UnitTest.records.xml", &len);
    if (!data)
        return;
    count_single(data, "<Text>", "</Text>", &texts, &single);
    free(data);
    cr_log_info("PETRARCH records: %zu of %zu one sentence", single, texts);
    cr_assert_geq(texts, 250);
    cr_assert_geq(single * 100, texts * 98, "%zu of %zu", single, texts);
}

Test(corpora, plover_gold_sentences_stay_one_sentence)
{
    size_t len, texts, single;
    char *data = load_or_skip("events/plover/PLOVER_GSR_CAMEO.txt", &len);
    if (!data)
        return;
    count_single(data, "\"text\": \"", "\",\n", &texts, &single);
    free(data);
    cr_log_info("PLOVER sentences: %zu of %zu one sentence", single, texts);
    cr_assert_geq(texts, 300);
    cr_assert_geq(single * 100, texts * 99, "%zu of %zu", single, texts);
}
