/* Secret tokens that let a subscriber change or delete its subscription.
 * Only a hash is stored, so a copy of the database does not hand out the
 * right to edit everyone's alerts. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include "sitrep/alert.h"

static void hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = 0;
}

sr_err sr_alert_token_hash(const char *token, char hash[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    if (!EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL) || n != 32)
        return SR_ENOMEM;
    hex(md, 32, hash);
    return SR_OK;
}

sr_err sr_alert_token_new(char token[65], char hash[65])
{
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return SR_ENOMEM;
    hex(raw, sizeof raw, token);
    return sr_alert_token_hash(token, hash);
}

bool sr_alert_token_check(const char *token, const char *hash)
{
    char h[65];
    if (!token || !hash || strlen(hash) != 64 || sr_alert_token_hash(token, h))
        return false;
    return CRYPTO_memcmp(h, hash, 64) == 0;
}
