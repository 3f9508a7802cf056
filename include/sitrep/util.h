/*
 * Shared helpers: arenas, bounded buffers, the JSON writer, UTF-8 and files.
 * There is one way to do each of these in sitrep; modules use these.
 */
#ifndef SITREP_UTIL_H
#define SITREP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sitrep/sitrep.h"

/* ---- Arena: one per document or request; freed all at once. ---------- */

typedef struct sr_arena sr_arena;

/** New arena. `max` caps the total bytes it will hand out (0: no cap). */
sr_arena *sr_arena_new(size_t max);
/** Free the arena and everything allocated from it. NULL is fine. */
void sr_arena_free(sr_arena *a);
/** Forget every allocation but keep the first block for reuse. */
void sr_arena_reset(sr_arena *a);
/** `n` bytes aligned to 16, or NULL when out of memory or over the cap. */
void *sr_arena_alloc(sr_arena *a, size_t n);
/** Like sr_arena_alloc, zero-filled. */
void *sr_arena_calloc(sr_arena *a, size_t n);
/** Copy of s[0..n) with a terminating NUL. */
char *sr_arena_strndup(sr_arena *a, const char *s, size_t n);
char *sr_arena_strdup(sr_arena *a, const char *s);
char *sr_arena_printf(sr_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Bytes handed out since creation or the last reset. */
size_t sr_arena_used(const sr_arena *a);

/* ---- Bounded growable buffer. ------------------------------------------ */

/** A byte buffer that never grows past `max` (set at init). `data` is
 *  always NUL-terminated when non-NULL. Once an append fails, `failed` is set
 *  and later appends do nothing, so callers may check once at the end. */
typedef struct sr_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
    sr_err failed;
} sr_buf;

void sr_buf_init(sr_buf *b, size_t max);
void sr_buf_free(sr_buf *b);
void sr_buf_reset(sr_buf *b);
sr_err sr_buf_append(sr_buf *b, const void *p, size_t n);
sr_err sr_buf_puts(sr_buf *b, const char *s);
sr_err sr_buf_putc(sr_buf *b, char c);
sr_err sr_buf_printf(sr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
sr_err sr_buf_vprintf(sr_buf *b, const char *fmt, va_list ap);
/** Hand the bytes over to the caller (free() them); the buffer is emptied. */
char *sr_buf_steal(sr_buf *b, size_t *len);

/* ---- JSON writer (for output; input JSON is read with jansson). -------- */

/** Writes one JSON value into a buffer, placing commas itself. Strings are
 *  escaped and invalid UTF-8 becomes U+FFFD, so the output is always valid. */
typedef struct sr_json {
    sr_buf *out;
    int depth;
    uint64_t need_comma;  /* one bit per nesting level */
    bool after_key;
} sr_json;

void sr_json_init(sr_json *j, sr_buf *out);
void sr_json_object_begin(sr_json *j);
void sr_json_object_end(sr_json *j);
void sr_json_array_begin(sr_json *j);
void sr_json_array_end(sr_json *j);
void sr_json_key(sr_json *j, const char *key);
void sr_json_string(sr_json *j, const char *s);          /* NULL writes null */
void sr_json_stringn(sr_json *j, const char *s, size_t n);
void sr_json_int(sr_json *j, long long v);
void sr_json_double(sr_json *j, double v, int decimals); /* NaN/inf write null */
void sr_json_bool(sr_json *j, bool v);
void sr_json_null(sr_json *j);
/** A raw, already valid JSON value. */
void sr_json_raw(sr_json *j, const char *json, size_t n);
/* key + value shorthands */
void sr_json_kv_string(sr_json *j, const char *key, const char *s);
void sr_json_kv_int(sr_json *j, const char *key, long long v);
void sr_json_kv_double(sr_json *j, const char *key, double v, int decimals);
void sr_json_kv_bool(sr_json *j, const char *key, bool v);
/** Append s[0..n) to `out` as a JSON string body (no quotes). */
void sr_json_escape(sr_buf *out, const char *s, size_t n);

/* ---- UTF-8. -------------------------------------------------------------- */

/** Decode one code point at s[*i], advancing *i. Returns -1 for an invalid
 *  or truncated sequence (then *i advances by one byte). */
int32_t sr_utf8_decode(const char *s, size_t len, size_t *i);
/** Encode cp into out (4 bytes room); returns the byte count. */
int sr_utf8_encode(int32_t cp, char *out);
bool sr_utf8_valid(const char *s, size_t len);
/** How many bytes s starts with that are ASCII (below 0x80): the first
 *  non-ASCII byte's index, or len. Eight bytes at a time. */
size_t sr_ascii_span(const char *s, size_t len);
/** Number of code points in s[0..len) (an invalid byte counts as one). */
size_t sr_utf8_count(const char *s, size_t len);
/** Append s to out with every invalid sequence replaced by U+FFFD. */
sr_err sr_utf8_sanitize(sr_buf *out, const char *s, size_t len);
/** The code point of a windows-1252 byte (the WHATWG encoding standard's
 *  table; its five undefined bytes map to their C1 controls, as browsers
 *  map them). Bytes below 0x80 and from 0xA0 are their own code points. */
int32_t sr_cp1252_to_unicode(unsigned char b);

/** Maps byte offsets of a UTF-8 text to code-point offsets in one forward
 *  pass: ask for increasing byte offsets and each call costs only the bytes
 *  between the previous offset and this one. */
typedef struct sr_cp_cursor {
    const char *text;
    size_t len;
    size_t byte;
    size_t cp;
} sr_cp_cursor;
void sr_cp_cursor_init(sr_cp_cursor *c, const char *text, size_t len);
/** Code-point offset of byte offset `byte` (which may be behind the cursor). */
size_t sr_cp_cursor_at(sr_cp_cursor *c, size_t byte);

/** Byte offset of code point `cp` in s[0..len) (len when past the end);
 *  the inverse of sr_cp_cursor, counting lead bytes the same way. */
size_t sr_utf8_byte_offset(const char *s, size_t len, size_t cp);

/* ---- Calendar. ------------------------------------------------------------ */

/** Days since 1970-01-01 of a Gregorian date (negative before). */
long sr_days_from_civil(int y, int m, int d);
/** The date `days` days after 1970-01-01. */
void sr_civil_from_days(long days, int *y, int *m, int *d);

/* ---- Files. -------------------------------------------------------------- */

/** Read a whole file ("-" is stdin) refusing more than `max` bytes. On
 *  success *data is malloc'd and NUL-terminated. */
sr_err sr_read_file(const char *path, size_t max, char **data, size_t *len);

/** Read one line (without the newline) from f into b, refusing lines longer
 *  than b->max. Returns SR_OK, SR_ENOTFOUND at end of file, SR_ETOOBIG for an
 *  over-long line (the rest of that line is skipped). */
#include <stdio.h>
sr_err sr_read_line(FILE *f, sr_buf *b);

/* ---- Time. --------------------------------------------------------------- */

/** Monotonic seconds, for rates and timeouts. */
double sr_now(void);


/* ---- base64url and the private-address guard (lib/util/base64url.c,
 *      lib/util/netguard.c). ------------------------------------------------ */

/** Append the unpadded base64url form (RFC 4648 §5) of p[0..n) to out. */
sr_err sr_b64url_encode(sr_buf *out, const void *p, size_t n);
/** Decode unpadded (or padded) base64url s[0..len) into out, at most `max`
 *  bytes. Returns the byte count, or -1 for a bad character, bad length or
 *  more than `max` bytes. */
long sr_b64url_decode(const char *s, size_t len, uint8_t *out, size_t max);

struct sockaddr;
/** True when a server-side request must not go to this address: loopback,
 *  unspecified, RFC 1918 private, CGNAT (100.64/10), link-local, multicast,
 *  reserved and documentation ranges, IPv6 unique-local, site-local, and the
 *  IPv4-mapped, -compatible, NAT64, 6to4 and Teredo forms of any of them. */
bool sr_addr_is_private(const struct sockaddr *sa);
/** The same for an address written as text; false when `ip` is not an
 *  IPv4 or IPv6 address. */
bool sr_ip_is_private(const char *ip);
/** Resolve `host` (a name or an address literal, IPv6 with or without
 *  brackets) and refuse it when any address it resolves to is private:
 *  SR_EDENIED (why names the address), SR_ENET when it does not resolve. */
sr_err sr_host_guard(const char *host, char *why, size_t whylen);

#endif
