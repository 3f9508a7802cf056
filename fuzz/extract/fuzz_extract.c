/* libFuzzer target for sitrep's extractor: the HTML entry point (with and
 * without a Content-Type charset and a source URL) and the --text entry
 * point; the first input byte chooses. Every article must write valid JSON.
 *   CC=clang-14 cmake -S . -B build-fuzz -DSR_FUZZ=ON -DSR_SANITIZE=ON -DSR_BENCH=OFF
 *   cmake --build build-fuzz --target fuzz_extract
 *   ./build-fuzz/fuzz/fuzz_extract fuzz/extract/corpus -max_total_time=300 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/extract.h"

static sr_extractor *ex;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ex)
        ex = sr_extractor_new(NULL);
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    const char *page = (const char *)data + 1;
    size_t len = size - 1;
    sr_arena *arena = sr_arena_new(0);
    sr_article *a = NULL;
    sr_err e;
    if (mode % 4 == 3) {
        e = sr_extract_text(ex, arena, page, len, "fuzz", &a);
    } else {
        const char *ctype = mode % 4 == 1 ? "text/html; charset=ISO-8859-1"
                            : mode % 4 == 2 ? "text/html; charset=Shift_JIS" : NULL;
        const char *url = mode & 4 ? "https://example.org/news/2020/01/02/story.html" : NULL;
        e = sr_extract_html(ex, arena, page, len, "fuzz", url, ctype, &a);
    }
    if (e == SR_OK) {
        sr_buf out;
        sr_buf_init(&out, 1u << 30);
        sr_json j;
        sr_json_init(&j, &out);
        sr_article_write_json(a, &j);
        if (out.data && !sr_utf8_valid(out.data, out.len))
            abort();
        sr_buf_free(&out);
    }
    sr_arena_free(arena);
    return 0;
}
