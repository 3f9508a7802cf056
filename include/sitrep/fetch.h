/*
 * fetch: getting pages over HTTP(S) with libcurl.
 *
 * One URL at a time (sr_fetch) or many at once (sr_fetch_many, on libcurl's
 * multi interface). A fetcher holds the settings, the connection cache and
 * what it learnt about each host (when it may be asked again), so callers
 * keep one sr_fetcher for a whole run.
 */
#ifndef SITREP_FETCH_H
#define SITREP_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "sitrep/sitrep.h"

typedef struct sr_fetcher sr_fetcher;

typedef struct sr_fetch_options {
    double connect_timeout;  /**< seconds (0: 10) */
    double timeout;          /**< seconds for the whole transfer (0: 30) */
    size_t max_bytes;        /**< body size cap, decoded (0: 32 MiB); over it the transfer stops */
    int max_redirects;       /**< (0: 5; -1: none) */
    const char *user_agent;  /**< NULL: "sitrep/<version> (+https://github.com/sitrep/sitrep)" */
    int max_connections;     /**< transfers at once in sr_fetch_many (0: 16) */
    int per_host;            /**< transfers at once to one host (0: 2) */
    double host_delay;       /**< seconds between two requests to one host (0: 1; <0: none) */
    double max_retry_after;  /**< a 429/503 whose Retry-After is at most this many seconds is
                                  retried once after waiting (0: 30; <0: never retried) */
    bool allow_private;      /**< false: refuse private, loopback and link-local addresses,
                                  checked on the address actually connected to */
    const atomic_bool *cancel; /**< when it becomes true, sr_fetch_many ends within about a
                                  second, dropping open transfers without further callbacks,
                                  as if the callback had asked to stop (NULL: never) */
} sr_fetch_options;

typedef struct sr_response {
    long status;             /**< HTTP status of the last response */
    char *body;              /**< NUL-terminated, `len` bytes; free with sr_response_free */
    size_t len;
    char *url;               /**< the final URL after redirects */
    char *content_type;      /**< Content-Type header, or NULL */
    char *etag;              /**< ETag header, or NULL */
    char *last_modified;     /**< Last-Modified header, or NULL */
    bool not_modified;       /**< a 304 to a conditional request: body is empty */
    double retry_after;      /**< seconds the server asked to wait (429/503), or 0 */
} sr_response;

/** One request of sr_fetch_many. */
typedef struct sr_fetch_request {
    const char *url;
    const char *etag;           /**< sent as If-None-Match, or NULL */
    const char *last_modified;  /**< sent as If-Modified-Since, or NULL */
    void *user;                 /**< handed back to the callback */
} sr_fetch_request;

/**
 * Called once per request of sr_fetch_many as it finishes, in the calling
 * thread. `err` is SR_OK with a 2xx or 304 in *res (res->not_modified), or
 * the error sr_fetch would return, with `message` saying it in words (never
 * NULL). The response belongs to the fetcher and is freed after the call:
 * steal what you keep (set the pointer to NULL). Return non-zero to stop:
 * transfers not yet finished are abandoned without further calls.
 */
typedef int (*sr_fetch_done_fn)(const sr_fetch_request *req, sr_err err, sr_response *res,
                                const char *message, void *ctx);

/** New fetcher; NULL when out of memory or libcurl cannot start. */
sr_fetcher *sr_fetcher_new(const sr_fetch_options *opt);
void sr_fetcher_free(sr_fetcher *f);

/**
 * GET `url` (http or https only), following redirects, accepting gzip,
 * deflate and brotli. On SR_OK *res holds a 2xx response. Errors: SR_EINVAL
 * (not an http(s) URL), SR_ENET (DNS, connect, TLS, timeout, or an HTTP
 * status of 400 or more), SR_ETOOBIG (body over max_bytes), SR_EDENIED (a
 * private address while allow_private is off), SR_ENOMEM; on an error only
 * res->status and res->retry_after are set. sr_fetcher_message() says what
 * happened in words.
 */
sr_err sr_fetch(sr_fetcher *f, const char *url, sr_response *res);
void sr_response_free(sr_response *res);

/**
 * Fetch `n` requests concurrently: at most max_connections at once and
 * per_host per host, host_delay apart per host, each conditional when it
 * carries an etag or last_modified. Returns when every request is done (or
 * `done` asked to stop): SR_OK, or SR_ENOMEM/SR_EINVAL when it could not run
 * (SR_EINVAL too when called from `done`: a fetcher runs one batch at a time).
 */
sr_err sr_fetch_many(sr_fetcher *f, const sr_fetch_request *reqs, size_t n,
                     sr_fetch_done_fn done, void *ctx);

/** The last error of `f`, in words (never NULL). */
const char *sr_fetcher_message(const sr_fetcher *f);

#endif
