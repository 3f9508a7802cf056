/* WARC reader fuzz target: the bytes are a WARC file (plain or gzip'd) read
 * through a memory stream, every record taken to the end.
 *   ./build-fuzz/fuzz/fuzz_warc fuzz/warc/corpus -max_total_time=300 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sitrep/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    sr_ingest_limits lim;
    sr_ingest_limits_default(&lim);
    lim.max_record_bytes = 1 << 20;
    lim.max_body_bytes = 4 << 20;
    lim.max_header_bytes = 8192;
    sr_warc *r;
    if (sr_warc_open_stream(f, &lim, &r) == SR_OK) {
        sr_arena *a = sr_arena_new(0);
        sr_warc_record *rec;
        sr_err e;
        /* Each call consumes input, so this ends; the bound is a guard. */
        for (int n = 0; n < 100000 && (e = sr_warc_next(r, a, &rec)) != SR_ENOTFOUND; n++) {
            if (e == SR_OK && rec->body_len)
                (void)sr_warc_header(rec, "Content-Type");
            sr_arena_reset(a);
        }
        sr_arena_free(a);
        sr_warc_close(r);
    }
    fclose(f);
    return 0;
}
