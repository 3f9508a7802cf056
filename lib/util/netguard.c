/* The private-address guard: requests that sitrep makes on behalf of
 * someone else (webhook and push targets, fetched URLs) must not reach the
 * machine itself or its private network. Address lists: IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890 and its updates). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "sitrep/util.h"

static bool v4_is_private(uint32_t a);
static bool v6_is_private(const uint8_t *b);
static uint32_t v4_at(const uint8_t *b);

bool sr_addr_is_private(const struct sockaddr *sa)
{
    if (!sa)
        return true;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return v4_is_private(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return v6_is_private(in6->sin6_addr.s6_addr);
    }
    return true; /* unix sockets and the like are never a public target */
}

bool sr_ip_is_private(const char *ip)
{
    struct in_addr a4;
    struct in6_addr a6;
    char bare[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, ip, &a4) == 1)
        return v4_is_private(ntohl(a4.s_addr));
    /* "fe80::1%eth0": the zone does not change what the address is */
    size_t n = strcspn(ip, "%");
    if (n >= sizeof bare)
        return false;
    memcpy(bare, ip, n);
    bare[n] = '\0';
    if (inet_pton(AF_INET6, bare, &a6) == 1)
        return v6_is_private(a6.s6_addr);
    return false;
}

sr_err sr_host_guard(const char *host, char *why, size_t whylen)
{
    char name[256];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof name) {
        snprintf(why, whylen, "bad host name");
        return SR_EINVAL;
    }
    memcpy(name, host, n);
    name[n] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(why, whylen, "%s does not resolve: %s", name, gai_strerror(rc));
        return SR_ENET;
    }
    sr_err err = SR_OK;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if (!sr_addr_is_private(ai->ai_addr))
            continue;
        char text[INET6_ADDRSTRLEN] = "?";
        getnameinfo(ai->ai_addr, ai->ai_addrlen, text, sizeof text, NULL, 0, NI_NUMERICHOST);
        snprintf(why, whylen, "%s is a private or reserved address (%s)", name, text);
        err = SR_EDENIED;
        break;
    }
    freeaddrinfo(res);
    return err;
}

static bool v4_in(uint32_t a, uint32_t net, int prefix)
{
    uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
    return (a & mask) == net;
}

static bool v4_is_private(uint32_t a)
{
    static const struct { uint32_t net; int prefix; } blocked[] = {
        {0x00000000, 8},  /* "this network" */
        {0x0a000000, 8},  /* RFC 1918 */
        {0x64400000, 10}, /* CGNAT, RFC 6598 */
        {0x7f000000, 8},  /* loopback */
        {0xa9fe0000, 16}, /* link-local (cloud metadata lives here) */
        {0xac100000, 12}, /* RFC 1918 */
        {0xc0000000, 24}, /* IETF protocol assignments */
        {0xc0000200, 24}, /* TEST-NET-1 */
        {0xc0586300, 24}, /* 6to4 relay anycast */
        {0xc0a80000, 16}, /* RFC 1918 */
        {0xc6120000, 15}, /* benchmarking */
        {0xc6336400, 24}, /* TEST-NET-2 */
        {0xcb007100, 24}, /* TEST-NET-3 */
        {0xe0000000, 4},  /* multicast */
        {0xf0000000, 4},  /* reserved, and broadcast */
    };
    for (size_t i = 0; i < sizeof blocked / sizeof blocked[0]; i++)
        if (v4_in(a, blocked[i].net, blocked[i].prefix))
            return true;
    return false;
}

static uint32_t v4_at(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static bool v6_prefix(const uint8_t *b, const uint8_t *p, int bits)
{
    int bytes = bits / 8, rest = bits % 8;
    if (memcmp(b, p, (size_t)bytes) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (b[bytes] & mask) == (p[bytes] & mask);
}

static bool v6_is_private(const uint8_t *b)
{
    static const uint8_t zero[16] = {0};
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
    static const uint8_t teredo[4] = {0x20, 0x01, 0x00, 0x00};
    static const uint8_t doc[4] = {0x20, 0x01, 0x0d, 0xb8};
    static const uint8_t sixtofour[2] = {0x20, 0x02};
    static const uint8_t discard[8] = {0x01, 0x00};

    /* Forms that carry an IPv4 address are judged by that address. */
    if (v6_prefix(b, mapped, 96) || v6_prefix(b, nat64, 96))
        return v4_is_private(v4_at(b + 12));
    if (v6_prefix(b, zero, 96)) /* ::, ::1 and deprecated IPv4-compatible */
        return true;
    if (v6_prefix(b, sixtofour, 16))
        return v4_is_private(v4_at(b + 2));
    if (v6_prefix(b, teredo, 32)) /* tunnels to an obfuscated address */
        return true;
    if (v6_prefix(b, doc, 32) || v6_prefix(b, discard, 64))
        return true;
    if ((b[0] & 0xfe) == 0xfc) /* unique-local fc00::/7 */
        return true;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* link-local fe80::/10 */
        return true;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) /* site-local fec0::/10 */
        return true;
    if (b[0] == 0xff) /* multicast */
        return true;
    return false;
}
