/*
 * The event coder: who did what to whom, from TABARI-format dictionaries.
 *
 * A dictionary set (actors, agents, verbs with their pattern language,
 * options) is loaded once into an sr_code_dict and shared read-only by any
 * number of coders. A coder codes one sentence at a time with TABARI's shallow
 * parse (no parse trees): actors and agents by longest match, compounds,
 * comma clauses, conjunction clauses, pronouns, passive voice, verb patterns
 * with designated source/target, paired, subordinate and dominant codes.
 */
#ifndef SITREP_CODE_H
#define SITREP_CODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

typedef struct sr_code_dict sr_code_dict;
typedef struct sr_coder sr_coder;

/** An empty dictionary set. Malformed dictionary lines are reported as
 *  "file:line: problem" on `errors` (NULL: stderr) and skipped. */
sr_err sr_code_dict_new(sr_code_dict **out, FILE *errors);
void sr_code_dict_free(sr_code_dict *d);

/** Add one dictionary file. The kind comes from the name: *.verbs / *verbs*
 *  (verbs), *agents* (agents), *.options (options), *discards* (discard
 *  phrases), anything else is read as actors. TABARI and Phoenix/PETRARCH
 *  actor and agent files are both accepted. */
sr_err sr_code_dict_load(sr_code_dict *d, const char *path);
/** Add every dictionary file of a directory (sorted by name). */
sr_err sr_code_dict_load_dir(sr_code_dict *d, const char *dir);
/** Add the files a TABARI .project file names (actors, verbs, agents,
 *  options); the text file it names is returned in *textfile (malloc'd, may
 *  be NULL). */
sr_err sr_code_dict_load_project(sr_code_dict *d, const char *project, char **textfile);
/** Apply one .options command line (e.g. "SET: CODE BY SENTENCE"). */
sr_err sr_code_dict_option(sr_code_dict *d, const char *line);
/** Number of phrases loaded (actors, agents, verbs and their patterns). */
size_t sr_code_dict_size(const sr_code_dict *d);

/** One side of an event. Offsets are code points into the text coded. */
typedef struct sr_code_actor {
    const char *code;     /**< CAMEO actor code, e.g. "USAGOV" */
    const char *words;    /**< the words that named the actor */
    size_t start, end;    /**< [start, end) */
} sr_code_actor;

enum sr_code_modality { SR_MOD_ASSERTED = 0, SR_MOD_INTENT, SR_MOD_THREAT, SR_MOD_HEDGED };
enum sr_code_precision { SR_CODE_DATE_NONE = 0, SR_CODE_DATE_DAY, SR_CODE_DATE_WEEK, SR_CODE_DATE_MONTH, SR_CODE_DATE_YEAR };

/** Where the event happened; filled by a place resolver through
 *  sr_coder_set_place_hook, empty otherwise. */
typedef struct sr_code_place {
    const char *name;
    const char *id;
    double lat, lon;
    int precision;
    bool set;
} sr_code_place;

/** A casualty figure told with an event (see docs/code.md). */
typedef struct sr_code_toll {
    int value;             /**< -1: not stated; 0: "no one was killed" */
    bool at_least;         /**< "at least 12", "more than 20", "dozens" */
    bool approximate;      /**< "about", "nearly", "an estimated", "dozens" */
    const char *who;       /**< "civilians", "soldiers", "police", "militants",
                                "protesters", "people", or groups joined by " and " */
    bool aggregate;        /**< counted over a period: "in 2013", "since the war began" */
    bool historical;       /**< about a past battle or year, not this news */
} sr_code_toll;

typedef struct sr_code_event {
    sr_code_actor source, target;
    const char *cameo;     /**< event code as the dictionary gives it, e.g. "0231" */
    const char *root;      /**< two-digit CAMEO root, "" when the code is not CAMEO */
    int quad;              /**< CAMEO quad class 1..4, 0 unknown */
    double goldstein;      /**< Goldstein scale value, 0 when unknown */
    bool has_goldstein;
    int date;              /**< YYYYMMDD, 0 unknown */
    enum sr_code_precision date_precision;
    bool negated;
    enum sr_code_modality modality;
    size_t sent_start, sent_end;  /**< sentence offsets, code points */
    sr_code_place place;
    /* Details (lib/code/details.c); filled when the dictionary set has the
     * lexicon's tables (modality.tsv, cameo_plover.tsv, acled.tsv) and, for
     * tolls and the sentence's date, by sr_code_document. */
    const char *asserted_cameo;  /**< the verb's own code when the mood changed it, else NULL */
    const char *plover;          /**< PLOVER category, NULL unknown */
    const char *acled_type, *acled_subtype;  /**< NULL: no ACLED counterpart */
    sr_code_toll fatalities, injuries;
    bool historical;             /**< the event's date is more than 30 days before the document's */
} sr_code_event;

/** What happened to a sentence as a whole. */
enum sr_code_status {
    SR_CODE_CODED = 0,   /**< events (possibly none) were coded */
    SR_CODE_DISCARD,     /**< a discard phrase matched: nothing coded */
    SR_CODE_COMPLEX,     /**< too complex by the options: nothing coded */
    SR_CODE_SHORT,       /**< fewer words than MINIMUM WORDS */
};

typedef struct sr_code_result {
    sr_code_event *events;
    size_t n_events;
    enum sr_code_status status;
} sr_code_result;

/** Place hook: called for each event with the sentence text; may fill
 *  ev->place. Keeps the coder free of any gazetteer dependency. */
typedef void (*sr_code_place_fn)(void *ctx, const char *sentence, size_t len, sr_code_event *ev);

sr_err sr_coder_new(sr_coder **out, const sr_code_dict *d);
void sr_coder_free(sr_coder *c);
void sr_coder_set_place_hook(sr_coder *c, sr_code_place_fn fn, void *ctx);

/** Code one sentence (UTF-8). `date` is YYYYMMDD (0: unknown), used for
 *  date-restricted actor codes and time shifting. `base` is the code-point
 *  offset of the sentence within its document, added to every offset. The
 *  result lives in the coder until the next call. */
sr_err sr_code_sentence(sr_coder *c, const char *text, size_t len, int date,
                        size_t base, const sr_code_result **out);

/** Code a whole document: sentences are split, coded and their events
 *  collected (offsets into `text`). */
sr_err sr_code_document(sr_coder *c, const char *text, size_t len, int date,
                        const sr_code_result **out);

/** CAMEO facts for an event code: root, quad class and Goldstein value.
 *  Returns false for codes outside the CAMEO codebook. */
bool sr_cameo_lookup(const char *code, const char **name, int *quad, double *goldstein);

/* ---- TABARI validation projects. ---------------------------------------- */

typedef struct sr_code_validation {
    int records;      /**< records read (option records included) */
    int options;      /**< records that only change an option */
    int passed;
    int failed;
} sr_code_validation;

/** Run a TABARI validation project: each record of its text file is coded
 *  with the project's dictionaries and compared with the events the record
 *  expects; records that differ are reported on `report` (NULL: quiet).
 *  Stops at the record that says "end of the standard validation records". */
sr_err sr_code_validate(const char *project, FILE *report, FILE *errors,
                        sr_code_validation *out);

/* ---- ACLED-style event types. -------------------------------------------- */

/** The rules that give an event ACLED's type and sub-type, read from a table
 *  in the lexicon's format (data/lexicon/acled.tsv: a default per CAMEO code
 *  prefix, then cues — words of the sentence, sectors of the actors — that
 *  refine it, first match wins). */
typedef struct sr_acled_rules sr_acled_rules;

/** Read the rules; a malformed line is reported as "file:line: problem" on
 *  `errors` (NULL: stderr) and skipped. */
sr_err sr_acled_rules_load(const char *path, FILE *errors, sr_acled_rules **out);
void sr_acled_rules_free(sr_acled_rules *r);
/** Type and sub-type of an event with CAMEO code `cameo`, told in `sentence`,
 *  between actors `source` and `target` (CAMEO actor codes, may be NULL).
 *  False (and NULLs) when the code has no ACLED counterpart. The strings
 *  belong to the rules. */
bool sr_acled_classify(const sr_acled_rules *r, const char *cameo, const char *sentence, size_t len,
                       const char *source, const char *target, const char **type, const char **sub_type);

/* ---- Event details from the sentence. ----------------------------------- */

/** The casualty figures a sentence tells (`next`, may be NULL, is the
 *  sentence after it, read only when the first tells no figure and the next
 *  one is plainly about the same attack: it opens with the figure, or names
 *  "the attack", "the blast"...). `doc_date` is YYYYMMDD (0 unknown);
 *  it decides what is historical. */
void sr_code_tolls(const char *sentence, size_t len, const char *next, size_t next_len, int doc_date,
                   sr_code_toll *fatalities, sr_code_toll *injuries);
/** The date a sentence gives its event ("on Sunday", "last week", "in 2013"),
 *  relative to `doc_date`; the document's date (day precision) when the
 *  sentence names none; *historical when it lies more than 30 days before
 *  the document's date. */
void sr_code_sentence_date(const char *sentence, size_t len, int doc_date, int *date,
                           enum sr_code_precision *precision, bool *historical);

/** Writes `key` and the toll as an object (`value`, `at_least`, `approximate`,
 *  `who`, `aggregate`, `historical`), or null when no figure was stated: the
 *  one shape `sitrep code`, the export and the API all give. */
void sr_code_toll_json(sr_json *j, const char *key, const sr_code_toll *t);

#endif
