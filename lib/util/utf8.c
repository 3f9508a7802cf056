/* UTF-8 helpers: decoding that never reads past the end and treats every
 * ill-formed sequence (overlong, surrogate, > U+10FFFF, truncated) as one
 * invalid byte, as the Unicode standard's "maximal subpart" practice does. */
#include <string.h>
#include "sitrep/util.h"

static inline int ascii32(const char *s);
static inline size_t first_high(uint64_t w);
static inline size_t valid_at(const unsigned char *u, size_t len, size_t i);
static size_t count_leads(const unsigned char *s, size_t len);
static inline unsigned continuations(const unsigned char *p);

int32_t sr_utf8_decode(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t p = *i;
    unsigned c = s[p];
    if (c < 0x80) {
        *i = p + 1;
        return (int32_t)c;
    }
    int n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3; cp = c & 0x07; min = 0x10000;
    } else {
        *i = p + 1;
        return -1;
    }
    if (len - p <= (size_t)n) {
        *i = p + 1;
        return -1;
    }
    for (int k = 1; k <= n; k++) {
        unsigned cc = s[p + (size_t)k];
        if ((cc & 0xC0) != 0x80) {
            *i = p + 1;
            return -1;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i = p + 1;
        return -1;
    }
    *i = p + (size_t)n + 1;
    return (int32_t)cp;
}

int sr_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool sr_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* Pages are mostly ASCII (this check ran over every page a second
         * time after the fetch, at a ninth of the extractor's instructions) */
        i += sr_ascii_span(s + i, len - i);
        if (i == len)
            break;
        size_t k = valid_at(u, len, i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* Eight bytes at a time, then 32 while no high bit is set. */
size_t sr_ascii_span(const char *s, size_t len)
{
    size_t i = 0;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            return i + first_high(w);
        i += 8;
        while (len - i >= 32 && !ascii32(s + i))
            i += 32;
    }
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    return i;
}

/* 0 unless the 32 bytes at s are all ASCII */
static inline int ascii32(const char *s)
{
    uint64_t a, b, c, d;
    memcpy(&a, s, 8);
    memcpy(&b, s + 8, 8);
    memcpy(&c, s + 16, 8);
    memcpy(&d, s + 24, 8);
    return ((a | b | c | d) & 0x8080808080808080ULL) != 0;
}

/* Bytes before the first one with its high bit set (w has one). */
static inline size_t first_high(uint64_t w)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(w & 0x8080808080808080ULL) >> 3;
#else
    size_t k = 0;
    unsigned char b[8];
    memcpy(b, &w, 8);
    while (b[k] < 0x80)
        k++;
    return k;
#endif
}

/* The length of the well-formed sequence at u[i] (a byte >= 0x80), 0 if
 * it is not one: the same rules as sr_utf8_decode, without building the
 * code point (no overlong forms, no surrogates, nothing over U+10FFFF). */
static inline size_t valid_at(const unsigned char *u, size_t len, size_t i)
{
    unsigned c = u[i];
    size_t left = len - i - 1;
    if (c >= 0xC2 && c <= 0xDF)
        return left >= 1 && (u[i + 1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 2 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && u[i + 1] < 0xA0) || (c == 0xED && u[i + 1] > 0x9F))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 3 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80 ||
            (u[i + 3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && u[i + 1] < 0x90) || (c == 0xF4 && u[i + 1] > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

size_t sr_utf8_count(const char *s, size_t len)
{
    return count_leads((const unsigned char *)s, len);
}

/* Bytes that are not 10xxxxxx, eight at a time: in each byte, bit 7 set
 * and bit 6 (shifted up to bit 7) clear marks a continuation byte. */
static size_t count_leads(const unsigned char *s, size_t len)
{
    size_t n = 0, i = 0;
    for (; len - i >= 8; i += 8)
        n += 8 - continuations(s + i);
    for (; i < len; i++)
        n += (s[i] & 0xC0) != 0x80;
    return n;
}

static inline unsigned continuations(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t m = w & ~(w << 1) & 0x8080808080808080ULL;
    return (unsigned)(((m >> 7) * 0x0101010101010101ULL) >> 56);
}

sr_err sr_utf8_sanitize(sr_buf *out, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t at = i;
        if (sr_utf8_decode(s, len, &i) < 0) {
            sr_buf_append(out, s + run, at - run);
            sr_buf_append(out, "\xEF\xBF\xBD", 3);
            run = i;
        }
    }
    return sr_buf_append(out, s + run, len - run);
}

void sr_cp_cursor_init(sr_cp_cursor *c, const char *text, size_t len)
{
    c->text = text;
    c->len = len;
    c->byte = 0;
    c->cp = 0;
}

/* Code points are counted as lead bytes (anything not 10xxxxxx), the same
 * rule as sr_utf8_count, so offsets agree for valid and sanitized text. */
size_t sr_cp_cursor_at(sr_cp_cursor *c, size_t byte)
{
    if (byte > c->len)
        byte = c->len;
    if (byte < c->byte) {
        c->byte = 0;
        c->cp = 0;
    }
    const unsigned char *s = (const unsigned char *)c->text;
    size_t cp = c->cp + count_leads(s + c->byte, byte - c->byte);
    c->byte = byte;
    c->cp = cp;
    return cp;
}

size_t sr_utf8_byte_offset(const char *s, size_t len, size_t cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t seen = 0, i = 0;
    /* whole words while the code point sought lies past them */
    for (size_t k; len - i >= 8 && seen + (k = 8 - continuations(u + i)) <= cp; i += 8)
        seen += k;
    for (; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            if (seen == cp)
                return i;
            seen++;
        }
    }
    return len;
}

static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

int32_t sr_cp1252_to_unicode(unsigned char b)
{
    return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}
