/* VAPID (RFC 8292): the sender's identity towards push services, an ES256
 * JWT signed with a P-256 key that is made once and kept in a PEM file. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sitrep/alert.h"
#include "p256.h"

#define DAY 86400
#define DEFAULT_LIFETIME (12 * 3600)

struct sr_vapid {
    EVP_PKEY *key;
    char subject[512];
    char public_key[90]; /* base64url of 65 bytes: 87 characters */
};

static sr_err load_or_create_key(const char *path, EVP_PKEY **key, char *err, size_t errlen);
static sr_err endpoint_origin(const char *endpoint, char *out, size_t outlen);
static sr_err sign_es256(EVP_PKEY *key, const char *msg, size_t len, uint8_t sig[64]);
static bool verify_es256(EVP_PKEY *key, const char *msg, size_t len, const uint8_t sig[64]);
static bool subject_ok(const char *s);

sr_err sr_vapid_open(const char *key_path, const char *subject, sr_vapid **out,
                     char *err, size_t errlen)
{
    *out = NULL;
    if (!subject || !subject_ok(subject) || strlen(subject) >= sizeof((sr_vapid *)0)->subject) {
        snprintf(err, errlen, "VAPID subject must be a mailto: or https: URI");
        return SR_EINVAL;
    }
    sr_vapid *v = calloc(1, sizeof *v);
    if (!v)
        return SR_ENOMEM;
    sr_err rc = load_or_create_key(key_path, &v->key, err, errlen);
    uint8_t pub[65];
    if (rc == SR_OK && sr_p256_public(v->key, pub) != SR_OK) {
        snprintf(err, errlen, "%s: not a P-256 key", key_path);
        rc = SR_EPARSE;
    }
    if (rc != SR_OK) {
        sr_vapid_free(v);
        return rc;
    }
    snprintf(v->subject, sizeof v->subject, "%s", subject);
    sr_buf b;
    sr_buf_init(&b, sizeof v->public_key);
    sr_b64url_encode(&b, pub, sizeof pub);
    memcpy(v->public_key, b.data, b.len + 1);
    sr_buf_free(&b);
    *out = v;
    return SR_OK;
}

void sr_vapid_free(sr_vapid *v)
{
    if (!v)
        return;
    EVP_PKEY_free(v->key);
    free(v);
}

const char *sr_vapid_public_key(const sr_vapid *v)
{
    return v->public_key;
}

sr_err sr_vapid_header(const sr_vapid *v, const char *endpoint, long long now, int lifetime,
                       sr_buf *out)
{
    char aud[1024];
    if (lifetime <= 0)
        lifetime = DEFAULT_LIFETIME;
    if (lifetime > DAY)
        lifetime = DAY;
    if (endpoint_origin(endpoint, aud, sizeof aud) != SR_OK)
        return SR_EINVAL;
    static const char jose[] = "{\"typ\":\"JWT\",\"alg\":\"ES256\"}";
    sr_buf claims, token;
    sr_buf_init(&claims, 4096);
    sr_buf_init(&token, 8192);
    sr_json j;
    sr_json_init(&j, &claims);
    sr_json_object_begin(&j);
    sr_json_kv_string(&j, "aud", aud);
    sr_json_kv_int(&j, "exp", now + lifetime);
    sr_json_kv_string(&j, "sub", v->subject);
    sr_json_object_end(&j);
    sr_b64url_encode(&token, jose, sizeof jose - 1);
    sr_buf_putc(&token, '.');
    sr_b64url_encode(&token, claims.data, claims.len);
    uint8_t sig[64];
    sr_err err = token.failed ? token.failed : sign_es256(v->key, token.data, token.len, sig);
    if (err == SR_OK) {
        sr_buf_putc(&token, '.');
        sr_b64url_encode(&token, sig, sizeof sig);
        sr_buf_printf(out, "vapid t=%s, k=%s", token.data, v->public_key);
        err = token.failed ? token.failed : out->failed;
    }
    sr_buf_free(&claims);
    sr_buf_free(&token);
    return err;
}

/* ---- verification (the push service's side) ---------------------------- */

static bool auth_param(const char *header, const char *name, char *out, size_t outlen);
static sr_err check_claims(const char *claims_b64, size_t len, const char *audience,
                           long long now, char *err, size_t errlen);

sr_err sr_vapid_verify(const char *authorization, const char *audience, long long now,
                       char *err, size_t errlen)
{
    char token[4096], k[128];
    uint8_t pub[65], sig[64];
    if (!authorization || strncmp(authorization, "vapid ", 6) != 0 ||
        !auth_param(authorization + 6, "t", token, sizeof token) ||
        !auth_param(authorization + 6, "k", k, sizeof k)) {
        snprintf(err, errlen, "not a vapid authorization with t= and k=");
        return SR_EDENIED;
    }
    char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || sr_b64url_decode(k, strlen(k), pub, sizeof pub) != 65 ||
        sr_b64url_decode(dot2 + 1, strlen(dot2 + 1), sig, sizeof sig) != 64) {
        snprintf(err, errlen, "malformed JWT or key");
        return SR_EDENIED;
    }
    EVP_PKEY *key = sr_p256_from_public(pub);
    bool good = key && verify_es256(key, token, (size_t)(dot2 - token), sig);
    EVP_PKEY_free(key);
    if (!good) {
        snprintf(err, errlen, "JWT signature does not verify with k");
        return SR_EDENIED;
    }
    return check_claims(dot1 + 1, (size_t)(dot2 - dot1 - 1), audience, now, err, errlen);
}

static sr_err check_claims(const char *claims_b64, size_t len, const char *audience,
                           long long now, char *err, size_t errlen)
{
    uint8_t raw[2048];
    long n = sr_b64url_decode(claims_b64, len, raw, sizeof raw);
    json_t *claims = n > 0 ? json_loadb((const char *)raw, (size_t)n, 0, NULL) : NULL;
    const char *aud = json_string_value(json_object_get(claims, "aud"));
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    json_t *exp = json_object_get(claims, "exp");
    sr_err rc = SR_EDENIED;
    if (!claims)
        snprintf(err, errlen, "JWT claims are not JSON");
    else if (!aud || strcmp(aud, audience) != 0)
        snprintf(err, errlen, "aud is %s, not %s", aud ? aud : "missing", audience);
    else if (!json_is_integer(exp) || json_integer_value(exp) <= now ||
             json_integer_value(exp) > now + DAY)
        snprintf(err, errlen, "exp is missing, past, or more than 24 hours ahead");
    else if (!sub || !subject_ok(sub))
        snprintf(err, errlen, "sub is not a mailto: or https: URI");
    else
        rc = SR_OK;
    json_decref(claims);
    return rc;
}

/* RFC 8292 §3: "vapid t=..., k=..." with the parameters in any order. */
static bool auth_param(const char *header, const char *name, char *out, size_t outlen)
{
    size_t nlen = strlen(name);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = p + strcspn(p, ",");
        if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            const char *v = p + nlen + 1;
            size_t vlen = (size_t)(end - v);
            while (vlen > 0 && v[vlen - 1] == ' ')
                vlen--;
            if (vlen == 0 || vlen >= outlen)
                return false;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

/* ---- helpers ------------------------------------------------------------- */

static bool subject_ok(const char *s)
{
    return (strncmp(s, "mailto:", 7) == 0 && s[7]) || (strncmp(s, "https://", 8) == 0 && s[8]);
}

static EVP_PKEY *read_key(const char *path, char *err, size_t errlen, bool *missing);

static sr_err load_or_create_key(const char *path, EVP_PKEY **key, char *err, size_t errlen)
{
    bool missing = false;
    *key = read_key(path, err, errlen, &missing);
    if (*key)
        return SR_OK;
    if (!missing)
        return SR_EPARSE;
    EVP_PKEY *fresh = sr_p256_generate();
    if (!fresh)
        return SR_ENOMEM;
    /* O_EXCL: if another process made the key meanwhile, use that one. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        EVP_PKEY_free(fresh);
        if (errno == EEXIST && (*key = read_key(path, err, errlen, &missing)))
            return SR_OK;
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return SR_EIO;
    }
    FILE *f = fdopen(fd, "w");
    bool ok = f && PEM_write_PrivateKey(f, fresh, NULL, NULL, 0, NULL, NULL) == 1;
    if (f)
        ok = (fclose(f) == 0) && ok;
    else
        close(fd);
    if (!ok) {
        unlink(path);
        EVP_PKEY_free(fresh);
        snprintf(err, errlen, "%s: cannot write the key", path);
        return SR_EIO;
    }
    *key = fresh;
    return SR_OK;
}

static EVP_PKEY *read_key(const char *path, char *err, size_t errlen, bool *missing)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        *missing = errno == ENOENT;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    char group[32] = "";
    if (key && (!EVP_PKEY_is_a(key, "EC") ||
                !EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, NULL) ||
                strcmp(group, "prime256v1") != 0)) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    if (!key)
        snprintf(err, errlen, "%s: not a PEM P-256 private key", path);
    return key;
}

/* RFC 8292 §2: aud is the origin of the push resource (RFC 6454): scheme,
 * host and a port only when it is not the scheme's default. */
static sr_err endpoint_origin(const char *endpoint, char *out, size_t outlen)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    sr_err rc = SR_EINVAL;
    if (u && curl_url_set(u, CURLUPART_URL, endpoint, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        (strcmp(scheme, "https") == 0 || strcmp(scheme, "http") == 0)) {
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
        int n = snprintf(out, outlen, "%s://%s%s%s", scheme, host, port ? ":" : "", port ? port : "");
        rc = (n > 0 && (size_t)n < outlen) ? SR_OK : SR_ETOOBIG;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

/* JWS ES256 (RFC 7518 §3.4) wants r and s as two 32-byte big-endian
 * numbers; OpenSSL signs and verifies DER. */
static sr_err sign_es256(EVP_PKEY *key, const char *msg, size_t len, uint8_t sig[64])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    uint8_t der[80];
    size_t derlen = sizeof der;
    int ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
             EVP_DigestSign(md, der, &derlen, (const uint8_t *)msg, len) > 0;
    EVP_MD_CTX_free(md);
    const uint8_t *p = der;
    ECDSA_SIG *es = ok ? d2i_ECDSA_SIG(NULL, &p, (long)derlen) : NULL;
    if (!es)
        return SR_EINVAL;
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(es, &r, &s);
    ok = BN_bn2binpad(r, sig, 32) == 32 && BN_bn2binpad(s, sig + 32, 32) == 32;
    ECDSA_SIG_free(es);
    return ok ? SR_OK : SR_EINVAL;
}

static bool verify_es256(EVP_PKEY *key, const char *msg, size_t len, const uint8_t sig[64])
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
    if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return false;
    }
    uint8_t *der = NULL;
    int derlen = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = derlen > 0 && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
              EVP_DigestVerify(md, der, (size_t)derlen, (const uint8_t *)msg, len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    return ok;
}
