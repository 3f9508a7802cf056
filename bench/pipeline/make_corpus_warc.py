#!/usr/bin/env python3
"""Writes a .warc.gz of the news pages in ../shared/corpora/extract (the
trafilatura evaluation pages under their real URLs, Readability's test pages
under made-up ones), one gzip member per record as CC-NEWS ships them, and
lists the page files in PAGES_LIST for `sitrep extract`.

  make_corpus_warc.py CORPORA_EXTRACT_DIR OUT.warc.gz PAGES_LIST [--copies N]

PAGES_LIST names the corpus files of the pages; with --copies, the copies
are written beside it (in PAGES_LIST.d/) and listed too, so `sitrep
extract` can read the very pages the WARC holds.

--copies N writes the pages N times; each copy after the first under its own
URL and with "Copy K." opening each of its paragraphs (<p>), so that the
copy is a new article, a reprint of the story as outlets reprint wire
copy, wherever the text has a paragraph: a larger input of distinct
articles, for the throughput on a few thousand pages and to show memory
staying flat. (Marking only the first or the longest <p> left a third of
the copies equal to their original: that <p> was not in the article.)
"""
import gzip, json, os, re, sys, uuid

def record(url, html):
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(html)).encode() + b"\r\n\r\n" + html)
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            "WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (url, uuid.uuid4(), len(http))).encode()
    return head + http + b"\r\n\r\n"

root, out, listing = sys.argv[1:4]
copies = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--copies" else 1
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
para = re.compile(rb"<p(\s[^>]*)?>", re.I)
with open(out, "wb") as f, open(listing, "w") as l:
    for k in range(copies):
        for url, path in pages:
            html = open(path, "rb").read()
            if k:
                url = url.split("#")[0] + ("&" if "?" in url else "?") + "copy=%d" % k
                html = para.sub(lambda m: m.group(0) + b"Copy %d. " % k, html)
            f.write(gzip.compress(record(url, html), 6))
            if k and listing != "/dev/null":
                os.makedirs(listing + ".d", exist_ok=True)
                path = os.path.join(listing + ".d", "%d-%s" % (k, path.replace(os.sep, "_")))
                open(path, "wb").write(html)
            l.write(path + "\n")
print(len(pages) * copies)
