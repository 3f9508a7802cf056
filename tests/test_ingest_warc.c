/* WARC: records out of generated archives, plain and gzip'd, and every way
 * one can be broken. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sitrep/ingest.h"
#include "warc_writer.h"

static sr_arena *arena;
static char path[64];

static void setup(void)
{
    arena = sr_arena_new(0);
    strcpy(path, "/tmp/sr-test-warc-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
}
static void teardown(void)
{
    sr_arena_free(arena);
    unlink(path);
}
TestSuite(warc, .init = setup, .fini = teardown);

static const char page[] = "<html><head><title>Anbar</title></head><body><p>Fighting in Ramadi.</p></body></html>";

/* warcinfo, request, response, metadata, resource, dns response. */
static long write_mixed(enum warc_gz gz, long offsets[2])
{
    warc_writer w;
    ww_open(&w, path, gz);
    ww_record(&w, "warcinfo", NULL, "application/warc-fields", NULL, "software: sitrep-tests\r\n", 24);
    const char *req = "GET /anbar HTTP/1.1\r\nHost: news.example.com\r\n\r\n";
    ww_record(&w, "request", "https://news.example.com/anbar", "application/http; msgtype=request", NULL, req, strlen(req));
    offsets[0] = ww_tell(&w);
    ww_response(&w, "https://news.example.com/anbar",
                "Content-Type: text/html; charset=\"ISO-8859-1\"\r\nServer: test\r\n", page, strlen(page));
    ww_record(&w, "metadata", "https://news.example.com/anbar", "application/warc-fields", NULL, "fetchTimeMs: 12\r\n", 17);
    offsets[1] = ww_tell(&w);
    ww_record(&w, "resource", "file:///notes.txt", "text/plain; charset=utf-8", NULL, "plain notes", 11);
    ww_record(&w, "response", "dns:news.example.com", "text/dns", NULL, "news.example.com. 300 IN A 10.0.0.1", 35);
    ww_close(&w);
    return 0;
}

static void check_mixed(bool member_offsets, long offsets[2])
{
    sr_warc *r;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_str_eq(rec->type, "response");
    cr_assert_str_eq(rec->target_uri, "https://news.example.com/anbar");
    cr_assert_eq(rec->http_status, 200);
    cr_assert_str_eq(rec->content_type, "text/html");
    cr_assert_str_eq(rec->charset, "iso-8859-1");
    cr_assert_str_eq(sr_warc_header(rec, "server"), "test");
    cr_assert_eq(rec->body_len, strlen(page));
    cr_assert_str_eq(rec->body, page);
    cr_assert_str_eq(rec->date, "2014-01-03T16:20:03Z");
    cr_assert_not_null(strstr(rec->record_id, "urn:uuid:"));
    if (member_offsets)
        cr_assert_eq(rec->offset, (uint64_t)offsets[0]);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_str_eq(rec->type, "resource");
    cr_assert_eq(rec->http_status, 0);
    cr_assert_str_eq(rec->content_type, "text/plain");
    cr_assert_str_eq(rec->charset, "utf-8");
    cr_assert_str_eq(rec->body, "plain notes");
    if (member_offsets)
        cr_assert_eq(rec->offset, (uint64_t)offsets[1]);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND, "dns responses are passed over");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND, "and the end stays the end");
    sr_warc_close(r);
}

Test(warc, plain_file_gives_responses_and_resources_only)
{
    long off[2];
    write_mixed(WARC_PLAIN, off);
    check_mixed(true, off);
}

Test(warc, multi_member_gz_gives_member_offsets)
{
    long off[2];
    write_mixed(WARC_GZ_MEMBERS, off);
    check_mixed(true, off);
}

Test(warc, single_stream_gz)
{
    long off[2];
    write_mixed(WARC_GZ_STREAM, off);
    check_mixed(false, off);
}

static void gzip_buf(const char *in, size_t n, unsigned char *out, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)*out_len;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
}

Test(warc, gzip_and_chunked_http_bodies_are_decoded)
{
    warc_writer w;
    ww_open(&w, path, WARC_GZ_MEMBERS);
    unsigned char gz[1024];
    size_t gz_len = sizeof gz;
    gzip_buf(page, strlen(page), gz, &gz_len);
    ww_response(&w, "https://a.example/gz", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", (char *)gz, gz_len);
    const char *chunked = "5\r\nHello\r\n7\r\n, world\r\n0\r\n\r\n";
    ww_response(&w, "https://a.example/chunked", "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n",
                chunked, strlen(chunked));
    ww_response(&w, "https://a.example/badgz", "Content-Encoding: gzip\r\n", "not gzip at all", 15);
    ww_response(&w, "https://a.example/after", "Content-Type: text/html\r\n", "ok", 2);
    ww_close(&w);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_str_eq(rec->body, page);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_str_eq(rec->body, "Hello, world");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_EPARSE);
    cr_assert_not_null(strstr(sr_warc_error(r), "https://a.example/badgz"), "%s", sr_warc_error(r));
    cr_assert_not_null(strstr(sr_warc_error(r), "gzip"));
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "the next record still comes");
    cr_assert_str_eq(rec->target_uri, "https://a.example/after");
    sr_warc_close(r);
}

Test(warc, crawler_truncated_and_oversize_records_are_reported_and_skipped)
{
    sr_ingest_limits lim;
    sr_ingest_limits_default(&lim);
    lim.max_record_bytes = 4096;
    char big[8000];
    memset(big, 'x', sizeof big);
    warc_writer w;
    ww_open(&w, path, WARC_PLAIN);
    ww_record(&w, "response", "https://a.example/cut", "application/http", "WARC-Truncated: length\r\n",
              "HTTP/1.1 200 OK\r\n\r\n<html>", 25);
    long big_at = ww_tell(&w);
    ww_record(&w, "resource", "https://a.example/big", "text/plain", NULL, big, sizeof big);
    ww_response(&w, "https://a.example/fine", "Content-Type: text/html\r\n", "fine", 4);
    ww_close(&w);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, &lim, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_EPARSE);
    cr_assert_not_null(strstr(sr_warc_error(r), "record at offset 0:"), "%s", sr_warc_error(r));
    cr_assert_not_null(strstr(sr_warc_error(r), "WARC-Truncated"));
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ETOOBIG);
    char want[64];
    snprintf(want, sizeof want, "record at offset %ld:", big_at);
    cr_assert_not_null(strstr(sr_warc_error(r), want), "%s", sr_warc_error(r));
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK);
    cr_assert_str_eq(rec->body, "fine");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND);
    sr_warc_close(r);
}

static void cut_file(long size)
{
    cr_assert_eq(truncate(path, size), 0);
}

Test(warc, file_cut_off_mid_record)
{
    for (int gz = 0; gz < 2; gz++) {
        warc_writer w;
        ww_open(&w, path, gz ? WARC_GZ_MEMBERS : WARC_PLAIN);
        ww_response(&w, "https://a.example/1", "Content-Type: text/html\r\n", page, strlen(page));
        long second = ww_tell(&w);
        char body[5000];
        memset(body, 'y', sizeof body);
        ww_response(&w, "https://a.example/2", "Content-Type: text/html\r\n", body, sizeof body);
        long end = ww_tell(&w);
        ww_close(&w);
        cut_file(second + (end - second) / 2);

        sr_warc *r;
        sr_warc_record *rec;
        cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
        cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK);
        cr_assert_eq(sr_warc_next(r, arena, &rec), SR_EPARSE);
        char want[64];
        snprintf(want, sizeof want, "record at offset %ld:", second);
        cr_assert_not_null(strstr(sr_warc_error(r), want), "gz=%d: %s", gz, sr_warc_error(r));
        cr_assert_not_null(strstr(sr_warc_error(r), "ends"), "%s", sr_warc_error(r));
        cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND);
        sr_warc_close(r);
    }
}

Test(warc, garbage_and_bad_headers_are_skipped_to_the_next_record)
{
    warc_writer w;
    ww_open(&w, path, WARC_PLAIN);
    ww_response(&w, "https://a.example/1", "", "one", 3);
    ww_raw(&w, "this is not a record\r\n\r\n", 24);
    ww_raw(&w, "WARC/1.0\r\nWARC-Type: response\r\n\r\n", 33);    /* no Content-Length */
    ww_response(&w, "https://a.example/2", "", "two", 3);
    ww_close(&w);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK);
    cr_assert_str_eq(rec->body, "one");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_EPARSE);
    cr_assert_not_null(strstr(sr_warc_error(r), "WARC/"), "%s", sr_warc_error(r));
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_EPARSE);
    cr_assert_not_null(strstr(sr_warc_error(r), "Content-Length"), "%s", sr_warc_error(r));
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_str_eq(rec->body, "two");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND);
    sr_warc_close(r);
}

Test(warc, corrupt_gzip_member_is_skipped)
{
    warc_writer w;
    ww_open(&w, path, WARC_GZ_MEMBERS);
    ww_response(&w, "https://a.example/1", "", "one", 3);
    long bad = ww_tell(&w);
    ww_response(&w, "https://a.example/2", "", "two", 3);
    long after = ww_tell(&w);
    ww_response(&w, "https://a.example/3", "", "three", 5);
    ww_close(&w);
    /* Scribble over the middle of the second member's deflate data. */
    FILE *f = fopen(path, "r+b");
    fseek(f, bad + 20, SEEK_SET);
    for (long i = bad + 20; i < after - 10; i++)
        fputc(0xFF, f);
    fclose(f);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK);
    cr_assert_str_eq(rec->body, "one");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_EPARSE);
    cr_assert_not_null(strstr(sr_warc_error(r), "gzip"), "%s", sr_warc_error(r));
    sr_err e;
    while ((e = sr_warc_next(r, arena, &rec)) == SR_EPARSE)
        ;
    cr_assert_eq(e, SR_OK, "the reader finds the next member");
    cr_assert_str_eq(rec->body, "three");
    cr_assert_eq(rec->offset, (uint64_t)after);
    sr_warc_close(r);
}

Test(warc, records_bigger_than_the_window_and_many_records)
{
    warc_writer w;
    ww_open(&w, path, WARC_GZ_MEMBERS);
    size_t big_len = 3 << 20;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)('a' + i % 26);
    ww_response(&w, "https://a.example/big", "", big, big_len);
    for (int i = 0; i < 3000; i++)
        ww_response(&w, "https://a.example/small", "", page, strlen(page));
    ww_close(&w);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_eq(rec->body_len, big_len);
    cr_assert_eq(memcmp(rec->body, big, big_len), 0);
    int n = 0;
    sr_arena_reset(arena);
    while (sr_warc_next(r, arena, &rec) == SR_OK) {
        cr_assert_str_eq(rec->body, page);
        n++;
        sr_arena_reset(arena);
    }
    cr_assert_eq(n, 3000);
    cr_assert_gt(sr_warc_position(r), 0);
    sr_warc_close(r);
    free(big);
}

Test(warc, missing_file_and_stdin_name)
{
    sr_warc *r;
    cr_assert_eq(sr_warc_open("/nonexistent/x.warc.gz", NULL, &r), SR_ENOTFOUND);
    cr_assert_null(r);
}

Test(warc, stream_from_memory)
{
    char doc[512];
    int n = snprintf(doc, sizeof doc, "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: urn:x\r\n"
                                      "Content-Length: 5\r\n\r\nhello\r\n\r\n");
    FILE *f = fmemopen(doc, (size_t)n, "rb");
    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open_stream(f, NULL, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK);
    cr_assert_str_eq(rec->body, "hello");
    cr_assert_null(rec->content_type);
    sr_warc_close(r);
    fclose(f);
}

Test(warc, empty_gzip_members_before_a_record)
{
    warc_writer w;
    ww_open(&w, path, WARC_GZ_MEMBERS);
    for (int i = 0; i < 20000; i++)
        ww_bytes(&w, "", 0);
    long at = ww_tell(&w);
    ww_response(&w, "https://a.example/late", "", "late", 4);
    ww_close(&w);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "%s", sr_warc_error(r));
    cr_assert_str_eq(rec->body, "late");
    cr_assert_eq(rec->offset, (uint64_t)at, "the offset is the record's own member");
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND);
    sr_warc_close(r);
}

/* Letters that deflate barely shrinks, so members are as big on disk as
 * the reader's buffers: each record's text is its own, from its seed. */
static void noisy_body(char *out, size_t n, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        out[i] = (char)(' ' + (x >> 24) % 95);
    }
}

Test(warc, members_across_read_boundaries_and_bigger_than_a_read)
{
    /* sizes in bytes: small ones around the 1 MiB raw reads and the 2 MiB
     * window, and members bigger than either (read as a stream) */
    static const size_t sizes[] = {700000, 400000, 90000, 1500000, 30000, 2500000, 1000, 900000, 3000000, 5};
    enum { N = sizeof sizes / sizeof sizes[0] };
    long offsets[N];
    char *body = malloc(3000000);
    warc_writer w;
    ww_open(&w, path, WARC_GZ_MEMBERS);
    for (unsigned i = 0; i < N; i++) {
        noisy_body(body, sizes[i], i);
        offsets[i] = ww_tell(&w);
        ww_response(&w, "https://a.example/noise", "", body, sizes[i]);
    }
    ww_close(&w);

    sr_warc *r;
    sr_warc_record *rec;
    cr_assert_eq(sr_warc_open(path, NULL, &r), SR_OK);
    for (unsigned i = 0; i < N; i++) {
        cr_assert_eq(sr_warc_next(r, arena, &rec), SR_OK, "record %u: %s", i, sr_warc_error(r));
        noisy_body(body, sizes[i], i);
        cr_assert_eq(rec->body_len, sizes[i], "record %u", i);
        cr_assert_eq(memcmp(rec->body, body, sizes[i]), 0, "record %u", i);
        cr_assert_eq(rec->offset, (uint64_t)offsets[i], "record %u", i);
        sr_arena_reset(arena);
    }
    cr_assert_eq(sr_warc_next(r, arena, &rec), SR_ENOTFOUND);
    sr_warc_close(r);
    free(body);
}
