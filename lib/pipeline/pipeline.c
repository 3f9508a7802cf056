#define _GNU_SOURCE  /* timegm, strptime */
/* The pipeline: a page in, its article, story, places and events stored.
 * One pipeline is one thread's worth of work: it owns its extractor, coder,
 * arena and store handle; the gazetteer and dictionaries are mapped or
 * loaded once. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/code.h"
#include "sitrep/extract.h"
#include "sitrep/geo.h"
#include "sitrep/ingest.h"
#include "sitrep/pipeline.h"
#include "sitrep/store.h"
#include "sitrep/util.h"

/* Recent articles kept in memory for near-duplicate search: enough for a
 * few days of a large crawl's distinct stories. */
#define RECENT_MAX 32768
#define PAGE_ARENA_MAX (256u * 1024 * 1024)

struct recent {
    uint64_t simhash;
    int64_t story_id;
    int64_t when;
};

struct sr_pipeline {
    sr_pipeline_options o;
    sr_store *store;
    sr_gazetteer *gaz;
    sr_code_dict *dict;
    sr_coder *coder;
    sr_acled_rules *acled;  /* NULL when the dictionaries come without acled.tsv */
    sr_extractor *ex;
    sr_arena *arena;
    bool in_batch;
    int batch_pages;
    struct recent *recent;
    size_t n_recent, next_recent;
    sr_pipeline_stats stats;
    /* the document being coded, for the place hook */
    const char *doc_text;
    const sr_geo_doc *doc_places;
};

static void place_hook(void *ctx, const char *sentence, size_t len, sr_code_event *ev);
static int load_recent(const sr_store_article *a, void *ctx);

sr_err sr_pipeline_open(const sr_pipeline_options *opt, sr_pipeline **out, char *err, size_t errlen)
{
    *out = NULL;
    sr_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return SR_ENOMEM;
    p->o = *opt;
    if (!p->o.story_window_hours)
        p->o.story_window_hours = 72;
    if (!p->o.merge_window_days)
        p->o.merge_window_days = 3;
    if (!p->o.batch)
        p->o.batch = 200;
    sr_err e;
    char path[4096], why[512];
    const char *gaz = opt->gazetteer ? opt->gazetteer : sr_gazetteer_default_path(path, sizeof path);
    if ((e = sr_store_open(opt->db, 0, &p->store, err, errlen)))
        goto fail;
    p->gaz = sr_gazetteer_open(gaz, &e, why, sizeof why);
    if (!p->gaz) {
        snprintf(err, errlen, "%s", why);
        goto fail;
    }
    if ((e = sr_code_dict_new(&p->dict, NULL)))
        goto fail;
    e = sr_code_dict_load_dir(p->dict, opt->dict);
    if (e == SR_EINVAL || e == SR_ENOTFOUND)  /* not a folder: a .project or one file */
        e = sr_code_dict_load(p->dict, opt->dict);
    if (e) {
        snprintf(err, errlen, "%s: cannot load the event dictionaries: %s", opt->dict, sr_strerror(e));
        goto fail;
    }
    if ((e = sr_coder_new(&p->coder, p->dict)))
        goto fail;
    char acled[4096];
    snprintf(acled, sizeof acled, "%s/acled.tsv", opt->dict);
    sr_acled_rules_load(acled, NULL, &p->acled);
    sr_coder_set_place_hook(p->coder, place_hook, p);
    p->ex = sr_extractor_new(NULL);
    p->arena = sr_arena_new(PAGE_ARENA_MAX);
    p->recent = calloc(RECENT_MAX, sizeof *p->recent);
    if (!p->ex || !p->arena || !p->recent) {
        e = SR_ENOMEM;
        goto fail;
    }
    /* Articles are dated by when they were published, which for a backfill
     * is long ago: remember the newest articles whatever their date (the
     * ring keeps the last RECENT_MAX), so a re-run joins the same stories. */
    sr_store_articles_recent(p->store, 0, load_recent, p);
    *out = p;
    return SR_OK;
fail:
    if (!err[0])
        snprintf(err, errlen, "%s", sr_strerror(e));
    sr_pipeline_close(p);
    return e ? e : SR_EINVAL;
}

sr_err sr_pipeline_close(sr_pipeline *p)
{
    if (!p)
        return SR_OK;
    sr_err e = sr_pipeline_flush(p);
    sr_store_close(p->store);
    sr_gazetteer_close(p->gaz);
    sr_coder_free(p->coder);
    sr_code_dict_free(p->dict);
    sr_acled_rules_free(p->acled);
    sr_extractor_free(p->ex);
    sr_arena_free(p->arena);
    free(p->recent);
    free(p);
    return e;
}

sr_err sr_pipeline_flush(sr_pipeline *p)
{
    if (!p->in_batch)
        return SR_OK;
    p->in_batch = false;
    p->batch_pages = 0;
    return sr_store_commit(p->store);
}

void sr_pipeline_stats_get(const sr_pipeline *p, sr_pipeline_stats *out)
{
    *out = p->stats;
}

/* ---- One page. -------------------------------------------------------------- */

static sr_err store_article(sr_pipeline *p, const sr_page *pg, const sr_article *a,
                            sr_page_result *res, char *err, size_t errlen);
static int code_events(sr_pipeline *p, const sr_article *a, int64_t article_id, int64_t story_id,
                       sr_page_result *res);

sr_err sr_pipeline_page(sr_pipeline *p, const sr_page *pg, sr_page_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    sr_arena_reset(p->arena);
    p->stats.pages++;
    p->stats.bytes += pg->len;
    sr_article *a = NULL;
    sr_err e = pg->is_text ? sr_extract_text(p->ex, p->arena, pg->body, pg->len, pg->source, &a)
                           : sr_extract_html(p->ex, p->arena, pg->body, pg->len, pg->source, pg->url,
                                             pg->content_type, &a);
    if (!e && (!a->text || !a->text_len))
        e = SR_EEMPTY;
    if (e) {
        snprintf(err, errlen, "%s: %s", pg->source,
                 e == SR_EEMPTY ? "no article text found" : sr_extractor_message(p->ex));
        p->stats.failed++;
        return e;
    }
    if (!p->in_batch) {
        if ((e = sr_store_begin(p->store))) {
            snprintf(err, errlen, "%s: %s", pg->source, sr_store_errmsg(p->store));
            p->stats.failed++;
            return e;
        }
        p->in_batch = true;
    }
    if ((e = store_article(p, pg, a, res, err, errlen))) {
        p->stats.failed++;
        return e;
    }
    if (res->stored)
        code_events(p, a, res->article_id, res->story_id, res);
    if (++p->batch_pages >= p->o.batch)
        e = sr_pipeline_flush(p);
    return e;
}

/* ---- The article and its story. ---------------------------------------------- */

static int64_t parse_time(const char *iso, sr_store_precision *prec)
{
    *prec = SR_PREC_UNKNOWN;
    if (!iso)
        return 0;
    struct tm tm = {0};
    const char *end = strptime(iso, "%Y-%m-%d", &tm);
    if (!end)
        return 0;
    *prec = SR_PREC_DAY;
    if (*end == 'T' || *end == ' ') {
        const char *t = strptime(end + 1, "%H:%M", &tm);
        if (t) {
            *prec = SR_PREC_SECOND;
            if (*t == ':')
                strptime(t + 1, "%S", &tm);
        }
    }
    return (int64_t)timegm(&tm);
}

static const char *json_list(sr_arena *arena, const char *const *items, size_t n)
{
    sr_buf b;
    sr_buf_init(&b, 1 << 20);
    sr_json j;
    sr_json_init(&j, &b);
    sr_json_array_begin(&j);
    for (size_t i = 0; i < n; i++)
        sr_json_string(&j, items[i]);
    sr_json_array_end(&j);
    const char *s = sr_arena_strndup(arena, b.data, b.len);
    sr_buf_free(&b);
    return s;
}

static const char *json_captions(sr_arena *arena, const sr_article *a)
{
    sr_buf b;
    sr_buf_init(&b, 1 << 20);
    sr_json j;
    sr_json_init(&j, &b);
    sr_json_array_begin(&j);
    for (size_t i = 0; i < a->n_captions; i++) {
        sr_json_object_begin(&j);
        sr_json_kv_string(&j, "text", a->captions[i].text);
        sr_json_kv_string(&j, "credit", a->captions[i].credit);
        sr_json_object_end(&j);
    }
    sr_json_array_end(&j);
    const char *s = sr_arena_strndup(arena, b.data, b.len);
    sr_buf_free(&b);
    return s;
}

/* The story of a new article: that of a recent near-duplicate, else new. */
static sr_err find_story(sr_pipeline *p, uint64_t simhash, int64_t when, const char *title,
                         int64_t *story_id, bool *near)
{
    int64_t horizon = when - (int64_t)p->o.story_window_hours * 3600;
    *near = false;
    for (size_t i = 0; i < p->n_recent; i++) {
        const struct recent *r = &p->recent[i];
        if (r->story_id && r->when >= horizon && sr_simhash_near(r->simhash, simhash)) {
            *story_id = r->story_id;
            *near = true;
            return SR_OK;
        }
    }
    return sr_store_story_add(p->store, title, when, story_id);
}

static void remember(sr_pipeline *p, uint64_t simhash, int64_t story_id, int64_t when)
{
    p->recent[p->next_recent] = (struct recent){simhash, story_id, when};
    p->next_recent = (p->next_recent + 1) % RECENT_MAX;
    if (p->n_recent < RECENT_MAX)
        p->n_recent++;
}

static int load_recent(const sr_store_article *a, void *ctx)
{
    remember(ctx, a->simhash, a->story_id, a->published ? a->published : a->fetched);
    return 0;
}

static sr_err store_article(sr_pipeline *p, const sr_page *pg, const sr_article *a,
                            sr_page_result *res, char *err, size_t errlen)
{
    char hash[2 * SR_CONTENT_HASH_LEN + 1];
    sr_content_hash_hex(a->text, a->text_len, hash);
    char *norm = NULL;
    const char *url = a->url ? a->url : pg->url;
    if (!url || sr_url_normalize(url, p->arena, &norm) != SR_OK) {
        /* a local file: its path names it, and its text makes it unique */
        url = sr_arena_printf(p->arena, "file:%s", pg->source);
        norm = NULL;
    }
    sr_store_article row = {
        .url = url,
        .url_norm = norm,
        .title = a->title,
        .authors = json_list(p->arena, a->authors, a->n_authors),
        .lang = a->lang,
        .site_name = a->site_name,
        .text = a->text,
        .captions = json_captions(p->arena, a),
        .content_hash = hash,
        .simhash = sr_simhash(a->text, a->text_len),
        .fetched = pg->fetched ? pg->fetched : (int64_t)time(NULL),
    };
    row.published = parse_time(a->published, &row.published_precision);
    bool inserted = false;
    sr_err e = sr_store_article_add(p->store, &row, &res->article_id, &inserted);
    if (e) {
        snprintf(err, errlen, "%s: cannot store the article: %s", pg->source, sr_store_errmsg(p->store));
        return e;
    }
    if (!inserted) {
        res->duplicate = true;
        p->stats.duplicates++;
        return SR_OK;
    }
    int64_t when = row.published ? row.published : row.fetched;
    bool near;
    if ((e = find_story(p, row.simhash, when, a->title, &res->story_id, &near)) ||
        (e = sr_store_story_attach(p->store, res->story_id, res->article_id))) {
        snprintf(err, errlen, "%s: cannot store its story: %s", pg->source, sr_store_errmsg(p->store));
        return e;
    }
    remember(p, row.simhash, res->story_id, when);
    res->stored = true;
    res->near_duplicate = near;
    p->stats.articles++;
    p->stats.near_duplicates += near;
    return SR_OK;
}

/* ---- Places and events. ----------------------------------------------------- */

/* How precise a kind of place is: an event goes to the most precise place
 * its sentence names ("Iraqi troops ... in Fallujah" is in Fallujah). */
static int precision_rank(sr_place_kind k)
{
    switch (k) {
    case SR_PLACE_LANDMARK: return 5;
    case SR_PLACE_CITY: return 4;
    case SR_PLACE_ADMIN2: return 3;
    case SR_PLACE_ADMIN1: return 2;
    case SR_PLACE_COUNTRY: return 1;
    case SR_PLACE_REGION: return 0;
    }
    return 0;
}

/* A place written in capitals at the very start of the text's sentence. */
static bool is_dateline(const char *text, size_t sentence_start, const sr_place *pl)
{
    if (pl->start > sentence_start + 2)
        return false;
    bool lower = false, upper = false;
    for (size_t i = pl->start; i < pl->end; i++) {
        lower |= text[i] >= 'a' && text[i] <= 'z';
        upper |= text[i] >= 'A' && text[i] <= 'Z';
    }
    return upper && !lower;
}

/* The coder asks where each event happened; the answer is carried in
 * ev->place, with `id` naming the chosen entry ("p<i>" a place of the text,
 * "f<i>" a focus of the document) so the event can be stored in full. */
static void place_hook(void *ctx, const char *sentence, size_t len, sr_code_event *ev)
{
    sr_pipeline *p = ctx;
    const sr_geo_doc *doc = p->doc_places;
    if (!doc || sentence < p->doc_text)
        return;
    size_t a = (size_t)(sentence - p->doc_text);
    const sr_place *first;
    size_t n = sr_geo_places_within(doc, a, a + len, &first);
    const sr_place *best = NULL;
    int best_rank = -1;
    for (size_t i = 0; i < n; i++) {
        int rank = precision_rank(first[i].kind);
        /* "BAGHDAD (Reuters) — fighting in Fallujah": the dateline says where
         * the reporter filed from, not where it happened */
        if (is_dateline(p->doc_text, a, &first[i]))
            rank = -1;
        if (!best || rank > best_rank) {
            best = &first[i];
            best_rank = rank;
        }
    }
    if (best) {
        ev->place = (sr_code_place){best->name, sr_arena_printf(p->arena, "p%zu", (size_t)(best - doc->places)),
                                    best->lat, best->lon, (int)best->kind, true};
    } else if (doc->n_focus) {
        const sr_geo_focus *f = &doc->focus[0];
        ev->place = (sr_code_place){f->name, "f0", f->lat, f->lon, (int)f->kind, true};
    }
}

static int yyyymmdd(const char *iso, int64_t fallback)
{
    int y, m, d;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
        return y * 10000 + m * 100 + d;
    time_t t = (time_t)fallback;
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* A month- or year-precision date has day (and month) 0: its first day. */
static int64_t day_of(int ymd)
{
    int m = ymd / 100 % 100, d = ymd % 100;
    struct tm tm = {.tm_year = ymd / 10000 - 1900, .tm_mon = (m ? m : 1) - 1, .tm_mday = d ? d : 1};
    return (int64_t)timegm(&tm);
}

static sr_store_precision store_precision(enum sr_code_precision p)
{
    switch (p) {
    case SR_CODE_DATE_WEEK: return SR_PREC_WEEK;
    case SR_CODE_DATE_MONTH: return SR_PREC_MONTH;
    case SR_CODE_DATE_YEAR: return SR_PREC_YEAR;
    default: return SR_PREC_DAY;
    }
}

static void set_place(sr_store_event *e, const sr_geo_doc *doc, const sr_code_place *pl)
{
    if (!pl->set || !pl->id)
        return;
    e->place_name = pl->name;
    e->lat = pl->lat;
    e->lon = pl->lon;
    size_t i = (size_t)strtoul(pl->id + 1, NULL, 10);
    if (pl->id[0] == 'p' && i < doc->n_places) {
        const sr_place *p = &doc->places[i];
        e->place_kind = sr_place_kind_name(p->kind);
        e->cc = p->cc[0] ? p->cc : NULL;
        e->admin1 = p->admin1 && p->admin1[0] ? p->admin1 : NULL;
        e->geonameid = p->geonameid;
    } else if (pl->id[0] == 'f' && i < doc->n_focus) {
        const sr_geo_focus *f = &doc->focus[i];
        e->place_kind = sr_place_kind_name(f->kind);
        e->cc = f->cc[0] ? f->cc : NULL;
        e->admin1 = f->admin1 && f->admin1[0] ? f->admin1 : NULL;
    }
}

/* Was `id` already stored from this article? Records it when not. */
static bool seen_before(int64_t *ids, size_t *n, size_t cap, int64_t id)
{
    for (size_t i = 0; i < *n; i++)
        if (ids[i] == id)
            return true;
    if (ids && *n < cap)
        ids[(*n)++] = id;
    return false;
}

/* TABARI's "---" is "no actor named": stored as none. */
static sr_store_actor actor(const sr_code_actor *a)
{
    if (!a->code || !a->code[0] || strcmp(a->code, "---") == 0)
        return (sr_store_actor){NULL, NULL, NULL};
    return (sr_store_actor){a->code, a->words && a->words[0] ? a->words : NULL, NULL};
}

static int code_events(sr_pipeline *p, const sr_article *a, int64_t article_id, int64_t story_id,
                       sr_page_result *res)
{
    sr_geo_doc *doc = NULL;
    if (sr_geo_find(p->gaz, p->arena, a->text, a->text_len, &doc) != SR_OK)
        doc = NULL;
    p->doc_text = a->text;
    p->doc_places = doc;
    int date = yyyymmdd(a->published, (int64_t)time(NULL));
    const sr_code_result *r = NULL;
    if (sr_code_document(p->coder, a->text, a->text_len, date, &r) != SR_OK || !r)
        return 0;
    /* the same event told twice in one article is one event, counted once */
    int64_t *ids = r->n_events ? sr_arena_alloc(p->arena, r->n_events * sizeof *ids) : NULL;
    size_t n_ids = 0;
    for (size_t i = 0; i < r->n_events; i++) {
        const sr_code_event *ce = &r->events[i];
        if (ce->negated)
            continue;  /* "did not attack": nothing happened to put on the map */
        sr_store_event e;
        sr_store_event_init(&e);
        e.story_id = story_id;
        e.article_id = article_id;
        e.date = day_of(ce->date ? ce->date : date);
        e.date_precision = store_precision(ce->date_precision);
        e.actor1 = actor(&ce->source);
        e.actor2 = actor(&ce->target);
        e.cameo = ce->cameo;
        e.quad = ce->quad;
        e.goldstein = ce->has_goldstein ? ce->goldstein : NAN;
        e.negated = ce->negated;
        e.modality = ce->modality == SR_MOD_INTENT ? "intent" : ce->modality == SR_MOD_THREAT ? "threat"
                   : ce->modality == SR_MOD_HEDGED ? "hedged" : NULL;
        if (doc)
            set_place(&e, doc, &ce->place);
        size_t s0 = ce->sent_start, s1 = ce->sent_end;
        /* the evidence: the sentence, cut out of the text by code points */
        size_t b0 = sr_utf8_byte_offset(a->text, a->text_len, s0);
        size_t b1 = sr_utf8_byte_offset(a->text, a->text_len, s1);
        e.sentence = sr_arena_strndup(p->arena, a->text + b0, b1 > b0 ? b1 - b0 : 0);
        sr_acled_classify(p->acled, e.cameo, e.sentence, strlen(e.sentence), e.actor1.code, e.actor2.code,
                          &e.acled_type, &e.acled_subtype);
        /* the coder's details: tolls from the sentence (or the next one),
         * history from the sentence's own date */
        e.fatalities = ce->fatalities.value;
        e.fatalities_at_least = ce->fatalities.at_least;
        e.fatalities_who = ce->fatalities.who;
        e.injuries = ce->injuries.value;
        e.fatalities_aggregate = ce->fatalities.aggregate || ce->fatalities.historical ||
                                 ce->injuries.aggregate || ce->injuries.historical;
        e.historical = ce->historical;
        e.sent_start = (int)s0;
        e.sent_end = (int)s1;
        int64_t id;
        bool merged = false;
        if (sr_store_event_merge(p->store, &e, p->o.merge_window_days, &id, &merged) == SR_OK &&
            !seen_before(ids, &n_ids, r->n_events, id)) {
            res->events++;
            res->merged += merged;
        }
    }
    p->stats.events += (unsigned long long)res->events;
    p->stats.merged += (unsigned long long)res->merged;
    p->doc_places = NULL;
    return res->events;
}
