/* What every sitrep command shares: its table entry, exit codes, error
 * reporting and the walk over inputs given on the command line. */
#ifndef SITREP_CLI_H
#define SITREP_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes (docs/cli.md). */
enum { SR_EXIT_OK = 0, SR_EXIT_SOME_FAILED = 1, SR_EXIT_USAGE = 2 };

struct sr_cli_command {
    const char *name;
    const char *summary;   /* one line for `sitrep --help` */
    const char *usage;     /* the full text for `sitrep COMMAND --help` */
    int (*run)(int argc, char **argv);  /* argv[0] is the command name */
};

/** "sitrep: <message>" on stderr, one line. */
void sr_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "sitrep COMMAND: <message>" plus a pointer to --help; returns SR_EXIT_USAGE. */
int sr_cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** True when argv holds -h or --help before any "--". */
bool sr_cli_wants_help(int argc, char **argv);
/** Print a command's usage to stdout. */
void sr_cli_print_usage(const struct sr_cli_command *cmd);

/** Calls fn for each input: "-" as is, a URL as is, a file as is, and every
 *  regular file under a directory (recursively, sorted by name, hidden files
 *  skipped; with `suffixes` non-NULL only names ending in one of them, a
 *  NULL-terminated list). fn returns 0 when the input was handled, non-zero
 *  when it failed. Returns the number of failed inputs. A path that does not
 *  exist is passed to fn as well, which reports it. */
int sr_cli_each_input(int n, char **paths, const char *const *suffixes,
                      int (*fn)(const char *path, void *ctx), void *ctx);

/** True when s starts with http:// or https://. */
bool sr_cli_is_url(const char *s);

#endif
