/* Content fingerprints: the exact hash ignores layout, SimHash finds
 * reprints of one wire story and keeps different stories apart. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/ingest.h"

static char *story(const char *name)
{
    char path[1024], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/ingest/stories/%s", SR_FIXTURES, name);
    cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK, "cannot read %s", path);
    return data;
}

static uint64_t simhash_of(const char *name)
{
    char *s = story(name);
    uint64_t h = sr_simhash(s, strlen(s));
    free(s);
    return h;
}

Test(content_hash, ignores_case_spacing_and_punctuation)
{
    const char *a = "Militants seize Fallujah, and parts of Ramadi.\n\nThe army prepares.";
    const char *b = "  militants SEIZE   Fallujah and parts of Ramadi\nthe army prepares ";
    char ha[65], hb[65];
    sr_content_hash_hex(a, strlen(a), ha);
    sr_content_hash_hex(b, strlen(b), hb);
    cr_assert_str_eq(ha, hb);
    cr_assert_eq(strlen(ha), 64);
}

Test(content_hash, one_changed_word_changes_it)
{
    const char *a = "At least twelve people were killed in Ramadi.";
    const char *b = "At least twenty people were killed in Ramadi.";
    uint8_t ha[SR_CONTENT_HASH_LEN], hb[SR_CONTENT_HASH_LEN];
    sr_content_hash(a, strlen(a), ha);
    sr_content_hash(b, strlen(b), hb);
    cr_assert_neq(memcmp(ha, hb, sizeof ha), 0);
}

Test(content_hash, folds_non_ascii_case)
{
    const char *a = "\xc3\x89TAT D'URGENCE \xc3\x80 ALEP";      /* ÉTAT D'URGENCE À ALEP */
    const char *b = "\xc3\xa9tat d\xe2\x80\x99urgence \xc3\xa0 alep"; /* état d’urgence à alep */
    char ha[65], hb[65];
    sr_content_hash_hex(a, strlen(a), ha);
    sr_content_hash_hex(b, strlen(b), hb);
    cr_assert_str_eq(ha, hb);
}

Test(simhash, wire_reprint_with_other_headline_and_footer_matches)
{
    uint64_t wire = simhash_of("anbar-wire.txt"), reprint = simhash_of("anbar-reprint.txt");
    int d = sr_simhash_distance(wire, reprint);
    cr_assert(sr_simhash_near(wire, reprint), "distance %d", d);
}

Test(simhash, different_stories_do_not_match_even_on_the_same_events)
{
    const char *names[] = {"anbar-wire.txt", "anbar-own-report.txt", "aleppo-ceasefire.txt"};
    uint64_t h[3];
    for (int i = 0; i < 3; i++)
        h[i] = simhash_of(names[i]);
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            cr_assert_not(sr_simhash_near(h[i], h[j]), "%s vs %s: distance %d", names[i], names[j],
                          sr_simhash_distance(h[i], h[j]));
}

/* Unrelated texts drawn from one vocabulary (so they share most words, as
 * news on one topic does) must still be far apart: the threshold is not
 * loose enough to join them. */
Test(simhash, no_false_matches_among_texts_sharing_a_vocabulary)
{
    char *base = story("anbar-wire.txt");
    const char *words[600];
    size_t n = 0;
    for (char *w = strtok(base, " \n"); w && n < 600; w = strtok(NULL, " \n"))
        words[n++] = w;
    uint64_t h[60];
    unsigned seed = 12345;
    char text[8192];
    for (int t = 0; t < 60; t++) {
        size_t o = 0;
        for (int k = 0; k < 250; k++) {
            seed = seed * 1103515245u + 12345u;
            o += (size_t)snprintf(text + o, sizeof text - o, "%s ", words[(seed >> 8) % n]);
        }
        h[t] = sr_simhash(text, o);
    }
    int near = 0;
    for (int i = 0; i < 60; i++)
        for (int j = i + 1; j < 60; j++)
            near += sr_simhash_near(h[i], h[j]);
    cr_assert_eq(near, 0, "%d of 1770 pairs matched", near);
    free(base);
}

Test(simhash, short_texts_and_empty_text)
{
    cr_assert_eq(sr_simhash("", 0), 0);
    cr_assert_eq(sr_simhash("Aleppo", 6), sr_simhash("ALEPPO!", 7));
    cr_assert_neq(sr_simhash("Aleppo", 6), sr_simhash("Ramadi", 6));
}

/* The store takes both fingerprints from one pass over the words: they must
 * be what the two separate functions give, on a text long enough that the
 * SimHash counters are emptied several times over (255 shingles a time). */
Test(fingerprints, one_pass_gives_both)
{
    char *base = story("anbar-wire.txt");
    size_t blen = strlen(base), len = 0;
    char *text = malloc(8 * blen + 1);
    for (int k = 0; k < 8; k++) {
        memcpy(text + len, base, blen);
        len += blen;
        text[len - 1] = (char)('a' + k);   /* each copy ends its own way */
    }
    text[len] = 0;
    char hex[2 * SR_CONTENT_HASH_LEN + 1], hex1[2 * SR_CONTENT_HASH_LEN + 1];
    uint64_t sim = 0;
    sr_fingerprints(text, len, hex, &sim);
    sr_content_hash_hex(text, len, hex1);
    cr_assert_str_eq(hex, hex1);
    cr_assert_eq(sim, sr_simhash(text, len));
    cr_assert_neq(sim, 0);
    /* a reprint of the long text with one word changed is still the same story */
    char *p = strstr(text, " the ");
    cr_assert_not_null(p);
    memcpy(p + 1, "THX", 3);
    cr_assert(sr_simhash_distance(sim, sr_simhash(text, len)) <= 2);
    free(text);
    free(base);
}

/* A text of one word repeated has one shingle, however long: its SimHash
 * is that shingle's bits whether it is seen once or a thousand times (the
 * counters of each bit must not wrap). */
Test(simhash, a_thousand_equal_shingles_count_like_one)
{
    char text[5000];
    size_t o = 0;
    for (int k = 0; k < 1000; k++)
        o += (size_t)snprintf(text + o, sizeof text - o, "war ");
    uint64_t once = sr_simhash("war war war", 11);
    cr_assert_neq(once, 0);
    cr_assert_eq(sr_simhash(text, o), once);
}
