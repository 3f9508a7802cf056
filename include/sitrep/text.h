/*
 * Text basics: sentences, tokens, numbers and dates in plain news text.
 *
 * Every function here is pure: it reads `text[0..len)` (any bytes: invalid
 * UTF-8 is tolerated, never repaired), allocates its output from the caller's
 * arena and keeps no state. Offsets are BYTE offsets into `text`, half-open
 * [start, end). To report code-point offsets (as sitrep's JSON does), walk
 * the spans in increasing order with util's sr_cp_cursor:
 *
 *     sr_cp_cursor c; sr_cp_cursor_init(&c, text, len);
 *     size_t cp_start = sr_cp_cursor_at(&c, s[i].start);
 *     size_t cp_end   = sr_cp_cursor_at(&c, s[i].end);
 *
 * which costs one pass over the text for the whole document.
 */
#ifndef SITREP_TEXT_H
#define SITREP_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

/* ---- Sentences. ---------------------------------------------------------- */

/** A sentence: bytes [start, end) of the text, without surrounding space.
 *  A sentence includes its final stop and any closing quote or bracket
 *  after it ('."', '.)'). */
typedef struct sr_sentence {
    size_t start;
    size_t end;
} sr_sentence;

/**
 * Split text into sentences. A sentence ends at '.', '!', '?' or an
 * ellipsis followed by a word that does not start in lower case, except
 * after abbreviations news uses (U.S., Jan., Gen., Lt. Col., No. 3, Inc.,
 * a.m., initials as in "John F. Kennedy"), and never inside a number
 * ("3.5"). A blank line always ends a sentence. So does a single newline,
 * which is how headlines and datelines without a final stop stay on their
 * own, unless the line plainly goes on (it ends on a comma or a word such
 * as "with", or the next starts in lower case) or the whole text is
 * hard-wrapped (most of its lines go on like that).
 * On success *out holds *n sentences in text order (NULL when none).
 * Returns SR_ENOMEM when the arena is exhausted.
 */
sr_err sr_text_sentences(sr_arena *a, const char *text, size_t len,
                         sr_sentence **out, size_t *n);

/* ---- Tokens. ------------------------------------------------------------- */

typedef enum sr_token_kind {
    SR_TOKEN_WORD = 1,   /**< letters (any script), digits inside words,
                              inner hyphens and apostrophes: "al-Qaeda",
                              "didn't", "F-16"; dotted abbreviations keep
                              their stops: "U.S.", "Gen.", "a.m." */
    SR_TOKEN_NUMBER,     /**< starts with a digit: "1,300", "3.5", "2014-01-05",
                              "21st", "1990s", "23-year-old" */
    SR_TOKEN_PUNCT,      /**< one punctuation mark or symbol, "..." as one
                              token; also any byte that is not valid UTF-8 */
} sr_token_kind;

enum {
    SR_TOKEN_CAPITALISED = 1 << 0, /**< first letter is upper case */
    SR_TOKEN_ALL_CAPS = 1 << 1,    /**< two or more letters, none lower case */
    SR_TOKEN_SENTENCE_START = 1 << 2, /**< first token of a sentence */
    SR_TOKEN_ABBREVIATION = 1 << 3,/**< the token ends with a stop that is
                                        part of it ("Gen.", "U.S.") */
    SR_TOKEN_SPACE_BEFORE = 1 << 4,/**< white space separates it from the
                                        previous token */
};

/** A token: bytes [start, end) of the text, its kind and SR_TOKEN_* flags.
 *  A possessive "'s" is a token of its own ("Iraq" "'s"). */
typedef struct sr_token {
    size_t start;
    size_t end;
    uint8_t kind;
    uint8_t flags;
} sr_token;

/**
 * Tokenise text in one pass, marking the first token of every sentence
 * exactly where sr_text_sentences would start one. On success *out holds
 * *n tokens in text order. Returns SR_ENOMEM when the arena is exhausted.
 */
sr_err sr_text_tokens(sr_arena *a, const char *text, size_t len,
                      sr_token **out, size_t *n);

/* ---- Numbers. ------------------------------------------------------------ */

enum {
    SR_NUMBER_WORDS = 1 << 0,       /**< spelt out: "twenty-three", "a dozen" */
    SR_NUMBER_APPROXIMATE = 1 << 1, /**< "nearly", "about", "some", "an estimated" */
    SR_NUMBER_LOWER_BOUND = 1 << 2, /**< "at least", "more than", "over" */
    SR_NUMBER_UPPER_BOUND = 1 << 3, /**< "up to", "as many as", "less than" */
    SR_NUMBER_STRICT = 1 << 4,      /**< the bound excludes the value: "more
                                         than 20", "fewer than 5" */
    SR_NUMBER_VAGUE = 1 << 5,       /**< a word for a rough size: "dozens",
                                         "scores of", "hundreds", "several" */
    SR_NUMBER_RANGE = 1 << 6,       /**< "between 10 and 15", "10 to 15", "10-15" */
};

/** A number expression and the span it covers, modifiers included
 *  ("nearly 8,000" covers both words). `value` is the figure as stated (the
 *  low end for a range or a vague word); [min, max] is what it stands for,
 *  max = INFINITY when open-ended ("at least 12": 12, 12, inf). Vague words
 *  stand for: a few 2-5, several 3-9, dozens 24-99, scores 40-99, hundreds
 *  200-999, thousands 2000-9999, tens of thousands 20000-99999, and so on. */
typedef struct sr_number {
    size_t start;
    size_t end;
    double value;
    double min;
    double max;
    unsigned flags;
} sr_number;

/**
 * Read the number expression that starts at byte `pos` (the start of a
 * token: a modifier such as "at least", a digit or a number word). Looks at
 * no more than a few words past `pos`. Returns false, leaving *out alone,
 * when no number starts there. Ordinals, years-in-words, "23-year-old",
 * times and dates are not numbers.
 */
bool sr_text_number_at(const char *text, size_t len, size_t pos, sr_number *out);

/** Every number expression in the text, in order, not overlapping. */
sr_err sr_text_numbers(sr_arena *a, const char *text, size_t len,
                       sr_number **out, size_t *n);
/** The same over tokens already made by sr_text_tokens (all of them, or
 *  one sentence's run of them), so a document is lexed only once. */
sr_err sr_text_numbers_in(sr_arena *a, const char *text, const sr_token *tokens,
                          size_t ntokens, sr_number **out, size_t *n);

/* ---- Dates. -------------------------------------------------------------- */

/** A calendar date; month and day are 0 when not known (year precision:
 *  month 0, day 0; month precision: day 0). year 0 means no date. */
typedef struct sr_ymd {
    int year;
    int month;
    int day;
} sr_ymd;

typedef enum sr_date_precision {
    SR_DATE_DAY = 1,
    SR_DATE_WEEK,   /**< the date is the Monday that starts the week */
    SR_DATE_MONTH,
    SR_DATE_YEAR,
} sr_date_precision;

enum {
    SR_DATE_RELATIVE = 1 << 0, /**< computed from the document's date:
                                    "on Sunday", "last week", "yesterday", and
                                    partial dates whose year was inferred */
    SR_DATE_PERIOD = 1 << 1,   /**< a stretch of time rather than a moment:
                                    "during 2013", "throughout March",
                                    "since 2011", "in the past year" — what
                                    aggregate figures are counted over */
    SR_DATE_SINCE = 1 << 2,    /**< the period runs from the date up to the
                                    document's date ("since 2011", "in the
                                    past year", "so far this year") */
};

/** A date expression: the span it came from, the date it names and how
 *  precisely. For "in the past year" the date is where the period starts
 *  (one year before the document date, day precision). */
typedef struct sr_date {
    size_t start;
    size_t end;
    sr_ymd date;
    sr_date_precision precision;
    unsigned flags;
} sr_date;

/**
 * Find the date expressions in text (a sentence or a whole document),
 * resolving relative ones against `doc_date` the way news uses them: "on
 * Sunday" is the last Sunday on or before the document date, "in March" or
 * "on Jan. 5" the nearest such date, preferring the past. With doc_date.year
 * == 0, expressions that need the document's date are left out.
 */
sr_err sr_text_dates(sr_arena *a, const char *text, size_t len, sr_ymd doc_date,
                     sr_date **out, size_t *n);
/** The same over tokens already made by sr_text_tokens (all of them, or
 *  one sentence's run of them). */
sr_err sr_text_dates_in(sr_arena *a, const char *text, const sr_token *tokens,
                        size_t ntokens, sr_ymd doc_date, sr_date **out, size_t *n);

/** Day of the week of a date, 0 = Sunday ... 6 = Saturday. */
int sr_ymd_weekday(sr_ymd d);
/** The date `days` days after d (negative: before). */
sr_ymd sr_ymd_add_days(sr_ymd d, long days);
/** Parse "YYYY-MM-DD" (more may follow, as in an ISO timestamp). */
bool sr_ymd_parse(const char *s, size_t len, sr_ymd *out);

#endif
