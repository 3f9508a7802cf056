/* Shared between the parts of lib/http; not part of the public API. */
#ifndef SR_HTTP_INTERNAL_H
#define SR_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include "sitrep/http.h"

#define SR_HTTP_MAX_HUBS 8
#define SR_HTTP_MAX_MOUNTS 16

struct route;

struct sr_http_server {
    struct MHD_Daemon *daemon;
    sr_http_options o;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    unsigned port;
    struct sr_http_mount_point {
        char *prefix;  /* URL prefix ending in "/" */
        char *root;    /* realpath of the folder */
    } mounts[SR_HTTP_MAX_MOUNTS];
    int n_mounts;
    struct route *routes;
    size_t n_routes, cap_routes;
    sr_sse_hub *hubs[SR_HTTP_MAX_HUBS];
    int n_hubs;
    atomic_ullong n_requests, n_4xx, n_5xx, n_streams_total;
    /* keep-alive thread for idle streams */
    pthread_t keepalive;
    bool keepalive_running;
    bool keepalive_stop;
    pthread_mutex_t keepalive_mu;
    pthread_cond_t keepalive_cv;
};

struct sr_http_request {
    sr_http_server *server;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *tail;
    sr_buf body;
    bool too_big;
    bool answered;
    sr_arena *arena;
    char remote[64];
};

enum MHD_Result sr_http_queue(sr_http_server *s, struct MHD_Connection *c, sr_http_response *res);
void sr_http_add_headers(struct MHD_Response *r, const sr_http_response *res);
enum MHD_Result sr_http_serve_static(sr_http_server *s, sr_http_request *req);
enum MHD_Result sr_http_queue_stream(sr_http_server *s, sr_http_request *req, sr_http_response *res);
int sr_http_keepalive_start(sr_http_server *s);
void sr_http_keepalive_stop(sr_http_server *s);
void sr_http_streams_close(sr_http_server *s);
void sr_sse_hub_destroy(sr_sse_hub *hub);

#endif
