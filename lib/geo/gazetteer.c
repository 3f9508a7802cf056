/* Opening the gazetteer: map the file and check its header; nothing is
 * parsed, so opening costs the same for any size. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gaz.h"

#define BUILD_HINT "run 'sitrep gazetteer build --out %s' to build it"

static sr_gazetteer *fail(sr_err code, sr_err *err, char *why, size_t why_len,
                          const char *path, const char *problem)
{
    if (err)
        *err = code;
    if (why && why_len)
        snprintf(why, why_len, "%s: %s; " BUILD_HINT, path, problem, path);
    return NULL;
}

static bool header_ok(const gaz_header *h, size_t size)
{
    uint64_t places_end = h->off_places + (uint64_t)h->n_places * sizeof(gaz_place);
    uint64_t slots_end = h->off_slots + (uint64_t)h->n_slots * sizeof(gaz_slot);
    uint64_t postings_end = h->off_postings + (uint64_t)h->n_postings * sizeof(gaz_posting);
    return h->file_size == size && (uint64_t)h->country_first + h->country_count <= h->n_places && h->n_slots && (h->n_slots & (h->n_slots - 1)) == 0 &&
           places_end <= size && slots_end <= size && postings_end <= size &&
           h->off_strings + h->n_strings <= size && h->n_strings > 0 &&
           h->off_places % 8 == 0 && h->off_slots % 8 == 0 && h->off_postings % 8 == 0;
}

sr_gazetteer *sr_gazetteer_open(const char *path, sr_err *err, char *why, size_t why_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(errno == ENOENT ? SR_ENOTFOUND : SR_EIO, err, why, why_len, path,
                    errno == ENOENT ? "no gazetteer file" : strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(gaz_header)) {
        close(fd);
        return fail(SR_ESTALE, err, why, why_len, path, "not a gazetteer file (too short)");
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return fail(SR_EIO, err, why, why_len, path, strerror(errno));
    const gaz_header *h = map;
    const char *problem = NULL;
    if (memcmp(h->magic, GAZ_MAGIC, 8) != 0)
        problem = "not a gazetteer file";
    else if (h->version != GAZ_VERSION)
        problem = "built by another version of sitrep (stale)";
    else if (!header_ok(h, (size_t)st.st_size))
        problem = "damaged or truncated gazetteer file";
    sr_gazetteer *g = problem ? NULL : calloc(1, sizeof *g);
    if (!g) {
        munmap(map, (size_t)st.st_size);
        return fail(problem ? SR_ESTALE : SR_ENOMEM, err, why, why_len, path,
                    problem ? problem : "out of memory");
    }
    gaz_cp_init();
    g->map = map;
    g->size = (size_t)st.st_size;
    g->h = h;
    g->places = (const gaz_place *)((const char *)map + h->off_places);
    g->slots = (const gaz_slot *)((const char *)map + h->off_slots);
    g->postings = (const gaz_posting *)((const char *)map + h->off_postings);
    g->strings = (const char *)map + h->off_strings;
    if (err)
        *err = SR_OK;
    return g;
}

void sr_gazetteer_close(sr_gazetteer *g)
{
    if (!g)
        return;
    munmap(g->map, g->size);
    free(g);
}

size_t sr_gazetteer_size(const sr_gazetteer *g)
{
    return g ? g->h->n_places : 0;
}

const char *sr_gazetteer_default_path(char *buf, size_t len)
{
    const char *env = getenv("SITREP_GAZETTEER");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return buf;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, len, "%s/../gazetteer.bin", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    snprintf(buf, len, "gazetteer.bin");
    return buf;
}

const char *sr_place_kind_name(sr_place_kind kind)
{
    static const char *const names[] = {"country", "admin1", "admin2", "city", "landmark", "region"};
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "unknown";
}

const gaz_slot *gaz_lookup(const sr_gazetteer *g, uint64_t hash)
{
    uint32_t mask = g->h->n_slots - 1;
    for (uint32_t i = (uint32_t)hash & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
        const gaz_slot *s = &g->slots[i];
        if (s->hash == hash)
            return (uint64_t)s->first + s->count <= g->h->n_postings ? s : NULL;
        if (s->hash == 0)
            return NULL;
    }
    return NULL;
}
