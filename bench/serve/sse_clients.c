/* sse_clients: holds N live-stream clients open against `sitrep serve` and
 * reports, for the next event published, when each client received it.
 *
 *   sse_clients PORT N TRIGGER_CMD...
 *
 * Connects N clients to /api/stream on 127.0.0.1:PORT, waits until every one
 * has its stream open, prints the server's memory per client if SERVE_PID is
 * set, then runs TRIGGER_CMD (which stores one event) and measures the time
 * from just before the trigger to each client's receipt of an event. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { CONNECTING, OPEN, GOT_EVENT };

struct client {
    int fd;
    int state;
    double got;
    char tail[16];  /* the last bytes seen, to find markers split across reads */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(const char *pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%s/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Looks for `marker` in what this client has read, across read boundaries. */
static int seen(struct client *c, const char *buf, ssize_t n, const char *marker)
{
    char joined[16 + 4096 + 1];
    size_t t = strlen(c->tail);
    memcpy(joined, c->tail, t);
    memcpy(joined + t, buf, (size_t)n);
    joined[t + (size_t)n] = 0;
    int found = strstr(joined, marker) != NULL;
    size_t keep = t + (size_t)n < sizeof c->tail - 1 ? t + (size_t)n : sizeof c->tail - 1;
    memcpy(c->tail, joined + t + (size_t)n - keep, keep);
    c->tail[keep] = 0;
    return found;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: sse_clients PORT N TRIGGER_CMD...\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[2]);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    struct client *cl = calloc((size_t)n, sizeof *cl);
    int ep = epoll_create1(0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    const char req[] = "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    for (int i = 0; i < n; i++) {
        cl[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        if (cl[i].fd < 0 || connect(cl[i].fd, (struct sockaddr *)&a, sizeof a) != 0) {
            fprintf(stderr, "sse_clients: client %d: %s\n", i, strerror(errno));
            return 1;
        }
        if (write(cl[i].fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1))
            return 1;
        fcntl(cl[i].fd, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cl[i].fd, &ev);
    }
    char buf[4096];
    struct epoll_event evs[256];
    int open_n = 0, got_n = 0;
    double t_trigger = 0, deadline = now() + 60;
    pid_t trigger = 0;
    while (got_n < n && now() < deadline) {
        if (open_n == n && !trigger) {
            const char *pid = getenv("SERVE_PID");
            if (pid)
                printf("stream clients: %d open; server RSS %ld kB\n", n, rss_kb(pid));
            fflush(stdout);
            t_trigger = now();
            trigger = fork();
            if (trigger == 0) {
                execvp(argv[3], argv + 3);
                _exit(127);
            }
            deadline = now() + 30;
        }
        int k = epoll_wait(ep, evs, 256, 100);
        for (int e = 0; e < k; e++) {
            struct client *c = &cl[evs[e].data.u32];
            ssize_t r;
            while ((r = read(c->fd, buf, sizeof buf)) > 0) {
                if (c->state == CONNECTING && seen(c, buf, r, ": connected")) {
                    c->state = OPEN;
                    open_n++;
                    c->tail[0] = 0;
                } else if (c->state == OPEN && trigger && seen(c, buf, r, "\nid: ")) {
                    c->state = GOT_EVENT;
                    c->got = now() - t_trigger;
                    got_n++;
                }
            }
            if (r == 0) {
                fprintf(stderr, "sse_clients: the server closed a stream\n");
                return 1;
            }
        }
    }
    if (trigger)
        waitpid(trigger, NULL, 0);
    double *lat = malloc((size_t)n * sizeof *lat);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (cl[i].state == GOT_EVENT)
            lat[m++] = cl[i].got;
    qsort(lat, (size_t)m, sizeof *lat, cmp);
    printf("event to clients: %d of %d received it; from store write: p50 %.0f ms, p99 %.0f ms, last %.0f ms\n",
           m, n, m ? lat[m / 2] * 1000 : -1, m ? lat[(int)(m * 0.99)] * 1000 : -1, m ? lat[m - 1] * 1000 : -1);
    return m == n ? 0 : 1;
}
