/* The parsers of lib/alert that read what strangers send: subscription
 * criteria and PushSubscription objects from the API, VAPID authorization
 * headers and aes128gcm bodies (the push-service and subscriber sides).
 * The first byte picks the parser.
 *   ./build-fuzz/fuzz/fuzz_alert NEW_DIR fuzz/alert/corpus -max_total_time=300
 * (configure with -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link so that the
 * library, not only this file, guides the fuzzer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/alert.h"

static void criteria(const char *p, size_t n)
{
    sr_arena *a = sr_arena_new(1 << 20);
    sr_alert_sub sub;
    char err[256];
    if (sr_alert_sub_from_json(p, n, a, &sub, err, sizeof err) == SR_OK) {
        sr_buf out;
        sr_buf_init(&out, 1 << 20);
        sr_alert_sub_to_json(&sub, &out);
        sr_alert_event ev;
        sr_alert_event_init(&ev);
        char *text = strndup(p, n); /* the input itself, as event text */
        ev.lat = 33.3, ev.lon = 43.8, ev.cc = "IQ", ev.admin1 = "Anbar", ev.text = text;
        sr_alert_sub_matches(&sub, &ev);
        free(text);
        sr_buf_free(&out);
    }
    sr_arena_free(a);
}

static void body(const uint8_t *p, size_t n)
{
    static uint8_t priv[32];
    static sr_webpush_keys keys;
    static int ready;
    if (!ready)
        ready = sr_webpush_keys_generate(priv, &keys) == SR_OK;
    sr_buf out;
    sr_buf_init(&out, 1 << 16);
    sr_webpush_decrypt(priv, &keys, p, n, &out);
    sr_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    char err[256];
    switch (data[0] % 4) {
    case 0:
        criteria(p, n);
        break;
    case 1: {
        sr_webpush_subscription sub;
        sr_webpush_subscription_parse(p, n, &sub, err, sizeof err);
        break;
    }
    case 2: {
        char *header = strndup(p, n);
        if (header)
            sr_vapid_verify(header, "https://push.example.net", 1764000000, err, sizeof err);
        free(header);
        break;
    }
    default:
        body(data + 1, n);
    }
    return 0;
}
