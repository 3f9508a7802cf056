/*
 * The store: sources, articles, stories, events, places, subscriptions and
 * deliveries (DESIGN.md, "Data model"), behind one interface.
 *
 * `sr_store_open` picks the implementation from the URI: a path is an SQLite
 * file (the default), `postgres://…` is reserved for PostgreSQL. Callers see
 * only this header, so another implementation can follow without touching
 * them.
 *
 * Records going in and out are the plain structs below. Strings are UTF-8 and
 * may be NULL (stored as NULL). Times are Unix seconds, UTC. Records handed to
 * a callback point into the store's memory: they are valid only during that
 * call (copy what you keep).
 *
 * A store handle is used by one thread at a time; open one handle per thread.
 * Several processes may share one SQLite file (WAL mode, busy timeout).
 */
#ifndef SITREP_STORE_H
#define SITREP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sitrep/code.h"
#include "sitrep/sitrep.h"

typedef struct sr_store sr_store;

/* ---- Opening. ------------------------------------------------------------ */

enum sr_store_flags {
    SR_STORE_READONLY = 1 << 0,  /**< never write; the schema must be current */
};

/** Open (and create or migrate) the store named by `uri`. On failure *out is
 *  NULL and `err` (may be NULL) holds one line naming the store and the
 *  problem. */
sr_err sr_store_open(const char *uri, unsigned flags, sr_store **out, char *err, size_t errlen);
/** Close the store, rolling back an unfinished batch. NULL is fine. */
void sr_store_close(sr_store *s);
/** The last error on this handle in words (never NULL). */
const char *sr_store_errmsg(const sr_store *s);
/** Schema version of the open store (after migration). */
int sr_store_schema_version(sr_store *s);

/** Batches: writes between begin and commit are one transaction (all or
 *  nothing after a crash). Without a batch each write is its own
 *  transaction. Batches do not nest. When a write inside a batch fails on
 *  the database (SR_EDB, SR_EIO, SR_ENOMEM), the batch can only be undone:
 *  sr_store_commit then rolls it back and returns SR_EDB. A write refused
 *  by its checks (SR_EINVAL, ...) changes nothing and the batch goes on. */
sr_err sr_store_begin(sr_store *s);
sr_err sr_store_commit(sr_store *s);
sr_err sr_store_rollback(sr_store *s);

/* ---- Sources: outlets and feeds, with their polling state. --------------- */

typedef struct sr_store_source {
    int64_t id;
    const char *url;            /**< required, unique */
    const char *name;
    const char *country;        /**< ISO 3166-1 alpha-2 */
    const char *etag;           /**< from the last 200 response */
    const char *last_modified;
    int64_t next_poll;          /**< 0: as soon as possible */
    int64_t interval;           /**< seconds between polls, adapted by the poller */
    int64_t last_polled;
} sr_store_source;

typedef int (*sr_store_source_fn)(const sr_store_source *src, void *ctx);

/** Add a source; an URL already stored returns its id and changes nothing. */
sr_err sr_store_source_add(sr_store *s, const sr_store_source *src, int64_t *id);
/** Save the polling state (etag, last_modified, next_poll, interval,
 *  last_polled) of the source with src->id. */
sr_err sr_store_source_update_poll(sr_store *s, const sr_store_source *src);
/** Remove the source with this URL (SR_ENOTFOUND when absent). Its articles stay. */
sr_err sr_store_source_remove(sr_store *s, const char *url);
/** Every source, by id; with `due_before` > 0 only those whose next_poll is
 *  before it, soonest first. A callback returning non-zero stops the walk. */
sr_err sr_store_sources(sr_store *s, int64_t due_before, sr_store_source_fn fn, void *ctx);

/** The items of a feed (or pages of a sitemap) the poller has handled, so
 *  a later poll fetches only what is new even when an item was not stored
 *  under its link (a redirect, a page without an article, a copy of a
 *  stored text). `item` is the key the caller chooses (the normalised
 *  link). Marking an item again refreshes its `seen` time. */
sr_err sr_store_source_item_mark(sr_store *s, int64_t source_id, const char *item, int64_t seen);
/** SR_OK when the item was marked for this source, else SR_ENOTFOUND. */
sr_err sr_store_source_item_find(sr_store *s, int64_t source_id, const char *item);
/** Forget the items of a source last seen before `before`: a feed that no
 *  longer lists them will not name them again. */
sr_err sr_store_source_items_prune(sr_store *s, int64_t source_id, int64_t before);

/* ---- Articles. ----------------------------------------------------------- */

/** Precision of a date or time: how much of it is known. */
typedef enum sr_store_precision {
    SR_PREC_UNKNOWN = 0,
    SR_PREC_SECOND,
    SR_PREC_DAY,
    SR_PREC_WEEK,
    SR_PREC_MONTH,
    SR_PREC_YEAR,
} sr_store_precision;

typedef struct sr_store_article {
    int64_t id;
    int64_t source_id;          /**< 0: none */
    const char *url;            /**< canonical URL; required, unique */
    const char *url_norm;       /**< normalised URL (no tracking parameters, AMP, mobile) */
    const char *title;
    int64_t published;          /**< 0: unknown */
    sr_store_precision published_precision;
    const char *authors;        /**< JSON array of strings */
    const char *lang;           /**< BCP 47 */
    const char *site_name;
    const char *text;           /**< the body text */
    const char *captions;       /**< JSON array of {text, credit} */
    const char *content_hash;   /**< required, unique: hash of the normalised text */
    uint64_t simhash;
    int64_t story_id;           /**< 0: none yet */
    int64_t fetched;            /**< 0: now */
    const char *snippet;        /**< search results only: the matching passage */
    const char *story_sig;      /**< the pipeline's story signature (its own text form); NULL: none.
                                     Written by article_add, read back by articles_recent only. */
} sr_store_article;

typedef int (*sr_store_article_fn)(const sr_store_article *a, void *ctx);

/** Store an article. When its URL or content hash is already stored, *id is
 *  the existing article, *inserted false, and nothing changes. */
sr_err sr_store_article_add(sr_store *s, const sr_store_article *a, int64_t *id, bool *inserted);
/** Id of the article with this canonical or normalised URL (SR_ENOTFOUND). */
sr_err sr_store_article_find(sr_store *s, const char *url, int64_t *id);
/** One article by id, text included. */
sr_err sr_store_article_get(sr_store *s, int64_t id, sr_store_article_fn fn, void *ctx);
/** Articles fetched at or after `since`, oldest first, without their text
 *  (id, url, title, published, simhash, story_id, fetched): what story
 *  clustering compares a new article with. */
sr_err sr_store_articles_recent(sr_store *s, int64_t since, sr_store_article_fn fn, void *ctx);
/** Full-text search over titles and texts, best match first. `q` is taken as
 *  words (all must occur), not as a query language. Text is not returned. */
sr_err sr_store_articles_search(sr_store *s, const char *q, int limit, int offset,
                                sr_store_article_fn fn, void *ctx);

/* ---- Stories: clusters of articles that report the same thing. ----------- */

typedef struct sr_store_story {
    int64_t id;
    const char *title;
    int64_t first_seen;
    int64_t last_seen;
    int num_articles;
    int num_outlets;            /**< distinct sites among its articles */
    int num_events;
    bool breaking;
} sr_store_story;

typedef int (*sr_store_story_fn)(const sr_store_story *st, void *ctx);

/** A new story, first seen at `seen` (0: now). */
sr_err sr_store_story_add(sr_store *s, const char *title, int64_t seen, int64_t *id);
/** Put an article in a story (updates the story's counts and last_seen). */
sr_err sr_store_story_attach(sr_store *s, int64_t story_id, int64_t article_id);
/** Flag a story as breaking. *changed is true only the first time, so the
 *  caller alerts once. Its events then count as changed (a new change
 *  sequence each), so live streams show them flagged. */
sr_err sr_store_story_set_breaking(sr_store *s, int64_t story_id, bool *changed);
/** Stories seen at or after `since`, most recently seen first; keyset
 *  pagination: pass the last story of a page as `after` (NULL: first page). */
sr_err sr_store_stories(sr_store *s, int64_t since, const sr_store_story *after, int limit,
                        sr_store_story_fn fn, void *ctx);

/* ---- Places: gazetteer entries the events refer to. --------------------- */

typedef struct sr_store_place {
    int64_t geonameid;          /**< required: GeoNames id */
    const char *name;
    const char *kind;           /**< "country", "admin1", "admin2", "city", ... */
    const char *cc;
    const char *admin1;
    double lat, lon;
    int64_t population;
} sr_store_place;

typedef int (*sr_store_place_fn)(const sr_store_place *p, void *ctx);

/** Add or refresh a place. */
sr_err sr_store_place_put(sr_store *s, const sr_store_place *p);
/** Places whose name starts with `prefix` (case and accents ignored), most
 *  populous first. */
sr_err sr_store_places_complete(sr_store *s, const char *prefix, int limit,
                                sr_store_place_fn fn, void *ctx);

/* ---- Events. -------------------------------------------------------------- */

typedef struct sr_store_actor {
    const char *code;           /**< CAMEO actor code, e.g. "IRQMIL" */
    const char *name;           /**< the words that named it */
    const char *cc;             /**< its country (CAMEO three-letter code) */
} sr_store_actor;

typedef struct sr_store_event {
    int64_t id;
    int64_t seq;                /**< change sequence: grows on every insert or update */
    int64_t story_id;           /**< 0: none */
    int64_t date;               /**< when it happened */
    sr_store_precision date_precision;
    sr_store_actor actor1, actor2;  /**< source and target */
    const char *cameo;          /**< CAMEO event code, e.g. "190" */
    const char *cameo_root;     /**< its first two digits; derived from cameo when NULL */
    int quad;                   /**< quad class 1..4; 0 unknown */
    double goldstein;           /**< NaN: unknown */
    const char *acled_type;     /**< "Battles", "Explosions/Remote violence", ... */
    const char *acled_subtype;
    /* The tolls, each as `sitrep code` tells it (docs/code.md, "Event
     * details"): the value (-1: not stated), "at least", "about", who, and
     * whether it counts a period or a past battle rather than this event.
     * A killed figure flagged aggregate or historical, or one of a
     * historical event, is left out by min_fatalities. */
    sr_code_toll fatalities, injuries;
    const char *place_name;
    const char *place_kind;     /**< "country", "admin1", "city", ... */
    const char *cc;             /**< ISO 3166-1 alpha-2 */
    const char *admin1;
    double lat, lon;            /**< NaN: no place */
    int64_t geonameid;          /**< 0: none */
    int geo_precision;          /**< metres of uncertainty; 0 unknown */
    bool negated;
    bool historical;            /**< told as background, not as news */
    const char *modality;       /**< hedging: "reported", "alleged", ... */
    int64_t article_id;         /**< the evidence: article, sentence, offsets */
    const char *sentence;
    int sent_start, sent_end;   /**< code points into the article text, [start, end) */
    int num_articles;           /**< articles that support it (output only) */
    bool breaking;              /**< its story is flagged breaking (output only) */
    const char *source_url;     /**< URL of the evidence article (output only) */
    int64_t added, updated;     /**< output only */
} sr_store_event;

/** An empty event: numbers unknown (NaN, -1), everything else zero. */
void sr_store_event_init(sr_store_event *e);

typedef int (*sr_store_event_fn)(const sr_store_event *e, void *ctx);

/** Store a new event supported by e->article_id (required). */
sr_err sr_store_event_add(sr_store *s, const sr_store_event *e, int64_t *id);
/** Store e, or merge it into an event of the same story that agrees on type
 *  (ACLED type and CAMEO root), actors, place and date (within
 *  `window_days`): then e's article is added to that event's supporting
 *  articles, a larger casualty count replaces a smaller one, and *merged is
 *  true. Merging the same article twice changes nothing. Events without a
 *  story are always added. */
sr_err sr_store_event_merge(sr_store *s, const sr_store_event *e, int window_days,
                            int64_t *id, bool *merged);

/** What to select. Zero-initialise, then set what you need. */
typedef struct sr_store_filter {
    bool has_since, has_until;
    int64_t since, until;       /**< since <= date < until */
    bool has_bbox;
    double west, south, east, north;  /**< west > east crosses the antimeridian */
    const char *country;        /**< ISO alpha-2 */
    const char *admin1;
    const char *cameo_root;     /**< exact root, e.g. "19" */
    const char *cameo;          /**< code prefix, e.g. "19" or "1901" */
    const char *acled_type;
    const char *acled_subtype;
    const char *actor;          /**< actor code prefix, either side ("IRQ", "IRQMIL") */
    int min_fatalities;         /**< 0: no minimum */
    const char *q;              /**< words in a supporting article */
    int64_t story_id;           /**< 0: any story */
    /** Keyset cursor: the (date, id) of the last event of the previous page
     *  (has_after false: first page). Pages run newest first. */
    bool has_after;
    int64_t after_date, after_id;
    int limit;                  /**< 0: no limit */
} sr_store_filter;

/** Events matching f, newest first (date, then id, descending). A callback
 *  returning non-zero stops the walk. Memory stays flat however many match
 *  on a read-only handle (its sorts spill to temporary files) and for any
 *  page with a limit; a writer keeps an unlimited sort in memory, so bulk
 *  readers such as export open the store read-only. */
sr_err sr_store_events(sr_store *s, const sr_store_filter *f, sr_store_event_fn fn, void *ctx);
/** Number of events matching f (limit and cursor ignored). */
sr_err sr_store_events_count(sr_store *s, const sr_store_filter *f, int64_t *count);
/** An article that supports an event, and the sentence of it that does. */
typedef struct sr_store_support {
    sr_store_article article;   /**< without text */
    const char *sentence;
    int sent_start, sent_end;
} sr_store_support;

typedef int (*sr_store_support_fn)(const sr_store_support *sup, void *ctx);

/** One event with its evidence, then every article that supports it, first
 *  added first (SR_ENOTFOUND). support_fn may be NULL. */
sr_err sr_store_event_get(sr_store *s, int64_t id, sr_store_event_fn event_fn,
                          sr_store_support_fn support_fn, void *ctx);
/** Events inserted or updated after change sequence `after_seq`, in order of
 *  change: what live streams and alerts replay. Up to `limit` (0: all). */
sr_err sr_store_events_changed(sr_store *s, int64_t after_seq, int limit,
                               sr_store_event_fn fn, void *ctx);
/** Highest change sequence so far (0 for an empty store). */
sr_err sr_store_last_seq(sr_store *s, int64_t *seq);

/** Counts per UTC day and ACLED type of the events matching f (limit and
 *  cursor ignored), by day then type. `type` is NULL for untyped events. */
typedef int (*sr_store_stat_fn)(int64_t day, const char *type, int64_t count, void *ctx);
sr_err sr_store_stats(sr_store *s, const sr_store_filter *f, sr_store_stat_fn fn, void *ctx);

/* ---- Subscriptions and the delivery outbox. ------------------------------ */

typedef struct sr_store_subscription {
    int64_t id;
    const char *token_hash;     /**< hash of the secret token that may change it */
    const char *channel;        /**< "webpush", "webhook" or "stream" */
    const char *endpoint;       /**< push endpoint or webhook URL */
    const char *keys;           /**< JSON: Web Push {p256dh, auth} or webhook {secret} */
    const char *filter;         /**< JSON: region, actors, codes, types, fatalities, words */
    int64_t created;            /**< output only */
} sr_store_subscription;

typedef int (*sr_store_subscription_fn)(const sr_store_subscription *sub, void *ctx);

sr_err sr_store_subscription_add(sr_store *s, const sr_store_subscription *sub, int64_t *id);
/** Delete a subscription and its pending deliveries (SR_ENOTFOUND). */
sr_err sr_store_subscription_remove(sr_store *s, int64_t id);
sr_err sr_store_subscription_get(sr_store *s, int64_t id, sr_store_subscription_fn fn, void *ctx);
/** Every subscription, by id. */
sr_err sr_store_subscriptions(sr_store *s, sr_store_subscription_fn fn, void *ctx);

typedef enum sr_store_delivery_status {
    SR_OUTBOX_PENDING = 0,
    SR_OUTBOX_SENT,
    SR_OUTBOX_FAILED,           /**< gave up: permanent error */
} sr_store_delivery_status;

/** What a delivery tells: the event itself, or that its story became
 *  breaking news. One delivery of each kind per (subscription, event). */
typedef enum sr_store_alert_kind {
    SR_ALERT_EVENT = 0,
    SR_ALERT_BREAKING = 1,
} sr_store_alert_kind;

typedef struct sr_store_delivery {
    int64_t id;
    int64_t subscription_id;
    int64_t event_id;
    sr_store_alert_kind kind;
    int attempts;
    sr_store_delivery_status status;
    int64_t next_attempt;
    const char *last_error;
} sr_store_delivery;

typedef int (*sr_store_delivery_fn)(const sr_store_delivery *d, void *ctx);

/** Queue a delivery of an event to a subscription. One row per
 *  (subscription, event): queueing it again changes nothing and sets *queued
 *  false, so a restart sends nothing twice. */
sr_err sr_store_delivery_enqueue(sr_store *s, int64_t subscription_id, int64_t event_id,
                                 bool *queued);
/** The same for a delivery of another kind (SR_ALERT_BREAKING). */
sr_err sr_store_delivery_enqueue_kind(sr_store *s, int64_t subscription_id, int64_t event_id,
                                      sr_store_alert_kind kind, bool *queued);
/** Pending deliveries whose next attempt is due at `now`, oldest first. */
sr_err sr_store_deliveries_due(sr_store *s, int64_t now, int limit,
                               sr_store_delivery_fn fn, void *ctx);
/** Record an attempt: status SENT or FAILED closes the row; PENDING counts
 *  the attempt and schedules the next one at `next_attempt`. */
sr_err sr_store_delivery_update(sr_store *s, int64_t id, sr_store_delivery_status status,
                                int64_t next_attempt, const char *error);

/* ---- Filters as users write them. --------------------------------------- */

/** Set one filter from its text form, the same for `sitrep export --KEY VALUE`
 *  and the API's `?KEY=VALUE`: since, until (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ,
 *  @SECONDS; a bare `until` date includes its day), bbox (W,S,E,N), country,
 *  admin1, root, cameo, acled_type (or type), acled_subtype (or subtype),
 *  actor, min_fatalities, q, limit. `value` is borrowed, not copied. On a bad
 *  value SR_EINVAL with one line in `err`. */
sr_err sr_store_filter_set(sr_store_filter *f, const char *key, const char *value,
                           char *err, size_t errlen);
/** The filter keys a URL may carry (NULL-terminated; limit and cursor not included). */
extern const char *const sr_store_filter_keys[];
/** Does one event pass the filter? (What a live stream asks of each new
 *  event; `q` is looked for in the evidence sentence.) */
bool sr_store_event_matches(const sr_store_filter *f, const sr_store_event *e);
/** The event's own stated dead, or -1: a figure flagged aggregate or
 *  historical, or one told with a historical event, is not news of this
 *  event's dead (what min_fatalities and alerts count). */
int sr_store_event_own_fatalities(const sr_store_event *e);

/* ---- Writing events out (export, API). ---------------------------------- */

struct sr_json;
struct sr_buf;

/** The event as one JSON object, the EVENT of docs/api.md (times ISO 8601
 *  UTC, unknown numbers null). */
void sr_store_event_json(struct sr_json *j, const sr_store_event *e);
/** The event as an RFC 7946 Feature: a Point at [lon, lat] (null geometry
 *  when the event has no place), the JSON object above as properties. */
void sr_store_event_geojson(struct sr_json *j, const sr_store_event *e);
/** The CSV header line (GDELT event table names where a column has a
 *  counterpart, then ACLED-style columns; docs/export.md), with CRLF. */
void sr_store_event_csv_header(struct sr_buf *out);
/** One event as an RFC 4180 CSV record in the header's columns, with CRLF. */
void sr_store_event_csv(struct sr_buf *out, const sr_store_event *e);
/** "day", "week", ... for a precision. */
const char *sr_store_precision_name(sr_store_precision p);

#endif
