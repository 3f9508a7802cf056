/* Event details (mood, PLOVER, ACLED, dates, tolls): what the coder and the
 * dictionary reader call. Kept apart from code_internal.h. */
#ifndef SR_CODE_DETAILS_H
#define SR_CODE_DETAILS_H
#include "sitrep/code.h"
#include "sitrep/text.h"

struct sr_details_tables;

/* The lexicon's tables, by file name: modality.tsv, cameo_plover.tsv,
 * acled.tsv. */
bool sr_details_table_name(const char *path);
sr_err sr_details_load(struct sr_details_tables **t, const char *path, FILE *errors);
/* Each table present in `dir`; a missing one is no error. */
void sr_details_load_dir(struct sr_details_tables **t, const char *dir, FILE *errors);
void sr_details_free(struct sr_details_tables *t);

/* Sentence level: the event's mood applied to its code (an event whose mood
 * has no code is dropped), PLOVER, ACLED, the sentence's date. Returns the
 * number of events kept, compacted in place. */
size_t sr_details_sentence(const struct sr_details_tables *t, sr_arena *a, const char *text, size_t len, int doc_date,
                           sr_code_event *ev, size_t n);
/* What one sentence tells of casualties (casualty.c). */
#define SR_TOLL_MAX_VICTIMS 4
typedef struct sr_sentence_toll {
    sr_code_toll fatalities, injuries;  /* value -1: not told */
    bool opens;          /* it opens with the figure: "At least 12 people were killed, ..." */
    bool names_attack;   /* it refers back to an attack: "The blast killed 4" */
    size_t nvictims;
    size_t victims[SR_TOLL_MAX_VICTIMS][2];  /* bytes of the words naming the victims */
} sr_sentence_toll;
/* False when the sentence tells no figure (not even "no one was killed"). */
bool sr_details_sentence_toll(sr_arena *a, const char *sentence, size_t len, int doc_date, sr_sentence_toll *out);
/* Document level, after each sentence text[s0, s1) is coded: its events
 * are ev[k0, n), the document's earlier ones ev[0, k0). The sentence's
 * casualty figures go to the one event it reports on (see details.c).
 * `*held` is the violent event a later sentence's toll may report on
 * (SIZE_MAX: none; start with that); it is kept up to date. Returns the
 * number of events kept: events that only retell a toll given to another
 * event go, the rest are compacted in place. */
size_t sr_details_doc_tolls(sr_arena *a, const char *text, size_t s0, size_t s1, int doc_date, sr_code_event *ev,
                            size_t k0, size_t n, size_t *held);
/* when.c: a year that ends more than 30 days before the document's date. */
bool sr_details_past_year(int year, int doc_date);
/* The same with the caller's scratch arena. */
void sr_details_date(sr_arena *a, const char *sentence, size_t len, int doc_date, int *date,
                     enum sr_code_precision *precision, bool *historical);
bool sr_details_date_past(const sr_date *d, int doc_date);
#endif
