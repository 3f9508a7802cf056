/* The store: opening and migrating, idempotent articles, full text,
 * stories, places, sources, the outbox, and surviving a kill mid-batch. */
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "store_testutil.h"
#include "store/sqlite_int.h"

Test(store_open, creates_a_current_store_and_reopens_it)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    cr_assert_eq(sr_store_schema_version(s), SR_SQLITE_SCHEMA_VERSION);
    int64_t id = add_article(s, 1, "Militants take Fallujah", "Fighting in Fallujah and Ramadi.", 0);
    sr_store_close(s);
    s = open_store(path);
    int64_t found = 0;
    cr_assert_eq(sr_store_article_find(s, "https://news.example/a/1", &found), SR_OK);
    cr_assert_eq(found, id);
    sr_store_close(s);
    remove_store(path);
}

Test(store_open, refuses_postgres_for_now_and_unknown_schemes_with_a_message)
{
    sr_store *s = (sr_store *)1;
    char err[256];
    cr_assert_eq(sr_store_open("postgres://localhost/sitrep", 0, &s, err, sizeof err), SR_EINVAL);
    cr_assert_null(s);
    cr_assert(strstr(err, "not built yet"), "%s", err);
    cr_assert_eq(sr_store_open("ftp://x/y", 0, &s, err, sizeof err), SR_EINVAL);
    cr_assert(strstr(err, "ftp://x/y"), "%s", err);
}

Test(store_open, names_the_file_when_it_is_not_a_database)
{
    char *path = tmp_store_path();
    FILE *f = fopen(path, "w");
    fputs("<html>this is a web page, not a store</html>\n", f);
    for (int i = 0; i < 200; i++)
        fputs("padding padding padding padding\n", f);
    fclose(f);
    sr_store *s = NULL;
    char err[512];
    cr_assert_neq(sr_store_open(path, 0, &s, err, sizeof err), SR_OK);
    cr_assert_null(s);
    cr_assert(strstr(err, path) && strstr(err, "not a database"), "%s", err);
    remove_store(path);
}

Test(store_open, migrates_a_version_1_store_keeping_its_articles)
{
    char *path = tmp_store_path();
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    char err[256] = "";
    cr_assert_eq(sr_sqlite_migrate(db, 1, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(sr_sqlite_version_of(db), 1);
    cr_assert_eq(sqlite3_exec(db, "INSERT INTO articles(url, title, text, content_hash, fetched)"
                                  " VALUES ('https://old.example/1', 'Ramadi', 'Clashes near Ramadi', 'old1', 1)",
                              NULL, NULL, NULL), SQLITE_OK);
    /* No events table yet at version 1. */
    cr_assert_neq(sqlite3_exec(db, "SELECT * FROM events", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    sr_store *s = open_store(path);
    cr_assert_eq(sr_store_schema_version(s), SR_SQLITE_SCHEMA_VERSION);
    int64_t id = 0;
    cr_assert_eq(sr_store_article_find(s, "https://old.example/1", &id), SR_OK);
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = id;
    e.date = 1700000000;
    e.lat = 33.4, e.lon = 43.3;
    int64_t eid = 0;
    cr_assert_eq(sr_store_event_add(s, &e, &eid), SR_OK, "%s", sr_store_errmsg(s));
    sr_store_subscription sub = {.channel = "webhook", .endpoint = "https://hooks.example/x"};
    cr_assert_eq(sr_store_subscription_add(s, &sub, NULL), SR_OK);
    sr_store_close(s);
    remove_store(path);
}

Test(store_open, refuses_a_store_from_a_newer_sitrep)
{
    char *path = tmp_store_path();
    sr_store_close(open_store(path));
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "INSERT INTO schema_version VALUES (99, 0)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sr_store *s = NULL;
    char err[512];
    cr_assert_eq(sr_store_open(path, 0, &s, err, sizeof err), SR_ESTALE);
    cr_assert(strstr(err, "newer") && strstr(err, "99"), "%s", err);
    remove_store(path);
}

static int copy_title(const sr_store_article *a, void *ctx)
{
    snprintf(ctx, 64, "%s", a->title);
    return 0;
}

Test(store_articles, same_url_or_same_content_returns_the_stored_article_unchanged)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    sr_store_article a = {.url = "https://wire.example/iraq", .url_norm = "wire.example/iraq",
                          .title = "Iraq army attacks", .text = "The Iraqi army went on the attack.",
                          .content_hash = "abc", .fetched = 1700000000};
    int64_t id1 = 0, id2 = 0, id3 = 0;
    bool ins = false;
    cr_assert_eq(sr_store_article_add(s, &a, &id1, &ins), SR_OK);
    cr_assert(ins);
    sr_store_article again = a;
    again.title = "Changed title";
    cr_assert_eq(sr_store_article_add(s, &again, &id2, &ins), SR_OK);
    cr_assert_not(ins);
    cr_assert_eq(id2, id1);
    sr_store_article copy = a;
    copy.url = "https://reprint.example/story";
    cr_assert_eq(sr_store_article_add(s, &copy, &id3, &ins), SR_OK);
    cr_assert_not(ins);
    cr_assert_eq(id3, id1);
    int64_t found = 0;
    cr_assert_eq(sr_store_article_find(s, "wire.example/iraq", &found), SR_OK);
    cr_assert_eq(found, id1);
    cr_assert_eq(sr_store_article_find(s, "https://nowhere.example/", &found), SR_ENOTFOUND);
    char title[64] = "";
    cr_assert_eq(sr_store_article_get(s, id1, copy_title, title), SR_OK);
    cr_assert_str_eq(title, "Iraq army attacks");
    sr_store_article bad = {.url = "https://x.example/"};
    cr_assert_eq(sr_store_article_add(s, &bad, NULL, NULL), SR_EINVAL);
    sr_store_close(s);
    remove_store(path);
}

static int copy_snippet(const sr_store_article *a, void *ctx)
{
    snprintf(ctx, 128, "%s", a->snippet ? a->snippet : "");
    return 0;
}

static int collect_ids(const sr_store_article *a, void *ctx)
{
    int64_t *ids = ctx;
    ids[++ids[0]] = a->id;
    return 0;
}

Test(store_articles, full_text_search_finds_words_ignoring_case_and_accents)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t a = add_article(s, 1, "Clashes in Fallujah", "Militants took parts of Ramadi.", 0);
    int64_t b = add_article(s, 2, "Protest in São Paulo", "Thousands marched against fares.", 0);
    add_article(s, 3, "Weather", "Sunny spells.", 0);
    int64_t ids[8] = {0};
    cr_assert_eq(sr_store_articles_search(s, "RAMADI militants", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], a);
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_articles_search(s, "sao paulo", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], b);
    char snippet[128] = "";
    cr_assert_eq(sr_store_articles_search(s, "marched", 1, 0, copy_snippet, snippet), SR_OK);
    cr_assert(strstr(snippet, "marched against fares"), "%s", snippet);
    /* Query syntax typed by a user is taken as words, never an error. */
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_articles_search(s, "\"Fallujah\" AND (NEAR* -", 10, 0, collect_ids, ids), SR_OK,
                 "%s", sr_store_errmsg(s));
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_articles_search(s, "fallujah", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    sr_store_close(s);

    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "DELETE FROM articles WHERE id = 1;"
                                  "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check');",
                              NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
    s = open_store(path);
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_articles_search(s, "ramadi", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 0, "a deleted article is no longer found");
    sr_store_close(s);
    remove_store(path);
}

static int fts_integrity_ok(const char *path)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

Test(store_articles, articles_of_a_batch_are_searchable_before_and_after_commit_and_gone_after_rollback)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t ids[8] = {0};
    /* inside a batch: found before the commit, by a search and by an event filter */
    cr_assert_eq(sr_store_begin(s), SR_OK);
    int64_t a = add_article(s, 1, "Clashes in Fallujah", "Militants took parts of Ramadi.", 0);
    add_article(s, 2, "Weather", "Sunny spells over Basra.", 0);
    cr_assert_eq(sr_store_articles_search(s, "ramadi", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 1, "an article of the open batch is searchable");
    cr_assert_eq(ids[1], a);
    int64_t c = add_article(s, 3, "Floods", "Rivers burst their banks near Ramadi.", 0);
    cr_assert_eq(sr_store_commit(s), SR_OK, "%s", sr_store_errmsg(s));
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_articles_search(s, "ramadi", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 2, "each article is indexed once, the later one too");
    cr_assert((ids[1] == a && ids[2] == c) || (ids[1] == c && ids[2] == a));
    /* rolled back: neither the article nor its words stay */
    cr_assert_eq(sr_store_begin(s), SR_OK);
    add_article(s, 4, "Lost", "Words of a batch that never was: zanzibar.", 0);
    cr_assert_eq(sr_store_rollback(s), SR_OK);
    add_article(s, 5, "Kept", "Outside any batch: timbuktu.", 0);
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_articles_search(s, "zanzibar", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 0);
    cr_assert_eq(sr_store_articles_search(s, "timbuktu", 10, 0, collect_ids, ids), SR_OK);
    cr_assert_eq(ids[0], 1, "an article written outside a batch is indexed at its own commit");
    sr_store_close(s);
    cr_assert(fts_integrity_ok(path), "the full-text index matches the articles");
    remove_store(path);
}

static int collect_stories(const sr_store_story *st, void *ctx)
{
    sr_store_story *out = ctx;
    int n = (int)out[0].id;
    out[n + 1] = *st;
    out[n + 1].title = NULL;
    out[0].id = n + 1;
    return 0;
}

Test(store_stories, counts_articles_and_pages_newest_first)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t story[5];
    for (int i = 0; i < 5; i++)
        cr_assert_eq(sr_store_story_add(s, "story", 1700000000 + i * 100, &story[i]), SR_OK);
    int64_t a1 = add_article(s, 1, "t", "x", 1700001000);
    int64_t a2 = add_article(s, 2, "t", "y", 1700002000);
    cr_assert_eq(sr_store_story_attach(s, story[0], a1), SR_OK);
    cr_assert_eq(sr_store_story_attach(s, story[0], a2), SR_OK);
    cr_assert_eq(sr_store_story_attach(s, story[0], a2), SR_OK);  /* again: no change */
    cr_assert_eq(sr_store_story_attach(s, story[1], a2), SR_OK);  /* moves */
    bool changed = false;
    cr_assert_eq(sr_store_story_set_breaking(s, story[0], &changed), SR_OK);
    cr_assert(changed);
    cr_assert_eq(sr_store_story_set_breaking(s, story[0], &changed), SR_OK);
    cr_assert_not(changed, "breaking is flagged once");

    sr_store_article wire = {.url = "https://other.example/x", .site_name = "Other", .content_hash = "o",
                             .fetched = 1700000500};
    int64_t a3 = 0;
    cr_assert_eq(sr_store_article_add(s, &wire, &a3, NULL), SR_OK);
    cr_assert_eq(sr_store_story_attach(s, story[0], a3), SR_OK);

    sr_store_story got[8] = {{0}};
    cr_assert_eq(sr_store_stories(s, 0, NULL, 3, collect_stories, got), SR_OK);
    cr_assert_eq(got[0].id, 3);
    cr_assert_eq(got[1].id, story[1]);      /* last seen 1700002000 */
    cr_assert_eq(got[1].num_articles, 1);
    cr_assert_eq(got[2].id, story[0]);
    cr_assert_eq(got[2].num_articles, 2);
    cr_assert_eq(got[2].num_outlets, 2, "two different sites report it");
    cr_assert(got[2].breaking);
    sr_store_story after = got[3];
    memset(got, 0, sizeof got);
    cr_assert_eq(sr_store_stories(s, 0, &after, 3, collect_stories, got), SR_OK);
    cr_assert_eq(got[0].id, 2);
    cr_assert_eq(got[1].id, story[3]);
    cr_assert_eq(got[2].id, story[2]);
    sr_store_close(s);
    remove_store(path);
}

static int collect_places(const sr_store_place *p, void *ctx)
{
    int64_t *ids = ctx;
    ids[++ids[0]] = p->geonameid;
    return 0;
}

Test(store_places, completes_names_by_prefix_ignoring_case_and_accents_most_populous_first)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    sr_store_place places[] = {
        {3448439, "São Paulo", "city", "BR", "27", -23.55, -46.63, 10021295},
        {3449319, "São Carlos", "city", "BR", "27", -22.0, -47.9, 221950},
        {98182, "Baghdad", "city", "IQ", "07", 33.34, 44.40, 5672513},
        {4407066, "Saint Louis", "city", "US", "MO", 38.6, -90.2, 315685},
    };
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(sr_store_place_put(s, &places[i]), SR_OK);
    int64_t ids[8] = {0};
    cr_assert_eq(sr_store_places_complete(s, "SAO", 10, collect_places, ids), SR_OK);
    cr_assert_eq(ids[0], 2);
    cr_assert_eq(ids[1], 3448439);
    cr_assert_eq(ids[2], 3449319);
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_places_complete(s, "sa", 1, collect_places, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], 3448439);
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_places_complete(s, "bagh", 10, collect_places, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], 98182);
    sr_store_close(s);
    remove_store(path);
}

static int collect_sources(const sr_store_source *src, void *ctx)
{
    int64_t *ids = ctx;
    ids[++ids[0]] = src->id;
    return 0;
}

Test(store_sources, keep_one_row_per_url_and_their_polling_state)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    sr_store_source a = {.url = "https://feeds.example/world.rss", .name = "World"};
    sr_store_source b = {.url = "https://feeds.example/africa.rss"};
    int64_t ida = 0, idb = 0, again = 0;
    cr_assert_eq(sr_store_source_add(s, &a, &ida), SR_OK);
    cr_assert_eq(sr_store_source_add(s, &b, &idb), SR_OK);
    cr_assert_eq(sr_store_source_add(s, &a, &again), SR_OK);
    cr_assert_eq(again, ida);
    sr_store_source poll = {.id = ida, .etag = "\"v1\"", .next_poll = 2000, .interval = 600, .last_polled = 1400};
    cr_assert_eq(sr_store_source_update_poll(s, &poll), SR_OK);
    int64_t ids[8] = {0};
    cr_assert_eq(sr_store_sources(s, 1500, collect_sources, ids), SR_OK);
    cr_assert_eq(ids[0], 1, "only the source not polled yet is due");
    cr_assert_eq(ids[1], idb);
    cr_assert_eq(sr_store_source_remove(s, b.url), SR_OK);
    cr_assert_eq(sr_store_source_remove(s, b.url), SR_ENOTFOUND);
    memset(ids, 0, sizeof ids);
    cr_assert_eq(sr_store_sources(s, 0, collect_sources, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(ids[1], ida);
    sr_store_close(s);
    remove_store(path);
}

static int collect_deliveries(const sr_store_delivery *d, void *ctx)
{
    int64_t *ids = ctx;
    ids[++ids[0]] = d->id;
    return 0;
}

Test(store_outbox, queues_each_event_once_per_subscription_and_survives_reopening)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t art = add_article(s, 1, "t", "x", 0);
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = art;
    int64_t ev = 0, sub = 0;
    cr_assert_eq(sr_store_event_add(s, &e, &ev), SR_OK);
    sr_store_subscription sb = {.channel = "webpush", .endpoint = "https://push.example/abc",
                                .keys = "{\"p256dh\":\"x\",\"auth\":\"y\"}", .filter = "{\"country\":\"IQ\"}"};
    cr_assert_eq(sr_store_subscription_add(s, &sb, &sub), SR_OK);
    bool queued = false;
    cr_assert_eq(sr_store_delivery_enqueue(s, sub, ev, &queued), SR_OK);
    cr_assert(queued);
    sr_store_close(s);

    s = open_store(path);
    cr_assert_eq(sr_store_delivery_enqueue(s, sub, ev, &queued), SR_OK);
    cr_assert_not(queued, "queued again after a restart: still one delivery");
    int64_t ids[8] = {0};
    cr_assert_eq(sr_store_deliveries_due(s, 100, 10, collect_deliveries, ids), SR_OK);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(sr_store_delivery_update(s, ids[1], SR_OUTBOX_PENDING, 500, "HTTP 503"), SR_OK);
    int64_t later[8] = {0};
    cr_assert_eq(sr_store_deliveries_due(s, 100, 10, collect_deliveries, later), SR_OK);
    cr_assert_eq(later[0], 0, "a retry waits for its time");
    cr_assert_eq(sr_store_deliveries_due(s, 500, 10, collect_deliveries, later), SR_OK);
    cr_assert_eq(later[0], 1);
    cr_assert_eq(sr_store_delivery_update(s, ids[1], SR_OUTBOX_SENT, 0, NULL), SR_OK);
    memset(later, 0, sizeof later);
    cr_assert_eq(sr_store_deliveries_due(s, 1000, 10, collect_deliveries, later), SR_OK);
    cr_assert_eq(later[0], 0, "a sent delivery is not sent again");
    cr_assert_eq(sr_store_subscription_remove(s, sub), SR_OK);
    cr_assert_eq(sr_store_subscription_remove(s, sub), SR_ENOTFOUND);
    sr_store_close(s);
    remove_store(path);
}

Test(store_batch, a_failed_write_fails_the_whole_batch_so_nothing_half_done_is_committed)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    cr_assert_eq(sr_store_begin(s), SR_OK);
    add_article(s, 1, "first", "kept only if the batch commits", 0);
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = 424242;  /* no such article */
    cr_assert_eq(sr_store_event_add(s, &e, NULL), SR_EDB);
    cr_assert_eq(sr_store_commit(s), SR_EDB);
    cr_assert(strstr(sr_store_errmsg(s), "rolled back"), "%s", sr_store_errmsg(s));
    int64_t id;
    cr_assert_eq(sr_store_article_find(s, "https://news.example/a/1", &id), SR_ENOTFOUND);
    /* The handle is usable again. */
    cr_assert_eq(sr_store_begin(s), SR_OK);
    add_article(s, 2, "second", "kept", 0);
    cr_assert_eq(sr_store_commit(s), SR_OK);
    cr_assert_eq(sr_store_article_find(s, "https://news.example/a/2", &id), SR_OK);
    cr_assert_eq(sr_store_commit(s), SR_EINVAL, "no batch is open");
    sr_store_close(s);
    remove_store(path);
}

Test(store_batch, a_read_only_handle_refuses_writes)
{
    char *path = tmp_store_path();
    sr_store_close(open_store(path));
    sr_store *s = NULL;
    char err[256];
    cr_assert_eq(sr_store_open(path, SR_STORE_READONLY, &s, err, sizeof err), SR_OK, "%s", err);
    sr_store_article a = {.url = "https://x.example/", .content_hash = "x"};
    cr_assert_neq(sr_store_article_add(s, &a, NULL, NULL), SR_OK);
    sr_store_close(s);
    remove_store(path);
}

static int count_articles(const sr_store_article *a, void *ctx)
{
    ++*(int *)ctx;
    return 0;
}

/* A writer killed with SIGKILL inside a batch: what it committed before is
 * there, nothing of the open batch is, and the file is sound. */
Test(store_crash, a_kill_mid_batch_loses_nothing_committed_and_leaves_nothing_half_written)
{
    char *path = tmp_store_path();
    sr_store_close(open_store(path));
    int ready[2];
    cr_assert_eq(pipe(ready), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        sr_store *s = NULL;
        if (sr_store_open(path, 0, &s, NULL, 0))
            _exit(3);
        sr_store_begin(s);
        for (int i = 0; i < 100; i++)
            add_article(s, i, "committed", "kept text", 0);
        sr_store_commit(s);
        sr_store_begin(s);
        for (int i = 100; i < 5000; i++) {
            int64_t id = add_article(s, i, "uncommitted", "lost text", 0);
            sr_store_event e;
            sr_store_event_init(&e);
            e.article_id = id;
            e.lat = 33, e.lon = 44;
            sr_store_event_add(s, &e, NULL);
            if (i == 4000 && write(ready[1], "k", 1) != 1)
                _exit(4);
        }
        for (;;)
            pause();
    }
    char c;
    cr_assert_eq(read(ready[0], &c, 1), 1);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFSIGNALED(status));

    sr_store *s = open_store(path);
    int found = 0;
    cr_assert_eq(sr_store_articles_search(s, "kept", 0, 0, count_articles, &found), SR_OK);
    cr_assert_eq(found, 100, "every committed article is found by its words");
    found = 0;
    cr_assert_eq(sr_store_articles_search(s, "lost", 0, 0, count_articles, &found), SR_OK);
    cr_assert_eq(found, 0);
    sr_store_close(s);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM articles),"
                                        " (SELECT count(*) FROM articles WHERE title = 'uncommitted'),"
                                        " (SELECT count(*) FROM events), (SELECT count(*) FROM events_geo),"
                                        " (SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'kept')",
                                    -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(st, 0), 100);
    cr_assert_eq(sqlite3_column_int(st, 1), 0);
    cr_assert_eq(sqlite3_column_int(st, 2), 0);
    cr_assert_eq(sqlite3_column_int(st, 3), 0);
    cr_assert_eq(sqlite3_column_int(st, 4), 100);
    sqlite3_finalize(st);
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    cr_assert_eq(sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')",
                              NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    remove_store(path);
}

/* A long ingest commits batch after batch into the WAL; the log must be
 * copied back into the database as it goes and start again, so that it
 * stays a fraction of what was written (a checkpoint thread tried once let
 * it grow past the database itself: its checkpoints never caught up with
 * the writer, so the log never restarted), and the closed store holds every
 * article. */
Test(store_checkpoints, the_log_stays_small_through_a_long_run)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    char *text = malloc(100001);
    int n = 0;
    for (int batch = 0; batch < 40; batch++) {
        cr_assert_eq(sr_store_begin(s), SR_OK);
        for (int k = 0; k < 10; k++, n++) {
            for (int i = 0; i < 100000; i++)   /* text that does not compress into few pages */
                text[i] = (char)('a' + (unsigned)(i * 7 + n * 13 + (i >> 5) * n) % 26);
            text[100000] = 0;
            add_article(s, n, "A long report", text, 1700000000);
        }
        cr_assert_eq(sr_store_commit(s), SR_OK);
        usleep(20000);   /* a batch's analysis takes longer than that */
    }
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat st;
    cr_assert_eq(stat(wal, &st), 0);
    cr_assert_lt(st.st_size, 20 << 20, "the log grew to %lld bytes", (long long)st.st_size);
    sr_store_close(s);
    sqlite3 *db;
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM articles", -1, &q, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(q, 0), n);
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(text);
    remove_store(path);
}
