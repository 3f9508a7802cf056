/* What the store's tests share: a fresh store in a temporary directory and
 * small record builders. */
#ifndef SR_STORE_TESTUTIL_H
#define SR_STORE_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sitrep/store.h"

static inline char *tmp_store_path(void)
{
    char dir[] = "/tmp/sitrep-store-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/test.db", dir);
    return path;
}

static inline void remove_store(char *path)
{
    char buf[600];
    snprintf(buf, sizeof buf, "rm -rf '%.*s'", (int)(strrchr(path, '/') - path), path);
    cr_assert_eq(system(buf), 0);
    free(path);
}

static inline sr_store *open_store(const char *path)
{
    sr_store *s = NULL;
    char err[512];
    sr_err rc = sr_store_open(path, 0, &s, err, sizeof err);
    cr_assert_eq(rc, SR_OK, "open %s: %s", path, err);
    return s;
}

/* An article whose URL and content hash derive from n. */
static inline int64_t add_article(sr_store *s, int n, const char *title, const char *text, int64_t fetched)
{
    char url[64], hash[32];
    snprintf(url, sizeof url, "https://news.example/a/%d", n);
    snprintf(hash, sizeof hash, "h%d", n);
    sr_store_article a = {.url = url, .title = title, .text = text, .content_hash = hash,
                          .fetched = fetched ? fetched : 1700000000};
    int64_t id = 0;
    bool inserted = false;
    cr_assert_eq(sr_store_article_add(s, &a, &id, &inserted), SR_OK, "%s", sr_store_errmsg(s));
    return id;
}

/* An event with both tolls told and, between them, every detail set:
 * "about", "at least", who, a period's figure, a past battle's. */
static inline sr_store_event toll_event(int64_t article)
{
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = article;
    e.date = 1700000000;
    e.cameo = "190";
    e.sentence = "About 30 soldiers were killed and at least 12 civilians wounded in 2013.";
    e.fatalities.value = 30;
    e.fatalities.approximate = true;
    e.fatalities.who = "soldiers";
    e.fatalities.aggregate = true;
    e.injuries.value = 12;
    e.injuries.at_least = true;
    e.injuries.who = "civilians";
    e.injuries.historical = true;
    return e;
}

#endif
