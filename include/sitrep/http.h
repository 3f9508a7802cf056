/*
 * The HTTP server under `sitrep serve`: routes, static files, capped request
 * bodies and Server-Sent Event streams that cost no thread and almost no
 * memory while idle (libmicrohttpd with its epoll thread and suspend/resume).
 *
 *   sr_http_server *s;
 *   sr_http_options o = {.listen = "127.0.0.1:8080", .web_root = "web"};
 *   sr_http_server_new(&o, &s, err, sizeof err);
 *   sr_http_route(s, "GET", "/api/events", list_events, store);
 *   sr_http_route(s, "GET", "/api/events/" "*", one_event, store);
 *   sr_http_server_start(s);
 *   ...
 *   sr_http_server_free(s);   // resumes and closes every stream, then stops
 */
#ifndef SITREP_HTTP_H
#define SITREP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

typedef struct sr_http_server sr_http_server;
typedef struct sr_http_request sr_http_request;
typedef struct sr_sse_hub sr_sse_hub;

typedef struct sr_http_options {
    const char *listen;          /**< "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"; port 0 picks one */
    const char *web_root;        /**< folder of static files served under "/" (NULL: none) */
    size_t max_body;             /**< larger request bodies get 413 (0: 64 KiB) */
    size_t max_url;              /**< longer URLs (path + query) get 414 (0: 4 KiB) */
    unsigned max_connections;    /**< 0: 20,000 */
    unsigned threads;            /**< request threads, each with its own epoll (0: 1) */
    unsigned keepalive_seconds;  /**< idle streams get an SSE comment this often (0: 20) */
} sr_http_options;

/** A response the handler fills. `status` starts at 200, `content_type` at
 *  application/json; `body` is a buffer capped at 64 MiB. */
typedef struct sr_http_response {
    int status;
    const char *content_type;
    sr_buf body;
    sr_buf headers;  /* "Name: value\n" lines, added with sr_http_add_header() */
    /* set by sr_http_stream(); the server then keeps the connection open */
    void *stream;
} sr_http_response;

/** A handler answers one request. Return SR_OK; any other code becomes a
 *  500 with a JSON error body (unless the handler already set a status). */
typedef sr_err (*sr_http_handler)(void *ctx, sr_http_request *req, sr_http_response *res);

sr_err sr_http_server_new(const sr_http_options *opts, sr_http_server **out, char *err, size_t errlen);
/** Route METHOD PATH to fn. A path ending in "*" matches every path with
 *  that prefix (sr_http_path_tail() gives the rest). Routes are tried in the
 *  order added; unmatched GETs fall through to the static files. */
sr_err sr_http_route(sr_http_server *s, const char *method, const char *path, sr_http_handler fn, void *ctx);
/** Serve the files of folder `dir` under URL prefix `prefix` (which ends in
 *  "/"), e.g. sr_http_mount(s, "/vendor/leaflet/", "node_modules/leaflet/dist").
 *  The longest matching prefix wins; web_root is the mount of "/". Requests
 *  never leave the folder. */
sr_err sr_http_mount(sr_http_server *s, const char *prefix, const char *dir, char *err, size_t errlen);
sr_err sr_http_server_start(sr_http_server *s, char *err, size_t errlen);
/** The port actually bound (useful with port 0). */
unsigned sr_http_server_port(const sr_http_server *s);
/** Close every stream, stop and free. NULL is fine. */
void sr_http_server_free(sr_http_server *s);
/** Requests answered so far, by class, for /metrics. */
typedef struct sr_http_stats {
    unsigned long long requests, errors_4xx, errors_5xx, streams_open, streams_total;
} sr_http_stats;
void sr_http_server_stats(const sr_http_server *s, sr_http_stats *out);

/* ---- The request. -------------------------------------------------------- */

const char *sr_http_method(const sr_http_request *r);
const char *sr_http_path(const sr_http_request *r);
/** The part of the path after a "*" route's prefix ("" otherwise). */
const char *sr_http_path_tail(const sr_http_request *r);
/** A query-string argument, URL-decoded, or NULL. */
const char *sr_http_query(const sr_http_request *r, const char *key);
const char *sr_http_header_in(const sr_http_request *r, const char *name);
const char *sr_http_body(const sr_http_request *r, size_t *len);
/** The client's address as text ("127.0.0.1", "::1"). */
const char *sr_http_remote(const sr_http_request *r);
/** An arena that lives as long as the request. */
sr_arena *sr_http_arena(sr_http_request *r);

/* ---- The response. ------------------------------------------------------- */

void sr_http_add_header(sr_http_response *res, const char *name, const char *value);
/** Set status and a JSON body {"error": message}. Returns SR_OK so a handler
 *  can `return sr_http_error(res, 400, "bad bbox");`. */
sr_err sr_http_error(sr_http_response *res, int status, const char *message);

/* ---- Server-Sent Event streams. ------------------------------------------ */

/** Decides whether a published item goes to one stream client. */
typedef bool (*sr_sse_match)(void *filter, const void *item);

/** A hub fans published events out to its stream clients. Create it before
 *  sr_http_server_start(); the server frees it. */
sr_sse_hub *sr_sse_hub_new(sr_http_server *s);
/** Turn this response into an event stream on `hub`. `filter` (freed with
 *  filter_free when the client goes) is passed to `match` for each published
 *  item. `replay` (may be NULL/empty) is sent first: the events the client
 *  missed, already formatted with sr_sse_format(). */
sr_err sr_http_stream(sr_http_request *r, sr_http_response *res, sr_sse_hub *hub,
                      sr_sse_match match, void *filter, void (*filter_free)(void *),
                      const char *replay, size_t replay_len);
/** Append one SSE message (id, event name, data with newlines split into
 *  several data: lines) to out. */
void sr_sse_format(sr_buf *out, const char *id, const char *event, const char *data, size_t data_len);
/** Send one event to every client whose filter matches `item`. Thread-safe.
 *  Clients that fall more than 1 MiB behind are disconnected. Returns the
 *  number of clients it was queued for. */
size_t sr_sse_publish(sr_sse_hub *hub, const char *id, const char *event,
                      const char *data, size_t data_len, const void *item);
/** Clients connected now. */
size_t sr_sse_clients(sr_sse_hub *hub);

#endif
