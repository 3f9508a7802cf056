/*
 * extract: the article out of a news page.
 *
 * One call turns a page (HTML bytes, any character set) into an sr_article:
 * metadata from JSON-LD, OpenGraph/Twitter/article meta, microdata, <time>,
 * the URL and the byline, and the body as plain text with the page furniture
 * (navigation, share bars, related lists, consent and app prompts, video
 * chrome, ads, photo credits) removed. Everything in an sr_article lives in
 * the arena passed to the call; free the arena to free the article.
 */
#ifndef SITREP_EXTRACT_H
#define SITREP_EXTRACT_H

#include <stddef.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

typedef struct sr_extractor sr_extractor;

typedef struct sr_extract_options {
    /** Largest page accepted, in bytes (0: 32 MiB). Larger pages fail with SR_ETOOBIG. */
    size_t max_bytes;
} sr_extract_options;

/** How precise a date is. */
typedef enum sr_date_precision {
    SR_DATE_NONE = 0, SR_DATE_YEAR, SR_DATE_MONTH, SR_DATE_DAY, SR_DATE_SECOND
} sr_date_precision;

/** A figure's caption and its photo credit, apart. */
typedef struct sr_caption {
    const char *text;    /**< the caption, NULL if none */
    const char *credit;  /**< the photo credit, NULL if none */
} sr_caption;

typedef struct sr_article {
    const char *source;      /**< the path or URL as given */
    const char *url;         /**< canonical URL: given URL, <link rel=canonical>, og:url */
    const char *title;       /**< headline without " - Site Name" */
    const char *published;   /**< ISO 8601 or NULL */
    sr_date_precision published_precision;
    const char *published_source; /**< "json-ld", "meta", "time", "url" or "text" */
    const char *modified;    /**< ISO 8601 or NULL */
    const char **authors;    /**< n_authors names */
    size_t n_authors;
    const char *lang;        /**< BCP 47 tag as the page states it, or NULL */
    const char *site_name;
    const char *description;
    const char *text;        /**< body: paragraphs separated by a blank line */
    size_t text_len;
    sr_caption *captions;
    size_t n_captions;
    const char **images;     /**< absolute image URLs in the article */
    size_t n_images;
    size_t word_count;
} sr_article;

/** New extractor (NULL options: defaults). Reusable for many pages, one
 *  thread at a time. NULL when out of memory. */
sr_extractor *sr_extractor_new(const sr_extract_options *opt);
void sr_extractor_free(sr_extractor *ex);

/**
 * Extract the article from an HTML page.
 * `source_url` (may be NULL) is the URL the page came from: it resolves
 * relative links, is the first choice for `url` and may carry a date.
 * `http_content_type` (may be NULL) is the Content-Type header, the first
 * source of the character set. `source` is what the user named (path or URL).
 * On success *out points into `arena`. Errors: SR_EEMPTY (empty input or no
 * text found), SR_EPARSE (not HTML), SR_ETOOBIG, SR_ENOMEM.
 */
sr_err sr_extract_html(sr_extractor *ex, sr_arena *arena,
                       const char *html, size_t len,
                       const char *source, const char *source_url,
                       const char *http_content_type, sr_article **out);

/**
 * The same for a page already flattened to plain text (one block per line,
 * as many crawls store pages): drops furniture lines (app choosers,
 * notification prompts, "Watch ..." links, video titles with durations) and
 * joins the rest into paragraphs. Invalid UTF-8 becomes U+FFFD.
 */
sr_err sr_extract_text(sr_extractor *ex, sr_arena *arena,
                       const char *text, size_t len,
                       const char *source, sr_article **out);

/** Append the article as one JSON object (the `sitrep extract` schema). */
void sr_article_write_json(const sr_article *a, sr_json *j);

/** "second", "day", "month", "year" or NULL. */
const char *sr_date_precision_name(sr_date_precision p);

/** Why the last call on `ex` failed, in words (never NULL). */
const char *sr_extractor_message(const sr_extractor *ex);

#endif
