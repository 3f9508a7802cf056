/* Sentences, tokens, numbers and dates over arbitrary bytes: nothing may
 * crash, and every span must lie inside the text and come in order.
 *   ./build-fuzz/fuzz/fuzz_text fuzz/text/corpus -max_total_time=300 */
#include <stdlib.h>
#include "sitrep/text.h"

#define CHECK(cond) \
    do {            \
        if (!(cond)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the document date, so relative dates are
     * resolved across month and year ends and leap days. */
    sr_ymd doc = {0, 0, 0};
    if (size > 0 && data[0] & 1)
        doc = sr_ymd_add_days((sr_ymd){2016, 2, 29}, (long)data[0] * 3 - 384);
    const char *text = (const char *)data;
    sr_arena *a = sr_arena_new(64u << 20);

    sr_sentence *s = NULL;
    size_t n, ns = 0;
    if (sr_text_sentences(a, text, size, &s, &ns) == SR_OK)
        for (size_t i = 0; i < ns; i++)
            CHECK(s[i].start < s[i].end && s[i].end <= size && (i == 0 || s[i - 1].end <= s[i].start));

    /* Tokens mark sentence starts exactly where the splitter starts them,
     * and numbers and dates read from each sentence's run stay inside it. */
    sr_token *t;
    if (sr_text_tokens(a, text, size, &t, &n) == SR_OK) {
        size_t starts = 0;
        for (size_t i = 0; i < n; i++) {
            CHECK(t[i].start < t[i].end && t[i].end <= size && (i == 0 || t[i - 1].end <= t[i].start));
            if (t[i].flags & SR_TOKEN_SENTENCE_START) {
                CHECK(starts < ns && s[starts].start == t[i].start);
                starts++;
            }
            sr_number num;
            if (sr_text_number_at(text, size, t[i].start, &num))
                CHECK(num.start == t[i].start && num.end <= size && num.min <= num.max);
        }
        CHECK(starts == ns);
        for (size_t b = 0, e; b < n; b = e) {
            for (e = b + 1; e < n && !(t[e].flags & SR_TOKEN_SENTENCE_START); e++)
                ;
            sr_number *num;
            sr_date *d;
            size_t k;
            if (sr_text_numbers_in(a, text, t + b, e - b, &num, &k) == SR_OK)
                for (size_t i = 0; i < k; i++)
                    CHECK(num[i].start >= t[b].start && num[i].end <= t[e - 1].end);
            if (sr_text_dates_in(a, text, t + b, e - b, doc, &d, &k) == SR_OK)
                for (size_t i = 0; i < k; i++)
                    CHECK(d[i].start >= t[b].start && d[i].end <= t[e - 1].end);
        }
    }

    sr_number *num;
    if (sr_text_numbers(a, text, size, &num, &n) == SR_OK)
        for (size_t i = 0; i < n; i++)
            CHECK(num[i].start < num[i].end && num[i].end <= size && num[i].min <= num[i].max);

    sr_date *d;
    if (sr_text_dates(a, text, size, doc, &d, &n) == SR_OK)
        for (size_t i = 0; i < n; i++) {
            CHECK(d[i].start < d[i].end && d[i].end <= size);
            CHECK(d[i].date.month >= 0 && d[i].date.month <= 12 && d[i].date.day >= 0 && d[i].date.day <= 31);
        }
    sr_arena_free(a);
    return 0;
}
