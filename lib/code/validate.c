/*
 * TABARI validation projects (manual 10.1): records of the form
 *
 *   YYMMDD  RECORD-ID
 *   sentence text ... [comment marks] \n{ SRC / TGT / CODE } [end marks]
 *
 * The expected events sit in the comment after "\n"; "{ OPTION: ... }"
 * changes an option for the records that follow; "{+++}", "{---}", "{###}"
 * or "{}" expect no event. "-{" ends the events checked: those listed
 * before it must be coded, others may be.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "code_internal.h"

#define MAX_EXPECT 64

typedef struct expect {
    char src[64], tgt[64], code[32];
    int date;          /* YYMMDD after the "}", as YYYYMMDD; 0 none */
} expect;

typedef struct record {
    char id[64];
    char idinfo[96];   /* the header after the date, for FORWARD */
    int date;
    sr_buf text;       /* what is coded */
    sr_buf comment;    /* what is between the comment marks */
} record;

static bool header_line(const char *s, int *date, char *id, size_t idn);
static bool time_shifting(const sr_code_dict *d)
{
    return d->opt.time_shift > 0 || (d->opt.time_shift < 0 && d->has_time);
}

static int full_date(int v, int k);
static bool time_shifting(const sr_code_dict *d);
static void story_and_sentence(const char *format, const char *idinfo, long *story, long *sentence);
static void split_record(record *r, const char *raw);
static int parse_expect(const char *comment, expect *ex, int max, sr_code_dict *d, bool *option, bool *open_ended,
                        bool *complex);
static bool coded_as_expected(const expect *ex, int nex, const expect *got, int ngot, bool open_ended);
static int event_cmp(const void *a, const void *b);

sr_err sr_code_validate(const char *project, FILE *report, FILE *errors, sr_code_validation *out)
{
    memset(out, 0, sizeof *out);
    sr_code_dict *d;
    sr_err e = sr_code_dict_new(&d, errors);
    if (e) return e;
    /* TABARI's defaults: 8 words at least, and the source of a reported
     * event is the sentence's subject, not the reporter's subject */
    sr_code_dict_option(d, "SET: MINIMUM WORDS = 8");
    sr_code_dict_option(d, "SET: ATTRIBUTION = FALSE");
    char *textfile = NULL;
    e = sr_code_dict_load_project(d, project, &textfile);
    if (!textfile) {
        if (errors) fprintf(errors, "sitrep: %s: no <textfile> in project\n", project);
        sr_code_dict_free(d);
        return e ? e : SR_EPARSE;
    }
    char *text;
    size_t len;
    e = sr_read_file(textfile, 64u << 20, &text, &len);
    if (e) {
        if (errors) fprintf(errors, "sitrep: %s: %s\n", textfile, sr_strerror(e));
        free(textfile);
        sr_code_dict_free(d);
        return e;
    }
    sr_coder *c;
    if ((e = sr_coder_new(&c, d))) goto out;
    record r;
    sr_buf_init(&r.text, 1u << 20);
    sr_buf_init(&r.comment, 1u << 20);
    sr_buf raw;
    sr_buf_init(&raw, 1u << 20);
    bool in_record = false;
    long prev_story = -2, prev_sent = -2;
    char prev_actor[64] = "";
    char *p = text, *end = text + len;
    for (;;) {
        char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        char *le = nl ? nl : end;
        char line[4096];
        snprintf(line, sizeof line, "%.*s", (int)(le - p < 4095 ? le - p : 4095), p);
        int date;
        char id[64];
        bool header = p < end && header_line(line, &date, id, sizeof id);
        bool section = line[0] == '#';
        if ((header || section || p >= end) && in_record) {
            split_record(&r, raw.data ? raw.data : "");
            if (strstr(r.text.data ? r.text.data : "", "This is the end of the standard validation records")) break;
            expect ex[MAX_EXPECT];
            bool option = false, open_ended = false, complex = false;
            int nex = parse_expect(r.comment.data ? r.comment.data : "", ex, MAX_EXPECT, d, &option, &open_ended,
                                   &complex);
            /* with time shifting on, the first expected event carries the
             * shifted date and it must match (manual 10.1) */
            int want_date = nex && time_shifting(d) ? ex[0].date : -1;
            out->records++;
            if (option) {
                out->options++;
            } else {
                const sr_code_result *res;
                long story = -1, sent = -1;
                if (d->opt.forward) story_and_sentence(d->opt.forward_format, r.idinfo, &story, &sent);
                bool next = d->opt.forward && story == prev_story && sent == prev_sent + 1;
                sr_coder_forward(c, next && prev_actor[0] ? prev_actor : NULL);
                sr_code_sentence(c, r.text.data ? r.text.data : "", r.text.len, r.date, 0, &res);
                prev_story = story;
                prev_sent = sent;
                snprintf(prev_actor, sizeof prev_actor, "%s", sr_coder_first_actor(c));
                expect got[MAX_EXPECT];
                int ngot = 0;
                for (size_t i = 0; i < res->n_events && ngot < MAX_EXPECT; i++) {
                    snprintf(got[ngot].src, sizeof got[ngot].src, "%s", res->events[i].source.code);
                    snprintf(got[ngot].tgt, sizeof got[ngot].tgt, "%s", res->events[i].target.code);
                    snprintf(got[ngot].code, sizeof got[ngot].code, "%s", res->events[i].cameo);
                    ngot++;
                }
                qsort(ex, (size_t)nex, sizeof *ex, event_cmp);
                qsort(got, (size_t)ngot, sizeof *got, event_cmp);
                bool date_ok = want_date < 0 || (res->n_events && res->events[0].date == want_date);
                /* "{+++}" expects the sentence set aside as complex (manual
                 * 10.1); events listed beside it are what it codes with the
                 * complex filter off (DEBUG-11: "turn off complex filter to
                 * get this to code"). */
                bool complex_ok = complex && res->status == SR_CODE_COMPLEX;
                if (complex_ok || (date_ok && coded_as_expected(ex, nex, got, ngot, open_ended))) {
                    out->passed++;
                } else {
                    out->failed++;
                    if (report) {
                        fprintf(report, "%s: expected", r.id);
                        for (int i = 0; i < nex; i++) fprintf(report, " {%s/%s/%s}", ex[i].src, ex[i].tgt, ex[i].code);
                        if (!nex) fprintf(report, " nothing");
                        fprintf(report, "; coded");
                        for (int i = 0; i < ngot; i++) fprintf(report, " {%s/%s/%s}", got[i].src, got[i].tgt, got[i].code);
                        if (!ngot) fprintf(report, " nothing");
                        if (!date_ok) fprintf(report, " dated %d, expected %d", res->n_events ? res->events[0].date : 0, want_date);
                        static const char *const st[] = {"", " (discard)", " (complex)", " (short)"};
                        fprintf(report, "%s\n", st[res->status]);
                    }
                }
            }
            in_record = false;
        }
        if (p >= end) break;
        if (header) {
            in_record = true;
            snprintf(r.id, sizeof r.id, "%s", id);
            snprintf(r.idinfo, sizeof r.idinfo, "%s", line + strspn(line, "0123456789"));
            r.date = date;
            sr_buf_reset(&raw);
        } else if (in_record && !section) {
            sr_buf_append(&raw, p, (size_t)(le - p));
            sr_buf_putc(&raw, ' ');
        }
        p = le + 1;
    }
    sr_buf_free(&raw);
    sr_buf_free(&r.text);
    sr_buf_free(&r.comment);
    sr_coder_free(c);
out:
    free(text);
    free(textfile);
    sr_code_dict_free(d);
    return e;
}

/* YYMMDD (k = 6 digits) or YYYYMMDD as YYYYMMDD. */
static int full_date(int v, int k)
{
    return k == 6 ? v + (v / 10000 <= 30 ? 20000000 : 19000000) : v;
}

/* "950101  DEMO-01" -> date 19950101, id */
static bool header_line(const char *s, int *date, char *id, size_t idn)
{
    int k = 0;
    while (isdigit((unsigned char)s[k])) k++;
    if (k != 6 && k != 8) return false;
    if (s[k] != ' ' && s[k] != '\t') return false;
    *date = full_date(atoi(s), k);
    const char *p = s + k;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return false;
    size_t n = strcspn(p, " \t\r");
    snprintf(id, idn, "%.*s", (int)n, p);
    return true;
}

/* FORWARD's sequence format (manual 8.4.1): ^ a leading blank, * any
 * character, N the story number, S the sentence number. */
static void story_and_sentence(const char *format, const char *idinfo, long *story, long *sentence)
{
    *story = *sentence = 0;
    size_t n = strlen(idinfo);
    for (size_t i = 0; format[i] && i < n; i++) {
        char ch = idinfo[i];
        if (format[i] == 'N') *story = *story * 10 + (isdigit((unsigned char)ch) ? ch - '0' : 0);
        else if (format[i] == 'S') *sentence = *sentence * 10 + (isdigit((unsigned char)ch) ? ch - '0' : 0);
    }
}

static void split_record(record *r, const char *raw)
{
    /* the text ends at the first comment mark; everything after it is the
     * comment section, whatever closing marks it holds: TABARI reads the
     * bracketed records there and ignores the rest (manual 10.1), so a
     * record closed early (PATTERN-26) still lists all its events, and
     * none of them is coded as text */
    sr_buf_reset(&r->text);
    sr_buf_reset(&r->comment);
    const char *open = strstr(raw, "/*");
    if (!open) {
        sr_buf_puts(&r->text, raw);
        return;
    }
    sr_buf_append(&r->text, raw, (size_t)(open - raw));
    sr_buf_puts(&r->comment, open + 2);
}

static void copy_field(char *dst, size_t n, const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    snprintf(dst, n, "%.*s", (int)len, s);
}

/* "-{" ends the records checked (manual 10.1: "do not check additional
 * records", for records commented out or compounds too many to list): the
 * events listed before it must be coded, others may be too. */
static int parse_expect(const char *cm, expect *ex, int max, sr_code_dict *d, bool *option, bool *open_ended,
                        bool *complex)
{
    int n = 0;
    for (const char *p = strstr(cm, "\\n"); p; p = strstr(p + 2, "\\n")) {
        const char *q = p + 2;
        while (*q == ' ' || *q == '\t') q++;
        if (q[0] == '-' && q[1] == '{') {
            *open_ended = true;
            break;
        }
        if (*q != '{') continue;
        const char *close = strchr(q, '}');
        if (!close) close = q + strlen(q); /* an OPTION record may lack its closing brace */
        const char *b = q + 1;
        while (*b == ' ') b++;
        if (strncmp(b, "+++", 3) == 0) {
            *complex = true;
            continue;
        }
        if (strncmp(b, "OPTION:", 7) == 0) {
            char opt[512];
            copy_field(opt, sizeof opt, b + 7, (size_t)(close - b - 7));
            sr_code_dict_option(d, opt);
            *option = true;
            continue;
        }
        const char *s1 = memchr(b, '/', (size_t)(close - b));
        const char *s2 = s1 ? memchr(s1 + 1, '/', (size_t)(close - s1 - 1)) : NULL;
        if (!s2 || n >= max) continue;
        copy_field(ex[n].src, sizeof ex[n].src, b, (size_t)(s1 - b));
        copy_field(ex[n].tgt, sizeof ex[n].tgt, s1 + 1, (size_t)(s2 - s1 - 1));
        copy_field(ex[n].code, sizeof ex[n].code, s2 + 1, (size_t)(close - s2 - 1));
        ex[n].date = 0;
        if (*close == '}') {
            const char *t = close + 1;
            while (*t == ' ' || *t == '\t') t++;
            int k = 0;
            while (isdigit((unsigned char)t[k])) k++;
            if (k == 6 || k == 8) ex[n].date = full_date(atoi(t), k);
        }
        /* "{ A / B / 081 }" once per distinct event */
        bool dup = false;
        for (int i = 0; i < n; i++) dup |= event_cmp(&ex[i], &ex[n]) == 0;
        if (!dup) n++;
    }
    return n;
}

static bool coded_as_expected(const expect *ex, int nex, const expect *got, int ngot, bool open_ended)
{
    if (open_ended) {
        for (int i = 0; i < nex; i++) {
            bool found = false;
            for (int j = 0; j < ngot && !found; j++) found = event_cmp(&ex[i], &got[j]) == 0;
            if (!found) return false;
        }
        return true;
    }
    /* both sorted */
    bool same = nex == ngot;
    for (int i = 0; same && i < nex; i++) same = event_cmp(&ex[i], &got[i]) == 0;
    return same;
}

static int event_cmp(const void *a, const void *b)
{
    const expect *x = a, *y = b;
    int r = strcmp(x->src, y->src);
    if (!r) r = strcmp(x->tgt, y->tgt);
    if (!r) r = strcmp(x->code, y->code);
    return r;
}
