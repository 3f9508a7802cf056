/* The store's public entry points: choose an implementation by URI, check
 * what callers pass, and dispatch to the implementation's operations. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "store_impl.h"

sr_err sr_store_open(const char *uri, unsigned flags, sr_store **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (!uri || !*uri) {
        if (err)
            snprintf(err, errlen, "no store given");
        return SR_EINVAL;
    }
    if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0) {
        if (err)
            snprintf(err, errlen, "%s: the PostgreSQL store is not built yet; use an SQLite path", uri);
        return SR_EINVAL;
    }
    if (strstr(uri, "://")) {
        if (err)
            snprintf(err, errlen, "%s: unknown kind of store (a file path or postgres://...)", uri);
        return SR_EINVAL;
    }
    return sr_sqlite_open(uri, flags, out, err, errlen);
}

void sr_store_close(sr_store *s)
{
    if (s)
        s->ops->close(s);
}

const char *sr_store_errmsg(const sr_store *s)
{
    return s && s->errmsg[0] ? s->errmsg : "no error";
}

int sr_store_schema_version(sr_store *s)
{
    return s->ops->schema_version(s);
}

sr_err sr_store_begin(sr_store *s)
{
    return s->ops->begin(s);
}

sr_err sr_store_commit(sr_store *s)
{
    return s->ops->commit(s);
}

sr_err sr_store_rollback(sr_store *s)
{
    return s->ops->rollback(s);
}

void sr_store_event_init(sr_store_event *e)
{
    memset(e, 0, sizeof *e);
    e->goldstein = NAN;
    e->lat = NAN;
    e->lon = NAN;
    e->fatalities.value = -1;
    e->injuries.value = -1;
}

sr_err sr_store_events(sr_store *s, const sr_store_filter *f, sr_store_event_fn fn, void *ctx)
{
    sr_err rc = sr_store_filter_check(s, f);
    return rc ? rc : s->ops->events(s, f, fn, ctx);
}

sr_err sr_store_events_count(sr_store *s, const sr_store_filter *f, int64_t *count)
{
    sr_err rc = sr_store_filter_check(s, f);
    return rc ? rc : s->ops->events_count(s, f, count);
}

sr_err sr_store_stats(sr_store *s, const sr_store_filter *f, sr_store_stat_fn fn, void *ctx)
{
    sr_err rc = sr_store_filter_check(s, f);
    return rc ? rc : s->ops->stats(s, f, fn, ctx);
}

sr_err sr_store_source_add(sr_store *s, const sr_store_source *src, int64_t *id)
{
    return s->ops->source_add(s, src, id);
}

sr_err sr_store_source_update_poll(sr_store *s, const sr_store_source *src)
{
    return s->ops->source_update_poll(s, src);
}

sr_err sr_store_source_remove(sr_store *s, const char *url)
{
    return s->ops->source_remove(s, url);
}

sr_err sr_store_sources(sr_store *s, int64_t due_before, sr_store_source_fn fn, void *ctx)
{
    return s->ops->sources(s, due_before, fn, ctx);
}

sr_err sr_store_article_add(sr_store *s, const sr_store_article *a, int64_t *id, bool *inserted)
{
    return s->ops->article_add(s, a, id, inserted);
}

sr_err sr_store_article_find(sr_store *s, const char *url, int64_t *id)
{
    return s->ops->article_find(s, url, id);
}

sr_err sr_store_article_get(sr_store *s, int64_t id, sr_store_article_fn fn, void *ctx)
{
    return s->ops->article_get(s, id, fn, ctx);
}

sr_err sr_store_articles_recent(sr_store *s, int64_t since, sr_store_article_fn fn, void *ctx)
{
    return s->ops->articles_recent(s, since, fn, ctx);
}

sr_err sr_store_articles_search(sr_store *s, const char *q, int limit, int offset, sr_store_article_fn fn, void *ctx)
{
    return s->ops->articles_search(s, q, limit, offset, fn, ctx);
}

sr_err sr_store_story_add(sr_store *s, const char *title, int64_t seen, int64_t *id)
{
    return s->ops->story_add(s, title, seen, id);
}

sr_err sr_store_story_attach(sr_store *s, int64_t story_id, int64_t article_id)
{
    return s->ops->story_attach(s, story_id, article_id);
}

sr_err sr_store_story_set_breaking(sr_store *s, int64_t story_id, bool *changed)
{
    return s->ops->story_set_breaking(s, story_id, changed);
}

sr_err sr_store_stories(sr_store *s, int64_t since, const sr_store_story *after, int limit, sr_store_story_fn fn, void *ctx)
{
    return s->ops->stories(s, since, after, limit, fn, ctx);
}

sr_err sr_store_place_put(sr_store *s, const sr_store_place *p)
{
    return s->ops->place_put(s, p);
}

sr_err sr_store_places_complete(sr_store *s, const char *prefix, int limit, sr_store_place_fn fn, void *ctx)
{
    return s->ops->places_complete(s, prefix, limit, fn, ctx);
}

sr_err sr_store_event_add(sr_store *s, const sr_store_event *e, int64_t *id)
{
    return s->ops->event_add(s, e, id);
}

sr_err sr_store_event_merge(sr_store *s, const sr_store_event *e, int window_days, int64_t *id, bool *merged)
{
    return s->ops->event_merge(s, e, window_days, id, merged);
}

sr_err sr_store_event_get(sr_store *s, int64_t id, sr_store_event_fn event_fn, sr_store_support_fn support_fn, void *ctx)
{
    return s->ops->event_get(s, id, event_fn, support_fn, ctx);
}

sr_err sr_store_events_changed(sr_store *s, int64_t after_seq, int limit, sr_store_event_fn fn, void *ctx)
{
    return s->ops->events_changed(s, after_seq, limit, fn, ctx);
}

sr_err sr_store_last_seq(sr_store *s, int64_t *seq)
{
    return s->ops->last_seq(s, seq);
}

sr_err sr_store_subscription_add(sr_store *s, const sr_store_subscription *sub, int64_t *id)
{
    return s->ops->subscription_add(s, sub, id);
}

sr_err sr_store_subscription_remove(sr_store *s, int64_t id)
{
    return s->ops->subscription_remove(s, id);
}

sr_err sr_store_subscription_get(sr_store *s, int64_t id, sr_store_subscription_fn fn, void *ctx)
{
    return s->ops->subscription_get(s, id, fn, ctx);
}

sr_err sr_store_subscriptions(sr_store *s, sr_store_subscription_fn fn, void *ctx)
{
    return s->ops->subscriptions(s, fn, ctx);
}

sr_err sr_store_delivery_enqueue(sr_store *s, int64_t subscription_id, int64_t event_id, bool *queued)
{
    return s->ops->delivery_enqueue(s, subscription_id, event_id, SR_ALERT_EVENT, queued);
}

sr_err sr_store_delivery_enqueue_kind(sr_store *s, int64_t subscription_id, int64_t event_id,
                                      sr_store_alert_kind kind, bool *queued)
{
    return s->ops->delivery_enqueue(s, subscription_id, event_id, kind, queued);
}

sr_err sr_store_deliveries_due(sr_store *s, int64_t now, int limit, sr_store_delivery_fn fn, void *ctx)
{
    return s->ops->deliveries_due(s, now, limit, fn, ctx);
}

sr_err sr_store_delivery_update(sr_store *s, int64_t id, sr_store_delivery_status status, int64_t next_attempt, const char *error)
{
    return s->ops->delivery_update(s, id, status, next_attempt, error);
}

/* ---- Helpers for implementations. ---------------------------------------- */

sr_err sr_store_fail(sr_store *s, sr_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    return err;
}

static bool is_code(const char *s, size_t max)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '.' || s[n] == '-' || s[n] == '_'))
            return false;
    return n > 0 && n <= max;
}

/* Codes are matched by prefix with GLOB, so they may hold only the
 * characters codes are made of: no wildcard can slip in. */
sr_err sr_store_filter_check(sr_store *s, const sr_store_filter *f)
{
    if (f->has_bbox) {
        if (!(f->south >= -90 && f->north <= 90 && f->south <= f->north &&
              f->west >= -180 && f->west <= 180 && f->east >= -180 && f->east <= 180))
            return sr_store_fail(s, SR_EINVAL, "bbox %g,%g,%g,%g is not west,south,east,north in degrees",
                                 f->west, f->south, f->east, f->north);
    }
    if (f->has_since && f->has_until && f->until <= f->since)
        return sr_store_fail(s, SR_EINVAL, "the time window is empty (until is not after since)");
    const struct { const char *name, *value; } codes[] = {
        {"country", f->country}, {"admin1", f->admin1}, {"CAMEO root", f->cameo_root},
        {"CAMEO code", f->cameo}, {"actor", f->actor},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].value && !is_code(codes[i].value, 32))
            return sr_store_fail(s, SR_EINVAL, "%s '%.40s' is not a code (letters, digits, . - _)",
                                 codes[i].name, codes[i].value);
    if (f->min_fatalities < 0 || f->limit < 0)
        return sr_store_fail(s, SR_EINVAL, "negative minimum of fatalities or limit");
    if (f->q && strlen(f->q) > 1000)
        return sr_store_fail(s, SR_ETOOBIG, "search text over 1000 bytes");
    return SR_OK;
}
