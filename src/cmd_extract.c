/* sitrep extract: the article out of each page given, as JSON Lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "sitrep/extract.h"
#include "sitrep/fetch.h"
#include "sitrep/util.h"

static int run(int argc, char **argv);

const struct sr_cli_command sr_cmd_extract = {
    "extract",
    "pull the article (title, date, authors, text, captions...) out of news pages",
    "usage: sitrep extract [--text] [--timeout S] [--max-size BYTES] FILE|DIR|URL|- ...\n"
    "\n"
    "Writes one JSON object per page on stdout (JSON Lines): source, url, title,\n"
    "published (+ published_precision, published_source), modified, authors,\n"
    "lang, site_name, description, text, captions [{text, credit}], images,\n"
    "word_count. A page that fails gives {\"source\": ..., \"error\": ...} and a\n"
    "one-line message on stderr; the run goes on.\n"
    "\n"
    "  FILE       an HTML page; DIR: every .html/.htm file below it; -: stdin;\n"
    "             http(s)://...: fetched (redirects, gzip/brotli)\n"
    "  --text     inputs are pages already flattened to plain text (DIR: .txt files)\n"
    "  --timeout S       seconds allowed for each URL (default 30)\n"
    "  --max-size BYTES  largest page read or fetched (default 33554432)\n"
    "  --allow-private   let URLs reach private and loopback addresses (refused by default)\n"
    "\n"
    "Exit status: 0 all pages extracted, 1 some failed, 2 usage error.\n",
    run,
};

typedef struct job {
    bool text_mode, allow_private;
    size_t max_size;
    double timeout;
    sr_extractor *ex;
    sr_fetcher *fetcher;
    sr_buf out;
} job;

static int extract_one(const char *input, void *ctx);

static int run(int argc, char **argv)
{
    job jb = {.max_size = 32u << 20, .timeout = 30};
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--text")) {
            jb.text_mode = true;
        } else if (!strcmp(a, "--allow-private")) {
            jb.allow_private = true;
        } else if (!strcmp(a, "--timeout") || !strcmp(a, "--max-size")) {
            if (i + 1 >= argc)
                return sr_cli_usage_error("extract", "%s needs a value", a);
            char *end;
            errno = 0;
            double v = strtod(argv[++i], &end);
            if (*end || errno || v <= 0 || v > 1e12)
                return sr_cli_usage_error("extract", "%s: not a positive number: %s", a, argv[i]);
            if (a[2] == 't')
                jb.timeout = v;
            else
                jb.max_size = (size_t)v;
        } else if (a[0] == '-' && a[1]) {
            return sr_cli_usage_error("extract", "unknown option %s", a);
        } else {
            break;
        }
    }
    if (i >= argc)
        return sr_cli_usage_error("extract", "no input given");

    sr_extract_options eo = {.max_bytes = jb.max_size};
    sr_fetch_options fo = {.timeout = jb.timeout, .max_bytes = jb.max_size, .allow_private = jb.allow_private};
    jb.ex = sr_extractor_new(&eo);
    jb.fetcher = sr_fetcher_new(&fo);
    if (!jb.ex || !jb.fetcher) {
        sr_cli_error("out of memory");
        sr_extractor_free(jb.ex);
        sr_fetcher_free(jb.fetcher);
        return SR_EXIT_SOME_FAILED;
    }
    sr_buf_init(&jb.out, jb.max_size * 6 + 65536);
    static const char *const html_suffixes[] = {".html", ".htm", ".xhtml", ".shtml", NULL};
    static const char *const text_suffixes[] = {".txt", NULL};
    int failed = sr_cli_each_input(argc - i, argv + i, jb.text_mode ? text_suffixes : html_suffixes,
                                   extract_one, &jb);
    sr_buf_free(&jb.out);
    sr_extractor_free(jb.ex);
    sr_fetcher_free(jb.fetcher);
    return failed ? SR_EXIT_SOME_FAILED : SR_EXIT_OK;
}

static void write_line(job *jb)
{
    sr_buf_putc(&jb->out, '\n');
    fwrite(jb->out.data, 1, jb->out.len, stdout);
    fflush(stdout);
    sr_buf_reset(&jb->out);
}

static int report(job *jb, const char *input, const char *problem)
{
    sr_cli_error("%s: %s", input, problem);
    sr_buf_reset(&jb->out);
    sr_json j;
    sr_json_init(&j, &jb->out);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "source", input);
    sr_json_kv_string(&j, "error", problem);
    sr_json_object_end(&j);
    write_line(jb);
    return 1;
}

static sr_err load(job *jb, const char *input, char **data, size_t *len, char **url, char **ctype,
                   char *why, size_t whysz)
{
    *url = *ctype = NULL;
    if (sr_cli_is_url(input)) {
        sr_response r;
        sr_err e = sr_fetch(jb->fetcher, input, &r);
        if (e) {
            snprintf(why, whysz, "%s", sr_fetcher_message(jb->fetcher));
            return e;
        }
        *data = r.body, *len = r.len, *url = r.url, *ctype = r.content_type;
        free(r.etag);
        free(r.last_modified);
        return SR_OK;
    }
    sr_err e = sr_read_file(input, jb->max_size, data, len);
    if (e == SR_ETOOBIG)
        snprintf(why, whysz, "page over the size limit of %zu bytes (--max-size)", jb->max_size);
    else if (e)
        snprintf(why, whysz, "%s", errno ? strerror(errno) : sr_strerror(e));
    return e;
}

static int extract_one(const char *input, void *ctx)
{
    job *jb = ctx;
    char *data = NULL, *url = NULL, *ctype = NULL;
    size_t len = 0;
    char why[512];
    errno = 0;
    if (load(jb, input, &data, &len, &url, &ctype, why, sizeof why) != SR_OK)
        return report(jb, input, why);
    sr_arena *arena = sr_arena_new(((size_t)64 << 20) + len * 16);
    sr_article *art = NULL;
    sr_err e = SR_ENOMEM;
    if (arena)
        e = jb->text_mode ? sr_extract_text(jb->ex, arena, data, len, input, &art)
                          : sr_extract_html(jb->ex, arena, data, len, input, url, ctype, &art);
    int rc = 0;
    if (e == SR_OK) {
        sr_json j;
        sr_json_init(&j, &jb->out);
        sr_article_write_json(art, &j);
        if (jb->out.failed)
            rc = report(jb, input, "article too large to write");
        else
            write_line(jb);
    } else {
        const char *msg = sr_extractor_message(jb->ex);
        rc = report(jb, input, strcmp(msg, "no error") ? msg : sr_strerror(e));
    }
    sr_arena_free(arena);
    free(data);
    free(url);
    free(ctype);
    return rc;
}
