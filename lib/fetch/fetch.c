/* One-URL fetch over libcurl's easy interface. The body goes into a bounded
 * buffer whose cap stops the transfer; the User-Agent names sitrep and where
 * to read about it, so site owners can see who is asking. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "sitrep/fetch.h"
#include "sitrep/util.h"

#define DEFAULT_UA "sitrep/" SR_VERSION " (+https://github.com/sitrep/sitrep)"

struct sr_fetcher {
    sr_fetch_options opt;
    CURL *curl;
    char message[CURL_ERROR_SIZE + 128];
    char curl_error[CURL_ERROR_SIZE];
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx);
static sr_err fail(sr_fetcher *f, sr_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

sr_fetcher *sr_fetcher_new(const sr_fetch_options *opt)
{
    static int global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        global_done = 1;
    }
    sr_fetcher *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    if (opt)
        f->opt = *opt;
    if (f->opt.connect_timeout <= 0)
        f->opt.connect_timeout = 10;
    if (f->opt.timeout <= 0)
        f->opt.timeout = 30;
    if (!f->opt.max_bytes)
        f->opt.max_bytes = 32u << 20;
    if (!f->opt.max_redirects)
        f->opt.max_redirects = 5;
    if (!f->opt.user_agent)
        f->opt.user_agent = DEFAULT_UA;
    f->curl = curl_easy_init();
    if (!f->curl) {
        free(f);
        return NULL;
    }
    return f;
}

void sr_fetcher_free(sr_fetcher *f)
{
    if (!f)
        return;
    curl_easy_cleanup(f->curl);
    free(f);
}

const char *sr_fetcher_message(const sr_fetcher *f)
{
    return f && f->message[0] ? f->message : "no error";
}

void sr_response_free(sr_response *res)
{
    if (!res)
        return;
    free(res->body);
    free(res->url);
    free(res->content_type);
    free(res->etag);
    free(res->last_modified);
    memset(res, 0, sizeof *res);
}

static void set_options(sr_fetcher *f, const char *url, sr_buf *body)
{
    CURL *c = f->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, f->opt.max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)(f->opt.max_redirects > 0 ? f->opt.max_redirects : 0));
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   /* every encoding libcurl can decode */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(f->opt.connect_timeout * 1000));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(f->opt.timeout * 1000));
    curl_easy_setopt(c, CURLOPT_USERAGENT, f->opt.user_agent);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, f->curl_error);
    /* a declared size over the cap fails before any byte is read */
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->opt.max_bytes);
}

sr_err sr_fetch(sr_fetcher *f, const char *url, sr_response *res)
{
    memset(res, 0, sizeof *res);
    f->message[0] = f->curl_error[0] = 0;
    if (!url || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)))
        return fail(f, SR_EINVAL, "not an http(s) URL");
    sr_buf body;
    sr_buf_init(&body, f->opt.max_bytes);
    set_options(f, url, &body);
    CURLcode rc = curl_easy_perform(f->curl);
    if (rc == CURLE_WRITE_ERROR && body.failed == SR_ETOOBIG) {
        sr_buf_free(&body);
        return fail(f, SR_ETOOBIG, "body over %zu bytes", f->opt.max_bytes);
    }
    if (rc == CURLE_FILESIZE_EXCEEDED) {
        sr_buf_free(&body);
        return fail(f, SR_ETOOBIG, "body over %zu bytes", f->opt.max_bytes);
    }
    if (rc != CURLE_OK) {
        sr_buf_free(&body);
        return fail(f, body.failed == SR_ENOMEM ? SR_ENOMEM : SR_ENET, "%s",
                    f->curl_error[0] ? f->curl_error : curl_easy_strerror(rc));
    }
    char *final = NULL, *ctype = NULL;
    curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &res->status);
    curl_easy_getinfo(f->curl, CURLINFO_EFFECTIVE_URL, &final);
    curl_easy_getinfo(f->curl, CURLINFO_CONTENT_TYPE, &ctype);
    if (res->status >= 400) {
        sr_buf_free(&body);
        return fail(f, SR_ENET, "HTTP status %ld", res->status);
    }
    if (body.len == 0 && sr_buf_append(&body, "", 0) != SR_OK) {
        sr_buf_free(&body);
        return fail(f, SR_ENOMEM, "out of memory");
    }
    res->body = sr_buf_steal(&body, &res->len);
    if (!res->body)
        res->body = calloc(1, 1);
    res->url = final ? strdup(final) : strdup(url);
    res->content_type = ctype ? strdup(ctype) : NULL;
    if (!res->body || !res->url || (ctype && !res->content_type)) {
        sr_response_free(res);
        return fail(f, SR_ENOMEM, "out of memory");
    }
    return SR_OK;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    sr_buf *b = ctx;
    size_t bytes = size * n;
    if (sr_buf_append(b, p, bytes) != SR_OK)
        return 0;   /* stops the transfer with CURLE_WRITE_ERROR */
    return bytes;
}

static sr_err fail(sr_fetcher *f, sr_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return err;
}
