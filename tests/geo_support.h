/* Shared by the geo tests: the gazetteer the build made, or a visible skip. */
#ifndef SR_TEST_GEO_SUPPORT_H
#define SR_TEST_GEO_SUPPORT_H
#include <criterion/criterion.h>
#include <stdlib.h>
#include "sitrep/geo.h"

static sr_gazetteer *test_gazetteer(void)
{
    const char *env = getenv("SITREP_GAZETTEER");
    const char *path = env && *env ? env : SR_BUILD_DIR "/gazetteer.bin";
    sr_err e;
    char why[1024];
    sr_gazetteer *g = sr_gazetteer_open(path, &e, why, sizeof why);
    if (!g)
        cr_skip_test("no gazetteer (%s); build it with 'sitrep gazetteer build'", why);
    return g;
}

/* The places found in text; the arena holds them. */
__attribute__((unused)) static sr_geo_doc *places_in(const sr_gazetteer *g, sr_arena *a, const char *text)
{
    sr_geo_doc *doc = NULL;
    cr_assert_eq(sr_geo_find(g, a, text, strlen(text), &doc), SR_OK);
    return doc;
}

/* The place whose mention covers byte offset of `word` in text, or NULL. */
__attribute__((unused)) static const sr_place *place_at(const sr_geo_doc *doc, const char *text, const char *word)
{
    const char *w = strstr(text, word);
    cr_assert_not_null(w, "test text lacks '%s'", word);
    size_t at = (size_t)(w - text);
    for (size_t i = 0; i < doc->n_places; i++)
        if (doc->places[i].start <= at && doc->places[i].end > at)
            return &doc->places[i];
    return NULL;
}
#endif
