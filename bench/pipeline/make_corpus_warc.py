#!/usr/bin/env python3
"""Writes a .warc.gz of the news pages in ../shared/corpora/extract (the
trafilatura evaluation pages under their real URLs, Readability's test pages
under made-up ones), one gzip member per record as CC-NEWS ships them, and
lists the page files in PAGES_LIST for `sitrep extract`.

  make_corpus_warc.py CORPORA_EXTRACT_DIR OUT.warc.gz PAGES_LIST
"""
import gzip, json, os, sys, uuid

def record(url, html):
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(html)).encode() + b"\r\n\r\n" + html)
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            "WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (url, uuid.uuid4(), len(http))).encode()
    return head + http + b"\r\n\r\n"

root, out, listing = sys.argv[1:4]
tests = os.path.join(root, "trafilatura-eval", "tests")
pages = []
for url, item in json.load(open(os.path.join(tests, "evaldata.json"))).items():
    for sub in ("cache", "eval"):
        path = os.path.join(tests, sub, item["file"])
        if os.path.exists(path):
            pages.append((url, path))
            break
rt = os.path.join(root, "readability-test-pages")
for name in sorted(os.listdir(rt)):
    path = os.path.join(rt, name, "source.html")
    if os.path.exists(path):
        pages.append(("https://readability-test.example/%s/" % name, path))
with open(out, "wb") as f, open(listing, "w") as l:
    for url, path in pages:
        f.write(gzip.compress(record(url, open(path, "rb").read()), 6))
        l.write(path + "\n")
print(len(pages))
