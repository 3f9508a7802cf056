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
/* Document level: casualty figures of the sentence text[s0, s1), with the
 * next sentence [s1, s2) when it is plainly about the same attack (see
 * casualty.c; `next_has_events`: it codes events of its own). */
bool sr_details_tolls(sr_arena *a, const char *text, size_t s0, size_t s1, size_t s2, bool next_has_events, int doc_date,
                      sr_code_event *ev, size_t n);
/* After sr_details_tolls gave the events of one sentence the toll told by
 * the next (returned true): the next sentence's violent events told only by
 * an agent ("At least 12 people were killed, activists said": ~OPP) retell
 * that toll and go, so it is counted once. Returns the number kept,
 * compacted in place. */
size_t sr_details_drop_retold(sr_code_event *ev, size_t n);
/* when.c: a year that ends more than 30 days before the document's date. */
bool sr_details_past_year(int year, int doc_date);
/* The same with the caller's scratch arena. */
void sr_details_date(sr_arena *a, const char *sentence, size_t len, int doc_date, int *date,
                     enum sr_code_precision *precision, bool *historical);
bool sr_details_date_past(const sr_date *d, int doc_date);
bool sr_details_tolls_in(sr_arena *a, const char *sentence, size_t len, const char *next, size_t next_len,
                         bool next_has_events, int doc_date, sr_code_toll *fatalities, sr_code_toll *injuries);
#endif
