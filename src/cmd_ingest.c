/* sitrep ingest: pages, feeds, sitemaps, WARC files and folders of them into
 * the store, through extract → stories → geo → code. */
#define _GNU_SOURCE  /* strptime, timegm */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sitrep/fetch.h"
#include "sitrep/ingest.h"
#include "sitrep/pipeline.h"
#include "sitrep/util.h"
#include "cli.h"

static const char usage[] =
    "Usage: sitrep ingest [--db PATH] [OPTIONS] SOURCE...\n"
    "\n"
    "Reads news into the store: each page's article, its story, places and events.\n"
    "A SOURCE is a page (HTML file or http(s) URL), a feed (RSS, Atom, JSON Feed;\n"
    "its items are fetched), a sitemap or sitemap index (its pages are fetched), a\n"
    "WARC or WARC.gz file (its HTML responses are read), a folder of any of these\n"
    "(recursively), or - for standard input. The kind is told from the content.\n"
    "Ingesting the same input again changes nothing.\n"
    "\n"
    "  --db PATH          the store (default ./sitrep.db)\n"
    "  --gazetteer PATH   the gazetteer (default: see sitrep geo --help)\n"
    "  --dict DIR         event dictionaries (default: the project's data/lexicon)\n"
    "  --allow-private    let URLs reach private and loopback addresses (testing)\n"
    "  --max-pages N      stop after N pages of a feed or sitemap (default 1000)\n"
    "  --host-delay S     seconds between two requests to one host (default 1; 0 none)\n"
    "  --threads N        threads that analyse pages side by side (default: one per\n"
    "                     CPU; 1: none, but a WARC gets one beside its reader); one\n"
    "                     writer stores them in input order, so the store is the\n"
    "                     same whatever N is\n"
    "  --recent N         recent articles a new one's story is looked for among\n"
    "                     (default 32768; each costs some 400 bytes of memory)\n"
    "  -q, --quiet        no progress line, only the summary and errors\n"
    "\n"
    "Progress goes to stderr when it is a terminal; a one-line summary ends every run.\n"
    "Exit codes: 0 every input read, 1 some inputs failed (each reported), 2 usage.\n";

struct run {
    sr_pipeline *p;
    sr_fetcher *fetcher;
    sr_ingest_limits limits;
    bool allow_private, progress;
    double host_delay;
    int max_pages;
    int failed;
    int pages_failed;      /* counted as the pipeline reports each page */
    double started, last_progress;
};

static volatile sig_atomic_t stopping;
/* The same, for the fetcher: it ends its transfers within a second of a
 * signal instead of at the next one that finishes (a slow site's can take
 * minutes). */
static atomic_bool cancel_fetches;

static void on_signal(int sig)
{
    stopping = sig;
    atomic_store(&cancel_fetches, true);
}

static int ingest_input(const char *path, void *ctx);
static void progress(struct run *r, bool force);
static void keep_memory_warm(void);
static sr_pipeline_stats totals;

static int run(int argc, char **argv)
{
    enum { O_DB = 256, O_GAZ, O_DICT, O_PRIVATE, O_MAX, O_THREADS, O_DELAY, O_RECENT };
    static const struct option opts[] = {
        {"db", required_argument, 0, O_DB}, {"gazetteer", required_argument, 0, O_GAZ},
        {"dict", required_argument, 0, O_DICT}, {"allow-private", no_argument, 0, O_PRIVATE},
        {"max-pages", required_argument, 0, O_MAX}, {"quiet", no_argument, 0, 'q'},
        {"threads", required_argument, 0, O_THREADS}, {"host-delay", required_argument, 0, O_DELAY},
        {"recent", required_argument, 0, O_RECENT},
        {0, 0, 0, 0},
    };
    sr_pipeline_options po = {.db = "sitrep.db", .dict = SR_SOURCE_DIR "/data/lexicon"};
    struct run r = {.max_pages = 1000, .progress = isatty(2)};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: po.db = optarg; break;
        case O_GAZ: po.gazetteer = optarg; break;
        case O_DICT: po.dict = optarg; break;
        case O_PRIVATE: r.allow_private = true; break;
        case O_MAX: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1000000)
                return sr_cli_usage_error("ingest", "--max-pages must be a number from 1 to 1000000");
            r.max_pages = (int)v;
            break;
        }
        case O_THREADS: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 0 || v > 256)
                return sr_cli_usage_error("ingest", "--threads must be a number from 0 to 256");
            po.threads = (int)v;
            break;
        }
        case O_RECENT: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > 1000000)
                return sr_cli_usage_error("ingest", "--recent must be a number from 1 to 1000000");
            po.recent = (int)v;
            break;
        }
        case O_DELAY: {
            char *end;
            double v = strtod(optarg, &end);
            if (!*optarg || *end || !(v >= 0 && v <= 600))
                return sr_cli_usage_error("ingest", "--host-delay must be seconds from 0 to 600");
            r.host_delay = v > 0 ? v : -1;  /* the fetcher reads 0 as its default */
            break;
        }
        case 'q': r.progress = false; break;
        case ':': return sr_cli_usage_error("ingest", "%s needs a value", argv[optind - 1]);
        default: return sr_cli_usage_error("ingest", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind == argc)
        return sr_cli_usage_error("ingest", "no source given");
    keep_memory_warm();
    char err[1024] = "";
    if (sr_pipeline_open(&po, &r.p, err, sizeof err)) {
        sr_cli_error("%s", err);
        return SR_EXIT_SOME_FAILED;
    }
    sr_fetch_options fo = {.allow_private = r.allow_private, .host_delay = r.host_delay, .cancel = &cancel_fetches};
    r.fetcher = sr_fetcher_new(&fo);
    if (!r.fetcher) {
        sr_cli_error("ingest: out of memory");
        sr_pipeline_close(r.p);
        return SR_EXIT_SOME_FAILED;
    }
    sr_ingest_limits_default(&r.limits);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    r.started = sr_now();
    r.failed = sr_cli_each_input(argc - optind, argv + optind, NULL, ingest_input, &r);
    /* the pages still in the pipeline are stored (and reported) first */
    sr_pipeline_flush(r.p);
    r.failed += r.pages_failed;
    if (stopping)
        sr_cli_error("ingest: stopped by a signal; what was read is stored, run again to go on");
    sr_pipeline_stats_get(r.p, &totals);
    if (sr_pipeline_close(r.p)) {
        sr_cli_error("%s: the last batch could not be committed", po.db);
        r.failed++;
    }
    r.p = NULL;
    sr_fetcher_free(r.fetcher);
    progress(&r, true);
    return r.failed || stopping ? SR_EXIT_SOME_FAILED : SR_EXIT_OK;
}

const struct sr_cli_command sr_cmd_ingest = {
    "ingest", "read pages, feeds, sitemaps and WARC files into the store", usage, run,
};

/* Every page's arenas give their big blocks back at the end of the page,
 * and glibc by default hands such memory to the kernel (a block over its
 * mmap threshold is unmapped, a free top of a heap over its trim
 * threshold is trimmed) only to fault it in again for the next page: some
 * 25 faults a page on two threads. Blocks up to 8 MB now come from the
 * heaps and up to 32 MB of free heap top is kept: memory stays at what
 * the largest page needed (peak RSS unchanged on the bench), and a huge
 * page's blocks are still mapped and unmapped on their own. */
static void keep_memory_warm(void)
{
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

/* ---- Progress. -------------------------------------------------------------- */

/* Before a line of its own: the progress line, when there is one, goes. */
static void clear_progress(const struct run *r)
{
    if (r->progress)
        fputs("\r\033[K", stderr);
}

static void progress(struct run *r, bool final)
{
    double now = sr_now();
    if (!final && (!r->progress || now - r->last_progress < 0.25))
        return;
    r->last_progress = now;
    if (r->p)
        sr_pipeline_stats_get(r->p, &totals);
    double dt = now - r->started;
    if (final) {
        clear_progress(r);
        fprintf(stderr, "sitrep ingest: %llu pages read, %llu articles stored, %llu duplicates, "
                "%llu events (%llu merged), %llu failed in %.1f s (%.0f pages/s)\n",
                totals.pages, totals.articles, totals.duplicates, totals.events, totals.merged,
                (unsigned long long)r->failed, dt, dt > 0 ? totals.pages / dt : 0);
        return;
    }
    fprintf(stderr, "\r\033[K%llu pages · %llu articles · %llu events · %.0f pages/s · %.1f MB",
            totals.pages, totals.articles, totals.events, dt > 0 ? totals.pages / dt : 0, totals.bytes / 1e6);
}

/* ---- Inputs. ---------------------------------------------------------------- */

/* Pages go to the pipeline, which reports each one here once it is stored,
 * in input order. */
static void page_done(void *ctx, const sr_page *pg, const sr_page_result *res, sr_err e, const char *err)
{
    struct run *r = ctx;
    if (e) {
        clear_progress(r);
        sr_cli_error("%s", err);
        r->pages_failed++;
    }
    progress(r, false);
}

static void page(struct run *r, const sr_page *pg)
{
    if (sr_pipeline_submit(r->p, pg, page_done, r) != SR_OK) {
        sr_cli_error("%s: out of memory", pg->source);
        r->pages_failed++;
    }
}

static bool is_html(const char *content_type)
{
    return !content_type || strstr(content_type, "html") != NULL;
}

/* A WARC file is read by a thread of its own, the feeder
 * (sr_pipeline_feed): it inflates and parses each record straight into the
 * arena of the job that will analyse it, while this thread stores the
 * analysed pages in order. When this thread also read, the workers waited
 * for pages whenever it was busy storing (a commit indexes its batch for
 * search): on the bench WARC on two threads they waited 40 % of the time.
 * A record the feeder cannot read is reported in its place among the
 * pages: its line goes with the next page, printed by this thread just
 * before that page's own report (the lines after the last page once the
 * feed is over). */
struct warc_feed {
    struct run *r;
    sr_warc *w;
    const char *path;
    int pages_failed;
    sr_buf pending;          /* lines of bad records since the last page */
};

/* Lines held for the next page: a long run of bad records (a damaged
 * stretch of the file) is printed as it comes, beyond this much. */
#define PENDING_MAX (64 * 1024)

static void hold_line(struct warc_feed *f, const char *name, const char *what)
{
    if (f->pending.len > PENDING_MAX) {
        fwrite(f->pending.data, 1, f->pending.len, stderr);
        sr_buf_reset(&f->pending);
    }
    sr_buf_printf(&f->pending, "sitrep: %s: %s\n", name, what);
}

/* What a WARC page's `done` gets: the run, and the lines to print first. */
struct warc_page {
    struct run *r;
    const char *before;
};

static void warc_page_done(void *ctx, const sr_page *pg, const sr_page_result *res, sr_err e, const char *err)
{
    struct warc_page *wp = ctx;
    if (wp->before) {
        clear_progress(wp->r);
        fputs(wp->before, stderr);
    }
    page_done(wp->r, pg, res, e, err);
}

static int feed_records(sr_pipeline *p, void *ctx)
{
    struct warc_feed *f = ctx;
    int failed = 0;
    while (!stopping) {
        sr_arena *arena = sr_pipeline_page_arena(p);
        if (!arena) {
            hold_line(f, f->path, "out of memory");
            return failed + 1;
        }
        sr_warc_record *rec;
        sr_err e = sr_warc_next(f->w, arena, &rec);
        if (e == SR_ENOTFOUND)
            break;
        if (e) {
            hold_line(f, f->path, sr_warc_error(f->w));
            failed++;
            continue;
        }
        if (!((rec->http_status == 200 || !rec->http_status) && is_html(rec->content_type)))
            continue;
        char source[4200];
        snprintf(source, sizeof source, "%s@%llu", f->path, (unsigned long long)rec->offset);
        sr_page pg = {.body = rec->body, .len = rec->body_len, .source = source,
                      .url = rec->target_uri, .content_type = sr_warc_header(rec, "Content-Type")};
        struct tm tm = {0};
        if (rec->date && strptime(rec->date, "%Y-%m-%dT%H:%M:%S", &tm))
            pg.fetched = (int64_t)timegm(&tm);
        struct warc_page *wp = sr_arena_alloc(arena, sizeof *wp);
        if (wp) {
            wp->r = f->r;
            wp->before = f->pending.len ? sr_arena_strndup(arena, f->pending.data, f->pending.len) : NULL;
        }
        if (!wp || (f->pending.len && !wp->before) ||
            sr_pipeline_submit_built(p, &pg, warc_page_done, wp) != SR_OK) {
            hold_line(f, pg.source, "out of memory");
            f->pages_failed++;
            continue;
        }
        sr_buf_reset(&f->pending);
    }
    return failed;
}

static int ingest_warc(struct run *r, const char *path)
{
    struct warc_feed f = {.r = r, .path = path};
    sr_buf_init(&f.pending, 0);
    sr_err e = sr_warc_open(path, &r->limits, &f.w);
    if (e) {
        sr_cli_error("%s: cannot read: %s", path, sr_strerror(e));
        sr_buf_free(&f.pending);
        return 1;
    }
    int failed = sr_pipeline_feed(r->p, feed_records, &f);
    if (f.pending.len) {
        clear_progress(r);
        fwrite(f.pending.data, 1, f.pending.len, stderr);
    }
    r->pages_failed += f.pages_failed;
    sr_buf_free(&f.pending);
    sr_warc_close(f.w);
    return failed;
}

/* Feeds and sitemaps name pages: each names up to --max-pages of them, and
 * the pages of one level are fetched together (sr_fetch_many), within the
 * fetcher's per-host limits and delays. A feed or sitemap found among them
 * (a sitemap index's sitemaps) is read the same way one level down; two
 * levels at most. The fetcher refuses private addresses unless
 * --allow-private. */
struct links {
    struct run *r;
    sr_arena *a;
    sr_fetch_request *reqs;
    size_t n, cap;
    int depth;            /* of the pages these links name */
    struct links *next;   /* the links of feeds and sitemaps found among them */
    int failed;
};

static int add_links(struct links *l, const char *source, const char *data, size_t len,
                     sr_source_kind kind, const char *base);
static int fetch_links(struct links *l);
static int fetched_page(struct run *r, const char *url, const sr_response *res);

static int ingest_links(struct run *r, const char *source, const char *data, size_t len,
                        sr_source_kind kind, const char *base, int depth)
{
    struct links l = {.r = r, .a = sr_arena_new(0), .depth = depth + 1};
    int failed = add_links(&l, source, data, len, kind, base);
    while (l.n && !stopping) {
        struct links next = {.r = r, .a = sr_arena_new(0), .depth = l.depth + 1};
        l.next = &next;
        failed += fetch_links(&l);
        free(l.reqs);
        sr_arena_free(l.a);
        l = next;
    }
    free(l.reqs);
    sr_arena_free(l.a);
    return failed;
}

static void fetch_error(const char *url, sr_err e, const char *message)
{
    if (e == SR_EDENIED)
        sr_cli_error("%s: %s (use --allow-private to allow it)", url, message);
    else
        sr_cli_error("%s: %s", url, message);
}

static int ingest_url(struct run *r, const char *url, int depth)
{
    sr_response res = {0};
    sr_err e = sr_fetch(r->fetcher, url, &res);
    if (e) {
        if (!stopping)  /* a cancelled fetch is not the site's fault */
            fetch_error(url, e, sr_fetcher_message(r->fetcher));
        return 1;
    }
    int failed = 0;
    sr_source_kind kind = sr_source_sniff(res.body, res.len);
    if (kind == SR_SOURCE_FEED || kind == SR_SOURCE_SITEMAP)
        failed = depth < 2 ? ingest_links(r, url, res.body, res.len, kind, res.url, depth) : 0;
    else
        failed = fetched_page(r, url, &res);
    sr_response_free(&res);
    return failed;
}

static int fetched_page(struct run *r, const char *url, const sr_response *res)
{
    sr_page pg = {.body = res->body, .len = res->len, .source = url, .url = res->url,
                  .content_type = res->content_type, .fetched = (int64_t)time(NULL)};
    int before = r->failed;
    page(r, &pg);
    int failed = r->failed - before;
    r->failed = before;
    return failed;
}

static int add_link(struct links *l, const char *url)
{
    if (!l->a)
        return 1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        sr_fetch_request *v = realloc(l->reqs, cap * sizeof *v);
        if (!v)
            return 1;
        l->reqs = v;
        l->cap = cap;
    }
    const char *copy = sr_arena_strdup(l->a, url);
    if (!copy)
        return 1;
    l->reqs[l->n++] = (sr_fetch_request){.url = copy};
    return 0;
}

static int add_links(struct links *l, const char *source, const char *data, size_t len,
                     sr_source_kind kind, const char *base)
{
    sr_arena *a = sr_arena_new(0);
    char err[SR_INGEST_ERRLEN] = "";
    int fetched = 0, lost = 0;
    if (kind == SR_SOURCE_FEED) {
        sr_feed *feed = NULL;
        if (sr_feed_parse(data, len, base, &l->r->limits, a, &feed, err, sizeof err) != SR_OK || !feed) {
            sr_cli_error("%s: %s", source, err[0] ? err : "not a readable feed");
            sr_arena_free(a);
            return 1;
        }
        for (size_t i = 0; i < feed->n_items && fetched < l->r->max_pages; i++)
            if (feed->items[i].link) {
                lost += add_link(l, feed->items[i].link);
                fetched++;
            }
    } else {
        sr_sitemap *map = NULL;
        if (sr_sitemap_parse(data, len, base, &l->r->limits, a, &map, err, sizeof err) != SR_OK || !map) {
            sr_cli_error("%s: %s", source, err[0] ? err : "not a readable sitemap");
            sr_arena_free(a);
            return 1;
        }
        for (size_t i = 0; i < map->n_entries && fetched < l->r->max_pages; i++, fetched++)
            lost += add_link(l, map->entries[i].loc);
    }
    sr_arena_free(a);
    if (lost)
        sr_cli_error("%s: out of memory: %d of its links are not read", source, lost);
    return lost ? 1 : 0;
}

static int on_link(const sr_fetch_request *req, sr_err e, sr_response *res, const char *message, void *ctx)
{
    struct links *l = ctx;
    if (e) {
        fetch_error(req->url, e, message);
        l->failed++;
        return stopping != 0;
    }
    sr_source_kind kind = sr_source_sniff(res->body, res->len);
    if (kind == SR_SOURCE_FEED || kind == SR_SOURCE_SITEMAP) {
        if (l->depth < 2)
            l->failed += add_links(l->next, req->url, res->body, res->len, kind, res->url);
    } else {
        l->failed += fetched_page(l->r, req->url, res);
    }
    return stopping != 0;
}

static int fetch_links(struct links *l)
{
    l->failed = 0;
    if (sr_fetch_many(l->r->fetcher, l->reqs, l->n, on_link, l) != SR_OK) {
        sr_cli_error("ingest: %s", sr_fetcher_message(l->r->fetcher));
        return l->failed + 1;
    }
    return l->failed;
}

static int ingest_input(const char *path, void *ctx)
{
    struct run *r = ctx;
    if (stopping)
        return 0;
    if (sr_cli_is_url(path))
        return ingest_url(r, path, 0);
    /* Look at the first bytes: a WARC file is streamed, anything else read whole. */
    char head[4096];
    size_t n = 0;
    if (strcmp(path, "-") != 0) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            sr_cli_error("%s: %s", path, strerror(errno));
            return 1;
        }
        n = fread(head, 1, sizeof head, f);
        fclose(f);
        if (sr_source_sniff(head, n) == SR_SOURCE_WARC)
            return ingest_warc(r, path);
    }
    char *data;
    size_t len;
    sr_err e = sr_read_file(path, r->limits.max_body_bytes, &data, &len);
    if (e) {
        sr_cli_error("%s: %s", path, e == SR_ETOOBIG ? "larger than the 32 MiB a page may be" : sr_strerror(e));
        return 1;
    }
    int failed = 0;
    sr_source_kind kind = sr_source_sniff(data, len);
    if (kind == SR_SOURCE_FEED || kind == SR_SOURCE_SITEMAP) {
        failed = ingest_links(r, path, data, len, kind, NULL, 0);
    } else if (kind == SR_SOURCE_WARC) {
        sr_cli_error("%s: a WARC file on standard input is not supported; give its path", path);
        failed = 1;
    } else {
        sr_page pg = {.body = data, .len = len, .source = path};
        page(r, &pg);
    }
    free(data);
    return failed;
}
