/* Casualty figures in news sentences: how many were killed and injured,
 * who they were, and whether the figure is this event's or a count over a
 * period or a past battle.
 *
 * A figure is a number expression (lib/text: digits, words, "at least",
 * "nearly", "dozens") tied to a casualty word in one of the two ways news
 * writes it:
 *   - the number names the victims and the word follows: "12 people were
 *     killed", "two soldiers and a civilian died", "30 dead", "claimed 30
 *     lives", with only words that describe the victims in between;
 *   - the word comes first: "killing 5 and wounding 12", "killed at least
 *     12 civilians", "the lives of 1,300 soldiers", "the death toll rose to
 *     40".
 * Several figures of one kind in a sentence are added when they count
 * different groups ("5 soldiers and 3 civilians were killed") and the
 * largest is kept when they may overlap ("12 people ... 5 of them
 * children"). "No one was killed" is a figure of 0. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sitrep/code.h"
#include "sitrep/text.h"
#include "details.h"

#define MAX_FIGURES 16
#define MAX_SCAN 10          /* words between a number and its casualty word */
#define MAX_UNKNOWN 3        /* of them, words that are not known victims' words */

enum cue { CUE_NONE, CUE_DEATH, CUE_INJURY, CUE_BOTH };
enum who { WHO_NONE, WHO_CIVILIANS, WHO_SOLDIERS, WHO_POLICE, WHO_MILITANTS, WHO_PROTESTERS, WHO_PEOPLE };

/* What a word tells about casualties, compiled into one table looked up
 * once per token: the casualty word (news uses the same words before and
 * after the victims: "were killed", "killing 5"), the group of victims it
 * names, and whether it may stand between the victims and the casualty
 * word ("were reportedly", "security"). Kept in strcmp order (bsearch). */
typedef struct word_class {
    const char *word;
    uint8_t cue, who;
    bool filler;
} word_class;

static const word_class WORDS[] = {
    {"airmen", CUE_NONE, WHO_SOLDIERS, false},
    {"all", CUE_NONE, WHO_NONE, true},
    {"already", CUE_NONE, WHO_NONE, true},
    {"also", CUE_NONE, WHO_NONE, true},
    {"among", CUE_NONE, WHO_NONE, true},
    {"and", CUE_NONE, WHO_NONE, true},
    {"apparently", CUE_NONE, WHO_NONE, true},
    {"are", CUE_NONE, WHO_NONE, true},
    {"army", CUE_NONE, WHO_SOLDIERS, true},
    {"assailants", CUE_NONE, WHO_MILITANTS, false},
    {"at", CUE_NONE, WHO_NONE, true},
    {"attacker", CUE_NONE, WHO_MILITANTS, false},
    {"attackers", CUE_NONE, WHO_MILITANTS, false},
    {"badly", CUE_NONE, WHO_NONE, true},
    {"be", CUE_NONE, WHO_NONE, true},
    {"been", CUE_NONE, WHO_NONE, true},
    {"beheaded", CUE_DEATH, WHO_NONE, false},
    {"being", CUE_NONE, WHO_NONE, true},
    {"believed", CUE_NONE, WHO_NONE, true},
    {"bodies", CUE_DEATH, WHO_NONE, false},
    {"bomber", CUE_NONE, WHO_MILITANTS, false},
    {"bombers", CUE_NONE, WHO_MILITANTS, false},
    {"bystanders", CUE_NONE, WHO_CIVILIANS, false},
    {"casualties", CUE_BOTH, WHO_NONE, false},
    {"child", CUE_NONE, WHO_CIVILIANS, false},
    {"children", CUE_NONE, WHO_CIVILIANS, false},
    {"civilian", CUE_NONE, WHO_CIVILIANS, false},
    {"civilians", CUE_NONE, WHO_CIVILIANS, false},
    {"combatants", CUE_NONE, WHO_MILITANTS, false},
    {"confirmed", CUE_NONE, WHO_NONE, true},
    {"conscripts", CUE_NONE, WHO_SOLDIERS, false},
    {"constables", CUE_NONE, WHO_POLICE, false},
    {"cop", CUE_NONE, WHO_POLICE, false},
    {"cops", CUE_NONE, WHO_POLICE, false},
    {"corpses", CUE_DEATH, WHO_NONE, false},
    {"critically", CUE_NONE, WHO_NONE, true},
    {"dead", CUE_DEATH, WHO_NONE, false},
    {"death", CUE_DEATH, WHO_NONE, false},
    {"deaths", CUE_DEATH, WHO_NONE, false},
    {"demonstrator", CUE_NONE, WHO_PROTESTERS, false},
    {"demonstrators", CUE_NONE, WHO_PROTESTERS, false},
    {"die", CUE_DEATH, WHO_NONE, false},
    {"died", CUE_DEATH, WHO_NONE, false},
    {"dies", CUE_DEATH, WHO_NONE, false},
    {"dozen", CUE_NONE, WHO_NONE, true},
    {"dying", CUE_DEATH, WHO_NONE, false},
    {"either", CUE_NONE, WHO_NONE, true},
    {"executed", CUE_DEATH, WHO_NONE, false},
    {"extremist", CUE_NONE, WHO_MILITANTS, false},
    {"extremists", CUE_NONE, WHO_MILITANTS, false},
    {"farmer", CUE_NONE, WHO_CIVILIANS, false},
    {"farmers", CUE_NONE, WHO_CIVILIANS, false},
    {"fatalities", CUE_DEATH, WHO_NONE, false},
    {"fatally", CUE_NONE, WHO_NONE, true},
    {"feared", CUE_NONE, WHO_NONE, true},
    {"fighter", CUE_NONE, WHO_MILITANTS, false},
    {"fighters", CUE_NONE, WHO_MILITANTS, false},
    {"forces", CUE_NONE, WHO_SOLDIERS, false},
    {"foreign", CUE_NONE, WHO_NONE, true},
    {"found", CUE_NONE, WHO_NONE, true},
    {"gendarme", CUE_NONE, WHO_POLICE, false},
    {"gendarmes", CUE_NONE, WHO_POLICE, false},
    {"get", CUE_NONE, WHO_NONE, true},
    {"got", CUE_NONE, WHO_NONE, true},
    {"government", CUE_NONE, WHO_NONE, true},
    {"guard", CUE_NONE, WHO_POLICE, false},
    {"guards", CUE_NONE, WHO_POLICE, false},
    {"guerrillas", CUE_NONE, WHO_MILITANTS, false},
    {"gunman", CUE_NONE, WHO_MILITANTS, false},
    {"gunmen", CUE_NONE, WHO_MILITANTS, false},
    {"had", CUE_NONE, WHO_NONE, true},
    {"has", CUE_NONE, WHO_NONE, true},
    {"have", CUE_NONE, WHO_NONE, true},
    {"hospitalised", CUE_INJURY, WHO_NONE, false},
    {"hospitalized", CUE_INJURY, WHO_NONE, false},
    {"hurt", CUE_INJURY, WHO_NONE, false},
    {"including", CUE_NONE, WHO_NONE, true},
    {"individuals", CUE_NONE, WHO_PEOPLE, false},
    {"injure", CUE_INJURY, WHO_NONE, false},
    {"injured", CUE_INJURY, WHO_NONE, false},
    {"injures", CUE_INJURY, WHO_NONE, false},
    {"injuries", CUE_INJURY, WHO_NONE, false},
    {"injuring", CUE_INJURY, WHO_NONE, false},
    {"innocent", CUE_NONE, WHO_NONE, true},
    {"insurgent", CUE_NONE, WHO_MILITANTS, false},
    {"insurgents", CUE_NONE, WHO_MILITANTS, false},
    {"is", CUE_NONE, WHO_NONE, true},
    {"jihadist", CUE_NONE, WHO_MILITANTS, false},
    {"jihadists", CUE_NONE, WHO_MILITANTS, false},
    {"journalist", CUE_NONE, WHO_CIVILIANS, false},
    {"journalists", CUE_NONE, WHO_CIVILIANS, false},
    {"kidnappers", CUE_NONE, WHO_MILITANTS, false},
    {"kill", CUE_DEATH, WHO_NONE, false},
    {"killed", CUE_DEATH, WHO_NONE, false},
    {"killing", CUE_DEATH, WHO_NONE, false},
    {"kills", CUE_DEATH, WHO_NONE, false},
    {"later", CUE_NONE, WHO_NONE, true},
    {"least", CUE_NONE, WHO_NONE, true},
    {"left", CUE_NONE, WHO_NONE, true},
    {"lifeless", CUE_DEATH, WHO_NONE, false},
    {"lightly", CUE_NONE, WHO_NONE, true},
    {"lives", CUE_DEATH, WHO_NONE, false},
    {"local", CUE_NONE, WHO_NONE, true},
    {"marchers", CUE_NONE, WHO_PROTESTERS, false},
    {"marine", CUE_NONE, WHO_SOLDIERS, false},
    {"marines", CUE_NONE, WHO_SOLDIERS, false},
    {"massacred", CUE_DEATH, WHO_NONE, false},
    {"men", CUE_NONE, WHO_PEOPLE, false},
    {"militant", CUE_NONE, WHO_MILITANTS, false},
    {"militants", CUE_NONE, WHO_MILITANTS, false},
    {"militiaman", CUE_NONE, WHO_MILITANTS, false},
    {"militiamen", CUE_NONE, WHO_MILITANTS, false},
    {"more", CUE_NONE, WHO_NONE, true},
    {"mortally", CUE_NONE, WHO_NONE, true},
    {"murdered", CUE_DEATH, WHO_NONE, false},
    {"now", CUE_NONE, WHO_NONE, true},
    {"of", CUE_NONE, WHO_NONE, true},
    {"officer", CUE_NONE, WHO_POLICE, false},
    {"officers", CUE_NONE, WHO_POLICE, false},
    {"opposition", CUE_NONE, WHO_NONE, true},
    {"other", CUE_NONE, WHO_NONE, true},
    {"others", CUE_NONE, WHO_PEOPLE, false},
    {"paratroopers", CUE_NONE, WHO_SOLDIERS, false},
    {"passenger", CUE_NONE, WHO_CIVILIANS, false},
    {"passengers", CUE_NONE, WHO_CIVILIANS, false},
    {"peacekeeper", CUE_NONE, WHO_SOLDIERS, false},
    {"peacekeepers", CUE_NONE, WHO_SOLDIERS, false},
    {"people", CUE_NONE, WHO_PEOPLE, false},
    {"perished", CUE_DEATH, WHO_NONE, false},
    {"person", CUE_NONE, WHO_PEOPLE, false},
    {"persons", CUE_NONE, WHO_PEOPLE, false},
    {"pilgrim", CUE_NONE, WHO_CIVILIANS, false},
    {"pilgrims", CUE_NONE, WHO_CIVILIANS, false},
    {"police", CUE_NONE, WHO_POLICE, true},
    {"policeman", CUE_NONE, WHO_POLICE, false},
    {"policemen", CUE_NONE, WHO_POLICE, false},
    {"policewoman", CUE_NONE, WHO_POLICE, false},
    {"pro-government", CUE_NONE, WHO_NONE, true},
    {"protester", CUE_NONE, WHO_PROTESTERS, false},
    {"protesters", CUE_NONE, WHO_PROTESTERS, false},
    {"protestor", CUE_NONE, WHO_PROTESTERS, false},
    {"protestors", CUE_NONE, WHO_PROTESTERS, false},
    {"rebel", CUE_NONE, WHO_MILITANTS, false},
    {"rebels", CUE_NONE, WHO_MILITANTS, false},
    {"refugees", CUE_NONE, WHO_CIVILIANS, false},
    {"reported", CUE_NONE, WHO_NONE, true},
    {"reportedly", CUE_NONE, WHO_NONE, true},
    {"resident", CUE_NONE, WHO_CIVILIANS, false},
    {"residents", CUE_NONE, WHO_CIVILIANS, false},
    {"rioters", CUE_NONE, WHO_PROTESTERS, false},
    {"said", CUE_NONE, WHO_NONE, true},
    {"sailors", CUE_NONE, WHO_SOLDIERS, false},
    {"security", CUE_NONE, WHO_NONE, true},
    {"seriously", CUE_NONE, WHO_NONE, true},
    {"serviceman", CUE_NONE, WHO_SOLDIERS, false},
    {"servicemen", CUE_NONE, WHO_SOLDIERS, false},
    {"shoppers", CUE_NONE, WHO_CIVILIANS, false},
    {"since", CUE_NONE, WHO_NONE, true},
    {"slain", CUE_DEATH, WHO_NONE, false},
    {"slaughtered", CUE_DEATH, WHO_NONE, false},
    {"slightly", CUE_NONE, WHO_NONE, true},
    {"soldier", CUE_NONE, WHO_SOLDIERS, false},
    {"soldiers", CUE_NONE, WHO_SOLDIERS, false},
    {"student", CUE_NONE, WHO_CIVILIANS, false},
    {"students", CUE_NONE, WHO_CIVILIANS, false},
    {"teachers", CUE_NONE, WHO_CIVILIANS, false},
    {"terrorist", CUE_NONE, WHO_MILITANTS, false},
    {"terrorists", CUE_NONE, WHO_MILITANTS, false},
    {"the", CUE_NONE, WHO_NONE, true},
    {"them", CUE_NONE, WHO_NONE, true},
    {"to", CUE_NONE, WHO_NONE, true},
    {"trooper", CUE_NONE, WHO_SOLDIERS, false},
    {"troopers", CUE_NONE, WHO_SOLDIERS, false},
    {"troops", CUE_NONE, WHO_SOLDIERS, false},
    {"unarmed", CUE_NONE, WHO_NONE, true},
    {"victims", CUE_NONE, WHO_PEOPLE, false},
    {"villager", CUE_NONE, WHO_CIVILIANS, false},
    {"villagers", CUE_NONE, WHO_CIVILIANS, false},
    {"was", CUE_NONE, WHO_NONE, true},
    {"were", CUE_NONE, WHO_NONE, true},
    {"who", CUE_NONE, WHO_NONE, true},
    {"whom", CUE_NONE, WHO_NONE, true},
    {"woman", CUE_NONE, WHO_CIVILIANS, false},
    {"women", CUE_NONE, WHO_CIVILIANS, false},
    {"worshipers", CUE_NONE, WHO_CIVILIANS, false},
    {"worshipper", CUE_NONE, WHO_CIVILIANS, false},
    {"worshippers", CUE_NONE, WHO_CIVILIANS, false},
    {"wound", CUE_INJURY, WHO_NONE, false},
    {"wounded", CUE_INJURY, WHO_NONE, false},
    {"wounding", CUE_INJURY, WHO_NONE, false},
    {"wounds", CUE_INJURY, WHO_NONE, false},
    {"young", CUE_NONE, WHO_NONE, true},
};

static const char *const GROUP[] = {NULL, "civilians", "soldiers", "police", "militants", "protesters", "people"};

typedef struct figure {
    double value;
    bool at_least, approximate;
    const char *who;         /* canonical group; "" several */
    const char *who2;
    size_t b0, b1;           /* bytes of the words naming the victims */
} figure;

typedef struct sent {
    const char *text;
    const sr_token *t;
    size_t nt;
    const sr_number *num;
    size_t nnum;
    int *num_at;             /* token -> number starting there, -1 */
    int *num_end;            /* number -> token after it */
    figure fig[2][MAX_FIGURES];
    int nfig[2];
    int zero[2];             /* "no one was killed" */
    int first_fig_tok;
    int doc_date;
    const sr_date *dates;
    size_t ndates;
    const word_class **cls;  /* token -> its entry in WORDS, NULL */
} sent;

static bool read_sentence(sr_arena *a, sent *s, const char *text, size_t len, int doc_date);
static void find_figures(sent *s);
static void finish(const sent *s, int kind, sr_code_toll *out);
static bool names_the_attack(const sent *s);
static void victim_spans(const sent *s, sr_sentence_toll *out);
static bool any_cue_word(const char *text, size_t len);

void sr_code_tolls(const char *sentence, size_t len, const char *next, size_t next_len, int doc_date,
                   sr_code_toll *fatalities, sr_code_toll *injuries)
{
    *fatalities = *injuries = (sr_code_toll){.value = -1};
    sr_arena *a = sr_arena_new(4u << 20);
    sr_sentence_toll t;
    if (sr_details_sentence_toll(a, sentence, len, doc_date, &t) ||
        (next && sr_details_sentence_toll(a, next, next_len, doc_date, &t) && (t.opens || t.names_attack))) {
        *fatalities = t.fatalities;
        *injuries = t.injuries;
    }
    sr_arena_free(a);
}

bool sr_details_sentence_toll(sr_arena *a, const char *sentence, size_t len, int doc_date, sr_sentence_toll *out)
{
    memset(out, 0, sizeof *out);
    out->fatalities = out->injuries = (sr_code_toll){.value = -1};
    if (!a || !sentence || !len) return false;
    if (len > 8192) len = 8192;
    /* most sentences name no casualty at all: they are not tokenised */
    sent s;
    if (!any_cue_word(sentence, len) || !read_sentence(a, &s, sentence, len, doc_date)) return false;
    find_figures(&s);
    finish(&s, 0, &out->fatalities);
    finish(&s, 1, &out->injuries);
    if (out->fatalities.value < 0 && out->injuries.value < 0) return false;
    out->opens = s.first_fig_tok >= 0 && s.first_fig_tok <= 3;
    out->names_attack = names_the_attack(&s);
    victim_spans(&s, out);
    return true;
}

/* ---- words ---------------------------------------------------------------- */

static bool tok_eq(const sent *s, size_t i, const char *w)
{
    if (i >= s->nt) return false;
    size_t n = s->t[i].end - s->t[i].start;
    return strlen(w) == n && strncasecmp(s->text + s->t[i].start, w, n) == 0;
}

static bool tok_any(const sent *s, size_t i, const char *const *ws)
{
    for (; *ws; ws++)
        if (tok_eq(s, i, *ws)) return true;
    return false;
}

static bool is_punct(const sent *s, size_t i)
{
    return i < s->nt && s->t[i].kind == SR_TOKEN_PUNCT;
}

static int cmp_word(const void *key, const void *entry)
{
    return strcmp(key, ((const word_class *)entry)->word);
}

/* The table's entry for the word text[0, n), case-insensitively. */
static const word_class *classify(const char *text, size_t n)
{
    char low[24];
    if (n == 0 || n >= sizeof low) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        low[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    low[n] = 0;
    return bsearch(low, WORDS, sizeof WORDS / sizeof *WORDS, sizeof *WORDS, cmp_word);
}

static enum cue cue_at(const sent *s, size_t i)
{
    return i < s->nt && s->cls[i] ? (enum cue)s->cls[i]->cue : CUE_NONE;
}

/* Who the victims were, in one of the groups news counts apart. */
static const char *who_at(const sent *s, size_t i)
{
    return i < s->nt && s->cls[i] ? GROUP[s->cls[i]->who] : NULL;
}

/* Words that may stand between the victims and what happened to them. */
static bool filler(const sent *s, size_t i)
{
    return i < s->nt && s->cls[i] && s->cls[i]->filler;
}

/* Does any word of the text name a casualty? A scan over word starts with
 * one table look-up per word of a casualty word's length, before any
 * tokenising. */
static bool any_cue_word(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !((text[i] | 32) >= 'a' && (text[i] | 32) <= 'z')) i++;
        size_t w = i;
        while (i < len && ((text[i] | 32) >= 'a' && (text[i] | 32) <= 'z')) i++;
        if (i - w >= 3 && i - w <= 12) {
            const word_class *c = classify(text + w, i - w);
            if (c && c->cue) return true;
        }
    }
    return false;
}

/* ---- figures -------------------------------------------------------------- */

static bool read_sentence(sr_arena *a, sent *s, const char *text, size_t len, int doc_date)
{
    memset(s, 0, sizeof *s);
    s->text = text;
    s->doc_date = doc_date;
    sr_token *t;
    sr_number *num;
    if (sr_text_tokens(a, text, len, &t, &s->nt) != SR_OK) return false;
    s->t = t;
    if (sr_text_numbers_in(a, text, t, s->nt, &num, &s->nnum) != SR_OK) return false;
    s->num = num;
    if (doc_date) {
        sr_date *d;
        sr_ymd doc = {doc_date / 10000, doc_date / 100 % 100, doc_date % 100};
        if (sr_text_dates_in(a, text, t, s->nt, doc, &d, &s->ndates) != SR_OK) return false;
        s->dates = d;
    }
    s->cls = sr_arena_alloc(a, (s->nt + 1) * sizeof *s->cls);
    if (!s->cls) return false;
    for (size_t i = 0; i < s->nt; i++)
        s->cls[i] = t[i].kind == SR_TOKEN_WORD ? classify(text + t[i].start, t[i].end - t[i].start) : NULL;
    s->num_at = sr_arena_alloc(a, (s->nt + 1) * sizeof *s->num_at);
    s->num_end = sr_arena_alloc(a, (s->nnum + 1) * sizeof *s->num_end);
    if (!s->num_at || !s->num_end) return false;
    for (size_t i = 0; i <= s->nt; i++) s->num_at[i] = -1;
    size_t k = 0;
    for (size_t i = 0; i < s->nnum; i++) {
        while (k < s->nt && s->t[k].start < s->num[i].start) k++;
        if (k < s->nt) s->num_at[k] = (int)i;
        size_t e = k;
        while (e < s->nt && s->t[e].start < s->num[i].end) e++;
        s->num_end[i] = (int)e;
    }
    s->first_fig_tok = -1;
    return true;
}

/* A bare four-digit year ("in 2004") is a date, not a head count. */
static bool is_year(const sent *s, const sr_number *n)
{
    return !n->flags && n->end - n->start == 4 && n->value >= 1900 && n->value <= 2100 &&
           s->text[n->start] >= '1' && s->text[n->start] <= '2';
}

/* "a civilian", "an officer": one victim. */
static bool single_victim(const sent *s, size_t i)
{
    if (!tok_eq(s, i, "a") && !tok_eq(s, i, "an")) return false;
    for (size_t k = i + 1; k < s->nt && k <= i + 3; k++)
        if (who_at(s, k)) return true;
    return false;
}

/* After "and" in a list of victims, "a nurse" with the casualty word
 * close behind is one more, whoever it was. */
static bool one_more(const sent *s, size_t i)
{
    if (!tok_eq(s, i, "a") && !tok_eq(s, i, "an")) return false;
    for (size_t k = i + 2; k < s->nt && k <= i + 3; k++)
        if (cue_at(s, k) || tok_eq(s, k, "and") || tok_eq(s, k, "were") || tok_eq(s, k, "was") || is_punct(s, k))
            return !is_punct(s, i + 1) && !cue_at(s, i + 1);
    return false;
}

/* "Two Palestinians were killed": a plural demonym names the victims by
 * their nationality only. Reports name the role of the dead when they had
 * one ("two Israeli soldiers", "three Afghan policemen", found first as
 * that group), so a nationality alone counts as civilians. */
static bool nationality(const sent *s, size_t i)
{
    if (i >= s->nt || s->t[i].kind != SR_TOKEN_WORD || !(s->t[i].flags & SR_TOKEN_CAPITALISED) ||
        (s->t[i].flags & (SR_TOKEN_SENTENCE_START | SR_TOKEN_ALL_CAPS)))
        return false;
    const char *w = s->text + s->t[i].start;
    size_t n = s->t[i].end - s->t[i].start;
    if (n < 4) return false;
    static const char *const ends[] = {"ans", "is", "ese", "ks", "ds", "ons", "ch", "sh", NULL};
    for (const char *const *e = ends; *e; e++) {
        size_t m = strlen(*e);
        if (strncmp(w + n - m, *e, m) == 0) return true;
    }
    return false;
}

/* The victims told from token i: a number or "a", the words naming them,
 * and more groups joined by "and" ("two soldiers and a civilian"). Returns
 * the token after them, or i when none start there. */
static size_t victims(const sent *s, size_t i, figure *f)
{
    memset(f, 0, sizeof *f);
    size_t k = i;
    bool first = true;
    for (;;) {
        int ni = k < s->nt ? s->num_at[k] : -1;
        double v;
        if (ni >= 0 && !is_year(s, &s->num[ni])) {
            const sr_number *n = &s->num[ni];
            v = n->value;
            if (n->flags & (SR_NUMBER_LOWER_BOUND | SR_NUMBER_VAGUE)) f->at_least = true;
            if (n->flags & (SR_NUMBER_APPROXIMATE | SR_NUMBER_VAGUE)) f->approximate = true;
            k = (size_t)s->num_end[ni];
        } else if (single_victim(s, k) || (!first && one_more(s, k))) {
            v = 1;
            k++;
        } else {
            return first ? i : k;
        }
        if (first) f->b0 = s->t[i].start;
        f->b1 = s->t[k - 1].end;
        f->value += v;
        const char *who = NULL;
        size_t j = k;
        for (; j < s->nt && j < k + 3 && !is_punct(s, j); j++) {
            if ((who = who_at(s, j))) break;
            if (cue_at(s, j) || tok_eq(s, j, "and")) break;
        }
        if (!who && nationality(s, k)) who = "civilians", j = k;
        if (who) {
            if (!f->who) f->who = who;
            else if (strcmp(f->who, who) != 0 && !f->who2) f->who2 = who;
            if (tok_eq(s, j + 1, "of") && who_at(s, j + 2)) j += 2;  /* "hundreds of people" */
            k = j + 1;
            f->b1 = s->t[j].end;
        }
        first = false;
        if (!tok_eq(s, k, "and")) return k;
        size_t after = k + 1;
        if (after < s->nt && ((s->num_at[after] >= 0 && !is_year(s, &s->num[s->num_at[after]])) ||
                              single_victim(s, after) || one_more(s, after)))
            k = after;
        else
            return k;
    }
}

static void add_figure(sent *s, enum cue c, const figure *f, size_t tok)
{
    for (int kind = 0; kind < 2; kind++) {
        if (!(c == CUE_BOTH || (kind == 0 && c == CUE_DEATH) || (kind == 1 && c == CUE_INJURY))) continue;
        if (c == CUE_BOTH && kind == 1) continue;  /* "casualties": counted as dead and wounded; kept as neither */
        if (s->nfig[kind] < MAX_FIGURES) s->fig[kind][s->nfig[kind]++] = *f;
        if (s->first_fig_tok < 0) s->first_fig_tok = (int)tok;
    }
}

/* The casualty word just before the number, skipping what may stand
 * between ("killing at least", "the death toll rose to", "the lives of"). */
static enum cue cue_before(const sent *s, size_t i)
{
    static const char *const toll_words[] = {"rose", "risen", "climbed", "reached", "jumped", "stood", "stands",
        "is", "was", "has", "had", "now", "to", "at", "of", "hit", "increased", NULL};
    if (i == 0) return CUE_NONE;
    enum cue c = cue_at(s, i - 1);
    if (c == CUE_DEATH && !tok_eq(s, i - 1, "dead") && !tok_eq(s, i - 1, "death")) return c;
    if (c == CUE_INJURY && !tok_eq(s, i - 1, "injuries") && !tok_eq(s, i - 1, "hurt")) return c;
    if (tok_eq(s, i - 1, "of") && i >= 2 && tok_eq(s, i - 2, "lives")) return CUE_DEATH;
    /* "the death toll (from the bombing) rose to 41": the toll, then only
     * words before the figure */
    bool verb = false;
    for (size_t k = i; k > 0 && k + 9 > i; k--) {
        if (tok_eq(s, k - 1, "toll")) return verb || k + 1 >= i ? CUE_DEATH : CUE_NONE;
        if (tok_any(s, k - 1, toll_words)) verb = true;
        if (is_punct(s, k - 1) || s->num_at[k - 1] >= 0 || cue_at(s, k - 1) == CUE_INJURY) break;
    }
    return CUE_NONE;
}

/* After the victims: the casualty word, with only words about them between. */
static enum cue cue_after(const sent *s, size_t k, size_t *where)
{
    int unknown = 0;
    for (size_t j = k; j < s->nt && j < k + MAX_SCAN; j++) {
        enum cue c = cue_at(s, j);
        if (c) {
            *where = j;
            return c;
        }
        if (tok_eq(s, j, ",") && tok_eq(s, j + 1, "including")) {
            size_t e = j + 2;
            while (e < s->nt && e < j + 14 && !tok_eq(s, e, ",")) e++;
            j = e;
            continue;
        }
        if (is_punct(s, j) || s->num_at[j] >= 0) return CUE_NONE;
        if (tok_eq(s, j, "and") && cue_at(s, j + 1) == CUE_NONE) return CUE_NONE;
        if (who_at(s, j) || filler(s, j)) continue;
        if ((s->t[j].flags & SR_TOKEN_CAPITALISED) && !(s->t[j].flags & SR_TOKEN_SENTENCE_START)) continue;
        if (++unknown > MAX_UNKNOWN) return CUE_NONE;
    }
    return CUE_NONE;
}

/* "no one was killed", "nobody was hurt", "no casualties", "no deaths". */
static void zero_figures(sent *s, size_t i)
{
    size_t k;
    if (tok_eq(s, i, "nobody") || tok_eq(s, i, "none"))
        k = i + 1;
    else if (tok_eq(s, i, "no") && tok_eq(s, i + 1, "one"))
        k = i + 2;
    else if (tok_eq(s, i, "no") && cue_at(s, i + 1)) {
        enum cue c = cue_at(s, i + 1);
        if (c == CUE_DEATH || c == CUE_BOTH) s->zero[0] = 1;
        if (c == CUE_INJURY || c == CUE_BOTH) s->zero[1] = 1;
        return;
    } else
        return;
    for (size_t j = k; j < s->nt && j < k + 5; j++) {
        enum cue c = cue_at(s, j);
        if (c == CUE_DEATH || c == CUE_BOTH) s->zero[0] = 1;
        if (c == CUE_INJURY || c == CUE_BOTH) s->zero[1] = 1;
        if (c && !tok_eq(s, j + 1, "or") && !tok_eq(s, j + 1, "and")) return;
        if (is_punct(s, j)) return;
    }
}

static void find_figures(sent *s)
{
    for (size_t i = 0; i < s->nt;) {
        zero_figures(s, i);
        figure f;
        size_t k = victims(s, i, &f);
        if (k == i) {
            i++;
            continue;
        }
        enum cue c = cue_before(s, i);
        size_t where = i;
        if (!c) c = cue_after(s, k, &where);
        if (c) add_figure(s, c, &f, i);
        /* "killing 5 and wounding 12": the next figure starts after the cue */
        i = k > i ? k : i + 1;
    }
}

/* ---- what the figure counts ------------------------------------------------ */

static bool has_word(const sent *s, const char *w)
{
    for (size_t i = 0; i < s->nt; i++)
        if (tok_eq(s, i, w)) return true;
    return false;
}

static bool has_pair(const sent *s, const char *a, const char *b)
{
    for (size_t i = 0; i + 1 < s->nt; i++)
        if (tok_eq(s, i, a) && tok_eq(s, i + 1, b)) return true;
    return false;
}

/* A figure over a period: a year or a stretch of time named, or the words
 * news uses for running totals. */
static bool aggregate(const sent *s)
{
    static const char *const pairs[][2] = {{"so", "far"}, {"in", "total"}, {"a", "total"}, {"to", "date"},
        {"the", "past"}, {"this", "year"}, {"last", "year"}, {"the", "war"}, {"the", "conflict"},
        {"civil", "war"}, {"the", "insurgency"}, {"the", "uprising"}, {"the", "years"}, {"each", "year"},
        {"every", "year"}, {"a", "year"}, {"per", "year"}};
    static const char *const words[] = {"since", "altogether", "overall", "cumulative", "annually", NULL};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (has_pair(s, pairs[i][0], pairs[i][1])) return true;
    for (const char *const *w = words; *w; w++)
        if (has_word(s, *w)) return true;
    for (size_t i = 0; i < s->ndates; i++)
        if ((s->dates[i].flags & SR_DATE_PERIOD) || s->dates[i].precision == SR_DATE_YEAR) return true;
    return false;
}

/* About a past battle: a year or date well before the document's, or the
 * words of remembrance. */
static bool historical(const sent *s)
{
    static const char *const words[] = {"anniversary", "commemorate", "commemorated", "commemorating",
                                        "memorial", "remembered", "remembrance", NULL};
    for (const char *const *w = words; *w; w++)
        if (has_word(s, *w)) return true;
    for (size_t i = 0; i < s->nnum; i++)
        if (is_year(s, &s->num[i]) && sr_details_past_year((int)s->num[i].value, s->doc_date)) return true;
    for (size_t i = 0; i < s->ndates; i++)
        if (sr_details_date_past(&s->dates[i], s->doc_date)) return true;
    return false;
}

/* Two groups joined, as one constant string ("soldiers and civilians"). */
static const char *joined_groups(const char *a, const char *b)
{
    static const char *const known[] = {"civilians", "soldiers", "police", "militants", "protesters", "people"};
    static const char *const joined[6][6] = {
        {"civilians and civilians", "civilians and soldiers", "civilians and police", "civilians and militants", "civilians and protesters", "civilians and people"},
        {"soldiers and civilians", "soldiers and soldiers", "soldiers and police", "soldiers and militants", "soldiers and protesters", "soldiers and people"},
        {"police and civilians", "police and soldiers", "police and police", "police and militants", "police and protesters", "police and people"},
        {"militants and civilians", "militants and soldiers", "militants and police", "militants and militants", "militants and protesters", "militants and people"},
        {"protesters and civilians", "protesters and soldiers", "protesters and police", "protesters and militants", "protesters and protesters", "protesters and people"},
        {"people and civilians", "people and soldiers", "people and police", "people and militants", "people and protesters", "people and people"}};
    int ia = -1, ib = -1;
    for (int i = 0; i < 6; i++) {
        if (strcmp(known[i], a) == 0) ia = i;
        if (strcmp(known[i], b) == 0) ib = i;
    }
    return ia >= 0 && ib >= 0 ? joined[ia][ib] : a;
}

static void finish(const sent *s, int kind, sr_code_toll *out)
{
    if (!s->nfig[kind]) {
        if (s->zero[kind] && out->value < 0) *out = (sr_code_toll){.value = 0};
        return;
    }
    /* distinct groups add up; an unnamed or overlapping group may include
     * the others, so then the largest figure stands */
    const figure *f = s->fig[kind];
    int n = s->nfig[kind];
    bool distinct = true;
    for (int i = 0; i < n && distinct; i++) {
        if (!f[i].who || strcmp(f[i].who, "people") == 0) distinct = false;
        for (int j = 0; j < i; j++)
            if (f[j].who && f[i].who && strcmp(f[j].who, f[i].who) == 0) distinct = false;
    }
    figure r = f[0];
    if (n > 1 && distinct) {
        for (int i = 1; i < n; i++) {
            r.value += f[i].value;
            r.at_least |= f[i].at_least;
            r.approximate |= f[i].approximate;
            if (!r.who2) r.who2 = f[i].who;
        }
    } else {
        for (int i = 1; i < n; i++)
            if (f[i].value > r.value) r = f[i];
    }
    out->value = r.value > 2e9 ? 2000000000 : (int)r.value;
    out->at_least = r.at_least;
    out->approximate = r.approximate;
    out->who = r.who;
    if (r.who && r.who2) out->who = joined_groups(r.who, r.who2);
    out->aggregate = aggregate(s);
    out->historical = historical(s);
}

/* "The blast killed 4", "in the attack": the sentence refers back to an
 * attack already told. */
static bool names_the_attack(const sent *s)
{
    static const char *const nouns[] = {"attack", "attacks", "blast", "blasts", "explosion", "bombing",
        "bombings", "raid", "raids", "strike", "strikes", "airstrike", "airstrikes", "clash", "clashes",
        "fighting", "assault", "ambush", "shelling", "shooting", "violence", "incident", "explosions",
        "massacre", "crackdown", "unrest", NULL};
    for (size_t i = 0; i < s->nt; i++)
        if ((tok_eq(s, i, "the") || tok_eq(s, i, "that") || tok_eq(s, i, "this")) && tok_any(s, i + 1, nouns))
            return true;
    return false;
}

/* Where the victims are named, so that the coder's event of "Two
 * Palestinians were killed" (the victims as its actor) is known for the
 * toll it retells. */
static void victim_spans(const sent *s, sr_sentence_toll *out)
{
    for (int kind = 0; kind < 2; kind++)
        for (int i = 0; i < s->nfig[kind] && out->nvictims < SR_TOLL_MAX_VICTIMS; i++)
            if (s->fig[kind][i].b1 > s->fig[kind][i].b0) {
                out->victims[out->nvictims][0] = s->fig[kind][i].b0;
                out->victims[out->nvictims][1] = s->fig[kind][i].b1;
                out->nvictims++;
            }
}
