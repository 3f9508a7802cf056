/* Fuzz the dictionary reader: the input is written to a file whose name
 * picks the kind (the first byte chooses actors, agents, verbs or options),
 * loaded, and a sentence is coded with what was read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sitrep/code.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = {"x.actors", "x.agents", "x.verbs", "x.options", "x.discards.txt"};
    if (size < 1) return 0;
    char path[64];
    snprintf(path, sizeof path, "/tmp/sr_fuzz_dict_%d_%s", (int)getpid(), kinds[data[0] % 5]);
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    FILE *quiet = fopen("/dev/null", "w");
    sr_code_dict *d;
    if (sr_code_dict_new(&d, quiet) == SR_OK) {
        sr_code_dict_load(d, path);
        sr_coder *c;
        if (sr_coder_new(&c, d) == SR_OK) {
            static const char s[] = "Syria and Iraq attacked the Turkish army, officials said, but Iran denied it.";
            const sr_code_result *r;
            sr_code_sentence(c, s, sizeof s - 1, 20140101, 0, &r);
            sr_coder_free(c);
        }
        sr_code_dict_free(d);
    }
    fclose(quiet);
    unlink(path);
    return 0;
}
