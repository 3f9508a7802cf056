/* The private-address guard and base64url. */
#include <criterion/criterion.h>
#include <string.h>
#include "sitrep/util.h"

Test(netguard, refuses_inside_and_reserved_addresses)
{
    static const char *const inside[] = {
        "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.0.0.1", "10.255.255.255",
        "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255",
        "169.254.169.254", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
        "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "192.0.0.8",
        "::", "::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:7f00:1",
        "::127.0.0.1", "64:ff9b::10.0.0.1", "2002:7f00:0001::1", "2002:c0a8:0101::",
        "2001:db8::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "100::1", "fe80::1%eth0",
    };
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        cr_expect(sr_ip_is_private(inside[i]), "%s passed the guard", inside[i]);
}

Test(netguard, lets_public_addresses_through)
{
    static const char *const outside[] = {
        "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1",
        "100.63.255.255", "100.128.0.1", "192.169.0.1", "11.0.0.1", "223.255.255.254",
        "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
        "64:ff9b::808:808", "2002:0808:0808::1",
    };
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
        cr_expect(!sr_ip_is_private(outside[i]), "%s was refused", outside[i]);
    cr_expect(!sr_ip_is_private("example.org"), "a name is not an address");
}

Test(netguard, resolves_names_before_judging_them)
{
    char why[256];
    cr_assert_eq(sr_host_guard("localhost", why, sizeof why), SR_EDENIED);
    cr_assert(strstr(why, "localhost"), "%s", why);
    cr_assert_eq(sr_host_guard("[::1]", why, sizeof why), SR_EDENIED);
    cr_assert_eq(sr_host_guard("127.1", why, sizeof why), SR_EDENIED, "short IPv4 forms resolve too");
    cr_assert_eq(sr_host_guard("2130706433", why, sizeof why), SR_EDENIED, "decimal IPv4 form");
    cr_assert_eq(sr_host_guard("0x7f.0.0.1", why, sizeof why), SR_EDENIED, "hex IPv4 form");
    cr_assert_eq(sr_host_guard("8.8.8.8", why, sizeof why), SR_OK);
    cr_assert_eq(sr_host_guard("no-such-host.invalid", why, sizeof why), SR_ENET);
}

Test(base64url, encodes_and_decodes_without_padding)
{
    static const struct { const char *plain, *coded; } cases[] = {
        {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"},
        {"\xfb\xff\xfe", "-__-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sr_buf b;
        sr_buf_init(&b, 64);
        sr_b64url_encode(&b, cases[i].plain, strlen(cases[i].plain));
        cr_expect_str_eq(b.data ? b.data : "", cases[i].coded);
        uint8_t out[16];
        long n = sr_b64url_decode(cases[i].coded, strlen(cases[i].coded), out, sizeof out);
        cr_expect_eq(n, (long)strlen(cases[i].plain));
        cr_expect(memcmp(out, cases[i].plain, (size_t)n) == 0);
        sr_buf_free(&b);
    }
    uint8_t out[4];
    cr_expect_eq(sr_b64url_decode("Zm9v", 4, out, 2), -1, "over the output limit");
    cr_expect_eq(sr_b64url_decode("Zm+v", 4, out, 4), -1, "'+' is not base64url");
    cr_expect_eq(sr_b64url_decode("Z", 1, out, 4), -1, "impossible length");
    cr_expect_eq(sr_b64url_decode("Zh", 2, out, 4), -1, "non-zero leftover bits");
    cr_expect_eq(sr_b64url_decode("Zg==", 4, out, 4), 1, "padding is tolerated");
}
