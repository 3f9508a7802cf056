/* News text for bench/code's speed figure: the English article bodies of
 * the HTML pages in a folder (pages directly in it, or <case>/source.html
 * as the readability test pages are laid out), extracted by sitrep's own
 * extractor at bench time. Kept apart from details.c: extract.h and
 * text.h each name their own date precision. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sitrep/extract.h"

#define MAX_PAGE (8u << 20)

size_t sr_bench_news_pages(const char *dir, sr_arena *mem, const char **doc, size_t *len, size_t n, size_t max);

static bool english_body(sr_extractor *ex, sr_arena *mem, const char *path, sr_article **a)
{
    char *html;
    size_t hl;
    if (sr_read_file(path, MAX_PAGE, &html, &hl)) return false;
    bool ok = sr_extract_html(ex, mem, html, hl, path, NULL, NULL, a) == SR_OK && (*a)->text_len &&
              (*a)->lang && strncasecmp((*a)->lang, "en", 2) == 0;
    free(html);
    return ok;
}

size_t sr_bench_news_pages(const char *dir, sr_arena *mem, const char **doc, size_t *len, size_t n, size_t max)
{
    DIR *d = opendir(dir);
    sr_extractor *ex = d ? sr_extractor_new(NULL) : NULL;
    struct dirent *de;
    char path[4096];
    while (ex && n < max && (de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        size_t nl = strlen(de->d_name);
        if (nl > 5 && strcmp(de->d_name + nl - 5, ".html") == 0)
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        else
            snprintf(path, sizeof path, "%s/%s/source.html", dir, de->d_name);
        sr_article *a;
        if (!english_body(ex, mem, path, &a)) continue;
        doc[n] = a->text;
        len[n++] = a->text_len;
    }
    sr_extractor_free(ex);
    if (d) closedir(d);
    return n;
}
