/* Bounded growable buffer: every buffer has a hard maximum set when it is
 * created, so nothing read from outside can grow without bound. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "sitrep/util.h"

void sr_buf_init(sr_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max ? max : SIZE_MAX / 2;
}

void sr_buf_free(sr_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = SR_OK;
}

void sr_buf_reset(sr_buf *b)
{
    b->len = 0;
    b->failed = SR_OK;
    if (b->data)
        b->data[0] = 0;
}

static sr_err grow(sr_buf *b, size_t extra)
{
    if (b->failed)
        return b->failed;
    if (extra > b->max - b->len) {
        b->failed = SR_ETOOBIG;
        return b->failed;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return SR_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = SR_ENOMEM;
        return b->failed;
    }
    b->data = p;
    b->cap = cap;
    return SR_OK;
}

sr_err sr_buf_append(sr_buf *b, const void *p, size_t n)
{
    sr_err e = grow(b, n);
    if (e)
        return e;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return SR_OK;
}

sr_err sr_buf_puts(sr_buf *b, const char *s)
{
    return sr_buf_append(b, s, strlen(s));
}

sr_err sr_buf_putc(sr_buf *b, char c)
{
    if (!b->failed && b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = 0;
        return SR_OK;
    }
    return sr_buf_append(b, &c, 1);
}

sr_err sr_buf_vprintf(sr_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    sr_err e = n < 0 ? SR_EINVAL : grow(b, (size_t)n);
    if (!e) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return e;
}

sr_err sr_buf_printf(sr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sr_err e = sr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return e;
}

char *sr_buf_steal(sr_buf *b, size_t *len)
{
    if (!b->data) {
        if (grow(b, 0))
            return NULL;
        b->data[0] = 0;  /* an empty buffer is still a string */
    }
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
