/* The SQLite schema as ordered migration steps. A store records every step
 * it has applied in schema_version; opening a store applies the missing
 * steps in one transaction, so a store is always at one version or the
 * next, never in between. Never edit a released step: add a new one. */
#include <stdio.h>
#include <string.h>
#include "sqlite_int.h"

static const char *const steps[SR_SQLITE_SCHEMA_VERSION] = {
    /* 1: what ingesting needs: sources, articles with their full-text index,
     *    stories and places. */
    "CREATE TABLE schema_version(version INTEGER PRIMARY KEY, applied INTEGER NOT NULL);"
    "CREATE TABLE sources("
    "  id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, name TEXT, country TEXT,"
    "  etag TEXT, last_modified TEXT, next_poll INTEGER NOT NULL DEFAULT 0,"
    "  interval INTEGER NOT NULL DEFAULT 0, last_polled INTEGER NOT NULL DEFAULT 0,"
    "  added INTEGER NOT NULL);"
    "CREATE INDEX sources_next_poll ON sources(next_poll);"
    "CREATE TABLE stories("
    "  id INTEGER PRIMARY KEY, title TEXT, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
    "  num_articles INTEGER NOT NULL DEFAULT 0, num_events INTEGER NOT NULL DEFAULT 0,"
    "  breaking INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX stories_last_seen ON stories(last_seen);"
    "CREATE TABLE articles("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,"
    "  url TEXT NOT NULL UNIQUE, url_norm TEXT, title TEXT,"
    "  published INTEGER, published_precision INTEGER NOT NULL DEFAULT 0,"
    "  authors TEXT, lang TEXT, site_name TEXT, text TEXT, captions TEXT,"
    "  content_hash TEXT NOT NULL UNIQUE, simhash INTEGER,"
    "  story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
    "  fetched INTEGER NOT NULL);"
    "CREATE INDEX articles_url_norm ON articles(url_norm);"
    "CREATE INDEX articles_story ON articles(story_id);"
    "CREATE INDEX articles_fetched ON articles(fetched);"
    "CREATE INDEX articles_source ON articles(source_id);"
    /* External content: the text is stored once, in articles; the triggers
     * keep the index in step with every insert, update and delete. */
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',"
    "  content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END;"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    "  VALUES ('delete', old.id, old.title, old.text); END;"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    "  VALUES ('delete', old.id, old.title, old.text);"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END;"
    "CREATE TABLE places("
    "  geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL, kind TEXT,"
    "  cc TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX places_name_key ON places(name_key);",

    /* 2: events, the articles that support them, and the map index. The
     *    R*Tree holds lon, lat and time, so a map view over a time window is
     *    answered by one index. Time is in days, not seconds: the R* split
     *    picks the axis with the smallest margins, and a time axis numbered
     *    in seconds dwarfs degrees, so nodes became thin time slices over the
     *    whole world (a region query read 100x more nodes at 1M events). It
     *    stores 32-bit floats rounded outwards, so it only narrows and the
     *    exact test is made on events. seq orders changes for live streams. */
    "CREATE TABLE events("
    "  id INTEGER PRIMARY KEY, seq INTEGER NOT NULL,"
    "  story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
    "  date INTEGER NOT NULL, date_precision INTEGER NOT NULL DEFAULT 0,"
    "  actor1_code TEXT, actor1_name TEXT, actor1_cc TEXT,"
    "  actor2_code TEXT, actor2_name TEXT, actor2_cc TEXT,"
    "  cameo TEXT, cameo_root TEXT, quad INTEGER, goldstein REAL,"
    "  acled_type TEXT, acled_subtype TEXT, fatalities INTEGER,"
    "  fatalities_at_least INTEGER NOT NULL DEFAULT 0, fatalities_who TEXT, injuries INTEGER,"
    "  place_name TEXT, place_kind TEXT, cc TEXT, admin1 TEXT, lat REAL, lon REAL,"
    "  geonameid INTEGER, geo_precision INTEGER,"
    "  negated INTEGER NOT NULL DEFAULT 0, historical INTEGER NOT NULL DEFAULT 0, modality TEXT,"
    "  article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,"
    "  sentence TEXT, sent_start INTEGER, sent_end INTEGER,"
    "  num_articles INTEGER NOT NULL DEFAULT 1,"
    "  added INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX events_seq ON events(seq);"
    "CREATE INDEX events_date ON events(date);"
    "CREATE INDEX events_type ON events(acled_type, acled_subtype, date);"
    "CREATE INDEX events_country ON events(cc, admin1, date);"
    "CREATE INDEX events_actor1 ON events(actor1_code);"
    "CREATE INDEX events_actor2 ON events(actor2_code);"
    "CREATE INDEX events_root ON events(cameo_root, date);"
    "CREATE INDEX events_cameo ON events(cameo);"
    "CREATE INDEX events_story ON events(story_id);"
    "CREATE INDEX events_fatalities ON events(fatalities);"
    "CREATE VIRTUAL TABLE events_geo USING rtree(id, min_lon, max_lon, min_lat, max_lat, min_t, max_t);"
    "CREATE TRIGGER events_geo_ai AFTER INSERT ON events WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL"
    "  BEGIN INSERT INTO events_geo VALUES (new.id, new.lon, new.lon, new.lat, new.lat,"
    "  new.date / 86400.0, new.date / 86400.0); END;"
    "CREATE TRIGGER events_geo_ad AFTER DELETE ON events BEGIN DELETE FROM events_geo WHERE id = old.id; END;"
    "CREATE TRIGGER events_geo_au AFTER UPDATE OF lat, lon, date ON events BEGIN"
    "  DELETE FROM events_geo WHERE id = old.id;"
    "  INSERT INTO events_geo SELECT new.id, new.lon, new.lon, new.lat, new.lat,"
    "  new.date / 86400.0, new.date / 86400.0"
    "  WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL; END;"
    "CREATE TABLE event_articles("
    "  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  sentence TEXT, sent_start INTEGER, sent_end INTEGER, added INTEGER NOT NULL,"
    "  PRIMARY KEY (event_id, article_id)) WITHOUT ROWID;"
    "CREATE INDEX event_articles_article ON event_articles(article_id);",

    /* 3: alerts: subscriptions and the outbox of deliveries. */
    "CREATE TABLE subscriptions("
    "  id INTEGER PRIMARY KEY, token_hash TEXT, channel TEXT NOT NULL, endpoint TEXT,"
    "  keys TEXT, filter TEXT, created INTEGER NOT NULL);"
    "CREATE TABLE deliveries("
    "  id INTEGER PRIMARY KEY,"
    "  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,"
    "  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
    "  attempts INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0, last_error TEXT, created INTEGER NOT NULL,"
    "  UNIQUE (subscription_id, event_id));"
    "CREATE INDEX deliveries_due ON deliveries(status, next_attempt);"
    "CREATE INDEX deliveries_event ON deliveries(event_id);",

    /* 4: the feed items a poller has handled, per source, so each poll
     *    fetches only new items; `seen` lets old keys be forgotten. */
    "CREATE TABLE source_items("
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  item TEXT NOT NULL, seen INTEGER NOT NULL,"
    "  PRIMARY KEY (source_id, item)) WITHOUT ROWID;"
    "CREATE INDEX source_items_seen ON source_items(source_id, seen);",

    /* 5: the map query and breaking alerts. A map view asks for the newest
     *    events of a box: events_map_cell serves one 1-degree cell newest
     *    first with the box tested on the index alone, events_map_time the
     *    same for a box that is most of the world (sqlite_events.c); it
     *    starts with date, so events_date goes. The cell is a virtual
     *    column: nothing is stored in the rows. A delivery now has a kind
     *    (0 the event, 1 its story became breaking), so one event can be
     *    alerted once as news and once as breaking; SQLite cannot change a
     *    UNIQUE constraint, hence the copy. */
    "ALTER TABLE events ADD COLUMN cell INTEGER GENERATED ALWAYS AS (CASE WHEN lat IS NOT NULL"
    "  AND lon IS NOT NULL THEN CAST(lat + 90 AS INTEGER) * 360 + CAST(lon + 180 AS INTEGER) % 360 END) VIRTUAL;"
    "CREATE INDEX events_map_cell ON events(cell, date, id, lat, lon) WHERE cell IS NOT NULL;"
    "CREATE INDEX events_map_time ON events(date, id, lat, lon);"
    "DROP INDEX events_date;"
    "CREATE TABLE deliveries_v4("
    "  id INTEGER PRIMARY KEY,"
    "  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,"
    "  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL DEFAULT 0,"
    "  attempts INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0, last_error TEXT, created INTEGER NOT NULL,"
    "  UNIQUE (subscription_id, event_id, kind));"
    "INSERT INTO deliveries_v4(id, subscription_id, event_id, attempts, status, next_attempt, last_error, created)"
    "  SELECT id, subscription_id, event_id, attempts, status, next_attempt, last_error, created FROM deliveries;"
    "DROP TABLE deliveries;"
    "ALTER TABLE deliveries_v4 RENAME TO deliveries;"
    "CREATE INDEX deliveries_due ON deliveries(status, next_attempt);"
    "CREATE INDEX deliveries_event ON deliveries(event_id);",

    /* 6: a toll told with an event may count a period or a past battle
     *    ("nearly 8,000 civilians were killed in 2013"): kept, but flagged so
     *    that a map of this week does not count it as this week's dead. */
    "ALTER TABLE events ADD COLUMN fatalities_aggregate INTEGER NOT NULL DEFAULT 0;",

    /* 7: new articles are put in the full-text index once per transaction,
     *    by the store (sq_fts_catch_up), not by a trigger per row. FTS5
     *    writes its pending terms out as a new segment at every statement
     *    savepoint, and with a trigger every article insert (and every later
     *    statement of the batch) opened one: each article became a segment
     *    of its own, merged again and again. One INSERT ... SELECT at commit
     *    writes a batch as one segment. The delete and update triggers stay:
     *    they are rare, and the store indexes pending articles before any
     *    read or commit. */
    "DROP TRIGGER articles_fts_ai;",

    /* 8: an article's story signature (its weighted lead terms, places and
     *    event roots), so the story clusterer of a new run compares new
     *    articles with the recent ones of earlier runs as it did within
     *    one. A short text, read only when recent articles are loaded. */
    "ALTER TABLE articles ADD COLUMN story_sig TEXT;",

    /* 9: each toll whole, as `sitrep code` tells it: "about" and who for
     *    the wounded too, and whether each figure counts a period or a past
     *    battle. fatalities_aggregate now flags the killed figure alone;
     *    a stored row had it set for either kind of figure of either toll,
     *    so the wounded figure of such a row takes it as well (what the row
     *    showed before) and its killed figure stays out of min_fatalities. */
    "ALTER TABLE events ADD COLUMN fatalities_approximate INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE events ADD COLUMN fatalities_historical INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE events ADD COLUMN injuries_at_least INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE events ADD COLUMN injuries_approximate INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE events ADD COLUMN injuries_who TEXT;"
    "ALTER TABLE events ADD COLUMN injuries_aggregate INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE events ADD COLUMN injuries_historical INTEGER NOT NULL DEFAULT 0;"
    "UPDATE events SET injuries_aggregate = 1 WHERE fatalities_aggregate <> 0 AND injuries IS NOT NULL;",
};

int sr_sqlite_version_of(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static sr_err fail(sqlite3 *db, const char *what, char *err, size_t errlen)
{
    if (err)
        snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return SR_EDB;
}

sr_err sr_sqlite_migrate(sqlite3 *db, int target, char *err, size_t errlen)
{
    if (target < 0 || target > SR_SQLITE_SCHEMA_VERSION)
        target = SR_SQLITE_SCHEMA_VERSION;
    /* The write lock first, so two processes opening a new store at once
     * do not both migrate it. */
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "cannot use as a store", err, errlen);
    int have = sr_sqlite_version_of(db);
    if (have > SR_SQLITE_SCHEMA_VERSION) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        if (err)
            snprintf(err, errlen, "written by a newer sitrep (schema version %d; this one knows up to %d)",
                     have, SR_SQLITE_SCHEMA_VERSION);
        return SR_ESTALE;
    }
    for (int v = have + 1; v <= target; v++) {
        char what[64];
        snprintf(what, sizeof what, "migrating to schema version %d", v);
        if (sqlite3_exec(db, steps[v - 1], NULL, NULL, NULL) != SQLITE_OK)
            return fail(db, what, err, errlen);
        char record[128];
        snprintf(record, sizeof record,
                 "INSERT INTO schema_version VALUES (%d, CAST(strftime('%%s','now') AS INTEGER))", v);
        if (sqlite3_exec(db, record, NULL, NULL, NULL) != SQLITE_OK)
            return fail(db, what, err, errlen);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "committing the schema", err, errlen);
    return SR_OK;
}
