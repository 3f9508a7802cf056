/* The English context words the recogniser weighs (words.c). Every word is
 * given normalised (lower case, no accents, no dots). */
#ifndef SR_GEO_WORDS_H
#define SR_GEO_WORDS_H

#include <stdbool.h>
#include "sitrep/geo.h"

/* "St", "Mt", "Ft": a dot after them does not end a sentence or a name. */
bool is_abbrev_word(const char *w);
/* Titles before a person's name: "Mr", "President", "Gov". */
bool is_title_word(const char *w);
/* Words before a place: "in", "near", "outside". */
bool is_place_preposition(const char *w);
/* Words after a name that make it a street, a firm, a team or a paper. */
bool is_org_word(const char *w);
/* Words after a name that make it a school, a council, a police force:
 * the name is still a place ("Jordan Elementary", "Dublin Arts Council"). */
bool is_institution_word(const char *w);
/* "Mr", "Gov", "Sen": abbreviated titles whose dot ends no sentence. */
bool is_title_abbrev(const char *w);
/* Capitalised words that may stand before a place ("Northern", "Greater"). */
bool is_place_modifier(const char *w);
/* Days and months: capitalised, yet no sign of a person. */
bool is_calendar_word(const char *w);
/* "province", "county", ...: the kind the word asks for, or -1. */
int admin_word_kind(const char *w);
/* "city", "town", "village" */
bool is_settlement_word(const char *w);
/* "community", "suburb", "unincorporated": what a place is said to be. */
bool is_community_word(const char *w);
/* Verbs of saying and acting that make a capital stand for its government. */
bool is_speech_verb(const char *w);
/* Small words inside multi-word names: "of", "de", "upon". */
bool is_name_connector(const char *w);

#endif
