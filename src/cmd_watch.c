/* sitrep watch: poll the store's feeds and sitemaps for ever (or once),
 * ingesting what is new, until SIGINT or SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/watch.h"
#include "sitrep/util.h"
#include "cli.h"

static const char usage[] =
    "Usage: sitrep watch [--db PATH] [--feeds FILE] [OPTIONS]\n"
    "\n"
    "Polls the store's sources (RSS, Atom and JSON feeds, sitemaps) and reads every\n"
    "new item into the store: its article, story, places and events. Requests are\n"
    "conditional (ETag, Last-Modified), items already handled are not fetched again,\n"
    "and each source is polled more often when it posts and less when it does not.\n"
    "Runs until SIGINT or SIGTERM; stopped or killed, it carries on where it was.\n"
    "\n"
    "  --db PATH            the store (default ./sitrep.db)\n"
    "  --feeds FILE         first add the feeds listed in FILE to the store's sources\n"
    "                       (one URL a line, # starts a comment; see data/feeds.txt)\n"
    "  --once               poll the sources that are due once, then exit (tests, cron)\n"
    "  --min-interval S     seconds between two polls of a source, at least (default 120)\n"
    "  --max-interval S     ... and at most (default 3600)\n"
    "  --max-items N        new items fetched per source and poll (default 500)\n"
    "  --host-delay S       seconds between two requests to one host (default 1; 0 none)\n"
    "  --gazetteer PATH     the gazetteer (default: see sitrep geo --help)\n"
    "  --dict DIR           event dictionaries (default: the project's data/lexicon)\n"
    "  --allow-private      let URLs reach private and loopback addresses (testing)\n"
    "  -q, --quiet          only errors and the summary\n"
    "\n"
    "Manage the sources with 'sitrep sources'. Each failed source or item is reported\n"
    "on one line and the others go on; a summary line ends every run.\n"
    "Exit codes: 0 done, or stopped by a signal; 1 with --once when a source or item\n"
    "failed, when a line of the feeds file is not a URL, or when the store or the\n"
    "pipeline could not be opened; 2 usage.\n";

struct options {
    sr_pipeline_options po;
    sr_watch_options wo;
    const char *feeds;
    bool once, quiet;
};

static atomic_bool stop;
static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&stop, true);
}

static int parse_options(int argc, char **argv, struct options *o);
static void print_error(const char *line, void *ctx);
static int loop(sr_watch *w, const struct options *o);
static void summary(const sr_watch_stats *st, double seconds);

static int run(int argc, char **argv)
{
    struct options o = {
        .po = {.db = "sitrep.db", .dict = SR_SOURCE_DIR "/data/lexicon"},
        .wo = {.min_interval = 120, .max_items = 500, .stop = &stop,
               .report = print_error},
    };
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    char err[1024] = "";
    sr_pipeline *p = NULL;
    sr_store *s = NULL;
    sr_watch *w = NULL;
    if (sr_pipeline_open(&o.po, &p, err, sizeof err) || sr_store_open(o.po.db, 0, &s, err, sizeof err)) {
        sr_cli_error("%s", err);
        sr_pipeline_close(p);
        return SR_EXIT_SOME_FAILED;
    }
    int status = SR_EXIT_OK;
    if (o.feeds) {
        size_t added = 0;
        sr_err e = sr_watch_add_feeds(s, o.feeds, &added, print_error, NULL, err, sizeof err);
        if (e && e != SR_EPARSE) {
            sr_cli_error("%s", err);
            status = SR_EXIT_SOME_FAILED;
            goto out;
        }
        if (e)
            status = SR_EXIT_SOME_FAILED;
        if (!o.quiet)
            fprintf(stderr, "sitrep watch: %zu feeds read from %s\n", added, o.feeds);
    }
    o.wo.pipeline = p;
    o.wo.store = s;
    if (sr_watch_new(&o.wo, &w)) {
        sr_cli_error("watch: cannot start (out of memory, or the fetcher could not start)");
        status = SR_EXIT_SOME_FAILED;
        goto out;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int looped = loop(w, &o);
    status = status ? status : looped;
out:
    sr_watch_free(w);
    sr_store_close(s);
    if (sr_pipeline_close(p)) {
        sr_cli_error("%s: the last batch could not be committed", o.po.db);
        status = SR_EXIT_SOME_FAILED;
    }
    return status;
}

const struct sr_cli_command sr_cmd_watch = {
    "watch", "poll feeds and sitemaps for ever, ingesting what is new", usage, run,
};

/* ---- The loop. ---------------------------------------------------------------- */

static void progress(const sr_watch_stats *before, const sr_watch_stats *now)
{
    if (now->polls == before->polls)
        return;
    fprintf(stderr, "sitrep watch: %llu sources polled (%llu not modified, %llu failed), %llu new items, "
            "%llu articles stored, %llu events\n",
            now->polls - before->polls, now->not_modified - before->not_modified,
            now->poll_errors - before->poll_errors, now->items_new - before->items_new,
            now->articles - before->articles, now->events - before->events);
}

static int loop(sr_watch *w, const struct options *o)
{
    double started = sr_now();
    sr_watch_stats before, after;
    bool store_failed = false, first = true;
    int64_t next = 0;
    do {
        int64_t step_started = (int64_t)time(NULL);
        sr_watch_stats_get(w, &before);
        store_failed = sr_watch_step(w, &next) != SR_OK;
        sr_watch_stats_get(w, &after);
        if (!o->quiet)
            progress(&before, &after);
        if (first && !next && !store_failed)
            fprintf(stderr, "sitrep watch: the store has no sources yet: add feeds with --feeds FILE or "
                    "'sitrep sources add URL'%s\n", o->once ? "" : " (looking again every 30 s)");
        first = false;
        if (o->once && next > 0 && next <= step_started && !store_failed)
            continue;  /* more sources were due than one step takes */
        if (o->once)
            break;
        /* Sleep until the next source is due; look again at least every 30 s for
         * sources added by another process. Short slices: a signal stops it now. */
        double wait = next ? (double)(next - (int64_t)time(NULL)) : 30;
        if (store_failed || wait > 30)
            wait = 30;
        for (double slept = 0; slept < wait && !atomic_load(&stop); slept += 0.1)
            nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    } while (!atomic_load(&stop));
    if (atomic_load(&stop))
        fprintf(stderr, "sitrep watch: stopped by a signal; what was read is stored\n");
    summary(&after, sr_now() - started);
    if (!o->once)
        return SR_EXIT_OK;
    return store_failed || after.poll_errors || after.item_errors ? SR_EXIT_SOME_FAILED : SR_EXIT_OK;
}

static void summary(const sr_watch_stats *st, double seconds)
{
    fprintf(stderr, "sitrep watch: %llu sources polled (%llu not modified, %llu failed), %llu new items, "
            "%llu fetched, %llu articles stored, %llu duplicates, %llu events, %llu items failed in %.1f s\n",
            st->polls, st->not_modified, st->poll_errors, st->items_new, st->items_fetched, st->articles,
            st->duplicates, st->events, st->item_errors, seconds);
}

static void print_error(const char *line, void *ctx)
{
    (void)ctx;
    sr_cli_error("%s", line);
}

/* ---- Options. ----------------------------------------------------------------- */

static int number(const char *arg, const char *name, long lo, long hi, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < lo || v > hi)
        return sr_cli_usage_error("watch", "%s must be a number from %ld to %ld", name, lo, hi);
    *out = (int)v;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    enum { O_DB = 256, O_FEEDS, O_ONCE, O_MIN, O_MAX, O_ITEMS, O_DELAY, O_GAZ, O_DICT, O_PRIVATE };
    static const struct option opts[] = {
        {"db", required_argument, 0, O_DB}, {"feeds", required_argument, 0, O_FEEDS},
        {"once", no_argument, 0, O_ONCE}, {"min-interval", required_argument, 0, O_MIN},
        {"max-interval", required_argument, 0, O_MAX}, {"max-items", required_argument, 0, O_ITEMS},
        {"host-delay", required_argument, 0, O_DELAY},
        {"gazetteer", required_argument, 0, O_GAZ}, {"dict", required_argument, 0, O_DICT},
        {"allow-private", no_argument, 0, O_PRIVATE}, {"quiet", no_argument, 0, 'q'}, {0, 0, 0, 0},
    };
    optind = 1;
    opterr = 0;
    int c, rc = 0;
    while (!rc && (c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: o->po.db = optarg; break;
        case O_FEEDS: o->feeds = optarg; break;
        case O_ONCE: o->once = true; break;
        case O_MIN: rc = number(optarg, "--min-interval", 1, 86400, &o->wo.min_interval); break;
        case O_MAX: rc = number(optarg, "--max-interval", 1, 7 * 86400, &o->wo.max_interval); break;
        case O_ITEMS: rc = number(optarg, "--max-items", 1, 50000, &o->wo.max_items); break;
        case O_DELAY: {
            char *end;
            double v = strtod(optarg, &end);
            if (!*optarg || *end || !(v >= 0 && v <= 600))
                return sr_cli_usage_error("watch", "--host-delay must be seconds from 0 to 600");
            o->wo.fetch.host_delay = v > 0 ? v : -1;  /* the fetcher reads 0 as its default */
            break;
        }
        case O_GAZ: o->po.gazetteer = optarg; break;
        case O_DICT: o->po.dict = optarg; break;
        case O_PRIVATE: o->wo.fetch.allow_private = true; break;
        case 'q': o->quiet = true; break;
        case ':': return sr_cli_usage_error("watch", "%s needs a value", argv[optind - 1]);
        default: return sr_cli_usage_error("watch", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (rc)
        return rc;
    if (optind < argc)
        return sr_cli_usage_error("watch", "unexpected argument '%s' (feeds go in --feeds FILE or "
                                  "'sitrep sources add')", argv[optind]);
    if (!o->wo.max_interval)
        o->wo.max_interval = o->wo.min_interval > 3600 ? o->wo.min_interval : 3600;
    if (o->wo.max_interval < o->wo.min_interval)
        return sr_cli_usage_error("watch", "--max-interval is shorter than --min-interval");
    return 0;
}
