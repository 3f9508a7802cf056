/* sitrep serve: the live map, its API, live streams and alerts, in one
 * process on one store. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sitrep/watch.h"
#include "cli.h"
#include "serve.h"

static const char usage[] =
    "Usage: sitrep serve [--listen ADDR] [--db PATH] [OPTIONS]\n"
    "\n"
    "Serves the live map at http://ADDR/, the HTTP API (docs/api.md), live event\n"
    "streams, and delivers alerts (Web Push, webhooks) to subscribers. Events stored\n"
    "by any process on the same store (sitrep ingest, sitrep watch) appear live.\n"
    "Stops cleanly on SIGINT or SIGTERM.\n"
    "\n"
    "  --listen ADDR        HOST:PORT, [IPv6]:PORT or :PORT (default 127.0.0.1:8080)\n"
    "  --db PATH            the store (default ./sitrep.db)\n"
    "  --web DIR            the page's files (default: the web/ folder of the source tree)\n"
    "  --assets DIR         npm packages the page uses (default: node_modules beside web/)\n"
    "  --vapid-key PATH     Web Push signing key, created on first run (default PATH.vapid.pem\n"
    "                       beside the store)\n"
    "  --contact URI        mailto: or https: contact sent to push services\n"
    "                       (default mailto:admin@localhost)\n"
    "  --threads N          request threads, each with its own store handle (default 2)\n"
    "  --subscribe-rate N   subscriptions per minute per client address (default 10)\n"
    "  --allow-private      let webhook and push targets, and feeds, be private addresses\n"
    "                       (testing)\n"
    "  --feeds FILE         add the feeds listed in FILE to the store's sources (one URL a\n"
    "                       line; see data/feeds.txt) and poll them like sitrep watch\n"
    "  --no-watch           do not poll the store's sources\n"
    "  --breaking-sources N a story is breaking when N independent outlets (sites)\n"
    "                       report it ... (default 5)\n"
    "  --breaking-window M  ... within M minutes (default 30); it is alerted once\n"
    "\n"
    "When the store has sources (sitrep sources add) or --feeds is given, the server\n"
    "polls them as 'sitrep watch' would, in a thread of its own.\n"
    "\n"
    "Environment: SITREP_ADMIN_TOKEN, the bearer token of write endpoints other than\n"
    "subscribing (without it they are closed).\n"
    "\n"
    "Exit codes: 0 stopped by a signal, 1 could not start, 2 usage.\n";

struct options {
    const char *listen, *db, *web, *assets, *vapid_key, *contact;
    int threads, subscribe_rate, breaking_sources, breaking_minutes;
    bool allow_private;
    const char *feeds;
    bool no_watch;
};

static int parse_options(int argc, char **argv, struct options *o);
static const char *default_web(char *buf, size_t n);
static int mount_assets(sr_http_server *http, const char *assets);
static void raise_fd_limit(void);
static int poller_start(const struct options *o, atomic_bool *stop);
static void poller_stop(void);

static int run(int argc, char **argv)
{
    struct options o = {.listen = "127.0.0.1:8080", .db = "sitrep.db", .contact = "mailto:admin@localhost",
                        .threads = 2, .subscribe_rate = 10, .breaking_sources = 5, .breaking_minutes = 30};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    char web_buf[PATH_MAX], assets_buf[PATH_MAX], key_buf[PATH_MAX], err[512];
    if (!o.web)
        o.web = default_web(web_buf, sizeof web_buf);
    if (!o.assets) {
        if (snprintf(assets_buf, sizeof assets_buf, "%s/../node_modules", o.web) >= (int)sizeof assets_buf)
            return sr_cli_usage_error("serve", "--web: path too long");
        o.assets = assets_buf;
    }
    if (!o.vapid_key) {
        snprintf(key_buf, sizeof key_buf, "%s.vapid.pem", o.db);
        o.vapid_key = key_buf;
    }
    raise_fd_limit();

    /* Signals are taken by sigwait below, in this thread only. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    static struct serve sv;
    sv.db = o.db;
    sv.allow_private = o.allow_private;
    sv.subscribe_per_minute = o.subscribe_rate;
    sv.admin_token = getenv("SITREP_ADMIN_TOKEN");
    sv.started = sr_now();

    pthread_mutex_init(&sv.subs_mu, NULL);
    pthread_mutex_init(&sv.rate_mu, NULL);
    sv.subs = sr_alert_index_new();
    sv.breaking_opt = (sr_breaking_options){.min_sources = o.breaking_sources, .window_s = o.breaking_minutes * 60.0};
    sv.breaking = sr_breaking_new(&sv.breaking_opt);
    int status = SR_EXIT_SOME_FAILED;
    int64_t seq = 0;
    for (; sv.n_stores < o.threads; sv.n_stores++) {
        pthread_mutex_init(&sv.stores[sv.n_stores].mu, NULL);
        if (sr_store_open(o.db, 0, &sv.stores[sv.n_stores].store, err, sizeof err)) {
            sr_cli_error("%s", err);
            goto out;
        }
    }
    if (sr_vapid_open(o.vapid_key, o.contact, &sv.vapid, err, sizeof err)) {
        sr_cli_error("%s: %s", o.vapid_key, err);
        goto out;
    }
    if (!sv.subs || !sv.breaking || serve_load_subscriptions(&sv, err, sizeof err)) {
        sr_cli_error("%s: cannot read subscriptions: %s", o.db, err);
        goto out;
    }
    sr_store_last_seq(sv.stores[0].store, &seq);
    atomic_store(&sv.last_seq, seq);

    sr_http_options ho = {.listen = o.listen, .web_root = o.web, .threads = (unsigned)o.threads};
    if (sr_http_server_new(&ho, &sv.http, err, sizeof err)) {
        sr_cli_error("serve: %s", err);
        goto out;
    }
    if (mount_assets(sv.http, o.assets) || serve_routes(&sv) || !(sv.hub = sr_sse_hub_new(sv.http)))
        goto out;
    if (!o.no_watch && poller_start(&o, &sv.stop))
        goto out;
    if (sr_http_server_start(sv.http, err, sizeof err)) {
        sr_cli_error("serve: %s", err);
        goto out;
    }
    pthread_create(&sv.watcher, NULL, serve_watch, &sv);
    pthread_create(&sv.sender, NULL, serve_send, &sv);
    fprintf(stderr, "sitrep serve: listening on %s (port %u; store %s, %zu subscriptions)\n",
            o.listen, sr_http_server_port(sv.http), o.db, sr_alert_index_count(sv.subs));
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "sitrep serve: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    atomic_store(&sv.stop, true);
    poller_stop();
    pthread_join(sv.watcher, NULL);
    pthread_join(sv.sender, NULL);
    status = SR_EXIT_OK;
out:
    atomic_store(&sv.stop, true);
    poller_stop();
    sr_http_server_free(sv.http);
    sr_vapid_free(sv.vapid);
    sr_alert_index_free(sv.subs);
    sr_breaking_free(sv.breaking);
    for (int i = 0; i < sv.n_stores; i++)
        sr_store_close(sv.stores[i].store);
    return status;
}

const struct sr_cli_command sr_cmd_serve = {
    "serve", "the live map, HTTP API, event streams and alerts", usage, run,
};

/* ---- Helpers. -------------------------------------------------------------- */

static int parse_options(int argc, char **argv, struct options *o)
{
    enum { O_LISTEN = 256, O_DB, O_WEB, O_ASSETS, O_KEY, O_CONTACT, O_THREADS, O_RATE, O_PRIVATE, O_FEEDS,
           O_NO_WATCH, O_BREAKING_SOURCES, O_BREAKING_WINDOW };
    static const struct option opts[] = {
        {"listen", required_argument, 0, O_LISTEN}, {"db", required_argument, 0, O_DB},
        {"web", required_argument, 0, O_WEB}, {"assets", required_argument, 0, O_ASSETS},
        {"vapid-key", required_argument, 0, O_KEY}, {"contact", required_argument, 0, O_CONTACT},
        {"threads", required_argument, 0, O_THREADS}, {"subscribe-rate", required_argument, 0, O_RATE},
        {"allow-private", no_argument, 0, O_PRIVATE}, {"feeds", required_argument, 0, O_FEEDS},
        {"no-watch", no_argument, 0, O_NO_WATCH},
        {"breaking-sources", required_argument, 0, O_BREAKING_SOURCES},
        {"breaking-window", required_argument, 0, O_BREAKING_WINDOW}, {0, 0, 0, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case O_LISTEN: o->listen = optarg; break;
        case O_DB: o->db = optarg; break;
        case O_WEB: o->web = optarg; break;
        case O_ASSETS: o->assets = optarg; break;
        case O_KEY: o->vapid_key = optarg; break;
        case O_CONTACT: o->contact = optarg; break;
        case O_PRIVATE: o->allow_private = true; break;
        case O_FEEDS: o->feeds = optarg; break;
        case O_NO_WATCH: o->no_watch = true; break;
        case O_THREADS:
        case O_RATE:
        case O_BREAKING_SOURCES:
        case O_BREAKING_WINDOW: {
            char *end;
            long v = strtol(optarg, &end, 10);
            long max = c == O_BREAKING_SOURCES ? 64 : c == O_THREADS ? 64 : 10000;
            if (*end || v < 1 || v > max)
                return sr_cli_usage_error("serve", "%s must be a number from 1 to %ld", argv[optind - 1], max);
            *(c == O_THREADS ? &o->threads : c == O_RATE ? &o->subscribe_rate
              : c == O_BREAKING_SOURCES ? &o->breaking_sources : &o->breaking_minutes) = (int)v;
            break;
        }
        case ':':
            return sr_cli_usage_error("serve", "%s needs a value", argv[optind - 1]);
        default:
            return sr_cli_usage_error("serve", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return sr_cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    if (o->feeds && o->no_watch)
        return sr_cli_usage_error("serve", "--feeds and --no-watch contradict each other");
    return 0;
}

/* web/ of the source tree this binary was built from, else ./web. */
static const char *default_web(char *buf, size_t n)
{
    struct stat st;
    const char *env = getenv("SITREP_WEB");
    if (env)
        return env;
    snprintf(buf, n, "%s/web", SR_SOURCE_DIR);
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
        return buf;
    return "web";
}

/* The page's libraries, served from where npm installed them. */
static int mount_assets(sr_http_server *http, const char *assets)
{
    static const char *const mounts[][2] = {
        {"/vendor/leaflet/", "leaflet/dist"},
        {"/vendor/markercluster/", "leaflet.markercluster/dist"},
        {"/vendor/topojson-client/", "topojson-client/dist"},
        {"/vendor/world-atlas/", "world-atlas"},
    };
    for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
        char dir[PATH_MAX], err[512];
        snprintf(dir, sizeof dir, "%s/%s", assets, mounts[i][1]);
        if (sr_http_mount(http, mounts[i][0], dir, err, sizeof err)) {
            sr_cli_error("serve: the map page's assets are missing (%s); run scripts/deps.sh", err);
            return -1;
        }
    }
    return 0;
}

/* Each live stream is a socket: allow as many as the system lets us. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* ---- The poller: `sitrep watch` in a thread of the server. -------------------- */

/* It has its own pipeline and store handles (a handle is for one thread);
 * events it stores reach live streams and alerts through the store's change
 * sequence, like those of any other process. */
static struct poller {
    sr_pipeline *pipeline;
    sr_store *store;
    sr_watch *watch;
    pthread_t thread;
    bool running;
} poller;

static void poller_report(const char *line, void *ctx)
{
    (void)ctx;
    sr_cli_error("watch: %s", line);
}

static int count_source(const sr_store_source *src, void *ctx)
{
    (void)src;
    ++*(size_t *)ctx;
    return 0;
}

static void *poller_main(void *ctx)
{
    (void)ctx;
    sr_watch_run(poller.watch, 30);
    return NULL;
}

/* Starts polling when there is something to poll. Fails (-1) only when
 * --feeds asked for it and it cannot be done; without --feeds a pipeline
 * that cannot open (no gazetteer yet) leaves the server running without. */
static int poller_start(const struct options *o, atomic_bool *stop)
{
    char err[1024] = "";
    size_t sources = 0;
    if (sr_store_open(o->db, 0, &poller.store, err, sizeof err)) {
        sr_cli_error("serve: %s", err);
        return -1;
    }
    if (o->feeds) {
        sr_err e = sr_watch_add_feeds(poller.store, o->feeds, NULL, poller_report, NULL, err, sizeof err);
        if (e && e != SR_EPARSE) {
            sr_cli_error("serve: %s", err);
            return -1;
        }
    }
    sr_store_sources(poller.store, 0, count_source, &sources);
    if (!sources) {
        sr_store_close(poller.store);
        poller.store = NULL;
        return 0;
    }
    sr_pipeline_options po = {.db = o->db, .dict = SR_SOURCE_DIR "/data/lexicon"};
    if (sr_pipeline_open(&po, &poller.pipeline, err, sizeof err)) {
        sr_cli_error("serve: cannot poll the %zu sources: %s", sources, err);
        sr_store_close(poller.store);
        poller.store = NULL;
        return o->feeds ? -1 : 0;
    }
    sr_watch_options wo = {.pipeline = poller.pipeline, .store = poller.store, .stop = stop,
                           .report = poller_report, .fetch = {.allow_private = o->allow_private}};
    if (sr_watch_new(&wo, &poller.watch) || pthread_create(&poller.thread, NULL, poller_main, NULL)) {
        sr_cli_error("serve: cannot start polling the sources");
        return -1;
    }
    poller.running = true;
    fprintf(stderr, "sitrep serve: polling %zu sources\n", sources);
    return 0;
}

/* After *stop was set: the poller ends its item in hand and commits. */
static void poller_stop(void)
{
    if (poller.running) {
        pthread_join(poller.thread, NULL);
        poller.running = false;
        sr_watch_stats st;
        sr_watch_stats_get(poller.watch, &st);
        fprintf(stderr, "sitrep serve: watch stopped: %llu sources polled (%llu not modified, %llu failed), "
                "%llu new items, %llu articles stored, %llu events, %llu items failed\n",
                st.polls, st.not_modified, st.poll_errors, st.items_new, st.articles, st.events,
                st.item_errors);
    }
    sr_watch_free(poller.watch);
    poller.watch = NULL;
    sr_pipeline_close(poller.pipeline);
    poller.pipeline = NULL;
    sr_store_close(poller.store);
    poller.store = NULL;
}
