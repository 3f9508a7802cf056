/* WARC read throughput and memory; see README.md for how to run it. */
#include <dirent.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "sitrep/ingest.h"
#include "warc_writer.h"

#define PAGE_MAX (4 << 20)

struct pages {
    char **data;
    size_t *len;
    size_t n, cap, bytes;
};

static void add_page(struct pages *p, char *data, size_t len)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->data = realloc(p->data, p->cap * sizeof *p->data);
        p->len = realloc(p->len, p->cap * sizeof *p->len);
    }
    p->data[p->n] = data;
    p->len[p->n++] = len;
    p->bytes += len;
}

static void load_dir(struct pages *p, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 4) {
            load_dir(p, path, depth + 1);
        } else if (strstr(e->d_name, ".html")) {
            char *data;
            size_t len;
            if (sr_read_file(path, PAGE_MAX, &data, &len) == SR_OK)
                add_page(p, data, len);
        }
    }
    closedir(d);
}

static void synthetic_pages(struct pages *p)
{
    for (int i = 0; i < 1000; i++) {
        size_t len = 60000;
        char *s = malloc(len + 1);
        size_t o = (size_t)snprintf(s, len, "<html><head><title>Report %d</title></head><body>", i);
        while (o + 80 < len)
            o += (size_t)snprintf(s + o, len - o, "<p>Fighting continued in Ramadi on day %d, officials said.</p>\n", i);
        add_page(p, s, o);
    }
}

static void write_warc(const char *path, enum warc_gz gz, const struct pages *p)
{
    warc_writer w;
    ww_open(&w, path, gz);
    ww_record(&w, "warcinfo", NULL, "application/warc-fields", NULL, "software: sitrep bench\r\n", 24);
    for (size_t i = 0; i < p->n; i++) {
        char uri[128];
        snprintf(uri, sizeof uri, "https://news%zu.example.com/article/%zu", i % 50, i);
        char req[256];
        int rn = snprintf(req, sizeof req, "GET /article/%zu HTTP/1.1\r\nHost: news.example.com\r\n\r\n", i);
        ww_record(&w, "request", uri, "application/http; msgtype=request", NULL, req, (size_t)rn);
        ww_response(&w, uri, "Content-Type: text/html; charset=utf-8\r\n", p->data[i], p->len[i]);
    }
    ww_close(&w);
}

/* The 10x file: the 1x file's bytes ten times (gzip members concatenate). */
static void repeat_file(const char *src, const char *dst, int times)
{
    char *data;
    size_t len;
    if (sr_read_file(src, (size_t)1 << 31, &data, &len) != SR_OK)
        exit(1);
    FILE *f = fopen(dst, "wb");
    for (int i = 0; i < times; i++)
        fwrite(data, 1, len, f);
    fclose(f);
    free(data);
}

/* CPU seconds of this process: the machine is shared, and the ratio of two
 * readers should not depend on what else runs beside them. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double read_sr(const char *path, size_t *records, size_t *bytes)
{
    double t0 = cpu_now();
    sr_warc *r;
    if (sr_warc_open(path, NULL, &r) != SR_OK)
        exit(1);
    sr_arena *a = sr_arena_new(0);
    sr_warc_record *rec;
    sr_err e;
    *records = *bytes = 0;
    while ((e = sr_warc_next(r, a, &rec)) != SR_ENOTFOUND) {
        if (e == SR_OK) {
            (*records)++;
            *bytes += rec->body_len;
        } else {
            fprintf(stderr, "bench_warc: %s: %s\n", path, sr_warc_error(r));
        }
        sr_arena_reset(a);
    }
    sr_arena_free(a);
    sr_warc_close(r);
    return cpu_now() - t0;
}

/* The bound: inflate every member, parse nothing. */
static double read_zlib(const char *path, size_t *out_bytes)
{
    double t0 = cpu_now();
    gzFile g = gzopen(path, "rb");
    gzbuffer(g, 1 << 16);
    static char buf[1 << 16];
    int n;
    *out_bytes = 0;
    while ((n = gzread(g, buf, sizeof buf)) > 0)
        *out_bytes += (size_t)n;
    gzclose(g);
    return cpu_now() - t0;
}

/* Peak RSS of this process's own address space (VmHWM starts afresh at exec,
 * unlike getrusage's maximum, which remembers the pages of the parent). */
static long own_peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* A fresh process that only reads the file and says how much memory it used. */
static long child_peak_rss_kb(const char *self, const char *path)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --read '%s'", self, path);
    FILE *f = popen(cmd, "r");
    long kb = 0;
    if (!f || fscanf(f, "%ld", &kb) != 1)
        kb = 0;
    if (f)
        pclose(f);
    return kb;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

int main(int argc, char **argv)
{
    const char *keep = NULL;
    struct pages p = {0};
    if (argc == 3 && strcmp(argv[1], "--read") == 0) {
        size_t recs, bytes;
        read_sr(argv[2], &recs, &bytes);
        printf("%ld\n", own_peak_rss_kb());
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else
            load_dir(&p, argv[i], 0);
    }
    if (argc == 1 || (keep && argc == 3))
        load_dir(&p, SR_CORPORA "/extract", 0);
    if (p.n == 0) {
        fprintf(stderr, "bench_warc: no pages under %s; using generated pages\n", SR_CORPORA "/extract");
        synthetic_pages(&p);
    }
    char dir[256], gz1[300], gz10[300], plain[300];
    if (keep)
        snprintf(dir, sizeof dir, "%s", keep);
    else {
        snprintf(dir, sizeof dir, "/tmp/sr-bench-warc-XXXXXX");
        if (!mkdtemp(dir))
            return 1;
    }
    snprintf(gz1, sizeof gz1, "%s/x1.warc.gz", dir);
    snprintf(gz10, sizeof gz10, "%s/x10.warc.gz", dir);
    snprintf(plain, sizeof plain, "%s/x1.warc", dir);
    write_warc(gz1, WARC_GZ_MEMBERS, &p);
    write_warc(plain, WARC_PLAIN, &p);
    repeat_file(gz1, gz10, 10);
    printf("pages: %zu (%.1f MB of HTML); x1.warc.gz %.1f MB, x10.warc.gz %.1f MB, x1.warc %.1f MB\n",
           p.n, p.bytes / 1e6, file_size(gz1) / 1e6, file_size(gz10) / 1e6, file_size(plain) / 1e6);

    size_t recs, bytes, zbytes;
    /* Warm the page cache first so both readers see the same disk. */
    read_zlib(gz1, &zbytes);
    double t_z = read_zlib(gz1, &zbytes);
    double t_sr = read_sr(gz1, &recs, &bytes);
    printf("warc.gz  sitrep: %zu records in %.2f CPU s = %.0f records/s, %.0f MB/s uncompressed\n",
           recs, t_sr, recs / t_sr, zbytes / 1e6 / t_sr);
    printf("warc.gz  bound (zlib inflate only): %.2f CPU s = %.0f MB/s; sitrep runs at %.0f%% of the bound\n",
           t_z, zbytes / 1e6 / t_z, 100.0 * t_z / t_sr);

    size_t pbytes = 0;
    read_sr(plain, &recs, &bytes);
    double t0 = cpu_now();
    FILE *f = fopen(plain, "rb");
    static char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        pbytes += n;
    fclose(f);
    double t_fread = cpu_now() - t0;
    double t_plain = read_sr(plain, &recs, &bytes);
    printf("warc     sitrep: %zu records in %.3f CPU s = %.0f MB/s; bound (fread) %.0f MB/s; sitrep at %.0f%% of the bound\n",
           recs, t_plain, pbytes / 1e6 / t_plain, pbytes / 1e6 / t_fread, 100.0 * t_fread / t_plain);

    long rss1 = child_peak_rss_kb(argv[0], gz1), rss10 = child_peak_rss_kb(argv[0], gz10);
    printf("peak RSS reading x1: %.1f MB, x10: %.1f MB (ratio %.2f; 1.00 = flat)\n",
           rss1 / 1024.0, rss10 / 1024.0, (double)rss10 / rss1);
    if (!keep) {
        unlink(gz1);
        unlink(gz10);
        unlink(plain);
        rmdir(dir);
    }
    for (size_t i = 0; i < p.n; i++)
        free(p.data[i]);
    free(p.data);
    free(p.len);
    return 0;
}
