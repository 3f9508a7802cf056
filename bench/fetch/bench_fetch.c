/* How much fetching many at once buys: the same N requests to the project's
 * fixture server (tests/tools/fixture_server.py on loopback), first one at a
 * time with sr_fetch, then as one sr_fetch_many batch with 16 transfers at
 * once (no politeness delay: this measures the engine, not the manners).
 * Two cases: answers that take 50 ms (a distant news site; the bound is 16x)
 * and instant answers (the engine's own cost; connection reuse in both).
 *
 * Re-run: cmake --build build --target bench_fetch && ./build/bench/fetch/bench_fetch [N]
 * Needs python3. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sitrep/fetch.h"
#include "sitrep/util.h"

static pid_t server;
static int port;
static char root[64];

static int start_server(void)
{
    snprintf(root, sizeof root, "/tmp/sr_bench_fetch_XXXXXX");
    if (!mkdtemp(root))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/page.html", root);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int i = 0; i < 200; i++)
        fputs("<p>A paragraph of a fetched news page, repeated to make it page-sized.</p>\n", f);
    fclose(f);
    int fd[2];
    if (pipe(fd))
        return -1;
    server = fork();
    if (server == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execlp("python3", "python3", SR_SOURCE_DIR "/tests/tools/fixture_server.py", "--root", root,
               "--lifetime", "600", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *in = fdopen(fd[0], "r");
    int ok = in && fscanf(in, "PORT %d", &port) == 1;
    if (in)
        fclose(in);
    return ok ? 0 : -1;
}

static int count_ok(const sr_fetch_request *req, sr_err err, sr_response *res, const char *msg, void *ctx)
{
    (void)req, (void)res;
    if (err)
        fprintf(stderr, "bench_fetch: %s\n", msg);
    else
        ++*(int *)ctx;
    return 0;
}

static void run(const char *what, const char *path, int n)
{
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    sr_fetch_options o = {.allow_private = true, .host_delay = -1, .max_connections = 16, .per_host = 16};
    sr_fetcher *f = sr_fetcher_new(&o);
    int ok_one = 0, ok_many = 0;
    double t0 = sr_now();
    for (int i = 0; i < n; i++) {
        sr_response r;
        if (sr_fetch(f, url, &r) == SR_OK)
            ok_one++;
        sr_response_free(&r);
    }
    double one = sr_now() - t0;
    sr_fetch_request *reqs = calloc((size_t)n, sizeof *reqs);
    for (int i = 0; i < n; i++)
        reqs[i].url = url;
    t0 = sr_now();
    sr_fetch_many(f, reqs, (size_t)n, count_ok, &ok_many);
    double many = sr_now() - t0;
    printf("%-16s one at a time %7.1f pages/s (%d ok) | sr_fetch_many %7.1f pages/s (%d ok) | %.1fx\n",
           what, ok_one / one, ok_one, ok_many / many, ok_many, one / many);
    free(reqs);
    sr_fetcher_free(f);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    if (n < 1 || start_server()) {
        fprintf(stderr, "bench_fetch: cannot start the fixture server (python3?)\n");
        return 1;
    }
    printf("bench_fetch: %d requests per case, 16 at once (bound for 50 ms answers: 16x)\n", n);
    run("50 ms answers", "/slow/0.05/page.html", n);
    run("instant answers", "/page.html", n);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    char path[128];
    snprintf(path, sizeof path, "%s/page.html", root);
    unlink(path);
    rmdir(root);
    return 0;
}
