/* The fetcher: many URLs at once on libcurl's multi interface, and one URL
 * (sr_fetch) as a batch of one, so both behave the same.
 *
 * A batch queues its requests per host and starts them in request order as
 * far as the limits allow: max_connections in all, per_host to one host,
 * host_delay seconds between two starts to one host. The multi handle keeps
 * the connection and DNS caches, and the pool of easy handles is reused, for
 * the whole life of the fetcher; so does what each host asked for (a
 * Retry-After holds it back in later batches too). */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fetch_int.h"

#define DEFAULT_UA "sitrep/" SR_VERSION " (+https://github.com/sitrep/sitrep)"
#define MESSAGE_MAX (CURL_ERROR_SIZE + 160)

struct sr_fetcher {
    sr_fetch_options opt;
    CURLM *multi;
    sr_transfer *pool;   /* max_connections transfers, made as they are needed */
    int pool_ready;
    sr_hosts hosts;
    unsigned batch;      /* counts batches, to tell a host's stale queue */
    bool in_batch;
    char message[MESSAGE_MAX];
};

/* A request of the running batch, queued behind its host's others. */
struct job {
    size_t next;         /* the next job of the host's queue, + 1 */
    size_t host;
    unsigned char tries;
};

struct batch {
    sr_fetcher *f;
    const sr_fetch_request *reqs;
    struct job *jobs;
    size_t *hosts, nhosts;   /* the hosts this batch asks */
    size_t queued, running;
    sr_fetch_done_fn done;
    void *ctx;
    bool stop;
    sr_err err;
};

static void defaults(sr_fetch_options *o);
static void enqueue(struct batch *b, size_t j);
static void run(struct batch *b);
static void abandon(struct batch *b);
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
    defaults(&f->opt);
    f->multi = curl_multi_init();
    f->pool = calloc((size_t)f->opt.max_connections, sizeof *f->pool);
    if (!f->multi || !f->pool) {
        sr_fetcher_free(f);
        return NULL;
    }
    return f;
}

void sr_fetcher_free(sr_fetcher *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->pool_ready; i++)
        sr_transfer_free(&f->pool[i]);
    free(f->pool);
    if (f->multi)
        curl_multi_cleanup(f->multi);
    sr_hosts_free(&f->hosts);
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

/* sr_fetch is a batch of one: what the callback is handed goes to the caller. */
struct one {
    sr_fetcher *f;
    sr_response *res;
    sr_err err;
};

static int keep_one(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message,
                    void *ctx)
{
    struct one *o = ctx;
    (void)req;
    o->err = err;
    if (err == SR_OK) {
        *o->res = *res;
        memset(res, 0, sizeof *res);
        o->f->message[0] = '\0';
    } else {
        o->res->status = res->status;
        o->res->retry_after = res->retry_after;
        snprintf(o->f->message, sizeof o->f->message, "%s", message);
    }
    return 0;
}

sr_err sr_fetch(sr_fetcher *f, const char *url, sr_response *res)
{
    memset(res, 0, sizeof *res);
    sr_fetch_request req = {.url = url};
    struct one o = {.f = f, .res = res, .err = SR_ENET};
    sr_err e = sr_fetch_many(f, &req, 1, keep_one, &o);
    return e ? e : o.err;
}

sr_err sr_fetch_many(sr_fetcher *f, const sr_fetch_request *reqs, size_t n,
                     sr_fetch_done_fn done, void *ctx)
{
    if (!f || !done || (n && !reqs))
        return SR_EINVAL;
    if (f->in_batch)
        return fail(f, SR_EINVAL, "the fetcher is busy (called from its own callback)");
    struct batch b = {.f = f, .reqs = reqs, .done = done, .ctx = ctx};
    b.jobs = calloc(n ? n : 1, sizeof *b.jobs);
    b.hosts = calloc(n ? n : 1, sizeof *b.hosts);
    if (!b.jobs || !b.hosts) {
        free(b.jobs);
        free(b.hosts);
        return fail(f, SR_ENOMEM, "out of memory");
    }
    f->in_batch = true;
    f->batch++;
    f->message[0] = '\0';
    for (size_t j = 0; j < n && !b.stop; j++)
        enqueue(&b, j);
    run(&b);
    abandon(&b);
    f->in_batch = false;
    free(b.jobs);
    free(b.hosts);
    return b.err;
}

/* ---- Settings. --------------------------------------------------------------- */

static void defaults(sr_fetch_options *o)
{
    if (o->connect_timeout <= 0)
        o->connect_timeout = 10;
    if (o->timeout <= 0)
        o->timeout = 30;
    if (!o->max_bytes)
        o->max_bytes = 32u << 20;
    if (!o->max_redirects)
        o->max_redirects = 5;
    if (!o->user_agent)
        o->user_agent = DEFAULT_UA;
    if (o->max_connections <= 0)
        o->max_connections = 16;
    if (o->max_connections > 256)
        o->max_connections = 256;   /* each is a socket and a buffer of up to max_bytes */
    if (o->per_host <= 0)
        o->per_host = 2;
    if (o->host_delay == 0)
        o->host_delay = 1;
    else if (o->host_delay < 0)
        o->host_delay = 0;
    if (o->max_retry_after == 0)
        o->max_retry_after = 30;
    else if (o->max_retry_after < 0)
        o->max_retry_after = -1;
}

/* ---- Queues. ----------------------------------------------------------------- */

static void report(struct batch *b, size_t j, sr_err err, sr_response *res, const char *msg)
{
    sr_response none = {0};
    if (!res)
        res = &none;
    if (b->done(&b->reqs[j], err, res, msg, b->ctx))
        b->stop = true;
    sr_response_free(res);
}

static void push_back(sr_host *h, struct job *jobs, size_t j)
{
    jobs[j].next = 0;
    if (h->tail)
        jobs[h->tail - 1].next = j + 1;
    else
        h->head = j + 1;
    h->tail = j + 1;
}

static void push_front(sr_host *h, struct job *jobs, size_t j)
{
    jobs[j].next = h->head;
    h->head = j + 1;
    if (!h->tail)
        h->tail = j + 1;
}

static size_t pop_front(sr_host *h, struct job *jobs)
{
    size_t j = h->head - 1;
    h->head = jobs[j].next;
    if (!h->head)
        h->tail = 0;
    return j;
}

static sr_err host_of(const char *url, char *host, size_t cap, const char **why)
{
    *why = "not an http(s) URL";
    if (!url || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)))
        return SR_EINVAL;
    CURLU *u = curl_url();
    if (!u) {
        *why = "out of memory";
        return SR_ENOMEM;
    }
    char *h = NULL;
    sr_err e = SR_EINVAL;
    *why = "malformed URL";
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && strlen(h) < cap) {
        size_t i = 0;
        for (; h[i]; i++)
            host[i] = (char)tolower((unsigned char)h[i]);
        host[i] = '\0';
        e = SR_OK;
    }
    curl_free(h);
    curl_url_cleanup(u);
    return e;
}

static void enqueue(struct batch *b, size_t j)
{
    sr_fetcher *f = b->f;
    char name[256];
    const char *why;
    sr_err e = host_of(b->reqs[j].url, name, sizeof name, &why);
    long h = e ? -1 : sr_hosts_get(&f->hosts, name);
    if (e || h < 0) {
        report(b, j, e ? e : SR_ENOMEM, NULL, e ? why : "out of memory");
        return;
    }
    sr_host *host = &f->hosts.v[h];
    if (host->batch != f->batch) {
        host->batch = f->batch;
        host->head = host->tail = 0;
        b->hosts[b->nhosts++] = (size_t)h;
    }
    b->jobs[j].host = (size_t)h;
    push_back(host, b->jobs, j);
    b->queued++;
}

/* ---- The loop. ----------------------------------------------------------------- */

static void start_ready(struct batch *b);
static void collect(struct batch *b);
static long wait_ms(struct batch *b);

static void run(struct batch *b)
{
    sr_fetcher *f = b->f;
    while (!b->stop && (b->queued || b->running)) {
        if (f->opt.cancel && atomic_load(f->opt.cancel)) {
            b->stop = true;   /* wait_ms() wakes the poll at least once a second */
            break;
        }
        start_ready(b);
        if (b->stop || (!b->queued && !b->running))
            break;
        int still = 0;
        CURLMcode mc = curl_multi_perform(f->multi, &still);
        if (mc == CURLM_OK)
            collect(b);
        if (mc == CURLM_OK && !b->stop && (b->queued || b->running))
            mc = curl_multi_poll(f->multi, NULL, 0, (int)wait_ms(b), NULL);
        if (mc != CURLM_OK) {
            b->err = fail(f, mc == CURLM_OUT_OF_MEMORY ? SR_ENOMEM : SR_ENET, "%s",
                          curl_multi_strerror(mc));
            break;
        }
    }
}

/* A host that asked to be left alone for longer than we would wait: its
 * queued requests are reported without being asked. */
static double hold_limit(const sr_fetcher *f)
{
    return f->opt.max_retry_after > 0 ? f->opt.max_retry_after : 0;
}

static void refuse_held(struct batch *b, sr_host *h, double now)
{
    char msg[MESSAGE_MAX];
    double wait = h->held_until - now;
    snprintf(msg, sizeof msg, "not asked: %s asked to wait %.0f s more (Retry-After)", h->name, wait);
    while (h->head && !b->stop) {
        size_t j = pop_front(h, b->jobs);
        b->queued--;
        sr_response res = {.retry_after = wait};
        report(b, j, SR_ENET, &res, msg);
    }
}

static sr_transfer *idle_transfer(sr_fetcher *f)
{
    for (int i = 0; i < f->pool_ready; i++)
        if (!f->pool[i].busy)
            return &f->pool[i];
    if (f->pool_ready == f->opt.max_connections || sr_transfer_init(&f->pool[f->pool_ready], &f->opt))
        return NULL;
    return &f->pool[f->pool_ready++];
}

static void start(struct batch *b, size_t host, double now)
{
    sr_fetcher *f = b->f;
    sr_host *h = &f->hosts.v[host];
    size_t j = pop_front(h, b->jobs);
    b->queued--;
    sr_transfer *t = idle_transfer(f);
    if (!t || sr_transfer_prepare(t, &b->reqs[j]) != SR_OK) {
        report(b, j, SR_ENOMEM, NULL, "out of memory");
        return;
    }
    if (curl_multi_add_handle(f->multi, t->easy) != CURLM_OK) {
        sr_transfer_clear(t);
        report(b, j, SR_ENOMEM, NULL, "out of memory");
        return;
    }
    t->busy = true;
    t->job = j;
    h->active++;
    h->next_start = now + f->opt.host_delay;
    b->running++;
}

static void start_ready(struct batch *b)
{
    sr_fetcher *f = b->f;
    double now = sr_now();
    while (!b->stop && b->running < (size_t)f->opt.max_connections) {
        size_t first = SIZE_MAX, pick = 0;
        for (size_t k = 0; k < b->nhosts && !b->stop; k++) {
            sr_host *h = &f->hosts.v[b->hosts[k]];
            if (!h->head)
                continue;
            if (h->held_until - now > hold_limit(f)) {
                refuse_held(b, h, now);
                continue;
            }
            if (h->active >= f->opt.per_host || h->next_start > now)
                continue;
            if (h->head - 1 < first) {
                first = h->head - 1;
                pick = b->hosts[k];
            }
        }
        if (b->stop || first == SIZE_MAX)
            return;
        start(b, pick, now);
    }
}

/* A 429 or 503 that says when to come back holds its host back till then;
 * the request is asked once more when that is soon enough. */
static bool retry_later(struct batch *b, sr_transfer *t, const sr_response *res, double now)
{
    sr_fetcher *f = b->f;
    struct job *job = &b->jobs[t->job];
    sr_host *h = &f->hosts.v[job->host];
    if ((res->status != 429 && res->status != 503) || !t->retry_after[0] ||
        sr_retry_after_seconds(t->retry_after) < 0)
        return false;
    double until = now + res->retry_after;
    if (until > h->held_until)
        h->held_until = until;
    if (until > h->next_start)
        h->next_start = until;
    if (job->tries > 0 || f->opt.max_retry_after < 0 || res->retry_after > f->opt.max_retry_after)
        return false;
    job->tries++;
    push_front(h, b->jobs, t->job);
    b->queued++;
    return true;
}

static void finish(struct batch *b, sr_transfer *t, CURLcode rc)
{
    sr_fetcher *f = b->f;
    size_t j = t->job;
    sr_response res;
    char msg[MESSAGE_MAX];
    sr_err e = sr_transfer_result(t, rc, b->reqs[j].url, &res, msg, sizeof msg);
    t->busy = false;
    f->hosts.v[b->jobs[j].host].active--;
    b->running--;
    bool again = retry_later(b, t, &res, sr_now());
    sr_transfer_clear(t);
    if (again)
        sr_response_free(&res);
    else
        report(b, j, e, &res, msg);
}

static void collect(struct batch *b)
{
    CURLMsg *m;
    int left;
    while (!b->stop && (m = curl_multi_info_read(b->f->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        /* m does not outlive the removal of its handle */
        CURL *easy = m->easy_handle;
        CURLcode rc = m->data.result;
        char *t = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
        curl_multi_remove_handle(b->f->multi, easy);
        finish(b, (sr_transfer *)(void *)t, rc);
    }
}

/* Until the next host may be asked, or a second (transfers wake the poll). */
static long wait_ms(struct batch *b)
{
    sr_fetcher *f = b->f;
    double now = sr_now(), wait = 1.0;
    if (b->running < (size_t)f->opt.max_connections) {
        for (size_t k = 0; k < b->nhosts; k++) {
            const sr_host *h = &f->hosts.v[b->hosts[k]];
            if (h->head && h->active < f->opt.per_host && h->next_start - now < wait)
                wait = h->next_start - now;
        }
    }
    return wait > 0 ? (long)(wait * 1000) + 1 : 1;
}

/* The batch ended early (the callback asked, or libcurl failed): transfers
 * still open are dropped; unless the callback asked, each is reported. */
static void abandon(struct batch *b)
{
    sr_fetcher *f = b->f;
    const char *why = f->message[0] ? f->message : "abandoned";
    for (int i = 0; i < f->pool_ready; i++) {
        sr_transfer *t = &f->pool[i];
        if (!t->busy)
            continue;
        curl_multi_remove_handle(f->multi, t->easy);
        sr_transfer_clear(t);
        t->busy = false;
        f->hosts.v[b->jobs[t->job].host].active--;
        b->running--;
        if (!b->stop)
            report(b, t->job, SR_ENET, NULL, why);
    }
    for (size_t k = 0; k < b->nhosts; k++) {
        sr_host *h = &f->hosts.v[b->hosts[k]];
        while (h->head) {
            size_t j = pop_front(h, b->jobs);
            b->queued--;
            if (!b->stop)
                report(b, j, SR_ENET, NULL, why);
        }
    }
}

static sr_err fail(sr_fetcher *f, sr_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return err;
}
