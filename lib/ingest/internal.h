/* What the parsers of lib/ingest share and nobody else needs. */
#ifndef SR_INGEST_INTERNAL_H
#define SR_INGEST_INTERNAL_H

#include "sitrep/ingest.h"

/* Inflate a gzip or zlib buffer into the arena, refusing more than `max`
 * bytes of output. The result is NUL-terminated. */
sr_err sr_gunzip(const void *in, size_t len, size_t max, sr_arena *a, char **out, size_t *outlen);

static inline bool sr_is_gzip(const void *p, size_t len)
{
    const unsigned char *b = p;
    return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* HTML (or plain text) to plain text: tags removed, HTML entities decoded,
 * white space collapsed, cut at `max` bytes on a character boundary. */
char *sr_html_to_text(const char *s, size_t len, size_t max, sr_arena *a);

/* Trimmed copy of s[0..len) cut at `max` bytes on a character boundary. */
char *sr_trimmed(const char *s, size_t len, size_t max, sr_arena *a);

/* True when a document that is (or claims to be) UTF-8 has invalid bytes. */
bool sr_needs_utf8_repair(const char *s, size_t len);
/* Copy with every invalid UTF-8 byte read as Windows-1252. */
char *sr_utf8_repair_cp1252(const char *s, size_t len, sr_arena *a, size_t *outlen);

/* "UTF-8" when the document declares an encoding libxml2 cannot convert
 * from (the parse would stop at once), else NULL: keep the declaration. */
const char *sr_xml_encoding_override(const char *s, size_t len);

/* Prepare a feed or sitemap for parsing: refuse it over max_doc_bytes,
 * gunzip it, repair bad UTF-8. *warning is set when bytes were repaired. */
/* `l`, or the defaults written into *dflt when `l` is NULL. */
const sr_ingest_limits *sr_limits_or_default(const sr_ingest_limits *l, sr_ingest_limits *dflt);

sr_err sr_doc_prepare(const char **data, size_t *len, const sr_ingest_limits *lim, sr_arena *a,
                      const char **warning, char *err, size_t errlen);

/* Append as much of s as fits under max bytes in b (the rest is dropped). */
void sr_append_capped(sr_buf *b, const char *s, size_t max);

/* HTML entity references (&eacute;, &nbsp;), which XML does not know, as
 * numeric references, and bare "&" as "&amp;": feeds written by HTML
 * templates are full of both. NULL when the document needs no change. */
char *sr_xml_fix_entities(const char *s, size_t len, sr_arena *a, size_t *outlen);

/* libxml2 reports some faults (encoding conversion, I/O) through its
 * thread's global handler, which prints to stderr. Between begin and end
 * they go to `msg` instead (first one kept) and nothing is printed. */
typedef struct sr_xml_quiet {
    char *msg;
    size_t cap;
    int *line;
    void *saved_fn, *saved_ctx;
    void *saved_generic_fn, *saved_generic_ctx;
} sr_xml_quiet;
void sr_xml_quiet_begin(sr_xml_quiet *q, char *msg, size_t cap, int *line);
void sr_xml_quiet_end(sr_xml_quiet *q);

/* "line N: message" (no line when libxml2 gave none), or `fallback`. */
void sr_xml_errf(char *err, size_t errlen, int line, const char *msg, const char *fallback);

/* snprintf into err when err is not NULL. */
void sr_ingest_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
