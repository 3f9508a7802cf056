/* Sources, articles, stories and places in the SQLite store. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>
#include "sqlite_int.h"

/* The text of one article: generous for a long read, small enough that a
 * hostile page cannot fill the disk in a few records. */
#define SQ_MAX_TEXT (8u << 20)

static int64_t now_or(int64_t t)
{
    return t ? t : (int64_t)time(NULL);
}

/* ---- Sources. ------------------------------------------------------------- */

sr_err sq_source_add(sr_store *s, const sr_store_source *src, int64_t *id)
{
    sr_sqlite *q = SQ(s);
    if (!src->url || !*src->url)
        return sr_store_fail(s, SR_EINVAL, "a source needs a URL");
    sr_err rc = sq_write_begin(q);
    if (rc)
        return rc;
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO sources(url, name, country, interval, next_poll, added)"
                                  " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO NOTHING");
    if (!st)
        return sq_write_end(q, SR_EDB);
    sq_bind_text(st, 1, src->url);
    sq_bind_text(st, 2, src->name);
    sq_bind_text(st, 3, src->country);
    sqlite3_bind_int64(st, 4, src->interval);
    sqlite3_bind_int64(st, 5, src->next_poll);
    sqlite3_bind_int64(st, 6, now_or(0));
    rc = sq_run(q, st, "adding a source");
    if (!rc && (st = sq_stmt(q, "SELECT id FROM sources WHERE url = ?"))) {
        sq_bind_text(st, 1, src->url);
        if (sqlite3_step(st) == SQLITE_ROW && id)
            *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    } else if (!rc) {
        rc = SR_EDB;
    }
    return sq_write_end(q, rc);
}

sr_err sq_source_update_poll(sr_store *s, const sr_store_source *src)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "UPDATE sources SET etag = ?, last_modified = ?, next_poll = ?,"
                                  " interval = ?, last_polled = ? WHERE id = ?");
    if (!st)
        return SR_EDB;
    sq_bind_text(st, 1, src->etag);
    sq_bind_text(st, 2, src->last_modified);
    sqlite3_bind_int64(st, 3, src->next_poll);
    sqlite3_bind_int64(st, 4, src->interval);
    sqlite3_bind_int64(st, 5, src->last_polled);
    sqlite3_bind_int64(st, 6, src->id);
    sr_err rc = sq_run(q, st, "saving a source's polling state");
    if (!rc && sqlite3_changes(q->db) == 0)
        return sr_store_fail(s, SR_ENOTFOUND, "no source with id %lld", (long long)src->id);
    return rc;
}

sr_err sq_source_remove(sr_store *s, const char *url)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "DELETE FROM sources WHERE url = ?");
    if (!st)
        return SR_EDB;
    sq_bind_text(st, 1, url);
    sr_err rc = sq_run(q, st, "removing a source");
    if (!rc && sqlite3_changes(q->db) == 0)
        return sr_store_fail(s, SR_ENOTFOUND, "%s: no such source", url);
    return rc;
}

sr_err sq_sources(sr_store *s, int64_t due_before, sr_store_source_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = due_before > 0
        ? sq_stmt(q, "SELECT id, url, name, country, etag, last_modified, next_poll, interval, last_polled"
                     " FROM sources WHERE next_poll < ? ORDER BY next_poll, id")
        : sq_stmt(q, "SELECT id, url, name, country, etag, last_modified, next_poll, interval, last_polled"
                     " FROM sources ORDER BY id");
    if (!st)
        return SR_EDB;
    if (due_before > 0)
        sqlite3_bind_int64(st, 1, due_before);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_source src = {
            .id = sqlite3_column_int64(st, 0), .url = sq_text(st, 1), .name = sq_text(st, 2),
            .country = sq_text(st, 3), .etag = sq_text(st, 4), .last_modified = sq_text(st, 5),
            .next_poll = sqlite3_column_int64(st, 6), .interval = sqlite3_column_int64(st, 7),
            .last_polled = sqlite3_column_int64(st, 8),
        };
        if (fn(&src, ctx))
            break;
    }
    sr_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "listing sources");
    sqlite3_reset(st);
    return e;
}

/* ---- Articles. ------------------------------------------------------------ */

static sr_err existing_article(sr_sqlite *q, const sr_store_article *a, int64_t *id);

sr_err sq_article_add(sr_store *s, const sr_store_article *a, int64_t *id, bool *inserted)
{
    sr_sqlite *q = SQ(s);
    if (inserted)
        *inserted = false;
    if (!a->url || !*a->url || !a->content_hash || !*a->content_hash)
        return sr_store_fail(s, SR_EINVAL, "an article needs a URL and a content hash");
    if (a->text && strlen(a->text) > SQ_MAX_TEXT)
        return sr_store_fail(s, SR_ETOOBIG, "%s: text over %u bytes", a->url, SQ_MAX_TEXT);
    sr_err rc = sq_write_begin(q);
    if (rc)
        return rc;
    /* DO NOTHING without a target covers both unique keys: the URL and the
     * content hash. */
    sqlite3_stmt *st = sq_stmt(q,
        "INSERT INTO articles(source_id, url, url_norm, title, published, published_precision, authors,"
        " lang, site_name, text, captions, content_hash, simhash, story_id, fetched, story_sig)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    if (!st)
        return sq_write_end(q, SR_EDB);
    sq_bind_id(st, 1, a->source_id);
    sq_bind_text(st, 2, a->url);
    sq_bind_text(st, 3, a->url_norm);
    sq_bind_text(st, 4, a->title);
    sq_bind_id(st, 5, a->published);
    sqlite3_bind_int(st, 6, a->published_precision);
    sq_bind_text(st, 7, a->authors);
    sq_bind_text(st, 8, a->lang);
    sq_bind_text(st, 9, a->site_name);
    sq_bind_text(st, 10, a->text);
    sq_bind_text(st, 11, a->captions);
    sq_bind_text(st, 12, a->content_hash);
    sqlite3_bind_int64(st, 13, (int64_t)a->simhash);
    sq_bind_id(st, 14, a->story_id);
    sqlite3_bind_int64(st, 15, now_or(a->fetched));
    sq_bind_text(st, 16, a->story_sig);
    rc = sq_run(q, st, "storing an article");
    if (!rc && sqlite3_changes(q->db) == 1) {
        int64_t new_id = sqlite3_last_insert_rowid(q->db);
        /* Rowids grow: every article of this transaction has an id at or
         * above its first one, and every article there is of it. */
        if (!q->fts_from || new_id < q->fts_from)
            q->fts_from = new_id;
        if (id)
            *id = new_id;
        if (inserted)
            *inserted = true;
    } else if (!rc) {
        rc = existing_article(q, a, id);
    }
    return sq_write_end(q, rc);
}

static sr_err existing_article(sr_sqlite *q, const sr_store_article *a, int64_t *id)
{
    sqlite3_stmt *st = sq_stmt(q, "SELECT id FROM articles WHERE url = ?1"
                                  " UNION ALL SELECT id FROM articles WHERE content_hash = ?2 LIMIT 1");
    if (!st)
        return SR_EDB;
    sq_bind_text(st, 1, a->url);
    sq_bind_text(st, 2, a->content_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && id)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? SR_OK : sq_fail(q, "finding a stored article");
}

sr_err sq_article_find(sr_store *s, const char *url, int64_t *id)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT id FROM articles WHERE url = ?1"
                                  " UNION ALL SELECT id FROM articles WHERE url_norm = ?1 LIMIT 1");
    if (!st)
        return SR_EDB;
    sq_bind_text(st, 1, url);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && id)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SR_OK;
    return rc == SQLITE_DONE ? sr_store_fail(s, SR_ENOTFOUND, "%s: no such article", url)
                             : sq_fail(q, "finding an article");
}

void sq_read_article(sqlite3_stmt *st, int first, sr_store_article *a)
{
    int c = first;
    a->id = sqlite3_column_int64(st, c++);
    a->source_id = sqlite3_column_int64(st, c++);
    a->url = sq_text(st, c++);
    a->url_norm = sq_text(st, c++);
    a->title = sq_text(st, c++);
    a->published = sqlite3_column_int64(st, c++);
    a->published_precision = sqlite3_column_int(st, c++);
    a->authors = sq_text(st, c++);
    a->lang = sq_text(st, c++);
    a->site_name = sq_text(st, c++);
    a->captions = sq_text(st, c++);
    a->content_hash = sq_text(st, c++);
    a->simhash = (uint64_t)sqlite3_column_int64(st, c++);
    a->story_id = sqlite3_column_int64(st, c++);
    a->fetched = sqlite3_column_int64(st, c++);
}

sr_err sq_article_get(sr_store *s, int64_t id, sr_store_article_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT " ARTICLE_COLUMNS ", a.text FROM articles a WHERE a.id = ?");
    if (!st)
        return SR_EDB;
    sr_err found = sq_step_id(q, st, id, "article");
    if (found)
        return found;
    sr_store_article a = {0};
    sq_read_article(st, 0, &a);
    a.text = sq_text(st, 15);
    fn(&a, ctx);
    sqlite3_reset(st);
    return SR_OK;
}

sr_err sq_articles_recent(sr_store *s, int64_t since, sr_store_article_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "SELECT " ARTICLE_COLUMNS ", a.story_sig FROM articles a WHERE a.fetched >= ?"
                                  " ORDER BY a.fetched, a.id");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, since);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_article a = {0};
        sq_read_article(st, 0, &a);
        a.story_sig = sq_text(st, 15);
        if (fn(&a, ctx))
            break;
    }
    sr_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "listing recent articles");
    sqlite3_reset(st);
    return e;
}

sr_err sq_articles_search(sr_store *s, const char *q_text, int limit, int offset,
                          sr_store_article_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    if (q_text && strlen(q_text) > 1000)
        return sr_store_fail(s, SR_ETOOBIG, "search text over 1000 bytes");
    char *match = q_text ? sq_fts_query(q_text) : NULL;
    if (!match)
        return SR_OK;
    sr_err caught = sq_fts_catch_up(q);
    if (caught) {
        free(match);
        return caught;
    }
    sqlite3_stmt *st = sq_stmt(q, "SELECT " ARTICLE_COLUMNS ", snippet(articles_fts, -1, '', '', '…', 24)"
                                  " FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH ?"
                                  " ORDER BY f.rank LIMIT ? OFFSET ?");
    if (!st) {
        free(match);
        return SR_EDB;
    }
    sqlite3_bind_text(st, 1, match, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
    sqlite3_bind_int(st, 3, offset > 0 ? offset : 0);
    free(match);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_article a = {0};
        sq_read_article(st, 0, &a);
        a.snippet = sq_text(st, 15);
        if (fn(&a, ctx))
            break;
    }
    sr_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "searching articles");
    sqlite3_reset(st);
    return e;
}

sr_err sq_fts_catch_up(sr_sqlite *q)
{
    if (!q->fts_from)
        return SR_OK;
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO articles_fts(rowid, title, text)"
                                  " SELECT id, title, text FROM articles WHERE id >= ?");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, q->fts_from);
    sr_err rc = sq_run(q, st, "indexing new articles for search");
    if (!rc)
        q->fts_from = 0;
    else if (q->in_batch)
        q->batch_failed = true;
    return rc;
}

/* Each word becomes a quoted FTS5 string, so punctuation and operators in
 * what a user typed are words, never syntax. */
char *sq_fts_query(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(3 * n + 3);
    if (!out)
        return NULL;
    size_t o = 0;
    int words = 0;
    for (size_t i = 0; i < n && words < 32;) {
        while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            i++;
        size_t start = i;
        bool has_word_char = false;
        while (i < n && !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
            unsigned char c = (unsigned char)text[i++];
            if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))
                has_word_char = true;
        }
        if (!has_word_char)
            continue;
        if (words++)
            out[o++] = ' ';
        out[o++] = '"';
        for (size_t k = start; k < i; k++) {
            if (text[k] == '"')
                out[o++] = '"';
            out[o++] = text[k];
        }
        out[o++] = '"';
    }
    out[o] = '\0';
    if (!words) {
        free(out);
        return NULL;
    }
    return out;
}

/* ---- Stories. ------------------------------------------------------------- */

sr_err sq_story_add(sr_store *s, const char *title, int64_t seen, int64_t *id)
{
    sr_sqlite *q = SQ(s);
    sqlite3_stmt *st = sq_stmt(q, "INSERT INTO stories(title, first_seen, last_seen) VALUES (?1, ?2, ?3)");
    if (!st)
        return SR_EDB;
    int64_t t = now_or(seen);
    sq_bind_text(st, 1, title);
    sqlite3_bind_int64(st, 2, t);
    sqlite3_bind_int64(st, 3, t);
    sr_err rc = sq_run(q, st, "adding a story");
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

sr_err sq_story_attach(sr_store *s, int64_t story_id, int64_t article_id)
{
    sr_sqlite *q = SQ(s);
    sr_err rc = sq_write_begin(q);
    if (rc)
        return rc;
    /* Counts move with the article: out of its old story, into the new. */
    const char *const sql[] = {
        "UPDATE stories SET num_articles = num_articles - 1 WHERE id ="
        " (SELECT story_id FROM articles WHERE id = ?2) AND id IS NOT ?1",
        "UPDATE stories SET num_articles = num_articles + 1,"
        " last_seen = max(last_seen, (SELECT coalesce(published, fetched) FROM articles WHERE id = ?2))"
        " WHERE id = ?1 AND ?1 IS NOT (SELECT story_id FROM articles WHERE id = ?2)",
        "UPDATE articles SET story_id = ?1 WHERE id = ?2",
    };
    for (size_t i = 0; i < 3 && !rc; i++) {
        sqlite3_stmt *st = sq_stmt(q, sql[i]);
        if (!st) {
            rc = SR_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, story_id);
        sqlite3_bind_int64(st, 2, article_id);
        rc = sq_run(q, st, "putting an article in a story");
        if (!rc && i == 2 && sqlite3_changes(q->db) == 0)
            rc = sr_store_fail(s, SR_ENOTFOUND, "no article with id %lld", (long long)article_id);
    }
    return sq_write_end(q, rc);
}

sr_err sq_story_set_breaking(sr_store *s, int64_t story_id, bool *changed)
{
    sr_sqlite *q = SQ(s);
    bool flagged = false;
    sr_err rc = sq_write_begin(q);
    if (rc)
        return rc;
    sqlite3_stmt *st = sq_stmt(q, "UPDATE stories SET breaking = 1 WHERE id = ? AND breaking = 0");
    if (!st)
        rc = SR_EDB;
    if (!rc) {
        sqlite3_bind_int64(st, 1, story_id);
        rc = sq_run(q, st, "flagging a story");
        flagged = !rc && sqlite3_changes(q->db) == 1;
    }
    /* The events now say "breaking": a new change sequence each, one at a
     * time since the sequence is unique, so live streams and other
     * processes see them change. */
    sqlite3_stmt *ev = flagged ? sq_stmt(q, "SELECT id FROM events WHERE story_id = ? ORDER BY id") : NULL;
    if (flagged && !ev)
        rc = SR_EDB;
    int64_t ids[256];
    int n = 0;
    if (ev) {
        sqlite3_bind_int64(ev, 1, story_id);
        while (n < 256 && sqlite3_step(ev) == SQLITE_ROW)
            ids[n++] = sqlite3_column_int64(ev, 0);
        sqlite3_reset(ev);
    }
    for (int i = 0; !rc && i < n; i++) {
        st = sq_stmt(q, "UPDATE events SET seq = (SELECT max(seq) + 1 FROM events), updated = ?2 WHERE id = ?1");
        if (!st) {
            rc = SR_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
        rc = sq_run(q, st, "marking a story's events");
    }
    rc = sq_write_end(q, rc);
    if (changed)
        *changed = !rc && flagged;
    return rc;
}

sr_err sq_stories(sr_store *s, int64_t since, const sr_store_story *after, int limit,
                  sr_store_story_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    /* Outlets are counted when asked: a page of stories is small, and the
     * count stays right when articles move between stories. */
    sqlite3_stmt *st = sq_stmt(q, "SELECT id, title, first_seen, last_seen, num_articles, num_events, breaking,"
                                  " (SELECT count(DISTINCT coalesce(a.site_name, a.source_id, a.id)) FROM articles a"
                                  "  WHERE a.story_id = s.id)"
                                  " FROM stories s WHERE last_seen >= ?1 AND (?2 IS NULL OR (last_seen, id) < (?2, ?3))"
                                  " ORDER BY last_seen DESC, id DESC LIMIT ?4");
    if (!st)
        return SR_EDB;
    sqlite3_bind_int64(st, 1, since);
    if (after) {
        sqlite3_bind_int64(st, 2, after->last_seen);
        sqlite3_bind_int64(st, 3, after->id);
    }
    sqlite3_bind_int(st, 4, limit > 0 ? limit : -1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sr_store_story story = {
            .id = sqlite3_column_int64(st, 0), .title = sq_text(st, 1),
            .first_seen = sqlite3_column_int64(st, 2), .last_seen = sqlite3_column_int64(st, 3),
            .num_articles = sqlite3_column_int(st, 4), .num_events = sqlite3_column_int(st, 5),
            .breaking = sqlite3_column_int(st, 6) != 0, .num_outlets = sqlite3_column_int(st, 7),
        };
        if (fn(&story, ctx))
            break;
    }
    sr_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "listing stories");
    sqlite3_reset(st);
    return e;
}

/* ---- Places. -------------------------------------------------------------- */

/* Names compare case-folded and without accents, so "sao" finds São Paulo. */
static char *name_key(const char *name)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    return n < 0 ? NULL : (char *)out;
}

sr_err sq_place_put(sr_store *s, const sr_store_place *p)
{
    sr_sqlite *q = SQ(s);
    if (!p->geonameid || !p->name)
        return sr_store_fail(s, SR_EINVAL, "a place needs a GeoNames id and a name");
    char *key = name_key(p->name);
    if (!key)
        return sr_store_fail(s, SR_EENCODING, "place name is not valid UTF-8");
    sqlite3_stmt *st = sq_stmt(q, "INSERT OR REPLACE INTO places(geonameid, name, name_key, kind, cc, admin1,"
                                  " lat, lon, population) VALUES (?,?,?,?,?,?,?,?,?)");
    sr_err rc = SR_EDB;
    if (st) {
        sqlite3_bind_int64(st, 1, p->geonameid);
        sq_bind_text(st, 2, p->name);
        sq_bind_text(st, 3, key);
        sq_bind_text(st, 4, p->kind);
        sq_bind_text(st, 5, p->cc);
        sq_bind_text(st, 6, p->admin1);
        sq_bind_real(st, 7, p->lat);
        sq_bind_real(st, 8, p->lon);
        sqlite3_bind_int64(st, 9, p->population);
        rc = sq_run(q, st, "storing a place");
    }
    free(key);
    return rc;
}

sr_err sq_places_complete(sr_store *s, const char *prefix, int limit, sr_store_place_fn fn, void *ctx)
{
    sr_sqlite *q = SQ(s);
    char *key = prefix ? name_key(prefix) : NULL;
    if (!key || !*key || strlen(key) > 200) {
        free(key);
        return prefix && *prefix ? sr_store_fail(s, SR_EINVAL, "place prefix is empty, too long or not UTF-8")
                                 : SR_OK;
    }
    /* [key, key with its last byte raised) is every name starting with key,
     * in byte order, which is how the index compares. */
    size_t n = strlen(key);
    char *upper = strdup(key);
    if (!upper) {
        free(key);
        return SR_ENOMEM;
    }
    upper[n - 1] = (char)((unsigned char)upper[n - 1] + 1);
    sqlite3_stmt *st = sq_stmt(q, "SELECT geonameid, name, kind, cc, admin1, lat, lon, population FROM places"
                                  " WHERE name_key >= ? AND name_key < ? ORDER BY population DESC, name LIMIT ?");
    sr_err e = SR_EDB;
    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, upper, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            sr_store_place p = {
                .geonameid = sqlite3_column_int64(st, 0), .name = sq_text(st, 1), .kind = sq_text(st, 2),
                .cc = sq_text(st, 3), .admin1 = sq_text(st, 4), .lat = sq_real(st, 5),
                .lon = sq_real(st, 6), .population = sqlite3_column_int64(st, 7),
            };
            if (fn(&p, ctx))
                break;
        }
        e = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : sq_fail(q, "completing a place name");
        sqlite3_reset(st);
    }
    free(key);
    free(upper);
    return e;
}
