/* Writes WARC files for the tests and the benchmark: the fixtures are
 * generated, so every byte of them is the project's own. */
#ifndef SR_TEST_WARC_WRITER_H
#define SR_TEST_WARC_WRITER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum warc_gz { WARC_PLAIN, WARC_GZ_MEMBERS, WARC_GZ_STREAM };

typedef struct warc_writer {
    FILE *f;
    enum warc_gz gz;
    z_stream z;        /* WARC_GZ_STREAM */
    unsigned serial;
} warc_writer;

static void ww_gz_write(FILE *f, z_stream *z, const void *p, size_t n, int flush)
{
    unsigned char out[65536];
    z->next_in = (Bytef *)p;
    z->avail_in = (uInt)n;
    do {
        z->next_out = out;
        z->avail_out = sizeof out;
        deflate(z, flush);
        fwrite(out, 1, sizeof out - z->avail_out, f);
    } while (z->avail_out == 0 || (flush == Z_FINISH && z->avail_in > 0));
}

static void ww_open(warc_writer *w, const char *path, enum warc_gz gz)
{
    memset(w, 0, sizeof *w);
    w->f = fopen(path, "wb");
    w->gz = gz;
    if (gz == WARC_GZ_STREAM)
        deflateInit2(&w->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/* Raw bytes straight into the file (to write damage on purpose). */
__attribute__((unused)) static void ww_raw(warc_writer *w, const void *p, size_t n)
{
    fwrite(p, 1, n, w->f);
}

__attribute__((unused)) static long ww_tell(warc_writer *w)
{
    fflush(w->f);
    return ftell(w->f);
}

static void ww_bytes(warc_writer *w, const char *p, size_t n)
{
    if (w->gz == WARC_PLAIN) {
        fwrite(p, 1, n, w->f);
    } else if (w->gz == WARC_GZ_MEMBERS) {
        z_stream z;
        memset(&z, 0, sizeof z);
        deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
        ww_gz_write(w->f, &z, p, n, Z_FINISH);
        deflateEnd(&z);
    } else {
        ww_gz_write(w->f, &w->z, p, n, Z_NO_FLUSH);
    }
}

/* One record; `extra` holds more header lines ("Name: value\r\n"). */
static void ww_record(warc_writer *w, const char *type, const char *uri, const char *content_type,
                      const char *extra, const char *block, size_t block_len)
{
    size_t cap = block_len + 2048;
    char *rec = malloc(cap);
    ++w->serial;
    int n = snprintf(rec, cap, "WARC/1.1\r\nWARC-Type: %s\r\n"
                     "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012u>\r\n"
                     "WARC-Date: 2014-01-03T16:20:%02uZ\r\n", type, w->serial, w->serial % 60);
    if (uri)
        n += snprintf(rec + n, cap - n, "WARC-Target-URI: %s\r\n", uri);
    if (content_type)
        n += snprintf(rec + n, cap - n, "Content-Type: %s\r\n", content_type);
    n += snprintf(rec + n, cap - n, "%sContent-Length: %zu\r\n\r\n", extra ? extra : "", block_len);
    memcpy(rec + n, block, block_len);
    memcpy(rec + n + block_len, "\r\n\r\n", 4);
    ww_bytes(w, rec, (size_t)n + block_len + 4);
    free(rec);
}

/* A response record carrying an HTTP message. */
static void ww_response(warc_writer *w, const char *uri, const char *http_headers, const char *body, size_t body_len)
{
    size_t cap = body_len + strlen(http_headers) + 64;
    char *msg = malloc(cap);
    int n = snprintf(msg, cap, "HTTP/1.1 200 OK\r\n%s\r\n", http_headers);
    memcpy(msg + n, body, body_len);
    ww_record(w, "response", uri, "application/http; msgtype=response", NULL, msg, (size_t)n + body_len);
    free(msg);
}

static void ww_close(warc_writer *w)
{
    if (w->gz == WARC_GZ_STREAM) {
        ww_gz_write(w->f, &w->z, "", 0, Z_FINISH);
        deflateEnd(&w->z);
    }
    fclose(w->f);
}

#endif
