/* Finding and resolving places: spellings, traps, context, offsets and
 * hostile input. Needs the gazetteer the build makes (skips without). */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include "sitrep/geo.h"
#include "geo/gaz.h"
#include "geo_support.h"

static sr_gazetteer *g;
static sr_arena *a;

static void setup(void)
{
    a = sr_arena_new(0);
    g = test_gazetteer();
}

static void teardown(void)
{
    sr_gazetteer_close(g);
    sr_arena_free(a);
}

TestSuite(geo, .init = setup, .fini = teardown);

Test(geo_norm, spellings_of_one_name_meet)
{
    char x[GAZ_MAX_KEY], y[GAZ_MAX_KEY];
    size_t nx, ny;
    gaz_norm_name("Al Fallūjah", strlen("Al Fallūjah"), x, &nx);
    gaz_norm_name("al-Falluja", strlen("al-Falluja"), y, &ny);
    cr_assert_str_eq(x, y);
    cr_assert_str_eq(x, "al falluja");
    gaz_norm_name("Sana\xCA\xBF" "a", 7, x, &nx);
    gaz_norm_name("Sana'a", 6, y, &ny);
    cr_assert_str_eq(x, y);
    cr_assert_eq(gaz_norm_word("FALLUJAH", 8, x), 7);
    cr_assert_str_eq(x, "falluja");
}

Test(geo, four_spellings_of_fallujah_are_one_place)
{
    const char *forms[] = {"Fallujah", "Falluja", "Al-Fallujah", "Al Fall\xC5\xABjah"};
    uint32_t id = 0;
    for (int i = 0; i < 4; i++) {
        char text[128];
        snprintf(text, sizeof text, "Fighting went on in %s, Iraq, on Monday.", forms[i]);
        sr_arena_reset(a);
        sr_geo_doc *doc = places_in(g, a, text);
        const sr_place *p = place_at(doc, text, forms[i] + (i >= 2 ? 3 : 0));
        cr_assert_not_null(p, "%s not found", forms[i]);
        cr_assert_str_eq(p->cc, "IQ");
        cr_assert_eq(p->kind, SR_PLACE_CITY);
        if (i == 0)
            id = p->geonameid;
        cr_assert_eq(p->geonameid, id, "%s is another place", forms[i]);
    }
}

Test(geo, a_country_name_outranks_a_citys_alternate_name)
{
    const char *text = "Violence in Iraq rose again.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Iraq");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY);
    cr_assert_str_eq(p->cc, "IQ");
}

Test(geo, demonyms_count_as_their_country)
{
    const char *text = "The Iraqi army went on the attack while Syrian rebels watched.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Iraqi");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "IQ");
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY);
    p = place_at(doc, text, "Syrian");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "SY");
}

Test(geo, province_word_makes_an_admin1_mention)
{
    const char *text = "Militants hold parts of Anbar province near the border.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Anbar");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_ADMIN1);
    cr_assert_str_eq(p->cc, "IQ");
    cr_assert_str_eq(p->text, "Anbar province");
}

Test(geo, the_city_of_x_is_a_city)
{
    const char *text = "Troops entered the city of Mosul at dawn.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Mosul");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_CITY);
    cr_assert_str_eq(p->cc, "IQ");
}

Test(geo, city_comma_state_picks_the_town_in_that_state)
{
    const char *text = "A woman from Alexandria, La., was charged with arson.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Alexandria");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "US");
    cr_assert_str_eq(p->admin1, "Louisiana");
}

Test(geo, a_possessive_inside_a_name_keeps_the_whole_name)
{
    const char *text = "Officials of the People's Republic of China met in Geneva.";
    const sr_place *p = place_at(places_in(g, a, text), text, "People's");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "CN", "read as %s", p->name);
    cr_assert_str_eq(p->text, "People's Republic of China");
}

Test(geo, a_compass_word_before_a_name_is_not_a_region_of_its_own)
{
    /* Ghana has an "Eastern" region and Cameroon a "West" one. */
    const char *text = "Cases rose across the Eastern Mediterranean and in West Kasai.";
    sr_geo_doc *doc = places_in(g, a, text);
    for (size_t i = 0; i < doc->n_places; i++)
        cr_assert(strcmp(doc->places[i].cc, "GH") != 0 && strcmp(doc->places[i].cc, "CM") != 0,
                  "'%s' read as %s (%s)", doc->places[i].text, doc->places[i].name, doc->places[i].cc);
    const sr_place *p = place_at(doc, text, "Kasai");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "CD");
}

Test(geo, a_list_of_states_is_states_not_towns_named_after_them)
{
    /* Missouri has towns named California, Nevada, Louisiana and Oregon. */
    const char *text = "The recall covers Alabama, Arizona, California, Colorado, Georgia, Idaho, "
                       "Louisiana, Montana, Nevada, Oregon, Texas and Utah.";
    sr_geo_doc *doc = places_in(g, a, text);
    const char *states[] = {"California", "Louisiana", "Nevada", "Oregon"};
    for (int i = 0; i < 4; i++) {
        const sr_place *p = place_at(doc, text, states[i]);
        cr_assert_not_null(p, "%s not found", states[i]);
        cr_assert_eq(p->kind, SR_PLACE_ADMIN1, "%s read as %s (%s)", states[i], p->name,
                     sr_place_kind_name(p->kind));
    }
}

Test(geo, towns_named_after_world_cities_do_not_vote_for_each_other)
{
    const char *text = "Flu cases were confirmed in the United States and New York. Russia "
                       "reported cases in Moscow, Canada in Toronto, and Lebanon three.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Moscow");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "RU", "Moscow read as %s (%s)", p->name, p->cc);
    p = place_at(doc, text, "Lebanon");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY, "Lebanon read as %s (%s)", p->name, p->cc);
}

Test(geo, an_undotted_state_abbreviation_counts_only_after_a_town)
{
    const char *text = "Dead birds were found near Esperance in Western Australia. "
                       "The WA Department of Agriculture will test them.";
    sr_geo_doc *doc = places_in(g, a, text);
    for (size_t i = 0; i < doc->n_places; i++)
        cr_assert(strcmp(doc->places[i].cc, "US") != 0, "'%s' read as %s (US)",
                  doc->places[i].text, doc->places[i].name);
    const char *town = "Police in Spokane, WA, closed the road.";
    const sr_place *p = place_at(places_in(g, a, town), town, "WA");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->name, "Washington");
}

Test(geo, a_list_of_countries_is_no_town_in_the_next_country)
{
    const char *text = "Cases were reported in Turkey, Armenia, Georgia, Iraq, Iran and Syria.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Iraq");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY, "Iraq read as %s (%s)", p->name, p->cc);
    cr_assert_str_eq(p->cc, "IQ");
}

Test(geo, washington_in_a_list_of_states_is_the_state)
{
    const char *text = "The recall covers Alaska, Arizona, Illinois, Virginia, Washington, "
                       "West Virginia and Wyoming.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Washington");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_ADMIN1, "Washington read as %s (%s)", p->name,
                 sr_place_kind_name(p->kind));
    const char *town = "A fire broke out in Washington, Pennsylvania, on Sunday.";
    p = place_at(places_in(g, a, town), town, "Washington");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->admin1, "Pennsylvania", "Washington read as %s (%s)", p->name, p->admin1);
}

Test(geo, common_words_and_people_are_not_places)
{
    const char *text =
        "Mobile phones were banned. Reading the report, Secretary of State John Kerry said it "
        "was Nice to see progress. Chad Johnson and Michael Jordan were at the game. "
        "An official said so.";
    sr_geo_doc *doc = places_in(g, a, text);
    const char *traps[] = {"Mobile", "Reading", "Kerry", "Nice", "Chad", "Jordan", "Michael", "An "};
    for (size_t i = 0; i < sizeof traps / sizeof *traps; i++)
        cr_assert_null(place_at(doc, text, traps[i]), "'%s' taken for a place", traps[i]);
}

Test(geo, the_same_words_are_places_in_place_contexts)
{
    const char *text = "Aid reached Chad and Jordan. Storms hit Mobile, Ala., and Nice, France.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Chad");
    cr_assert(p && strcmp(p->cc, "TD") == 0);
    p = place_at(doc, text, "Jordan");
    cr_assert(p && strcmp(p->cc, "JO") == 0);
    p = place_at(doc, text, "Mobile");
    cr_assert(p && strcmp(p->cc, "US") == 0 && strcmp(p->admin1, "Alabama") == 0);
    p = place_at(doc, text, "Nice");
    cr_assert(p && strcmp(p->cc, "FR") == 0);
}

Test(geo, washington_as_the_government_is_a_country_mention)
{
    const char *text = "Washington said on Tuesday it would speed up delivery of missiles.";
    const sr_place *p = place_at(places_in(g, a, text), text, "Washington");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY);
    cr_assert_str_eq(p->cc, "US");
}

Test(geo, offsets_are_bytes_and_code_points)
{
    const char *text = "Caf\xC3\xA9 owners in Z\xC3\xBCrich, Switzerland, protested.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Switzerland");
    cr_assert_not_null(p);
    size_t byte = (size_t)(strstr(text, "Switzerland") - text);
    cr_assert_eq(p->start, byte);
    cr_assert_eq(p->cp_start, byte - 2);  /* é and ü are two bytes each */
    cr_assert_eq(p->cp_end - p->cp_start, strlen("Switzerland"));
    p = place_at(doc, text, "rich");
    cr_assert_not_null(p);
    cr_assert_eq(p->cp_end - p->cp_start, 6);
    cr_assert_str_eq(p->text, "Z\xC3\xBCrich");
}

Test(geo, places_within_a_sentence_and_focus)
{
    const char *text = "Clashes broke out in Ramadi. Later Baghdad was calm. Iraq's army said so.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *first;
    size_t s2 = (size_t)(strstr(text, "Later") - text), e2 = (size_t)(strstr(text, "Iraq") - text);
    cr_assert_eq(sr_geo_places_within(doc, s2, e2, &first), 1);
    cr_assert_str_eq(first->text, "Baghdad");
    cr_assert_eq(sr_geo_places_within(doc, 0, 5, &first), 0);
    cr_assert_null(first);
    cr_assert_geq(doc->n_focus, 1);
    cr_assert_eq(doc->focus[0].kind, SR_PLACE_COUNTRY);
    cr_assert_str_eq(doc->focus[0].cc, "IQ");
}

Test(geo, invalid_utf8_empty_and_huge_documents)
{
    const char bad[] = "Bombs hit \xFF\xFE Baghdad \xC3 and Basra\xE2\x82.";
    sr_geo_doc *doc;
    cr_assert_eq(sr_geo_find(g, a, bad, sizeof bad - 1, &doc), SR_OK);
    for (size_t i = 0; i < doc->n_places; i++) {
        cr_assert_leq(doc->places[i].end, sizeof bad - 1);
        cr_assert_eq(doc->places[i].cp_start, sr_utf8_count(bad, doc->places[i].start));
    }
    cr_assert_not_null(place_at(doc, bad, "Baghdad"));
    cr_assert_eq(sr_geo_find(g, a, "", 0, &doc), SR_OK);
    cr_assert_eq(doc->n_places, 0);
    cr_assert_eq(sr_geo_find(g, a, bad, (size_t)SR_GEO_MAX_TEXT + 1, &doc), SR_ETOOBIG);
    size_t n = 4u << 20;  /* 4 MB of news-like text */
    char *big = malloc(n + 1);
    const char *unit = "Rockets fell on Kabul and Kandahar, Afghanistan. ";
    for (size_t i = 0; i < n; i++)
        big[i] = unit[i % strlen(unit)];
    big[n] = 0;
    cr_assert_eq(sr_geo_find(g, a, big, n, &doc), SR_OK);
    cr_assert_geq(doc->n_places, n / strlen(unit) * 2);
    free(big);
}

Test(gazetteer, missing_or_damaged_file_names_the_build_command)
{
    sr_err e;
    char why[512];
    cr_assert_null(sr_gazetteer_open("/nonexistent/gazetteer.bin", &e, why, sizeof why));
    cr_assert_eq(e, SR_ENOTFOUND);
    cr_assert(strstr(why, "sitrep gazetteer build"), "%s", why);
    char path[] = "/tmp/sitrep-gaz-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    char junk[4096];
    memset(junk, 'x', sizeof junk);
    cr_assert_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    cr_assert_null(sr_gazetteer_open(path, &e, why, sizeof why));
    cr_assert_eq(e, SR_ESTALE);
    cr_assert(strstr(why, "sitrep gazetteer build"), "%s", why);
    unlink(path);
}

/* GeoNames names some areas kind first ("Province of Nueva Ecija"); news
 * writes the bare name. The District of Columbia stays whole. */
Test(geo, an_area_named_kind_first_is_found_by_its_bare_name)
{
    const char *text = "Floods hit Nueva Ecija in the Philippines on Monday.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Nueva Ecija");
    cr_assert_not_null(p, "Nueva Ecija not found");
    cr_assert_str_eq(p->cc, "PH");
    cr_assert(p->kind == SR_PLACE_ADMIN1 || p->kind == SR_PLACE_ADMIN2);
    cr_assert_eq(p->cp_end - p->cp_start, strlen("Nueva Ecija"));
    sr_arena_reset(a);
    text = "Police in Columbia arrested two men on Friday.";
    doc = places_in(g, a, text);
    p = place_at(doc, text, "Columbia");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_CITY, "Columbia read as %s", p->name);
}

/* Texas has a town called Canadian; in a Texas story "the Canadian
 * government" is still Canada's, while "Canadian, Texas" is the town. */
Test(geo, a_demonym_is_a_town_only_with_its_own_cue)
{
    const char *text = "Officials in Houston, Dallas and Austin, Texas, said the Canadian "
                       "government had sent help.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Canadian");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY, "Canadian read as %s", p->name);
    cr_assert_str_eq(p->cc, "CA");
    sr_arena_reset(a);
    text = "A tornado hit Canadian, Texas, and Pampa, Texas, on Sunday.";
    doc = places_in(g, a, text);
    p = place_at(doc, text, "Canadian");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_CITY);
    cr_assert_str_eq(p->cc, "US");
}

/* New South Wales spans 141-153.6 E; its towns crowd on the coast near
 * 151 E. Its point must stay in the middle band of the state, not be
 * dragged to the coast by cutting its thinly settled west. */
Test(geo, a_thinly_settled_part_still_counts_for_an_areas_point)
{
    const char *text = "Floods hit New South Wales on Monday.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "New South Wales");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_ADMIN1);
    cr_assert(p->lon > 145.0 && p->lon < 150.0, "lon %f", p->lon);
    cr_assert(p->lat > -34.5 && p->lat < -30.5, "lat %f", p->lat);
}

/* Angola has a province called Zaire; in "Ebola struck Zaire in 1976" the
 * former name of the DR Congo is meant, as the Soviet Union is Russia's. */
Test(geo, a_former_country_name_is_its_successor_state)
{
    const char *text = "Ebola struck Zaire in 1976, when the Soviet Union sent doctors.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Zaire");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY, "Zaire read as %s", p->name);
    cr_assert_str_eq(p->cc, "CD");
    p = place_at(doc, text, "Soviet Union");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "RU");
    cr_assert_eq(p->cp_end - p->cp_start, strlen("Soviet Union"));
}

/* Alabama has a town called Egypt. In a story that speaks of the Egyptian
 * government and Cairo, "their stay in Egypt" is the country even though
 * the story later moves to towns in Alabama. */
Test(geo, a_country_spoken_of_elsewhere_is_no_town_of_its_name)
{
    const char *text = "The Egyptian government ordered all pigs slaughtered. Passengers "
                       "arriving at Cairo airport will be watched during their stay in Egypt. "
                       "In Alabama, cases were found in Cordova and Guntersville, Alabama.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Egypt.");
    cr_assert_not_null(p);
    cr_assert_eq(p->kind, SR_PLACE_COUNTRY, "Egypt read as %s (%s)", p->name, p->cc);
    cr_assert_str_eq(p->cc, "EG");
}

/* A story set mostly in Georgia names a town the fallback would move to
 * Georgia; but the town is in Indonesia, which the story names as often,
 * so it stays where the gazetteer has it. */
Test(geo, a_town_in_a_country_the_story_names_is_not_moved_to_the_focus_area)
{
    const char *text = "Tests on six villagers in the Kabanjahe district of Sumatra in Indonesia "
                       "came back negative, Indonesia's health minister said. Samples went to "
                       "the laboratory in Atlanta, Georgia, and Atlanta will report on Friday.";
    sr_geo_doc *doc = places_in(g, a, text);
    const sr_place *p = place_at(doc, text, "Kabanjahe");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "ID", "Kabanjahe put in %s (%s)", p->name, p->cc);
    cr_assert_eq(p->kind, SR_PLACE_CITY);
}

/* Acronyms and institutions named alone are no towns: "UN" is no "Un" in
 * India, "the White House" no Casablanca (whose name means it), "the
 * Hospital" no Hospital in Chile; "NYC" still names New York. */
Test(geo, acronyms_and_institutions_are_not_towns)
{
    const char *text = "The UN and the White House said the Hospital would stay open in NYC.";
    sr_geo_doc *doc = places_in(g, a, text);
    cr_assert_null(place_at(doc, text, "UN"), "UN read as a place");
    cr_assert_null(place_at(doc, text, "White House"), "White House read as a place");
    cr_assert_null(place_at(doc, text, "Hospital"), "Hospital read as a place");
    const sr_place *p = place_at(doc, text, "NYC");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->cc, "US");
}
