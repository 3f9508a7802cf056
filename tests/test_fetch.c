/* One URL at a time (sr_fetch) against the project's fixture server on
 * loopback: what a user of `sitrep ingest URL` or `sitrep extract URL` sees. */
#include "fetch_support.h"

static sr_fetcher *f;

static void setup(void)
{
    start_server();
    sr_fetch_options o = {.timeout = 5, .max_bytes = 1 << 20, .allow_private = true, .host_delay = -1};
    f = sr_fetcher_new(&o);
    cr_assert_not_null(f);
}

static void teardown(void)
{
    sr_fetcher_free(f);
    stop_server();
}

TestSuite(fetch, .init = setup, .fini = teardown, .timeout = 30);

Test(fetch, page_with_content_type_and_final_url)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(r.body, PAGE);
    cr_expect_eq(r.len, strlen(PAGE));
    cr_expect_str_eq(r.content_type, "text/html; charset=utf-8");
    cr_expect_str_eq(r.url, url("/page.html"));
    cr_expect_not(r.not_modified);
    sr_response_free(&r);
}

Test(fetch, honest_user_agent)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/headers"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect(strstr(r.body, "\"User-Agent\": \"sitrep/" SR_VERSION " (+https://github.com/sitrep/sitrep)\""),
              "%s", r.body);
    sr_response_free(&r);
}

Test(fetch, follows_redirects_up_to_the_limit)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/redirect/5/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect_str_eq(r.body, PAGE);
    cr_expect_str_eq(r.url, url("/redirect/0/page.html"));
    sr_response_free(&r);
    cr_expect_eq(sr_fetch(f, url("/redirect/6/page.html"), &r), SR_ENET);
    cr_expect_str_eq(sr_fetcher_message(f), "more than 5 redirects");
    struct hit h[8];
    cr_expect_eq(hits_for("/redirect/0/page.html", h, 8), 1, "the sixth hop should not be asked");
}

Test(fetch, no_redirects_when_told_so)
{
    sr_fetch_options o = {.max_redirects = -1, .allow_private = true};
    sr_fetcher *g = sr_fetcher_new(&o);
    sr_response r;
    cr_expect_eq(sr_fetch(g, url("/redirect/1/page.html"), &r), SR_ENET);
    cr_expect(strstr(sr_fetcher_message(g), "302"), "%s", sr_fetcher_message(g));
    sr_fetcher_free(g);
}

Test(fetch, gzip_body_arrives_decoded)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/gzip/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect_str_eq(r.body, PAGE);
    sr_response_free(&r);
    struct hit h[1];
    cr_assert_eq(hits_for("/gzip/page.html", h, 1), 1);
    cr_expect(strstr(h[0].accept_encoding, "gzip"), "Accept-Encoding: %s", h[0].accept_encoding);
    cr_expect(strstr(h[0].accept_encoding, "br"), "brotli should be offered: %s", h[0].accept_encoding);
}

Test(fetch, etag_and_last_modified_are_captured)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/etag/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_assert_not_null(r.etag);
    cr_expect_eq(r.etag[0], '"', "%s", r.etag);
    cr_assert_not_null(r.last_modified);
    cr_expect(strstr(r.last_modified, " GMT"), "%s", r.last_modified);
    sr_response_free(&r);
    cr_assert_eq(sr_fetch(f, url("/page.html"), &r), SR_OK);
    cr_expect_null(r.etag, "a response without an ETag has none");
    sr_response_free(&r);
}

Test(fetch, body_over_the_cap_stops_the_transfer)
{
    sr_response r;
    /* declared by Content-Length, and streamed without one */
    cr_expect_eq(sr_fetch(f, url("/big/2000000"), &r), SR_ETOOBIG);
    cr_expect_str_eq(sr_fetcher_message(f), "body over 1048576 bytes");
    cr_expect_eq(sr_fetch(f, url("/stream/2000000"), &r), SR_ETOOBIG);
    cr_expect_str_eq(sr_fetcher_message(f), "body over 1048576 bytes");
    cr_expect_eq(sr_fetch(f, url("/big/1000000"), &r), SR_OK, "under the cap: %s", sr_fetcher_message(f));
    cr_expect_eq(r.len, 1000000);
    sr_response_free(&r);
}

Test(fetch, http_error_status_is_an_error)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, url("/status/404"), &r), SR_ENET);
    cr_expect_str_eq(sr_fetcher_message(f), "HTTP status 404");
    cr_expect_eq(r.status, 404);
    cr_expect_null(r.body);
    cr_expect_eq(sr_fetch(f, url("/missing.html"), &r), SR_ENET);
}

Test(fetch, only_http_and_https)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, "file:///etc/passwd", &r), SR_EINVAL);
    cr_expect_str_eq(sr_fetcher_message(f), "not an http(s) URL");
    cr_expect_eq(sr_fetch(f, "ftp://127.0.0.1/", &r), SR_EINVAL);
    cr_expect_eq(sr_fetch(f, "http://", &r), SR_EINVAL);
}

Test(fetch, unresolvable_host_is_a_network_error)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, "http://no-such-host.invalid/", &r), SR_ENET);
    cr_expect(strstr(sr_fetcher_message(f), "resolve"), "%s", sr_fetcher_message(f));
}

/* ---- The private-address guard. ------------------------------------------- */

Test(fetch, private_address_refused_by_default)
{
    sr_fetcher *g = sr_fetcher_new(NULL);
    sr_response r;
    cr_expect_eq(sr_fetch(g, url("/page.html"), &r), SR_EDENIED);
    cr_expect_str_eq(sr_fetcher_message(g), "refused: 127.0.0.1 is a private address");
    /* a name that resolves to loopback is judged by its address */
    cr_expect_eq(sr_fetch(g, url_on("localhost", "/page.html"), &r), SR_EDENIED);
    const char *m = sr_fetcher_message(g);
    cr_expect(strncmp(m, "refused: ", 9) == 0 && strstr(m, " is a private address"), "%s", m);
    sr_fetcher_free(g);
    struct hit h[4];
    cr_expect_eq(read_log(h, 4), 0, "a refused request must not reach the server");
}

Test(fetch, private_address_allowed_when_asked)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url_on("localhost", "/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect_str_eq(r.body, PAGE);
    sr_response_free(&r);
}

Test(fetch, connections_are_reused)
{
    sr_response r;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(sr_fetch(f, url("/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
        sr_response_free(&r);
    }
    struct hit h[3];
    cr_assert_eq(hits_for("/page.html", h, 3), 3);
    cr_expect_neq(h[0].client_port, 0);
    cr_expect_eq(h[1].client_port, h[0].client_port, "a new connection for the second request");
    cr_expect_eq(h[2].client_port, h[0].client_port, "a new connection for the third request");
}

/* ---- Retry-After values (RFC 9110 §10.2.3). --------------------------------- */

#include "fetch/fetch_int.h"

Test(retry_after, seconds_and_http_dates)
{
    cr_expect_eq(sr_retry_after_seconds("120"), 120);
    cr_expect_eq(sr_retry_after_seconds(" 5 "), 5);
    cr_expect_eq(sr_retry_after_seconds("0"), 0);
    cr_expect_eq(sr_retry_after_seconds("5 minutes"), -1);
    cr_expect_eq(sr_retry_after_seconds("soon"), -1);
    cr_expect_eq(sr_retry_after_seconds(""), -1);
    cr_expect_eq(sr_retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT"), 0, "a date in the past: now");
    char date[64];
    time_t later = time(NULL) + 90;
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&later));
    double s = sr_retry_after_seconds(date);
    cr_expect(s > 85 && s <= 90, "%s is %.0f s away", date, s);
}
