/* CAMEO codebook facts for event codes (table in cameo_table.c). */
#include <stdlib.h>
#include <string.h>
#include "code_internal.h"

static int cmp_entry(const void *key, const void *e)
{
    return strcmp(key, ((const struct sr_cameo_entry *)e)->code);
}

bool sr_cameo_lookup(const char *code, const char **name, int *quad, double *goldstein)
{
    if (!code) return false;
    const struct sr_cameo_entry *e =
        bsearch(code, sr_cameo_table, sr_cameo_table_len, sizeof *sr_cameo_table, cmp_entry);
    if (!e) return false;
    if (name) *name = e->name;
    if (quad) *quad = e->quad;
    if (goldstein) *goldstein = e->goldstein;
    return true;
}
