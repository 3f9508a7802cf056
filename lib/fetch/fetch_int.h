/* Inside the fetcher: one transfer (an easy handle and what it collects for
 * one request) and the table of hosts (what the fetcher learnt about each:
 * when it may be asked again, how many transfers it has open). */
#ifndef SR_FETCH_INT_H
#define SR_FETCH_INT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include "sitrep/fetch.h"
#include "sitrep/util.h"

/* A kept header longer than this is dropped, never cut: a cut ETag would
 * never match again. */
#define SR_HEADER_MAX 512

typedef struct sr_transfer {
    CURL *easy;
    const sr_fetch_options *opt;
    bool busy;
    size_t job;                      /* index of the request it serves */
    sr_buf body;
    struct curl_slist *headers;      /* the conditional request headers */
    char etag[SR_HEADER_MAX];
    char last_modified[128];
    char retry_after[128];
    char refused[64];                /* a private address a connection was refused to */
    char error[CURL_ERROR_SIZE];
} sr_transfer;

sr_err sr_transfer_init(sr_transfer *t, const sr_fetch_options *opt);
void sr_transfer_free(sr_transfer *t);
/** Set the easy handle up for `req` (options are reset first). */
sr_err sr_transfer_prepare(sr_transfer *t, const sr_fetch_request *req);
/** Turn a finished transfer into a response and an outcome. *res always
 *  gets the status, the URL and the Retry-After; the body only on SR_OK. */
sr_err sr_transfer_result(sr_transfer *t, CURLcode rc, const char *url, sr_response *res,
                          char *msg, size_t msglen);
/** Forget the body and headers of the last request. */
void sr_transfer_clear(sr_transfer *t);
/** Seconds from a Retry-After value (delta-seconds or HTTP-date); -1 when
 *  it is neither. */
double sr_retry_after_seconds(const char *value);

typedef struct sr_host {
    char *name;
    double next_start;   /* politeness: no request to it starts before this */
    double held_until;   /* a Retry-After asked to keep away until then */
    int active;          /* transfers open to it now */
    size_t head, tail;   /* the queue of the running batch: job index + 1, 0 = none */
    unsigned batch;      /* which batch the queue belongs to */
} sr_host;

typedef struct sr_hosts {
    sr_host *v;
    size_t n, cap;
    size_t *slot;        /* open addressing: host index + 1, 0 = empty */
    size_t nslots;
} sr_hosts;

/** The index of host `name` (lower case), added when new; -1 out of memory. */
long sr_hosts_get(sr_hosts *h, const char *name);
void sr_hosts_free(sr_hosts *h);

#endif
