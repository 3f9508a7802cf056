/* sitrep: the command-line program. It dispatches to one command per stage;
 * each command lives in src/cmd_<name>.c and uses only the public headers. */
#include <stdio.h>
#include <string.h>
#include "sitrep/sitrep.h"
#include "cli.h"
#include "commands.h"

static void print_help(void)
{
    printf("sitrep %s — the news as a live situation map\n\n"
           "Usage: sitrep COMMAND [OPTIONS] [ARGS...]\n\nCommands:\n", SR_VERSION);
    for (const struct sr_cli_command *const *c = sr_commands; *c; c++)
        printf("  %-12s %s\n", (*c)->name, (*c)->summary);
    printf("\nOptions:\n"
           "  -h, --help     this help; 'sitrep COMMAND --help' for a command\n"
           "  --version      print the version\n\n"
           "Exit codes: 0 everything succeeded, 1 some inputs failed (each is reported\n"
           "on stderr and the run went on), 2 usage error. Data goes to stdout, errors\n"
           "and progress to stderr.\n");
}

static const struct sr_cli_command *find(const char *name)
{
    for (const struct sr_cli_command *const *c = sr_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help();
        return SR_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        print_help();
        return SR_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("sitrep %s\n", SR_VERSION);
        return SR_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        const struct sr_cli_command *c = argc > 2 ? find(argv[2]) : NULL;
        if (c)
            sr_cli_print_usage(c);
        else
            print_help();
        return SR_EXIT_OK;
    }
    const struct sr_cli_command *cmd = find(name);
    if (!cmd) {
        sr_cli_error("'%s' is not a command (see 'sitrep --help')", name);
        return SR_EXIT_USAGE;
    }
    if (sr_cli_wants_help(argc - 1, argv + 1)) {
        sr_cli_print_usage(cmd);
        return SR_EXIT_OK;
    }
    return cmd->run(argc - 1, argv + 1);
}
