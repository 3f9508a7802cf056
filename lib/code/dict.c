/*
 * Dictionary reader: TABARI .actors/.agents/.verbs/.options/.project files
 * (TABARI 0.8.4 manual, chapters 4-8) and the Phoenix/PETRARCH actor, agent
 * and discard files, which differ in comments ('#'), 8-digit dates,
 * "!MACRO! = A, B" agent substitutions and XML comment lines.
 *
 * Every phrase goes into one word index keyed by its first word; the coder
 * looks a text word up by each of its prefixes, which is how TABARI stems
 * (a dictionary word matches any word it begins unless it ends in '_').
 */
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "code_internal.h"
#include "details.h"

#define MAX_DICT_FILE (64u << 20)

enum section { S_NONE, S_NOUN, S_ADJ, S_SYNSET, S_TIME, S_OTHER };
enum file_kind { F_ACTORS, F_AGENTS, F_VERBS, F_OPTIONS, F_DISCARDS };

typedef struct macro { char name[32]; char *alts[32]; int nalts; } macro;

typedef struct reader {
    sr_code_dict *d;
    const char *path;
    int line;
    enum file_kind kind;
    enum section sec;
    /* actors: phrases waiting for their code block (synonyms, date lines) */
    uint32_t pending[256];
    int npending;
    bool pending_coded;
    int verb;                  /* current verb entry, -1 none */
    int synset;                /* current synset, -1 none */
    bool petr_block;           /* PETRARCH "--- VERB [code] ---" block */
    int block_first;           /* the block's first verb entry */
    bool in_synset;            /* PETRARCH: synset lines outside a section */
    macro macros[16];
    int nmacros;
    bool xml_comment;
    int errors;
    char time_root[128];       /* the <TIME> root its "- * ..." patterns extend */
} reader;

static void read_text(reader *r, char *text, size_t len);
static void finish_index(sr_code_dict *d);
static sr_err load_dir(sr_code_dict *d, const char *dir, int depth);
static void read_line(reader *r, char *s);
static void report(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

sr_err sr_code_dict_new(sr_code_dict **out, FILE *errors)
{
    sr_code_dict *d = calloc(1, sizeof *d);
    if (!d) return SR_ENOMEM;
    d->mem = sr_arena_new(0);
    d->nheads = 1u << 12;
    d->heads = malloc(d->nheads * sizeof *d->heads);
    d->head_keys = calloc(d->nheads, sizeof *d->head_keys);
    d->head_hash = calloc(d->nheads, sizeof *d->head_hash);
    if (!d->mem || !d->heads || !d->head_keys || !d->head_hash) {
        sr_code_dict_free(d);
        return SR_ENOMEM;
    }
    for (uint32_t i = 0; i < d->nheads; i++) d->heads[i] = -1;
    d->errors = errors ? errors : stderr;
    sr_options_default(&d->opt);
    *out = d;
    return SR_OK;
}

void sr_code_dict_free(sr_code_dict *d)
{
    if (!d) return;
    sr_arena_free(d->mem);
    free(d->phrases);
    free(d->heads);
    free(d->head_keys);
    free(d->head_hash);
    free(d->head_sub);
    free(d->subs);
    free(d->sub_next);
    free(d->bloom);
    free(d->actors);
    free(d->agents);
    for (uint32_t i = 0; i < d->nverbs; i++) free(d->verbs[i].pats);
    free(d->verbs);
    free(d->times);
    free(d->synsets);
    sr_details_free(d->details);
    free(d);
}

size_t sr_code_dict_size(const sr_code_dict *d)
{
    size_t n = d->nphrases;
    for (uint32_t i = 0; i < d->nverbs; i++) n += d->verbs[i].npats;
    return n;
}

void sr_options_default(code_options *o)
{
    memset(o, 0, sizeof *o);
    o->code_by = BY_CLAUSE;
    o->comma_on = true;
    o->cmin = 2; o->cmax = 10;
    o->emin = 2; o->emax = 10;
    o->bmin = 255; o->bmax = 0; /* the opening phrase holds the subject */
    o->time_shift = -1;
    o->attribution = true;
    o->stemming = true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum file_kind kind_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char low[256];
    size_t i = 0;
    for (; base[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)base[i]);
    low[i] = 0;
    if (strstr(low, "verbs")) return F_VERBS;
    if (strstr(low, "agents")) return F_AGENTS;
    if (ends_with(low, ".options")) return F_OPTIONS;
    if (strstr(low, "discards")) return F_DISCARDS;
    return F_ACTORS;
}

/* Long chains of phrases with the same first word ("THE", "AL") are split
 * by the first letter of their second word, so a text word looks at the
 * few phrases that can follow it. Rebuilt after each load. */
void sr_dict_prepare(sr_code_dict *d)
{
    if (!d->dirty) return;
    free(d->bloom);
    d->bloom = calloc(BLOOM_BITS / 64, sizeof *d->bloom);
    if (!d->bloom) abort();
    for (uint32_t i = 0; i < d->nheads; i++) {
        if (!d->head_keys[i]) continue;
        uint32_t h = d->head_hash[i], b = (h ^ (h >> 20)) & (BLOOM_BITS - 1);
        d->bloom[b >> 6] |= 1ull << (b & 63);
    }
    finish_index(d);
    d->dirty = false;
}

static void finish_index(sr_code_dict *d)
{
    free(d->head_sub);
    free(d->subs);
    free(d->sub_next);
    d->nsubs = 0;
    d->head_sub = malloc(d->nheads * sizeof *d->head_sub);
    d->sub_next = malloc((d->nphrases + 1) * sizeof *d->sub_next);
    uint32_t nlong = 0;
    for (uint32_t i = 0; i < d->nheads; i++) {
        d->head_sub[i] = -1;
        if (!d->head_keys[i]) continue;
        int n = 0;
        for (int32_t id = d->heads[i]; id >= 0 && n <= 8; id = d->phrases[id].next) n++;
        if (n > 8) nlong++;
    }
    d->subs = malloc((nlong + 1) * SUB_BUCKETS * sizeof *d->subs);
    if (!d->head_sub || !d->sub_next || !d->subs) abort();
    for (uint32_t i = 0; i < d->nheads; i++) {
        if (!d->head_keys[i]) continue;
        int n = 0;
        for (int32_t id = d->heads[i]; id >= 0 && n <= 8; id = d->phrases[id].next) n++;
        if (n <= 8) continue;
        int32_t *b = &d->subs[d->nsubs * SUB_BUCKETS];
        d->head_sub[i] = (int32_t)(d->nsubs++ * SUB_BUCKETS);
        for (int k = 0; k < SUB_BUCKETS; k++) b[k] = -1;
        for (int32_t id = d->heads[i]; id >= 0; id = d->phrases[id].next) {
            const phrase *p = &d->phrases[id];
            /* one-word phrases and a second word that may come later go to
             * the bucket every lookup scans */
            int k = p->nwords < 2 || p->w[1].gap ? 0 : sub_bucket(p->w[1].s[0]);
            d->sub_next[id] = b[k];
            b[k] = id;
        }
    }
}

sr_err sr_code_dict_load(sr_code_dict *d, const char *path)
{
    if (sr_details_table_name(path)) return sr_details_load(&d->details, path, d->errors);
    char *text;
    size_t len;
    sr_err e = sr_read_file(path, MAX_DICT_FILE, &text, &len);
    if (e) {
        fprintf(d->errors, "sitrep: %s: %s\n", path, sr_strerror(e));
        return e;
    }
    reader r = {.d = d, .path = path, .kind = kind_of(path), .verb = -1, .synset = -1};
    read_text(&r, text, len);
    free(text);
    d->dirty = true;
    return SR_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Dictionary files by name: TABARI and Phoenix extensions. */
static bool dictionary_name(const char *name)
{
    static const char *const ends[] = {".actors", ".agents", ".verbs", ".options", ".txt", NULL};
    for (int i = 0; ends[i]; i++)
        if (ends_with(name, ends[i])) return true;
    return false;
}

sr_err sr_code_dict_load_dir(sr_code_dict *d, const char *dir)
{
    sr_err e = load_dir(d, dir, 0);
    if (e != SR_ENOTFOUND) sr_details_load_dir(&d->details, dir, d->errors);
    return e;
}

/* A folder's dictionaries, sorted by name, sub-folders included; a folder
 * with a .project file is loaded as that project says. */
static sr_err load_dir(sr_code_dict *d, const char *dir, int depth)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(d->errors, "sitrep: %s: cannot open dictionary folder\n", dir);
        return SR_ENOTFOUND;
    }
    char *names[512];
    int n = 0;
    char *project = NULL;
    struct dirent *de;
    while ((de = readdir(dh)) && n < 512) {
        if (de->d_name[0] == '.') continue;
        if (ends_with(de->d_name, ".project") && !project) project = strdup(de->d_name);
        names[n++] = strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    sr_err e = SR_OK;
    char path[4096];
    if (project) {
        snprintf(path, sizeof path, "%s/%s", dir, project);
        e = sr_code_dict_load_project(d, path, NULL);
    }
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (!project && stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < 8) {
                if (load_dir(d, path, depth + 1) && !e) e = SR_EIO;
            } else if (S_ISREG(st.st_mode) && dictionary_name(names[i])) {
                if (sr_code_dict_load(d, path) && !e) e = SR_EIO;
            }
        }
        free(names[i]);
    }
    free(project);
    return e;
}

sr_err sr_code_dict_load_project(sr_code_dict *d, const char *project, char **textfile)
{
    char *text;
    size_t len;
    sr_err e = sr_read_file(project, 1u << 20, &text, &len);
    if (e) {
        fprintf(d->errors, "sitrep: %s: %s\n", project, sr_strerror(e));
        return e;
    }
    char dir[2048];
    const char *slash = strrchr(project, '/');
    int dn = slash ? (int)(slash - project) : 1;
    if (dn > (int)sizeof dir - 1) dn = (int)sizeof dir - 1;
    snprintf(dir, sizeof dir, "%.*s", dn, slash ? project : ".");
    /* options last: they may refer to nothing else, but actors and verbs
     * decide whether time shifting is on by default */
    static const char *const tags[] = {"<actorsfile>", "<verbsfile>", "<agentsfile>", "<optionsfile>"};
    if (textfile) *textfile = NULL;
    for (size_t t = 0; t < 5; t++) {
        const char *tag = t < 4 ? tags[t] : "<textfile>";
        for (char *p = strstr(text, tag); p; p = strstr(p + 1, tag)) {
            char *v = p + strlen(tag);
            while (*v == ' ' || *v == '\t') v++;
            int n = (int)strcspn(v, " \t\r\n");
            if (n > 1024) n = 1024;
            char path[4096];
            snprintf(path, sizeof path, "%s/%.*s", dir, n, v);
            if (t == 4) {
                if (textfile && !*textfile) *textfile = strdup(path);
            } else if (sr_code_dict_load(d, path)) {
                e = SR_EIO;
            }
        }
    }
    free(text);
    return e;
}

/* ---- line handling ----------------------------------------------------- */

static void report(reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->d->errors, "%s:%d: ", r->path, r->line);
    vfprintf(r->d->errors, fmt, ap);
    fputc('\n', r->d->errors);
    va_end(ap);
    r->errors++;
}

static void read_text(reader *r, char *text, size_t len)
{
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        r->line++;
        if (le - p >= SR_CODE_MAX_LINE) {
            report(r, "line longer than %d bytes", SR_CODE_MAX_LINE);
        } else {
            char buf[SR_CODE_MAX_LINE];
            memcpy(buf, p, (size_t)(le - p));
            buf[le - p] = 0;
            if (strncmp(buf, "~~", 2) == 0) break; /* ~~FINISH: end of the dictionary */
            read_line(r, buf);
        }
        p = le + 1;
    }
}

/* Cut comments: ';' (TABARI) and '#' after a blank (Phoenix), neither
 * inside a [code] block, where "###" is the discard code. */
static void cut_comment(char *s, bool options)
{
    int depth = 0;
    for (char *p = s; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']' && depth) depth--;
        else if (depth == 0 && !options && *p == ';') { *p = 0; return; }
        else if (depth == 0 && *p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ']')) { *p = 0; return; }
        else if (options && p[0] == '/' && p[1] == '/') { *p = 0; return; }
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

static void upcase(char *s)
{
    for (; *s; s++) *s = (char)toupper((unsigned char)*s);
}

static void read_options_line(reader *r, char *s);
static void read_section_tag(reader *r, const char *s);
static void read_actor_line(reader *r, char *s, bool indented);
static void read_verb_line(reader *r, char *s);
static void read_synset_line(reader *r, char *s);
static void read_time_line(reader *r, char *s);
static void read_macro(reader *r, char *s);
static int add_phrase(reader *r, const char *text, size_t n, int kind, uint32_t item);

static void read_line(reader *r, char *s)
{
    if (r->kind == F_OPTIONS) {
        read_options_line(r, s);
        return;
    }
    if (r->xml_comment) {
        if (strstr(s, "-->")) r->xml_comment = false;
        return;
    }
    bool indented = s[0] == ' ' || s[0] == '\t';
    char *t = trim(s);
    if (strncmp(t, "<!", 2) == 0) { /* "<!-- ... -->", also "<! -- ... -->" */
        if (!strstr(t, "-->")) r->xml_comment = true;
        return;
    }
    if (*t == '#' && !(r->sec == S_NONE && strncmp(t, "###", 3) == 0)) return;
    if (*t == '/' ) return;
    cut_comment(t, false);
    t = trim(t);
    if (!*t) return;
    if (*t == '<') {
        read_section_tag(r, t);
        return;
    }
    upcase(t);
    switch (r->sec) {
    case S_NOUN: add_phrase(r, t, strlen(t), PK_NOUN, 0); return;
    case S_ADJ: add_phrase(r, t, strlen(t), PK_ADJ, 0); return;
    case S_SYNSET: read_synset_line(r, t); return;
    case S_TIME: read_time_line(r, t); return;
    case S_OTHER: return;
    case S_NONE: break;
    }
    if (r->kind == F_VERBS) read_verb_line(r, t);
    else if (r->kind == F_DISCARDS) {
        if (*t == '+') t++;
        add_phrase(r, t, strlen(t), PK_DISCARD, 0);
    } else if (*t == '!' && strchr(t, '=')) read_macro(r, t);
    else read_actor_line(r, t, indented);
}

static void read_section_tag(reader *r, const char *t)
{
    char tag[32];
    size_t n = strcspn(t + 1, ">");
    snprintf(tag, sizeof tag, "%.*s", (int)n, t + 1);
    upcase(tag);
    bool close = tag[0] == '/';
    const char *name = close ? tag + 1 : tag;
    enum section s = S_OTHER;
    if (strncmp(name, "NOUN", 4) == 0) s = S_NOUN;
    else if (strncmp(name, "ADJ", 3) == 0) s = S_ADJ;
    else if (strncmp(name, "SYNSET", 6) == 0) s = S_SYNSET;
    else if (strncmp(name, "TIME", 4) == 0) s = S_TIME;
    if (close) {
        if (r->sec != s) report(r, "</%s> without <%s>", name, name);
        r->sec = S_NONE;
    } else {
        r->sec = s;
        if (s == S_TIME) r->d->has_time = true;
    }
}

/* ---- phrases and the word index ---------------------------------------- */

static uint32_t hash_word(const char *w, size_t n)
{
    uint32_t h = SR_FNV_INIT;
    for (size_t i = 0; i < n; i++) h = sr_fnv_step(h, w[i]);
    return h;
}

static bool head_slot_eq(const char *key, const char *w, size_t n)
{
    return strncmp(key, w, n) == 0 && key[n] == 0;
}

int32_t sr_dict_slot(const sr_code_dict *d, const char *w, size_t n, uint32_t h)
{
    uint32_t mask = d->nheads - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        const char *k = d->head_keys[i];
        if (!k) return -1;
        if (d->head_hash[i] == h && head_slot_eq(k, w, n)) return (int32_t)i;
    }
}

int32_t sr_dict_head(const sr_code_dict *d, const char *w, size_t n)
{
    int32_t slot = sr_dict_slot(d, w, n, hash_word(w, n));
    return slot < 0 ? -1 : d->heads[slot];
}

static void grow_heads(sr_code_dict *d)
{
    uint32_t old_n = d->nheads;
    int32_t *oh = d->heads;
    const char **ok = d->head_keys;
    uint32_t *ohash = d->head_hash;
    d->nheads *= 2;
    d->heads = malloc(d->nheads * sizeof *d->heads);
    d->head_keys = calloc(d->nheads, sizeof *d->head_keys);
    d->head_hash = calloc(d->nheads, sizeof *d->head_hash);
    if (!d->heads || !d->head_keys || !d->head_hash) abort();
    uint32_t mask = d->nheads - 1;
    for (uint32_t i = 0; i < old_n; i++) {
        if (!ok[i]) continue;
        uint32_t j = ohash[i] & mask;
        while (d->head_keys[j]) j = (j + 1) & mask;
        d->head_keys[j] = ok[i];
        d->heads[j] = oh[i];
        d->head_hash[j] = ohash[i];
    }
    free(oh);
    free(ok);
    free(ohash);
}

static void index_phrase(sr_code_dict *d, uint32_t id)
{
    if ((d->used_heads + 1) * 2 > d->nheads) grow_heads(d);
    const pword *w0 = &d->phrases[id].w[0];
    uint32_t mask = d->nheads - 1;
    uint32_t h = hash_word(w0->s, w0->len);
    uint32_t i = h & mask;
    while (d->head_keys[i] && !head_slot_eq(d->head_keys[i], w0->s, w0->len)) i = (i + 1) & mask;
    if (!d->head_keys[i]) {
        d->head_keys[i] = w0->s;
        d->head_hash[i] = h;
        d->heads[i] = -1;
        d->used_heads++;
    }
    d->phrases[id].next = d->heads[i];
    d->heads[i] = (int32_t)id;
}

/* Split a dictionary phrase into words: '_', ' ' and '-' separate words;
 * '_' or '=' right after a word stops stemming ('=' also regular endings). */
static int split_words(sr_arena *a, const char *s, size_t n, pword *out, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n && k < max) {
        bool blank = false;
        while (i < n && (s[i] == ' ' || s[i] == '_' || s[i] == '-' || s[i] == '\t')) {
            if (s[i] == ' ' || s[i] == '\t') blank = true;
            i++;
        }
        if (i >= n) break;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '_' && s[i] != '-' && s[i] != '=' && s[i] != '\t') i++;
        size_t stem = sr_contraction_stem(s + b, i - b);
        if (stem && k + 1 < max) {
            pword *w = &out[k++];
            w->s = sr_arena_strndup(a, s + b, stem);
            w->len = (uint16_t)stem;
            w->stem = 0;
            w->noend = 1;
            w->gap = k > 1 && blank;
            b += stem;
            blank = false;
        }
        pword *w = &out[k++];
        w->s = sr_arena_strndup(a, s + b, i - b);
        w->len = (uint16_t)(i - b);
        w->stem = 1;
        w->noend = 0;
        w->gap = k > 1 && blank;
        if (i < n && s[i] == '=') {
            w->stem = 0;
            w->noend = 1;
            i++;
        } else if (i < n && (s[i] == '_' || s[i] == '-')) {
            w->stem = 0;
        }
    }
    return k;
}

static int add_phrase(reader *r, const char *text, size_t n, int kind, uint32_t item)
{
    sr_code_dict *d = r->d;
    pword words[SR_CODE_MAX_WORDS];
    int k = split_words(d->mem, text, n, words, SR_CODE_MAX_WORDS);
    if (k == 0) {
        report(r, "phrase missing");
        return -1;
    }
    if (d->nphrases == d->cap_phrases) {
        d->cap_phrases = d->cap_phrases ? d->cap_phrases * 2 : 4096;
        d->phrases = realloc(d->phrases, d->cap_phrases * sizeof *d->phrases);
        if (!d->phrases) abort();
    }
    phrase *p = &d->phrases[d->nphrases];
    p->w = sr_arena_alloc(d->mem, (size_t)k * sizeof *p->w);
    memcpy(p->w, words, (size_t)k * sizeof *p->w);
    p->nwords = (uint16_t)k;
    p->kind = (uint8_t)kind;
    p->item = item;
    p->chars = 0;
    for (int i = 0; i < k; i++) p->chars += words[i].len;
    index_phrase(d, d->nphrases);
    return (int)d->nphrases++;
}

/* ---- codes --------------------------------------------------------------- */

/* "YYMMDD" (00-30 pivot to 20xx) or "YYYYMMDD" -> YYYYMMDD; -1 if bad. */
static int parse_date(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return -1;
    int v = atoi(s);
    if (n == 6) {
        int yy = v / 10000;
        v += (yy <= 30 ? 20000000 : 19000000);
    } else if (n != 8) {
        return -1;
    }
    int m = v / 100 % 100, dd = v % 100;
    if (m < 1 || m > 12 || dd < 1 || dd > 31) return -1;
    return v;
}

static bool valid_code_char(char c)
{
    return isalnum((unsigned char)c) || c == '/' || c == '~' || c == '-' || c == '#' || c == '+' ||
           c == '*' || c == ':' || c == '?' || c == '!' || c == '.' || c == '_';
}

/* One [CODE restriction] block's text -> dcode. The code is the first
 * blank-separated token ("- - -" counts as one); a restriction follows. */
static bool parse_dcode(reader *r, char *s, dcode *out)
{
    char squeezed[128];
    size_t j = 0;
    for (char *p = s; *p && j < sizeof squeezed - 1; p++)
        if (*p != ' ' && *p != '\t') squeezed[j++] = *p;
    squeezed[j] = 0;
    out->lo = 0;
    out->hi = 99999999;
    if (!strcmp(squeezed, "---") || !strcmp(squeezed, "###") || !strcmp(squeezed, "+++")) {
        out->code = sr_arena_strdup(r->d->mem, squeezed);
        return true;
    }
    char *t = trim(s);
    if (t[0] == '-' && t[1] == ' ') { /* "- - - <date" */
        while (*t == '-' || *t == ' ') t++;
        out->code = "---";
    } else {
        size_t n = strcspn(t, " \t<>");
        char code[128];
        snprintf(code, sizeof code, "%.*s", (int)n, t);
        size_t digits = 0, run = 0;
        for (size_t i = 0; i < n; i++) {
            run = isdigit((unsigned char)code[i]) ? run + 1 : 0;
            if (run > digits) digits = run;
            if (!valid_code_char(code[i])) {
                report(r, "bad character '%c' in code [%s]", code[i], s);
                return false;
            }
        }
        if (n == 0 || digits >= 6 || !strcmp(code, "~")) {
            report(r, "no code in [%s]", s);
            return false;
        }
        out->code = sr_arena_strdup(r->d->mem, code);
        t += n;
    }
    t = trim(t);
    if (!*t) return true;
    if (*t == '<' || *t == '>') {
        char op = *t++;
        t = trim(t);
        int v = parse_date(t, strlen(t));
        if (v < 0) { report(r, "bad date in [%s]", s); return false; }
        if (op == '<') out->hi = v;
        else out->lo = v;
        return true;
    }
    char *dash = strchr(t, '-');
    if (!dash) { report(r, "bad date restriction in [%s]", s); return false; }
    *dash = 0;
    char *a = trim(t), *b = trim(dash + 1);
    int lo = parse_date(a, strlen(a)), hi = parse_date(b, strlen(b));
    if (lo < 0 || hi < 0) { report(r, "bad date range in [%s]", s); return false; }
    out->lo = lo;
    out->hi = hi;
    return true;
}

/* All [..] blocks of s (from '[' on) -> codes; returns count, -1 on error. */
static int parse_blocks(reader *r, char *s, dcode *out, int max)
{
    int n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t') s++;
        if (!*s) break;
        if (*s != '[') { report(r, "text after code block: %s", s); return -1; }
        char *close = strchr(s, ']');
        if (!close) { report(r, "missing ]"); return -1; }
        *close = 0;
        if (n >= max) { report(r, "too many code blocks"); return -1; }
        if (!parse_dcode(r, s + 1, &out[n])) return -1;
        n++;
        s = close + 1;
    }
    return n;
}

/* ---- actors and agents ---------------------------------------------------- */

/* A new entry starts: phrases still waiting for a code keep none (null). */
static void flush_pending(reader *r)
{
    r->npending = 0;
    r->pending_coded = false;
}

static uint32_t new_actor(sr_code_dict *d, dcode *codes, int n)
{
    if (d->nactors == d->cap_actors) {
        d->cap_actors = d->cap_actors ? d->cap_actors * 2 : 1024;
        d->actors = realloc(d->actors, d->cap_actors * sizeof *d->actors);
        if (!d->actors) abort();
    }
    actor_entry *a = &d->actors[d->nactors];
    a->codes = sr_arena_alloc(d->mem, (size_t)(n ? n : 1) * sizeof *a->codes);
    memcpy(a->codes, codes, (size_t)n * sizeof *codes);
    a->ncodes = (uint16_t)n;
    /* without an unrestricted code, an actor out of its dates is null
     * (manual 6.5.2, note 5): resolve_code in the coder does that */
    return d->nactors++;
}

static uint32_t new_agent(reader *r, const dcode *c)
{
    sr_code_dict *d = r->d;
    if (d->nagents == d->cap_agents) {
        d->cap_agents = d->cap_agents ? d->cap_agents * 2 : 512;
        d->agents = realloc(d->agents, d->cap_agents * sizeof *d->agents);
        if (!d->agents) abort();
    }
    agent_entry *g = &d->agents[d->nagents];
    const char *code = c->code;
    g->prefix = code[strlen(code) - 1] == '~' && code[0] != '~';
    char buf[128];
    size_t j = 0;
    for (const char *p = code; *p && j < sizeof buf - 1; p++)
        if (*p != '~') buf[j++] = *p;
    buf[j] = 0;
    g->code = sr_arena_strdup(d->mem, buf);
    g->raw = code;
    return d->nagents++;
}

/* Give the codes to every pending phrase. */
static void code_pending(reader *r, dcode *codes, int n)
{
    sr_code_dict *d = r->d;
    if (r->npending == 0) return;
    if (r->kind == F_AGENTS) {
        if (!strchr(codes[0].code, '~')) report(r, "agent code [%s] without ~", codes[0].code);
        uint32_t g = new_agent(r, &codes[0]);
        for (int i = 0; i < r->npending; i++) d->phrases[r->pending[i]].item = g;
    } else {
        uint32_t a = new_actor(d, codes, n);
        for (int i = 0; i < r->npending; i++) d->phrases[r->pending[i]].item = a;
    }
    r->pending_coded = true;
}

static void add_pending(reader *r, const char *text, size_t n)
{
    int kind = r->kind == F_AGENTS ? PK_AGENT : PK_ACTOR;
    /* a codeless phrase points at a null actor until its block is coded */
    int id = add_phrase(r, text, n, kind, UINT32_MAX);
    if (id < 0) return;
    if (r->npending < (int)(sizeof r->pending / sizeof r->pending[0])) r->pending[r->npending++] = (uint32_t)id;
}

static void expand_macros_and_add(reader *r, const char *text, size_t n);
static void add_with_plurals(reader *r, char *t, size_t n);

static void read_actor_line(reader *r, char *t, bool indented)
{
    dcode codes[32];
    if (*t == '[') {
        if (r->npending == 0) { report(r, "code block without a phrase"); return; }
        int k = parse_blocks(r, t, codes, 32);
        if (k <= 0) return;
        uint32_t item = r->d->phrases[r->pending[0]].item;
        if (r->pending_coded && r->kind == F_ACTORS && item < r->d->nactors) {
            /* a further date line of the block: add to its codes */
            actor_entry *a = &r->d->actors[item];
            if (a->ncodes + k > 256) { report(r, "too many codes for one actor"); return; }
            dcode *nc = sr_arena_alloc(r->d->mem, (size_t)(a->ncodes + k) * sizeof *nc);
            memcpy(nc, a->codes, a->ncodes * sizeof *nc);
            memcpy(nc + a->ncodes, codes, (size_t)k * sizeof *nc);
            a->codes = nc;
            a->ncodes = (uint16_t)(a->ncodes + k);
            return;
        }
        code_pending(r, codes, k);
        return;
    }
    bool synonym = *t == '+';
    if (synonym) t++;
    char *br = strchr(t, '[');
    size_t n = br ? (size_t)(br - t) : strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t')) n--;
    if (!synonym && (r->pending_coded || br)) flush_pending(r);
    if (synonym && r->pending_coded && r->npending > 0) {
        /* synonym after the code: joins the already coded entry */
        int kind = r->kind == F_AGENTS ? PK_AGENT : PK_ACTOR;
        uint32_t item = r->d->phrases[r->pending[0]].item;
        add_phrase(r, t, n, kind, item);
        return;
    }
    add_with_plurals(r, t, n);
    if (br) {
        int k = parse_blocks(r, br, codes, 32);
        if (k <= 0) { flush_pending(r); return; }
        code_pending(r, codes, k);
    }
}

/* PETRARCH agents: "GOLDEN_GOOSE {GOLDEN_GEESE}" names an irregular plural,
 * "POLICE {}" says the word has none (PETRARCH dictionary documentation). */
static void add_with_plurals(reader *r, char *t, size_t n)
{
    char *open = memchr(t, '{', n);
    char *close = open ? memchr(open, '}', (size_t)(t + n - open)) : NULL;
    if (!open) { expand_macros_and_add(r, t, n); return; }
    if (!close) { report(r, "missing } after plural forms"); return; }
    size_t mn = (size_t)(open - t);
    while (mn && (t[mn - 1] == ' ' || t[mn - 1] == '\t')) mn--;
    if (!mn) { report(r, "plural forms without a phrase"); return; }
    *close = 0;
    char *forms = open + 1;
    if (!*trim(forms)) {
        /* no plural: the last word takes no regular ending ('=') */
        char buf[SR_CODE_MAX_LINE];
        snprintf(buf, sizeof buf, "%.*s=", (int)mn, t);
        expand_macros_and_add(r, buf, mn + 1);
        return;
    }
    expand_macros_and_add(r, t, mn);
    for (char *f = strtok(forms, " \t"); f; f = strtok(NULL, " \t")) expand_macros_and_add(r, f, strlen(f));
}

/* Phoenix agents: "!PERSON! = MAN, MEN" then "CATTLE!PERSON!" */
static void read_macro(reader *r, char *t)
{
    char *eq = strchr(t, '=');
    *eq = 0;
    char *name = trim(t);
    if (r->nmacros >= 16 || strlen(name) >= 32) { report(r, "too many substitutions"); return; }
    macro *m = &r->macros[r->nmacros++];
    snprintf(m->name, sizeof m->name, "%s", name);
    m->nalts = 0;
    for (char *tok = strtok(eq + 1, ","); tok && m->nalts < 32; tok = strtok(NULL, ",")) {
        char *v = trim(tok);
        if (*v) m->alts[m->nalts++] = sr_arena_strdup(r->d->mem, v);
    }
}

static void expand_macros_and_add(reader *r, const char *text, size_t n)
{
    const char *bang = memchr(text, '!', n);
    if (!bang) {
        add_pending(r, text, n);
        return;
    }
    for (int i = 0; i < r->nmacros; i++) {
        macro *m = &r->macros[i];
        size_t ml = strlen(m->name);
        if ((size_t)(text + n - bang) < ml || strncmp(bang, m->name, ml) != 0) continue;
        for (int a = 0; a < m->nalts; a++) {
            char buf[SR_CODE_MAX_LINE];
            int k = snprintf(buf, sizeof buf, "%.*s%s%.*s", (int)(bang - text), text, m->alts[a],
                             (int)(text + n - bang - ml), bang + ml);
            if (k > 0 && k < (int)sizeof buf) expand_macros_and_add(r, buf, (size_t)k);
        }
        return;
    }
    add_pending(r, text, n); /* a '!' that is part of a name: YAHOO!_INC */
}

/* ---- verbs ------------------------------------------------------------- */

static bool parse_event_code(reader *r, const char *s, event_code *out)
{
    memset(out, 0, sizeof *out);
    char buf[64];
    size_t j = 0;
    for (const char *p = s; *p && j < sizeof buf - 1; p++)
        if (*p != ' ') buf[j++] = *p;
    buf[j] = 0;
    if (!j) { report(r, "no code in []"); return false; }
    if (strcmp(buf, "---") == 0) { out->null = true; out->a = "---"; return true; }
    if (strcmp(buf, "###") == 0) { out->discard = true; out->a = "###"; return true; }
    if (strcmp(buf, "+++") == 0) { out->complex = true; out->a = "+++"; return true; }
    size_t n = strlen(buf);
    if (buf[n - 1] == '?') { out->sub = true; buf[--n] = 0; }
    else if (buf[n - 1] == '!') { out->dom = true; buf[--n] = 0; }
    char *colon = strchr(buf, ':');
    if (colon) {
        *colon = 0;
        out->b = sr_arena_strdup(r->d->mem, colon + 1);
    }
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p)) { report(r, "bad event code [%s]", s); return false; }
    out->a = sr_arena_strdup(r->d->mem, buf);
    return true;
}

static int new_verb(sr_code_dict *d)
{
    if (d->nverbs == d->cap_verbs) {
        d->cap_verbs = d->cap_verbs ? d->cap_verbs * 2 : 1024;
        d->verbs = realloc(d->verbs, d->cap_verbs * sizeof *d->verbs);
        if (!d->verbs) abort();
    }
    memset(&d->verbs[d->nverbs], 0, sizeof d->verbs[0]);
    return (int)d->nverbs++;
}

bool sr_parse_pattern(sr_code_dict *d, const char *s, pattern *p, char *err, size_t errn);

static int cmp_pattern(const void *a, const void *b)
{
    const pattern *x = a, *y = b;
    if (x->length != y->length) return y->length - x->length;
    return x->line - y->line;
}

static void read_petr_header(reader *r, char *t);
static void read_petr_verb(reader *r, char *t);
static void add_petr_verb_words(reader *r, const char *t, uint32_t item);

static void add_pattern(verb_entry *v, const pattern *pat)
{
    if (v->npats == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->pats = realloc(v->pats, v->cap * sizeof *v->pats);
        if (!v->pats) abort();
    }
    v->pats[v->npats++] = *pat;
    /* keep longest first (manual 5.7.1); insertion keeps it cheap */
    size_t i = v->npats - 1;
    while (i > 0 && cmp_pattern(&v->pats[i - 1], &v->pats[i]) > 0) {
        pattern tmp = v->pats[i - 1];
        v->pats[i - 1] = v->pats[i];
        v->pats[i] = tmp;
        i--;
    }
}

static void read_verb_line(reader *r, char *t)
{
    sr_code_dict *d = r->d;
    if (strncmp(t, "---", 3) == 0 && t[3] == ' ') {
        read_petr_header(r, t);
        return;
    }
    if (*t == '&' || (r->in_synset && *t == '+')) {
        /* PETRARCH files declare synsets between verb blocks */
        r->in_synset = true;
        read_synset_line(r, t);
        return;
    }
    if (r->petr_block && *t != '-' && *t != '{') {
        read_petr_verb(r, t);
        return;
    }
    if (*t == '{') {
        if (r->verb < 0) { report(r, "verb forms without a verb"); return; }
        char *close = strchr(t, '}');
        if (close) *close = 0;
        for (char *w = strtok(t + 1, " \t"); w; w = strtok(NULL, " \t"))
            add_phrase(r, w, strlen(w), PK_VERB, (uint32_t)r->verb);
        return;
    }
    char *br = strrchr(t, '[');
    char *close = br ? strchr(br, ']') : NULL;
    if (*t == '-') {
        r->in_synset = false;
        if (r->verb < 0) { report(r, "pattern before any verb"); return; }
        if (!br || !close) { report(r, "pattern without [code]"); return; }
        *br = 0;
        *close = 0;
        verb_entry *v = &d->verbs[r->verb];
        pattern pat;
        char err[160];
        if (!sr_parse_pattern(d, trim(t + 1), &pat, err, sizeof err)) { report(r, "%s", err); return; }
        if (!parse_event_code(r, br + 1, &pat.code)) return;
        pat.line = r->line;
        add_pattern(v, &pat);
        /* a PETRARCH block's verbs with codes of their own share its
         * patterns */
        if (r->petr_block)
            for (uint32_t k = (uint32_t)r->block_first; k < d->nverbs; k++)
                if ((int)k != r->verb) add_pattern(&d->verbs[k], &pat);
        return;
    }
    if (br && !close) { report(r, "missing ]"); return; }
    size_t n = br ? (size_t)(br - t) : strlen(t);
    while (n && t[n - 1] == ' ') n--;
    if (n == 0) { report(r, "verb missing"); return; }
    int v = new_verb(d);
    if (br) {
        *close = 0;
        if (!parse_event_code(r, br + 1, &d->verbs[v].code)) { r->verb = v; return; }
        d->verbs[v].has_code = true;
    }
    r->verb = v;
    add_phrase(r, t, n, PK_VERB, (uint32_t)v);
}

static void read_petr_header(reader *r, char *t)
{
    sr_code_dict *d = r->d;
    r->in_synset = false;
    char *br = strchr(t, '[');
    char *close = br ? strchr(br, ']') : NULL;
    int v = new_verb(d);
    r->verb = v;
    r->block_first = v;
    r->petr_block = true;
    if (!br || !close) { report(r, "verb block without [code]"); return; }
    *close = 0;
    if (parse_event_code(r, br + 1, &d->verbs[v].code)) d->verbs[v].has_code = true;
}

/* A verb line of a PETRARCH block (PETRARCH dictionary documentation):
 * "BREAK { BROKE BROKEN }", "+BREAK_DOWN {+BREAKS_DOWN +BROKE_DOWN}",
 * "KLM_NOP_+RST [002]". '+' marks the verb among its words; the irregular
 * forms in {} are the same verb. A line with a [code] of its own codes its
 * verb alone with it; every verb of the block shares the block's patterns. */
static void read_petr_verb(reader *r, char *t)
{
    sr_code_dict *d = r->d;
    char *br = strchr(t, '[');
    char *open = strchr(t, '{');
    if (open && br && br < open) open = NULL;
    uint32_t item = (uint32_t)r->verb;
    if (br) {
        char *close = strchr(br, ']');
        if (!close) { report(r, "missing ]"); return; }
        *close = 0;
        int v = new_verb(d);
        if (parse_event_code(r, br + 1, &d->verbs[v].code)) d->verbs[v].has_code = true;
        /* the patterns the block has so far */
        const verb_entry *main = &d->verbs[r->verb];
        for (uint32_t k = 0; k < main->npats; k++) add_pattern(&d->verbs[v], &main->pats[k]);
        item = (uint32_t)v;
        *br = 0;
    }
    char *close = open ? strchr(open, '}') : NULL;
    if (open) *open = 0;
    if (close) *close = 0;
    add_petr_verb_words(r, t, item);
    if (open)
        for (char *w = strtok(open + 1, " \t"); w; w = strtok(NULL, " \t")) add_petr_verb_words(r, w, item);
}

static void add_petr_verb_words(reader *r, const char *t, uint32_t item)
{
    char buf[SR_CODE_MAX_LINE];
    size_t j = 0;
    for (const char *p = t; *p && j < sizeof buf - 1; p++)
        if (*p != '+') buf[j++] = *p;
    while (j && (buf[j - 1] == ' ' || buf[j - 1] == '\t')) j--;
    size_t b = 0;
    while (b < j && (buf[b] == ' ' || buf[b] == '\t')) b++;
    if (j > b) add_phrase(r, buf + b, j - b, PK_VERB, item);
}

static void read_synset_line(reader *r, char *t)
{
    sr_code_dict *d = r->d;
    if (*t == '&') {
        if (d->nsynsets == d->cap_synsets) {
            d->cap_synsets = d->cap_synsets ? d->cap_synsets * 2 : 32;
            d->synsets = realloc(d->synsets, d->cap_synsets * sizeof *d->synsets);
            if (!d->synsets) abort();
        }
        size_t n = strcspn(t + 1, " _\t");
        synset *s = &d->synsets[d->nsynsets];
        memset(s, 0, sizeof *s);
        s->name = sr_arena_strndup(d->mem, t + 1, n);
        r->synset = (int)d->nsynsets++;
        return;
    }
    if (*t != '+' || r->synset < 0) { report(r, "synset line outside a &SET"); return; }
    synset *s = &d->synsets[r->synset];
    pattern pat;
    char err[160];
    char buf[SR_CODE_MAX_LINE + 4];
    snprintf(buf, sizeof buf, "* %s", trim(t + 1));
    if (!sr_parse_pattern(d, buf, &pat, err, sizeof err)) { report(r, "%s", err); return; }
    if (s->nalts == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        elem_seq *na = sr_arena_alloc(d->mem, s->cap * sizeof *na);
        if (s->nalts) memcpy(na, s->alts, s->nalts * sizeof *na);
        s->alts = na;
    }
    s->alts[s->nalts++] = pat.post;
}

/* A <TIME> root ("TOMORROW [+1]") or one of its patterns ("- * AND A
 * WEEK [+8]"), which is read as the longer phrase it spells out
 * ("TOMORROW AND A WEEK"): the longest time phrase in a sentence wins as
 * the longest actor does. */
static void read_time_line(reader *r, char *t)
{
    sr_code_dict *d = r->d;
    char spelt[512];
    if (*t == '-') {
        char *star = strchr(t, '*');
        if (!star || !r->time_root[0]) { report(r, "time pattern without a root before it"); return; }
        *star = 0;
        snprintf(spelt, sizeof spelt, "%s %s %s", trim(t + 1), r->time_root, star + 1);
        t = trim(spelt);
    }
    char *br = strchr(t, '[');
    if (!br) { report(r, "time phrase without [shift]"); return; }
    char *close = strchr(br, ']');
    if (!close) { report(r, "missing ]"); return; }
    *close = 0;
    if (d->ntimes == d->cap_times) {
        d->cap_times = d->cap_times ? d->cap_times * 2 : 16;
        d->times = realloc(d->times, d->cap_times * sizeof *d->times);
        if (!d->times) abort();
    }
    time_entry *te = &d->times[d->ntimes];
    memset(te, 0, sizeof *te);
    char code[32];
    size_t j = 0;
    for (char *p = br + 1; *p && j < sizeof code - 1; p++)
        if (*p != ' ') code[j++] = *p;
    code[j] = 0;
    if (strcmp(code, "---") == 0) te->null = true;
    else if (strcmp(code, "###") == 0) te->discard = true;
    else if (strcmp(code, "+++") == 0) te->complex = true;
    else te->shift = atoi(code);
    size_t n = (size_t)(br - t);
    while (n && t[n - 1] == ' ') n--;
    if (t != spelt) snprintf(r->time_root, sizeof r->time_root, "%.*s", (int)n, t);
    add_phrase(r, t, n, PK_TIME, d->ntimes++);
}

/* ---- options ----------------------------------------------------------- */

static void read_options_line(reader *r, char *s)
{
    cut_comment(s, true);
    char *t = trim(s);
    if (!*t) return;
    if (sr_code_dict_option(r->d, t) == SR_EPARSE) report(r, "unknown option: %s", t);
}

static int num_after(const char *s, const char *key, int dflt)
{
    const char *p = strstr(s, key);
    if (!p) return dflt;
    p += strlen(key);
    while (*p == ' ' || *p == '=' || *p == '[') p++;
    return isdigit((unsigned char)*p) ? atoi(p) : dflt;
}

static const char *bracket_after(sr_code_dict *d, const char *s, const char *key)
{
    const char *p = strstr(s, key);
    if (!p) return NULL;
    const char *b = strchr(p, '[');
    const char *e = b ? strchr(b, ']') : NULL;
    if (!e) return NULL;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(e - b - 1), b + 1);
    return sr_arena_strdup(d->mem, trim(buf));
}

sr_err sr_code_dict_option(sr_code_dict *d, const char *line)
{
    char s[512];
    snprintf(s, sizeof s, "%s", line);
    upcase(s);
    char *t = trim(s);
    code_options *o = &d->opt;
    if (strncmp(t, "SET:", 4) == 0) {
        char *v = trim(t + 4);
        bool val = !(strstr(v, "FALSE") || strstr(v, "= F") || strstr(v, "=F") || strstr(v, "OFF"));
        if (strncmp(v, "CODE BY SENTENCE", 16) == 0) o->code_by = BY_SENTENCE;
        else if (strncmp(v, "CODE BY CLAUSE", 14) == 0) o->code_by = BY_CLAUSE;
        else if (strncmp(v, "CODE ALL", 8) == 0) o->code_by = BY_ALL;
        else if (strncmp(v, "MINIMUM WORDS", 13) == 0) o->min_words = num_after(v, "WORDS", 0);
        else if (strncmp(v, "CONVERT AGENT", 13) == 0) o->convert_agents = val;
        else if (strncmp(v, "YYYY", 4) == 0) o->yyyy = val;
        else if (strncmp(v, "TIME SHIFT", 10) == 0) o->time_shift = val;
        else if (strncmp(v, "ATTRIBUTION", 11) == 0) o->attribution = val;
        else if (strncmp(v, "STEMMING", 8) == 0) o->stemming = val;
        else if (strncmp(v, "NULL ACTORS", 11) == 0) o->null_actors = val;
        else if (strncmp(v, "SHARED AGENTS", 13) == 0) o->shared_agents = val;
        else if (strncmp(v, "REQUIRE DYAD", 12) == 0) o->require_dyad = val;
        else if (strncmp(v, "NOUN PHRASES", 12) == 0) o->noun_phrases = val;
        else if (strncmp(v, "TARGET COMPOUND", 15) == 0) o->target_compound = val;
        else if (strncmp(v, "CLOSED SYNSETS", 14) == 0) o->closed_synsets = val;
        else if (strncmp(v, "NEW ACTOR LENGTH", 16) == 0) o->new_actor_length = num_after(v, "LENGTH", 0);
        return SR_OK; /* other SET: switches concern TABARI's interface */
    }
    if (strncmp(t, "COMPLEX:", 8) == 0) {
        o->max_verbs = num_after(t, "VERBS", 0);
        o->max_conj = num_after(t, "CONJ", 0);
        o->noactprior = strstr(t, "NOACTPRIOR") != NULL;
        o->noactafter = strstr(t, "NOACTAFTER") != NULL;
        return SR_OK;
    }
    if (strncmp(t, "COMMA:", 6) == 0) {
        if (strstr(t, "OFF")) { o->comma_on = false; return SR_OK; }
        o->comma_on = true;
        o->cmin = num_after(t, " MIN", o->cmin);
        o->cmax = num_after(t, " MAX", o->cmax);
        o->emin = num_after(t, "EMIN", o->emin);
        o->emax = num_after(t, "EMAX", o->emax);
        o->bmin = num_after(t, "BMIN", o->bmin);
        o->bmax = num_after(t, "BMAX", o->bmax);
        return SR_OK;
    }
    if (strncmp(t, "DEFAULT:", 8) == 0 || strncmp(t, "DEFA:", 5) == 0) {
        if (strstr(t, "OFF")) { o->def_src = o->def_tgt = NULL; o->def_src_prior = o->def_tgt_after = false; return SR_OK; }
        o->def_src = bracket_after(d, t, "SOURCE");
        o->def_tgt = bracket_after(d, t, "TARGET");
        o->def_src_prior = strstr(t, "PRIOR") != NULL;
        o->def_tgt_after = strstr(t, "AFTER") != NULL;
        return SR_OK;
    }
    if (strncmp(t, "FORWARD:", 8) == 0) {
        char fmt[32] = "";
        sscanf(t + 8, " %31s", fmt);
        o->forward = fmt[0] && !strstr(t + 8, "OFF");
        snprintf(o->forward_format, sizeof o->forward_format, "%s", fmt);
        return SR_OK;
    }
    static const char *const known[] = {"LABEL:", "OUTPUT:", "NONEVENTS:", "ISSUES", "ATTRIB", NULL};
    for (int i = 0; known[i]; i++)
        if (strncmp(t, known[i], strlen(known[i])) == 0) return SR_OK;
    return SR_EPARSE;
}
