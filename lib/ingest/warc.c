/* WARC 1.0 / 1.1 reader (ISO 28500), plain or gzip'd, streamed.
 *
 * Memory is a fixed window of decompressed bytes plus the caller's arena
 * for the record being returned; oversize and unwanted records are read
 * past without being held. A .warc.gz is one gzip member per record in
 * Common Crawl's files (so a CDX offset points at a member) and one stream
 * when someone gzip'd a plain WARC: both read the same way, members are
 * only remembered to report offsets a user can seek to.
 *
 * Faults stay local to a record: a bad header makes the reader look for
 * the next "WARC/" line, a corrupt gzip member for the next gzip header, a
 * record cut off by the end of the file ends the run with a message.
 *
 * Inflating was a twelfth of `sitrep ingest`. A member that is wholly in
 * the raw buffer and whose bytes fit the window is inflated in one call by
 * libdeflate, two to three times zlib's speed on news pages; a member too
 * big for either, or one libdeflate will not take (corrupt, cut off), goes
 * through zlib's stream from its start, so faults are found and reported
 * the one way. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libdeflate.h>
#include <zlib.h>
#include "internal.h"

/* Raw bytes read at a time; a member is inflated whole when it is within
 * this many compressed bytes (CC-NEWS records are some tens of kB). */
#define RAW_CHUNK (1024 * 1024)
/* The first read, enough to tell gzip from a plain WARC. */
#define PROBE_BYTES (64 * 1024)
#define WINDOW_MIN (64 * 1024)
/* A .warc.gz's window has room for a whole news page's record inflated,
 * so a member fits it in one piece. */
#define WINDOW_GZ (2 * 1024 * 1024)
/* After this many members in a row that libdeflate could not take whole,
 * the file is one gzip stream (or odd): stop trying. */
#define WHOLE_GIVE_UP 16
#define MAX_HTTP_HEADERS 256

struct member {
    uint64_t out_off;   /* where its bytes start in the decompressed stream */
    uint64_t file_off;  /* where it starts in the file */
};

struct sr_warc {
    FILE *f;
    bool own_file;
    sr_ingest_limits lim;
    /* raw file bytes (gzip input) */
    unsigned char *raw;
    size_t raw_len, raw_pos;
    uint64_t raw_base;          /* file offset of raw[0] */
    bool raw_eof, gz, in_member, member_start;
    z_stream z;
    bool z_ready;
    struct libdeflate_decompressor *whole;  /* members inflated in one call */
    int whole_misses;                       /* members in a row it could not take */
    /* decompressed window: unread bytes are win[pos..end) */
    unsigned char *win;
    size_t cap, pos, end;
    uint64_t win_base;          /* stream offset of win[0] */
    struct member *members;
    size_t n_members, members_cap;
    bool gz_error, io_error, done, need_resync;
    char err[SR_INGEST_ERRLEN];
};

enum step { STEP_RECORD, STEP_SKIPPED, STEP_END, STEP_ERROR };

struct warc_head {
    uint64_t offset;
    const char *type, *record_id, *target_uri, *date, *content_type, *truncated;
    long long length;
};

static int fill(sr_warc *r);
static enum step read_record(sr_warc *r, sr_arena *a, sr_warc_record **rec, sr_err *e);
static bool resync(sr_warc *r);
static sr_err open_common(sr_warc *r);

sr_err sr_warc_open(const char *path, const sr_ingest_limits *limits, sr_warc **out)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? SR_ENOTFOUND : SR_EIO;
    sr_err e = sr_warc_open_stream(f, limits, out);
    if (e) {
        if (!is_stdin)
            fclose(f);
        return e;
    }
    (*out)->own_file = !is_stdin;
    return SR_OK;
}

sr_err sr_warc_open_stream(FILE *f, const sr_ingest_limits *limits, sr_warc **out)
{
    *out = NULL;
    sr_warc *r = calloc(1, sizeof *r);
    if (!r)
        return SR_ENOMEM;
    r->f = f;
    if (limits)
        r->lim = *limits;
    else
        sr_ingest_limits_default(&r->lim);
    sr_err e = open_common(r);
    if (e) {
        sr_warc_close(r);
        return e;
    }
    *out = r;
    return SR_OK;
}

static sr_err open_common(sr_warc *r)
{
    r->raw = malloc(RAW_CHUNK);
    if (!r->raw)
        return SR_ENOMEM;
    r->raw_len = fread(r->raw, 1, PROBE_BYTES, r->f);
    if (ferror(r->f))
        return SR_EIO;
    if (r->raw_len < PROBE_BYTES)
        r->raw_eof = true;
    r->gz = sr_is_gzip(r->raw, r->raw_len);
    /* Room for a whole header section twice over; reads are this big. */
    r->cap = 4 * r->lim.max_header_bytes + 1024;
    if (r->cap < WINDOW_MIN)
        r->cap = WINDOW_MIN;
    if (r->gz && r->cap < WINDOW_GZ)
        r->cap = WINDOW_GZ;
    r->win = malloc(r->cap);
    if (!r->win)
        return SR_ENOMEM;
    if (!r->gz) {
        memcpy(r->win, r->raw, r->raw_len);
        r->end = r->raw_len;
        r->raw_base = r->raw_len;
        r->raw_len = 0;
        free(r->raw);   /* a plain file is read straight into the window */
        r->raw = NULL;
        return SR_OK;
    }
    if (inflateInit2(&r->z, 15 + 16) != Z_OK)
        return SR_ENOMEM;
    r->z_ready = true;
    r->whole = libdeflate_alloc_decompressor();  /* none: zlib does it all */
    return SR_OK;
}

void sr_warc_close(sr_warc *r)
{
    if (!r)
        return;
    if (r->z_ready)
        inflateEnd(&r->z);
    if (r->whole)
        libdeflate_free_decompressor(r->whole);
    if (r->own_file && r->f)
        fclose(r->f);
    free(r->win);
    free(r->raw);
    free(r->members);
    free(r);
}

const char *sr_warc_error(const sr_warc *r)
{
    return r->err;
}

uint64_t sr_warc_position(const sr_warc *r)
{
    return r->gz ? r->raw_base + r->raw_pos : r->win_base + r->pos;
}

sr_err sr_warc_next(sr_warc *r, sr_arena *a, sr_warc_record **rec)
{
    *rec = NULL;
    r->err[0] = 0;
    for (;;) {
        if (r->done)
            return SR_ENOTFOUND;
        if (r->need_resync && !resync(r))
            return SR_ENOTFOUND;
        sr_err e = SR_OK;
        switch (read_record(r, a, rec, &e)) {
        case STEP_RECORD: return SR_OK;
        case STEP_SKIPPED: continue;
        case STEP_END: r->done = true; return SR_ENOTFOUND;
        case STEP_ERROR: return e;
        }
    }
}

const char *sr_warc_header(const sr_warc_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_headers; i++)
        if (strcasecmp(rec->headers[i].name, name) == 0)
            return rec->headers[i].value;
    return NULL;
}

/* ---- errors ---------------------------------------------------------------- */

static enum step fail(sr_warc *r, sr_err *e, sr_err code, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum step fail(sr_warc *r, sr_err *e, sr_err code, uint64_t offset, const char *fmt, ...)
{
    int n = snprintf(r->err, sizeof r->err, "record at offset %llu: ", (unsigned long long)offset);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof r->err)
        vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
    va_end(ap);
    *e = code;
    return STEP_ERROR;
}

/* ---- the byte stream --------------------------------------------------------- */

static void compact(sr_warc *r)
{
    if (r->pos == 0)
        return;
    memmove(r->win, r->win + r->pos, r->end - r->pos);
    r->win_base += r->pos;
    r->end -= r->pos;
    r->pos = 0;
    /* Members wholly behind the window are no longer needed. */
    size_t keep = 0;
    while (keep + 1 < r->n_members && r->members[keep + 1].out_off <= r->win_base)
        keep++;
    if (keep) {
        memmove(r->members, r->members + keep, (r->n_members - keep) * sizeof *r->members);
        r->n_members -= keep;
    }
}

static bool raw_refill(sr_warc *r)
{
    if (r->raw_eof)
        return false;
    r->raw_base += r->raw_len;
    r->raw_len = fread(r->raw, 1, RAW_CHUNK, r->f);
    r->raw_pos = 0;
    if (ferror(r->f))
        r->io_error = true;
    if (r->raw_len < RAW_CHUNK)
        r->raw_eof = true;
    return r->raw_len > 0;
}

/* Unread raw bytes moved to the front and the rest of the buffer filled,
 * so a member that starts near the end of one read is whole in the next. */
static void raw_top_up(sr_warc *r)
{
    if (r->raw_eof)
        return;
    size_t keep = r->raw_len - r->raw_pos;
    memmove(r->raw, r->raw + r->raw_pos, keep);
    r->raw_base += r->raw_pos;
    r->raw_pos = 0;
    size_t n = fread(r->raw + keep, 1, RAW_CHUNK - keep, r->f);
    if (ferror(r->f))
        r->io_error = true;
    if (n < RAW_CHUNK - keep)
        r->raw_eof = true;
    r->raw_len = keep + n;
}

static void member_begin(sr_warc *r)
{
    inflateReset(&r->z);
    r->member_start = false;
    uint64_t out_off = r->win_base + r->end, file_off = r->raw_base + r->raw_pos;
    /* A member that gave no bytes (empty, or corrupt) holds no record start:
     * the next one takes its place, so the list stays as short as the
     * window however many such members a file has. */
    if (r->n_members && r->members[r->n_members - 1].out_off == out_off) {
        r->members[r->n_members - 1].file_off = file_off;
        return;
    }
    if (r->n_members == r->members_cap) {
        size_t cap = r->members_cap ? 2 * r->members_cap : 64;
        struct member *m = realloc(r->members, cap * sizeof *m);
        if (!m)
            return;   /* offsets fall back to stream offsets */
        r->members = m;
        r->members_cap = cap;
    }
    r->members[r->n_members].out_off = out_off;
    r->members[r->n_members].file_off = file_off;
    r->n_members++;
}

/* The member starting at raw_pos inflated in one call into the window.
 * 1: it was, with some bytes; 0: it was, and empty; -1: it goes through
 * zlib instead (too big, cut off or corrupt: zlib says which). */
static int inflate_whole(sr_warc *r)
{
    if (!r->whole || r->whole_misses >= WHOLE_GIVE_UP)
        return -1;
    if (r->raw_len - r->raw_pos < RAW_CHUNK / 2)
        raw_top_up(r);
    size_t used = 0, made = 0;
    enum libdeflate_result res = libdeflate_gzip_decompress_ex(
        r->whole, r->raw + r->raw_pos, r->raw_len - r->raw_pos, r->win + r->end, r->cap - r->end, &used, &made);
    if (res != LIBDEFLATE_SUCCESS) {
        r->whole_misses++;
        return -1;
    }
    r->whole_misses = 0;
    r->raw_pos += used;
    r->end += made;
    r->member_start = true;
    r->in_member = false;
    return made > 0;
}

/* More bytes into the window. 1: some were added; 0: end of input (or the
 * window is full); -1: corrupt gzip data. */
static int fill(sr_warc *r)
{
    compact(r);
    if (r->end == r->cap)
        return 0;
    if (!r->gz) {
        if (r->raw_eof)
            return 0;
        size_t n = fread(r->win + r->end, 1, r->cap - r->end, r->f);
        if (ferror(r->f))
            r->io_error = true;
        if (n == 0)
            r->raw_eof = true;
        r->end += n;
        return n > 0;
    }
    for (;;) {
        if (r->raw_pos == r->raw_len && !raw_refill(r))
            return 0;
        if (r->member_start) {
            member_begin(r);
            int w = inflate_whole(r);
            if (w > 0)
                return 1;
            if (w == 0)
                continue;   /* an empty member */
        }
        r->z.next_in = r->raw + r->raw_pos;
        r->z.avail_in = (uInt)(r->raw_len - r->raw_pos);
        r->z.next_out = r->win + r->end;
        r->z.avail_out = (uInt)(r->cap - r->end);
        int zr = inflate(&r->z, Z_NO_FLUSH);
        size_t produced = (r->cap - r->end) - r->z.avail_out;
        r->raw_pos = r->raw_len - r->z.avail_in;
        r->end += produced;
        if (zr == Z_STREAM_END) {
            r->member_start = true;
            r->in_member = false;
        } else if (zr == Z_OK || zr == Z_BUF_ERROR) {
            r->in_member = true;
        } else {
            r->gz_error = true;
            return -1;
        }
        if (produced > 0)
            return 1;
    }
}

/* Where to tell the user the record starts: its gzip member when it opens
 * one (Common Crawl layout), else its place in the stream. */
static uint64_t user_offset(const sr_warc *r, uint64_t stream_off)
{
    if (!r->gz)
        return stream_off;
    for (size_t i = r->n_members; i-- > 0;)
        if (r->members[i].out_off == stream_off)
            return r->members[i].file_off;
    return stream_off;
}

/* Read past n bytes without keeping them. false: the input ended first. */
static bool discard(sr_warc *r, uint64_t n)
{
    while (n > 0) {
        if (r->pos == r->end && fill(r) <= 0)
            return false;
        size_t take = r->end - r->pos;
        if (take > n)
            take = (size_t)n;
        r->pos += take;
        n -= take;
    }
    return true;
}

/* After a fault: drop what is buffered and start again at the next gzip
 * member (compressed input) or the next line starting "WARC/". */
static bool resync(sr_warc *r)
{
    r->need_resync = false;
    if (r->gz && r->gz_error) {
        r->gz_error = false;
        r->win_base += r->end;
        r->pos = r->end = 0;
        r->raw_pos++;
        for (;;) {
            for (; r->raw_pos + 3 <= r->raw_len; r->raw_pos++)
                if (r->raw[r->raw_pos] == 0x1f && r->raw[r->raw_pos + 1] == 0x8b && r->raw[r->raw_pos + 2] == 8) {
                    r->member_start = true;
                    return true;
                }
            /* Keep the last two bytes: a header may straddle the refill. */
            size_t tail = r->raw_len - r->raw_pos;
            if (r->raw_eof)
                return false;
            unsigned char keep[2];
            memcpy(keep, r->raw + r->raw_pos, tail);
            r->raw_base += r->raw_pos;
            size_t n = fread(r->raw + tail, 1, RAW_CHUNK - tail, r->f);
            memcpy(r->raw, keep, tail);
            r->raw_len = tail + n;
            r->raw_pos = 0;
            if (n < RAW_CHUNK - tail)
                r->raw_eof = true;
            if (n == 0)
                return false;
        }
    }
    for (;;) {
        for (size_t i = r->pos; i + 6 <= r->end; i++)
            if ((i == r->pos || r->win[i - 1] == '\n') && memcmp(r->win + i, "WARC/", 5) == 0) {
                r->pos = i;
                return true;
            }
        if (r->end - r->pos > 6)
            r->pos = r->end - 6;
        int f = fill(r);
        if (f < 0) {
            r->need_resync = true;
            return resync(r);
        }
        if (f == 0)
            return false;
    }
}

/* ---- records --------------------------------------------------------------- */

static const char *find_header_end(const unsigned char *p, size_t n, size_t *hdr_len)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] != '\n')
            continue;
        if (p[i + 1] == '\n') {
            *hdr_len = i + 2;
            return (const char *)p;
        }
        if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n') {
            *hdr_len = i + 3;
            return (const char *)p;
        }
    }
    return NULL;
}

/* Next line of a header block: [*s, eol) without CR LF; advances *s. */
static bool next_line(const char **s, const char *end, const char **line, size_t *len)
{
    if (*s >= end)
        return false;
    const char *nl = memchr(*s, '\n', (size_t)(end - *s));
    const char *e = nl ? nl : end;
    *line = *s;
    *len = (size_t)(e - *s);
    if (*len && (*line)[*len - 1] == '\r')
        (*len)--;
    *s = nl ? nl + 1 : end;
    return true;
}

static bool split_header(const char *line, size_t len, sr_arena *a, const char **name, const char **value)
{
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line)
        return false;
    *name = sr_trimmed(line, (size_t)(colon - line), len, a);
    *value = sr_trimmed(colon + 1, len - (size_t)(colon + 1 - line), len, a);
    return *name && *value;
}

static void parse_warc_headers(const char *s, const char *end, sr_arena *a, struct warc_head *h)
{
    const char *line, *name, *value;
    size_t len;
    next_line(&s, end, &line, &len);   /* WARC/1.x */
    while (next_line(&s, end, &line, &len) && len > 0) {
        if (!split_header(line, len, a, &name, &value))
            continue;
        if (!strcasecmp(name, "WARC-Type")) h->type = value;
        else if (!strcasecmp(name, "WARC-Record-ID")) h->record_id = value;
        else if (!strcasecmp(name, "WARC-Target-URI")) h->target_uri = value;
        else if (!strcasecmp(name, "WARC-Date")) h->date = value;
        else if (!strcasecmp(name, "Content-Type")) h->content_type = value;
        else if (!strcasecmp(name, "WARC-Truncated")) h->truncated = value;
        else if (!strcasecmp(name, "Content-Length")) {
            char *e;
            errno = 0;
            long long v = strtoll(value, &e, 10);
            h->length = (errno || *e || e == value || v < 0) ? -2 : v;
        }
    }
}

static enum step skip_block(sr_warc *r, const struct warc_head *h, sr_err *e)
{
    if (discard(r, (uint64_t)h->length))
        return STEP_SKIPPED;
    if (r->gz_error) {
        r->need_resync = true;
        return fail(r, e, SR_EPARSE, h->offset, "bad gzip data inside the record");
    }
    r->done = true;
    return fail(r, e, SR_EPARSE, h->offset, "file ends inside the record (%lld bytes declared)", h->length);
}

static enum step read_head(sr_warc *r, sr_arena *a, struct warc_head *h, sr_err *e);
static enum step read_block(sr_warc *r, sr_arena *a, const struct warc_head *h, sr_warc_record **rec, sr_err *e);

static enum step read_record(sr_warc *r, sr_arena *a, sr_warc_record **rec, sr_err *e)
{
    struct warc_head h = {.length = -1};
    enum step s = read_head(r, a, &h, e);
    if (s != STEP_RECORD)
        return s;
    bool wanted = h.type && (!strcasecmp(h.type, "response") || !strcasecmp(h.type, "resource"));
    if (!wanted)
        return skip_block(r, &h, e);
    if ((uint64_t)h.length > r->lim.max_record_bytes) {
        enum step k = skip_block(r, &h, e);
        return k == STEP_ERROR ? k : fail(r, e, SR_ETOOBIG, h.offset, "%s record of %lld bytes is over the limit of %zu; skipped",
                                          h.type, h.length, r->lim.max_record_bytes);
    }
    if (h.truncated) {
        enum step k = skip_block(r, &h, e);
        return k == STEP_ERROR ? k : fail(r, e, SR_EPARSE, h.offset, "record truncated by the crawler (WARC-Truncated: %s); skipped",
                                          h.truncated);
    }
    return read_block(r, a, &h, rec, e);
}

/* The record's header block, up to its blank line. */
static enum step read_head(sr_warc *r, sr_arena *a, struct warc_head *h, sr_err *e)
{
    /* Records end with CR LF CR LF; tolerate more or fewer blank lines. */
    for (;;) {
        if (r->pos == r->end) {
            int f = fill(r);
            if (f < 0) {
                r->need_resync = true;
                return fail(r, e, SR_EPARSE, r->win_base + r->pos, "bad gzip data; going on at the next gzip member");
            }
            if (f == 0)
                return r->io_error ? fail(r, e, SR_EIO, r->win_base, "read error") : STEP_END;
        }
        if (r->win[r->pos] != '\r' && r->win[r->pos] != '\n')
            break;
        r->pos++;
    }
    uint64_t stream_off = r->win_base + r->pos;
    size_t hdr_len = 0;
    for (;;) {
        if (find_header_end(r->win + r->pos, r->end - r->pos, &hdr_len))
            break;
        if (r->end - r->pos > r->lim.max_header_bytes) {
            r->need_resync = true;
            r->pos++;
            return fail(r, e, SR_ETOOBIG, user_offset(r, stream_off), "WARC header over %zu bytes",
                        r->lim.max_header_bytes);
        }
        int f = fill(r);
        if (f < 0) {
            r->need_resync = true;
            return fail(r, e, SR_EPARSE, user_offset(r, stream_off), "bad gzip data in the WARC header");
        }
        if (f == 0) {
            r->done = true;
            return fail(r, e, SR_EPARSE, user_offset(r, stream_off), "file ends inside the WARC header");
        }
    }
    h->offset = user_offset(r, stream_off);
    const char *p = (const char *)r->win + r->pos;
    if (r->end - r->pos < 6 || memcmp(p, "WARC/", 5) != 0) {
        r->need_resync = true;
        r->pos++;
        return fail(r, e, SR_EPARSE, h->offset, "no \"WARC/\" version line; looking for the next record");
    }
    parse_warc_headers(p, p + hdr_len, a, h);
    r->pos += hdr_len;
    if (h->length < 0) {
        r->need_resync = true;
        return fail(r, e, SR_EPARSE, h->offset, "%s Content-Length; looking for the next record",
                    h->length == -1 ? "no" : "bad");
    }
    return STEP_RECORD;
}

static sr_err parse_http(sr_warc *r, sr_arena *a, sr_warc_record *rec, char *block, size_t len,
                         char *why, size_t whylen);
static void media_type(sr_arena *a, const char *value, sr_warc_record *rec);

static enum step read_block(sr_warc *r, sr_arena *a, const struct warc_head *h, sr_warc_record **rec, sr_err *e)
{
    size_t len = (size_t)h->length;
    char *block = sr_arena_alloc(a, len + 1);
    if (!block) {
        enum step k = skip_block(r, h, e);
        return k == STEP_ERROR ? k : fail(r, e, SR_ENOMEM, h->offset, "no memory for a record of %zu bytes", len);
    }
    size_t got = 0;
    while (got < len) {
        if (r->pos == r->end) {
            int f = fill(r);
            if (f < 0) {
                r->need_resync = true;
                return fail(r, e, SR_EPARSE, h->offset, "bad gzip data inside the record");
            }
            if (f == 0) {
                r->done = true;
                return fail(r, e, SR_EPARSE, h->offset, "file ends %zu bytes into a record of %zu (cut off)", got, len);
            }
        }
        size_t take = r->end - r->pos;
        if (take > len - got)
            take = len - got;
        memcpy(block + got, r->win + r->pos, take);
        r->pos += take;
        got += take;
    }
    block[len] = 0;
    sr_warc_record *out = sr_arena_calloc(a, sizeof *out);
    if (!out)
        return fail(r, e, SR_ENOMEM, h->offset, "out of memory");
    out->offset = h->offset;
    out->type = h->type;
    out->record_id = h->record_id;
    out->target_uri = h->target_uri;
    out->date = h->date;
    bool http = !strcasecmp(h->type, "response") &&
                ((h->content_type && !strncasecmp(h->content_type, "application/http", 16)) ||
                 (len >= 5 && memcmp(block, "HTTP/", 5) == 0));
    if (!http) {
        if (!strcasecmp(h->type, "response"))
            return STEP_SKIPPED;   /* dns:, ftp: and other non-HTTP responses */
        media_type(a, h->content_type, out);
        out->body = block;
        out->body_len = len;
        *rec = out;
        return STEP_RECORD;
    }
    char why[160];
    sr_err pe = parse_http(r, a, out, block, len, why, sizeof why);
    if (pe)
        return fail(r, e, pe, h->offset, "%s%s%s", h->target_uri ? h->target_uri : "", h->target_uri ? ": " : "", why);
    *rec = out;
    return STEP_RECORD;
}

/* ---- HTTP inside a response record -------------------------------------- */

static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

/* "text/html; charset=\"UTF-8\"" → "text/html", "utf-8" */
static void media_type(sr_arena *a, const char *value, sr_warc_record *rec)
{
    if (!value)
        return;
    size_t n = strcspn(value, ";");
    char *type = sr_trimmed(value, n, 255, a);
    for (char *c = type; c && *c; c++)
        *c = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
    rec->content_type = type && *type ? type : NULL;
    const char *cs = find_ci(value + n, "charset=");
    if (!cs)
        return;
    cs += 8;
    while (*cs == ' ' || *cs == '"' || *cs == '\'')
        cs++;
    size_t m = strcspn(cs, "\"'; \t");
    char *charset = sr_arena_strndup(a, cs, m > 64 ? 64 : m);
    for (char *c = charset; c && *c; c++)
        *c = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
    rec->charset = charset && *charset ? charset : NULL;
}

/* Undo chunked transfer coding in place. */
static bool dechunk(char *body, size_t len, size_t *out_len)
{
    size_t i = 0, o = 0;
    for (;;) {
        char *end;
        if (i >= len)
            return false;
        unsigned long long n = strtoull(body + i, &end, 16);
        if (end == body + i)
            return false;
        const char *nl = memchr(end, '\n', len - (size_t)(end - body));
        if (!nl)
            return false;
        i = (size_t)(nl - body) + 1;
        if (n == 0)
            break;
        if (n > len - i)
            return false;
        memmove(body + o, body + i, (size_t)n);
        o += (size_t)n;
        i += (size_t)n;
        if (i < len && body[i] == '\r')
            i++;
        if (i < len && body[i] == '\n')
            i++;
    }
    body[o] = 0;
    *out_len = o;
    return true;
}

static sr_err parse_http(sr_warc *r, sr_arena *a, sr_warc_record *rec, char *block, size_t len,
                         char *why, size_t whylen)
{
    size_t hdr_len;
    size_t look = len < r->lim.max_header_bytes ? len : r->lim.max_header_bytes;
    if (!find_header_end((const unsigned char *)block, look, &hdr_len)) {
        /* Headers only, no blank line and no body, are still a response. */
        if (len < r->lim.max_header_bytes && len >= 5 && memcmp(block, "HTTP/", 5) == 0)
            hdr_len = len;
        else {
            snprintf(why, whylen, "HTTP header without an end within %zu bytes", look);
            return len >= r->lim.max_header_bytes ? SR_ETOOBIG : SR_EPARSE;
        }
    }
    /* next_line sets both when it returns true, as it does here (the block
     * is not empty); zeroed too, so no path can read them unset */
    const char *s = block, *end = block + hdr_len, *line = NULL;
    size_t ll = 0;
    next_line(&s, end, &line, &ll);
    int status = 0;
    if (ll < 10 || memcmp(line, "HTTP/", 5) != 0 || sscanf(line, "HTTP/%*[0-9.] %3d", &status) != 1 ||
        status < 100 || status > 999) {
        snprintf(why, whylen, "no HTTP status line");
        return SR_EPARSE;
    }
    rec->http_status = status;
    sr_http_header *hs = sr_arena_alloc(a, MAX_HTTP_HEADERS * sizeof *hs);
    if (!hs)
        return SR_ENOMEM;
    size_t n = 0;
    while (next_line(&s, end, &line, &ll) && ll > 0)
        if (n < MAX_HTTP_HEADERS && split_header(line, ll, a, &hs[n].name, &hs[n].value))
            n++;
    rec->headers = hs;
    rec->n_headers = n;
    media_type(a, sr_warc_header(rec, "Content-Type"), rec);
    char *body = block + hdr_len;
    size_t body_len = len - hdr_len;
    const char *te = sr_warc_header(rec, "Transfer-Encoding");
    if (te && find_ci(te, "chunked") && !dechunk(body, body_len, &body_len)) {
        snprintf(why, whylen, "bad chunked transfer coding");
        return SR_EPARSE;
    }
    const char *ce = sr_warc_header(rec, "Content-Encoding");
    if (ce && body_len > 0 && (find_ci(ce, "gzip") || find_ci(ce, "deflate"))) {
        char *plain;
        size_t plain_len;
        sr_err e = sr_gunzip(body, body_len, r->lim.max_body_bytes, a, &plain, &plain_len);
        if (e == SR_ETOOBIG)
            snprintf(why, whylen, "gzip'd body inflates past the limit of %zu bytes", r->lim.max_body_bytes);
        else if (e)
            snprintf(why, whylen, "bad %s body", ce);
        if (e)
            return e;
        body = plain;
        body_len = plain_len;
    } else if (ce && body_len > 0 && strcasecmp(ce, "identity") != 0) {
        snprintf(why, whylen, "Content-Encoding \"%.40s\" not supported", ce);
        return SR_EENCODING;
    }
    body[body_len] = 0;
    rec->body = body;
    rec->body_len = body_len;
    return SR_OK;
}
