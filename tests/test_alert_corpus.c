/* The fuzz seeds of fuzz/alert, replayed through the same entry point in
 * every build, so the sanitizer build checks them on each run. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include "../fuzz/alert/fuzz_alert.c"

Test(corpus, fuzz_seeds_run_clean)
{
    const char *dir = SR_SOURCE_DIR "/fuzz/alert/corpus";
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *data;
        size_t len;
        cr_assert_eq(sr_read_file(path, 1 << 20, &data, &len), SR_OK, "%s", path);
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
        n++;
    }
    closedir(d);
    cr_assert_geq(n, 6, "seeds missing from %s", dir);
}
