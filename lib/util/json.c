/* The JSON writer used for all of sitrep's output. It places commas and
 * colons itself and always produces valid JSON: strings are escaped and any
 * invalid UTF-8 is replaced by U+FFFD. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sitrep/util.h"

void sr_json_init(sr_json *j, sr_buf *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

static void before_value(sr_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0 && j->depth <= 64) {
        uint64_t bit = 1ull << (j->depth - 1);
        if (j->need_comma & bit)
            sr_buf_putc(j->out, ',');
        j->need_comma |= bit;
    }
}

static void open(sr_json *j, char c)
{
    before_value(j);
    sr_buf_putc(j->out, c);
    j->depth++;
    if (j->depth <= 64)
        j->need_comma &= ~(1ull << (j->depth - 1));
}

static void close_(sr_json *j, char c)
{
    sr_buf_putc(j->out, c);
    if (j->depth > 0)
        j->depth--;
}

void sr_json_object_begin(sr_json *j) { open(j, '{'); }
void sr_json_object_end(sr_json *j) { close_(j, '}'); }
void sr_json_array_begin(sr_json *j) { open(j, '['); }
void sr_json_array_end(sr_json *j) { close_(j, ']'); }

void sr_json_escape(sr_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t at = i;
            int32_t cp = sr_utf8_decode(s, n, &i);
            if (cp >= 0 && cp != 0x2028 && cp != 0x2029)
                continue;
            sr_buf_append(out, s + run, at - run);
            if (cp < 0)
                sr_buf_append(out, "\xEF\xBF\xBD", 3);
            else
                sr_buf_puts(out, cp == 0x2028 ? "\\u2028" : "\\u2029");
            run = i;
            continue;
        }
        sr_buf_append(out, s + run, i - run);
        switch (c) {
        case '"': sr_buf_append(out, "\\\"", 2); break;
        case '\\': sr_buf_append(out, "\\\\", 2); break;
        case '\n': sr_buf_append(out, "\\n", 2); break;
        case '\t': sr_buf_append(out, "\\t", 2); break;
        case '\r': sr_buf_append(out, "\\r", 2); break;
        case '\b': sr_buf_append(out, "\\b", 2); break;
        case '\f': sr_buf_append(out, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sr_buf_append(out, u, 6);
        }
        }
        run = ++i;
    }
    sr_buf_append(out, s + run, n - run);
}

void sr_json_key(sr_json *j, const char *key)
{
    before_value(j);
    sr_buf_putc(j->out, '"');
    sr_json_escape(j->out, key, strlen(key));
    sr_buf_append(j->out, "\":", 2);
    j->after_key = true;
}

void sr_json_stringn(sr_json *j, const char *s, size_t n)
{
    before_value(j);
    sr_buf_putc(j->out, '"');
    sr_json_escape(j->out, s, n);
    sr_buf_putc(j->out, '"');
}

void sr_json_string(sr_json *j, const char *s)
{
    if (!s)
        sr_json_null(j);
    else
        sr_json_stringn(j, s, strlen(s));
}

void sr_json_int(sr_json *j, long long v)
{
    before_value(j);
    sr_buf_printf(j->out, "%lld", v);
}

void sr_json_double(sr_json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        sr_json_null(j);
        return;
    }
    before_value(j);
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    /* trim trailing zeros: 33.300000 -> 33.3, 2.000 -> 2 */
    if (decimals > 0 && memchr(tmp, '.', (size_t)n)) {
        while (n > 0 && tmp[n - 1] == '0')
            n--;
        if (n > 0 && tmp[n - 1] == '.')
            n--;
    }
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0')
        tmp[0] = '0', n = 1;
    sr_buf_append(j->out, tmp, (size_t)n);
}

void sr_json_bool(sr_json *j, bool v)
{
    before_value(j);
    sr_buf_puts(j->out, v ? "true" : "false");
}

void sr_json_null(sr_json *j)
{
    before_value(j);
    sr_buf_append(j->out, "null", 4);
}

void sr_json_raw(sr_json *j, const char *json, size_t n)
{
    before_value(j);
    sr_buf_append(j->out, json, n);
}

void sr_json_kv_string(sr_json *j, const char *key, const char *s)
{
    sr_json_key(j, key);
    sr_json_string(j, s);
}

void sr_json_kv_int(sr_json *j, const char *key, long long v)
{
    sr_json_key(j, key);
    sr_json_int(j, v);
}

void sr_json_kv_double(sr_json *j, const char *key, double v, int decimals)
{
    sr_json_key(j, key);
    sr_json_double(j, v, decimals);
}

void sr_json_kv_bool(sr_json *j, const char *key, bool v)
{
    sr_json_key(j, key);
    sr_json_bool(j, v);
}
