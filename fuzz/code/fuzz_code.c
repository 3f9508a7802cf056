/* Fuzz the coder's text entry: any bytes as a sentence and as a document,
 * coded with the project's test dictionaries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "sitrep/code.h"

static sr_coder *coder;

static void init(void)
{
    sr_code_dict *d;
    FILE *quiet = fopen("/dev/null", "w");
    if (sr_code_dict_new(&d, quiet)) abort();
    const char *dir = getenv("SR_FUZZ_DICT");
    if (sr_code_dict_load_dir(d, dir ? dir : SR_FIXTURES "/code")) abort();
    if (sr_coder_new(&coder, d)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!coder) init();
    const sr_code_result *r;
    sr_code_sentence(coder, (const char *)data, size, 20140101, 0, &r);
    for (size_t i = 0; i < r->n_events; i++)
        if (!r->events[i].source.code || !r->events[i].target.code || !r->events[i].cameo) abort();
    sr_code_document(coder, (const char *)data, size, 0, &r);
    return 0;
}
