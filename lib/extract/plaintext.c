/* `--text`: a page already flattened to plain text, one block per line, as
 * many crawls store it. The furniture survives flattening as short lines of
 * its own (app choosers, notification prompts, "Watch ..." links, video
 * titles ending in a duration); those lines go, the rest become paragraphs. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "extract_int.h"

static bool furniture(const char *s, size_t n);

sr_err sr_extract_text(sr_extractor *ex, sr_arena *arena, const char *text, size_t len,
                       const char *source, sr_article **out)
{
    *out = NULL;
    ex->message[0] = 0;
    if (len == 0) {
        snprintf(ex->message, sizeof ex->message, "empty page");
        return SR_EEMPTY;
    }
    sr_buf clean;
    sr_buf_init(&clean, len * 3 + 16);
    if (sr_utf8_sanitize(&clean, text, len) != SR_OK) {
        sr_buf_free(&clean);
        return SR_ENOMEM;
    }
    sr_article *a = sr_arena_calloc(arena, sizeof *a);
    sr_textbuf body;
    sr_tb_init(&body, arena, clean.len + 16);
    if (!a || !body.p) {
        sr_buf_free(&clean);
        return SR_ENOMEM;
    }
    a->source = source ? sr_arena_strdup(arena, source) : NULL;
    const char *s = clean.data, *end = clean.data + clean.len;
    const char *prev = NULL;
    size_t prev_n = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        const char *b = s;
        while (b < e && isspace((unsigned char)*b))
            b++;
        const char *f = e;
        while (f > b && isspace((unsigned char)f[-1]))
            f--;
        size_t n = (size_t)(f - b);
        bool dup = prev && n == prev_n && !memcmp(prev, b, n);
        if (n && !dup && !furniture(b, n)) {
            if (!a->title && n < 150 && b[n - 1] != '.' && !body.len) {
                a->title = sr_arena_strndup(arena, b, n);
            } else {
                if (body.len)
                    sr_tb_raw(&body, "\n\n", 2);
                sr_tb_add(&body, b, n);
            }
            prev = b;
            prev_n = n;
        }
        s = nl ? nl + 1 : end;
    }
    sr_buf_free(&clean);
    if (!body.p)
        return SR_ENOMEM;
    if (!body.len && !a->title) {
        snprintf(ex->message, sizeof ex->message, "no article text found");
        return SR_EEMPTY;
    }
    a->text = body.p;
    a->text_len = body.len;
    sr_article_nfc(arena, a);
    bool in = false;
    for (size_t i = 0; i < a->text_len; i++) {
        bool sp = isspace((unsigned char)a->text[i]);
        a->word_count += !sp && !in;
        in = !sp;
    }
    *out = a;
    return SR_OK;
}

/* A video title with its duration ("Iraqi army retakes ... 02:37") or a
 * "Watch ..." link line; both are short and have no sentence end. */
static bool furniture(const char *s, size_t n)
{
    if (sr_furniture_line(s, n))
        return true;
    if (n > 120)
        return false;
    size_t i = n;
    while (i && (isdigit((unsigned char)s[i - 1]) || s[i - 1] == ':'))
        i--;
    if (i < n && i + 3 <= n && sr_is_duration(s + i, n - i) && (i == 0 || s[i - 1] == ' '))
        return true;
    if (n >= 6 && !strncasecmp(s, "watch ", 6) && s[n - 1] != '.')
        return true;
    return false;
}
