/* Web Push message encryption (RFC 8291) and the sender's VAPID identity
 * (RFC 8292). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sitrep/alert.h"

/* RFC 8291 Appendix A: the published keys, salt and encrypted message. */
static const char rfc_plaintext[] = "When I grow up, I want to be a watermelon";
static const char rfc_as_private[] = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
static const char rfc_ua_private[] = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
static const char rfc_ua_public[] =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
static const char rfc_auth[] = "BTBZMqHH6r4Tts7J_aSIgg";
static const char rfc_salt[] = "DGv6ra1nlYgDCS1FRnbzlw";
static const char rfc_body[] =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS"
    "6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qu"
    "lcy4a-fN";

static void decode(const char *b64, uint8_t *out, size_t n)
{
    cr_assert_eq(sr_b64url_decode(b64, strlen(b64), out, n), (long)n, "decoding %s", b64);
}

Test(webpush, reproduces_the_rfc8291_vector_byte_for_byte)
{
    sr_webpush_keys ua;
    uint8_t salt[16], as_private[32];
    cr_assert_eq(sr_webpush_keys_parse(rfc_ua_public, rfc_auth, &ua), SR_OK);
    decode(rfc_salt, salt, 16);
    decode(rfc_as_private, as_private, 32);
    sr_buf body, text;
    sr_buf_init(&body, 8192);
    sr_buf_init(&text, 8192);
    cr_assert_eq(sr_webpush_encrypt_with(&ua, rfc_plaintext, strlen(rfc_plaintext), salt,
                                         as_private, &body), SR_OK);
    sr_b64url_encode(&text, body.data, body.len);
    cr_assert_str_eq(text.data, rfc_body);
    sr_buf_free(&body);
    sr_buf_free(&text);
}

Test(webpush, decrypts_the_rfc8291_vector_as_the_subscriber)
{
    sr_webpush_keys ua;
    uint8_t ua_private[32], body[256];
    cr_assert_eq(sr_webpush_keys_parse(rfc_ua_public, rfc_auth, &ua), SR_OK);
    decode(rfc_ua_private, ua_private, 32);
    long n = sr_b64url_decode(rfc_body, strlen(rfc_body), body, sizeof body);
    cr_assert_gt(n, 0);
    sr_buf plain;
    sr_buf_init(&plain, 8192);
    cr_assert_eq(sr_webpush_decrypt(ua_private, &ua, body, (size_t)n, &plain), SR_OK);
    cr_assert_str_eq(plain.data, rfc_plaintext);
    sr_buf_free(&plain);
}

Test(webpush, round_trips_with_a_fresh_subscriber_key_and_fresh_salt)
{
    uint8_t ua_private[32];
    sr_webpush_keys ua;
    cr_assert_eq(sr_webpush_keys_generate(ua_private, &ua), SR_OK);
    const char *msg = "{\"title\":\"Clashes in Ramadi\",\"fatalities\":12,\"place\":\"الرمادي\"}";
    sr_buf a, b, plain;
    sr_buf_init(&a, 8192);
    sr_buf_init(&b, 8192);
    sr_buf_init(&plain, 8192);
    cr_assert_eq(sr_webpush_encrypt(&ua, msg, strlen(msg), &a), SR_OK);
    cr_assert_eq(sr_webpush_encrypt(&ua, msg, strlen(msg), &b), SR_OK);
    cr_assert_eq(a.len, 86 + strlen(msg) + 1 + 16);
    cr_assert(memcmp(a.data, b.data, a.len) != 0, "two messages share salt or sender key");
    cr_assert_eq(sr_webpush_decrypt(ua_private, &ua, a.data, a.len, &plain), SR_OK);
    cr_assert_str_eq(plain.data, msg);
    sr_buf_free(&a);
    sr_buf_free(&b);
    sr_buf_free(&plain);
}

Test(webpush, refuses_a_tampered_body_and_the_wrong_key)
{
    uint8_t ua_private[32], other_private[32];
    sr_webpush_keys ua, other;
    cr_assert_eq(sr_webpush_keys_generate(ua_private, &ua), SR_OK);
    cr_assert_eq(sr_webpush_keys_generate(other_private, &other), SR_OK);
    sr_buf body, plain;
    sr_buf_init(&body, 8192);
    sr_buf_init(&plain, 8192);
    cr_assert_eq(sr_webpush_encrypt(&ua, "Fallujah", 8, &body), SR_OK);
    cr_assert_eq(sr_webpush_decrypt(other_private, &other, body.data, body.len, &plain), SR_EPARSE);
    body.data[21 + 40] ^= 1; /* the sender key in the header, now off the curve */
    cr_assert_eq(sr_webpush_decrypt(ua_private, &ua, body.data, body.len, &plain), SR_EPARSE);
    body.data[21 + 40] ^= 1;
    body.data[body.len - 20] ^= 1;
    cr_assert_eq(sr_webpush_decrypt(ua_private, &ua, body.data, body.len, &plain), SR_EPARSE);
    cr_assert_eq(sr_webpush_decrypt(ua_private, &ua, body.data, 40, &plain), SR_EPARSE);
    cr_assert_eq(plain.len, 0);
    sr_buf_free(&body);
    sr_buf_free(&plain);
}

Test(webpush, caps_the_payload_at_what_one_push_message_carries)
{
    uint8_t ua_private[32];
    sr_webpush_keys ua;
    cr_assert_eq(sr_webpush_keys_generate(ua_private, &ua), SR_OK);
    static char big[SR_WEBPUSH_MAX_PAYLOAD + 1];
    memset(big, 'x', sizeof big);
    sr_buf body;
    sr_buf_init(&body, 8192);
    cr_assert_eq(sr_webpush_encrypt(&ua, big, SR_WEBPUSH_MAX_PAYLOAD, &body), SR_OK);
    cr_assert_eq(body.len, 4096, "a full message is exactly 4096 bytes, got %zu", body.len);
    sr_buf_reset(&body);
    cr_assert_eq(sr_webpush_encrypt(&ua, big, sizeof big, &body), SR_ETOOBIG);
    sr_buf_free(&body);
}

Test(webpush, rejects_malformed_subscription_keys)
{
    sr_webpush_keys ua;
    cr_assert_eq(sr_webpush_keys_parse("BCVxsr7N", rfc_auth, &ua), SR_EINVAL);
    cr_assert_eq(sr_webpush_keys_parse(rfc_ua_public, "BTBZ", &ua), SR_EINVAL);
    cr_assert_eq(sr_webpush_keys_parse(rfc_ua_public, "BTBZMqHH6r4Tts7J_aSI!g", &ua), SR_EINVAL);
    /* 65 bytes starting 0x04 but not a point on P-256 */
    char bad[] = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    bad[50] = bad[50] == 'A' ? 'B' : 'A';
    cr_assert_eq(sr_webpush_keys_parse(bad, rfc_auth, &ua), SR_EINVAL);
    cr_assert_eq(sr_webpush_keys_parse(NULL, rfc_auth, &ua), SR_EINVAL);
}

Test(webpush, reads_the_subscription_object_a_browser_sends)
{
    char json[512], err[256];
    snprintf(json, sizeof json,
             "{\"endpoint\":\"https://fcm.googleapis.com/fcm/send/dpH5\",\"expirationTime\":null,"
             "\"keys\":{\"p256dh\":\"%s\",\"auth\":\"%s\"}}", rfc_ua_public, rfc_auth);
    sr_webpush_subscription sub;
    cr_assert_eq(sr_webpush_subscription_parse(json, strlen(json), &sub, err, sizeof err), SR_OK, "%s", err);
    cr_assert_str_eq(sub.endpoint, "https://fcm.googleapis.com/fcm/send/dpH5");
    cr_assert_eq(sub.keys.p256dh[0], 0x04);
    static const char *const bad[] = {
        "{\"endpoint\":\"ftp://x/y\",\"keys\":{}}", "{\"keys\":{}}", "[]", "{",
        "{\"endpoint\":\"https://x/y\",\"keys\":{\"p256dh\":\"AAAA\",\"auth\":\"AAAA\"}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_expect_eq(sr_webpush_subscription_parse(bad[i], strlen(bad[i]), &sub, err, sizeof err), SR_EINVAL, "%s", bad[i]);
        cr_expect(err[0], "no reason given for %s", bad[i]);
    }
}

/* ---- VAPID ------------------------------------------------------------- */

static char key_dir[64];

static void make_dir(void)
{
    strcpy(key_dir, "/tmp/sitrep-vapid-XXXXXX");
    cr_assert_not_null(mkdtemp(key_dir));
}

static const char *key_path(void)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/vapid.pem", key_dir);
    return path;
}

static void remove_dir(void)
{
    unlink(key_path());
    rmdir(key_dir);
}

Test(vapid, makes_a_key_on_first_use_keeps_it_private_and_reuses_it,
     .init = make_dir, .fini = remove_dir)
{
    char err[256];
    sr_vapid *a = NULL, *b = NULL;
    cr_assert_eq(sr_vapid_open(key_path(), "mailto:alerts@example.org", &a, err, sizeof err), SR_OK, "%s", err);
    struct stat st;
    cr_assert_eq(stat(key_path(), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(sr_vapid_open(key_path(), "https://sitrep.example.org", &b, err, sizeof err), SR_OK, "%s", err);
    cr_assert_str_eq(sr_vapid_public_key(a), sr_vapid_public_key(b));
    cr_assert_eq(strlen(sr_vapid_public_key(a)), 87);
    cr_assert_eq(sr_vapid_public_key(a)[0], 'B', "uncompressed point starts 0x04");
    sr_vapid_free(a);
    sr_vapid_free(b);
}

Test(vapid, refuses_a_bad_subject_and_a_file_that_is_not_a_key,
     .init = make_dir, .fini = remove_dir)
{
    char err[256];
    sr_vapid *v = NULL;
    cr_assert_eq(sr_vapid_open(key_path(), "alerts@example.org", &v, err, sizeof err), SR_EINVAL);
    cr_assert_eq(sr_vapid_open(key_path(), "http://example.org", &v, err, sizeof err), SR_EINVAL);
    FILE *f = fopen(key_path(), "w");
    fputs("not a key\n", f);
    fclose(f);
    cr_assert_eq(sr_vapid_open(key_path(), "mailto:a@example.org", &v, err, sizeof err), SR_EPARSE);
    cr_assert(strstr(err, "vapid.pem"), "the error names the file: %s", err);
    cr_assert_null(v);
}

Test(vapid, signs_a_jwt_the_push_service_accepts_for_the_endpoint_origin,
     .init = make_dir, .fini = remove_dir)
{
    char err[256];
    sr_vapid *v = NULL;
    cr_assert_eq(sr_vapid_open(key_path(), "mailto:alerts@example.org", &v, err, sizeof err), SR_OK, "%s", err);
    sr_buf h;
    sr_buf_init(&h, 8192);
    long long now = 1764000000;
    cr_assert_eq(sr_vapid_header(v, "https://push.example.net:8443/wpush/v2/abc?x=1", now, 0, &h), SR_OK);
    cr_assert(strncmp(h.data, "vapid t=", 8) == 0);
    cr_assert(strstr(h.data, sr_vapid_public_key(v)));
    cr_assert_eq(sr_vapid_verify(h.data, "https://push.example.net:8443", now, err, sizeof err), SR_OK, "%s", err);
    /* another origin, or past its expiry, is refused */
    cr_assert_eq(sr_vapid_verify(h.data, "https://push.example.net", now, err, sizeof err), SR_EDENIED);
    cr_assert_eq(sr_vapid_verify(h.data, "https://push.example.net:8443", now + 13 * 3600, err, sizeof err), SR_EDENIED);
    /* a flipped bit in the signature is refused */
    char *t = strdup(h.data);
    char *comma = strchr(t, ',');
    comma[-3] = comma[-3] == 'A' ? 'B' : 'A';
    cr_assert_eq(sr_vapid_verify(t, "https://push.example.net:8443", now, err, sizeof err), SR_EDENIED);
    free(t);
    /* the default port is not part of the origin; the lifetime is capped at 24 h */
    sr_buf_reset(&h);
    cr_assert_eq(sr_vapid_header(v, "https://fcm.example.com:443/send/x", now, 7 * 86400, &h), SR_OK);
    cr_assert_eq(sr_vapid_verify(h.data, "https://fcm.example.com", now, err, sizeof err), SR_OK, "%s", err);
    sr_buf_reset(&h);
    cr_assert_eq(sr_vapid_header(v, "ftp://example.com/x", now, 0, &h), SR_EINVAL);
    sr_buf_free(&h);
    sr_vapid_free(v);
}

/* A second, independent JWS implementation (Node's crypto) accepts the
 * token, as a push service would: ES256 with r||s, aud the origin. */
Test(vapid, an_independent_jws_verifier_accepts_the_token, .init = make_dir, .fini = remove_dir)
{
    if (system("command -v node >/dev/null 2>&1") != 0)
        cr_skip_test("node is not installed");
    static const char script[] =
        "const c=require('crypto');"
        "const m=/^vapid t=([^.]+)\\.([^.]+)\\.([^,]+), k=(.+)$/.exec(process.argv[1]);"
        "const p=Buffer.from(m[4],'base64url');"
        "const key=c.createPublicKey({format:'jwk',key:{kty:'EC',crv:'P-256',"
        "x:p.subarray(1,33).toString('base64url'),y:p.subarray(33).toString('base64url')}});"
        "const ok=c.verify('sha256',Buffer.from(m[1]+'.'+m[2]),{key,dsaEncoding:'ieee-p1363'},"
        "Buffer.from(m[3],'base64url'));"
        "const h=JSON.parse(Buffer.from(m[1],'base64url')),cl=JSON.parse(Buffer.from(m[2],'base64url'));"
        "console.log(ok&&h.alg==='ES256'&&cl.aud===process.argv[2]&&cl.sub.startsWith('mailto:')?'valid':'invalid');";
    char err[256];
    sr_vapid *v = NULL;
    cr_assert_eq(sr_vapid_open(key_path(), "mailto:alerts@example.org", &v, err, sizeof err), SR_OK, "%s", err);
    for (int i = 0; i < 3; i++) { /* r or s with leading zero bytes must still be 32 bytes each */
        sr_buf h, cmd;
        sr_buf_init(&h, 8192);
        sr_buf_init(&cmd, 16384);
        cr_assert_eq(sr_vapid_header(v, "https://updates.push.services.example/wpush/v2/x", 1764000000 + i, 0, &h), SR_OK);
        sr_buf_printf(&cmd, "node -e \"%s\" '%s' 'https://updates.push.services.example'", script, h.data);
        FILE *p = popen(cmd.data, "r");
        char out[64] = "";
        cr_assert_not_null(p);
        cr_assert_not_null(fgets(out, sizeof out, p), "node printed nothing");
        pclose(p);
        cr_assert_str_eq(out, "valid\n");
        sr_buf_free(&h);
        sr_buf_free(&cmd);
    }
    sr_vapid_free(v);
}
