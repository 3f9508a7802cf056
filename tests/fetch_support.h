/* The fetch tests' fixture server (tests/tools/fixture_server.py): started
 * per test on a temporary folder of pages the test writes, stopped after it,
 * and its request log read back so a test can say what was asked and when. */
#ifndef SR_TEST_FETCH_SUPPORT_H
#define SR_TEST_FETCH_SUPPORT_H

#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sitrep/fetch.h"
#include "sitrep/util.h"

#define PAGE "<html><head><title>Fetched</title></head><body><p>A fetched page.</p></body></html>\n"

static pid_t server;
static int port;
static char root[64];
static char logpath[96];

static void put_file(const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* Resolved once for the whole program: a python3 found on PATH may be a
 * wrapper script that costs seconds at every start. */
ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    (void)set;
    FILE *p = popen("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", "r");
    char exe[512] = "";
    if (p && fgets(exe, sizeof exe, p)) {
        exe[strcspn(exe, "\n")] = '\0';
        if (exe[0])
            setenv("SR_TEST_PYTHON", exe, 1);
    }
    if (p)
        pclose(p);
}

static void start_server(void)
{
    snprintf(root, sizeof root, "/tmp/sr_fetch_test_XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    snprintf(logpath, sizeof logpath, "%s.log", root);
    put_file("page.html", PAGE);
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    server = fork();
    cr_assert_geq(server, 0);
    if (server == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        const char *py = getenv("SR_TEST_PYTHON") ? getenv("SR_TEST_PYTHON") : "python3";
        /* -S: the server needs only the standard library; site packages cost a second */
        execlp(py, "python3", "-S", SR_SOURCE_DIR "/tests/tools/fixture_server.py", "--root", root,
               "--log", logpath, "--lifetime", "60", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *in = fdopen(fd[0], "r");
    if (!in || fscanf(in, "PORT %d", &port) != 1)
        cr_skip_test("python3 could not start tests/tools/fixture_server.py");
    fclose(in);
}

static void stop_server(void)
{
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
    DIR *d = opendir(root);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[400];
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(root);
    unlink(logpath);
}

static const char *url_on(const char *host, const char *path)
{
    static char u[32][256];
    static int next;
    char *s = u[next++ % 32];
    snprintf(s, sizeof u[0], "http://%s:%d%s", host, port, path);
    return s;
}

static const char *url(const char *path) { return url_on("127.0.0.1", path); }

/* One request as the server saw it. */
struct hit {
    double t;
    char path[256];
    char if_none_match[256];
    char if_modified_since[64];
    char accept_encoding[128];
    int client_port;
};

/* The value of "key": "..." in a line of the log (JSON escapes undone), or "". */
static void field(const char *line, const char *key, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(line, pat);
    size_t n = 0;
    if (p)
        for (p += strlen(pat); *p && *p != '"' && n + 1 < cap; p++)
            out[n++] = (*p == '\\' && p[1]) ? *++p : *p;
    out[n] = '\0';
}

static int read_log(struct hit *hits, int max)
{
    FILE *f = fopen(logpath, "r");
    if (!f)
        return 0;
    char line[2048];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        struct hit *h = &hits[n++];
        cr_assert_eq(sscanf(line, "{\"t\": %lf", &h->t), 1, "log line: %s", line);
        field(line, "path", h->path, sizeof h->path);
        field(line, "if_none_match", h->if_none_match, sizeof h->if_none_match);
        field(line, "if_modified_since", h->if_modified_since, sizeof h->if_modified_since);
        field(line, "accept_encoding", h->accept_encoding, sizeof h->accept_encoding);
        const char *cp = strstr(line, "\"client_port\": ");
        h->client_port = cp ? atoi(cp + 15) : 0;
    }
    fclose(f);
    return n;
}

/* The requests for `path`, in the order they came. */
static int hits_for(const char *path, struct hit *out, int max)
{
    struct hit all[256];
    int n = read_log(all, 256), k = 0;
    for (int i = 0; i < n && k < max; i++)
        if (strcmp(all[i].path, path) == 0)
            out[k++] = all[i];
    return k;
}

#endif
