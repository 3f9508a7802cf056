/* sitrep sources: the feeds and sitemaps `sitrep watch` polls, kept in the
 * store with their polling state. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sitrep/store.h"
#include "sitrep/util.h"
#include "cli.h"

static const char usage[] =
    "Usage: sitrep sources add URL [--name NAME] [--country CC] [--db PATH]\n"
    "       sitrep sources list [--json] [--db PATH]\n"
    "       sitrep sources remove URL [--db PATH]\n"
    "\n"
    "The feeds (RSS, Atom, JSON Feed) and sitemaps that 'sitrep watch' and\n"
    "'sitrep serve' poll. Adding a URL that is already a source changes nothing;\n"
    "removing a source keeps the articles read from it.\n"
    "\n"
    "  --db PATH        the store (default ./sitrep.db)\n"
    "  --name NAME      the outlet, for people reading the list\n"
    "  --country CC     the outlet's country, ISO 3166-1 alpha-2\n"
    "  --json           one JSON object a line: id, url, name, country, interval (s),\n"
    "                   last_polled, next_poll (ISO 8601 UTC or null), etag,\n"
    "                   last_modified\n"
    "\n"
    "'list' prints one tab-separated line per source: URL, name, country, polling\n"
    "interval in seconds, last poll and next poll (UTC; '-' when none).\n"
    "Exit codes: 0 done, 1 the store failed or (remove) no such source, 2 usage.\n";

struct options {
    const char *db, *name, *country;
    bool json;
};

static int parse_options(int argc, char **argv, struct options *o);
static int add(sr_store *s, const char *url, const struct options *o);
static int list(sr_store *s, bool json);
static int remove_source(sr_store *s, const char *url);

static int run(int argc, char **argv)
{
    struct options o = {.db = "sitrep.db"};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    const char *verb = optind < argc ? argv[optind] : NULL;
    const char *url = optind + 1 < argc ? argv[optind + 1] : NULL;
    int wanted = verb && strcmp(verb, "list") == 0 ? 1 : 2;
    if (!verb)
        return sr_cli_usage_error("sources", "say add, list or remove");
    if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "remove"))
        return sr_cli_usage_error("sources", "unknown action '%s' (add, list or remove)", verb);
    if (argc - optind < wanted)
        return sr_cli_usage_error("sources", "%s needs a URL", verb);
    if (argc - optind > wanted)
        return sr_cli_usage_error("sources", "unexpected argument '%s'", argv[optind + wanted]);
    if (wanted == 2 && !sr_cli_is_url(url))
        return sr_cli_usage_error("sources", "'%s' is not an http(s) URL", url);
    if (o.country && (strlen(o.country) != 2 || !isalpha((unsigned char)o.country[0]) ||
                      !isalpha((unsigned char)o.country[1])))
        return sr_cli_usage_error("sources", "--country takes a two-letter code such as GB");
    if ((o.name || o.country) && strcmp(verb, "add"))
        return sr_cli_usage_error("sources", "--name and --country go with add");
    if (o.json && strcmp(verb, "list"))
        return sr_cli_usage_error("sources", "--json goes with list");

    sr_store *s = NULL;
    char err[512];
    if (sr_store_open(o.db, 0, &s, err, sizeof err)) {
        sr_cli_error("%s", err);
        return SR_EXIT_SOME_FAILED;
    }
    if (!strcmp(verb, "add"))
        rc = add(s, url, &o);
    else if (!strcmp(verb, "list"))
        rc = list(s, o.json);
    else
        rc = remove_source(s, url);
    sr_store_close(s);
    return rc;
}

const struct sr_cli_command sr_cmd_sources = {
    "sources", "add, list and remove the feeds that watch polls", usage, run,
};

/* ---- Actions. ----------------------------------------------------------------- */

struct lookup {
    const char *url;
    int64_t id;
};

static int find_url(const sr_store_source *src, void *ctx)
{
    struct lookup *l = ctx;
    if (strcmp(src->url, l->url))
        return 0;
    l->id = src->id;
    return 1;
}

static int add(sr_store *s, const char *url, const struct options *o)
{
    struct lookup before = {url, 0};
    char cc[3] = "";
    if (o->country)
        snprintf(cc, sizeof cc, "%c%c", toupper((unsigned char)o->country[0]),
                 toupper((unsigned char)o->country[1]));
    sr_store_source src = {.url = url, .name = o->name, .country = o->country ? cc : NULL};
    int64_t id = 0;
    if (sr_store_sources(s, 0, find_url, &before) || sr_store_source_add(s, &src, &id)) {
        sr_cli_error("%s: %s", url, sr_store_errmsg(s));
        return SR_EXIT_SOME_FAILED;
    }
    if (before.id)
        fprintf(stderr, "sitrep sources: %s is already a source (id %lld); nothing changed\n", url,
                (long long)id);
    else
        fprintf(stderr, "sitrep sources: added %s (id %lld)\n", url, (long long)id);
    return SR_EXIT_OK;
}

static const char *iso_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return NULL;
    return out;
}

static int print_tsv(const sr_store_source *src, void *ctx)
{
    (void)ctx;
    char last[32], next[32];
    const char *l = iso_time(src->last_polled, last), *n = iso_time(src->next_poll, next);
    printf("%s\t%s\t%s\t%lld\t%s\t%s\n", src->url, src->name ? src->name : "-",
           src->country ? src->country : "-", (long long)src->interval, l ? l : "-", n ? n : "-");
    return ferror(stdout) != 0;
}

static int print_json(const sr_store_source *src, void *ctx)
{
    sr_buf *b = ctx;
    sr_json j;
    char last[32], next[32];
    sr_buf_reset(b);
    sr_json_init(&j, b);
    sr_json_object_begin(&j);
    sr_json_kv_int(&j, "id", src->id);
    sr_json_kv_string(&j, "url", src->url);
    sr_json_kv_string(&j, "name", src->name);
    sr_json_kv_string(&j, "country", src->country);
    sr_json_kv_int(&j, "interval", src->interval);
    sr_json_kv_string(&j, "last_polled", iso_time(src->last_polled, last));
    sr_json_kv_string(&j, "next_poll", iso_time(src->next_poll, next));
    sr_json_kv_string(&j, "etag", src->etag);
    sr_json_kv_string(&j, "last_modified", src->last_modified);
    sr_json_object_end(&j);
    sr_buf_putc(b, '\n');
    if (!b->failed)
        fwrite(b->data, 1, b->len, stdout);
    return ferror(stdout) != 0;
}

static int list(sr_store *s, bool json)
{
    sr_buf b;
    sr_buf_init(&b, 1 << 20);
    sr_err e = sr_store_sources(s, 0, json ? print_json : print_tsv, &b);
    sr_buf_free(&b);
    if (e) {
        sr_cli_error("%s", sr_store_errmsg(s));
        return SR_EXIT_SOME_FAILED;
    }
    if (fflush(stdout) || ferror(stdout)) {
        sr_cli_error("sources: cannot write the list");
        return SR_EXIT_SOME_FAILED;
    }
    return SR_EXIT_OK;
}

static int remove_source(sr_store *s, const char *url)
{
    sr_err e = sr_store_source_remove(s, url);
    if (e) {
        sr_cli_error("%s", sr_store_errmsg(s));
        return SR_EXIT_SOME_FAILED;
    }
    fprintf(stderr, "sitrep sources: removed %s\n", url);
    return SR_EXIT_OK;
}

/* ---- Options. ----------------------------------------------------------------- */

static int parse_options(int argc, char **argv, struct options *o)
{
    enum { O_DB = 256, O_NAME, O_COUNTRY, O_JSON };
    static const struct option opts[] = {
        {"db", required_argument, 0, O_DB}, {"name", required_argument, 0, O_NAME},
        {"country", required_argument, 0, O_COUNTRY}, {"json", no_argument, 0, O_JSON}, {0, 0, 0, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: o->db = optarg; break;
        case O_NAME: o->name = optarg; break;
        case O_COUNTRY: o->country = optarg; break;
        case O_JSON: o->json = true; break;
        case ':': return sr_cli_usage_error("sources", "%s needs a value", argv[optind - 1]);
        default: return sr_cli_usage_error("sources", "unknown option '%s'", argv[optind - 1]);
        }
    }
    return 0;
}
