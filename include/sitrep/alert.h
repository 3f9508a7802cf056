/*
 * Alerts: who wants to know about an event, and telling them.
 *
 *  - Subscriptions and the index that finds the ones an event matches
 *    without looking at every subscription (sr_alert_index_*).
 *  - Web Push: message encryption (RFC 8291, aes128gcm of RFC 8188), the
 *    sender's VAPID identity (RFC 8292) and delivery to a push service.
 *  - Webhooks: a signed JSON POST (docs/alerts.md says how to verify it).
 *  - Breaking detection: many independent outlets on one story, quickly.
 *  - The retry schedule the delivery outbox follows.
 *
 * Push and webhook targets go through the private-address guard
 * (sr_addr_is_private in util.h) at every connection, after DNS resolution.
 * An sr_vapid may be shared by threads once opened; the other handles
 * (index, client, breaking) belong to one thread at a time: use a lock.
 */
#ifndef SITREP_ALERT_H
#define SITREP_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

/* ======================================================================
 * Events and subscriptions
 * ====================================================================== */

#define SR_ALERT_MAX_ACTORS 8

/** What the alert module needs to know about an event; the pipeline fills
 *  it. Strings are borrowed for the duration of the call. */
typedef struct sr_alert_event {
    double lat, lon;          /**< NaN when the event has no coordinates */
    const char *cc;           /**< ISO 3166-1 alpha-2 country, or NULL */
    const char *admin1;       /**< first-level division (code or name), or NULL */
    const char *actors[SR_ALERT_MAX_ACTORS]; /**< CAMEO actor codes, e.g. "IRQMIL" */
    size_t n_actors;
    const char *cameo;        /**< CAMEO event code, e.g. "190", or NULL */
    const char *acled_type;   /**< e.g. "Battles", or NULL */
    int fatalities;           /**< -1 when not stated */
    const char *text;         /**< title and evidence sentence, for words */
} sr_alert_event;

/** An event with nothing known: no place, no codes, fatalities -1. */
void sr_alert_event_init(sr_alert_event *ev);

typedef enum sr_alert_region_kind {
    SR_REGION_ANY = 0,   /**< anywhere */
    SR_REGION_BBOX,      /**< west, south, east, north; west > east crosses 180° */
    SR_REGION_RADIUS,    /**< within radius_km of (lat, lon), great-circle */
    SR_REGION_COUNTRY,   /**< cc */
    SR_REGION_ADMIN1,    /**< cc and admin1 */
} sr_alert_region_kind;

typedef struct sr_alert_region {
    sr_alert_region_kind kind;
    double west, south, east, north; /**< degrees, SR_REGION_BBOX */
    double lat, lon, radius_km;      /**< SR_REGION_RADIUS, radius up to 20038 km */
    char cc[3];                      /**< upper-case ISO alpha-2, country and admin1 */
    const char *admin1;              /**< SR_REGION_ADMIN1 (a code or a name), ASCII case ignored */
} sr_alert_region;

/** What a subscriber follows. Every criterion that is set must hold; within
 *  a list any one entry is enough. An empty list or 0 sets nothing.
 *  - actors: CAMEO actor code prefixes ("IRQ" follows "IRQMIL" too);
 *  - cameo: CAMEO code prefixes ("19" is the whole FIGHT root, "193" one code);
 *  - acled_types: ACLED-style types, compared without regard to case;
 *  - min_fatalities: the event must state at least this many;
 *  - words: words or phrases found as whole words in the event text,
 *    without regard to case. */
typedef struct sr_alert_sub {
    uint64_t id;
    sr_alert_region region;
    const char **actors;      size_t n_actors;
    const char **cameo;       size_t n_cameo;
    const char **acled_types; size_t n_acled_types;
    int min_fatalities;
    const char **words;       size_t n_words;
} sr_alert_sub;

/** Does `ev` match `sub`? The exact test the index applies to its candidates. */
bool sr_alert_sub_matches(const sr_alert_sub *sub, const sr_alert_event *ev);

/** Read a subscription's criteria from JSON (the API's and the CLI's form):
 *    {"region": {"bbox": [west, south, east, north]}
 *             | {"point": [lat, lon], "radius_km": 50}
 *             | {"country": "IQ"} | {"country": "IQ", "admin1": "Anbar"},
 *     "actors": ["IRQMIL"], "cameo": ["19"], "acled_types": ["Battles"],
 *     "min_fatalities": 5, "words": ["Fallujah"]}
 *  Every key is optional. Strings are copied into `arena`. On failure `err`
 *  says which field is wrong. */
sr_err sr_alert_sub_from_json(const char *json, size_t len, sr_arena *arena,
                              sr_alert_sub *out, char *err, size_t errlen);

/** Write a subscription's criteria as JSON in the form sr_alert_sub_from_json
 *  reads (the store keeps them so; the API lists them so). */
sr_err sr_alert_sub_to_json(const sr_alert_sub *sub, sr_buf *out);

/** An index of subscriptions by region: a two-level lat/lon grid for boxes
 *  and circles, a table per country and per admin1, and a bucket for the
 *  rest; only the candidates an event's place selects are tested exactly. */
typedef struct sr_alert_index sr_alert_index;

sr_alert_index *sr_alert_index_new(void);
void sr_alert_index_free(sr_alert_index *idx);
/** Add a copy of `sub` (its id must be new): SR_EINVAL for a bad region or
 *  a duplicate id. */
sr_err sr_alert_index_add(sr_alert_index *idx, const sr_alert_sub *sub);
/** Remove a subscription; SR_ENOTFOUND when there is none with that id. */
sr_err sr_alert_index_remove(sr_alert_index *idx, uint64_t id);
size_t sr_alert_index_count(const sr_alert_index *idx);
/** The ids of the subscriptions `ev` matches, in increasing order. *ids
 *  belongs to the index and stays valid until its next call. */
sr_err sr_alert_index_match(sr_alert_index *idx, const sr_alert_event *ev,
                            const uint64_t **ids, size_t *n);

/* ======================================================================
 * Web Push message encryption (RFC 8291, RFC 8188 aes128gcm)
 * ====================================================================== */

/** A browser's PushSubscription keys: p256dh (uncompressed P-256 point)
 *  and the 16-byte auth secret. */
typedef struct sr_webpush_keys {
    uint8_t p256dh[65];
    uint8_t auth[16];
} sr_webpush_keys;

/** Largest payload one push message carries: push services accept 4096
 *  bytes of body, less the 86-byte header, the tag and the delimiter. */
#define SR_WEBPUSH_MAX_PAYLOAD 3993

/** Decode keys.p256dh and keys.auth (base64url) of a PushSubscription. */
sr_err sr_webpush_keys_parse(const char *p256dh, const char *auth, sr_webpush_keys *out);

/** A browser's PushSubscription as the page sends it (its toJSON()):
 *    {"endpoint": "https://...", "keys": {"p256dh": "...", "auth": "..."}}
 *  The endpoint must be an http(s) URL of at most 2047 bytes; it is not
 *  checked against private addresses here (sr_alert_target_check does). */
typedef struct sr_webpush_subscription {
    char endpoint[2048];
    sr_webpush_keys keys;
} sr_webpush_subscription;

sr_err sr_webpush_subscription_parse(const char *json, size_t len, sr_webpush_subscription *out,
                                     char *err, size_t errlen);

/** Encrypt `payload` for the subscriber: appends the aes128gcm body
 *  (salt, record size, sender key, one record) to `out`. */
sr_err sr_webpush_encrypt(const sr_webpush_keys *ua, const void *payload, size_t len,
                          sr_buf *out);

/** The same with a given salt and sender private key instead of fresh
 *  random ones: reproduces published vectors; never use it for real sends. */
sr_err sr_webpush_encrypt_with(const sr_webpush_keys *ua, const void *payload, size_t len,
                               const uint8_t salt[16], const uint8_t as_private[32],
                               sr_buf *out);

/** The subscriber's side: decrypt an aes128gcm body with the subscriber's
 *  private key and keys. Appends the payload (padding removed) to `out`;
 *  SR_EPARSE for a malformed or unauthentic body. */
sr_err sr_webpush_decrypt(const uint8_t ua_private[32], const sr_webpush_keys *ua,
                          const void *body, size_t len, sr_buf *out);

/** A fresh subscriber key pair and auth secret, as a browser makes one
 *  (for tests and local tools). */
sr_err sr_webpush_keys_generate(uint8_t ua_private[32], sr_webpush_keys *out);

/* ======================================================================
 * VAPID (RFC 8292)
 * ====================================================================== */

typedef struct sr_vapid sr_vapid;

/** Load the sender's P-256 key from `key_path` (PEM), or generate it and
 *  store it there (mode 0600) when the file does not exist. `subject` is the
 *  contact push services may use: "mailto:..." or "https://...". */
sr_err sr_vapid_open(const char *key_path, const char *subject, sr_vapid **out,
                     char *err, size_t errlen);
void sr_vapid_free(sr_vapid *v);
/** The public key, base64url of the uncompressed point: the page passes it
 *  as applicationServerKey to pushManager.subscribe(). */
const char *sr_vapid_public_key(const sr_vapid *v);
/** Append "vapid t=<JWT>, k=<public key>" for a push to `endpoint`: an ES256
 *  JWT whose aud is the endpoint's origin, exp `now` + `lifetime` seconds
 *  (at most 24 hours; 0 means 12 hours) and sub the subject. */
sr_err sr_vapid_header(const sr_vapid *v, const char *endpoint, long long now, int lifetime,
                       sr_buf *out);
/** The push service's side: check an Authorization header value — the
 *  signature against its k, aud equal to `audience`, exp in (now, now+24h],
 *  sub present. SR_EDENIED with a reason in `err` when it does not hold. */
sr_err sr_vapid_verify(const char *authorization, const char *audience, long long now,
                       char *err, size_t errlen);

/* ======================================================================
 * Delivery
 * ====================================================================== */

typedef enum sr_delivery_status {
    SR_DELIVERY_OK = 0,    /**< accepted (push: 201/202; webhook: 2xx) */
    SR_DELIVERY_GONE,      /**< 404/410: the subscription no longer exists; delete it */
    SR_DELIVERY_RETRY,     /**< 429, 5xx, timeout, network: try again later */
    SR_DELIVERY_FAILED,    /**< other 4xx, refused target, bad input: do not retry */
} sr_delivery_status;

typedef struct sr_delivery_result {
    sr_delivery_status status;
    long http_status;          /**< 0 when no answer came */
    long long retry_after_ms;  /**< the server's Retry-After, or -1 */
    char error[200];           /**< one line for the log when not OK */
} sr_delivery_result;

/** Urgency header values (RFC 8030 §5.3). */
typedef enum sr_push_urgency {
    SR_URGENCY_NORMAL = 0, SR_URGENCY_VERY_LOW, SR_URGENCY_LOW, SR_URGENCY_HIGH,
} sr_push_urgency;

/** Keeps connections to push services and webhook receivers open between
 *  sends (most subscribers of a browser share one push service, so this
 *  saves a TLS handshake per message). One per sending thread. */
typedef struct sr_alert_client sr_alert_client;

sr_alert_client *sr_alert_client_new(void);
void sr_alert_client_free(sr_alert_client *c);

typedef struct sr_push_options {
    int ttl;                  /**< seconds the push service may hold it (0: only now) */
    sr_push_urgency urgency;
    const char *topic;        /**< replaces an undelivered message with the same
                                   topic: up to 32 base64url characters, or NULL */
    long timeout_ms;          /**< whole request (0: 10 s) */
    bool allow_private;       /**< let targets on private addresses through (tests) */
    sr_alert_client *client;  /**< connections to reuse, or NULL for a fresh one */
} sr_push_options;

/** Encrypt `payload` for the subscription and POST it to `endpoint` with
 *  VAPID, TTL, Urgency and Topic. A topic that is not 1-32 base64url
 *  characters is SR_EINVAL. Returns SR_OK whenever the message was built
 *  and `res` says what happened (including refusals by the push service);
 *  SR_EINVAL for bad arguments or an endpoint that is not an http(s) URL,
 *  SR_ETOOBIG for a payload over SR_WEBPUSH_MAX_PAYLOAD (res is then FAILED). */
sr_err sr_webpush_send(const sr_vapid *v, const char *endpoint, const sr_webpush_keys *ua,
                       const void *payload, size_t len, const sr_push_options *opt,
                       sr_delivery_result *res);

typedef struct sr_webhook_options {
    long timeout_ms;          /**< whole request (0: 10 s) */
    bool allow_private;
    sr_alert_client *client;  /**< connections to reuse, or NULL for a fresh one */
} sr_webhook_options;

/** POST `body` (JSON) to `url` with X-Sitrep-Timestamp: `now` and
 *  X-Sitrep-Signature: sha256=<hex HMAC-SHA256(secret, "<now>.<body>")>.
 *  2xx is OK, 404/410 GONE, 429/5xx RETRY, other answers FAILED. */
sr_err sr_webhook_send(const char *url, const char *secret, const char *body, size_t len,
                       long long now, const sr_webhook_options *opt, sr_delivery_result *res);

/** "sha256=<64 hex digits>" for a body sent at `timestamp`. */
sr_err sr_webhook_signature(const char *secret, long long timestamp, const char *body,
                            size_t len, char out[72]);

/** The receiver's side: does `signature` sign `body` at `timestamp`, and is
 *  `timestamp` within `tolerance` seconds of `now`? Constant-time compare. */
bool sr_webhook_verify(const char *secret, const char *timestamp, const char *signature,
                       const char *body, size_t len, long long now, long tolerance);

/** Check a webhook or push target before it is stored: http or https only,
 *  and (unless allow_private) a host that resolves to public addresses only.
 *  Delivery checks every connection again, so a name that later resolves
 *  elsewhere is still refused. */
sr_err sr_alert_target_check(const char *url, bool allow_private, char *err, size_t errlen);

/* ======================================================================
 * Breaking stories
 * ====================================================================== */

/** Flags a story as "breaking" when many independent sources report it
 *  quickly, once per story. An outlet is whatever the caller counts as one
 *  independent source (a site's registrable domain; the agency for a wire
 *  copy), so a story carried by twenty papers from one agency report does
 *  not count twenty times. */
typedef struct sr_breaking sr_breaking;

typedef struct sr_breaking_options {
    int min_sources;          /**< distinct outlets needed (0: 5; at most 64) */
    double window_s;          /**< ... within this many seconds (0: 1800) */
    double remember_s;        /**< how long a flagged story stays flagged in
                                   memory, so that it is not flagged twice (0: 7 days) */
} sr_breaking_options;

sr_breaking *sr_breaking_new(const sr_breaking_options *opt);
void sr_breaking_free(sr_breaking *b);
/** `outlet` reported `story` at `t` (seconds, any epoch, mostly increasing).
 *  True exactly once per story: when its distinct outlets within the window
 *  first reach min_sources. */
bool sr_breaking_observe(sr_breaking *b, uint64_t story, const char *outlet, double t);
/** The story was flagged before (e.g. in a previous run, as the store
 *  records): never flag it again. */
sr_err sr_breaking_mark(sr_breaking *b, uint64_t story, double t);
/** Stories tracked at the moment (for /metrics and tests). */
size_t sr_breaking_tracked(const sr_breaking *b);

/* ======================================================================
 * Retry schedule
 * ====================================================================== */

typedef struct sr_backoff {
    long long base_ms;        /**< delay before the first retry */
    long long cap_ms;         /**< no computed delay is longer */
    int max_attempts;         /**< give up after this many failed attempts */
} sr_backoff;

/** 30 s doubling to a cap of 6 h; give up after 12 attempts (about a day). */
extern const sr_backoff SR_BACKOFF_DEFAULT;

/** Delay before attempt `attempt` + 1 after `attempt` (>= 1) failed ones:
 *  exponential with "equal jitter" (half fixed, half drawn from `random`,
 *  so retries from one outage spread out), never above the cap; a
 *  Retry-After from the server (`retry_after_ms` >= 0) is a floor, itself
 *  limited to 24 hours. Returns -1 when the schedule gives up. Pure: the
 *  same arguments give the same delay. */
long long sr_backoff_delay_ms(const sr_backoff *b, int attempt, long long retry_after_ms,
                              uint64_t random);

/* ======================================================================
 * Subscription tokens
 * ====================================================================== */

/** A fresh secret token (64 hex digits) and its SHA-256 hash (what the
 *  store keeps). */
sr_err sr_alert_token_new(char token[65], char hash[65]);
sr_err sr_alert_token_hash(const char *token, char hash[65]);
/** Does `token` hash to `hash`? Constant-time compare. */
bool sr_alert_token_check(const char *token, const char *hash);

#endif
