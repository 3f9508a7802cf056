/* URL keys: the many addresses of one article compare equal, different
 * articles do not. */
#include <criterion/criterion.h>
#include <string.h>
#include "sitrep/ingest.h"

static sr_arena *arena;
static void setup(void) { arena = sr_arena_new(0); }
static void teardown(void) { sr_arena_free(arena); }
TestSuite(url, .init = setup, .fini = teardown);

static const char *key(const char *url)
{
    char *out;
    sr_err e = sr_url_normalize(url, arena, &out);
    cr_assert_eq(e, SR_OK, "%s", url);
    return out;
}

static void same(const char *a, const char *b)
{
    const char *ka = key(a), *kb = key(b);
    cr_assert_str_eq(ka, kb, "%s and %s should be one article", a, b);
}

static void different(const char *a, const char *b)
{
    const char *ka = key(a), *kb = key(b);
    cr_assert_str_neq(ka, kb, "%s and %s are different articles", a, b);
}

Test(url, case_ports_fragments_and_scheme)
{
    cr_assert_str_eq(key("HTTP://News.Example.COM:80/World/Story?b=2&a=1#comments"),
                     "https://news.example.com/World/Story?a=1&b=2");
    same("https://news.example.com:443/a", "http://news.example.com/a");
    different("https://news.example.com:8080/a", "https://news.example.com/a");
    different("https://news.example.com/World", "https://news.example.com/world");
}

Test(url, tracking_parameters_are_dropped)
{
    same("https://www.example.com/2014/01/03/anbar?utm_source=twitter&utm_medium=social&utm_campaign=x",
         "https://www.example.com/2014/01/03/anbar");
    same("https://example.com/a?fbclid=IwAR0abc&id=7", "https://example.com/a?id=7");
    same("https://example.com/a?gclid=1&mc_cid=2&mc_eid=3&ocid=4&cmpid=5&at_medium=6&at_campaign=7",
         "https://example.com/a");
    different("https://example.com/article?id=7", "https://example.com/article?id=8");
}

Test(url, amp_and_mobile_variants)
{
    const char *canonical = "https://www.example.com/world/2014/01/03/anbar.html";
    same("https://www.example.com/world/2014/01/03/anbar.amp.html", canonical);
    same("https://amp.example.com/world/2014/01/03/anbar.html", canonical);
    same("https://m.example.com/world/2014/01/03/anbar.html", canonical);
    same("https://mobile.example.com/world/2014/01/03/anbar.html?amp", canonical);
    same("https://www.example.com/amp/world/2014/01/03/anbar.html", canonical);
    same("https://example.com/news/story-123/amp/", "https://example.com/news/story-123");
    same("https://example.com/news/story-123?amp=1", "https://example.com/news/story-123");
    cr_assert_str_eq(key("https://m.com/x"), "https://m.com/x", "a bare two-label host keeps its name");
    different("https://example.com/news/ampersand-story", "https://example.com/news/story");
}

Test(url, index_pages_trailing_slashes_and_escapes)
{
    same("https://example.com/section/index.html", "https://example.com/section/");
    same("https://example.com/section/", "https://example.com/section");
    same("https://example.com", "https://example.com/");
    same("https://example.com/a/./b/../c", "https://example.com/a/c");
    same("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9");
    same("https://example.com/%7Euser", "https://example.com/~user");
}

Test(url, refuses_what_is_not_a_web_url)
{
    char *out;
    cr_assert_eq(sr_url_normalize("mailto:desk@example.com", arena, &out), SR_EINVAL);
    cr_assert_eq(sr_url_normalize("/relative/path", arena, &out), SR_EINVAL);
    cr_assert_eq(sr_url_normalize("https://", arena, &out), SR_EINVAL);
    cr_assert_eq(sr_url_normalize("https://host:port/", arena, &out), SR_EINVAL);
}

Test(url, resolve_relative_references)
{
    char *out;
    cr_assert_eq(sr_url_resolve("https://a.example/news/feed.xml", "../world/1.html", arena, &out), SR_OK);
    cr_assert_str_eq(out, "https://a.example/world/1.html");
    cr_assert_eq(sr_url_resolve("https://a.example/news/feed.xml", "//cdn.example/x.jpg", arena, &out), SR_OK);
    cr_assert_str_eq(out, "https://cdn.example/x.jpg");
    cr_assert_eq(sr_url_resolve(NULL, "  https://b.example/  ", arena, &out), SR_OK);
    cr_assert_str_eq(out, "https://b.example/");
}
