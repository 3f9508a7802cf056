/*
 * bench_store: how fast the store takes events and answers map queries.
 *
 *   cmake --build build --target bench_store
 *   ./build/bench/store/bench_store [--events N] [--queries Q] [--articles N] [--db PATH] [--keep]
 *   ./build/bench/store/bench_store --generate-only --events 2000 --db PATH
 *
 * 1. Generates N events (default 1,000,000) into a fresh store, one article
 *    per ten events, in batches of 10,000, and prints events/s.
 * 2. Asks Q map queries (default 2,000): a region-sized box (2-12 degrees)
 *    around one of the hot spots events cluster on, over a 7-60 day window,
 *    first page of 500 newest events, as the map API does. Prints queries/s,
 *    p50 and p99.
 * 3. Bounds measured in the same run on the same queries:
 *    - a floor: COUNT(*) over the R*Tree alone for the same box and window
 *      (no event rows read, no ordering; the R*Tree counts time in days);
 *    - a ceiling: the same page answered by a full scan of events (NOT
 *      INDEXED), on the first 20 queries.
 *    It prints the store's p50 as a ratio of both.
 * 4. The same for a time window alone (the timeline: newest 500 of a day).
 * 5. Articles: 20,000 articles of about 4 KB of generated text each (what the
 *    full-text index costs), in batches of 500, into a store of their own;
 *    prints articles/s beside the rate of writing the same bytes to a file.
 *
 * Events are generated, not taken from any corpus: hot spots are fixed
 * pseudo-random points, so every run builds the same store.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "sitrep/store.h"
#include "sitrep/util.h"

#define HOTSPOTS 300
#define DAYS 365
#define T0 1672531200  /* 2023-01-01 */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17; return rng; }
static double uniform(double lo, double hi) { return lo + (hi - lo) * (double)(next() >> 11) / 9007199254740992.0; }
static int pick(int n) { return (int)(next() % (uint64_t)n); }
static double gauss(void) { return sqrt(-2 * log(uniform(1e-12, 1))) * cos(2 * M_PI * uniform(0, 1)); }

/* CPU seconds of this process: on a shared machine the wall clock also
 * counts other people's work, so rates are printed per CPU second too. */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* This thread's CPU time in ns resolution, for per-query figures. */
static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double spot_lat[HOTSPOTS], spot_lon[HOTSPOTS];

static void make_hotspots(void)
{
    for (int i = 0; i < HOTSPOTS; i++) {
        spot_lat[i] = uniform(-40, 60);
        spot_lon[i] = uniform(-120, 150);
    }
}

static int generate(sr_store *s, long n)
{
    static const char *const types[] = {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                        "Protests", "Riots", "Strategic developments"};
    static const char *const cameos[] = {"190", "193", "195", "1823", "141", "145", "0211", "173"};
    static const char *const actors[] = {"IRQMIL", "SYRREB", "UKRMIL", "RUSMIL", "NGAGOV", "SDNREB", "USAGOV", "COP"};
    static const char *const ccs[] = {"IQ", "SY", "UA", "RU", "NG", "SD", "US", "FR"};
    double t0 = sr_now(), c0 = cpu_now();
    int64_t article = 0;
    for (long i = 0; i < n; i++) {
        if (i % 10000 == 0 && (i ? sr_store_commit(s) : 0) == SR_OK && sr_store_begin(s) != SR_OK)
            return 1;
        if (i % 10 == 0) {
            char url[64], hash[32], text[160];
            snprintf(url, sizeof url, "https://news.example/%ld", i / 10);
            snprintf(hash, sizeof hash, "%016llx", (unsigned long long)next());
            snprintf(text, sizeof text, "Report %ld: clashes and protests near the hot spot, officials said.", i / 10);
            sr_store_article a = {.url = url, .title = "Report", .text = text, .content_hash = hash,
                                  .fetched = T0 + i % (DAYS * 86400)};
            if (sr_store_article_add(s, &a, &article, NULL)) {
                fprintf(stderr, "bench_store: %s\n", sr_store_errmsg(s));
                return 1;
            }
        }
        int h = pick(HOTSPOTS), k = pick(8);
        sr_store_event e;
        sr_store_event_init(&e);
        e.article_id = article;
        e.date = T0 + (int64_t)pick(DAYS) * 86400 + pick(86400);
        e.date_precision = SR_PREC_DAY;
        e.lat = fmax(-89, fmin(89, spot_lat[h] + gauss() * 0.7));
        e.lon = fmax(-179, fmin(179, spot_lon[h] + gauss() * 0.7));
        e.cc = ccs[h % 8];
        e.cameo = cameos[k];
        e.acled_type = types[pick(6)];
        e.actor1.code = actors[pick(8)];
        e.actor2.code = actors[pick(8)];
        e.fatalities.value = pick(3) ? -1 : pick(40);
        e.place_name = "Hotspot";
        e.place_kind = "city";
        e.sentence = "Clashes broke out near the town, officials said.";
        if (sr_store_event_add(s, &e, NULL)) {
            fprintf(stderr, "bench_store: %s\n", sr_store_errmsg(s));
            return 1;
        }
    }
    if (sr_store_commit(s))
        return 1;
    double dt = sr_now() - t0, cpu = cpu_now() - c0;
    printf("insert: %ld events (+%ld articles) in %.1f s = %.0f events/s (%.0f per CPU second)\n", n, n / 10,
           dt, n / dt, n / cpu);
    return 0;
}

typedef struct map_query { sr_store_filter f; } map_query;

static void random_query(sr_store_filter *f, bool with_box)
{
    memset(f, 0, sizeof *f);
    if (with_box) {
        int h = pick(HOTSPOTS);
        double half = uniform(1, 6);
        f->has_bbox = true;
        f->west = fmax(-180, spot_lon[h] - half), f->east = fmin(180, spot_lon[h] + half);
        f->south = fmax(-90, spot_lat[h] - half), f->north = fmin(90, spot_lat[h] + half);
        f->has_since = f->has_until = true;
        f->since = T0 + (int64_t)pick(DAYS - 60) * 86400;
        f->until = f->since + (int64_t)(7 + pick(54)) * 86400;
    } else {
        f->has_since = f->has_until = true;
        f->since = T0 + (int64_t)pick(DAYS) * 86400;
        f->until = f->since + 86400;
    }
    f->limit = 500;
}

static int count_row(const sr_store_event *e, void *ctx) { ++*(long *)ctx; return 0; }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[(int)fmin(n - 1, floor(p * n))];
}

/* The floor: the R*Tree alone counts what is in the box and window (one
 * statement prepared once, like the store's cached ones). */
static sqlite3_stmt *floor_stmt;

static double rtree_only(sqlite3 *db, const sr_store_filter *f, double *cpu)
{
    sqlite3_stmt *st = floor_stmt;
    if (!st)
        sqlite3_prepare_v2(db, "SELECT count(*) FROM events_geo WHERE min_lon <= ?1 AND max_lon >= ?2"
                               " AND min_lat <= ?3 AND max_lat >= ?4 AND min_t <= ?5 AND max_t >= ?6",
                           -1, &st, NULL);
    floor_stmt = st;
    sqlite3_reset(st);
    sqlite3_bind_double(st, 1, f->east), sqlite3_bind_double(st, 2, f->west);
    sqlite3_bind_double(st, 3, f->north), sqlite3_bind_double(st, 4, f->south);
    sqlite3_bind_double(st, 5, f->until / 86400.0), sqlite3_bind_double(st, 6, f->since / 86400.0);
    double t = sr_now(), c = thread_cpu();
    sqlite3_step(st);
    *cpu = thread_cpu() - c;
    t = sr_now() - t;
    sqlite3_reset(st);
    return t;
}

/* The ceiling: no index at all, the same page. */
static double full_scan(sqlite3 *db, const sr_store_filter *f, double *cpu)
{
    sqlite3_stmt *st;
    const char *sql = f->has_bbox
        ? "SELECT * FROM events NOT INDEXED WHERE lon BETWEEN ?1 AND ?2 AND lat BETWEEN ?3 AND ?4"
          " AND date >= ?5 AND date < ?6 ORDER BY date DESC, id DESC LIMIT 500"
        : "SELECT * FROM events NOT INDEXED WHERE date >= ?5 AND date < ?6 ORDER BY date DESC, id DESC LIMIT 500";
    sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (f->has_bbox) {
        sqlite3_bind_double(st, 1, f->west), sqlite3_bind_double(st, 2, f->east);
        sqlite3_bind_double(st, 3, f->south), sqlite3_bind_double(st, 4, f->north);
    }
    sqlite3_bind_int64(st, 5, f->since), sqlite3_bind_int64(st, 6, f->until);
    double t = sr_now(), c = thread_cpu();
    while (sqlite3_step(st) == SQLITE_ROW)
        ;
    *cpu = thread_cpu() - c;
    t = sr_now() - t;
    sqlite3_finalize(st);
    return t;
}

/* Latencies by the wall clock and by this thread's CPU time: on a shared
 * machine the wall clock also counts waiting for a core, so both are shown
 * and ratios are taken on CPU time. */
static void run_queries(sr_store *s, sqlite3 *db, int nq, bool with_box, const char *label)
{
    double *lat = malloc(nq * sizeof *lat), *cpu = malloc(nq * sizeof *cpu);
    double *floor_cpu = malloc(nq * sizeof *floor_cpu), *floor_wall = malloc(nq * sizeof *floor_wall);
    double scan_cpu[20], scan_wall[20];
    long rows = 0;
    int nscan = 0;
    double t0 = sr_now(), c0 = thread_cpu();
    uint64_t seed = rng;
    for (int i = 0; i < nq; i++) {
        sr_store_filter f;
        random_query(&f, with_box);
        double t = sr_now(), c = thread_cpu();
        if (sr_store_events(s, &f, count_row, &rows)) {
            fprintf(stderr, "bench_store: %s\n", sr_store_errmsg(s));
            exit(1);
        }
        cpu[i] = thread_cpu() - c;
        lat[i] = sr_now() - t;
    }
    double total = sr_now() - t0, total_cpu = thread_cpu() - c0;
    rng = seed;  /* the same queries again for the bounds */
    for (int i = 0; i < nq; i++) {
        sr_store_filter f;
        random_query(&f, with_box);
        floor_wall[i] = with_box ? rtree_only(db, &f, &floor_cpu[i]) : 0;
        if (nscan < 20) {
            scan_wall[nscan] = full_scan(db, &f, &scan_cpu[nscan]);
            nscan++;
        }
    }
    printf("%s: %d queries, %.1f rows/query\n", label, nq, (double)rows / nq);
    printf("  wall: %.0f queries/s, p50 %.2f ms, p99 %.2f ms\n", nq / total, pct(lat, nq, 0.5) * 1e3,
           pct(lat, nq, 0.99) * 1e3);
    double p50 = pct(cpu, nq, 0.5), p99 = pct(cpu, nq, 0.99);
    printf("  CPU:  %.0f queries/s per core, p50 %.2f ms, p99 %.2f ms\n", nq / total_cpu, p50 * 1e3, p99 * 1e3);
    double scan50 = pct(scan_cpu, nscan, 0.5);
    printf("  full scan (no index), same page: CPU p50 %.1f ms (wall %.1f) -> store is %.0fx faster\n",
           scan50 * 1e3, pct(scan_wall, nscan, 0.5) * 1e3, scan50 / p50);
    if (with_box) {
        double f50 = pct(floor_cpu, nq, 0.5);
        printf("  R*Tree COUNT alone, same box+window: CPU p50 %.2f ms (wall %.2f) -> store p50 is %.1fx that floor\n",
               f50 * 1e3, pct(floor_wall, nq, 0.5) * 1e3, p50 / f50);
    }
    free(lat);
    free(cpu);
    free(floor_cpu);
    free(floor_wall);
}

/* Text of `words` words drawn from a skewed vocabulary of made-up words, so
 * the index sees few frequent and many rare terms, as in news. */
static void fake_text(char *out, size_t cap, int words)
{
    size_t o = 0;
    for (int w = 0; w < words && o + 16 < cap; w++) {
        uint64_t r = next();
        int rank = (int)(pow(uniform(0, 1), 3) * 20000);
        uint64_t h = (uint64_t)rank * 0x9E3779B97F4A7C15ull;
        int len = 3 + (int)(h % 8);
        for (int k = 0; k < len; k++, h /= 26)
            out[o++] = (char)('a' + h % 26);
        out[o++] = (r & 15) == 0 ? '.' : ' ';
        if (out[o - 1] == '.')
            out[o++] = ' ';
    }
    out[o] = '\0';
}

static int articles_phase(const char *path, int n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
    if (system(cmd) != 0)
        return 1;
    sr_store *s;
    char err[512];
    if (sr_store_open(path, 0, &s, err, sizeof err)) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    static char text[8192];
    size_t bytes = 0;
    double t0 = sr_now(), c0 = cpu_now();
    for (int i = 0; i < n; i++) {
        if (i % 500 == 0 && ((i && sr_store_commit(s)) || sr_store_begin(s)))
            return 1;
        char url[64], hash[32];
        snprintf(url, sizeof url, "https://news.example/long/%d", i);
        snprintf(hash, sizeof hash, "%016llx", (unsigned long long)next());
        fake_text(text, sizeof text, 650);
        bytes += strlen(text);
        sr_store_article a = {.url = url, .title = "A long report", .text = text, .content_hash = hash};
        if (sr_store_article_add(s, &a, NULL, NULL)) {
            fprintf(stderr, "bench_store: %s\n", sr_store_errmsg(s));
            return 1;
        }
    }
    if (sr_store_commit(s))
        return 1;
    double dt = sr_now() - t0, cpu = cpu_now() - c0;
    sr_store_close(s);
    /* The peer: the same bytes written to a plain file and synced once. */
    snprintf(cmd, sizeof cmd, "%s.txt", path);
    FILE *f = fopen(cmd, "w");
    double t1 = sr_now();
    for (int i = 0; i < n && f; i++) {
        fake_text(text, sizeof text, 650);
        fputs(text, f);
    }
    if (f) {
        fflush(f);
        fsync(fileno(f));
        fclose(f);
    }
    double dt_file = sr_now() - t1;
    remove(cmd);
    printf("articles: %d of %.1f KB text in %.1f s = %.0f articles/s (%.0f per CPU second), %.1f MB/s;"
           " plain file write of the same text %.0f MB/s\n",
           n, bytes / 1024.0 / n, dt, n / dt, n / cpu, bytes / dt / 1e6, bytes / dt_file / 1e6);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
    return system(cmd) != 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);  /* each figure as soon as it is measured */
    long n = 1000000;
    int nq = 2000, narticles = 20000;
    const char *path = NULL;
    bool keep = false, generate_only = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            n = atol(argv[++i]);
        else if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
            nq = atoi(argv[++i]);
        else if (strcmp(argv[i], "--articles") == 0 && i + 1 < argc)
            narticles = atoi(argv[++i]);
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = true;
        else if (strcmp(argv[i], "--generate-only") == 0)
            generate_only = keep = true;
        else {
            fprintf(stderr, "usage: bench_store [--events N] [--queries Q] [--articles N] [--db PATH] [--keep] [--generate-only]\n");
            return 2;
        }
    }
    char tmp[64];
    if (!path) {
        snprintf(tmp, sizeof tmp, "/tmp/bench_store_%d.db", (int)getpid());
        path = tmp;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
    if (system(cmd) != 0)
        return 1;
    make_hotspots();
    sr_store *s;
    char err[512];
    if (sr_store_open(path, 0, &s, err, sizeof err)) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    int rc = generate(s, n);
    if (!rc && !generate_only) {
        sqlite3 *db;
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
        sqlite3_exec(db, "PRAGMA cache_size=-32768", NULL, NULL, NULL);  /* as the store's */
        run_queries(s, db, nq, true, "bbox + time window, newest 500");
        run_queries(s, db, nq, false, "time window (one day), newest 500");
        sqlite3_finalize(floor_stmt);
        sqlite3_close(db);
        char articles[300];
        snprintf(articles, sizeof articles, "%s-articles", path);
        rc = articles_phase(articles, narticles);
    }
    sr_store_close(s);
    if (!keep && system(cmd) != 0)
        return 1;
    return rc;
}
