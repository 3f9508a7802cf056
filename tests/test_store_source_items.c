/* The poller's record of handled feed items: marked per source, refreshed
 * when seen again, forgotten when old, gone with their source, and added
 * to a store made before it existed. */
#include <sqlite3.h>
#include "store_testutil.h"
#include "store/sqlite_int.h"

static int64_t add_source(sr_store *s, const char *url)
{
    sr_store_source src = {.url = url};
    int64_t id = 0;
    cr_assert_eq(sr_store_source_add(s, &src, &id), SR_OK, "%s", sr_store_errmsg(s));
    return id;
}

Test(store_source_items, are_known_per_source_once_marked)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t world = add_source(s, "https://feeds.example/world.rss");
    int64_t africa = add_source(s, "https://feeds.example/africa.rss");
    const char *item = "https://news.example/2026/11/goma";
    cr_assert_eq(sr_store_source_item_find(s, world, item), SR_ENOTFOUND);
    cr_assert_eq(sr_store_source_item_mark(s, world, item, 1000), SR_OK, "%s", sr_store_errmsg(s));
    cr_assert_eq(sr_store_source_item_mark(s, world, item, 2000), SR_OK, "marking again is fine");
    cr_assert_eq(sr_store_source_item_find(s, world, item), SR_OK);
    cr_assert_eq(sr_store_source_item_find(s, africa, item), SR_ENOTFOUND, "another feed has not handled it");
    cr_assert_eq(sr_store_source_item_mark(s, world, "", 1000), SR_EINVAL);
    sr_store_close(s);
    s = open_store(path);
    cr_assert_eq(sr_store_source_item_find(s, world, item), SR_OK, "kept across a restart");
    sr_store_close(s);
    remove_store(path);
}

Test(store_source_items, old_ones_are_forgotten_and_seeing_one_again_keeps_it)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    int64_t id = add_source(s, "https://feeds.example/world.rss");
    cr_assert_eq(sr_store_source_item_mark(s, id, "old", 1000), SR_OK);
    cr_assert_eq(sr_store_source_item_mark(s, id, "still-listed", 1000), SR_OK);
    cr_assert_eq(sr_store_source_item_mark(s, id, "still-listed", 5000), SR_OK);
    cr_assert_eq(sr_store_source_items_prune(s, id, 3000), SR_OK);
    cr_assert_eq(sr_store_source_item_find(s, id, "old"), SR_ENOTFOUND);
    cr_assert_eq(sr_store_source_item_find(s, id, "still-listed"), SR_OK);
    sr_store_close(s);
    remove_store(path);
}

Test(store_source_items, go_with_their_source_and_follow_a_batch)
{
    char *path = tmp_store_path();
    sr_store *s = open_store(path);
    const char *url = "https://feeds.example/world.rss";
    int64_t id = add_source(s, url);
    cr_assert_eq(sr_store_begin(s), SR_OK);
    cr_assert_eq(sr_store_source_item_mark(s, id, "a", 1000), SR_OK);
    cr_assert_eq(sr_store_rollback(s), SR_OK);
    cr_assert_eq(sr_store_source_item_find(s, id, "a"), SR_ENOTFOUND, "a rolled-back mark is not kept");
    cr_assert_eq(sr_store_source_item_mark(s, id, "a", 1000), SR_OK);
    cr_assert_eq(sr_store_source_remove(s, url), SR_OK);
    int64_t again = add_source(s, url);
    cr_assert_eq(sr_store_source_item_find(s, again, "a"), SR_ENOTFOUND, "a removed source's items went with it");
    sr_store_close(s);
    remove_store(path);
}

Test(store_source_items, are_added_to_a_store_of_the_previous_version)
{
    char *path = tmp_store_path();
    sqlite3 *db;
    char err[256] = "";
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sr_sqlite_migrate(db, 3, err, sizeof err), SR_OK, "%s", err);
    cr_assert_eq(sqlite3_exec(db, "INSERT INTO sources(url, added) VALUES ('https://feeds.example/x.rss', 1)",
                              NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sr_store *s = open_store(path);
    cr_assert_eq(sr_store_schema_version(s), SR_SQLITE_SCHEMA_VERSION);
    cr_assert_eq(sr_store_source_item_mark(s, 1, "item", 1000), SR_OK, "%s", sr_store_errmsg(s));
    cr_assert_eq(sr_store_source_item_find(s, 1, "item"), SR_OK);
    sr_store_close(s);
    remove_store(path);
}
