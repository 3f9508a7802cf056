/* The cheap paths of place finding give what the general ones give: the
 * letter table folds as utf8proc does, the context lists find their own
 * words, and code-point offsets hold in text of mixed scripts. */
#include <criterion/criterion.h>
#include <string.h>
#include "sitrep/geo.h"
#include "sitrep/util.h"
#include "geo/gaz.h"
#include "geo/words.h"
#include "geo_support.h"

#define N_CASES (3 * GAZ_CP_TABLE)

/* Each letter below U+0800 alone, inside a word ending in "ah", and near
 * the end of a key, where folding may be cut short. */
static size_t make_case(int k, char *w)
{
    int32_t cp = 0x80 + k % (GAZ_CP_TABLE - 0x80);
    size_t n = 0;
    if (k / (GAZ_CP_TABLE - 0x80) == 1)
        n = (size_t)sprintf(w, "Ab");
    else if (k / (GAZ_CP_TABLE - 0x80) == 2)
        for (; n < GAZ_MAX_KEY - 6; n++)
            w[n] = 'x';
    n += (size_t)sr_utf8_encode(cp, w + n);
    n += (size_t)sprintf(w + n, "ah");
    return n;
}

Test(geo_words, the_letter_table_folds_as_utf8proc_does)
{
    if (gaz_cp_table())
        cr_skip_test("the letter table is already filled in this process");
    static char before[N_CASES][GAZ_MAX_KEY];
    char w[GAZ_MAX_KEY + 16];
    int cases = 3 * (GAZ_CP_TABLE - 0x80);
    for (int k = 0; k < cases; k++)
        gaz_norm_word(w, make_case(k, w), before[k]);
    gaz_cp_init();
    cr_assert_not_null(gaz_cp_table());
    size_t folded = 0;
    for (int k = 0; k < cases; k++) {
        char after[GAZ_MAX_KEY];
        size_t n = gaz_norm_word(w, make_case(k, w), after);
        cr_assert_str_eq(after, before[k], "case %d", k);
        folded += n;
    }
    cr_assert_gt(folded, (size_t)cases);
}

Test(geo_words, context_lists_find_their_first_and_last_words)
{
    cr_assert(is_title_word("actor") && is_title_word("mayor") && is_title_word("wife"));
    cr_assert(!is_title_word("mayors") && !is_title_word("a") && !is_title_word("zzz"));
    cr_assert(is_place_preposition("across") && is_place_preposition("within"));
    cr_assert(is_org_word("airlines") && is_org_word("way") && !is_org_word("ways"));
    cr_assert(is_name_connector("ad") && is_name_connector("of") && is_name_connector("zu"));
    cr_assert(is_calendar_word("april") && is_calendar_word("wednesday") && !is_calendar_word("week"));
    cr_assert(is_abbrev_word("ft") && is_abbrev_word("ste") && !is_abbrev_word("s"));
    cr_assert_eq(admin_word_kind("borough"), SR_PLACE_ADMIN2);
    cr_assert_eq(admin_word_kind("province"), SR_PLACE_ADMIN1);
    cr_assert_eq(admin_word_kind("township"), SR_PLACE_CITY);
    cr_assert_eq(admin_word_kind("provinces"), -1);
    cr_assert_eq(admin_word_kind(""), -1);
}

Test(geo_words, code_point_offsets_hold_in_mixed_scripts)
{
    sr_gazetteer *g = test_gazetteer();
    sr_arena *a = sr_arena_new(0);
    const char *text = "Flüchtlinge aus Mosul — Αθήνα, Москва und Köln. “Baghdad” said \xff\xfe it; "
                       "in Berlin, 北京 and Cairo d\xCA\xBCIvoire. Straße nach München, then Paris.";
    sr_geo_doc *doc = places_in(g, a, text);
    cr_assert_geq(doc->n_places, 5);
    for (size_t i = 0; i < doc->n_places; i++) {
        const sr_place *p = &doc->places[i];
        cr_assert_eq(p->cp_start, sr_utf8_count(text, p->start), "%s", p->text);
        cr_assert_eq(p->cp_end, sr_utf8_count(text, p->end), "%s", p->text);
    }
    sr_arena_free(a);
    sr_gazetteer_close(g);
}
