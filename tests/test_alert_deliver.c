/* Delivery against local stand-ins: a push service that checks VAPID and
 * decrypts what it receives with the subscriber's key, and a webhook
 * receiver that checks the signature. Both listen on 127.0.0.1 only, on a
 * port the kernel picks, and stop by themselves. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "sitrep/alert.h"

/* ---- a one-request-per-connection HTTP stand-in ---------------------------- */

#define MAX_REQUEST 65536

typedef struct received {
    char head[8192];
    char body[8192];
    size_t body_len;
} received;

typedef struct stand_in {
    int fd, port;
    pthread_t thread;
    /* what to answer: status and extra header lines ("" for none) */
    int status;
    const char *extra;
    bool keep_alive;          /* answer without closing, to see connections reused */
    int n_conn;
    /* what came */
    received req[4];
    int n_req;
    pthread_mutex_t lock;
} stand_in;

static ssize_t read_request(int c, char *buf, size_t max, size_t *head_len)
{
    size_t len = 0;
    *head_len = 0;
    while (len < max) {
        struct pollfd p = {c, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            return -1;
        ssize_t n = read(c, buf + len, max - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        char *end = memmem(buf, len, "\r\n\r\n", 4);
        if (!end)
            continue;
        *head_len = (size_t)(end - buf) + 4;
        char *cl = strcasestr(buf, "\r\ncontent-length:");
        size_t want = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
        if (len >= *head_len + want)
            return (ssize_t)len;
    }
    return -1;
}

static bool serve_one(stand_in *s, int c)
{
    static char buf[MAX_REQUEST];
    size_t head_len;
    ssize_t len = read_request(c, buf, sizeof buf, &head_len);
    if (len < 0)
        return false;
    pthread_mutex_lock(&s->lock);
    if (s->n_req < 4) {
        received *r = &s->req[s->n_req++];
        snprintf(r->head, sizeof r->head, "%.*s", (int)head_len, buf);
        r->body_len = (size_t)len - head_len < sizeof r->body ? (size_t)len - head_len : 0;
        memcpy(r->body, buf + head_len, r->body_len);
    }
    char answer[512];
    int n = snprintf(answer, sizeof answer,
                     "HTTP/1.1 %d Stand-in\r\nContent-Length: 2\r\nConnection: %s\r\n%s\r\nno",
                     s->status, s->keep_alive ? "keep-alive" : "close", s->extra);
    pthread_mutex_unlock(&s->lock);
    return write(c, answer, (size_t)n) == n && s->keep_alive;
}

static void *stand_in_run(void *arg)
{
    stand_in *s = arg;
    time_t deadline = time(NULL) + 20; /* stops by itself even if a test fails */
    while (time(NULL) < deadline) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int r = poll(&p, 1, 100);
        if (r < 0 || (p.revents & (POLLNVAL | POLLHUP)))
            break;
        if (r == 0)
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            break;
        pthread_mutex_lock(&s->lock);
        s->n_conn++;
        pthread_mutex_unlock(&s->lock);
        while (serve_one(s, c))
            ;
        close(c);
    }
    return NULL;
}

static void stand_in_start(stand_in *s, int status, const char *extra, bool keep_alive)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->status = status, s->extra = extra, s->keep_alive = keep_alive;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    cr_assert_eq(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(s->fd, 8), 0);
    getsockname(s->fd, (struct sockaddr *)&a, &alen);
    s->port = ntohs(a.sin_port);
    pthread_create(&s->thread, NULL, stand_in_run, s);
}

static void stand_in_stop(stand_in *s)
{
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
}

/* The value of a header in a received head, or NULL. */
static const char *header(const received *r, const char *name, char *out, size_t outlen)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\r\n%s:", name);
    const char *p = strcasestr(r->head, pattern);
    if (!p)
        return NULL;
    p += strlen(pattern);
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, "\r\n");
    snprintf(out, outlen, "%.*s", (int)n, p);
    return out;
}

/* ---- Web Push --------------------------------------------------------------- */

static char key_dir[64], key_path[128];
static sr_vapid *vapid;
static uint8_t ua_private[32];
static sr_webpush_keys ua;

static void push_setup(void)
{
    strcpy(key_dir, "/tmp/sitrep-push-XXXXXX");
    cr_assert_not_null(mkdtemp(key_dir));
    snprintf(key_path, sizeof key_path, "%s/vapid.pem", key_dir);
    char err[256];
    cr_assert_eq(sr_vapid_open(key_path, "mailto:alerts@example.org", &vapid, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(sr_webpush_keys_generate(ua_private, &ua), SR_OK);
}

static void push_teardown(void)
{
    sr_vapid_free(vapid);
    unlink(key_path);
    rmdir(key_dir);
}

static void push_to(stand_in *s, sr_delivery_result *res, bool allow_private)
{
    char endpoint[128];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d/wpush/v2/gAAAAABk", s->port);
    const char *msg = "{\"title\":\"Fighting in Fallujah\",\"url\":\"/events/42\"}";
    sr_push_options opt = {.ttl = 3600, .urgency = SR_URGENCY_HIGH, .topic = "iraq-anbar",
                           .timeout_ms = 5000, .allow_private = allow_private};
    cr_assert_eq(sr_webpush_send(vapid, endpoint, &ua, msg, strlen(msg), &opt, res), SR_OK);
}

Test(push, delivers_a_message_the_subscriber_can_decrypt, .init = push_setup, .fini = push_teardown)
{
    stand_in s;
    stand_in_start(&s, 201, "Location: /m/1\r\n", false);
    sr_delivery_result res;
    push_to(&s, &res, true);
    stand_in_stop(&s);
    cr_assert_eq(res.status, SR_DELIVERY_OK, "%s", res.error);
    cr_assert_eq(res.http_status, 201);
    cr_assert_eq(s.n_req, 1);
    received *r = &s.req[0];
    char v[4096], aud[64], err[256];
    cr_assert(strncmp(r->head, "POST /wpush/v2/gAAAAABk ", 24) == 0, "%s", r->head);
    cr_assert_str_eq(header(r, "Content-Encoding", v, sizeof v), "aes128gcm");
    cr_assert_str_eq(header(r, "TTL", v, sizeof v), "3600");
    cr_assert_str_eq(header(r, "Urgency", v, sizeof v), "high");
    cr_assert_str_eq(header(r, "Topic", v, sizeof v), "iraq-anbar");
    cr_assert_not_null(header(r, "Authorization", v, sizeof v));
    snprintf(aud, sizeof aud, "http://127.0.0.1:%d", s.port);
    cr_assert_eq(sr_vapid_verify(v, aud, (long long)time(NULL), err, sizeof err), SR_OK, "%s", err);
    sr_buf plain;
    sr_buf_init(&plain, 8192);
    cr_assert_eq(sr_webpush_decrypt(ua_private, &ua, r->body, r->body_len, &plain), SR_OK);
    cr_assert_str_eq(plain.data, "{\"title\":\"Fighting in Fallujah\",\"url\":\"/events/42\"}");
    sr_buf_free(&plain);
}

Test(push, classifies_what_the_push_service_answers, .init = push_setup, .fini = push_teardown)
{
    static const struct { int status; const char *extra; sr_delivery_status want; long long retry_ms; } cases[] = {
        {202, "", SR_DELIVERY_OK, -1},
        {410, "", SR_DELIVERY_GONE, -1},
        {404, "", SR_DELIVERY_GONE, -1},
        {429, "Retry-After: 120\r\n", SR_DELIVERY_RETRY, 120000},
        {503, "", SR_DELIVERY_RETRY, -1},
        {400, "", SR_DELIVERY_FAILED, -1},
        {413, "", SR_DELIVERY_FAILED, -1},
        {403, "", SR_DELIVERY_FAILED, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stand_in s;
        stand_in_start(&s, cases[i].status, cases[i].extra, false);
        sr_delivery_result res;
        push_to(&s, &res, true);
        stand_in_stop(&s);
        cr_expect_eq(res.status, cases[i].want, "%d classified as %d", cases[i].status, res.status);
        cr_expect_eq(res.http_status, cases[i].status);
        cr_expect_eq(res.retry_after_ms, cases[i].retry_ms, "%d: Retry-After %lld", cases[i].status,
                     res.retry_after_ms);
        if (cases[i].want != SR_DELIVERY_OK)
            cr_expect(strstr(res.error, "answered"), "error line: %s", res.error);
    }
}

Test(push, honours_a_retry_after_given_as_a_date, .init = push_setup, .fini = push_teardown)
{
    char extra[128];
    time_t later = time(NULL) + 120;
    struct tm tm;
    gmtime_r(&later, &tm);
    strftime(extra, sizeof extra, "Retry-After: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    stand_in s;
    stand_in_start(&s, 503, extra, false);
    sr_delivery_result res;
    push_to(&s, &res, true);
    stand_in_stop(&s);
    cr_assert_eq(res.status, SR_DELIVERY_RETRY);
    cr_assert(res.retry_after_ms >= 100000 && res.retry_after_ms <= 121000, "%lld ms", res.retry_after_ms);
}

Test(push, reuses_the_connection_of_a_client, .init = push_setup, .fini = push_teardown)
{
    stand_in s;
    stand_in_start(&s, 201, "", true);
    sr_alert_client *client = sr_alert_client_new();
    char endpoint[128];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d/wpush/v2/x", s.port);
    sr_push_options opt = {.ttl = 60, .topic = "event-42", .allow_private = true, .client = client};
    sr_delivery_result res[3];
    for (int i = 0; i < 3; i++)
        cr_assert_eq(sr_webpush_send(vapid, endpoint, &ua, "hi", 2, &opt, &res[i]), SR_OK);
    sr_alert_client_free(client);
    stand_in_stop(&s);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(res[i].status, SR_DELIVERY_OK, "%s", res[i].error);
    cr_assert_eq(s.n_req, 3);
    cr_assert_eq(s.n_conn, 1, "three sends opened %d connections", s.n_conn);
}

Test(push, refuses_bad_topics_oversized_payloads_and_non_http_endpoints, .init = push_setup, .fini = push_teardown)
{
    sr_delivery_result res;
    static const char *const bad[] = {"", "a b", "x\r\nX-Injected: 1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sr_push_options opt = {.topic = bad[i], .allow_private = true};
        cr_expect_eq(sr_webpush_send(vapid, "http://127.0.0.1:1/x", &ua, "hi", 2, &opt, &res), SR_EINVAL,
                     "topic \"%s\"", bad[i]);
    }
    static char big[SR_WEBPUSH_MAX_PAYLOAD + 1];
    sr_push_options opt = {.allow_private = true};
    cr_expect_eq(sr_webpush_send(vapid, "http://127.0.0.1:1/x", &ua, big, sizeof big, &opt, &res), SR_ETOOBIG);
    cr_expect_eq(res.status, SR_DELIVERY_FAILED);
    cr_expect_eq(sr_webpush_send(vapid, "mailto:x@example.org", &ua, "hi", 2, &opt, &res), SR_EINVAL);
}

Test(push, refuses_a_private_target_without_connecting, .init = push_setup, .fini = push_teardown)
{
    stand_in s;
    stand_in_start(&s, 201, "", false);
    sr_delivery_result res;
    push_to(&s, &res, false);
    stand_in_stop(&s);
    cr_assert_eq(res.status, SR_DELIVERY_FAILED);
    cr_assert(strstr(res.error, "private"), "%s", res.error);
    cr_assert_eq(s.n_req, 0, "the guard let a request through");
}

Test(push, a_service_that_is_down_is_retried, .init = push_setup, .fini = push_teardown)
{
    stand_in s;
    stand_in_start(&s, 201, "", false);
    stand_in_stop(&s); /* the port is closed now */
    sr_delivery_result res;
    push_to(&s, &res, true);
    cr_assert_eq(res.status, SR_DELIVERY_RETRY, "%s", res.error);
    cr_assert_eq(res.http_status, 0);
}

/* ---- webhooks ------------------------------------------------------------------ */

static const char webhook_body[] =
    "{\"event\":{\"id\":42,\"type\":\"Battles\",\"place\":\"Fallujah\",\"fatalities\":12}}";

Test(webhook, posts_signed_json_the_receiver_can_verify)
{
    stand_in s;
    stand_in_start(&s, 204, "", false);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hooks/sitrep", s.port);
    long long now = (long long)time(NULL);
    sr_webhook_options opt = {.timeout_ms = 5000, .allow_private = true};
    sr_delivery_result res;
    cr_assert_eq(sr_webhook_send(url, "s3cret-Ünïcode", webhook_body, strlen(webhook_body), now, &opt, &res), SR_OK);
    stand_in_stop(&s);
    cr_assert_eq(res.status, SR_DELIVERY_OK, "%s", res.error);
    cr_assert_eq(s.n_req, 1);
    received *r = &s.req[0];
    char ts[64], sig[128], type[64];
    cr_assert_not_null(header(r, "X-Sitrep-Timestamp", ts, sizeof ts));
    cr_assert_not_null(header(r, "X-Sitrep-Signature", sig, sizeof sig));
    cr_assert_str_eq(header(r, "Content-Type", type, sizeof type), "application/json");
    cr_assert_eq(r->body_len, strlen(webhook_body));
    cr_assert(sr_webhook_verify("s3cret-Ünïcode", ts, sig, r->body, r->body_len, (long long)time(NULL), 300));
    cr_assert(!sr_webhook_verify("other", ts, sig, r->body, r->body_len, (long long)time(NULL), 300));
    r->body[10] ^= 1;
    cr_assert(!sr_webhook_verify("s3cret-Ünïcode", ts, sig, r->body, r->body_len, (long long)time(NULL), 300),
              "a changed body must not verify");
    r->body[10] ^= 1;
    cr_assert(!sr_webhook_verify("s3cret-Ünïcode", ts, sig, r->body, r->body_len, (long long)time(NULL) + 3600, 300),
              "an old timestamp must not verify");
    cr_assert(!sr_webhook_verify("s3cret-Ünïcode", "-9223372036854775808", sig, r->body, r->body_len, 0, 300));
    cr_assert(!sr_webhook_verify("s3cret-Ünïcode", " 1764000000", sig, r->body, r->body_len, 1764000000, 300));
}

/* The shell recipe of docs/alerts.md gives the same signature. */
Test(webhook, signature_matches_the_documented_openssl_recipe)
{
    if (system("command -v openssl >/dev/null 2>&1") != 0)
        cr_skip_test("the openssl command is not installed");
    char sig[72], cmd[1024], out[256] = "", body_path[] = "/tmp/sitrep-hook-XXXXXX";
    cr_assert_eq(sr_webhook_signature("s3cret", 1764000000, webhook_body, strlen(webhook_body), sig), SR_OK);
    int fd = mkstemp(body_path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, webhook_body, strlen(webhook_body)), (ssize_t)strlen(webhook_body));
    close(fd);
    snprintf(cmd, sizeof cmd,
             "{ printf '%%s.' '1764000000'; cat '%s'; } | openssl dgst -sha256 -hmac 's3cret' | sed 's/^.* //'",
             body_path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(out, sizeof out, p));
    pclose(p);
    unlink(body_path);
    out[strcspn(out, "\n")] = '\0';
    cr_assert_str_eq(sig + 7, out);
    cr_assert(strncmp(sig, "sha256=", 7) == 0);
}

Test(webhook, classifies_answers_and_refuses_private_targets)
{
    static const struct { int status; sr_delivery_status want; } cases[] = {
        {200, SR_DELIVERY_OK}, {410, SR_DELIVERY_GONE}, {500, SR_DELIVERY_RETRY},
        {429, SR_DELIVERY_RETRY}, {401, SR_DELIVERY_FAILED}, {301, SR_DELIVERY_FAILED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stand_in s;
        stand_in_start(&s, cases[i].status, cases[i].status == 301 ? "Location: http://127.0.0.1:1/\r\n" : "", false);
        char url[128];
        snprintf(url, sizeof url, "http://127.0.0.1:%d/h", s.port);
        sr_webhook_options opt = {.timeout_ms = 5000, .allow_private = true};
        sr_delivery_result res;
        sr_webhook_send(url, "k", "{}", 2, (long long)time(NULL), &opt, &res);
        stand_in_stop(&s);
        cr_expect_eq(res.status, cases[i].want, "%d classified as %d", cases[i].status, res.status);
        cr_expect_eq(s.n_req, 1, "redirects are not followed");
    }
    stand_in s;
    stand_in_start(&s, 200, "", false);
    char url[128], err[256];
    snprintf(url, sizeof url, "http://localhost:%d/h", s.port);
    sr_delivery_result res;
    sr_webhook_send(url, "k", "{}", 2, (long long)time(NULL), NULL, &res);
    stand_in_stop(&s);
    cr_assert_eq(res.status, SR_DELIVERY_FAILED);
    cr_assert_eq(s.n_req, 0);
    cr_assert_eq(sr_alert_target_check(url, false, err, sizeof err), SR_EDENIED);
    cr_assert_eq(sr_alert_target_check(url, true, err, sizeof err), SR_OK);
    cr_assert_eq(sr_alert_target_check("file:///etc/passwd", true, err, sizeof err), SR_EINVAL);
    cr_assert_eq(sr_alert_target_check("https://[::ffff:10.0.0.1]/x", false, err, sizeof err), SR_EDENIED);
    cr_assert_eq(sr_alert_target_check("https://8.8.8.8/x", false, err, sizeof err), SR_OK);
}
