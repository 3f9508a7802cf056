/* sitrep geo: the places a text names, resolved, as one JSON line per
 * document. */
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/geo.h"
#include "cli.h"

#define MAX_DOC (SR_GEO_MAX_TEXT)
#define MAX_LINE (SR_GEO_MAX_TEXT + 1024 * 1024)

typedef struct geo_run {
    sr_gazetteer *g;
    sr_arena *arena;
    sr_buf out;
    bool jsonl;
} geo_run;

static int run_input(const char *path, void *ctx);

static int run(int argc, char **argv)
{
    geo_run r = {0};
    const char *gpath = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--jsonl") == 0)
            r.jsonl = true;
        else if (strcmp(argv[i], "--gazetteer") == 0 && i + 1 < argc)
            gpath = argv[++i];
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else
            return sr_cli_usage_error("geo", "unknown option '%s'", argv[i]);
    }
    char def[4096], why[1024];
    if (!gpath)
        gpath = sr_gazetteer_default_path(def, sizeof def);
    sr_err e;
    r.g = sr_gazetteer_open(gpath, &e, why, sizeof why);
    if (!r.g) {
        sr_cli_error("%s", why);
        return 1;
    }
    /* One document at a time: let the arena's blocks come back from the
     * heap rather than as fresh pages from the kernel for every document. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    r.arena = sr_arena_new(0);
    sr_buf_init(&r.out, 64u * 1024 * 1024);
    char *stdin_only[] = {"-"};
    int failed = i < argc ? sr_cli_each_input(argc - i, argv + i, NULL, run_input, &r)
                          : sr_cli_each_input(1, stdin_only, NULL, run_input, &r);
    sr_buf_free(&r.out);
    sr_arena_free(r.arena);
    sr_gazetteer_close(r.g);
    return failed ? SR_EXIT_SOME_FAILED : SR_EXIT_OK;
}

const struct sr_cli_command sr_cmd_geo = {
    "geo", "find and resolve the places a text names",
    "Usage: sitrep geo [--jsonl] [--gazetteer PATH] [FILE...]\n\n"
    "Reads plain text (one document per file; '-' or no FILE: stdin), or with\n"
    "--jsonl one {\"id\":..., \"text\":...} object per line, and writes one line\n"
    "per document:\n"
    "  {\"id\":..., \"places\":[{\"start\",\"end\",\"text\",\"name\",\"kind\",\"cc\",\n"
    "   \"admin1\",\"lat\",\"lon\",\"geonameid\",\"population\",\"confidence\"}],\n"
    "   \"focus\":[{\"kind\",\"cc\",\"name\",\"admin1\",\"lat\",\"lon\",\"mentions\"}]}\n"
    "start/end are code-point offsets into the text, half-open. kind is one of\n"
    "country, admin1, admin2, city, landmark, region. For plain text, id is the\n"
    "file name.\n\n"
    "--gazetteer PATH  the file built by 'sitrep gazetteer build' (default:\n"
    "                  $SITREP_GAZETTEER, else gazetteer.bin in the build\n"
    "                  directory above the program, else ./gazetteer.bin)\n",
    run};

static void write_place(sr_json *j, const sr_place *p)
{
    sr_json_object_begin(j);
    sr_json_kv_int(j, "start", (long long)p->cp_start);
    sr_json_kv_int(j, "end", (long long)p->cp_end);
    sr_json_kv_string(j, "text", p->text);
    sr_json_kv_string(j, "name", p->name);
    sr_json_kv_string(j, "kind", sr_place_kind_name(p->kind));
    sr_json_kv_string(j, "cc", p->cc[0] ? p->cc : NULL);
    sr_json_kv_string(j, "admin1", p->admin1[0] ? p->admin1 : NULL);
    sr_json_kv_double(j, "lat", p->lat, 5);
    sr_json_kv_double(j, "lon", p->lon, 5);
    sr_json_key(j, "geonameid");
    if (p->geonameid)
        sr_json_int(j, p->geonameid);
    else
        sr_json_null(j);
    sr_json_kv_int(j, "population", (long long)p->population);
    sr_json_kv_double(j, "confidence", p->confidence, 2);
    sr_json_object_end(j);
}

static void write_focus(sr_json *j, const sr_geo_focus *f)
{
    sr_json_object_begin(j);
    sr_json_kv_string(j, "kind", sr_place_kind_name(f->kind));
    sr_json_kv_string(j, "cc", f->cc);
    sr_json_kv_string(j, "name", f->name);
    sr_json_kv_string(j, "admin1", f->admin1[0] ? f->admin1 : NULL);
    sr_json_kv_double(j, "lat", f->lat, 5);
    sr_json_kv_double(j, "lon", f->lon, 5);
    sr_json_kv_int(j, "mentions", f->mentions);
    sr_json_object_end(j);
}

/* One document: id is raw JSON (from --jsonl) or a string. */
static int one_doc(geo_run *r, const char *where, const char *id_json, size_t id_len,
                   const char *id_str, const char *text, size_t len)
{
    sr_arena_reset(r->arena);
    sr_geo_doc *doc;
    sr_err e = sr_geo_find(r->g, r->arena, text, len, &doc);
    if (e != SR_OK) {
        sr_cli_error("%s: %s", where, sr_strerror(e));
        return 1;
    }
    sr_buf_reset(&r->out);
    sr_json j;
    sr_json_init(&j, &r->out);
    sr_json_object_begin(&j);
    sr_json_key(&j, "id");
    if (id_json)
        sr_json_raw(&j, id_json, id_len);
    else
        sr_json_string(&j, id_str);
    sr_json_key(&j, "places");
    sr_json_array_begin(&j);
    for (size_t i = 0; i < doc->n_places; i++)
        write_place(&j, &doc->places[i]);
    sr_json_array_end(&j);
    sr_json_key(&j, "focus");
    sr_json_array_begin(&j);
    for (size_t i = 0; i < doc->n_focus; i++)
        write_focus(&j, &doc->focus[i]);
    sr_json_array_end(&j);
    sr_json_object_end(&j);
    sr_buf_putc(&r->out, '\n');
    if (r->out.failed) {
        sr_cli_error("%s: output too large", where);
        return 1;
    }
    fwrite(r->out.data, 1, r->out.len, stdout);
    return 0;
}

static int jsonl_line(geo_run *r, const char *path, size_t lineno, const char *line, size_t len)
{
    char where[4200];
    snprintf(where, sizeof where, "%s:%zu", path, lineno);
    json_error_t err;
    json_t *o = json_loadb(line, len, 0, &err);
    json_t *text = o ? json_object_get(o, "text") : NULL;
    if (!o || !json_is_object(o) || !json_is_string(text)) {
        sr_cli_error("%s: %s", where, o ? "expected {\"id\":..., \"text\":\"...\"}" : err.text);
        json_decref(o);
        return 1;
    }
    json_t *id = json_object_get(o, "id");
    char *id_json = id ? json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    int rc = one_doc(r, where, id_json ? id_json : "null", id_json ? strlen(id_json) : 4, NULL,
                     json_string_value(text), json_string_length(text));
    free(id_json);
    json_decref(o);
    return rc;
}

static int run_input(const char *path, void *ctx)
{
    geo_run *r = ctx;
    if (sr_cli_is_url(path)) {
        sr_cli_error("%s: sitrep geo reads files, not URLs", path);
        return 1;
    }
    if (!r->jsonl) {
        char *data;
        size_t len;
        sr_err e = sr_read_file(path, MAX_DOC, &data, &len);
        if (e != SR_OK) {
            sr_cli_error("%s: %s", path, sr_strerror(e));
            return 1;
        }
        int rc = one_doc(r, path, NULL, 0, path, data, len);
        free(data);
        return rc;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        sr_cli_error("%s: cannot open", path);
        return 1;
    }
    sr_buf line;
    sr_buf_init(&line, MAX_LINE);
    int failed = 0;
    size_t lineno = 0;
    sr_err e;
    while ((e = sr_read_line(f, &line)) != SR_ENOTFOUND) {
        lineno++;
        if (e == SR_ETOOBIG) {
            sr_cli_error("%s:%zu: line too long, skipped", path, lineno);
            failed = 1;
        } else if (e != SR_OK) {
            sr_cli_error("%s:%zu: %s", path, lineno, sr_strerror(e));
            failed = 1;
            break;
        } else if (line.len) {
            failed |= jsonl_line(r, path, lineno, line.data, line.len);
        }
        sr_buf_reset(&line);
    }
    sr_buf_free(&line);
    if (f != stdin)
        fclose(f);
    return failed;
}
