/* Many URLs at once (sr_fetch_many) against the project's fixture server:
 * conditional GET, per-host politeness, Retry-After, timeouts in a batch.
 * The server's request log says what was asked and when. */
#include "fetch_support.h"

struct result {
    sr_err err;
    long status;
    bool not_modified;
    size_t len;
    double retry_after;
    double at;
    int calls;
    char message[256];
    char body[256];
    char etag[256];
    char last_modified[64];
};

static int keep(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message, void *ctx)
{
    struct result *r = req->user;
    (void)ctx;
    cr_assert_not_null(message);
    r->calls++;
    r->err = err;
    r->status = res->status;
    r->not_modified = res->not_modified;
    r->len = res->len;
    r->retry_after = res->retry_after;
    r->at = sr_now();
    snprintf(r->message, sizeof r->message, "%s", message);
    snprintf(r->body, sizeof r->body, "%s", res->body ? res->body : "");
    snprintf(r->etag, sizeof r->etag, "%s", res->etag ? res->etag : "");
    snprintf(r->last_modified, sizeof r->last_modified, "%s", res->last_modified ? res->last_modified : "");
    return 0;
}

static sr_fetcher *fetcher(double host_delay, int per_host)
{
    sr_fetch_options o = {.timeout = 5, .allow_private = true, .host_delay = host_delay,
                          .per_host = per_host};
    sr_fetcher *f = sr_fetcher_new(&o);
    cr_assert_not_null(f);
    return f;
}

static void fetch_all(sr_fetcher *f, sr_fetch_request *reqs, struct result *res, size_t n)
{
    memset(res, 0, n * sizeof *res);
    for (size_t i = 0; i < n; i++)
        reqs[i].user = &res[i];
    cr_assert_eq(sr_fetch_many(f, reqs, n, keep, NULL), SR_OK);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(res[i].calls, 1, "request %zu (%s) reported %d times", i, reqs[i].url, res[i].calls);
}

TestSuite(fetch_many, .init = start_server, .fini = stop_server, .timeout = 30);

Test(fetch_many, not_modified_costs_no_body)
{
    sr_fetcher *f = fetcher(-1, 0);
    const char *u = url("/etag/page.html");
    sr_fetch_request req[1] = {{.url = u}};
    struct result first, again;
    fetch_all(f, req, &first, 1);
    cr_assert_eq(first.err, SR_OK, "%s", first.message);
    cr_assert_str_eq(first.body, PAGE);
    cr_assert_neq(first.etag[0], 0);

    sr_fetch_request cond[1] = {{.url = u, .etag = first.etag, .last_modified = first.last_modified}};
    fetch_all(f, cond, &again, 1);
    cr_expect_eq(again.err, SR_OK, "%s", again.message);
    cr_expect(again.not_modified);
    cr_expect_eq(again.status, 304);
    cr_expect_eq(again.len, 0);
    cr_expect_str_eq(again.body, "");
    struct hit h[4];
    cr_assert_eq(hits_for("/etag/page.html", h, 4), 2);
    cr_expect_str_eq(h[0].if_none_match, "", "the first request was not conditional");
    cr_expect_str_eq(h[1].if_none_match, first.etag);
    cr_expect_str_eq(h[1].if_modified_since, first.last_modified);
    sr_fetcher_free(f);
}

Test(fetch_many, last_modified_alone_is_enough)
{
    sr_fetcher *f = fetcher(-1, 0);
    const char *u = url("/etag/page.html");
    sr_fetch_request req[1] = {{.url = u}};
    struct result first, again;
    fetch_all(f, req, &first, 1);
    cr_assert_neq(first.last_modified[0], 0);
    sr_fetch_request cond[1] = {{.url = u, .last_modified = first.last_modified}};
    fetch_all(f, cond, &again, 1);
    cr_expect(again.not_modified, "%ld %s", again.status, again.message);
    /* a changed page is fetched again in full */
    put_file("page.html", "<html><body><p>Changed.</p></body></html>\n");
    sr_fetch_request stale[1] = {{.url = u, .etag = first.etag}};
    fetch_all(f, stale, &again, 1);
    cr_expect_not(again.not_modified);
    cr_expect(strstr(again.body, "Changed."), "%s", again.body);
    sr_fetcher_free(f);
}

Test(fetch_many, slow_one_times_out_others_succeed)
{
    sr_fetch_options o = {.timeout = 1, .allow_private = true, .host_delay = -1, .per_host = 4};
    sr_fetcher *f = sr_fetcher_new(&o);
    sr_fetch_request reqs[3] = {{.url = url("/slow/4/page.html")}, {.url = url("/page.html")},
                                {.url = url("/gzip/page.html")}};
    struct result res[3];
    double t0 = sr_now();
    fetch_all(f, reqs, res, 3);
    double took = sr_now() - t0;
    cr_expect_eq(res[0].err, SR_ENET);
    cr_expect(strstr(res[0].message, "timed out"), "%s", res[0].message);
    cr_expect_eq(res[1].err, SR_OK, "%s", res[1].message);
    cr_expect_eq(res[2].err, SR_OK, "%s", res[2].message);
    cr_expect_str_eq(res[2].body, PAGE);
    cr_expect_lt(res[1].at - t0, 0.9, "the fast page waited for the slow one");
    cr_expect_lt(took, 3.0, "the batch waited for the slow server: %.2f s", took);
    sr_fetcher_free(f);
}

Test(fetch_many, retry_after_is_waited_for_and_retried_once)
{
    sr_fetcher *f = fetcher(-1, 0);
    sr_fetch_request reqs[3] = {{.url = url("/retry-after/1/page.html")},
                                {.url = url("/unavailable/1/page.html")},
                                {.url = url("/retry-date/1/page.html")}};
    struct result res[3];
    fetch_all(f, reqs, res, 3);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(res[i].err, SR_OK, "%s: %s", reqs[i].url, res[i].message);
        cr_expect_str_eq(res[i].body, PAGE);
    }
    struct hit h[4];
    cr_assert_eq(hits_for("/retry-after/1/page.html", h, 4), 2);
    cr_expect_geq(h[1].t - h[0].t, 1.0, "retried after %.3f s", h[1].t - h[0].t);
    cr_expect_eq(hits_for("/unavailable/1/page.html", h, 4), 2, "a 503 with Retry-After is retried too");
    cr_expect_eq(hits_for("/retry-date/1/page.html", h, 4), 2, "Retry-After as an HTTP-date");
    sr_fetcher_free(f);
}

Test(fetch_many, long_retry_after_is_reported_and_holds_the_host_back)
{
    sr_fetcher *f = fetcher(-1, 1);
    sr_fetch_request reqs[3] = {{.url = url("/retry-after/120/page.html")}, {.url = url("/page.html")},
                                {.url = url_on("localhost", "/page.html")}};
    struct result res[3];
    double t0 = sr_now();
    fetch_all(f, reqs, res, 3);
    cr_expect_lt(sr_now() - t0, 5.0, "nobody should wait two minutes");
    cr_expect_eq(res[0].err, SR_ENET);
    cr_expect_eq(res[0].status, 429);
    cr_expect_eq(res[0].retry_after, 120);
    cr_expect_str_eq(res[0].message, "HTTP status 429 (Retry-After: 120 s)");
    cr_expect_eq(res[1].err, SR_ENET, "the held-back host was asked again");
    cr_expect(strstr(res[1].message, "not asked"), "%s", res[1].message);
    cr_expect_gt(res[1].retry_after, 100);
    cr_expect_eq(res[2].err, SR_OK, "another host is not held back: %s", res[2].message);
    struct hit h[4];
    cr_expect_eq(hits_for("/retry-after/120/page.html", h, 4), 1);
    cr_expect_eq(hits_for("/page.html", h, 4), 1, "only the other host's request");
    /* and later batches keep away too */
    sr_fetch_request later[1] = {{.url = url("/page.html")}};
    fetch_all(f, later, res, 1);
    cr_expect_eq(res[0].err, SR_ENET);
    cr_expect_eq(hits_for("/page.html", h, 4), 1);
    sr_fetcher_free(f);
}

Test(fetch_many, never_retried_when_told_so)
{
    sr_fetch_options o = {.allow_private = true, .host_delay = -1, .max_retry_after = -1};
    sr_fetcher *f = sr_fetcher_new(&o);
    sr_fetch_request reqs[1] = {{.url = url("/retry-after/1/page.html")}};
    struct result res[1];
    fetch_all(f, reqs, res, 1);
    cr_expect_eq(res[0].err, SR_ENET);
    cr_expect_eq(res[0].retry_after, 1);
    sr_fetcher_free(f);
}

Test(fetch_many, host_delay_spaces_requests_to_one_host)
{
    sr_fetcher *f = fetcher(0.5, 2);
    put_file("a.html", PAGE);
    put_file("b.html", PAGE);
    put_file("c.html", PAGE);
    sr_fetch_request reqs[4] = {{.url = url("/a.html")}, {.url = url("/b.html")}, {.url = url("/c.html")},
                                {.url = url_on("localhost", "/page.html")}};
    struct result res[4];
    /* a connection open beforehand, so no arrival below carries its set-up */
    sr_response warm;
    cr_assert_eq(sr_fetch(f, url("/headers"), &warm), SR_OK);
    sr_response_free(&warm);
    fetch_all(f, reqs, res, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(res[i].err, SR_OK, "%s", res[i].message);
    struct hit a[1], b[1], c[1], other[1], first[1];
    cr_assert_eq(hits_for("/headers", first, 1), 1);
    cr_assert_eq(hits_for("/a.html", a, 1), 1);
    cr_assert_eq(hits_for("/b.html", b, 1), 1);
    cr_assert_eq(hits_for("/c.html", c, 1), 1);
    cr_assert_eq(hits_for("/page.html", other, 1), 1);
    cr_expect_geq(a[0].t - first[0].t, 0.4, "%.3f s after the warm-up", a[0].t - first[0].t);
    /* the fetcher starts them 0.5 s apart; the server sees arrivals, which a
     * busy machine may shift by a little */
    cr_expect_geq(b[0].t - a[0].t, 0.4, "%.3f s between two requests", b[0].t - a[0].t);
    cr_expect_geq(c[0].t - b[0].t, 0.4, "%.3f s between two requests", c[0].t - b[0].t);
    cr_expect_geq(c[0].t - a[0].t, 0.9, "%.3f s for two delays", c[0].t - a[0].t);
    cr_expect_lt(other[0].t, b[0].t, "another host waited for this one's delays");
    sr_fetcher_free(f);
}

Test(fetch_many, per_host_limit_caps_concurrency)
{
    sr_fetcher *f = fetcher(-1, 2);
    sr_fetch_request reqs[4] = {{.url = url("/slow/0.6/page.html")}, {.url = url("/slow/0.6/page.html")},
                                {.url = url("/slow/0.6/page.html")}, {.url = url("/slow/0.6/page.html")}};
    struct result res[4];
    double t0 = sr_now();
    fetch_all(f, reqs, res, 4);
    double took = sr_now() - t0;
    for (int i = 0; i < 4; i++)
        cr_expect_eq(res[i].err, SR_OK, "%s", res[i].message);
    cr_expect_geq(took, 1.2, "four 0.6 s answers two at a time took %.2f s", took);
    cr_expect_lt(took, 2.3, "four 0.6 s answers two at a time took %.2f s (one at a time?)", took);
    sr_fetcher_free(f);
}

Test(fetch_many, max_connections_caps_all_hosts)
{
    sr_fetch_options o = {.allow_private = true, .host_delay = -1, .max_connections = 1};
    sr_fetcher *f = sr_fetcher_new(&o);
    sr_fetch_request reqs[2] = {{.url = url("/slow/0.6/page.html")},
                                {.url = url_on("localhost", "/slow/0.6/page.html")}};
    struct result res[2];
    double t0 = sr_now();
    fetch_all(f, reqs, res, 2);
    cr_expect_geq(sr_now() - t0, 1.2);
    sr_fetcher_free(f);
}

Test(fetch_many, every_request_answered_once_in_a_mixed_batch)
{
    sr_fetcher *f = fetcher(-1, 4);
    sr_fetch_request reqs[8] = {
        {.url = url("/page.html")},     {.url = url("/status/500")},  {.url = "gopher://x/"},
        {.url = url("/gzip/page.html")}, {.url = url("/missing")},     {.url = url("/redirect/2/page.html")},
        {.url = url("/big/3000")},      {.url = url_on("localhost", "/page.html")},
    };
    struct result res[8];
    fetch_all(f, reqs, res, 8);
    sr_err want[8] = {SR_OK, SR_ENET, SR_EINVAL, SR_OK, SR_ENET, SR_OK, SR_OK, SR_OK};
    for (int i = 0; i < 8; i++)
        cr_expect_eq(res[i].err, want[i], "%s: %s", reqs[i].url, res[i].message);
    cr_expect_str_eq(res[1].message, "HTTP status 500");
    cr_expect_eq(res[6].len, 3000);
    sr_fetcher_free(f);
}

static int stop_after_first(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message,
                            void *ctx)
{
    (void)req, (void)err, (void)res, (void)message;
    ++*(int *)ctx;
    return 1;
}

Test(fetch_many, callback_can_stop_the_batch)
{
    sr_fetcher *f = fetcher(-1, 4);
    sr_fetch_request reqs[4] = {{.url = url("/page.html")}, {.url = url("/slow/2/page.html")},
                                {.url = url("/slow/2/page.html")}, {.url = url("/slow/2/page.html")}};
    int calls = 0;
    double t0 = sr_now();
    cr_assert_eq(sr_fetch_many(f, reqs, 4, stop_after_first, &calls), SR_OK);
    cr_expect_eq(calls, 1);
    cr_expect_lt(sr_now() - t0, 1.5, "the slow transfers were waited for");
    /* the fetcher is usable after an abandoned batch */
    sr_response r;
    cr_expect_eq(sr_fetch(f, url("/page.html"), &r), SR_OK, "%s", sr_fetcher_message(f));
    sr_response_free(&r);
    sr_fetcher_free(f);
}

static int fetch_inside(const sr_fetch_request *req, sr_err err, sr_response *res, const char *message,
                        void *ctx)
{
    (void)err, (void)res, (void)message;
    sr_response r;
    *(sr_err *)req->user = sr_fetch(ctx, url("/page.html"), &r);
    return 0;
}

Test(fetch_many, not_reentrant_from_its_callback)
{
    sr_fetcher *f = fetcher(-1, 0);
    sr_err inner = SR_OK;
    sr_fetch_request reqs[1] = {{.url = url("/page.html"), .user = &inner}};
    cr_assert_eq(sr_fetch_many(f, reqs, 1, fetch_inside, f), SR_OK);
    cr_expect_eq(inner, SR_EINVAL);
    sr_fetcher_free(f);
}

Test(fetch_many, empty_batch_and_bad_arguments)
{
    sr_fetcher *f = fetcher(-1, 0);
    cr_expect_eq(sr_fetch_many(f, NULL, 0, keep, NULL), SR_OK);
    cr_expect_eq(sr_fetch_many(f, NULL, 1, keep, NULL), SR_EINVAL);
    sr_fetch_request reqs[1] = {{.url = url("/page.html")}};
    cr_expect_eq(sr_fetch_many(f, reqs, 1, NULL, NULL), SR_EINVAL);
    sr_fetcher_free(f);
}
