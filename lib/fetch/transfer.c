/* One transfer: an easy handle set up for a request, the body and the few
 * headers it collects, and the response it becomes. The body goes into a
 * bounded buffer whose cap stops the transfer; the User-Agent names sitrep
 * and where to read about it, so site owners can see who is asking. */
#define _GNU_SOURCE  /* SOCK_CLOEXEC */
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include "fetch_int.h"

static size_t on_body(char *p, size_t size, size_t n, void *ctx);
static size_t on_header(char *p, size_t size, size_t n, void *ctx);
static curl_socket_t on_open(void *ctx, curlsocktype purpose, struct curl_sockaddr *a);
static sr_err add_header(sr_transfer *t, const char *name, const char *value);
static sr_err say(char *msg, size_t len, sr_err err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static sr_err fill(sr_transfer *t, sr_response *res);

sr_err sr_transfer_init(sr_transfer *t, const sr_fetch_options *opt)
{
    memset(t, 0, sizeof *t);
    t->opt = opt;
    t->easy = curl_easy_init();
    return t->easy ? SR_OK : SR_ENOMEM;
}

void sr_transfer_free(sr_transfer *t)
{
    sr_transfer_clear(t);
    if (t->easy)
        curl_easy_cleanup(t->easy);
    t->easy = NULL;
}

void sr_transfer_clear(sr_transfer *t)
{
    sr_buf_free(&t->body);
    curl_slist_free_all(t->headers);
    t->headers = NULL;
}

sr_err sr_transfer_prepare(sr_transfer *t, const sr_fetch_request *req)
{
    const sr_fetch_options *o = t->opt;
    CURL *c = t->easy;
    sr_transfer_clear(t);
    sr_buf_init(&t->body, o->max_bytes);
    t->etag[0] = t->last_modified[0] = t->retry_after[0] = t->refused[0] = t->error[0] = '\0';
    if (add_header(t, "If-None-Match", req->etag) || add_header(t, "If-Modified-Since", req->last_modified))
        return SR_ENOMEM;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, t);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, o->max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)(o->max_redirects > 0 ? o->max_redirects : 0));
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   /* every encoding libcurl can decode */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
    curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error);
    /* a declared size over the cap fails before any byte is read */
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    if (!o->allow_private) {
        /* The guard judges the address a socket is opened to, after DNS and
         * on every redirect hop. Through a proxy that address would be the
         * proxy's, so the guarded fetcher goes direct. */
        curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open);
        curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, t);
        curl_easy_setopt(c, CURLOPT_PROXY, "");
    }
    return SR_OK;
}

sr_err sr_transfer_result(sr_transfer *t, CURLcode rc, const char *url, sr_response *res,
                          char *msg, size_t msglen)
{
    memset(res, 0, sizeof *res);
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res->status);
    if ((res->status == 429 || res->status == 503) && t->retry_after[0]) {
        double s = sr_retry_after_seconds(t->retry_after);
        res->retry_after = s > 0 ? s : 0;
    }
    char *final = NULL;
    curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &final);
    res->url = strdup(final ? final : url);
    if (!res->url)
        return say(msg, msglen, SR_ENOMEM, "out of memory");
    if (rc != CURLE_OK && t->refused[0])
        return say(msg, msglen, SR_EDENIED, "refused: %s is a private address", t->refused);
    if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_WRITE_ERROR && t->body.failed == SR_ETOOBIG))
        return say(msg, msglen, SR_ETOOBIG, "body over %zu bytes", t->opt->max_bytes);
    if (rc == CURLE_WRITE_ERROR && t->body.failed == SR_ENOMEM)
        return say(msg, msglen, SR_ENOMEM, "out of memory");
    if (rc == CURLE_TOO_MANY_REDIRECTS)
        return say(msg, msglen, SR_ENET, "more than %d redirects", t->opt->max_redirects);
    if (rc != CURLE_OK)
        return say(msg, msglen, SR_ENET, "%s", t->error[0] ? t->error : curl_easy_strerror(rc));
    if (res->status >= 400 && res->retry_after > 0)
        return say(msg, msglen, SR_ENET, "HTTP status %ld (Retry-After: %.0f s)", res->status,
                   res->retry_after);
    if (res->status >= 400)
        return say(msg, msglen, SR_ENET, "HTTP status %ld", res->status);
    if (res->status >= 300 && res->status != 304)
        return say(msg, msglen, SR_ENET, "HTTP status %ld (redirects are not followed)", res->status);
    if (fill(t, res) != SR_OK)
        return say(msg, msglen, SR_ENOMEM, "out of memory");
    return say(msg, msglen, SR_OK, res->not_modified ? "not modified" : "ok");
}

double sr_retry_after_seconds(const char *value)
{
    const char *p = value;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p >= '0' && *p <= '9') {
        char *end;
        double s = strtod(p, &end);
        while (*end == ' ' || *end == '\t')
            end++;
        return *end ? -1 : s;
    }
    time_t when = curl_getdate(p, NULL);   /* the three HTTP-date forms of RFC 9110 */
    if (when == (time_t)-1)
        return -1;
    double s = difftime(when, time(NULL));
    return s > 0 ? s : 0;
}

/* ---- What a response keeps. ------------------------------------------------- */

static sr_err fill(sr_transfer *t, sr_response *res)
{
    char *ctype = NULL;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
    res->not_modified = res->status == 304;
    if (res->not_modified)
        sr_buf_reset(&t->body);   /* a 304 has no body, whatever came */
    if (t->body.len == 0 && sr_buf_append(&t->body, "", 0) != SR_OK)
        return SR_ENOMEM;
    res->body = sr_buf_steal(&t->body, &res->len);
    if (!res->body)
        res->body = calloc(1, 1);
    res->content_type = ctype ? strdup(ctype) : NULL;
    res->etag = t->etag[0] ? strdup(t->etag) : NULL;
    res->last_modified = t->last_modified[0] ? strdup(t->last_modified) : NULL;
    if (!res->body || (ctype && !res->content_type) || (t->etag[0] && !res->etag) ||
        (t->last_modified[0] && !res->last_modified))
        return SR_ENOMEM;
    return SR_OK;
}

/* ---- libcurl's callbacks. ---------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    sr_buf *b = ctx;
    size_t bytes = size * n;
    if (sr_buf_append(b, p, bytes) != SR_OK)
        return 0;   /* stops the transfer with CURLE_WRITE_ERROR */
    return bytes;
}

static void keep(const char *p, size_t len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (len <= nl || p[nl] != ':' || strncasecmp(p, name, nl) != 0)
        return;
    p += nl + 1;
    len -= nl + 1;
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= cap || memchr(p, '\0', len)) {
        out[0] = '\0';
        return;
    }
    memcpy(out, p, len);
    out[len] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    sr_transfer *t = ctx;
    size_t len = size * n;
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        /* a new response (after a redirect or a 100): only the last one counts */
        t->etag[0] = t->last_modified[0] = t->retry_after[0] = '\0';
        return len;
    }
    keep(p, len, "ETag", t->etag, sizeof t->etag);
    keep(p, len, "Last-Modified", t->last_modified, sizeof t->last_modified);
    keep(p, len, "Retry-After", t->retry_after, sizeof t->retry_after);
    return len;
}

static curl_socket_t on_open(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
    sr_transfer *t = ctx;
    (void)purpose;
    if (sr_addr_is_private(&a->addr)) {
        if (getnameinfo(&a->addr, a->addrlen, t->refused, sizeof t->refused, NULL, 0, NI_NUMERICHOST))
            snprintf(t->refused, sizeof t->refused, "an address");
        return CURL_SOCKET_BAD;
    }
#ifdef SOCK_CLOEXEC
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
#else
    return socket(a->family, a->socktype, a->protocol);
#endif
}

/* ---- Helpers. ---------------------------------------------------------------- */

static sr_err add_header(sr_transfer *t, const char *name, const char *value)
{
    /* a value with a line break would smuggle headers in: not sent */
    if (!value || !value[0] || strpbrk(value, "\r\n") || strlen(value) > SR_HEADER_MAX)
        return SR_OK;
    char line[SR_HEADER_MAX + 32];
    snprintf(line, sizeof line, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(t->headers, line);
    if (!l)
        return SR_ENOMEM;
    t->headers = l;
    return SR_OK;
}

static sr_err say(char *msg, size_t len, sr_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    return err;
}
