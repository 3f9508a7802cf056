/*
 * The walk both speed floors time after libxml2's bare parse
 * (bench/extract/bench_extract.c, bench/pipeline/bench_floor.c): every
 * node visited and every text's length read, so the floor includes
 * touching the tree the way any extractor must. One definition, so the two
 * benches measure the same floor.
 */
#ifndef SR_BENCH_BARE_WALK_H
#define SR_BENCH_BARE_WALK_H
#include <string.h>
#include <libxml/tree.h>

static inline size_t sr_bench_bare_walk(xmlNodePtr n)
{
    size_t count = 0;
    for (; n; n = n->next) {
        count += n->content ? strlen((const char *)n->content) : 1;
        if (n->children)
            count += sr_bench_bare_walk(n->children);
    }
    return count;
}
#endif
