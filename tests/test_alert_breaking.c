/* Breaking detection: many independent outlets on one story, quickly. */
#include <criterion/criterion.h>
#include <stdio.h>
#include "sitrep/alert.h"

static const char *const outlets[] = {"reuters.com", "apnews.com", "bbc.co.uk", "aljazeera.com",
                                      "france24.com", "dw.com", "nytimes.com", "theguardian.com"};

Test(breaking, flags_a_story_once_when_enough_outlets_report_it_quickly)
{
    sr_breaking *b = sr_breaking_new(&(sr_breaking_options){.min_sources = 5, .window_s = 1800});
    for (int i = 0; i < 4; i++)
        cr_assert(!sr_breaking_observe(b, 42, outlets[i], 1000 + i * 60), "flagged after %d outlets", i + 1);
    cr_assert(sr_breaking_observe(b, 42, outlets[4], 1300), "five outlets in five minutes");
    cr_assert(!sr_breaking_observe(b, 42, outlets[5], 1400), "flagged a second time");
    cr_assert(!sr_breaking_observe(b, 42, outlets[6], 90000), "flagged again a day later");
    sr_breaking_free(b);
}

Test(breaking, one_outlet_repeating_itself_is_not_many_sources)
{
    sr_breaking *b = sr_breaking_new(NULL);
    for (int i = 0; i < 50; i++)
        cr_assert(!sr_breaking_observe(b, 7, i % 2 ? "Reuters.com" : "reuters.com", 100 + i));
    cr_assert(!sr_breaking_observe(b, 7, "", 200), "an empty outlet counts for nothing");
    sr_breaking_free(b);
}

Test(breaking, a_slow_story_is_not_breaking_and_the_window_slides)
{
    sr_breaking *b = sr_breaking_new(&(sr_breaking_options){.min_sources = 5, .window_s = 1800});
    for (int i = 0; i < 8; i++)
        cr_assert(!sr_breaking_observe(b, 9, outlets[i], i * 2400.0), "one outlet every 40 minutes");
    /* four early reports age out; four fresh ones and a repeat of an early one make five */
    for (int i = 0; i < 4; i++)
        cr_assert(!sr_breaking_observe(b, 10, outlets[i], 100 + i));
    for (int i = 4; i < 8; i++)
        cr_assert(!sr_breaking_observe(b, 10, outlets[i], 5000 + i), "stale reports still counted");
    cr_assert(sr_breaking_observe(b, 10, outlets[0], 5100), "the first outlet's fresh report is the fifth");
    sr_breaking_free(b);
}

Test(breaking, a_story_flagged_in_an_earlier_run_is_not_flagged_again)
{
    sr_breaking *b = sr_breaking_new(&(sr_breaking_options){.min_sources = 3});
    cr_assert_eq(sr_breaking_mark(b, 5, 0), SR_OK);
    for (int i = 0; i < 8; i++)
        cr_assert(!sr_breaking_observe(b, 5, outlets[i], 10 + i));
    for (int i = 0; i < 2; i++)
        cr_assert(!sr_breaking_observe(b, 6, outlets[i], 10 + i));
    cr_assert(sr_breaking_observe(b, 6, outlets[2], 20), "other stories are not affected");
    sr_breaking_free(b);
}

Test(breaking, forgets_quiet_stories_so_memory_stays_bounded)
{
    sr_breaking *b = sr_breaking_new(&(sr_breaking_options){.min_sources = 3, .window_s = 600, .remember_s = 3600});
    size_t most = 0;
    for (int i = 0; i < 200000; i++) {
        double t = i * 0.5; /* a new story every half second for 28 hours */
        sr_breaking_observe(b, (uint64_t)i, outlets[i % 8], t);
        if (i % 100 == 0) /* some become breaking and are remembered longer */
            for (int k = 1; k < 3; k++)
                sr_breaking_observe(b, (uint64_t)i, outlets[(i + k) % 8], t);
        if (sr_breaking_tracked(b) > most)
            most = sr_breaking_tracked(b);
    }
    /* 600 s of stories (1200) plus an hour of flagged ones (72) plus a sweep's lag (1024) */
    cr_assert_lt(most, 1200 + 72 + 1024 + 100, "tracked %zu stories at once", most);
    sr_breaking_free(b);
}
