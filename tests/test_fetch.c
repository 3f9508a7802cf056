/* fetch against a real local HTTP server (fixtures/fetch/server.py) that
 * this test starts and that stops by itself. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sitrep/fetch.h"

static pid_t server;
static int port;
static sr_fetcher *f;

static void start_server(void)
{
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    server = fork();
    cr_assert_geq(server, 0);
    if (server == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execlp("python3", "python3", SR_FIXTURES "/fetch/server.py", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *in = fdopen(fd[0], "r");
    if (!in || fscanf(in, "%d", &port) != 1)
        cr_skip_test("python3 could not start the test server");
    fclose(in);
    sr_fetch_options o = {.timeout = 2, .max_bytes = 1 << 20};
    f = sr_fetcher_new(&o);
    cr_assert_not_null(f);
}

static void stop_server(void)
{
    sr_fetcher_free(f);
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
}

TestSuite(fetch, .init = start_server, .fini = stop_server, .timeout = 30);

static char *url(const char *path)
{
    static char u[128];
    snprintf(u, sizeof u, "http://127.0.0.1:%d%s", port, path);
    return u;
}

Test(fetch, page_with_content_type)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/page"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect_eq(r.status, 200);
    cr_expect(strstr(r.body, "A fetched page.") != NULL);
    cr_expect_eq(r.len, strlen(r.body));
    cr_expect_str_eq(r.content_type, "text/html; charset=utf-8");
    cr_expect_str_eq(r.url, url("/page"));
    sr_response_free(&r);
}

Test(fetch, follows_redirects_and_reports_the_final_url)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/redirect"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect_str_eq(r.url, url("/page"));
    cr_expect(strstr(r.body, "A fetched page.") != NULL);
    sr_response_free(&r);
}

Test(fetch, redirect_loop_stops)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, url("/loop"), &r), SR_ENET);
    cr_expect(strstr(sr_fetcher_message(f), "redirect") || strstr(sr_fetcher_message(f), "Redirect"),
              "%s", sr_fetcher_message(f));
}

Test(fetch, gzip_body_arrives_decoded)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/gzip"), &r), SR_OK, "%s", sr_fetcher_message(f));
    cr_expect(strstr(r.body, "A fetched page.") != NULL);
    sr_response_free(&r);
}

Test(fetch, honest_user_agent)
{
    sr_response r;
    cr_assert_eq(sr_fetch(f, url("/agent"), &r), SR_OK);
    cr_expect_str_eq(r.body, "sitrep/" SR_VERSION " (+https://github.com/sitrep/sitrep)");
    sr_response_free(&r);
}

Test(fetch, body_over_the_cap_stops_the_transfer)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, url("/big"), &r), SR_ETOOBIG);
    cr_expect(strstr(sr_fetcher_message(f), "over") != NULL);
}

Test(fetch, slow_server_times_out)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, url("/slow"), &r), SR_ENET);
}

Test(fetch, http_error_status_is_an_error)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, url("/missing"), &r), SR_ENET);
    cr_expect_str_eq(sr_fetcher_message(f), "HTTP status 404");
}

Test(fetch, only_http_and_https)
{
    sr_response r;
    cr_expect_eq(sr_fetch(f, "file:///etc/passwd", &r), SR_EINVAL);
    cr_expect_eq(sr_fetch(f, "ftp://127.0.0.1/", &r), SR_EINVAL);
}
