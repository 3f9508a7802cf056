/* Delivery over HTTP: Web Push to a push service (RFC 8030 headers) and
 * signed webhooks. Every connection passes the private-address guard after
 * DNS resolution, so a target name that resolves to an inside address, at
 * subscription time or later, is refused. Redirects are not followed. */
#include <curl/curl.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "sitrep/alert.h"

#define DEFAULT_TIMEOUT_MS 10000
#define CONNECT_TIMEOUT_MS 5000
#define ANSWER_KEPT 160 /* bytes of a refusal's body kept for the log */

struct sr_alert_client {
    CURL *curl; /* its connection cache is what we keep */
};

typedef struct request {
    const char *url;
    struct curl_slist *headers;
    const void *body;
    size_t len;
    long timeout_ms;
    bool allow_private;
    sr_alert_client *client;
} request;

static void perform(const request *rq, sr_delivery_result *res);
static bool topic_ok(const char *topic);

sr_alert_client *sr_alert_client_new(void)
{
    sr_alert_client *c = calloc(1, sizeof *c);
    if (c && !(c->curl = curl_easy_init())) {
        free(c);
        c = NULL;
    }
    return c;
}

void sr_alert_client_free(sr_alert_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c);
}
static void classify(long status, sr_delivery_result *res);

sr_err sr_webpush_send(const sr_vapid *v, const char *endpoint, const sr_webpush_keys *ua,
                       const void *payload, size_t len, const sr_push_options *opt,
                       sr_delivery_result *res)
{
    static const char *const urgency[] = {"normal", "very-low", "low", "high"};
    static const sr_push_options defaults = {0};
    if (!opt)
        opt = &defaults;
    memset(res, 0, sizeof *res);
    res->retry_after_ms = -1;
    res->status = SR_DELIVERY_FAILED;
    if (!v || !endpoint || !ua || (!payload && len) || opt->urgency > SR_URGENCY_HIGH ||
        (opt->topic && !topic_ok(opt->topic)))
        return SR_EINVAL;
    sr_buf body, auth, line;
    sr_buf_init(&body, 4096);
    sr_buf_init(&auth, 8192);
    sr_buf_init(&line, 8192);
    sr_err err = sr_webpush_encrypt(ua, payload, len, &body);
    if (err == SR_OK)
        err = sr_vapid_header(v, endpoint, (long long)time(NULL), 0, &auth);
    if (err != SR_OK) {
        snprintf(res->error, sizeof res->error, "cannot build the push message: %s",
                 sr_strerror(err));
        goto out;
    }
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
    h = curl_slist_append(h, "Content-Type: application/octet-stream");
    h = curl_slist_append(h, "Content-Encoding: aes128gcm");
    sr_buf_printf(&line, "TTL: %d", opt->ttl < 0 ? 0 : opt->ttl);
    h = curl_slist_append(h, line.data);
    sr_buf_reset(&line);
    sr_buf_printf(&line, "Urgency: %s", urgency[opt->urgency]);
    h = curl_slist_append(h, line.data);
    if (opt->topic) {
        sr_buf_reset(&line);
        sr_buf_printf(&line, "Topic: %s", opt->topic);
        h = curl_slist_append(h, line.data);
    }
    sr_buf_reset(&line);
    sr_buf_printf(&line, "Authorization: %s", auth.data);
    h = curl_slist_append(h, line.data);
    request rq = {endpoint, h, body.data, body.len, opt->timeout_ms, opt->allow_private, opt->client};
    perform(&rq, res);
    curl_slist_free_all(h);
out:
    sr_buf_free(&body);
    sr_buf_free(&auth);
    sr_buf_free(&line);
    return err;
}

sr_err sr_webhook_send(const char *url, const char *secret, const char *body, size_t len,
                       long long now, const sr_webhook_options *opt, sr_delivery_result *res)
{
    static const sr_webhook_options defaults = {0};
    if (!opt)
        opt = &defaults;
    memset(res, 0, sizeof *res);
    res->retry_after_ms = -1;
    res->status = SR_DELIVERY_FAILED;
    if (!url || !secret || !body)
        return SR_EINVAL;
    char sig[72], line[128];
    sr_err err = sr_webhook_signature(secret, now, body, len, sig);
    if (err != SR_OK)
        return err;
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Expect:");
    h = curl_slist_append(h, "Content-Type: application/json");
    snprintf(line, sizeof line, "X-Sitrep-Timestamp: %lld", now);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Sitrep-Signature: %s", sig);
    h = curl_slist_append(h, line);
    request rq = {url, h, body, len, opt->timeout_ms, opt->allow_private, opt->client};
    perform(&rq, res);
    curl_slist_free_all(h);
    return SR_OK;
}

sr_err sr_webhook_signature(const char *secret, long long timestamp, const char *body,
                            size_t len, char out[72])
{
    char stamp[32];
    int slen = snprintf(stamp, sizeof stamp, "%lld.", timestamp);
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    EVP_MAC_free(mac);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    uint8_t digest[32];
    size_t dlen = 0;
    int ok = ctx && EVP_MAC_init(ctx, (const uint8_t *)secret, strlen(secret), params) &&
             EVP_MAC_update(ctx, (const uint8_t *)stamp, (size_t)slen) &&
             EVP_MAC_update(ctx, (const uint8_t *)body, len) &&
             EVP_MAC_final(ctx, digest, &dlen, sizeof digest) && dlen == 32;
    EVP_MAC_CTX_free(ctx);
    if (!ok)
        return SR_EINVAL;
    memcpy(out, "sha256=", 7);
    for (int i = 0; i < 32; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", digest[i]);
    return SR_OK;
}

bool sr_webhook_verify(const char *secret, const char *timestamp, const char *signature,
                       const char *body, size_t len, long long now, long tolerance)
{
    if (!secret || !timestamp || !signature || !body)
        return false;
    /* Unix seconds: digits only, and few enough that the sums below cannot overflow. */
    size_t digits = strspn(timestamp, "0123456789");
    if (digits == 0 || digits > 12 || timestamp[digits] || tolerance < 0)
        return false;
    long long ts = strtoll(timestamp, NULL, 10);
    if (ts - now > tolerance || now - ts > tolerance)
        return false;
    char expected[72];
    if (sr_webhook_signature(secret, ts, body, len, expected) != SR_OK)
        return false;
    size_t n = strlen(expected);
    return strlen(signature) == n && CRYPTO_memcmp(expected, signature, n) == 0;
}

sr_err sr_alert_target_check(const char *url, bool allow_private, char *err, size_t errlen)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    sr_err rc = SR_EINVAL;
    if (!u || !url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        snprintf(err, errlen, "not a URL");
    else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)
        snprintf(err, errlen, "%s: only http and https targets are allowed", scheme);
    else
        rc = allow_private ? SR_OK : sr_host_guard(host, err, errlen);
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

/* ---- one HTTP POST ------------------------------------------------------- */

typedef struct guard {
    bool allow_private;
    bool refused;
} guard;

static curl_socket_t open_guarded(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    guard *g = clientp;
    if (!g->allow_private && sr_addr_is_private(&a->addr)) {
        g->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

typedef struct answer {
    char text[ANSWER_KEPT + 1];
    size_t len;
} answer;

static size_t keep_answer(char *p, size_t size, size_t n, void *userdata)
{
    answer *a = userdata;
    size_t len = size * n, room = ANSWER_KEPT - a->len;
    size_t take = len < room ? len : room;
    memcpy(a->text + a->len, p, take);
    a->len += take;
    a->text[a->len] = '\0';
    return len;
}

/* RFC 8030 §5.4: at most 32 characters of the URL-safe base64 alphabet;
 * checking it also keeps line breaks out of the request headers. */
static bool topic_ok(const char *topic)
{
    size_t n = strlen(topic);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = topic[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static void perform(const request *rq, sr_delivery_result *res)
{
    CURL *c = rq->client ? rq->client->curl : curl_easy_init();
    if (rq->client)
        curl_easy_reset(c); /* options go, open connections stay */
    if (!c) {
        res->status = SR_DELIVERY_RETRY;
        snprintf(res->error, sizeof res->error, "out of memory");
        return;
    }
    guard g = {rq->allow_private, false};
    answer ans = {.len = 0};
    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, rq->headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->len);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "sitrep/" SR_VERSION);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* a proxy would hide the target from the guard */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ? rq->timeout_ms : DEFAULT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &g);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &ans);
    CURLcode cc = curl_easy_perform(c);
    if (cc == CURLE_OK) {
        curl_off_t retry_after = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->http_status);
        if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
            res->retry_after_ms = (long long)retry_after * 1000;
        classify(res->http_status, res);
        if (res->status != SR_DELIVERY_OK)
            snprintf(res->error, sizeof res->error, "%s answered %ld%s%.*s", rq->url,
                     res->http_status, ans.len ? ": " : "", (int)strcspn(ans.text, "\r\n"), ans.text);
    } else if (g.refused) {
        res->status = SR_DELIVERY_FAILED;
        snprintf(res->error, sizeof res->error, "%s: refused, a private or reserved address", rq->url);
    } else {
        bool permanent = cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL;
        res->status = permanent ? SR_DELIVERY_FAILED : SR_DELIVERY_RETRY;
        snprintf(res->error, sizeof res->error, "%s: %s", rq->url, curl_easy_strerror(cc));
    }
    if (!rq->client)
        curl_easy_cleanup(c);
}

/* RFC 8030 §5 and §8.3: a push service accepts with 201 (or 202 when asked
 * for a receipt); 404 and 410 mean the subscription expired; 429 and 5xx are
 * worth another try; any other refusal would be refused again. 408 is a
 * timeout on the server's side and worth retrying as well. */
static void classify(long status, sr_delivery_result *res)
{
    if (status >= 200 && status < 300)
        res->status = SR_DELIVERY_OK;
    else if (status == 404 || status == 410)
        res->status = SR_DELIVERY_GONE;
    else if (status == 429 || status == 408 || status >= 500)
        res->status = SR_DELIVERY_RETRY;
    else
        res->status = SR_DELIVERY_FAILED;
}
