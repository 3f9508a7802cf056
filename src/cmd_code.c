/* sitrep code: events (who did what to whom) in text, JSON Lines or the
 * article JSON that `sitrep extract` writes. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sitrep/code.h"
#include "sitrep/util.h"
#include "cli.h"

#define MAX_INPUT (256u << 20)
#define MAX_DOC_LINE (16u << 20)

typedef struct run {
    sr_coder *coder;
    sr_buf out;
    int failed;
} run;

static int code_input(const char *path, void *ctx);
static int load_dicts(sr_code_dict *d, int n, char **paths);

static int run_code(int argc, char **argv)
{
    const char *dicts[64];
    int ndicts = 0;
    const char *validate = NULL;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0;
    if (!inputs) return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dict") == 0 && i + 1 < argc) {
            if (ndicts < 64) dicts[ndicts++] = argv[++i];
        } else if (strcmp(argv[i], "--validate") == 0 && i + 1 < argc) {
            validate = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] == '-' && strcmp(argv[i], "--") != 0) {
            free(inputs);
            return sr_cli_usage_error("code", "unknown option %s", argv[i]);
        } else if (strcmp(argv[i], "--") != 0) {
            inputs[ninputs++] = argv[i];
        }
    }
    if (validate) {
        sr_code_validation v;
        sr_err e = sr_code_validate(validate, stdout, stderr, &v);
        free(inputs);
        if (e && !v.records) {
            sr_cli_error("%s: %s", validate, sr_strerror(e));
            return 1;
        }
        printf("validation: %d records coded, %d as expected, %d differ (%d option records)\n",
               v.records - v.options, v.passed, v.failed, v.options);
        return v.failed ? 1 : 0;
    }
    sr_code_dict *d;
    if (sr_code_dict_new(&d, stderr)) { free(inputs); return 1; }
    char *default_dir[] = {SR_SOURCE_DIR "/data/lexicon"};
    int bad = ndicts ? load_dicts(d, ndicts, (char **)dicts) : load_dicts(d, 1, default_dir);
    if (bad < 0) {
        sr_code_dict_free(d);
        free(inputs);
        return 1;
    }
    run r = {0};
    sr_buf_init(&r.out, 64u << 20);
    if (sr_coder_new(&r.coder, d)) { sr_code_dict_free(d); free(inputs); return 1; }
    char *stdin_only[] = {"-"};
    int failed = ninputs ? sr_cli_each_input(ninputs, inputs, NULL, code_input, &r)
                         : sr_cli_each_input(1, stdin_only, NULL, code_input, &r);
    sr_coder_free(r.coder);
    sr_buf_free(&r.out);
    sr_code_dict_free(d);
    free(inputs);
    return failed || r.failed || bad ? 1 : 0;
}

/* Returns -1 when no dictionary could be read at all. */
static int load_dicts(sr_code_dict *d, int n, char **paths)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            sr_cli_error("%s: dictionary not found%s", paths[i],
                         n == 1 && strstr(paths[i], "data/lexicon") ? " (give --dict DIR|FILE)" : "");
            bad++;
            continue;
        }
        sr_err e = S_ISDIR(st.st_mode) ? sr_code_dict_load_dir(d, paths[i]) : sr_code_dict_load(d, paths[i]);
        if (e) bad++;
    }
    if (sr_code_dict_size(d) == 0) {
        sr_cli_error("no dictionary entries loaded");
        return -1;
    }
    return bad;
}

/* "2014-01-05...", "20140105" or "140105" -> YYYYMMDD; 0 when absent. */
static int parse_date(const char *s)
{
    if (!s) return 0;
    int y, m, dd;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) == 3) return y * 10000 + m * 100 + dd;
    size_t n = strspn(s, "0123456789");
    int v = atoi(s);
    if (n == 8) return v;
    if (n == 6) return v + (v / 10000 <= 30 ? 20000000 : 19000000);
    return 0;
}

static const char *precision_name(enum sr_code_precision p)
{
    static const char *const names[] = {NULL, "day", "week", "month", "year"};
    return names[p];
}

static void write_actor(sr_json *j, const char *key, const sr_code_actor *a)
{
    sr_json_key(j, key);
    sr_json_object_begin(j);
    sr_json_kv_string(j, "code", a->code);
    sr_json_kv_string(j, "words", a->words);
    sr_json_kv_int(j, "start", (long long)a->start);
    sr_json_kv_int(j, "end", (long long)a->end);
    sr_json_object_end(j);
}

static void write_event(sr_json *j, const sr_code_event *e)
{
    static const char *const modality[] = {"asserted", "intent", "threat", "hedged"};
    sr_json_object_begin(j);
    write_actor(j, "source", &e->source);
    write_actor(j, "target", &e->target);
    sr_json_kv_string(j, "cameo", e->cameo);
    sr_json_kv_string(j, "root", e->root && *e->root ? e->root : NULL);
    if (e->quad) sr_json_kv_int(j, "quad", e->quad);
    else { sr_json_key(j, "quad"); sr_json_null(j); }
    if (e->has_goldstein) sr_json_kv_double(j, "goldstein", e->goldstein, 1);
    else { sr_json_key(j, "goldstein"); sr_json_null(j); }
    if (e->date) {
        /* a month or a year is written as its first day, as the store and
         * the API write it; date_precision says how much is known */
        char buf[16];
        int month = e->date / 100 % 100, day = e->date % 100;
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", e->date / 10000, month ? month : 1, day ? day : 1);
        sr_json_kv_string(j, "date", buf);
    } else {
        sr_json_key(j, "date");
        sr_json_null(j);
    }
    sr_json_kv_string(j, "date_precision", precision_name(e->date_precision));
    sr_json_kv_bool(j, "negated", e->negated);
    sr_json_kv_string(j, "modality", modality[e->modality]);
    if (e->asserted_cameo) sr_json_kv_string(j, "asserted_cameo", e->asserted_cameo);
    sr_json_kv_bool(j, "historical", e->historical);
    sr_json_kv_string(j, "plover", e->plover);
    sr_json_kv_string(j, "acled_type", e->acled_type);
    sr_json_kv_string(j, "acled_subtype", e->acled_subtype);
    sr_code_toll_json(j, "fatalities", &e->fatalities);
    sr_code_toll_json(j, "injuries", &e->injuries);
    sr_json_key(j, "sentence");
    sr_json_object_begin(j);
    sr_json_kv_int(j, "start", (long long)e->sent_start);
    sr_json_kv_int(j, "end", (long long)e->sent_end);
    sr_json_object_end(j);
    sr_json_key(j, "place");
    if (e->place.set) {
        sr_json_object_begin(j);
        sr_json_kv_string(j, "name", e->place.name);
        sr_json_kv_string(j, "id", e->place.id);
        sr_json_kv_double(j, "lat", e->place.lat, 5);
        sr_json_kv_double(j, "lon", e->place.lon, 5);
        sr_json_object_end(j);
    } else {
        sr_json_null(j);
    }
    sr_json_object_end(j);
}

static int code_one(run *r, const char *id, const char *text, size_t len, int date)
{
    const sr_code_result *res;
    sr_err e = sr_code_document(r->coder, text, len, date, &res);
    if (e) {
        sr_cli_error("%s: %s", id, sr_strerror(e));
        return 1;
    }
    sr_buf_reset(&r->out);
    sr_json j;
    sr_json_init(&j, &r->out);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "id", id);
    sr_json_key(&j, "events");
    sr_json_array_begin(&j);
    for (size_t i = 0; i < res->n_events; i++) write_event(&j, &res->events[i]);
    sr_json_array_end(&j);
    sr_json_key(&j, "places");
    sr_json_array_begin(&j);
    sr_json_array_end(&j);
    sr_json_object_end(&j);
    if (r->out.failed) {
        sr_cli_error("%s: output too large", id);
        return 1;
    }
    fwrite(r->out.data, 1, r->out.len, stdout);
    fputc('\n', stdout);
    return 0;
}

/* One JSON document: {"id","text","date"} or sitrep extract's article. */
static int code_json(run *r, const char *where, json_t *o)
{
    if (!json_is_object(o)) {
        sr_cli_error("%s: not a JSON object", where);
        return 1;
    }
    const char *text = json_string_value(json_object_get(o, "text"));
    if (!text) {
        sr_cli_error("%s: no \"text\" field", where);
        return 1;
    }
    json_t *idv = json_object_get(o, "id");
    char idbuf[64];
    const char *id = json_string_value(idv);
    if (!id && json_is_integer(idv)) {
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(idv));
        id = idbuf;
    }
    if (!id) id = json_string_value(json_object_get(o, "url"));
    if (!id) id = where;
    const char *date = json_string_value(json_object_get(o, "date"));
    if (!date) date = json_string_value(json_object_get(o, "published"));
    return code_one(r, id, text, strlen(text), parse_date(date));
}

static int code_input(const char *path, void *ctx)
{
    run *r = ctx;
    if (sr_cli_is_url(path)) {
        sr_cli_error("%s: URLs are not read by 'code'; use 'sitrep extract URL | sitrep code'", path);
        return 1;
    }
    char *data;
    size_t len;
    sr_err e = sr_read_file(path, MAX_INPUT, &data, &len);
    if (e) {
        sr_cli_error("%s: %s", path, sr_strerror(e));
        return 1;
    }
    size_t k = 0;
    while (k < len && (data[k] == ' ' || data[k] == '\n' || data[k] == '\t' || data[k] == '\r')) k++;
    int failed = 0;
    if (k < len && data[k] == '{') {
        json_error_t err;
        json_t *whole = json_loadb(data, len, 0, &err);
        if (whole) {
            failed += code_json(r, path, whole);
            json_decref(whole);
        } else {
            /* JSON Lines: a bad line is reported and the run goes on */
            char *p = data, *end = data + len;
            int line = 0;
            while (p < end) {
                char *nl = memchr(p, '\n', (size_t)(end - p));
                char *le = nl ? nl : end;
                line++;
                char where[512];
                snprintf(where, sizeof where, "%s:%d", path, line);
                size_t n = (size_t)(le - p);
                if (n > MAX_DOC_LINE) {
                    sr_cli_error("%s: line longer than %u bytes", where, MAX_DOC_LINE);
                    failed++;
                } else if (n && strspn(p, " \t\r") < n) {
                    json_t *o = json_loadb(p, n, 0, &err);
                    if (!o) {
                        sr_cli_error("%s: bad JSON: %s", where, err.text);
                        failed++;
                    } else {
                        failed += code_json(r, where, o);
                        json_decref(o);
                    }
                }
                p = le + 1;
            }
        }
    } else {
        failed += code_one(r, path, data, len, 0);
    }
    free(data);
    r->failed += failed;
    return failed ? 1 : 0;
}

const struct sr_cli_command sr_cmd_code = {
    "code",
    "events (who did what to whom) in text or articles",
    "Usage: sitrep code [--dict DIR|FILE]... [FILE|DIR|-]...\n"
    "       sitrep code --validate PROJECT\n"
    "\n"
    "Codes events with TABARI-format dictionaries (actors, agents, verbs and\n"
    "their patterns, options). Input: plain text (one document per file), JSON\n"
    "Lines of {\"id\",\"text\",\"date\"}, or the article JSON 'sitrep extract' writes.\n"
    "Output: one line per document: {\"id\",\"events\":[...],\"places\":[]}; every\n"
    "event has source and target (code, words, offsets), cameo, root, quad,\n"
    "goldstein, date, date_precision, negated, modality, historical, plover,\n"
    "acled_type, acled_subtype, fatalities, injuries, sentence and place (see\n"
    "docs/code.md). With the lexicon's modality.tsv, an intended, threatened or\n"
    "refused act takes the CAMEO code of its mood (asserted_cameo keeps the\n"
    "verb's own) and a denied one (\"did not attack\") is no event.\n"
    "Offsets are Unicode code points.\n"
    "\n"
    "  --dict DIR|FILE    dictionaries to use (repeatable); default data/lexicon/\n"
    "  --validate PROJECT run a TABARI validation project (its .project file):\n"
    "                     each record whose events differ is printed, then a\n"
    "                     summary; exit 1 if any differ\n",
    run_code,
};
