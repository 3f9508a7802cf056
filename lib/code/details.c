/* Event details from the lexicon's tables: the CAMEO code of an event's
 * mood (modality.tsv: "threatened to attack" is a threat, 138, not an
 * attack), its PLOVER category (cameo_plover.tsv), its ACLED type and
 * sub-type (acled.tsv), and the date the sentence gives it. Tables are
 * optional: without one, its detail is left empty. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sitrep/util.h"
#include "details.h"

#define MAX_TABLE_FILE (4u << 20)

typedef struct code_row {
    const char *code;
    const char *a, *b, *c;   /* modality: intent, threat, negated; plover: 2021 category */
} code_row;

struct sr_details_tables {
    sr_arena *mem;
    code_row *mood;
    size_t nmood;
    code_row *plover;
    size_t nplover;
    sr_acled_rules *acled;
};

static sr_err read_rows(struct sr_details_tables *t, const char *path, FILE *errors, bool mood);
static const code_row *find_row(const code_row *rows, size_t n, const char *code);
static bool toll_root(const char *cameo);
static bool paragraph_before(const char *text, size_t s0);
static bool has_toll(const sr_code_event *e);
static bool agent_only(const sr_code_event *e);
static bool names_victims(const char *text, size_t s0, const sr_code_event *e, const sr_sentence_toll *t);
static size_t first_violent(const sr_code_event *ev, size_t n);
static size_t toll_owner(const char *text, size_t s0, const sr_sentence_toll *t, const sr_code_event *ev, size_t n);
static bool retells(const char *text, size_t s0, size_t s1, const sr_code_event *e, const sr_sentence_toll *t);
static size_t drop_retold(const char *text, size_t s0, size_t s1, const sr_sentence_toll *t, sr_code_event *ev,
                          size_t n, size_t *owner);

static const char *root_of(const char *code)
{
    static const char roots[20][3] = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
                                      "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"};
    int v = (code[0] - '0') * 10 + (code[1] - '0');
    return v >= 1 && v <= 20 ? roots[v - 1] : "";
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

bool sr_details_table_name(const char *path)
{
    const char *b = base_name(path);
    return strcmp(b, "modality.tsv") == 0 || strcmp(b, "cameo_plover.tsv") == 0 || strcmp(b, "acled.tsv") == 0;
}

sr_err sr_details_load(struct sr_details_tables **tp, const char *path, FILE *errors)
{
    if (!errors) errors = stderr;
    if (!*tp) {
        struct sr_details_tables *t = calloc(1, sizeof *t);
        if (!t || !(t->mem = sr_arena_new(8u << 20))) {
            free(t);
            return SR_ENOMEM;
        }
        *tp = t;
    }
    struct sr_details_tables *t = *tp;
    const char *b = base_name(path);
    if (strcmp(b, "acled.tsv") == 0) {
        sr_acled_rules_free(t->acled);
        t->acled = NULL;
        sr_err e = sr_acled_rules_load(path, errors, &t->acled);
        if (e) fprintf(errors, "sitrep: %s: %s\n", path, sr_strerror(e));
        return e;
    }
    return read_rows(t, path, errors, strcmp(b, "modality.tsv") == 0);
}

void sr_details_load_dir(struct sr_details_tables **t, const char *dir, FILE *errors)
{
    static const char *const names[] = {"modality.tsv", "cameo_plover.tsv", "acled.tsv"};
    char path[4096];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        fclose(f);
        sr_details_load(t, path, errors);
    }
}

void sr_details_free(struct sr_details_tables *t)
{
    if (!t) return;
    sr_acled_rules_free(t->acled);
    sr_arena_free(t->mem);
    free(t->mood);
    free(t->plover);
    free(t);
}

/* The mood's code replaces the verb's: an intent, threat or refusal is an
 * event of its own in CAMEO; an empty cell means nothing happened ("did not
 * attack") and the event goes. */
static bool apply_mood(const struct sr_details_tables *t, sr_code_event *e)
{
    if (!e->negated && e->modality != SR_MOD_INTENT && e->modality != SR_MOD_THREAT) return true;
    const code_row *r = find_row(t->mood, t->nmood, e->cameo);
    if (!r) return !e->negated;
    const char *to = e->negated ? r->c : e->modality == SR_MOD_THREAT ? r->b : r->a;
    if (!to || !*to) return false;
    /* "refused to release" is an act of refusing, told as a fact: kept on
     * the map as 1243, not set aside as a negated release */
    bool refusal = e->negated;
    e->negated = false;
    if (strcmp(to, e->cameo) != 0 || refusal) {
        e->asserted_cameo = e->cameo;
        e->cameo = to;
        const char *name;
        int quad;
        double g;
        if (sr_cameo_lookup(to, &name, &quad, &g)) {
            e->quad = quad;
            e->goldstein = g;
            e->has_goldstein = true;
            e->root = root_of(to);
        }
    }
    return true;
}

size_t sr_details_sentence(const struct sr_details_tables *t, sr_arena *a, const char *text, size_t len, int doc_date,
                           sr_code_event *ev, size_t n)
{
    int date = 0;
    enum sr_code_precision prec = SR_CODE_DATE_NONE;
    bool historical = false;
    bool dated = false;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        sr_code_event *e = &ev[i];
        e->asserted_cameo = NULL;
        e->plover = e->acled_type = e->acled_subtype = NULL;
        e->fatalities = e->injuries = (sr_code_toll){.value = -1};
        if (t && t->nmood && !apply_mood(t, e)) continue;
        if (t) {
            const code_row *p = find_row(t->plover, t->nplover, e->cameo);
            e->plover = p && p->a && *p->a ? p->a : NULL;
            if (t->acled)
                sr_acled_classify(t->acled, e->cameo, text, len, e->source.code, e->target.code,
                                  &e->acled_type, &e->acled_subtype);
        }
        if (!dated) {
            sr_details_date(a, text, len, doc_date, &date, &prec, &historical);
            dated = true;
        }
        e->date = date;
        e->date_precision = prec;
        e->historical = historical;
        ev[w++] = *e;
    }
    return w;
}

/* A sentence's toll belongs to one event, the one it reports on. A
 * sentence that opens with its figure ("Two Palestinians were killed.",
 * "At least 12 people were killed, activists said.") or, coding no event
 * of its own, names the attack ("The blast killed 4") reports on the
 * nearest violent event before it in its paragraph, when that one tells
 * no toll of its own and the sentence tells no attack of its own; the
 * sentence's violent events then only retell the toll (no actor, the
 * victims as their actor, or the agent who reported it: "activists said")
 * and go. Otherwise the toll goes to the sentence's own most violent event
 * whose actor is not the victims ("Israeli troops raided the camp and two
 * Palestinians were killed": the raid; see toll_owner), and an event of the
 * victims beside it goes. */
size_t sr_details_doc_tolls(sr_arena *a, const char *text, size_t s0, size_t s1, int doc_date, sr_code_event *ev,
                            size_t k0, size_t n, size_t *held)
{
    if (*held != SIZE_MAX && (paragraph_before(text, s0) || has_toll(&ev[*held]))) *held = SIZE_MAX;
    bool violent = false;
    for (size_t i = k0; i < n; i++) violent |= toll_root(ev[i].cameo);
    sr_sentence_toll t;
    /* a sentence is read for figures only when some event could take them */
    if ((violent || *held != SIZE_MAX) && s1 > s0 && sr_details_sentence_toll(a, text + s0, s1 - s0, doc_date, &t)) {
        bool own = false, other_events = false;
        for (size_t i = k0; i < n; i++) {
            bool retold = retells(text, s0, s1, &ev[i], &t);
            own |= toll_root(ev[i].cameo) && !retold;
            other_events |= !retold;
        }
        size_t to = SIZE_MAX;
        if (*held != SIZE_MAX && !own && (t.opens || (!other_events && t.names_attack))) {
            to = *held;
            size_t none = SIZE_MAX;
            n = k0 + drop_retold(text, s0, s1, &t, ev + k0, n - k0, &none);
        } else if (violent) {
            size_t owner = toll_owner(text, s0, &t, ev + k0, n - k0);
            n = k0 + drop_retold(text, s0, s1, &t, ev + k0, n - k0, &owner);
            to = k0 + owner;
        }
        if (to != SIZE_MAX) {
            ev[to].fatalities = t.fatalities;
            ev[to].injuries = t.injuries;
        }
    }
    for (size_t i = k0; i < n; i++)
        if (toll_root(ev[i].cameo)) *held = i;  /* the nearest, for the next sentence */
    return n;
}

/* ---- whose toll ------------------------------------------------------------ */

/* A blank line before the sentence: a new paragraph. */
static bool paragraph_before(const char *text, size_t s0)
{
    int lines = 0;
    for (size_t i = s0; i > 0 && isspace((unsigned char)text[i - 1]); i--)
        if (text[i - 1] == '\n' && ++lines == 2) return true;
    return false;
}

static bool has_toll(const sr_code_event *e)
{
    return e->fatalities.value >= 0 || e->injuries.value >= 0;
}

/* Told only by an agent with no country (~OPP "activists"), or by nobody. */
static bool agent_only(const sr_code_event *e)
{
    const char *src = e->source.code;
    return !src || !*src || *src == '~';
}

/* The event's actor is who told the news, not who acted: "..., activists
 * said", "according to medics". */
static bool told_by(const char *text, size_t s0, size_t s1, const sr_code_event *e)
{
    static const char *const speech[] = {"said", "say", "says", "told", "reported", "report", "reports",
                                         "claimed", "added", "stated", "confirmed", NULL};
    if (!e->source.words || !*e->source.words || e->source.start < e->sent_start) return false;
    const char *s = text + s0;
    size_t len = s1 - s0;
    size_t b0 = sr_utf8_byte_offset(s, len, e->source.start - e->sent_start);
    size_t b1 = sr_utf8_byte_offset(s, len, e->source.end - e->sent_start);
    size_t w = b1;
    while (w < len && s[w] == ' ') w++;
    size_t we = w;
    while (we < len && isalpha((unsigned char)s[we])) we++;
    for (const char *const *v = speech; *v; v++)
        if (we - w == strlen(*v) && strncasecmp(s + w, *v, we - w) == 0) return true;
    /* "according to (the) medics" */
    size_t k = b0;
    while (k > 0 && s[k - 1] == ' ') k--;
    if (k >= 4 && strncasecmp(s + k - 4, " the", 4) == 0) k -= 4;
    while (k > 0 && s[k - 1] == ' ') k--;
    return k >= 12 && strncasecmp(s + k - 12, "according to", 12) == 0;
}

/* A violent event of the toll's sentence that only retells the toll: told
 * by nobody, by the victims themselves, or by whoever reported it. */
static bool retells(const char *text, size_t s0, size_t s1, const sr_code_event *e, const sr_sentence_toll *t)
{
    if (!toll_root(e->cameo)) return false;
    const char *src = e->source.code;
    if (!src || !*src) return true;
    return names_victims(text, s0, e, t) || (*src == '~' && told_by(text, s0, s1, e));
}

/* The event's actor is the victims the figure names: the coder's reading
 * of "Two Palestinians were killed" (source PSE). Offsets: the event's in
 * code points of the document, the victims' in bytes of the sentence. */
static bool names_victims(const char *text, size_t s0, const sr_code_event *e, const sr_sentence_toll *t)
{
    if (!e->source.words || !*e->source.words || e->source.start < e->sent_start) return false;
    for (size_t v = 0; v < t->nvictims; v++) {
        size_t c0 = e->sent_start + sr_utf8_count(text + s0, t->victims[v][0]);
        size_t c1 = e->sent_start + sr_utf8_count(text + s0, t->victims[v][1]);
        if (e->source.start >= c0 && e->source.start < c1) return true;
    }
    return false;
}

/* The index of the first violent event, n when none. */
static size_t first_violent(const sr_code_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (toll_root(ev[i].cameo)) return i;
    return n;
}

/* Of a sentence's own events, the one its toll goes to: of the violent
 * ones whose actor is not the victims, the most violent by CAMEO root (the
 * dead of "rebels staged an uprising ... and militias slaughtered tens of
 * thousands" are the slaughter's, 20, not the uprising's, 14), then an
 * actor of its own before a lone agent, then the first; the first violent
 * one when all are the victims. */
static size_t toll_owner(const char *text, size_t s0, const sr_sentence_toll *t, const sr_code_event *ev, size_t n)
{
    size_t best = n;
    int best_rank = -1;
    for (size_t i = 0; i < n; i++) {
        if (!toll_root(ev[i].cameo) || names_victims(text, s0, &ev[i], t)) continue;
        int rank = ((ev[i].cameo[0] - '0') * 10 + (ev[i].cameo[1] - '0')) * 2 + !agent_only(&ev[i]);
        if (rank > best_rank) best = i, best_rank = rank;
    }
    return best < n ? best : first_violent(ev, n);
}

/* Drops the violent events that retell a toll given to another event:
 * when it went to an earlier sentence (*owner SIZE_MAX), every one that
 * retells it; else those of the victims beside the sentence's owner, whose
 * index *owner follows. Returns the number kept. */
static size_t drop_retold(const char *text, size_t s0, size_t s1, const sr_sentence_toll *t, sr_code_event *ev,
                          size_t n, size_t *owner)
{
    size_t own = *owner;
    bool owner_victims = own != SIZE_MAX && names_victims(text, s0, &ev[own], t);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        bool retold = own == SIZE_MAX ? retells(text, s0, s1, &ev[i], t)
                                      : i != own && names_victims(text, s0, &ev[i], t) && !owner_victims;
        if (toll_root(ev[i].cameo) && retold) continue;
        if (i == own) *owner = w;
        ev[w++] = ev[i];
    }
    return w;
}

/* Casualties belong to violent events: protests and their repression (14,
 * 17), force posture (15), assaults, fighting and mass violence (18-20). */
static bool toll_root(const char *cameo)
{
    if (!cameo || strlen(cameo) < 2) return false;
    return (cameo[0] == '1' && (cameo[1] == '4' || cameo[1] == '5' || cameo[1] == '7' || cameo[1] == '8' ||
                                cameo[1] == '9')) ||
           (cameo[0] == '2' && cameo[1] == '0');
}

/* ---- tables --------------------------------------------------------------- */

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const code_row *)a)->code, ((const code_row *)b)->code);
}

static const code_row *find_row(const code_row *rows, size_t n, const char *code)
{
    if (!rows || !code) return NULL;
    code_row key = {.code = code};
    return bsearch(&key, rows, n, sizeof *rows, cmp_row);
}

/* modality.tsv: code, intent, threat, negated. cameo_plover.tsv: code,
 * root, name, goldstein, quad, plover_event, ...: the 2021 category. */
static sr_err read_rows(struct sr_details_tables *t, const char *path, FILE *errors, bool mood)
{
    char *data;
    size_t len;
    sr_err e = sr_read_file(path, MAX_TABLE_FILE, &data, &len);
    if (e) {
        fprintf(errors, "sitrep: %s: %s\n", path, sr_strerror(e));
        return e;
    }
    code_row *rows = NULL;
    size_t n = 0, cap = 0;
    int lineno = 0;
    for (char *p = data, *end = data + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        lineno++;
        char *fld[10] = {0};
        int nf = 0;
        char *line = sr_arena_strndup(t->mem, p, (size_t)(le - p));
        p = le + 1;
        if (!line) break;
        if (!line[0] || line[0] == '#' || strncmp(line, "code\t", 5) == 0) continue;
        for (char *f = line; f && nf < 10;) {
            fld[nf++] = f;
            f = strchr(f, '\t');
            if (f) *f++ = 0;
        }
        if (strspn(fld[0], "0123456789") != strlen(fld[0]) || !fld[0][0] || nf < (mood ? 4 : 6)) {
            fprintf(errors, "%s:%d: expected a CAMEO code and %s columns, skipped\n", path, lineno,
                    mood ? "3" : "5");
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 512;
            code_row *nr = realloc(rows, cap * sizeof *rows);
            if (!nr) break;
            rows = nr;
        }
        rows[n++] = mood ? (code_row){fld[0], fld[1], fld[2], fld[3]} : (code_row){fld[0], fld[5], NULL, NULL};
    }
    free(data);
    qsort(rows, n, sizeof *rows, cmp_row);
    if (mood) {
        free(t->mood);
        t->mood = rows;
        t->nmood = n;
    } else {
        free(t->plover);
        t->plover = rows;
        t->nplover = n;
    }
    return SR_OK;
}

void sr_code_toll_json(sr_json *j, const char *key, const sr_code_toll *t)
{
    sr_json_key(j, key);
    if (t->value < 0) {
        sr_json_null(j);
        return;
    }
    sr_json_object_begin(j);
    sr_json_kv_int(j, "value", t->value);
    sr_json_kv_bool(j, "at_least", t->at_least);
    sr_json_kv_bool(j, "approximate", t->approximate);
    sr_json_kv_string(j, "who", t->who);
    sr_json_kv_bool(j, "aggregate", t->aggregate);
    sr_json_kv_bool(j, "historical", t->historical);
    sr_json_object_end(j);
}
