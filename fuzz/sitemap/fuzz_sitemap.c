/* Sitemap parser fuzz target.
 *   ./build-fuzz/fuzz/fuzz_sitemap fuzz/sitemap/corpus -max_total_time=300 */
#include <stdint.h>
#include <string.h>
#include "sitrep/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sr_ingest_limits lim;
    sr_ingest_limits_default(&lim);
    lim.max_doc_bytes = 1 << 20;
    lim.max_items = 500;
    lim.max_field_bytes = 4096;
    sr_arena *a = sr_arena_new(64u << 20);
    sr_sitemap *map;
    char err[SR_INGEST_ERRLEN];
    sr_sitemap_parse((const char *)data, size, "https://news.example.org/sitemap.xml", &lim, a, &map, err, sizeof err);
    if (map)
        for (size_t i = 0; i < map->n_entries; i++) {
            char *key;
            sr_url_normalize(map->entries[i].loc, a, &key);
        }
    sr_arena_free(a);
    return 0;
}
