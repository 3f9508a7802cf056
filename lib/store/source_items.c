/* The poller's record of handled feed items: the public calls, dispatched
 * to the store's implementation like those of store.c. */
#include "store_impl.h"

sr_err sr_store_source_item_mark(sr_store *s, int64_t source_id, const char *item, int64_t seen)
{
    if (!item || !*item)
        return sr_store_fail(s, SR_EINVAL, "a feed item needs a key");
    return s->ops->source_item_mark(s, source_id, item, seen);
}

sr_err sr_store_source_item_find(sr_store *s, int64_t source_id, const char *item)
{
    if (!item || !*item)
        return sr_store_fail(s, SR_EINVAL, "a feed item needs a key");
    return s->ops->source_item_find(s, source_id, item);
}

sr_err sr_store_source_items_prune(sr_store *s, int64_t source_id, int64_t before)
{
    return s->ops->source_items_prune(s, source_id, before);
}
