#!/usr/bin/env bash
# sitrep ingest over HTTP, against the project's fixture server on loopback:
# a feed's items are fetched (through ETag, gzip and redirect paths), one
# that fails is reported and the rest stored; a sitemap index leads through
# its sitemap to the pages; a loopback URL is refused unless --allow-private;
# requests to one host keep the politeness delay.
set -uo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?"' ERR
set -e
source "$(dirname "$0")/lib/common.sh"
command -v python3 >/dev/null || { echo "SKIP: no python3 for the fixture server"; exit 77; }
WORK=$(mktemp -d)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ingest() { "$SITREP" ingest --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" -q "$@"; }

mkdir "$WORK/site"
cp "$SR_SOURCE_DIR"/data/examples/*.html "$WORK/site/"
python3 "$SR_SOURCE_DIR/tests/tools/fixture_server.py" --root "$WORK/site" --log "$WORK/requests.log" \
  --lifetime 120 >"$WORK/port" &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(sed -n 's/^PORT //p' "$WORK/port")
[ -n "$PORT" ] || fail "the fixture server did not start"
BASE="http://127.0.0.1:$PORT"

cat >"$WORK/site/feed.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Fixture wire</title><link>$BASE/</link>
<item><title>One</title><link>$BASE/etag/anbar-fighting.html</link></item>
<item><title>Two</title><link>$BASE/gzip/hama-shelling.html</link></item>
<item><title>Three</title><link>$BASE/redirect/2/lagos-flood.html</link></item>
<item><title>Gone</title><link>$BASE/status/404</link></item>
</channel></rss>
XML
cat >"$WORK/site/index.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>$BASE/pages.xml</loc></sitemap>
</sitemapindex>
XML
cat >"$WORK/site/pages.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>$BASE/anbar-fighting.html</loc></url>
<url><loc>$BASE/hama-shelling.html</loc></url>
<url><loc>$BASE/lagos-flood.html</loc></url>
</urlset>
XML

# A feed: three pages stored, the 404 reported on its own line, exit 1.
rc=0; ingest --db "$WORK/feed.db" --allow-private "$BASE/feed.xml" 2>"$WORK/log" || rc=$?
[ $rc = 1 ] || fail "a failed item should make the exit code 1, got $rc: $(cat "$WORK/log")"
grep -q "^sitrep: $BASE/status/404: HTTP status 404$" "$WORK/log" || fail "404 not reported: $(cat "$WORK/log")"
[ "$(count "$WORK/feed.db" 'select count(*) from articles')" = 3 ] || fail "feed: articles != 3: $(cat "$WORK/log")"
grep -q "1 failed" "$WORK/log" || fail "summary: $(cat "$WORK/log")"

# One host, default politeness: its requests start at least a second apart.
python3 - "$WORK/requests.log" <<'PY' || fail "politeness delay not kept"
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1])]
# redirect hops follow inside one request; every request starts a second
# after the one before it (arrival times: a little slack for a busy machine)
t = [h["t"] for h in hits if not h["path"].startswith(("/redirect/1/", "/redirect/0/"))]
gaps = [b - a for a, b in zip(t, t[1:])]
if len(gaps) != 4 or min(gaps) < 0.9:
    sys.exit("gaps between requests: %s" % ["%.2f" % g for g in gaps])
PY

# A sitemap index: through its sitemap to the pages.
ingest --db "$WORK/map.db" --allow-private "$BASE/index.xml" 2>"$WORK/log" || fail "sitemap index: $(cat "$WORK/log")"
[ "$(count "$WORK/map.db" 'select count(*) from articles')" = 3 ] || fail "sitemap: articles != 3: $(cat "$WORK/log")"

# --max-pages still caps each feed.
ingest --db "$WORK/max.db" --allow-private --max-pages 1 "$BASE/feed.xml" 2>"$WORK/log" || fail "max-pages: $(cat "$WORK/log")"
[ "$(count "$WORK/max.db" 'select count(*) from articles')" = 1 ] || fail "--max-pages 1 stored more than one"

# Loopback without --allow-private: refused, named, nothing asked.
before=$(wc -l <"$WORK/requests.log")
rc=0; ingest --db "$WORK/refused.db" "$BASE/feed.xml" 2>"$WORK/log" || rc=$?
[ $rc = 1 ] || fail "a refused URL should make the exit code 1, got $rc"
grep -q "^sitrep: $BASE/feed.xml: refused: 127.0.0.1 is a private address (use --allow-private to allow it)$" \
  "$WORK/log" || fail "refusal: $(cat "$WORK/log")"
[ "$(wc -l <"$WORK/requests.log")" = "$before" ] || fail "a refused request reached the server"

# A local feed file whose items are on loopback: each item refused by the fetcher.
sed "s#$BASE#http://localhost:$PORT#g" "$WORK/site/feed.xml" >"$WORK/local-feed.xml"
rc=0; ingest --db "$WORK/refused2.db" "$WORK/local-feed.xml" 2>"$WORK/log" || rc=$?
[ $rc = 1 ] || fail "refused items should make the exit code 1, got $rc"
[ "$(grep -c "is a private address (use --allow-private to allow it)$" "$WORK/log")" = 4 ] \
  || fail "each item should be refused: $(cat "$WORK/log")"
# sitrep extract goes through the same guard: refused by default, fetched with --allow-private.
page=$(basename "$(ls "$WORK"/site/*.html | head -1)")
before=$(wc -l <"$WORK/requests.log")
rc=0; "$SITREP" extract "$BASE/$page" >"$WORK/out" 2>"$WORK/log" || rc=$?
[ $rc = 1 ] || fail "extract of a loopback URL should exit 1, got $rc"
grep -q "refused: 127.0.0.1 is a private address" "$WORK/log" || fail "extract refusal: $(cat "$WORK/log")"
[ "$(wc -l <"$WORK/requests.log")" = "$before" ] || fail "a refused extract reached the server"
"$SITREP" extract --allow-private "$BASE/$page" >"$WORK/out" 2>"$WORK/log" || fail "extract --allow-private: $(cat "$WORK/log")"
grep -q '"title":"' "$WORK/out" || fail "extract --allow-private gave no article: $(head -c 300 "$WORK/out")"
echo "fetch: all checks passed"
