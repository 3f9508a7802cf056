/* P-256 keys from and to raw bytes, ECDH and HKDF, with OpenSSL 3's EVP
 * and provider parameters (no EC_KEY). */
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <string.h>
#include "p256.h"

static EVP_PKEY *key_from_params(const uint8_t *priv, const uint8_t *pub);
static sr_err derive_public(const uint8_t priv[32], uint8_t pub[65]);

EVP_PKEY *sr_p256_from_private(const uint8_t priv[32])
{
    uint8_t pub[65];
    if (derive_public(priv, pub) != SR_OK)
        return NULL;
    return key_from_params(priv, pub);
}

EVP_PKEY *sr_p256_from_public(const uint8_t pub[65])
{
    if (pub[0] != 0x04)
        return NULL;
    return key_from_params(NULL, pub);
}

EVP_PKEY *sr_p256_generate(void)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

sr_err sr_p256_public(EVP_PKEY *key, uint8_t pub[65])
{
    size_t n = 0;
    if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pub, 65, &n) || n != 65)
        return SR_EINVAL;
    return SR_OK;
}

sr_err sr_p256_private(EVP_PKEY *key, uint8_t priv[32])
{
    BIGNUM *d = NULL;
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d))
        return SR_EINVAL;
    int ok = BN_bn2binpad(d, priv, 32) == 32;
    BN_clear_free(d);
    return ok ? SR_OK : SR_EINVAL;
}

sr_err sr_p256_ecdh(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t secret[32])
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
    size_t n = 32;
    /* No second validation of the peer: building it from octets already
     * checked that the point is on the curve, which is all P-256 (cofactor 1)
     * needs, and the full check costs a scalar multiplication per message. */
    int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) > 0 &&
             EVP_PKEY_derive(ctx, secret, &n) > 0 && n == 32;
    EVP_PKEY_CTX_free(ctx);
    return ok ? SR_OK : SR_EINVAL;
}

sr_err sr_hkdf(const uint8_t *salt, size_t saltlen, const uint8_t *ikm, size_t ikmlen,
               const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    EVP_KDF_free(kdf);
    if (!ctx)
        return SR_ENOMEM;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikmlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, infolen),
        OSSL_PARAM_construct_end(),
    };
    int ok = EVP_KDF_derive(ctx, out, outlen, params) > 0;
    EVP_KDF_CTX_free(ctx);
    return ok ? SR_OK : SR_EINVAL;
}

static EVP_PKEY *key_from_params(const uint8_t *priv, const uint8_t *pub)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *d = priv ? BN_bin2bn(priv, 32, NULL) : NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;
    if (!bld || (priv && !d))
        goto out;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, 65) ||
        (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0)
        goto out;
    if (EVP_PKEY_fromdata(ctx, &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    BN_clear_free(d);
    OSSL_PARAM_BLD_free(bld);
    return key;
}

/* fromdata does not compute the public point from the scalar, and a
 * sender key given as a scalar alone (the RFC 8291 vector) needs it. */
static sr_err derive_public(const uint8_t priv[32], uint8_t pub[65])
{
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    EC_POINT *point = group ? EC_POINT_new(group) : NULL;
    BIGNUM *d = BN_bin2bn(priv, 32, NULL);
    int ok = point && d && !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(group)) < 0 &&
             EC_POINT_mul(group, point, d, NULL, NULL, NULL) &&
             EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, pub, 65, NULL) == 65;
    BN_clear_free(d);
    EC_POINT_free(point);
    EC_GROUP_free(group);
    return ok ? SR_OK : SR_EINVAL;
}
