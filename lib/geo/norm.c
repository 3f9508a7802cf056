/* Name normalisation, identical for the gazetteer's names and the words of
 * a text, so that Fallujah, Falluja, Al-Fallujah and Al Fallūjah meet:
 * case folding, compatibility decomposition with marks stripped (utf8proc),
 * apostrophe-like marks (' ’ ‘ ʿ ʾ ʼ `) and dots dropped, hyphens and other
 * punctuation read as word breaks, and a word-final "ah" read as "a". */
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>
#include "sitrep/util.h"
#include "gaz.h"

static inline bool is_dropped(int32_t cp)
{
    switch (cp) {
    case '\'': case '.': case '`': case 0xB4: case 0x2018: case 0x2019:
    case 0x02BC: case 0x02BE: case 0x02BF: case 0x02BB: case 0x2032:
        return true;
    }
    return false;
}

static bool is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
        return true;
    default:
        return false;
    }
}

static size_t put_folded(int32_t cp, char *out, size_t o)
{
    if (cp < 0x80) {
        if (o < GAZ_MAX_KEY - 1)
            out[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return o;
    }
    utf8proc_int32_t buf[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, buf, 8,
        UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &last);
    for (utf8proc_ssize_t i = 0; i > -1 && i < n && i < 8; i++) {
        if (is_dropped(buf[i]))
            continue;
        if (o + 4 >= GAZ_MAX_KEY)
            break;
        o += (size_t)sr_utf8_encode(buf[i], out + o);
    }
    return o;
}

size_t gaz_norm_word(const char *s, size_t n, char *out)
{
    size_t o = 0, i = 0;
    for (; i < n && o < GAZ_MAX_KEY - 1; i++) {  /* ASCII: the common case, no tables */
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            break;
        if (c != '\'' && c != '.' && c != '`')
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    const gaz_cp *facts = i < n ? gaz_cp_table() : NULL;
    while (i < n) {
        int32_t cp = (unsigned char)s[i] < 0x80 ? (unsigned char)s[i++] : sr_utf8_decode(s, n, &i);
        if (cp < 0 || is_dropped(cp))
            continue;
        const gaz_cp *f = facts && cp < GAZ_CP_TABLE ? &facts[cp] : NULL;
        if (f && (f->flags & GAZ_CP_FOLDED) && o + f->fold_len + 4 < GAZ_MAX_KEY) {
            for (size_t k = 0; k < f->fold_len; k++)  /* as put_folded writes it this far from the end */
                out[o++] = f->fold[k];
        } else {
            o = put_folded(cp, out, o);
        }
    }
    if (o >= 5 && out[o - 1] == 'h' && out[o - 2] == 'a')
        o--;
    out[o] = 0;
    return o;
}

gaz_cp gaz_cp_facts[GAZ_CP_TABLE];
atomic_bool gaz_cp_ready;
static pthread_once_t cp_once = PTHREAD_ONCE_INIT;

static void fill_cp_facts(void)
{
    for (int32_t cp = 0; cp < GAZ_CP_TABLE; cp++) {
        gaz_cp *f = &gaz_cp_facts[cp];
        utf8proc_category_t c = utf8proc_category(cp);
        f->flags = c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT ? GAZ_CP_UPPER | GAZ_CP_CASED
                   : c == UTF8PROC_CATEGORY_LL                              ? GAZ_CP_CASED
                                                                            : 0;
        f->flags |= c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND ? GAZ_CP_WORD : 0;
        f->flags |= is_dropped(cp) ? GAZ_CP_DROPPED : 0;
        char key[GAZ_MAX_KEY];
        size_t n = put_folded(cp, key, 0);
        if (n <= sizeof f->fold) {
            memcpy(f->fold, key, n);
            f->fold_len = (uint8_t)n;
            f->flags |= GAZ_CP_FOLDED;
        }
    }
    atomic_store_explicit(&gaz_cp_ready, true, memory_order_release);
}

void gaz_cp_init(void)
{
    pthread_once(&cp_once, fill_cp_facts);
}

int gaz_norm_name(const char *s, size_t n, char *out, size_t *outlen)
{
    size_t i = 0, o = 0;
    int words = 0;
    while (i < n) {
        size_t start = i, end = i;
        while (end < n) {  /* find the end of this word */
            size_t k = end;
            int32_t cp = sr_utf8_decode(s, n, &k);
            if (cp >= 0 && !is_word_cp(cp) && !is_dropped(cp))
                break;
            end = k;
        }
        if (end > start) {
            char w[GAZ_MAX_KEY];
            size_t wl = gaz_norm_word(s + start, end - start, w);
            if (wl && o + wl + 1 < GAZ_MAX_KEY) {
                if (o)
                    out[o++] = ' ';
                memcpy(out + o, w, wl);
                o += wl;
                words++;
            }
        }
        i = end;
        if (i < n)
            sr_utf8_decode(s, n, &i);  /* the separator */
    }
    out[o] = 0;
    *outlen = o;
    return words;
}

bool gaz_is_article(const char *w, size_t n)
{
    static const char *const articles[] = {"al", "el", "ar", "as", "ad", "an", "at", "ash",
                                           "az", "ath", "adh", "ed", "es", "en", NULL};
    for (const char *const *a = articles; *a; a++)
        if (strlen(*a) == n && memcmp(*a, w, n) == 0)
            return true;
    return false;
}
