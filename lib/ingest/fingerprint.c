/* Content fingerprints: an exact hash and a SimHash of an article's text.
 *
 * Both read the text as a sequence of words — letters, digits and combining
 * marks, lower-cased with utf8proc — so spacing, punctuation, case and
 * markup left-overs do not change them.
 *
 * The exact hash is SHA-256 (OpenSSL, already a dependency for alerts):
 * it decides that a re-fetched article is "the same" and is not stored
 * again, so a collision would silently drop a distinct report. A 64-bit
 * FNV would collide by chance once in ~10^5 stores of 10M articles and can
 * be forced on purpose; SHA-256 can do neither and hashes at hundreds of
 * MB/s, far above what extraction delivers.
 *
 * SimHash (Charikar 2002; Manku, Jain, Das Sarma 2007 for web pages) over
 * overlapping 3-word shingles: reprints of one wire story share almost
 * every shingle, so their hashes differ in few bits, while unrelated
 * stories differ in about half of the 64.
 */
#include <pthread.h>
#include <string.h>
#include <openssl/evp.h>
#include <utf8proc.h>
#include "internal.h"

#define WORD_MAX 128   /* longer runs (URLs, base64) are cut: still a word */

typedef void (*word_fn)(const char *w, size_t n, void *ctx);
static void each_word(const char *text, size_t len, word_fn fn, void *ctx);

/* ---- exact hash ---------------------------------------------------------- */

struct hash_state {
    EVP_MD_CTX *md;
    unsigned char pending[8192];
    size_t n;
    bool first;
};

static void hash_word(const char *w, size_t n, void *ctx)
{
    struct hash_state *h = ctx;
    if (h->n + n + 1 > sizeof h->pending) {
        EVP_DigestUpdate(h->md, h->pending, h->n);
        h->n = 0;
    }
    if (!h->first)
        h->pending[h->n++] = ' ';
    h->first = false;
    memcpy(h->pending + h->n, w, n);
    h->n += n;
}

static bool hash_start(struct hash_state *h, uint8_t out[SR_CONTENT_HASH_LEN])
{
    if (!h->md || !EVP_DigestInit_ex(h->md, EVP_sha256(), NULL)) {
        memset(out, 0, SR_CONTENT_HASH_LEN);
        EVP_MD_CTX_free(h->md);
        return false;
    }
    return true;
}

static void hash_end(struct hash_state *h, uint8_t out[SR_CONTENT_HASH_LEN])
{
    unsigned int outlen = SR_CONTENT_HASH_LEN;
    EVP_DigestUpdate(h->md, h->pending, h->n);
    EVP_DigestFinal_ex(h->md, out, &outlen);
    EVP_MD_CTX_free(h->md);
}

void sr_content_hash(const char *text, size_t len, uint8_t out[SR_CONTENT_HASH_LEN])
{
    struct hash_state h = {.md = EVP_MD_CTX_new(), .first = true};
    if (!hash_start(&h, out))
        return;
    each_word(text, len, hash_word, &h);
    hash_end(&h, out);
}

static void to_hex(const uint8_t h[SR_CONTENT_HASH_LEN], char out[2 * SR_CONTENT_HASH_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SR_CONTENT_HASH_LEN; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[2 * SR_CONTENT_HASH_LEN] = 0;
}

void sr_content_hash_hex(const char *text, size_t len, char out[2 * SR_CONTENT_HASH_LEN + 1])
{
    uint8_t h[SR_CONTENT_HASH_LEN];
    sr_content_hash(text, len, h);
    to_hex(h, out);
}

/* ---- SimHash ------------------------------------------------------------- */

/* A feature's 64 bits are counted in byte lanes: ones[k] holds, for the
 * eight bits 8k..8k+7, how many features had each bit set, one counter per
 * byte, added eight at a time from a table (a feature costs 8 additions, not
 * 64). The lanes are emptied into 32-bit totals before a byte can overflow.
 * Bit b of the hash is set when more than half of the features had it:
 * the sign of the +1/-1 sum of Charikar's definition. */
struct simhash_state {
    uint64_t ones[8];     /* byte-lane counters since the last spill */
    uint32_t total[64];   /* spilled counts per bit */
    unsigned pending;     /* features in ones[] */
    size_t features;
    uint64_t recent[3];   /* hashes of the last three words */
    size_t words;
};

/* splitmix64's finaliser: spreads FNV's weak low bits over all 64. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t fnv1a64(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* byte_lanes[v]: byte j is bit j of v */
static uint64_t byte_lanes[256];
static pthread_once_t lanes_once = PTHREAD_ONCE_INIT;

static void make_lanes(void)
{
    for (unsigned v = 0; v < 256; v++)
        for (unsigned j = 0; j < 8; j++)
            if (v >> j & 1)
                byte_lanes[v] |= 1ULL << (8 * j);
}

static void spill(struct simhash_state *s)
{
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 8; j++)
            s->total[8 * k + j] += (uint32_t)(s->ones[k] >> (8 * j) & 0xff);
        s->ones[k] = 0;
    }
    s->pending = 0;
}

static void add_feature(struct simhash_state *s, uint64_t f)
{
    for (int k = 0; k < 8; k++)
        s->ones[k] += byte_lanes[f >> (8 * k) & 0xff];
    s->features++;
    if (++s->pending == 255)
        spill(s);
}

static void simhash_word(const char *w, size_t n, void *ctx)
{
    struct simhash_state *s = ctx;
    s->recent[0] = s->recent[1];
    s->recent[1] = s->recent[2];
    s->recent[2] = fnv1a64(w, n);
    if (++s->words >= 3)
        add_feature(s, mix64(s->recent[0] ^ rotl(s->recent[1], 21) ^ rotl(s->recent[2], 42)));
}

static void simhash_start(struct simhash_state *s)
{
    pthread_once(&lanes_once, make_lanes);
    memset(s, 0, sizeof *s);
}

static uint64_t simhash_end(struct simhash_state *s)
{
    /* Under three words there is no shingle: the words themselves count. */
    for (size_t k = 0; s->words < 3 && k < s->words; k++)
        add_feature(s, mix64(s->recent[2 - k]));
    spill(s);
    uint64_t h = 0;
    for (int b = 0; b < 64; b++)
        if (2 * (uint64_t)s->total[b] > s->features)
            h |= 1ULL << b;
    return h;
}

uint64_t sr_simhash(const char *text, size_t len)
{
    struct simhash_state s;
    simhash_start(&s);
    each_word(text, len, simhash_word, &s);
    return simhash_end(&s);
}

/* ---- both in one pass ------------------------------------------------------ */

struct both {
    struct hash_state h;
    struct simhash_state s;
};

static void both_word(const char *w, size_t n, void *ctx)
{
    struct both *b = ctx;
    hash_word(w, n, &b->h);
    simhash_word(w, n, &b->s);
}

/* The store asks for both of every article: one walk over its words. */
void sr_fingerprints(const char *text, size_t len, char hash_hex[2 * SR_CONTENT_HASH_LEN + 1], uint64_t *simhash)
{
    struct both b = {.h = {.md = EVP_MD_CTX_new(), .first = true}};
    uint8_t hash[SR_CONTENT_HASH_LEN];
    if (!hash_start(&b.h, hash)) {
        to_hex(hash, hash_hex);
        *simhash = sr_simhash(text, len);
        return;
    }
    simhash_start(&b.s);
    each_word(text, len, both_word, &b);
    hash_end(&b.h, hash);
    to_hex(hash, hash_hex);
    *simhash = simhash_end(&b.s);
}

int sr_simhash_distance(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

/* ---- words --------------------------------------------------------------- */

static bool word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

/* ascii_word[c]: the lower-case form of an ASCII letter or digit, 0 for
 * any other ASCII byte, 0x80 for the bytes that start or continue UTF-8. */
static unsigned char ascii_word[256];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void make_ascii_word(void)
{
    for (int c = 0; c < 256; c++)
        ascii_word[c] = c >= 0x80 ? 0x80
                      : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? (unsigned char)c
                      : c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : 0;
}

static void each_word(const char *text, size_t len, word_fn fn, void *ctx)
{
    pthread_once(&ascii_once, make_ascii_word);
    const unsigned char *t = (const unsigned char *)text;
    char word[WORD_MAX + 4];
    size_t n = 0, i = 0;
    while (i < len) {
        unsigned char v = ascii_word[t[i]];
        if (v && v < 0x80) {   /* most news text is ASCII: a table, no decoding */
            i++;
            if (n < WORD_MAX)
                word[n++] = (char)v;
            continue;
        }
        int32_t cp;
        if (!v) {
            i++;
        } else if ((cp = sr_utf8_decode(text, len, &i)) >= 0 && word_char(cp)) {
            if (n + 4 <= WORD_MAX)
                n += (size_t)sr_utf8_encode(utf8proc_tolower(cp), word + n);
            continue;
        }
        if (n)
            fn(word, n, ctx);
        n = 0;
    }
    if (n)
        fn(word, n, ctx);
}
