/* Static files of the web page. A request can never leave the web root:
 * ".." segments are refused outright, and the resolved path (symlinks
 * followed) must still lie inside the root. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http_internal.h"

#define STATIC_MAX_FILE (64 * 1024 * 1024)

static const char *content_type_of(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
        {".jpg", "image/jpeg"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static bool path_is_safe(const char *p)
{
    if (p[0] != '/' || strchr(p, '\\'))
        return false;
    for (const char *s = p; *s; s++) {
        if (*s == '/' && s[1] == '.' && (s[2] == '.' || s[2] == '/' || s[2] == 0))
            return false;
        if ((unsigned char)*s < 0x20)
            return false;
    }
    return true;
}

static enum MHD_Result not_found(sr_http_server *s, struct MHD_Connection *c)
{
    sr_http_response res = {0};
    sr_buf_init(&res.body, 4096);
    sr_buf_init(&res.headers, 1024);
    sr_http_error(&res, 404, "not found");
    return sr_http_queue(s, c, &res);
}

/* The mount with the longest prefix of path, or NULL. */
static const struct sr_http_mount_point *mount_for(const sr_http_server *s, const char *path)
{
    const struct sr_http_mount_point *best = NULL;
    size_t best_len = 0;
    for (int i = 0; i < s->n_mounts; i++) {
        size_t n = strlen(s->mounts[i].prefix);
        if (n > best_len && strncmp(path, s->mounts[i].prefix, n) == 0) {
            best = &s->mounts[i];
            best_len = n;
        }
    }
    return best;
}

enum MHD_Result sr_http_serve_static(sr_http_server *s, sr_http_request *req)
{
    const char *path = req->path;
    const struct sr_http_mount_point *m = mount_for(s, path);
    if (!m || !path_is_safe(path))
        return not_found(s, req->conn);
    const char *rest = path + strlen(m->prefix) - 1;  /* keeps the leading '/' */
    char want[PATH_MAX], real[PATH_MAX];
    int n = snprintf(want, sizeof want, "%s%s%s", m->root, rest,
                     rest[strlen(rest) - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof want || !realpath(want, real))
        return not_found(s, req->conn);
    size_t root_len = strlen(m->root);
    if (strncmp(real, m->root, root_len) != 0 || real[root_len] != '/')
        return not_found(s, req->conn);
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return not_found(s, req->conn);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > STATIC_MAX_FILE) {
        close(fd);
        return not_found(s, req->conn);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    sr_http_response meta = {.content_type = content_type_of(real)};
    sr_http_add_headers(r, &meta);
    /* The page changes with releases; let browsers revalidate rather than guess. */
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    atomic_fetch_add(&s->n_requests, 1);
    enum MHD_Result ok = MHD_queue_response(req->conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}
