#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "sitrep/util.h"

sr_err sr_read_file(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? SR_ENOTFOUND : SR_EIO;
    struct stat st;
    if (f != stdin && fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            return SR_EINVAL;
        }
        if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
            fclose(f);
            return SR_ETOOBIG;
        }
    }
    sr_buf b;
    sr_buf_init(&b, max);
    char chunk[65536];
    size_t n;
    sr_err e = SR_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((e = sr_buf_append(&b, chunk, n)))
            break;
    if (!e && ferror(f))
        e = SR_EIO;
    if (f != stdin)
        fclose(f);
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    *data = sr_buf_steal(&b, len);
    return *data ? SR_OK : SR_ENOMEM;
}

sr_err sr_read_line(FILE *f, sr_buf *b)
{
    sr_buf_reset(b);
    int c;
    bool any = false, over = false;
    while ((c = getc_unlocked(f)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (!over && sr_buf_putc(b, (char)c))
            over = true;
    }
    if (!any)
        return SR_ENOTFOUND;
    if (over) {
        sr_buf_reset(b);
        return SR_ETOOBIG;
    }
    if (b->len && b->data[b->len - 1] == '\r')
        b->data[--b->len] = 0;
    if (!b->data)
        sr_buf_append(b, "", 0);
    return SR_OK;
}

double sr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
