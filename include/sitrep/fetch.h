/*
 * fetch: getting pages over HTTP(S) with libcurl.
 *
 * Today one URL at a time (sr_fetch). A fetcher holds the settings and a
 * reusable connection cache; the politeness and many-at-once parts of the
 * flow (per-host delays, robots.txt, conditional GET) will hang off the same
 * handle, so callers keep one sr_fetcher for a whole run.
 */
#ifndef SITREP_FETCH_H
#define SITREP_FETCH_H

#include <stddef.h>
#include "sitrep/sitrep.h"

typedef struct sr_fetcher sr_fetcher;

typedef struct sr_fetch_options {
    double connect_timeout;  /**< seconds (0: 10) */
    double timeout;          /**< seconds for the whole transfer (0: 30) */
    size_t max_bytes;        /**< body size cap, decoded (0: 32 MiB); over it the transfer stops */
    int max_redirects;       /**< (0: 5; -1: none) */
    const char *user_agent;  /**< NULL: "sitrep/<version> (+https://github.com/sitrep/sitrep)" */
} sr_fetch_options;

typedef struct sr_response {
    long status;             /**< HTTP status of the last response */
    char *body;              /**< NUL-terminated, `len` bytes; free with sr_response_free */
    size_t len;
    char *url;               /**< the final URL after redirects */
    char *content_type;      /**< Content-Type header, or NULL */
} sr_response;

/** New fetcher; NULL when out of memory or libcurl cannot start. */
sr_fetcher *sr_fetcher_new(const sr_fetch_options *opt);
void sr_fetcher_free(sr_fetcher *f);

/**
 * GET `url` (http or https only), following redirects, accepting gzip,
 * deflate and brotli. On SR_OK *res holds a 2xx response. Errors: SR_EINVAL
 * (not an http(s) URL), SR_ENET (DNS, connect, TLS, timeout, or an HTTP
 * status of 400 or more), SR_ETOOBIG (body over max_bytes), SR_ENOMEM.
 * sr_fetcher_message() says what happened in words.
 */
sr_err sr_fetch(sr_fetcher *f, const char *url, sr_response *res);
void sr_response_free(sr_response *res);

/** The last error of `f`, in words (never NULL). */
const char *sr_fetcher_message(const sr_fetcher *f);

#endif
