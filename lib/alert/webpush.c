/* Web Push message encryption: RFC 8291 key derivation over the aes128gcm
 * content coding of RFC 8188. One record carries the whole message, as
 * RFC 8291 §4 requires; the record size written is 4096. */
#include <jansson.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include "sitrep/alert.h"
#include "p256.h"

#define RECORD_SIZE 4096
#define HEADER_LEN (16 + 4 + 1 + 65)
#define TAG_LEN 16

/* The keys one message is sealed with (RFC 8291 §3.4, RFC 8188 §2.2). */
typedef struct content_keys {
    uint8_t cek[16];
    uint8_t nonce[12];
} content_keys;

static sr_err derive_content_keys(EVP_PKEY *mine, EVP_PKEY *peer, const uint8_t ua_public[65],
                                  const uint8_t as_public[65], const uint8_t auth[16],
                                  const uint8_t salt[16], content_keys *out);
static sr_err seal_record(const content_keys *k, const uint8_t *plain, size_t len, sr_buf *out);
static sr_err open_records(const content_keys *k, const uint8_t *p, size_t len, uint32_t rs,
                           sr_buf *out);

sr_err sr_webpush_keys_parse(const char *p256dh, const char *auth, sr_webpush_keys *out)
{
    if (!p256dh || !auth)
        return SR_EINVAL;
    if (sr_b64url_decode(p256dh, strlen(p256dh), out->p256dh, sizeof out->p256dh) != 65 ||
        out->p256dh[0] != 0x04)
        return SR_EINVAL;
    if (sr_b64url_decode(auth, strlen(auth), out->auth, sizeof out->auth) != 16)
        return SR_EINVAL;
    EVP_PKEY *check = sr_p256_from_public(out->p256dh);
    EVP_PKEY_free(check);
    return check ? SR_OK : SR_EINVAL;
}

sr_err sr_webpush_subscription_parse(const char *json, size_t len, sr_webpush_subscription *out,
                                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(json, len, 0, NULL);
    json_t *keys = json_object_get(root, "keys");
    const char *endpoint = json_string_value(json_object_get(root, "endpoint"));
    const char *p256dh = json_string_value(json_object_get(keys, "p256dh"));
    const char *auth = json_string_value(json_object_get(keys, "auth"));
    sr_err rc = SR_EINVAL;
    if (!root || !json_is_object(root))
        snprintf(err, errlen, "push subscription is not a JSON object");
    else if (!endpoint || strlen(endpoint) >= sizeof out->endpoint ||
             (strncmp(endpoint, "https://", 8) != 0 && strncmp(endpoint, "http://", 7) != 0))
        snprintf(err, errlen, "push subscription endpoint must be an http(s) URL under %zu bytes",
                 sizeof out->endpoint);
    else if (sr_webpush_keys_parse(p256dh, auth, &out->keys) != SR_OK)
        snprintf(err, errlen, "push subscription keys.p256dh and keys.auth must be a P-256 point "
                              "and a 16-byte secret in base64url");
    else
        rc = SR_OK;
    if (rc == SR_OK)
        memcpy(out->endpoint, endpoint, strlen(endpoint) + 1);
    json_decref(root);
    return rc;
}

static sr_err encrypt_with_key(const sr_webpush_keys *ua, const void *payload, size_t len,
                               const uint8_t salt[16], EVP_PKEY *as, sr_buf *out);

sr_err sr_webpush_encrypt(const sr_webpush_keys *ua, const void *payload, size_t len,
                          sr_buf *out)
{
    uint8_t salt[16];
    if (len > SR_WEBPUSH_MAX_PAYLOAD)
        return SR_ETOOBIG;
    if (RAND_bytes(salt, sizeof salt) != 1)
        return SR_ENOMEM;
    /* RFC 8291 §3.1: a new sender key pair for every message. */
    EVP_PKEY *as = sr_p256_generate();
    if (!as)
        return SR_ENOMEM;
    sr_err err = encrypt_with_key(ua, payload, len, salt, as, out);
    EVP_PKEY_free(as);
    return err;
}

sr_err sr_webpush_encrypt_with(const sr_webpush_keys *ua, const void *payload, size_t len,
                               const uint8_t salt[16], const uint8_t as_private[32],
                               sr_buf *out)
{
    if (len > SR_WEBPUSH_MAX_PAYLOAD)
        return SR_ETOOBIG;
    EVP_PKEY *as = sr_p256_from_private(as_private);
    if (!as)
        return SR_EINVAL;
    sr_err err = encrypt_with_key(ua, payload, len, salt, as, out);
    EVP_PKEY_free(as);
    return err;
}

/* Header (salt, record size, key id = the sender's public key) and the
 * one record. */
static sr_err encrypt_with_key(const sr_webpush_keys *ua, const void *payload, size_t len,
                               const uint8_t salt[16], EVP_PKEY *as, sr_buf *out)
{
    EVP_PKEY *peer = sr_p256_from_public(ua->p256dh);
    uint8_t as_public[65];
    content_keys k;
    sr_err err = peer ? sr_p256_public(as, as_public) : SR_EINVAL;
    if (err == SR_OK)
        err = derive_content_keys(as, peer, ua->p256dh, as_public, ua->auth, salt, &k);
    if (err == SR_OK) {
        const uint8_t rs[4] = {0, 0, RECORD_SIZE >> 8, RECORD_SIZE & 0xff};
        const uint8_t idlen = 65;
        sr_buf_append(out, salt, 16);
        sr_buf_append(out, rs, 4);
        sr_buf_append(out, &idlen, 1);
        sr_buf_append(out, as_public, 65);
        err = seal_record(&k, payload, len, out);
    }
    OPENSSL_cleanse(&k, sizeof k);
    EVP_PKEY_free(peer);
    return err;
}

sr_err sr_webpush_decrypt(const uint8_t ua_private[32], const sr_webpush_keys *ua,
                          const void *body, size_t len, sr_buf *out)
{
    const uint8_t *p = body;
    if (len < HEADER_LEN + TAG_LEN + 1 || p[20] != 65)
        return SR_EPARSE;
    uint32_t rs = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
    if (rs < TAG_LEN + 2)
        return SR_EPARSE;
    EVP_PKEY *mine = sr_p256_from_private(ua_private);
    EVP_PKEY *as = sr_p256_from_public(p + 21);
    content_keys k;
    sr_err err = mine ? (as ? SR_OK : SR_EPARSE) : SR_EINVAL;
    if (err == SR_OK)
        err = derive_content_keys(mine, as, ua->p256dh, p + 21, ua->auth, p, &k);
    if (err == SR_OK)
        err = open_records(&k, p + HEADER_LEN, len - HEADER_LEN, rs, out);
    OPENSSL_cleanse(&k, sizeof k);
    EVP_PKEY_free(mine);
    EVP_PKEY_free(as);
    return err;
}

sr_err sr_webpush_keys_generate(uint8_t ua_private[32], sr_webpush_keys *out)
{
    EVP_PKEY *key = sr_p256_generate();
    if (!key)
        return SR_ENOMEM;
    sr_err err = sr_p256_private(key, ua_private);
    if (err == SR_OK)
        err = sr_p256_public(key, out->p256dh);
    if (err == SR_OK && RAND_bytes(out->auth, sizeof out->auth) != 1)
        err = SR_ENOMEM;
    EVP_PKEY_free(key);
    return err;
}

/* RFC 8291 §3.3-3.4: the ECDH secret is mixed with the auth secret and
 * both public keys into the IKM; RFC 8188 §2.2 then derives the content
 * encryption key and nonce from IKM and the salt. */
static sr_err derive_content_keys(EVP_PKEY *mine, EVP_PKEY *peer, const uint8_t ua_public[65],
                                  const uint8_t as_public[65], const uint8_t auth[16],
                                  const uint8_t salt[16], content_keys *out)
{
    static const char key_label[] = "WebPush: info"; /* sizeof counts the 0x00 */
    static const char cek_label[] = "Content-Encoding: aes128gcm";
    static const char nonce_label[] = "Content-Encoding: nonce";
    uint8_t secret[32], ikm[32], key_info[sizeof key_label + 130];
    sr_err err = sr_p256_ecdh(mine, peer, secret);
    memcpy(key_info, key_label, sizeof key_label);
    memcpy(key_info + sizeof key_label, ua_public, 65);
    memcpy(key_info + sizeof key_label + 65, as_public, 65);
    if (err == SR_OK)
        err = sr_hkdf(auth, 16, secret, 32, key_info, sizeof key_info, ikm, 32);
    if (err == SR_OK)
        err = sr_hkdf(salt, 16, ikm, 32, (const uint8_t *)cek_label, sizeof cek_label, out->cek, 16);
    if (err == SR_OK)
        err = sr_hkdf(salt, 16, ikm, 32, (const uint8_t *)nonce_label, sizeof nonce_label,
                      out->nonce, 12);
    OPENSSL_cleanse(secret, sizeof secret);
    OPENSSL_cleanse(ikm, sizeof ikm);
    return err;
}

/* The last (here the only) record ends with the delimiter 0x02 and no
 * further padding: the push service sees the payload's length, which is
 * what every browser's own sender does too. */
static sr_err seal_record(const content_keys *k, const uint8_t *plain, size_t len, sr_buf *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t block[RECORD_SIZE];
    int n1 = 0, n2 = 0;
    uint8_t tag[TAG_LEN];
    const uint8_t delimiter = 0x02;
    int ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, k->cek, k->nonce) &&
             EVP_EncryptUpdate(ctx, block, &n1, plain, (int)len) &&
             EVP_EncryptUpdate(ctx, block + n1, &n2, &delimiter, 1);
    int n3 = 0;
    ok = ok && EVP_EncryptFinal_ex(ctx, block + n1 + n2, &n3) &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag);
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return SR_EINVAL;
    sr_buf_append(out, block, (size_t)(n1 + n2 + n3));
    sr_buf_append(out, tag, TAG_LEN);
    return out->failed;
}

static sr_err open_one(const content_keys *k, uint64_t seq, const uint8_t *p, size_t len,
                       bool last, sr_buf *out);

static sr_err open_records(const content_keys *k, const uint8_t *p, size_t len, uint32_t rs,
                           sr_buf *out)
{
    uint64_t seq = 0;
    while (len > 0) {
        size_t n = len < rs ? len : rs;
        bool last = n == len;
        if (n <= TAG_LEN)
            return SR_EPARSE;
        sr_err err = open_one(k, seq++, p, n, last, out);
        if (err != SR_OK)
            return err;
        p += n;
        len -= n;
    }
    return SR_OK;
}

/* RFC 8188 §2.3: the nonce of record i is the base nonce XOR i (a 96-bit
 * big-endian integer); padding is zeros after a 0x01 (0x02 in the last). */
static sr_err open_one(const content_keys *k, uint64_t seq, const uint8_t *p, size_t len,
                       bool last, sr_buf *out)
{
    uint8_t nonce[12], plain[RECORD_SIZE];
    size_t clen = len - TAG_LEN;
    if (clen > sizeof plain)
        return SR_ETOOBIG;
    memcpy(nonce, k->nonce, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n1 = 0, n2 = 0;
    int ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, k->cek, nonce) &&
             EVP_DecryptUpdate(ctx, plain, &n1, p, (int)clen) &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, (void *)(p + clen)) &&
             EVP_DecryptFinal_ex(ctx, plain + n1, &n2) > 0;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return SR_EPARSE;
    size_t n = (size_t)(n1 + n2);
    while (n > 0 && plain[n - 1] == 0)
        n--;
    if (n == 0 || plain[n - 1] != (last ? 0x02 : 0x01))
        return SR_EPARSE;
    return sr_buf_append(out, plain, n - 1);
}
