#!/usr/bin/env python3
"""Writes a WARC (or .warc.gz, one gzip member per record, as CC-NEWS ships
them) of HTTP responses from HTML pages, for the pipeline's tests and
benchmarks.

  make_warc.py OUT.warc[.gz] PAGE.html... [--copies N] [--bad-record K]

--copies N   writes each page N times with a distinct URL and a distinct
             sentence appended, so every copy is a new article
--bad-record K  makes the K-th record malformed (a Content-Length that
             overruns into the next record's header is replaced by junk)

OUT ending in "/" writes the pages (the copies made the same way) as files
of that directory instead, named so that they sort in the order written.
"""
import gzip, os, sys, uuid, datetime

def record(url, html, when):
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: " + str(len(html)).encode() + b"\r\n\r\n" + html)
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: %s\r\n"
            "WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (url, when, uuid.uuid4(), len(http))).encode()
    return head + http + b"\r\n\r\n"

def main(argv):
    out, pages, copies, bad = argv[0], [], 1, -1
    i = 1
    while i < len(argv):
        if argv[i] == "--copies": copies = int(argv[i + 1]); i += 2
        elif argv[i] == "--bad-record": bad = int(argv[i + 1]); i += 2
        else: pages.append(argv[i]); i += 1
    when = datetime.datetime(2014, 1, 4, 12, 0, 0)
    n = 0
    as_dir = out.endswith("/")
    if as_dir:
        os.makedirs(out, exist_ok=True)
    with open(os.devnull if as_dir else out, "wb") as f:
        for c in range(copies):
            for p in pages:
                html = open(p, "rb").read()
                if copies > 1:
                    extra = (" Officials said on update %d that %d families had been displaced.</p>"
                             % (c, 1000 + 37 * c)).encode()
                    body = html.find(b"<article")
                    end = html.find(b"</p>", body if body >= 0 else 0)
                    html = html[:end] + extra + html[end + 4:]
                    # each copy is its own article: no shared canonical URL
                    html = html.replace(b'rel="canonical"', b'rel="x-canonical"').replace(b'"og:url"', b'"og:x-url"')
                    html = html.replace(b'"url":', b'"x-url":').replace(b'"mainEntityOfPage"', b'"x-mainEntityOfPage"')
                if as_dir:
                    with open("%s%05d-%s" % (out, n, p.rsplit("/", 1)[-1]), "wb") as page:
                        page.write(html)
                    n += 1
                    continue
                url = "https://wire.example/%d/%s" % (c, p.rsplit("/", 1)[-1])
                rec = record(url, html, (when + datetime.timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ"))
                if n == bad:
                    rec = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banana\r\n\r\n" + rec[200:]
                f.write(gzip.compress(rec) if out.endswith(".gz") else rec)
                n += 1

main(sys.argv[1:])
