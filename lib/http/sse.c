/* Server-Sent Event streams.
 *
 * A client is a queue of bytes not yet written. When the queue is empty the
 * content reader suspends the connection (no thread, no polling); publishing
 * appends to the queues of the clients whose filter matches and resumes
 * them. Idle clients get an SSE comment every keepalive interval so a dead
 * peer is noticed when the write fails. A client that falls more than
 * CLIENT_BACKLOG_MAX behind is disconnected rather than buffered for ever:
 * it reconnects with Last-Event-ID and replays from the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http_internal.h"

#define CLIENT_BACKLOG_MAX (1024 * 1024)

struct sse_client {
    sr_sse_hub *hub;
    struct MHD_Connection *conn;
    sr_buf queue;
    size_t sent;          /* bytes of queue already handed to MHD */
    bool suspended;
    bool closing;
    double last_write;
    sr_sse_match match;
    void *filter;
    void (*filter_free)(void *);
    struct sse_client *prev, *next;
};

struct sr_sse_hub {
    sr_http_server *server;
    pthread_mutex_t mu;
    struct sse_client *head;
    size_t n;
    bool closing;
};

sr_sse_hub *sr_sse_hub_new(sr_http_server *s)
{
    if (s->n_hubs == SR_HTTP_MAX_HUBS)
        return NULL;
    sr_sse_hub *hub = calloc(1, sizeof *hub);
    if (!hub)
        return NULL;
    hub->server = s;
    pthread_mutex_init(&hub->mu, NULL);
    s->hubs[s->n_hubs++] = hub;
    return hub;
}

void sr_sse_hub_destroy(sr_sse_hub *hub)
{
    /* clients are freed by MHD's free callback when their connections close */
    pthread_mutex_destroy(&hub->mu);
    free(hub);
}

size_t sr_sse_clients(sr_sse_hub *hub)
{
    pthread_mutex_lock(&hub->mu);
    size_t n = hub->n;
    pthread_mutex_unlock(&hub->mu);
    return n;
}

void sr_sse_format(sr_buf *out, const char *id, const char *event, const char *data, size_t len)
{
    if (id)
        sr_buf_printf(out, "id: %s\n", id);
    if (event)
        sr_buf_printf(out, "event: %s\n", event);
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || data[i] == '\n') {
            sr_buf_append(out, "data: ", 6);
            sr_buf_append(out, data + start, i - start);
            sr_buf_putc(out, '\n');
            start = i + 1;
        }
    }
    sr_buf_putc(out, '\n');
}

static double now(void)
{
    return sr_now();
}

/* Called with hub->mu held. */
static void wake(struct sse_client *c)
{
    if (c->suspended) {
        c->suspended = false;
        MHD_resume_connection(c->conn);
    }
}

static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct sse_client *c = cls;
    sr_sse_hub *hub = c->hub;
    pthread_mutex_lock(&hub->mu);
    size_t pending = c->queue.len - c->sent;
    if (pending) {
        size_t n = pending < max ? pending : max;
        memcpy(buf, c->queue.data + c->sent, n);
        c->sent += n;
        if (c->sent == c->queue.len) {
            sr_buf_reset(&c->queue);
            c->sent = 0;
        }
        c->last_write = now();
        pthread_mutex_unlock(&hub->mu);
        return (ssize_t)n;
    }
    if (c->closing || hub->closing) {
        pthread_mutex_unlock(&hub->mu);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    c->suspended = true;
    MHD_suspend_connection(c->conn);
    pthread_mutex_unlock(&hub->mu);
    return 0;
}

static void free_stream(void *cls)
{
    struct sse_client *c = cls;
    sr_sse_hub *hub = c->hub;
    pthread_mutex_lock(&hub->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        hub->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    hub->n--;
    pthread_mutex_unlock(&hub->mu);
    if (c->filter_free)
        c->filter_free(c->filter);
    sr_buf_free(&c->queue);
    free(c);
}

sr_err sr_http_stream(sr_http_request *r, sr_http_response *res, sr_sse_hub *hub,
                      sr_sse_match match, void *filter, void (*filter_free)(void *),
                      const char *replay, size_t replay_len)
{
    struct sse_client *c = calloc(1, sizeof *c);
    if (!c) {
        if (filter_free)
            filter_free(filter);
        return SR_ENOMEM;
    }
    c->hub = hub;
    c->conn = r->conn;
    c->match = match;
    c->filter = filter;
    c->filter_free = filter_free;
    c->last_write = now();
    sr_buf_init(&c->queue, CLIENT_BACKLOG_MAX + 64 * 1024);
    /* a retry hint and a comment so the client sees the stream open at once */
    sr_buf_puts(&c->queue, "retry: 3000\n: connected\n\n");
    if (replay && replay_len)
        sr_buf_append(&c->queue, replay, replay_len);
    if (c->queue.failed) {
        if (filter_free)
            filter_free(filter);
        sr_buf_free(&c->queue);
        free(c);
        return sr_http_error(res, 413, "too many events to replay; narrow since= or the filters");
    }
    res->stream = c;
    return SR_OK;
}

enum MHD_Result sr_http_queue_stream(sr_http_server *s, sr_http_request *req, sr_http_response *res)
{
    struct sse_client *c = res->stream;
    sr_sse_hub *hub = c->hub;
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, read_stream, c, free_stream);
    if (!r) {
        if (c->filter_free)
            c->filter_free(c->filter);
        sr_buf_free(&c->queue);
        free(c);
        sr_buf_free(&res->body);
        sr_buf_free(&res->headers);
        return MHD_NO;
    }
    res->content_type = "text/event-stream; charset=utf-8";
    sr_http_add_headers(r, res);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    sr_buf_free(&res->body);
    sr_buf_free(&res->headers);
    pthread_mutex_lock(&hub->mu);
    if (hub->closing)
        c->closing = true;
    c->next = hub->head;
    if (hub->head)
        hub->head->prev = c;
    hub->head = c;
    hub->n++;
    pthread_mutex_unlock(&hub->mu);
    atomic_fetch_add(&s->n_requests, 1);
    atomic_fetch_add(&s->n_streams_total, 1);
    enum MHD_Result ok = MHD_queue_response(req->conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

size_t sr_sse_publish(sr_sse_hub *hub, const char *id, const char *event,
                      const char *data, size_t data_len, const void *item)
{
    sr_buf msg;
    sr_buf_init(&msg, CLIENT_BACKLOG_MAX);
    sr_sse_format(&msg, id, event, data, data_len);
    if (msg.failed) {
        sr_buf_free(&msg);
        return 0;
    }
    size_t n = 0;
    pthread_mutex_lock(&hub->mu);
    for (struct sse_client *c = hub->head; c; c = c->next) {
        if (c->closing || (c->match && !c->match(c->filter, item)))
            continue;
        if (c->queue.len - c->sent + msg.len > CLIENT_BACKLOG_MAX || sr_buf_append(&c->queue, msg.data, msg.len))
            c->closing = true;  /* too slow: drop it, it will replay on reconnect */
        else
            n++;
        wake(c);
    }
    pthread_mutex_unlock(&hub->mu);
    sr_buf_free(&msg);
    return n;
}

/* ---- Keep-alive and shutdown. --------------------------------------------- */

static void ping_idle(sr_sse_hub *hub, double idle_after)
{
    double t = now();
    pthread_mutex_lock(&hub->mu);
    for (struct sse_client *c = hub->head; c; c = c->next) {
        if (c->suspended && t - c->last_write >= idle_after) {
            sr_buf_puts(&c->queue, ": keepalive\n\n");
            c->last_write = t;
            wake(c);
        }
    }
    pthread_mutex_unlock(&hub->mu);
}

static void *keepalive_main(void *arg)
{
    sr_http_server *s = arg;
    double every = s->o.keepalive_seconds;
    pthread_mutex_lock(&s->keepalive_mu);
    while (!s->keepalive_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double wait = every / 4 < 1 ? every / 4 : 1;
        ts.tv_sec += (time_t)wait;
        ts.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->keepalive_cv, &s->keepalive_mu, &ts);
        if (s->keepalive_stop)
            break;
        pthread_mutex_unlock(&s->keepalive_mu);
        for (int i = 0; i < s->n_hubs; i++)
            ping_idle(s->hubs[i], every);
        pthread_mutex_lock(&s->keepalive_mu);
    }
    pthread_mutex_unlock(&s->keepalive_mu);
    return NULL;
}

int sr_http_keepalive_start(sr_http_server *s)
{
    if (!s->n_hubs)
        return 0;
    if (pthread_create(&s->keepalive, NULL, keepalive_main, s))
        return -1;
    s->keepalive_running = true;
    return 0;
}

void sr_http_keepalive_stop(sr_http_server *s)
{
    if (!s->keepalive_running)
        return;
    pthread_mutex_lock(&s->keepalive_mu);
    s->keepalive_stop = true;
    pthread_cond_signal(&s->keepalive_cv);
    pthread_mutex_unlock(&s->keepalive_mu);
    pthread_join(s->keepalive, NULL);
    s->keepalive_running = false;
}

/* Before the daemon stops, every stream is told to end and resumed (MHD must
 * not be stopped with suspended connections); then wait briefly for the
 * streams to finish so clients see a clean end of stream. */
void sr_http_streams_close(sr_http_server *s)
{
    for (int i = 0; i < s->n_hubs; i++) {
        sr_sse_hub *hub = s->hubs[i];
        pthread_mutex_lock(&hub->mu);
        hub->closing = true;
        for (struct sse_client *c = hub->head; c; c = c->next) {
            c->closing = true;
            wake(c);
        }
        pthread_mutex_unlock(&hub->mu);
    }
    double deadline = now() + 2.0;
    for (int i = 0; i < s->n_hubs; i++)
        while (sr_sse_clients(s->hubs[i]) && now() < deadline) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
}
