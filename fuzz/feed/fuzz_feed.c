/* Feed parser fuzz target: any bytes as RSS / Atom / JSON Feed, then the
 * URL keys and fingerprints of whatever items come out.
 *   ./build-fuzz/fuzz/fuzz_feed fuzz/feed/corpus -max_total_time=300 */
#include <stdint.h>
#include <string.h>
#include "sitrep/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sr_ingest_limits lim;
    sr_ingest_limits_default(&lim);
    lim.max_doc_bytes = 1 << 20;
    lim.max_items = 200;
    lim.max_field_bytes = 4096;
    (void)sr_source_sniff(data, size);
    sr_arena *a = sr_arena_new(64u << 20);
    sr_feed *feed;
    char err[SR_INGEST_ERRLEN];
    sr_feed_parse((const char *)data, size, "https://feeds.example.org/world/rss.xml", &lim, a, &feed, err, sizeof err);
    if (feed) {
        for (size_t i = 0; i < feed->n_items; i++) {
            const sr_feed_item *it = &feed->items[i];
            char *key;
            if (it->link)
                sr_url_normalize(it->link, a, &key);
            if (it->summary)
                (void)sr_simhash(it->summary, strlen(it->summary));
        }
    }
    sr_arena_free(a);
    return 0;
}
