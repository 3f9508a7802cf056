/* `sitrep export` on a store written through the library: valid GeoJSON
 * (RFC 7946), CSV (RFC 4180) with the documented columns, JSON Lines, the
 * command-line filters, and memory that does not grow with the events. */
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "store_testutil.h"
#include "sitrep/util.h"

#define SITREP SR_BUILD_DIR "/src/sitrep"

static char *path;
static sr_store *store;
static int64_t located_id, unlocated_id, awkward_id;

/* Runs sitrep export with args into a file; returns the exit code and the
 * child's peak memory in KiB. */
static int export_to(const char *out, const char *const *args, long *maxrss_kib)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 1);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        /* Under AddressSanitizer freed memory waits in a quarantine of up
         * to 256 MiB, which would count as the export's own. */
        char asan[512];
        const char *given = getenv("ASAN_OPTIONS");
        snprintf(asan, sizeof asan, "%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
                 given ? given : "", given && *given ? ":" : "");
        setenv("ASAN_OPTIONS", asan, 1);
        const char *argv[32] = {SITREP, "export", "--db", path};
        int n = 4;
        for (; *args && n < 30; args++)
            argv[n++] = *args;
        argv[n] = NULL;
        execv(SITREP, (char **)argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    cr_assert_eq(wait4(pid, &status, 0, &ru), pid);
    if (maxrss_kib)
        *maxrss_kib = ru.ru_maxrss;
    cr_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static char *out_path(void)
{
    static char p[600];
    snprintf(p, sizeof p, "%.*s/out", (int)(strrchr(path, '/') - path), path);
    return p;
}

static void fixture(void)
{
    struct stat st;
    if (stat(SITREP, &st) != 0)
        cr_skip_test("no sitrep program at %s (build it first)", SITREP);
    path = tmp_store_path();
    store = open_store(path);
    int64_t a1 = add_article(store, 1, "Militants take Fallujah", "Militants took Fallujah, officials said.", 0);
    int64_t a2 = add_article(store, 2, "Talks in Geneva", "Delegations met for talks.", 0);
    int64_t a3 = add_article(store, 3, "Odd", "Quoted \"text\", with commas.", 0);
    sr_store_event e;
    sr_store_event_init(&e);
    e.article_id = a1;
    e.date = 1388880000;  /* 2014-01-05 */
    e.date_precision = SR_PREC_DAY;
    e.actor1 = (sr_store_actor){"IRQREB", "militants", "IRQ"};
    e.actor2 = (sr_store_actor){"IRQMIL", "the Iraqi army", "IRQ"};
    e.cameo = "190";
    e.quad = 4;
    e.goldstein = -10;
    e.acled_type = "Battles";
    e.acled_subtype = "Armed clash";
    e.fatalities.value = 12;
    e.fatalities.at_least = true;
    e.fatalities.who = "militants";
    e.place_name = "Fallujah";
    e.place_kind = "city";
    e.cc = "iq";
    e.admin1 = "IQ.01";
    e.lat = 33.34972, e.lon = 43.77861;
    e.geonameid = 98463;
    e.sentence = "Militants took Fallujah, officials said.";
    e.sent_end = 40;
    cr_assert_eq(sr_store_event_add(store, &e, &located_id), SR_OK, "%s", sr_store_errmsg(store));
    sr_store_event_init(&e);
    e.article_id = a2;
    e.date = 1388966400;  /* 2014-01-06 */
    e.cameo = "0211";
    e.acled_type = "Strategic developments";
    cr_assert_eq(sr_store_event_add(store, &e, &unlocated_id), SR_OK);
    sr_store_event_init(&e);
    e.article_id = a3;
    e.date = 1388793600;  /* 2014-01-04 */
    e.actor1.name = "the \"Front\", its allies\nand others \xff";
    e.place_name = "Saint-Denis, Réunion";
    e.lat = -20.88, e.lon = 55.45;
    e.sentence = "He said: \"no\".";
    cr_assert_eq(sr_store_event_add(store, &e, &awkward_id), SR_OK);
    sr_store_close(store);
    store = NULL;
}

static void teardown(void)
{
    if (path)
        remove_store(path);
    path = NULL;
}

TestSuite(export, .init = fixture, .fini = teardown, .timeout = 300);

static json_t *load_json(const char *file)
{
    json_error_t err;
    json_t *j = json_load_file(file, 0, &err);
    cr_assert_not_null(j, "%s: line %d: %s", file, err.line, err.text);
    return j;
}

Test(export, geojson_is_a_feature_collection_with_lon_lat_points_and_no_crs)
{
    const char *args[] = {"--format", "geojson", NULL};
    cr_assert_eq(export_to(out_path(), args, NULL), 0);
    json_t *fc = load_json(out_path());
    cr_assert_str_eq(json_string_value(json_object_get(fc, "type")), "FeatureCollection");
    cr_assert_null(json_object_get(fc, "crs"));
    json_t *features = json_object_get(fc, "features");
    cr_assert_eq(json_array_size(features), 3);
    size_t i;
    json_t *f;
    int points = 0, nulls = 0;
    json_array_foreach(features, i, f) {
        cr_assert_str_eq(json_string_value(json_object_get(f, "type")), "Feature");
        cr_assert(json_is_object(json_object_get(f, "properties")));
        json_t *g = json_object_get(f, "geometry");
        cr_assert_not_null(g, "a Feature always has a geometry member");
        json_int_t id = json_integer_value(json_object_get(f, "id"));
        if (json_is_null(g)) {
            nulls++;
            cr_assert_eq(id, unlocated_id);
            continue;
        }
        points++;
        cr_assert_str_eq(json_string_value(json_object_get(g, "type")), "Point");
        json_t *c = json_object_get(g, "coordinates");
        cr_assert_eq(json_array_size(c), 2);
        double lon = json_number_value(json_array_get(c, 0)), lat = json_number_value(json_array_get(c, 1));
        if (id == located_id) {
            cr_assert_float_eq(lon, 43.77861, 1e-6, "longitude first");
            cr_assert_float_eq(lat, 33.34972, 1e-6);
        }
    }
    cr_assert_eq(points, 2);
    cr_assert_eq(nulls, 1);
    /* Newest first. */
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(features, 0), "id")), unlocated_id);
    json_decref(fc);
}

/* A small RFC 4180 reader: fields of one record at *p, advancing it. */
static int csv_record(const char **p, char fields[][256], int max)
{
    int n = 0;
    const char *s = *p;
    if (!*s)
        return -1;
    for (;;) {
        char *f = fields[n];
        size_t k = 0;
        if (*s == '"') {
            for (s++;; s++) {
                cr_assert(*s, "unterminated quoted field");
                if (*s == '"' && s[1] == '"')
                    s++;
                else if (*s == '"') {
                    s++;
                    break;
                }
                if (k < 255)
                    f[k++] = *s;
            }
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n')
                if (k < 255)
                    f[k++] = *s++;
                else
                    s++;
        }
        f[k] = '\0';
        n++;
        if (*s == ',') {
            s++;
            cr_assert_lt(n, max);
            continue;
        }
        cr_assert(s[0] == '\r' && s[1] == '\n', "records end in CRLF");
        *p = s + 2;
        return n;
    }
}

static int column(char header[][256], int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return i;
    cr_assert_fail("no column %s", name);
    return -1;
}

/* The CSV export of the whole store: its text (to free), the header's
 * columns, and *rows at the first record after the header. */
static char *export_csv(char header[][256], int *nh, const char **rows)
{
    const char *args[] = {"--format", "csv", NULL};
    cr_assert_eq(export_to(out_path(), args, NULL), 0);
    char *text;
    size_t len;
    cr_assert_eq(sr_read_file(out_path(), 1 << 20, &text, &len), SR_OK);
    *rows = text;
    *nh = csv_record(rows, header, 64);
    return text;
}

Test(export, csv_has_gdelt_and_acled_columns_and_quotes_what_needs_it)
{
    static char header[64][256], row[64][256];
    const char *p;
    int nh;
    char *text = export_csv(header, &nh, &p);
    const char *gdelt[] = {"GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode",
                           "Actor2Code", "EventCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                           "NumArticles", "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                           "ActionGeo_ADM1Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
                           "DATEADDED", "SOURCEURL", "event_type", "sub_event_type", "fatalities"};
    for (size_t i = 0; i < sizeof gdelt / sizeof gdelt[0]; i++)
        column(header, nh, gdelt[i]);
    int rows = 0;
    bool saw_located = false, saw_awkward = false;
    int nr;
    while ((nr = csv_record(&p, row, 64)) > 0) {
        rows++;
        cr_assert_eq(nr, nh, "every record has the header's columns");
        long long id = atoll(row[column(header, nh, "GLOBALEVENTID")]);
        if (id == located_id) {
            saw_located = true;
            cr_assert_str_eq(row[column(header, nh, "SQLDATE")], "20140105");
            cr_assert_str_eq(row[column(header, nh, "EventRootCode")], "19");
            cr_assert_str_eq(row[column(header, nh, "ActionGeo_CountryCode")], "IQ");
            cr_assert_str_eq(row[column(header, nh, "ActionGeo_Type")], "4");
            cr_assert_float_eq(atof(row[column(header, nh, "ActionGeo_Long")]), 43.77861, 1e-5);
            cr_assert_str_eq(row[column(header, nh, "fatalities")], "12");
            cr_assert_str_eq(row[column(header, nh, "SOURCEURL")], "https://news.example/a/1");
            cr_assert_str_eq(row[column(header, nh, "event_type")], "Battles");
        }
        if (id == awkward_id) {
            saw_awkward = true;
            cr_assert_str_eq(row[column(header, nh, "Actor1Name")], "the \"Front\", its allies\nand others \xef\xbf\xbd");
            cr_assert_str_eq(row[column(header, nh, "ActionGeo_FullName")], "Saint-Denis, Réunion");
            cr_assert_str_eq(row[column(header, nh, "fatalities")], "", "a toll not stated is empty, not 0");
        }
    }
    cr_assert_eq(rows, 3);
    cr_assert(saw_located && saw_awkward);
    free(text);
}

/* toll_event added to the fixture's store; returns its id. */
static int64_t add_tolled_event(void)
{
    sr_store *s = open_store(path);
    sr_store_event e = toll_event(add_article(s, 4, "Ramadi", "Soldiers were killed.", 0));
    e.injuries.who = "civilians and police";
    int64_t id = 0;
    cr_assert_eq(sr_store_event_add(s, &e, &id), SR_OK, "%s", sr_store_errmsg(s));
    sr_store_close(s);
    return id;
}

/* The CSV cell a JSON toll member stands for: 0/1, a number, the words. */
static void json_cell(json_t *v, char *out, size_t n)
{
    if (json_is_boolean(v))
        snprintf(out, n, "%d", json_is_true(v) ? 1 : 0);
    else if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else
        snprintf(out, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* Every member of the JSON toll object has its column holding the same
 * thing ("value" is the bare `fatalities` / `injuries` column); a toll not
 * stated leaves all its columns empty. */
static void assert_toll_columns(json_t *ev, const char *toll, char header[][256], int nh, char row[][256])
{
    static const char *const members[] = {"at_least", "approximate", "who", "aggregate", "historical"};
    char name[64], want[256];
    json_t *t = json_object_get(ev, toll);
    if (json_is_null(t)) {
        cr_assert_str_eq(row[column(header, nh, toll)], "");
        for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
            snprintf(name, sizeof name, "%s_%s", toll, members[i]);
            cr_assert_str_eq(row[column(header, nh, name)], "", "%s of a toll not stated", name);
        }
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(t, key, v) {
        if (strcmp(key, "value") == 0)
            snprintf(name, sizeof name, "%s", toll);
        else
            snprintf(name, sizeof name, "%s_%s", toll, key);
        json_cell(v, want, sizeof want);
        cr_assert_str_eq(row[column(header, nh, name)], want, "event %lld, %s",
                         (long long)json_integer_value(json_object_get(ev, "id")), name);
    }
}

/* The JSON Lines export, one parsed event per line, by id. */
static json_t *jsonl_events(void)
{
    const char *args[] = {"--format", "jsonl", NULL};
    cr_assert_eq(export_to(out_path(), args, NULL), 0);
    char *text;
    size_t len;
    cr_assert_eq(sr_read_file(out_path(), 1 << 20, &text, &len), SR_OK);
    json_t *by_id = json_object();
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t err;
        json_t *ev = json_loads(line, 0, &err);
        cr_assert_not_null(ev, "%s", err.text);
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(ev, "id")));
        json_object_set_new(by_id, id, ev);
    }
    free(text);
    return by_id;
}

Test(export, csv_gives_each_toll_detail_a_column_that_agrees_with_the_json)
{
    int64_t tolled = add_tolled_event();
    json_t *events = jsonl_events();
    static char header[64][256], row[64][256];
    const char *p;
    int nh;
    char *text = export_csv(header, &nh, &p);
    /* the details follow the two figures, in the JSON object's order */
    static const char *const after[] = {
        "fatalities", "injuries", "fatalities_at_least", "fatalities_approximate", "fatalities_who",
        "fatalities_aggregate", "fatalities_historical", "injuries_at_least", "injuries_approximate",
        "injuries_who", "injuries_aggregate", "injuries_historical"};
    int first = column(header, nh, "fatalities");
    for (int i = 0; i < (int)(sizeof after / sizeof after[0]); i++)
        cr_assert_eq(column(header, nh, after[i]), first + i, "column %s", after[i]);
    int rows = 0;
    bool saw_tolled = false;
    while (csv_record(&p, row, 64) > 0) {
        rows++;
        json_t *ev = json_object_get(events, row[column(header, nh, "GLOBALEVENTID")]);
        cr_assert_not_null(ev, "the CSV and JSON Lines exports hold the same events");
        assert_toll_columns(ev, "fatalities", header, nh, row);
        assert_toll_columns(ev, "injuries", header, nh, row);
        if (atoll(row[column(header, nh, "GLOBALEVENTID")]) != tolled)
            continue;
        saw_tolled = true;
        /* toll_event's figures, in the order of `after` */
        static const char *const want[] = {"30", "12", "0", "1", "soldiers", "1", "0",
                                           "1", "0", "civilians and police", "0", "1"};
        for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++)
            cr_assert_str_eq(row[first + i], want[i], "column %s", after[i]);
    }
    cr_assert_eq(rows, 4);
    cr_assert_eq((size_t)rows, json_object_size(events));
    cr_assert(saw_tolled);
    json_decref(events);
    free(text);
}

static int count_lines(const char *file, json_int_t *first_id)
{
    char *text;
    size_t len;
    cr_assert_eq(sr_read_file(file, 64 << 20, &text, &len), SR_OK);
    int n = 0;
    for (char *line = text, *nl; len && line < text + len; line = nl + 1) {
        nl = strchr(line, '\n');
        cr_assert_not_null(nl, "every line ends in a newline: %.300s", line);
        json_error_t err;
        json_t *j = json_loadb(line, nl - line, 0, &err);
        cr_assert_not_null(j, "line %d: %s", n + 1, err.text);
        if (n == 0 && first_id)
            *first_id = json_integer_value(json_object_get(j, "id"));
        json_decref(j);
        n++;
    }
    free(text);
    return n;
}

Test(export, filters_on_the_command_line_select_events)
{
    struct { const char *args[8]; int want; int64_t *first; } cases[] = {
        {{"--bbox", "40,30,50,40", NULL}, 1, &located_id},
        {{"--bbox", "50,-30,60,-10", NULL}, 1, &awkward_id},
        {{"--country", "iq", NULL}, 1, &located_id},
        {{"--since", "2014-01-05", NULL}, 2, &unlocated_id},
        {{"--until", "2014-01-05", NULL}, 2, &located_id},
        {{"--since", "2014-01-05", "--until", "2014-01-05", NULL}, 1, &located_id},
        {{"--root", "19", NULL}, 1, &located_id},
        {{"--cameo", "02", NULL}, 1, &unlocated_id},
        {{"--type", "Battles", "--min-fatalities", "10", NULL}, 1, &located_id},
        {{"--min-fatalities", "13", NULL}, 0, NULL},
        {{"--actor", "IRQ", NULL}, 1, &located_id},
        {{"-q", "fallujah", NULL}, 1, &located_id},
        {{"--limit", "2", NULL}, 2, &unlocated_id},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(export_to(out_path(), cases[i].args, NULL), 0, "case %zu", i);
        json_int_t first = 0;
        cr_assert_eq(count_lines(out_path(), &first), cases[i].want, "case %zu (%s %s)", i,
                     cases[i].args[0], cases[i].args[1]);
        if (cases[i].first)
            cr_assert_eq(first, *cases[i].first, "case %zu", i);
    }
    const char *bad[] = {"--bbox", "1,2,3", NULL};
    cr_assert_eq(export_to(out_path(), bad, NULL), 2);
    const char *fmt[] = {"--format", "xml", NULL};
    cr_assert_eq(export_to(out_path(), fmt, NULL), 2);
}

Test(export, a_missing_store_is_an_error_not_a_new_file)
{
    char missing[700];
    snprintf(missing, sizeof missing, "%s.missing", path);
    const char *args[] = {"--db", missing, NULL};
    cr_assert_eq(export_to(out_path(), args, NULL), 1);
    struct stat st;
    cr_assert_neq(stat(missing, &st), 0);
}

/* Ten times the events must not take ten times the memory: rows are
 * streamed, never gathered. A forked child's peak memory counts the parent's
 * at the fork, so the events are written by a child of their own and this
 * process stays small. */
static void add_bulk_events(int from, int to)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        sr_store *s = NULL;
        if (sr_store_open(path, 0, &s, NULL, 0) || sr_store_begin(s))
            _exit(1);
        char url[64];
        snprintf(url, sizeof url, "https://news.example/bulk/%d", from);
        sr_store_article a = {.url = url, .content_hash = url, .text = "bulk"};
        int64_t art = 0;
        static char sentence[1001];
        memset(sentence, 'x', 1000);
        if (sr_store_article_add(s, &a, &art, NULL))
            _exit(1);
        for (int i = from; i < to; i++) {
            sr_store_event e;
            sr_store_event_init(&e);
            e.article_id = art;
            e.date = 1300000000 + i * 60;
            e.lat = 10 + (i % 100) * 0.01, e.lon = 20;
            e.sentence = sentence;
            if (sr_store_event_add(s, &e, NULL))
                _exit(1);
        }
        _exit(sr_store_commit(s) ? 1 : 0);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writing the events failed");
}

static void export_memory_is_flat(const char *const *args)
{
    long small, big;
    struct stat st;
    add_bulk_events(0, 2000);
    cr_assert_eq(export_to(out_path(), args, &small), 0);
    cr_assert_eq(stat(out_path(), &st), 0);
    long small_size = (long)st.st_size;
    add_bulk_events(2000, 20000);
    cr_assert_eq(export_to(out_path(), args, &big), 0);
    cr_assert_eq(stat(out_path(), &st), 0);
    cr_assert_gt(st.st_size, 20000L * 1000, "the output holds every sentence");
    long more = ((long)st.st_size - small_size) / 1024;
    cr_assert_lt(big - small, more / 4, "peak memory grew %ld KiB (%ld to %ld) for %ld KiB more output",
                 big - small, small, big, more);
}

Test(export, memory_stays_flat_as_events_grow)
{
    const char *args[] = {"--format", "geojson", NULL};
    export_memory_is_flat(args);
}

/* A box is answered through the map index and sorted by date: the sort must
 * spill to disk, not hold every event. */
Test(export, memory_stays_flat_when_a_box_sorts_every_event)
{
    const char *args[] = {"--format", "jsonl", "--bbox", "-180,-90,180,90", NULL};
    export_memory_is_flat(args);
}

/* JSON Lines carry the EVENT object of docs/api.md, which the map page reads. */
Test(export, jsonl_events_have_the_api_shape)
{
    const char *args[] = {"--country", "IQ", NULL};
    cr_assert_eq(export_to(out_path(), args, NULL), 0);
    json_t *e = load_json(out_path());
    cr_assert_eq(json_integer_value(json_object_get(e, "id")), located_id);
    cr_assert_str_eq(json_string_value(json_object_get(e, "date")), "2014-01-05");
    cr_assert_str_eq(json_string_value(json_object_get(e, "date_precision")), "day");
    json_t *src = json_object_get(e, "source"), *tgt = json_object_get(e, "target");
    cr_assert_str_eq(json_string_value(json_object_get(src, "code")), "IRQREB");
    cr_assert_str_eq(json_string_value(json_object_get(src, "text")), "militants");
    cr_assert_str_eq(json_string_value(json_object_get(tgt, "code")), "IRQMIL");
    cr_assert_str_eq(json_string_value(json_object_get(e, "root")), "19");
    json_t *f = json_object_get(e, "fatalities");
    cr_assert_eq(json_integer_value(json_object_get(f, "value")), 12);
    cr_assert(json_is_true(json_object_get(f, "at_least")));
    cr_assert_str_eq(json_string_value(json_object_get(f, "who")), "militants");
    cr_assert(json_is_null(json_object_get(e, "injuries")), "a toll not stated is null");
    json_t *place = json_object_get(e, "place");
    cr_assert_str_eq(json_string_value(json_object_get(place, "cc")), "IQ");
    cr_assert_float_eq(json_number_value(json_object_get(place, "lat")), 33.34972, 1e-6);
    json_t *ev = json_object_get(e, "evidence");
    cr_assert_str_eq(json_string_value(json_object_get(ev, "url")), "https://news.example/a/1");
    cr_assert_eq(json_integer_value(json_object_get(ev, "end")), 40);
    cr_assert_eq(json_integer_value(json_object_get(e, "articles")), 1);
    cr_assert(json_is_false(json_object_get(e, "breaking")));
    json_decref(e);
}
