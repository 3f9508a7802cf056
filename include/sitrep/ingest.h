/*
 * Sources: feeds, sitemaps and web archives turned into items and records,
 * and the keys that tell one article from another (normalised URLs, content
 * hashes, SimHash).
 *
 * Everything a parser returns lives in the arena the caller passes: one
 * arena per feed, sitemap or WARC record, freed (or reset) when the caller
 * is done with it. Every parser takes limits; input over a limit is refused
 * or cut with a message, never allowed to grow memory without bound.
 *
 * Errors: each parser fills `err` (when not NULL) with one line saying what
 * was wrong and where (line, or byte offset for WARC), without naming the
 * input: the caller prefixes the file or URL.
 */
#ifndef SITREP_INGEST_H
#define SITREP_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

/* ---- What a source is. ------------------------------------------------- */

typedef enum sr_source_kind {
    SR_SOURCE_UNKNOWN = 0,
    SR_SOURCE_HTML,      /**< a page */
    SR_SOURCE_FEED,      /**< RSS, Atom or JSON Feed */
    SR_SOURCE_SITEMAP,   /**< urlset or sitemapindex */
    SR_SOURCE_WARC,
} sr_source_kind;

/** Tell a page, feed, sitemap or WARC file from its first bytes (pass at
 *  least the first 4 KiB; gzip'd input is looked into). Names and
 *  Content-Types are not consulted: they are wrong too often. */
sr_source_kind sr_source_sniff(const void *head, size_t len);
/** "html", "feed", "sitemap", "warc", "unknown". */
const char *sr_source_kind_name(sr_source_kind k);

/* ---- Limits. ------------------------------------------------------------- */

typedef struct sr_ingest_limits {
    size_t max_doc_bytes;     /**< a feed or sitemap, after gunzip (default 50 MiB: the sitemap protocol's cap) */
    size_t max_items;         /**< items of a feed / URLs of a sitemap (default 50,000) */
    size_t max_field_bytes;   /**< one text field: title, summary, content... (default 256 KiB; longer is cut) */
    size_t max_list;          /**< authors or categories per item (default 64; more are dropped) */
    size_t max_record_bytes;  /**< one WARC record block (default 32 MiB; bigger records are skipped) */
    size_t max_header_bytes;  /**< WARC or HTTP header section (default 64 KiB) */
    size_t max_body_bytes;    /**< an HTTP body after Content-Encoding is undone (default 32 MiB) */
} sr_ingest_limits;

/** Fill `l` with the defaults above. */
void sr_ingest_limits_default(sr_ingest_limits *l);

/** Length of the `err` buffers the parsers accept. */
#define SR_INGEST_ERRLEN 256

/* ---- Feeds: RSS 0.9x / 1.0 (RDF) / 2.0, Atom 1.0, JSON Feed 1.0 / 1.1. --- */

typedef enum sr_feed_format {
    SR_FEED_UNKNOWN = 0,
    SR_FEED_RSS090,   /**< RSS 0.90 (RDF, Netscape namespace) */
    SR_FEED_RSS09X,   /**< RSS 0.91 / 0.92 / 0.93 / 0.94 */
    SR_FEED_RSS10,    /**< RSS 1.0 (RDF) */
    SR_FEED_RSS20,
    SR_FEED_ATOM,
    SR_FEED_JSON,     /**< JSON Feed 1.0 or 1.1 */
} sr_feed_format;

/** One entry of a feed. Strings are UTF-8, NUL-terminated, NULL when the
 *  feed does not give them. Titles and summaries are plain text (HTML tags
 *  removed, entities decoded, white space collapsed). Links are absolute.
 *  Dates are ISO 8601 in UTC ("2014-01-03T16:20:00Z", or "2014-01-03" when
 *  the feed gives only a day); a date that cannot be read is NULL. */
typedef struct sr_feed_item {
    const char *title;
    const char *link;        /**< the article; for RSS a permalink guid when there is no link */
    const char *id;          /**< guid / atom:id / JSON id / rdf:about */
    const char *published;
    const char *updated;
    const char *summary;     /**< description / summary as text (else the content) */
    const char *content;     /**< the full text when the feed carries it (content:encoded,
                                  Atom content, JSON content_text / content_html), as text */
    const char *image;       /**< enclosure or media:content/thumbnail image, absolute */
    const char **authors;
    size_t n_authors;
    const char **categories;
    size_t n_categories;
} sr_feed_item;

typedef struct sr_feed {
    sr_feed_format format;
    const char *title;
    const char *link;        /**< the site's home page, absolute */
    sr_feed_item *items;
    size_t n_items;
    size_t n_dropped;        /**< items over limits.max_items, not returned */
    const char *warning;     /**< a problem that was repaired (bad UTF-8...), or NULL */
} sr_feed;

/**
 * Parse a feed. `base_url` (may be NULL) is the URL the feed was read
 * from: relative links resolve against it (and against xml:base in Atom).
 * gzip'd input is accepted. The result is allocated from `a`.
 *
 * Returns SR_OK; SR_EPARSE for a malformed feed — then *out still holds the
 * items read before the fault (the last one possibly incomplete) when there
 * were any, else NULL; SR_ETOOBIG when the input exceeds max_doc_bytes;
 * SR_EEMPTY when the document is not a feed at all.
 */
sr_err sr_feed_parse(const char *data, size_t len, const char *base_url,
                     const sr_ingest_limits *limits, sr_arena *a,
                     sr_feed **out, char *err, size_t errlen);

/** "rss2.0", "atom", "jsonfeed", ... */
const char *sr_feed_format_name(sr_feed_format f);

/* ---- Sitemaps: urlset, sitemapindex, Google News sitemaps. -------------- */

typedef enum sr_sitemap_kind {
    SR_SITEMAP_URLSET = 1,   /**< pages */
    SR_SITEMAP_INDEX,        /**< other sitemaps */
} sr_sitemap_kind;

/** One <url> (or <sitemap> of an index). `news_*` come from a Google News
 *  <news:news> block; <image:image> and other extensions are ignored. */
typedef struct sr_sitemap_entry {
    const char *loc;                 /**< absolute URL */
    const char *lastmod;             /**< ISO 8601 UTC, or NULL */
    const char *news_title;
    const char *news_publication_date; /**< ISO 8601 UTC, or NULL */
    const char *news_language;
    const char *news_publication;    /**< <news:publication><news:name> */
} sr_sitemap_entry;

typedef struct sr_sitemap {
    sr_sitemap_kind kind;
    sr_sitemap_entry *entries;
    size_t n_entries;
    size_t n_dropped;                /**< entries over limits.max_items */
} sr_sitemap;

/** Parse a sitemap or sitemap index (plain or gzip'd). Same error contract
 *  as sr_feed_parse. Entries without a <loc> are skipped. */
sr_err sr_sitemap_parse(const char *data, size_t len, const char *base_url,
                        const sr_ingest_limits *limits, sr_arena *a,
                        sr_sitemap **out, char *err, size_t errlen);

/* ---- WARC 1.0 / 1.1 (plain, multi-member .gz, single-stream .gz). ------- */

typedef struct sr_warc sr_warc;

typedef struct sr_http_header {
    const char *name;
    const char *value;
} sr_http_header;

/** A response or resource record. Everything is in the arena given to
 *  sr_warc_next. HTTP responses come with any status: the caller decides
 *  what to do with a 404 or a redirect. */
typedef struct sr_warc_record {
    uint64_t offset;          /**< where the record starts: in the file for plain WARC
                                   and for .warc.gz the offset of the gzip member it
                                   starts in (what CDX indexes give); for a
                                   single-stream .gz, in the uncompressed stream */
    const char *type;         /**< "response" or "resource" */
    const char *record_id;    /**< WARC-Record-ID */
    const char *target_uri;   /**< WARC-Target-URI */
    const char *date;         /**< WARC-Date (ISO 8601) */
    int http_status;          /**< 0 for a resource record */
    sr_http_header *headers;  /**< HTTP headers (none for a resource record) */
    size_t n_headers;
    const char *content_type; /**< media type without parameters, lower case, or NULL */
    const char *charset;      /**< charset parameter, lower case, or NULL */
    const char *body;         /**< payload with Transfer- and Content-Encoding undone; NUL-terminated */
    size_t body_len;
} sr_warc_record;

/** Open a WARC file ("-" is stdin). Compression is detected from the first
 *  bytes, not the name. `limits` may be NULL (defaults). */
sr_err sr_warc_open(const char *path, const sr_ingest_limits *limits, sr_warc **out);

/** Read from an open stream instead (not closed by sr_warc_close). */
sr_err sr_warc_open_stream(FILE *f, const sr_ingest_limits *limits, sr_warc **out);

/**
 * The next response or resource record (other record types are passed
 * over). Memory stays constant whatever the file size: record blocks are
 * read into `a` (the caller's arena for this record), oversize records are
 * skipped without being held.
 *
 * Returns SR_OK with *rec set; SR_ENOTFOUND at the end; or an error for
 * one record — SR_EPARSE (malformed, truncated by the crawler or by the end
 * of the file, bad gzip), SR_ETOOBIG (over a limit), SR_EENCODING (a
 * Content-Encoding other than gzip/deflate), SR_ENOMEM (the arena refused
 * the record), SR_EIO — with
 * sr_warc_error() saying which record (its offset) and what. After an error,
 * call again: the reader goes on with the next record when it can find one.
 */
sr_err sr_warc_next(sr_warc *r, sr_arena *a, sr_warc_record **rec);

/** The message of the last error ("record at offset 1234: ..."). */
const char *sr_warc_error(const sr_warc *r);

/** Bytes of the file read so far (for progress). */
uint64_t sr_warc_position(const sr_warc *r);

/** Close the reader (and the file it opened). NULL is fine. */
void sr_warc_close(sr_warc *r);

/** Value of an HTTP header of the record (case-insensitive), or NULL. */
const char *sr_warc_header(const sr_warc_record *rec, const char *name);

/* ---- URLs. --------------------------------------------------------------- */

/** Resolve `ref` against `base` (RFC 3986). Returns ref unchanged (copied)
 *  when base is NULL. */
sr_err sr_url_resolve(const char *base, const char *ref, sr_arena *a, char **out);

/**
 * The key under which two URLs of one article compare equal. Lower-cases
 * scheme and host; drops default ports, fragments, "www.", mobile ("m.",
 * "mobile.") and AMP ("amp." hosts, "/amp" path segments, ".amp.html",
 * "?amp") variants, tracking parameters (utm_*, fbclid, gclid, ...; the list
 * is in docs/ingest.md), index pages and trailing slashes; sorts the
 * remaining query parameters. The key is for comparing, not for fetching.
 * Returns SR_EINVAL for something that is not an absolute http(s) URL.
 */
sr_err sr_url_normalize(const char *url, sr_arena *a, char **out);

/* ---- Content fingerprints. ---------------------------------------------- */

/** SHA-256 of the text after normalisation (case folded, punctuation and
 *  white space reduced to single separators), so that re-fetching the same
 *  article with different spacing or markup gives the same hash. */
#define SR_CONTENT_HASH_LEN 32
void sr_content_hash(const char *text, size_t len, uint8_t out[SR_CONTENT_HASH_LEN]);
/** The same as 64 lower-case hex digits plus NUL. */
void sr_content_hash_hex(const char *text, size_t len, char out[2 * SR_CONTENT_HASH_LEN + 1]);

/** 64-bit SimHash over word 3-shingles of the normalised text. */
uint64_t sr_simhash(const char *text, size_t len);
/** Both of the above (the hash as hex) in one pass over the words. */
void sr_fingerprints(const char *text, size_t len, char hash_hex[2 * SR_CONTENT_HASH_LEN + 1], uint64_t *simhash);
/** Bits that differ between two SimHashes. */
int sr_simhash_distance(uint64_t a, uint64_t b);
/** Near-duplicate threshold: distance at or under this is the same text
 *  (see docs/ingest.md for how it was chosen). */
#define SR_SIMHASH_NEAR 10
static inline bool sr_simhash_near(uint64_t a, uint64_t b)
{
    return sr_simhash_distance(a, b) <= SR_SIMHASH_NEAR;
}

/* ---- Dates. -------------------------------------------------------------- */

/** Read an RFC 822/1123 ("Fri, 03 Jan 2014 16:20:00 GMT", "+0100", "EST",
 *  two-digit years) or ISO 8601 / RFC 3339 date and write it as ISO 8601
 *  UTC into out ("2014-01-03T16:20:00Z", or "2014-01-03" for a day).
 *  Returns false when the text is not a date. */
bool sr_date_iso8601(const char *text, char out[32]);

#endif
