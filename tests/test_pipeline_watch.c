/* The feeds file of `sitrep watch --feeds`: what counts as a feed, what is
 * a comment, and what is reported. (Polling itself is checked end to end
 * against the fixture server by tests/e2e/watch.sh.) */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sitrep/watch.h"
#include "store_testutil.h"

struct lines {
    char text[8][600];
    int n;
};

static void collect(const char *line, void *ctx)
{
    struct lines *l = ctx;
    if (l->n < 8)
        snprintf(l->text[l->n++], sizeof l->text[0], "%s", line);
}

static int collect_url(const sr_store_source *src, void *ctx)
{
    struct lines *l = ctx;
    if (l->n < 8)
        snprintf(l->text[l->n++], sizeof l->text[0], "%s", src->url);
    return 0;
}

static char *write_file(const char *dir, const char *text)
{
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/feeds.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

Test(watch_feeds_file, adds_urls_skips_comments_and_reports_bad_lines)
{
    char *db = tmp_store_path();
    *strrchr(db, '/') = 0;
    char *feeds = write_file(db, "# world news\n"
                                 "https://feeds.example/world.rss\n"
                                 "\n"
                                 "   https://feeds.example/africa.xml   # indented, with a comment\r\n"
                                 "https://feeds.example/asia.xml#latest\n"
                                 "feeds.example/no-scheme.rss\n"
                                 "https://feeds.example/world.rss\n"
                                 "https://feeds.example/two urls.rss\n"
                                 "http://feeds.example/last-line-without-newline.rss");
    strcat(db, "/test.db");
    sr_store *s = open_store(db);
    struct lines reported = {0}, sources = {0};
    size_t added = 0;
    char err[512] = "";
    cr_assert_eq(sr_watch_add_feeds(s, feeds, &added, collect, &reported, err, sizeof err), SR_EPARSE,
                 "bad lines make the whole file count as partly failed");
    cr_assert_eq(added, 5, "every URL line counts, the repeated one too");
    cr_assert_eq(reported.n, 2);
    cr_assert(strstr(reported.text[0], "feeds.txt:6: not an http(s) URL: 'feeds.example/no-scheme.rss'"),
              "%s", reported.text[0]);
    cr_assert(strstr(reported.text[1], "feeds.txt:8:"), "%s", reported.text[1]);
    cr_assert(strstr(err, "2 lines skipped"), "%s", err);
    cr_assert_eq(sr_store_sources(s, 0, collect_url, &sources), SR_OK);
    cr_assert_eq(sources.n, 4, "a URL listed twice is one source");
    cr_assert_str_eq(sources.text[0], "https://feeds.example/world.rss");
    cr_assert_str_eq(sources.text[1], "https://feeds.example/africa.xml");
    cr_assert_str_eq(sources.text[2], "https://feeds.example/asia.xml#latest", "a fragment is not a comment");
    cr_assert_str_eq(sources.text[3], "http://feeds.example/last-line-without-newline.rss");
    sr_store_close(s);
    remove_store(db);
    free(feeds);
}

Test(watch_feeds_file, a_missing_file_is_one_line_naming_it)
{
    char *db = tmp_store_path();
    sr_store *s = open_store(db);
    char err[512] = "";
    sr_err e = sr_watch_add_feeds(s, "/nonexistent/feeds.txt", NULL, NULL, NULL, err, sizeof err);
    cr_assert_neq(e, SR_OK);
    cr_assert(strstr(err, "/nonexistent/feeds.txt: ") && !strchr(err, '\n'), "%s", err);
    sr_store_close(s);
    remove_store(db);
}

Test(watch_options, are_checked)
{
    sr_watch *w = (sr_watch *)1;
    sr_watch_options o = {0};
    cr_assert_eq(sr_watch_new(&o, &w), SR_EINVAL, "a watcher needs a pipeline and a store");
    cr_assert_null(w);
}
