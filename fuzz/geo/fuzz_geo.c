/* Fuzzes the text entry point, sr_geo_find, with the gazetteer the build
 * made ($SITREP_GAZETTEER or build/gazetteer.bin). Run:
 *   CC=clang-14 cmake -S . -B build-fuzz -DSR_FUZZ=ON -DSR_SANITIZE=ON -DSR_BENCH=OFF
 *   cmake --build build-fuzz --target fuzz_geo
 *   SITREP_GAZETTEER=build/gazetteer.bin ./build-fuzz/fuzz/fuzz_geo fuzz/geo/corpus -max_total_time=300 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/geo.h"

static sr_gazetteer *g;
static sr_arena *arena;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *path = getenv("SITREP_GAZETTEER");
    sr_err e;
    char why[1024];
    g = sr_gazetteer_open(path ? path : "build/gazetteer.bin", &e, why, sizeof why);
    if (!g) {
        fprintf(stderr, "fuzz_geo: %s\n", why);
        exit(1);
    }
    arena = sr_arena_new(0);
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    sr_arena_reset(arena);
    sr_geo_doc *doc;
    if (sr_geo_find(g, arena, (const char *)data, size, &doc) != SR_OK)
        return 0;
    for (size_t i = 0; i < doc->n_places; i++) {
        const sr_place *p = &doc->places[i];
        if (p->start >= p->end || p->end > size || p->cp_end > size || !p->name)
            abort();
        const sr_place *first;
        if (sr_geo_places_within(doc, p->start, p->end, &first) < 1)
            abort();
    }
    return 0;
}
