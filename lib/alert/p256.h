/* P-256 keys, ECDH and HKDF on OpenSSL 3, shared by Web Push encryption
 * and VAPID. Internal to lib/alert. */
#ifndef SR_ALERT_P256_H
#define SR_ALERT_P256_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include "sitrep/sitrep.h"

/** A key pair from its 32-byte private scalar (the public point is derived). */
EVP_PKEY *sr_p256_from_private(const uint8_t priv[32]);
/** A public key from its 65-byte uncompressed point; NULL when off the curve. */
EVP_PKEY *sr_p256_from_public(const uint8_t pub[65]);
EVP_PKEY *sr_p256_generate(void);
sr_err sr_p256_public(EVP_PKEY *key, uint8_t pub[65]);
sr_err sr_p256_private(EVP_PKEY *key, uint8_t priv[32]);
sr_err sr_p256_ecdh(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t secret[32]);
/** HKDF-SHA-256 (RFC 5869), extract then expand to `outlen` bytes. */
sr_err sr_hkdf(const uint8_t *salt, size_t saltlen, const uint8_t *ikm, size_t ikmlen,
               const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen);

#endif
