#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "cli.h"

void sr_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sitrep: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int sr_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sitrep %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'sitrep %s --help')\n", command);
    va_end(ap);
    return SR_EXIT_USAGE;
}

bool sr_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}

void sr_cli_print_usage(const struct sr_cli_command *cmd)
{
    fputs(cmd->usage, stdout);
    if (cmd->usage[0] && cmd->usage[strlen(cmd->usage) - 1] != '\n')
        fputc('\n', stdout);
}

bool sr_cli_is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

static bool has_suffix(const char *name, const char *const *suffixes)
{
    if (!suffixes)
        return true;
    size_t n = strlen(name);
    for (; *suffixes; suffixes++) {
        size_t k = strlen(*suffixes);
        if (n >= k && strcasecmp(name + n - k, *suffixes) == 0)
            return true;
    }
    return false;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(const char *dir, const char *const *suffixes, int depth,
                    int (*fn)(const char *, void *), void *ctx)
{
    if (depth > 32) {
        sr_cli_error("%s: directories nested too deeply, skipped", dir);
        return 1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        sr_cli_error("%s: cannot open directory: %s", dir, strerror(errno));
        return 1;
    }
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap *= 2) * sizeof *names);
            if (!p)
                break;
            names = p;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (!names)
        return 1;
    qsort(names, n, sizeof *names, cmp_names);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                failed += walk_dir(path, suffixes, depth + 1, fn, ctx);
            else if (S_ISREG(st.st_mode) && has_suffix(names[i], suffixes))
                failed += fn(path, ctx) != 0;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return failed;
}

int sr_cli_each_input(int n, char **paths, const char *const *suffixes,
                      int (*fn)(const char *path, void *ctx), void *ctx)
{
    int failed = 0;
    for (int i = 0; i < n; i++) {
        const char *p = paths[i];
        struct stat st;
        /* A path that cannot be read goes to the command too, which reports
         * it in its own way (extract writes an {"error"} line for it). */
        if (strcmp(p, "-") == 0 || sr_cli_is_url(p) || stat(p, &st) != 0) {
            failed += fn(p, ctx) != 0;
        } else if (S_ISDIR(st.st_mode)) {
            failed += walk_dir(p, suffixes, 0, fn, ctx);
        } else {
            failed += fn(p, ctx) != 0;
        }
    }
    return failed;
}
