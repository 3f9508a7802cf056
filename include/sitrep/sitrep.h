/*
 * sitrep — the news as a live situation map.
 *
 * This header holds what every module shares: the version and the error
 * codes. Each stage has its own header beside this one (util.h, extract.h,
 * geo.h, code.h, ...); include the ones you use.
 */
#ifndef SITREP_SITREP_H
#define SITREP_SITREP_H

#define SR_VERSION "0.1.0"

/** Every library call that can fail returns one of these. */
typedef enum sr_err {
    SR_OK = 0,
    SR_ENOMEM,     /**< out of memory */
    SR_EINVAL,     /**< bad argument or option */
    SR_EIO,        /**< reading or writing a file failed */
    SR_ETOOBIG,    /**< input over its size limit */
    SR_EPARSE,     /**< malformed input (HTML, JSON, feed, WARC, dictionary, ...) */
    SR_EENCODING,  /**< character set unknown or not convertible */
    SR_ENOTFOUND,  /**< file, record or resource does not exist */
    SR_ENET,       /**< network error (DNS, connect, TLS, timeout, HTTP status) */
    SR_ESTALE,     /**< a data file (gazetteer, compiled lexicon) is missing or out of date */
    SR_EDB,        /**< the store failed */
    SR_EDENIED,    /**< refused by policy (private address, missing token, ...) */
    SR_EEMPTY,     /**< nothing usable in the input (no article, no text) */
} sr_err;

/** A short English description of an error code; never NULL. */
const char *sr_strerror(sr_err err);

#endif
