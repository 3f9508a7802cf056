#include "sitrep/sitrep.h"

const char *sr_strerror(sr_err err)
{
    switch (err) {
    case SR_OK: return "ok";
    case SR_ENOMEM: return "out of memory";
    case SR_EINVAL: return "invalid argument";
    case SR_EIO: return "input/output error";
    case SR_ETOOBIG: return "input over its size limit";
    case SR_EPARSE: return "malformed input";
    case SR_EENCODING: return "unknown or unconvertible character set";
    case SR_ENOTFOUND: return "not found";
    case SR_ENET: return "network error";
    case SR_ESTALE: return "data file missing or out of date";
    case SR_EDB: return "store error";
    case SR_EDENIED: return "refused";
    case SR_EEMPTY: return "nothing usable in the input";
    }
    return "unknown error";
}
