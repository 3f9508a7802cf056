#define _GNU_SOURCE
/* sitrep export: the events of a store as CSV, JSON Lines or GeoJSON,
 * streamed (memory stays flat however many events there are). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/store.h"
#include "sitrep/util.h"
#include "cli.h"

static const char usage[] =
    "Usage: sitrep export [--format csv|jsonl|geojson] [--db PATH] [FILTERS...]\n"
    "\n"
    "Writes the events of a store to stdout, newest first.\n"
    "\n"
    "  --format FMT        csv (GDELT event table columns plus ACLED-style ones),\n"
    "                      jsonl (one JSON object per line; the default) or\n"
    "                      geojson (an RFC 7946 FeatureCollection)\n"
    "  --db PATH           the store (default ./sitrep.db)\n"
    "\n"
    "Filters (all must hold):\n"
    "  --since TIME        on or after TIME: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @UNIXSECONDS\n"
    "  --until TIME        before TIME; a bare date includes that whole day\n"
    "  --bbox W,S,E,N      inside the box (degrees; W > E crosses the antimeridian)\n"
    "  --country CC        ISO 3166-1 alpha-2 country of the place\n"
    "  --admin1 CODE       first-order division of the place\n"
    "  --root NN           CAMEO root code (e.g. 19 fight)\n"
    "  --cameo CODE        CAMEO event code or its prefix (e.g. 190, 18)\n"
    "  --type TYPE         ACLED-style type (e.g. Battles)\n"
    "  --subtype SUBTYPE   ACLED-style subtype (e.g. \"Armed clash\")\n"
    "  --actor CODE        CAMEO actor code prefix on either side (e.g. IRQ, IRQMIL)\n"
    "  --min-fatalities N  at least N reported killed\n"
    "  -q, --query WORDS   words in an article that supports the event\n"
    "  --limit N           at most N events\n"
    "\n"
    "Exit codes: 0 done, 1 the store could not be read or output failed, 2 usage.\n";

enum format { FMT_JSONL, FMT_CSV, FMT_GEOJSON };

typedef struct export_ctx {
    enum format format;
    sr_buf line;
    long long written;
    bool write_failed;
} export_ctx;

static int parse_args(int argc, char **argv, const char **db, enum format *format, sr_store_filter *f);
static int write_event(const sr_store_event *e, void *ctx);

static int run(int argc, char **argv)
{
    const char *db = "sitrep.db";
    enum format format = FMT_JSONL;
    sr_store_filter f = {0};
    int rc = parse_args(argc, argv, &db, &format, &f);
    if (rc)
        return rc;
    sr_store *s = NULL;
    char err[600];
    if (sr_store_open(db, SR_STORE_READONLY, &s, err, sizeof err)) {
        sr_cli_error("%s", err);
        return SR_EXIT_SOME_FAILED;
    }
    export_ctx ctx = {.format = format};
    /* One event is at most a few sentences and names: 4 MiB is plenty. */
    sr_buf_init(&ctx.line, 4u << 20);
    if (format == FMT_CSV)
        sr_store_event_csv_header(&ctx.line);
    else if (format == FMT_GEOJSON)
        sr_buf_puts(&ctx.line, "{\"type\":\"FeatureCollection\",\"features\":[\n");
    sr_err e = sr_store_events(s, &f, write_event, &ctx);
    if (e)
        sr_cli_error("%s: %s", db, sr_store_errmsg(s));
    if (format == FMT_GEOJSON)
        sr_buf_puts(&ctx.line, "\n]}\n");
    if (ctx.line.len && fwrite(ctx.line.data, 1, ctx.line.len, stdout) != ctx.line.len)
        ctx.write_failed = true;
    if (fflush(stdout) != 0 || ctx.write_failed) {
        sr_cli_error("export: writing the output failed: %s", strerror(errno));
        e = SR_EIO;
    }
    sr_buf_free(&ctx.line);
    sr_store_close(s);
    return e ? SR_EXIT_SOME_FAILED : SR_EXIT_OK;
}

const struct sr_cli_command sr_cmd_export = {
    "export", "write the store's events as CSV, JSON Lines or GeoJSON", usage, run,
};

/* Rows are gathered into one buffer and written in blocks of 64 KiB, so
 * output costs few system calls and memory stays flat. */
static int write_event(const sr_store_event *e, void *arg)
{
    export_ctx *ctx = arg;
    if (ctx->format == FMT_CSV) {
        sr_store_event_csv(&ctx->line, e);
    } else {
        if (ctx->format == FMT_GEOJSON && ctx->written)
            sr_buf_puts(&ctx->line, ",\n");
        sr_json j;
        sr_json_init(&j, &ctx->line);
        if (ctx->format == FMT_GEOJSON)
            sr_store_event_geojson(&j, e);
        else
            sr_store_event_json(&j, e);
        if (ctx->format == FMT_JSONL)
            sr_buf_putc(&ctx->line, '\n');
    }
    ctx->written++;
    if (ctx->line.failed) {
        sr_cli_error("export: event %lld does not fit in the output buffer", (long long)e->id);
        ctx->write_failed = true;
        return 1;
    }
    if (ctx->line.len >= 65536) {
        if (fwrite(ctx->line.data, 1, ctx->line.len, stdout) != ctx->line.len) {
            ctx->write_failed = true;
            return 1;
        }
        sr_buf_reset(&ctx->line);
    }
    return 0;
}

/* ---- Options. ------------------------------------------------------------- */

static int parse_args(int argc, char **argv, const char **db, enum format *format, sr_store_filter *f)
{
    enum { O_DB = 256, O_FORMAT, O_FILTER };
    static const struct option opts[] = {
        {"db", required_argument, 0, O_DB}, {"format", required_argument, 0, O_FORMAT},
        {"since", required_argument, 0, O_FILTER}, {"until", required_argument, 0, O_FILTER},
        {"bbox", required_argument, 0, O_FILTER}, {"country", required_argument, 0, O_FILTER},
        {"admin1", required_argument, 0, O_FILTER}, {"root", required_argument, 0, O_FILTER},
        {"cameo", required_argument, 0, O_FILTER}, {"type", required_argument, 0, O_FILTER},
        {"subtype", required_argument, 0, O_FILTER}, {"actor", required_argument, 0, O_FILTER},
        {"min-fatalities", required_argument, 0, O_FILTER}, {"query", required_argument, 0, O_FILTER},
        {"limit", required_argument, 0, O_FILTER}, {0, 0, 0, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    int index = 0;
    while ((c = getopt_long(argc, argv, ":q:", opts, &index)) != -1) {
        switch (c) {
        case O_DB: *db = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "csv") == 0)
                *format = FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                *format = FMT_JSONL;
            else if (strcmp(optarg, "geojson") == 0)
                *format = FMT_GEOJSON;
            else
                return sr_cli_usage_error("export", "unknown format '%s' (csv, jsonl or geojson)", optarg);
            break;
        case O_FILTER:
        case 'q': {
            char err[256];
            const char *key = c == 'q' ? "q" : opts[index].name;
            if (sr_store_filter_set(f, key, optarg, err, sizeof err))
                return sr_cli_usage_error("export", "--%s", err);
            break;
        }
        case ':':
            return sr_cli_usage_error("export", "%s needs a value", argv[optind - 1]);
        default:
            return sr_cli_usage_error("export", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return sr_cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
    return 0;
}
