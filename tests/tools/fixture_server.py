#!/usr/bin/env python3
"""sitrep's fixture HTTP server for tests: files from a folder, plus the
awkward behaviours real news sites have, chosen by the path.

Binds 127.0.0.1 on a free port and prints "PORT <n>" as its first line.
Stops by itself after --lifetime seconds (default 120) and on SIGTERM, so a
test that dies never leaves it behind.

Paths (the behaviours nest: /slow/1/gzip/a.xml is a slow, gzipped a.xml):
  /<file>                  the file under --root (404 when missing)
  /etag/<rest>             <rest> with ETag and Last-Modified (the file's
                           mtime); 304 without a body when If-None-Match
                           matches, or when there is no If-None-Match and
                           If-Modified-Since is not older than the file
  /redirect/N/<rest>       N redirects (302), then <rest>
  /gzip/<rest>             <rest> with Content-Encoding: gzip
  /slow/S/<rest>           waits S seconds (a decimal), then <rest>
  /retry-after/S/<rest>    the first request of this exact path: 429 with
                           Retry-After: S (seconds); later ones: <rest>
  /retry-date/S/<rest>     the same with Retry-After as an HTTP-date S
                           seconds ahead
  /unavailable/S/<rest>    the same as /retry-after with 503
  /status/CODE             that status and a one-line body
  /big/N                   N bytes of text with a Content-Length
  /stream/N                N bytes without a Content-Length
  /headers                 the request's headers as a JSON object

--log FILE gets one JSON object a line per request as it arrives: t (Unix
time, seconds), method, path, host, if_none_match, if_modified_since,
user_agent, accept_encoding, client_port (the same port again: the
connection was reused); tests use it to see what was asked and when.
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import mimetypes
import os
import signal
import socketserver
import sys
import threading
import time

CHUNK = 65536


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1 so clients can keep connections open and reuse them.
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes; with Nagle on, the body
    # waits for the client's delayed ACK (40 ms a request on a kept-alive
    # connection)
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.record(self)
        path = self.path.split("?", 1)[0]
        try:
            self.route(path, {})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_HEAD(self):
        self.do_GET()

    # ---- routing --------------------------------------------------------

    def route(self, path, how):
        parts = path.lstrip("/").split("/", 2)
        head = parts[0]
        if head == "etag":
            return self.route("/" + "/".join(parts[1:]), dict(how, etag=True))
        if head == "gzip":
            return self.route("/" + "/".join(parts[1:]), dict(how, gzip=True))
        if head in ("redirect", "slow", "retry-after", "retry-date", "unavailable") and len(parts) >= 2:
            arg, rest = parts[1], "/" + (parts[2] if len(parts) > 2 else "")
            try:
                num = float(arg)
            except ValueError:
                return self.send(400, b"bad number in path\n")
            if head == "redirect":
                if num >= 1:
                    left = "/".join(p for p in (str(int(num) - 1), parts[2] if len(parts) > 2 else "") if p)
                    return self.send(302, b"", [("Location", "/redirect/" + left)])
                return self.route(rest, how)
            if head == "slow":
                time.sleep(num)
                return self.route(rest, how)
            if self.server.first_time(self.path):
                status = 503 if head == "unavailable" else 429
                if head == "retry-date":
                    value = email.utils.formatdate(time.time() + num, usegmt=True)
                else:
                    value = arg
                return self.send(status, b"come back later\n", [("Retry-After", value)])
            return self.route(rest, how)
        if head == "status" and len(parts) >= 2 and parts[1].isdigit():
            code = int(parts[1])
            return self.send(code, ("status %d\n" % code).encode(), [("Content-Type", "text/plain")])
        if head in ("big", "stream") and len(parts) >= 2 and parts[1].isdigit():
            return self.send_bytes(int(parts[1]), head == "big")
        if head == "headers":
            body = json.dumps(dict(self.headers.items()), indent=1).encode()
            return self.send(200, body, [("Content-Type", "application/json")], how)
        return self.send_file(path, how)

    # ---- answers --------------------------------------------------------

    def send_file(self, path, how):
        root = self.server.root
        full = os.path.realpath(os.path.join(root, path.lstrip("/")))
        if not (full == root or full.startswith(root + os.sep)) or not os.path.isfile(full):
            return self.send(404, b"not found\n", [("Content-Type", "text/plain")])
        with open(full, "rb") as f:
            body = f.read()
        ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith("xml") or ctype.endswith("json"):
            ctype += "; charset=utf-8"
        headers = [("Content-Type", ctype)]
        if how.get("etag"):
            mtime = int(os.stat(full).st_mtime)
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            headers += [("ETag", etag), ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
            if self.unchanged(etag, mtime):
                return self.send(304, b"", headers)
        return self.send(200, body, headers, how)

    def unchanged(self, etag, mtime):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or etag in tags or ("W/" + etag) in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return mtime <= since
        return False

    def send(self, status, body, headers=(), how=None):
        if how and how.get("gzip") and status == 200:
            body = gzip.compress(body)
            headers = list(headers) + [("Content-Encoding", "gzip")]
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    def send_bytes(self, n, with_length):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if with_length:
            self.send_header("Content-Length", str(n))
        else:
            # without a length the end of the body is the end of the connection
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        line = b"sitrep fixture bytes\n" * (CHUNK // 21 + 1)
        while n > 0:
            k = min(n, CHUNK)
            self.wfile.write(line[:k])
            n -= k


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root, log):
        super().__init__(("127.0.0.1", 0), Handler)
        self.root = os.path.realpath(root)
        self.log = open(log, "a", buffering=1) if log else None
        self.lock = threading.Lock()
        self.seen = set()

    def first_time(self, path):
        with self.lock:
            if path in self.seen:
                return False
            self.seen.add(path)
            return True

    def record(self, h):
        if not self.log:
            return
        entry = {
            "t": time.time(),
            "method": h.command,
            "path": h.path,
            "host": h.headers.get("Host"),
            "if_none_match": h.headers.get("If-None-Match"),
            "if_modified_since": h.headers.get("If-Modified-Since"),
            "user_agent": h.headers.get("User-Agent"),
            "accept_encoding": h.headers.get("Accept-Encoding"),
            "client_port": h.client_address[1],
        }
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")


def main():
    ap = argparse.ArgumentParser(description="sitrep's fixture HTTP server for tests")
    ap.add_argument("--root", default=".", help="folder whose files are served (default: .)")
    ap.add_argument("--lifetime", type=float, default=120, help="seconds before it stops by itself")
    ap.add_argument("--log", help="file to append one JSON line per request to")
    args = ap.parse_args()
    srv = Server(args.root, args.log)

    def stop(*_):
        # shutdown() waits for serve_forever(), which runs in this thread
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.lifetime, stop)
    timer.daemon = True
    timer.start()
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever(poll_interval=0.1)
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
