/* The HTTP server: libmicrohttpd with epoll in its own thread(s) and
 * suspend/resume, so a long-lived event stream costs a socket and a few
 * hundred bytes while idle, not a thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http_internal.h"

#define DEFAULT_MAX_BODY (64 * 1024)
#define DEFAULT_MAX_URL (4 * 1024)
#define DEFAULT_MAX_CONNECTIONS 20000
#define RESPONSE_MAX (64u * 1024 * 1024)
#define REQUEST_ARENA_MAX (64u * 1024 * 1024)

struct route {
    char method[8];
    char *path;
    size_t path_len;
    bool prefix;
    sr_http_handler fn;
    void *ctx;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **state);
static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why);
static void log_mhd(void *cls, const char *fmt, va_list ap);
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        char *err, size_t errlen);

sr_err sr_http_server_new(const sr_http_options *opts, sr_http_server **out, char *err, size_t errlen)
{
    *out = NULL;
    sr_http_server *s = calloc(1, sizeof *s);
    if (!s)
        return SR_ENOMEM;
    s->o = *opts;
    if (!s->o.max_body)
        s->o.max_body = DEFAULT_MAX_BODY;
    if (!s->o.max_url)
        s->o.max_url = DEFAULT_MAX_URL;
    if (!s->o.max_connections)
        s->o.max_connections = DEFAULT_MAX_CONNECTIONS;
    if (!s->o.threads)
        s->o.threads = 1;
    if (!s->o.keepalive_seconds)
        s->o.keepalive_seconds = 20;
    if (parse_listen(opts->listen ? opts->listen : "127.0.0.1:8080", &s->addr, &s->addr_len, err, errlen)) {
        free(s);
        return SR_EINVAL;
    }
    pthread_mutex_init(&s->keepalive_mu, NULL);
    pthread_cond_init(&s->keepalive_cv, NULL);
    if (opts->web_root) {
        sr_err e = sr_http_mount(s, "/", opts->web_root, err, errlen);
        if (e) {
            sr_http_server_free(s);
            return e;
        }
    }
    *out = s;
    return SR_OK;
}

sr_err sr_http_route(sr_http_server *s, const char *method, const char *path, sr_http_handler fn, void *ctx)
{
    if (strlen(method) >= sizeof s->routes[0].method)
        return SR_EINVAL;
    if (s->n_routes == s->cap_routes) {
        size_t cap = s->cap_routes ? s->cap_routes * 2 : 16;
        struct route *r = realloc(s->routes, cap * sizeof *r);
        if (!r)
            return SR_ENOMEM;
        s->routes = r;
        s->cap_routes = cap;
    }
    struct route *r = &s->routes[s->n_routes++];
    snprintf(r->method, sizeof r->method, "%s", method);
    r->path_len = strlen(path);
    r->prefix = r->path_len && path[r->path_len - 1] == '*';
    if (r->prefix)
        r->path_len--;
    r->path = strndup(path, r->path_len);
    r->fn = fn;
    r->ctx = ctx;
    return r->path ? SR_OK : SR_ENOMEM;
}

sr_err sr_http_mount(sr_http_server *s, const char *prefix, const char *dir, char *err, size_t errlen)
{
    size_t n = strlen(prefix);
    if (s->n_mounts == SR_HTTP_MAX_MOUNTS || prefix[0] != '/' || prefix[n - 1] != '/') {
        snprintf(err, errlen, "cannot mount %s: the prefix must start and end with '/'", prefix);
        return SR_EINVAL;
    }
    char real[PATH_MAX];
    if (!realpath(dir, real)) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return SR_ENOTFOUND;
    }
    struct sr_http_mount_point *m = &s->mounts[s->n_mounts];
    m->prefix = strdup(prefix);
    m->root = strdup(real);
    if (!m->prefix || !m->root) {
        free(m->prefix);
        free(m->root);
        return SR_ENOMEM;
    }
    s->n_mounts++;
    return SR_OK;
}

sr_err sr_http_server_start(sr_http_server *s, char *err, size_t errlen)
{
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (s->addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)log_mhd, NULL},
        {MHD_OPTION_SOCK_ADDR, 0, &s->addr},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)s->o.max_connections, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)(s->o.max_url + 4 * 1024), NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096, NULL},
        {s->o.threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)s->o.threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s (address in use or not available)",
                 s->o.listen ? s->o.listen : "127.0.0.1:8080");
        return SR_EIO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    if (sr_http_keepalive_start(s)) {
        snprintf(err, errlen, "cannot start the stream keep-alive thread");
        return SR_ENOMEM;
    }
    return SR_OK;
}

unsigned sr_http_server_port(const sr_http_server *s)
{
    return s->port;
}

void sr_http_server_free(sr_http_server *s)
{
    if (!s)
        return;
    if (s->daemon) {
        sr_http_streams_close(s);
        sr_http_keepalive_stop(s);
        MHD_stop_daemon(s->daemon);
    }
    for (int i = 0; i < s->n_hubs; i++)
        sr_sse_hub_destroy(s->hubs[i]);
    for (size_t i = 0; i < s->n_routes; i++)
        free(s->routes[i].path);
    free(s->routes);
    for (int i = 0; i < s->n_mounts; i++) {
        free(s->mounts[i].prefix);
        free(s->mounts[i].root);
    }
    pthread_mutex_destroy(&s->keepalive_mu);
    pthread_cond_destroy(&s->keepalive_cv);
    free(s);
}

void sr_http_server_stats(const sr_http_server *s, sr_http_stats *out)
{
    out->requests = atomic_load(&s->n_requests);
    out->errors_4xx = atomic_load(&s->n_4xx);
    out->errors_5xx = atomic_load(&s->n_5xx);
    out->streams_total = atomic_load(&s->n_streams_total);
    out->streams_open = 0;
    for (int i = 0; i < s->n_hubs; i++)
        out->streams_open += sr_sse_clients(s->hubs[i]);
}

/* ---- Requests. ----------------------------------------------------------- */

const char *sr_http_method(const sr_http_request *r) { return r->method; }
const char *sr_http_path(const sr_http_request *r) { return r->path; }
const char *sr_http_path_tail(const sr_http_request *r) { return r->tail ? r->tail : ""; }
const char *sr_http_remote(const sr_http_request *r) { return r->remote; }
/* Made on first use: a stream holds its request for hours, and most
 * requests never need an arena. */
sr_arena *sr_http_arena(sr_http_request *r)
{
    if (!r->arena)
        r->arena = sr_arena_new(REQUEST_ARENA_MAX);
    return r->arena;
}

const char *sr_http_query(const sr_http_request *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *sr_http_header_in(const sr_http_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *sr_http_body(const sr_http_request *r, size_t *len)
{
    if (len)
        *len = r->body.len;
    return r->body.data ? r->body.data : "";
}

void sr_http_add_header(sr_http_response *res, const char *name, const char *value)
{
    /* header injection: names and values never carry CR or LF */
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return;
    sr_buf_printf(&res->headers, "%s: %s\n", name, value);
}

sr_err sr_http_error(sr_http_response *res, int status, const char *message)
{
    res->status = status;
    res->content_type = "application/json";
    sr_buf_reset(&res->body);
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "error", message);
    sr_json_object_end(&j);
    return SR_OK;
}

static void remote_address(struct MHD_Connection *c, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = 0;
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
}

static enum MHD_Result queue_json_error(sr_http_server *s, struct MHD_Connection *c, int status,
                                        const char *message)
{
    sr_http_response res = {0};
    sr_buf_init(&res.body, 4096);
    sr_buf_init(&res.headers, 4096);
    sr_http_error(&res, status, message);
    enum MHD_Result r = sr_http_queue(s, c, &res);
    return r;
}

/* Finds the route for a request; sets *method_mismatch when only the method
 * was wrong (405 rather than 404). */
static const struct route *find_route(sr_http_server *s, const char *method, const char *path,
                                      bool *method_mismatch)
{
    *method_mismatch = false;
    for (size_t i = 0; i < s->n_routes; i++) {
        const struct route *r = &s->routes[i];
        bool path_ok = r->prefix ? strncmp(path, r->path, r->path_len) == 0
                                 : strcmp(path, r->path) == 0;
        if (!path_ok)
            continue;
        if (strcmp(r->method, method) == 0 || (strcmp(r->method, "GET") == 0 && strcmp(method, "HEAD") == 0))
            return r;
        *method_mismatch = true;
    }
    return NULL;
}

static enum MHD_Result add_arg_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    *(size_t *)cls += 2 + strlen(key) + (value ? strlen(value) : 0);  /* "&key=value" */
    return MHD_YES;
}

/* The path and the query together, decoded (libmicrohttpd keeps no copy of
 * the raw request line): what max_url caps. */
static size_t url_length(const sr_http_request *req)
{
    size_t n = strlen(req->path);
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg_length, &n);
    return n;
}

static enum MHD_Result dispatch(sr_http_server *s, sr_http_request *req)
{
    if (req->too_big)
        return queue_json_error(s, req->conn, 413, "request body too large");
    if (url_length(req) > s->o.max_url)
        return queue_json_error(s, req->conn, 414, "URL too long");
    bool mismatch;
    const struct route *route = find_route(s, req->method, req->path, &mismatch);
    if (!route) {
        if (!mismatch && s->n_mounts && (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0))
            return sr_http_serve_static(s, req);
        return queue_json_error(s, req->conn, mismatch ? 405 : 404,
                                mismatch ? "method not allowed" : "not found");
    }
    req->tail = route->prefix ? req->path + route->path_len : "";
    sr_http_response res = {.status = 200, .content_type = "application/json"};
    sr_buf_init(&res.body, RESPONSE_MAX);
    sr_buf_init(&res.headers, 16 * 1024);
    sr_err e = route->fn(route->ctx, req, &res);
    if (res.stream)
        return sr_http_queue_stream(s, req, &res);
    if (e && res.status < 400)
        sr_http_error(&res, e == SR_EINVAL ? 400 : e == SR_ENOTFOUND ? 404 : 500, sr_strerror(e));
    if (res.body.failed)
        sr_http_error(&res, 500, "response too large");
    return sr_http_queue(s, req->conn, &res);
}

enum MHD_Result sr_http_queue(sr_http_server *s, struct MHD_Connection *c, sr_http_response *res)
{
    size_t len = 0;
    char *body = sr_buf_steal(&res->body, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body ? body : "",
                                                             body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        sr_buf_free(&res->headers);
        return MHD_NO;
    }
    sr_http_add_headers(r, res);
    sr_buf_free(&res->headers);
    atomic_fetch_add(&s->n_requests, 1);
    if (res->status >= 500)
        atomic_fetch_add(&s->n_5xx, 1);
    else if (res->status >= 400)
        atomic_fetch_add(&s->n_4xx, 1);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

void sr_http_add_headers(struct MHD_Response *r, const sr_http_response *res)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type ? res->content_type : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (!res->headers.data)
        return;
    char *line = res->headers.data;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break;
        *nl = 0;
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = 0;
            MHD_add_response_header(r, line, colon + 2);
        }
        line = nl + 1;
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **state)
{
    sr_http_server *s = cls;
    sr_http_request *req = *state;
    if (!req) {
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        req->server = s;
        req->conn = c;
        req->method = method;
        req->path = url;
        sr_buf_init(&req->body, s->o.max_body);
        remote_address(c, req->remote, sizeof req->remote);
        *state = req;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->o.max_body)
            req->too_big = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->too_big && sr_buf_append(&req->body, upload, *upload_size))
            req->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (req->answered)
        return MHD_YES;
    req->answered = true;
    return dispatch(s, req);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    sr_http_request *req = *state;
    if (!req)
        return;
    sr_buf_free(&req->body);
    sr_arena_free(req->arena);
    free(req);
    *state = NULL;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
    /* a stream client that went away is normal life for a server, not news */
    if (strstr(line, "no longer available for sending"))
        return;
    fprintf(stderr, "sitrep serve: http: %s\n", line);
}

/* "host:port", "[v6]:port", ":port" (all IPv4 addresses) or "port". Only
 * numeric hosts and "localhost": a server should not depend on DNS to start. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        char *err, size_t errlen)
{
    char host[256] = "";
    const char *port;
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (!end || end[1] != ':' || (size_t)(end - listen - 1) >= sizeof host)
            goto bad;
        memcpy(host, listen + 1, (size_t)(end - listen - 1));
        port = end + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (colon) {
            if ((size_t)(colon - listen) >= sizeof host)
                goto bad;
            memcpy(host, listen, (size_t)(colon - listen));
            port = colon + 1;
        } else {
            port = listen;
        }
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        goto bad;
    if (!host[0])
        strcpy(host, "0.0.0.0");
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)p);
        *len = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)p);
        *len = sizeof *v6;
        return 0;
    }
bad:
    snprintf(err, errlen, "'%s' is not a listen address (HOST:PORT, [IPv6]:PORT or :PORT)", listen);
    return -1;
}
