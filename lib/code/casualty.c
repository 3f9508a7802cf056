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
#include <string.h>
#include <strings.h>
#include "sitrep/code.h"
#include "sitrep/text.h"
#include "details.h"

#define MAX_FIGURES 16
#define MAX_SCAN 10          /* words between a number and its casualty word */
#define MAX_UNKNOWN 3        /* of them, words that are not known victims' words */

enum cue { CUE_NONE, CUE_DEATH, CUE_INJURY, CUE_BOTH };

typedef struct figure {
    double value;
    bool at_least, approximate;
    const char *who;         /* canonical group; "" several */
    const char *who2;
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
} sent;

static bool read_sentence(sr_arena *a, sent *s, const char *text, size_t len, int doc_date);
static void find_figures(sent *s);
static void finish(const sent *s, int kind, sr_code_toll *out);
static bool about_same_attack(const sent *s, bool has_events);

void sr_code_tolls(const char *sentence, size_t len, const char *next, size_t next_len, int doc_date,
                   sr_code_toll *fatalities, sr_code_toll *injuries)
{
    sr_arena *a = sr_arena_new(4u << 20);
    sr_details_tolls_in(a, sentence, len, next, next_len, false, doc_date, fatalities, injuries);
    sr_arena_free(a);
}

void sr_details_tolls_in(sr_arena *a, const char *sentence, size_t len, const char *next, size_t next_len,
                         bool next_has_events, int doc_date, sr_code_toll *fatalities, sr_code_toll *injuries)
{
    *fatalities = *injuries = (sr_code_toll){.value = -1};
    if (!a || !sentence || !len) return;
    if (len > 8192) len = 8192;
    if (next_len > 8192) next_len = 8192;
    sent s;
    if (read_sentence(a, &s, sentence, len, doc_date)) {
        find_figures(&s);
        finish(&s, 0, fatalities);
        finish(&s, 1, injuries);
    }
    if (fatalities->value < 0 && injuries->value < 0 && next && next_len) {
        sent n;
        if (read_sentence(a, &n, next, next_len, doc_date)) {
            find_figures(&n);
            if (about_same_attack(&n, next_has_events)) {
                finish(&n, 0, fatalities);
                finish(&n, 1, injuries);
            }
        }
    }
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

/* The casualty word at token i, if any. A word that comes after the
 * victims ("were killed", "dead") and one that comes before them
 * ("killing", "wounded") are the same list: news uses both orders. */
static enum cue cue_at(const sent *s, size_t i)
{
    static const char *const death[] = {"killed", "kill", "kills", "killing", "dead", "died", "die", "dies",
        "dying", "deaths", "death", "slain", "slaughtered", "massacred", "executed", "murdered", "beheaded",
        "perished", "fatalities", "lives", "bodies", "corpses", "lifeless", NULL};
    static const char *const injury[] = {"wounded", "wounding", "wounds", "wound", "injured", "injuring",
        "injures", "injure", "injuries", "hurt", "hospitalised", "hospitalized", NULL};
    if (tok_any(s, i, death)) return CUE_DEATH;
    if (tok_any(s, i, injury)) return CUE_INJURY;
    if (tok_eq(s, i, "casualties")) return CUE_BOTH;
    return CUE_NONE;
}

/* Who the victims were, in one of the groups news counts apart. */
static const char *who_at(const sent *s, size_t i)
{
    static const struct { const char *group; const char *words[28]; } groups[] = {
        {"civilians", {"civilian", "civilians", "child", "children", "woman", "women", "villager", "villagers",
                       "resident", "residents", "worshipper", "worshippers", "worshipers", "student",
                       "students", "passenger", "passengers", "pilgrim", "pilgrims", "farmer", "farmers",
                       "journalist", "journalists", "refugees", "bystanders", "shoppers", "teachers", NULL}},
        {"soldiers", {"soldier", "soldiers", "troops", "trooper", "troopers", "serviceman", "servicemen",
                      "marine", "marines", "paratroopers", "peacekeeper", "peacekeepers", "sailors",
                      "airmen", "conscripts", "forces", "army", NULL}},
        {"police", {"police", "policeman", "policemen", "policewoman", "officer", "officers", "cop", "cops",
                    "gendarme", "gendarmes", "guards", "guard", "constables", NULL}},
        {"militants", {"militant", "militants", "fighter", "fighters", "insurgent", "insurgents", "rebel",
                       "rebels", "gunman", "gunmen", "extremist", "extremists", "jihadist", "jihadists",
                       "attacker", "attackers", "terrorist", "terrorists", "bomber", "bombers", "assailants",
                       "militiamen", "militiaman", "guerrillas", "combatants", "kidnappers", NULL}},
        {"protesters", {"protester", "protesters", "protestor", "protestors", "demonstrator", "demonstrators",
                        "marchers", "rioters", NULL}},
        {"people", {"people", "person", "persons", "others", "men", "individuals", "victims", NULL}},
    };
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
        if (tok_any(s, i, groups[g].words)) return groups[g].group;
    return NULL;
}

/* Words that may stand between the victims and what happened to them. */
static bool filler(const sent *s, size_t i)
{
    static const char *const w[] = {"were", "was", "are", "is", "been", "be", "being", "have", "has", "had",
        "reportedly", "also", "all", "later", "believed", "feared", "confirmed", "reported", "said", "to",
        "of", "them", "whom", "more", "other", "the", "apparently", "either", "found", "left", "now", "who",
        "been", "got", "get", "innocent", "unarmed", "young", "security", "police", "army", "government",
        "opposition", "pro-government", "foreign", "local", "least", "at", "dozen", "already", "since",
        "seriously", "critically", "slightly", "badly", "fatally", "mortally", "lightly", "including",
        "among", "and", NULL};
    return tok_any(s, i, w);
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
        f->value += v;
        const char *who = NULL;
        size_t j = k;
        for (; j < s->nt && j < k + 3 && !is_punct(s, j); j++) {
            if ((who = who_at(s, j))) break;
            if (cue_at(s, j) || tok_eq(s, j, "and")) break;
        }
        if (who) {
            if (!f->who) f->who = who;
            else if (strcmp(f->who, who) != 0 && !f->who2) f->who2 = who;
            if (tok_eq(s, j + 1, "of") && who_at(s, j + 2)) j += 2;  /* "hundreds of people" */
            k = j + 1;
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

/* The sentence after the event's tells its toll when it opens with the
 * figure ("At least 12 people were killed, activists said.") or, when it
 * tells no event of its own, names the attack ("The blast killed 4"). */
static bool about_same_attack(const sent *s, bool has_events)
{
    static const char *const nouns[] = {"attack", "attacks", "blast", "blasts", "explosion", "bombing",
        "bombings", "raid", "raids", "strike", "strikes", "airstrike", "airstrikes", "clash", "clashes",
        "fighting", "assault", "ambush", "shelling", "shooting", "violence", "incident", "explosions",
        "massacre", "crackdown", "unrest", NULL};
    if (s->first_fig_tok < 0 && !s->zero[0] && !s->zero[1]) return false;
    if (s->first_fig_tok >= 0 && s->first_fig_tok <= 3) return true;
    if (has_events) return false;
    for (size_t i = 0; i < s->nt; i++)
        if ((tok_eq(s, i, "the") || tok_eq(s, i, "that") || tok_eq(s, i, "this")) && tok_any(s, i + 1, nouns))
            return true;
    return false;
}
