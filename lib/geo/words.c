/* Context-word lists for recognising places in English news, written for
 * sitrep. Kept short on purpose: cues, not a grammar. */
#include <stdlib.h>
#include <string.h>
#include "words.h"

/* strcmp's order, inlined: these lists are asked about every word next to
 * a candidate place, and most probes differ at the first letter. */
static inline int word_cmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

/* Each list is sorted (checked by the unit tests through the functions). */
static bool in(const char *w, const char *const *list, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = word_cmp(w, list[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}
#define IN(w, list) in(w, list, sizeof list / sizeof *list)

bool is_abbrev_word(const char *w)
{
    static const char *const l[] = {"ft", "mt", "pt", "st", "ste"};
    return IN(w, l);
}

bool is_title_word(const char *w)
{
    static const char *const l[] = {
        "actor", "actress", "ambassador", "archbishop", "aunt", "bishop", "brother", "capt",
        "captain", "cardinal", "chairman", "chancellor", "coach", "col", "colonel", "commissioner",
        "congressman", "congresswoman", "councilman", "councilwoman", "cpl", "daughter", "deputy",
        "det", "detective", "dr", "father", "gen", "general", "gov", "governor", "husband", "judge",
        "justice", "king", "lt", "madam", "maj", "major", "mayor", "miss", "mother", "mr", "mrs",
        "ms", "officer", "pastor", "pope", "premier", "president", "prince", "princess", "prof",
        "professor", "queen", "rabbi", "rep", "representative", "rev", "sen", "senator", "sergeant",
        "sgt", "sheriff", "sir", "sister", "son", "spokesman", "spokeswoman", "trooper", "uncle",
        "wife"};
    return IN(w, l);
}

bool is_place_preposition(const char *w)
{
    static const char *const l[] = {"across", "along", "around", "at", "between", "from", "in",
                                    "inside", "into", "near", "outside", "throughout", "to",
                                    "toward", "towards", "via", "visit", "visited", "within"};
    return IN(w, l);
}

bool is_org_word(const char *w)
{
    static const char *const l[] = {
        "airlines", "airways", "ave", "avenue", "bancorp", "bank", "blvd", "boulevard", "braves",
        "bulls", "cardinals", "chronicle", "co", "company", "corp", "corporation", "cowboys",
        "drive", "fc", "gazette", "giants", "group", "herald", "highway", "hwy", "inc", "journal",
        "lane", "llc", "ln", "ltd", "pike", "pkwy", "post", "rd", "road", "st", "street", "times",
        "tribune", "way"};
    return IN(w, l);
}

bool is_institution_word(const char *w)
{
    static const char *const l[] = {
        "academy", "area", "arts", "board", "center", "centre", "church", "city", "club",
        "college", "community", "council", "county", "court", "department", "elementary",
        "fire", "high", "hospital", "library", "middle", "office", "police", "public", "school",
        "schools", "sheriff", "state", "university"};
    return IN(w, l);
}

bool is_title_abbrev(const char *w)
{
    static const char *const l[] = {"capt", "col", "cpl", "det", "dr", "gen", "gov", "lt", "maj",
                                    "mr", "mrs", "ms", "prof", "rep", "rev", "sen", "sgt"};
    return IN(w, l);
}

bool is_place_modifier(const char *w)
{
    static const char *const l[] = {"central", "coastal", "downtown", "east", "eastern",
                                    "greater", "lower", "metro", "metropolitan", "north",
                                    "northeast",
                                    "northeastern", "northern", "northwest", "northwestern",
                                    "rural", "south", "southeast", "southeastern", "southern",
                                    "southwest", "southwestern", "suburban", "upper", "west",
                                    "western"};
    return IN(w, l);
}

bool is_calendar_word(const char *w)
{
    static const char *const l[] = {"april", "august", "december", "february", "friday",
                                    "january", "july", "june", "march", "may", "monday",
                                    "november", "october", "saturday", "september", "sunday",
                                    "thursday", "tuesday", "wednesday"};
    return IN(w, l);
}

int admin_word_kind(const char *w)
{
    static const struct { const char *w; int kind; } l[] = {
        {"borough", SR_PLACE_ADMIN2}, {"county", SR_PLACE_ADMIN2}, {"department", SR_PLACE_ADMIN1},
        {"district", SR_PLACE_ADMIN2}, {"governorate", SR_PLACE_ADMIN1}, {"oblast", SR_PLACE_ADMIN1},
        {"parish", SR_PLACE_ADMIN2}, {"prefecture", SR_PLACE_ADMIN1}, {"province", SR_PLACE_ADMIN1},
        {"region", SR_PLACE_ADMIN1}, {"state", SR_PLACE_ADMIN1}, {"township", SR_PLACE_CITY}};
    size_t lo = 0, hi = sizeof l / sizeof *l;
    while (lo < hi) {  /* l is sorted */
        size_t mid = (lo + hi) / 2;
        int c = word_cmp(w, l[mid].w);
        if (c == 0)
            return l[mid].kind;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

bool is_settlement_word(const char *w)
{
    static const char *const l[] = {"city", "town", "village"};
    return IN(w, l);
}

bool is_community_word(const char *w)
{
    static const char *const l[] = {"borough", "census", "community", "hamlet", "municipality",
                                    "neighborhood", "neighbourhood", "port", "settlement",
                                    "suburb", "township", "unincorporated"};
    return IN(w, l);
}

bool is_speech_verb(const char *w)
{
    static const char *const l[] = {"accused", "announced", "argued", "believes", "blamed",
                                    "claimed", "demanded", "denied", "has", "insisted",
                                    "insists", "is", "responded", "said", "says", "urged",
                                    "wants", "warned", "will", "would"};
    return IN(w, l);
}

bool is_name_connector(const char *w)
{
    static const char *const l[] = {"ad", "al", "am", "an", "and", "ar", "as", "ash", "at",
                                    "au", "aux", "az", "bin", "da", "de", "del", "der", "di",
                                    "do", "dos", "du", "el", "en", "es", "ibn", "im", "la",
                                    "las", "le", "les", "los", "of", "on", "op", "sur", "the",
                                    "upon", "van", "von", "y", "zu"};
    return IN(w, l);
}
