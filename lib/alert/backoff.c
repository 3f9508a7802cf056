/* The retry schedule of the delivery outbox. Pure, so the store can compute
 * a row's next attempt time from its attempt count and a stored random
 * draw, and tests can check it without waiting. */
#include "sitrep/alert.h"

#define RETRY_AFTER_LIMIT_MS (24LL * 3600 * 1000)

const sr_backoff SR_BACKOFF_DEFAULT = {
    .base_ms = 30 * 1000,
    .cap_ms = 6LL * 3600 * 1000,
    .max_attempts = 12,
};

long long sr_backoff_delay_ms(const sr_backoff *b, int attempt, long long retry_after_ms,
                              uint64_t random)
{
    if (!b)
        b = &SR_BACKOFF_DEFAULT;
    if (attempt < 1)
        attempt = 1;
    if (attempt >= b->max_attempts)
        return -1;
    long long delay = b->base_ms > 0 ? b->base_ms : 1;
    for (int i = 1; i < attempt && delay < b->cap_ms && delay < INT64_MAX / 4; i++)
        delay *= 2;
    if (delay > b->cap_ms)
        delay = b->cap_ms;
    /* Equal jitter: at least half the step, so a retry never comes early,
     * and the other half spread so that many failures do not retry at once. */
    long long half = delay / 2;
    delay = half + (long long)(random % (uint64_t)(delay - half + 1));
    if (retry_after_ms > RETRY_AFTER_LIMIT_MS)
        retry_after_ms = RETRY_AFTER_LIMIT_MS;
    return retry_after_ms > delay ? retry_after_ms : delay;
}
