/* `sitrep serve`: the parts of the server shared by its files. */
#ifndef SITREP_SERVE_H
#define SITREP_SERVE_H

#include <pthread.h>
#include <stdatomic.h>
#include "sitrep/alert.h"
#include "sitrep/http.h"
#include "sitrep/store.h"

#define SERVE_RATE_SLOTS 1024
#define SERVE_STORES_MAX 64

struct serve {
    const char *db;
    sr_http_server *http;
    sr_sse_hub *hub;
    /* the request threads' store handles, one per thread, each in use by
     * one request at a time */
    struct serve_store {
        sr_store *store;
        pthread_mutex_t mu;
    } stores[SERVE_STORES_MAX];
    int n_stores;
    atomic_uint next_store;
    sr_vapid *vapid;
    const char *admin_token;    /* NULL: write endpoints other than subscribing are closed */
    bool allow_private;         /* webhook/push targets on private addresses (tests) */
    int subscribe_per_minute;
    /* subscriptions, indexed for matching (the watcher thread reads them) */
    sr_alert_index *subs;
    pthread_mutex_t subs_mu;
    /* breaking stories: many independent outlets on one story, quickly */
    sr_breaking *breaking;      /* the watcher thread's own */
    sr_breaking_options breaking_opt;
    atomic_llong breaking_flagged;
    /* background threads */
    pthread_t watcher, sender;
    atomic_bool stop;
    atomic_llong last_seq;
    atomic_llong published, matched, sent, send_failed, send_retried;
    /* per-address subscribe limits: a token bucket per slot */
    struct rate_slot {
        char ip[64];
        double tokens;
        double at;
    } rate[SERVE_RATE_SLOTS];
    pthread_mutex_t rate_mu;
    double started;
};

/** A store handle for one request: a free one of the pool, else the next
 *  in turn once it is free. Give it back with serve_store_release(). */
sr_store *serve_store_acquire(struct serve *sv);
void serve_store_release(struct serve *sv, sr_store *store);
/** Register every API route on sv->http. */
sr_err serve_routes(struct serve *sv);
/** Load the stored subscriptions into sv->subs. */
sr_err serve_load_subscriptions(struct serve *sv, char *err, size_t errlen);
/** Follow the store's change sequence: publish new events to streams and
 *  queue deliveries for matching subscriptions. */
void *serve_watch(void *sv);
/** Deliver due outbox rows with retries and backoff. */
void *serve_send(void *sv);
/** The alert module's view of a stored event. */
void serve_alert_event(const sr_store_event *e, sr_alert_event *out);

#endif
