#define _GNU_SOURCE  /* timegm, strptime */
/* The analysis of one page: its article, the keys that recognise it again
 * (normalised URL, content hash, SimHash), its places and its events, each
 * placed and typed. Nothing here touches the store or anything shared that
 * is written, so analysers run side by side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pipeline_int.h"

static void place_hook(void *ctx, const char *sentence, size_t len, sr_code_event *ev);
static void describe(pl_analysis *out, const sr_page *pg, const sr_article *a, sr_arena *arena);
static const sr_geo_doc *code_events(pl_analyser *an, const sr_article *a, pl_analysis *out);

sr_err pl_analyser_init(pl_analyser *an, const sr_code_dict *dict, const sr_gazetteer *gaz)
{
    memset(an, 0, sizeof *an);
    an->gaz = gaz;
    an->ex = sr_extractor_new(NULL);
    if (!an->ex || sr_coder_new(&an->coder, dict) != SR_OK) {
        pl_analyser_fini(an);
        return SR_ENOMEM;
    }
    sr_coder_set_place_hook(an->coder, place_hook, an);
    return SR_OK;
}

void pl_analyser_fini(pl_analyser *an)
{
    sr_extractor_free(an->ex);
    sr_coder_free(an->coder);
    memset(an, 0, sizeof *an);
}

void pl_analyse(pl_analyser *an, sr_arena *arena, const sr_page *pg, pl_analysis *out)
{
    memset(out, 0, sizeof *out);
    an->arena = arena;
    sr_article *a = NULL;
    sr_err e = pg->is_text ? sr_extract_text(an->ex, arena, pg->body, pg->len, pg->source, &a)
                           : sr_extract_html(an->ex, arena, pg->body, pg->len, pg->source, pg->url,
                                             pg->content_type, &a);
    if (!e && (!a->text || !a->text_len))
        e = SR_EEMPTY;
    if (e) {
        out->err = e;
        snprintf(out->message, sizeof out->message, "%s: %s", pg->source,
                 e == SR_EEMPTY ? "no article text found" : sr_extractor_message(an->ex));
        return;
    }
    describe(out, pg, a, arena);
    const sr_geo_doc *places = code_events(an, a, out);
    pl_story_sig_make(&out->sig, a->title, a->text, a->text_len, places, out->events, out->n_events);
    out->row.story_sig = pl_story_sig_encode(&out->sig, arena);
}

/* ---- The article as the store keeps it. ------------------------------------ */

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

static void describe(pl_analysis *out, const sr_page *pg, const sr_article *a, sr_arena *arena)
{
    uint64_t simhash = 0;
    sr_fingerprints(a->text, a->text_len, out->content_hash, &simhash);
    char *norm = NULL;
    const char *url = a->url ? a->url : pg->url;
    if (!url || sr_url_normalize(url, arena, &norm) != SR_OK) {
        /* a local file: its path names it, and its text makes it unique */
        url = sr_arena_printf(arena, "file:%s", pg->source);
        norm = NULL;
    }
    out->row = (sr_store_article){
        .url = url,
        .url_norm = norm,
        .title = a->title,
        .authors = json_list(arena, a->authors, a->n_authors),
        .lang = a->lang,
        .site_name = a->site_name,
        .text = a->text,
        .captions = json_captions(arena, a),
        .content_hash = out->content_hash,
        .simhash = simhash,
        .fetched = pg->fetched ? pg->fetched : (int64_t)time(NULL),
    };
    out->row.published = parse_time(a->published, &out->row.published_precision);
    out->when = out->row.published ? out->row.published : out->row.fetched;
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
    pl_analyser *an = ctx;
    const sr_geo_doc *doc = an->doc_places;
    if (!doc || sentence < an->doc_text)
        return;
    size_t a = (size_t)(sentence - an->doc_text);
    const sr_place *first;
    size_t n = sr_geo_places_within(doc, a, a + len, &first);
    const sr_place *best = NULL;
    int best_rank = -1;
    for (size_t i = 0; i < n; i++) {
        int rank = precision_rank(first[i].kind);
        /* "BAGHDAD (Reuters) — fighting in Fallujah": the dateline says where
         * the reporter filed from, not where it happened */
        if (is_dateline(an->doc_text, a, &first[i]))
            rank = -1;
        if (!best || rank > best_rank) {
            best = &first[i];
            best_rank = rank;
        }
    }
    if (best) {
        ev->place = (sr_code_place){best->name, sr_arena_printf(an->arena, "p%zu", (size_t)(best - doc->places)),
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

static const char *keep(sr_arena *arena, const char *s);

static void set_place(sr_arena *arena, sr_store_event *e, const sr_geo_doc *doc, const sr_code_place *pl)
{
    if (!pl->set || !pl->id)
        return;
    e->place_name = keep(arena, pl->name);
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

/* The coder's strings last until its next call, and the writer reads the
 * event after this analyser has gone on to other pages: keep a copy. */
static const char *keep(sr_arena *arena, const char *s)
{
    return s ? sr_arena_strdup(arena, s) : NULL;
}

/* TABARI's "---" is "no actor named": stored as none. */
static sr_store_actor actor(sr_arena *arena, const sr_code_actor *a)
{
    if (!a->code || !a->code[0] || strcmp(a->code, "---") == 0)
        return (sr_store_actor){NULL, NULL, NULL};
    return (sr_store_actor){keep(arena, a->code), a->words && a->words[0] ? keep(arena, a->words) : NULL, NULL};
}

/* Returns the article's places (NULL when none could be found), which the
 * story signature uses too. */
static const sr_geo_doc *code_events(pl_analyser *an, const sr_article *a, pl_analysis *out)
{
    sr_arena *arena = an->arena;
    sr_geo_doc *doc = NULL;
    if (sr_geo_find(an->gaz, arena, a->text, a->text_len, &doc) != SR_OK)
        doc = NULL;
    an->doc_text = a->text;
    an->doc_places = doc;
    int date = yyyymmdd(a->published, (int64_t)time(NULL));
    const sr_code_result *r = NULL;
    if (sr_code_document(an->coder, a->text, a->text_len, date, &r) != SR_OK || !r || !r->n_events) {
        an->doc_places = NULL;
        return doc;
    }
    out->events = sr_arena_alloc(arena, r->n_events * sizeof *out->events);
    for (size_t i = 0; out->events && i < r->n_events; i++) {
        const sr_code_event *ce = &r->events[i];
        if (ce->negated)
            continue;  /* "did not attack": nothing happened to put on the map */
        sr_store_event *e = &out->events[out->n_events++];
        sr_store_event_init(e);
        e->date = day_of(ce->date ? ce->date : date);
        e->date_precision = store_precision(ce->date_precision);
        e->actor1 = actor(arena, &ce->source);
        e->actor2 = actor(arena, &ce->target);
        e->cameo = keep(arena, ce->cameo);
        e->quad = ce->quad;
        e->goldstein = ce->has_goldstein ? ce->goldstein : NAN;
        e->negated = ce->negated;
        e->modality = ce->modality == SR_MOD_INTENT ? "intent" : ce->modality == SR_MOD_THREAT ? "threat"
                    : ce->modality == SR_MOD_HEDGED ? "hedged" : NULL;
        if (doc)
            set_place(arena, e, doc, &ce->place);
        size_t s0 = ce->sent_start, s1 = ce->sent_end;
        /* the evidence: the sentence, cut out of the text by code points */
        size_t b0 = sr_utf8_byte_offset(a->text, a->text_len, s0);
        size_t b1 = sr_utf8_byte_offset(a->text, a->text_len, s1);
        e->sentence = sr_arena_strndup(arena, a->text + b0, b1 > b0 ? b1 - b0 : 0);
        /* the coder has typed it already, from the lexicon's acled.tsv */
        e->acled_type = keep(arena, ce->acled_type);
        e->acled_subtype = keep(arena, ce->acled_subtype);
        /* the coder's details: tolls from the sentence (or the next one),
         * history from the sentence's own date */
        e->fatalities = ce->fatalities;
        e->fatalities.who = keep(arena, ce->fatalities.who);
        e->injuries = ce->injuries;
        e->injuries.who = keep(arena, ce->injuries.who);
        e->historical = ce->historical;
        e->sent_start = (int)s0;
        e->sent_end = (int)s1;
    }
    an->doc_places = NULL;
    return doc;
}
