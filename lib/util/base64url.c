/* base64url without padding (RFC 4648 §5): the form Web Push keys, VAPID
 * keys and JWTs are written in. */
#include "sitrep/util.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

sr_err sr_b64url_encode(sr_buf *out, const void *p, size_t n)
{
    const uint8_t *s = p;
    char quad[4];
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        for (int k = 0; k < 4; k++)
            quad[k] = b64url_alphabet[(v >> (18 - 6 * k)) & 63];
        sr_buf_append(out, quad, 4);
    }
    size_t rest = n - i;
    if (rest) {
        uint32_t v = (uint32_t)s[i] << 16 | (rest == 2 ? (uint32_t)s[i + 1] << 8 : 0);
        for (size_t k = 0; k < rest + 1; k++)
            quad[k] = b64url_alphabet[(v >> (18 - 6 * k)) & 63];
        sr_buf_append(out, quad, rest + 1);
    }
    return out->failed;
}

static int b64url_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

long sr_b64url_decode(const char *s, size_t len, uint8_t *out, size_t max)
{
    while (len > 0 && s[len - 1] == '=')
        len--;
    if (len % 4 == 1)
        return -1;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64url_value((unsigned char)s[i]);
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n >= max)
                return -1;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    /* Leftover bits must be zero, or two spellings would decode alike. */
    if (acc & ((1u << bits) - 1))
        return -1;
    return (long)n;
}
