/* The HTTP server: routes, static files that cannot escape the web root,
 * capped bodies, and event streams that deliver, keep alive and shut down. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sitrep/http.h"

static sr_http_server *server;
static sr_sse_hub *hub;

static sr_err hello(void *ctx, sr_http_request *req, sr_http_response *res)
{
    sr_json j;
    sr_json_init(&j, &res->body);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "path", sr_http_path(req));
    sr_json_kv_string(&j, "tail", sr_http_path_tail(req));
    sr_json_kv_string(&j, "q", sr_http_query(req, "q"));
    sr_json_object_end(&j);
    return SR_OK;
}

static sr_err echo_len(void *ctx, sr_http_request *req, sr_http_response *res)
{
    size_t n;
    sr_http_body(req, &n);
    sr_buf_printf(&res->body, "{\"bytes\":%zu}", n);
    res->status = 201;
    return SR_OK;
}

static bool match_country(void *filter, const void *item)
{
    return filter == NULL || strcmp(filter, item) == 0;
}

static sr_err stream(void *ctx, sr_http_request *req, sr_http_response *res)
{
    const char *cc = sr_http_query(req, "country");
    char replay[256] = "";
    sr_buf b;
    sr_buf_init(&b, 4096);
    if (sr_http_query(req, "since"))
        sr_sse_format(&b, "41", "event", "{\"replayed\":true}", 17);
    snprintf(replay, sizeof replay, "%s", b.data ? b.data : "");
    sr_buf_free(&b);
    return sr_http_stream(req, res, hub, match_country, cc ? strdup(cc) : NULL, free,
                          replay, strlen(replay));
}

static void start(void)
{
    char err[256];
    sr_http_options o = {.listen = "127.0.0.1:0", .web_root = SR_FIXTURES "/http/web",
                         .max_body = 1000, .keepalive_seconds = 1};
    cr_assert_eq(sr_http_server_new(&o, &server, err, sizeof err), SR_OK, "%s", err);
    sr_http_route(server, "GET", "/api/hello", hello, NULL);
    sr_http_route(server, "GET", "/api/items/*", hello, NULL);
    sr_http_route(server, "POST", "/api/echo", echo_len, NULL);
    sr_http_route(server, "GET", "/api/stream", stream, NULL);
    cr_assert_eq(sr_http_mount(server, "/vendor/lib/", SR_FIXTURES "/http/vendor", err, sizeof err), SR_OK, "%s", err);
    hub = sr_sse_hub_new(server);
    cr_assert_eq(sr_http_server_start(server, err, sizeof err), SR_OK, "%s", err);
    cr_assert_gt(sr_http_server_port(server), 0);
}

static void stop(void)
{
    sr_http_server_free(server);
}

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)sr_http_server_port(server))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Reads until `until` appears or the peer closes or 3 s pass. */
static char *read_until(int fd, const char *until)
{
    size_t cap = 1 << 20, len = 0;
    char *buf = calloc(1, cap + 1);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    double deadline = sr_now() + 3.0;
    while (len < cap && sr_now() < deadline && poll(&p, 1, 3000) > 0) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = 0;
        if (until && strstr(buf, until))
            break;
    }
    return buf;
}

static char *request(const char *raw)
{
    int fd = connect_server();
    cr_assert_eq(write(fd, raw, strlen(raw)), (ssize_t)strlen(raw));
    char *r = read_until(fd, NULL);
    close(fd);
    return r;
}

static char *get(const char *path)
{
    char raw[2048];
    snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
    return request(raw);
}

TestSuite(http, .init = start, .fini = stop, .timeout = 30);

Test(http, routes_a_request_and_decodes_its_query)
{
    char *r = get("/api/hello?q=Fallujah%20clashes");
    cr_assert(strstr(r, "HTTP/1.1 200"), "%s", r);
    cr_assert(strstr(r, "application/json"));
    cr_assert(strstr(r, "{\"path\":\"/api/hello\",\"tail\":\"\",\"q\":\"Fallujah clashes\"}"), "%s", r);
    free(r);
}

Test(http, prefix_routes_pass_the_rest_of_the_path)
{
    char *r = get("/api/items/42");
    cr_assert(strstr(r, "\"tail\":\"42\""), "%s", r);
    free(r);
}

Test(http, unknown_paths_are_404_and_wrong_methods_405)
{
    char *r = get("/api/nothing");
    cr_assert(strstr(r, "HTTP/1.1 404"), "%s", r);
    free(r);
    r = request("DELETE /api/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    cr_assert(strstr(r, "HTTP/1.1 405"), "%s", r);
    free(r);
}

Test(http, serves_the_page_and_its_assets)
{
    char *r = get("/");
    cr_assert(strstr(r, "HTTP/1.1 200") && strstr(r, "text/html") && strstr(r, "<title>map</title>"), "%s", r);
    free(r);
    r = get("/sub/app.js");
    cr_assert(strstr(r, "text/javascript") && strstr(r, "console.log"), "%s", r);
    free(r);
}

Test(http, mounted_folders_serve_under_their_prefix)
{
    char *r = get("/vendor/lib/lib.js");
    cr_assert(strstr(r, "HTTP/1.1 200") && strstr(r, "vendor lib"), "%s", r);
    free(r);
    r = get("/vendor/lib/../../secret.txt");
    cr_assert(strstr(r, "HTTP/1.1 404"), "%s", r);
    free(r);
    r = get("/vendor/other/lib.js");
    cr_assert(strstr(r, "HTTP/1.1 404"), "%s", r);
    free(r);
}

Test(http, static_files_cannot_escape_the_web_root)
{
    const char *attempts[] = {"/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
                              "/sub/%2E%2E/%2E%2E/secret.txt", "/escape.txt", "/..%2fsecret.txt",
                              "/sub/..\\..\\secret.txt"};
    for (size_t i = 0; i < sizeof attempts / sizeof *attempts; i++) {
        char *r = get(attempts[i]);
        cr_assert(!strstr(r, "secret\n"), "%s leaked: %s", attempts[i], r);
        cr_assert(strstr(r, "HTTP/1.1 404") || strstr(r, "HTTP/1.1 400"), "%s: %s", attempts[i], r);
        free(r);
    }
}

Test(http, request_bodies_over_the_cap_get_413)
{
    char raw[4096];
    snprintf(raw, sizeof raw, "POST /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             "Content-Length: 5\r\n\r\nhello");
    char *r = request(raw);
    cr_assert(strstr(r, "HTTP/1.1 201") && strstr(r, "{\"bytes\":5}"), "%s", r);
    free(r);
    char big[1500];
    memset(big, 'x', sizeof big);
    int n = snprintf(raw, sizeof raw, "POST /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Content-Length: %zu\r\n\r\n", sizeof big);
    memcpy(raw + n, big, sizeof big);
    raw[n + sizeof big] = 0;
    r = request(raw);
    cr_assert(strstr(r, "HTTP/1.1 413"), "%s", r);
    free(r);
}

static char stream_hello[1 << 16];

static int open_stream(const char *query)
{
    int fd = connect_server();
    char raw[512];
    snprintf(raw, sizeof raw, "GET /api/stream%s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n", query);
    cr_assert_eq(write(fd, raw, strlen(raw)), (ssize_t)strlen(raw));
    char *hello = read_until(fd, ": connected");
    cr_assert(strstr(hello, "text/event-stream"), "%s", hello);
    snprintf(stream_hello, sizeof stream_hello, "%s", hello);
    free(hello);
    return fd;
}

Test(http, streams_deliver_published_events_to_matching_clients_only)
{
    int iraq = open_stream("?country=IRQ");
    int syria = open_stream("?country=SYR");
    for (int i = 0; i < 100 && sr_sse_clients(hub) < 2; i++)
        usleep(10000);
    cr_assert_eq(sr_sse_clients(hub), 2);
    const char *data = "{\"place\":\"Fallujah\"}\nsecond line";
    size_t n = sr_sse_publish(hub, "7", "event", data, strlen(data), "IRQ");
    cr_assert_eq(n, 1);
    char *got = read_until(iraq, "second line");
    cr_assert(strstr(got, "id: 7\nevent: event\ndata: {\"place\":\"Fallujah\"}\ndata: second line\n"), "%s", got);
    free(got);
    struct pollfd p = {.fd = syria, .events = POLLIN};
    char tmp[256];
    if (poll(&p, 1, 200) > 0) {
        ssize_t k = read(syria, tmp, sizeof tmp - 1);
        tmp[k > 0 ? k : 0] = 0;
        cr_assert(!strstr(tmp, "Fallujah"), "SYR client got an IRQ event: %s", tmp);
    }
    close(iraq);
    close(syria);
}

Test(http, streams_replay_what_the_handler_gives_first)
{
    int fd = open_stream("?since=40");
    char *got = read_until(fd, "replayed");
    cr_assert(strstr(stream_hello, "id: 41") || strstr(got, "id: 41"), "%s%s", stream_hello, got);
    free(got);
    close(fd);
}

Test(http, idle_streams_get_keepalive_comments)
{
    int fd = open_stream("");
    char *got = read_until(fd, ": keepalive");
    cr_assert(strstr(got, ": keepalive"), "no keep-alive within 3 s: %s", got);
    free(got);
    close(fd);
}

Test(http, closed_clients_leave_the_hub)
{
    int fd = open_stream("");
    for (int i = 0; i < 100 && sr_sse_clients(hub) < 1; i++)
        usleep(10000);
    close(fd);
    /* the next keep-alive or event notices the dead peer */
    for (int i = 0; i < 400 && sr_sse_clients(hub) > 0; i++) {
        sr_sse_publish(hub, NULL, "event", "x", 1, "IRQ");
        usleep(10000);
    }
    cr_assert_eq(sr_sse_clients(hub), 0);
}

Test(http, shutdown_ends_open_streams_cleanly)
{
    int a = open_stream(""), b = open_stream("?country=IRQ");
    for (int i = 0; i < 100 && sr_sse_clients(hub) < 2; i++)
        usleep(10000);
    sr_http_server_free(server);
    server = NULL;
    /* the peers see the end of the chunked stream, then the close */
    char *ra = read_until(a, "0\r\n\r\n"), *rb = read_until(b, "0\r\n\r\n");
    cr_assert(strstr(ra, "0\r\n\r\n") && strstr(rb, "0\r\n\r\n"), "a: %s\nb: %s", ra, rb);
    free(ra);
    free(rb);
    close(a);
    close(b);
    start();  /* for .fini */
}

Test(http, listen_addresses_are_checked)
{
    sr_http_server *s;
    char err[256];
    sr_http_options o = {.listen = "example.org:80"};
    cr_assert_eq(sr_http_server_new(&o, &s, err, sizeof err), SR_EINVAL);
    cr_assert(strstr(err, "example.org:80"), "%s", err);
    o.listen = "127.0.0.1:99999";
    cr_assert_eq(sr_http_server_new(&o, &s, err, sizeof err), SR_EINVAL);
    o.listen = "[::1]:0";
    cr_assert_eq(sr_http_server_new(&o, &s, err, sizeof err), SR_OK);
    sr_http_server_free(s);
}
