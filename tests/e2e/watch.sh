#!/usr/bin/env bash
# sitrep watch and sitrep sources end to end, against the project's fixture
# server on loopback serving feeds and pages of tests/fixtures/watch:
#  - sources add / list / remove round trip;
#  - a first `watch --once` stores every item; a malformed feed beside it is
#    reported on one line, the exit code is 1 and the good feed is read;
#  - polled again, the feed is asked for conditionally, answers 304, and
#    nothing is downloaded or stored twice;
#  - the feed gains an item: only that item is fetched (not even the item
#    whose link redirects, which is stored under another URL);
#  - the polling interval halves after news and grows after a 304, and a
#    Retry-After is honoured;
#  - a sitemap index is followed to its sitemaps' pages;
#  - SIGTERM in the middle of a fetch stops `watch` within seconds, exit 0,
#    the store intact; the next run fetches what was left, no duplicates;
#  - `serve --feeds` polls in a thread of its own and stops on SIGTERM.
set -uo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?"' ERR
set -e
source "$(dirname "$0")/lib/common.sh"
WORK=$(mktemp -d)
SERVER_PID=
WATCH_PID=
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill $SERVE_PID 2>/dev/null; [ -n "$WATCH_PID" ] && kill $WATCH_PID 2>/dev/null; [ -n "$SERVER_PID" ] && kill $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The sqlite3 shell when there is one: starting python costs seconds on a busy machine.
if command -v sqlite3 >/dev/null; then
  count() { sqlite3 "$1" "$2"; }
else
  count() {
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchone(); c.commit(); print(r[0] if r else '')" "$@"
  }
fi
# Requests the server logged after line $1, one JSON object a line.
requests_since() { tail -n +$(($1 + 1)) "$WORK/requests.log"; }
log_lines() { wc -l < "$WORK/requests.log"; }
# Article pages fetched (the last hop of a redirect counts, the first not).
pages_in() { grep -o '"path": "[^"]*"' "$1" | grep -v '"/redirect/[1-9]' | grep -o '/pages/[a-z]*\.html' | sort || true; }

cp -r "$SR_FIXTURES/watch" "$WORK/site"
: > "$WORK/requests.log"
python3 "$SR_SOURCE_DIR/tests/tools/fixture_server.py" --root "$WORK/site" --log "$WORK/requests.log" \
  --lifetime 300 > "$WORK/server.out" &
SERVER_PID=$!
for _ in $(seq 200); do grep -q '^PORT ' "$WORK/server.out" && break; sleep 0.05; done
PORT=$(sed -n 's/^PORT //p' "$WORK/server.out")
[ -n "$PORT" ] || fail "the fixture server did not start"
BASE="http://127.0.0.1:$PORT"
DB="$WORK/watch.db"
WATCH=("$SITREP" watch --db "$DB" --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" --allow-private
       --min-interval 1 --max-interval 1 --host-delay 0)
watch() { "${WATCH[@]}" "$@"; }

# ---- sources: add, list, remove. ----
S="$WORK/sources.db"
"$SITREP" sources add "$BASE/etag/world.xml" --name "Harbour Post" --country gb --db "$S" 2>"$WORK/err" \
  || fail "sources add: $(cat "$WORK/err")"
"$SITREP" sources add "$BASE/etag/world.xml" --db "$S" 2>"$WORK/err"
grep -q "already a source" "$WORK/err" || fail "adding twice: $(cat "$WORK/err")"
"$SITREP" sources list --db "$S" > "$WORK/list"
[ "$(wc -l < "$WORK/list")" = 1 ] || fail "one source expected: $(cat "$WORK/list")"
grep -qP "^\Q$BASE/etag/world.xml\E\tHarbour Post\tGB\t" "$WORK/list" || fail "list: $(cat "$WORK/list")"
"$SITREP" sources list --json --db "$S" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == 1 and rows[0]["name"] == "Harbour Post" and rows[0]["country"] == "GB", rows
assert rows[0]["next_poll"] is None and rows[0]["etag"] is None, rows' || fail "list --json"
"$SITREP" sources remove "$BASE/etag/world.xml" --db "$S" 2>/dev/null || fail "sources remove"
[ -z "$("$SITREP" sources list --db "$S")" ] || fail "the source is still listed after remove"
rc=0; "$SITREP" sources remove "$BASE/etag/world.xml" --db "$S" 2>"$WORK/err" || rc=$?
[ $rc = 1 ] && grep -q "no such source" "$WORK/err" || fail "removing an absent source: rc $rc, $(cat "$WORK/err")"
rc=0; "$SITREP" sources add ftp://example.org/feed --db "$S" 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "a non-http URL should be a usage error, got $rc"

# ---- first poll: a good feed and a malformed one. ----
printf '# the fixture feeds\n%s\n\n%s   # cut off in the middle\n' "$BASE/etag/world.xml" "$BASE/etag/broken.xml" \
  > "$WORK/feeds.txt"
mark=$(log_lines)
rc=0; watch --once --feeds "$WORK/feeds.txt" 2>"$WORK/log1" || rc=$?
[ $rc = 1 ] || fail "a malformed feed should make the exit code 1, got $rc: $(cat "$WORK/log1")"
[ "$(grep -c 'broken.xml' "$WORK/log1")" = 1 ] || fail "the malformed feed is not on exactly one line: $(cat "$WORK/log1")"
grep -q "^sitrep: $BASE/etag/broken.xml: line [0-9]*:" "$WORK/log1" || fail "no line number: $(cat "$WORK/log1")"
[ "$(count "$DB" 'select count(*) from articles')" = 3 ] || fail "3 articles expected: $(cat "$WORK/log1")"
grep -q "2 sources polled (0 not modified, 1 failed), 3 new items, 3 fetched, 3 articles stored" "$WORK/log1" \
  || fail "summary: $(cat "$WORK/log1")"
requests_since "$mark" > "$WORK/req1"
[ "$(pages_in "$WORK/req1" | tr '\n' ' ')" = "/pages/goma.html /pages/mosul.html /pages/nairobi.html " ] \
  || fail "pages fetched: $(cat "$WORK/req1")"
events=$(count "$DB" 'select count(*) from events')
[ "$events" -gt 0 ] || fail "no event coded from the feed's pages"

# ---- polled again: conditional, 304, nothing downloaded. ----
"$SITREP" sources remove "$BASE/etag/broken.xml" --db "$DB" 2>/dev/null
sleep 1.1  # the source is due again (--max-interval 1)
mark=$(log_lines)
watch --once 2>"$WORK/log2" || fail "second poll: $(cat "$WORK/log2")"
requests_since "$mark" > "$WORK/req2"
[ "$(wc -l < "$WORK/req2")" = 1 ] || fail "only the feed should be asked for: $(cat "$WORK/req2")"
grep '"path": "/etag/world.xml"' "$WORK/req2" | grep -q '"if_none_match": "\\"' || fail "not a conditional request: $(cat "$WORK/req2")"
grep -q "1 sources polled (1 not modified, 0 failed), 0 new items, 0 fetched" "$WORK/log2" \
  || fail "summary: $(cat "$WORK/log2")"
[ "$(count "$DB" 'select count(*) from articles')" = 3 ] || fail "articles changed on a 304"
[ "$(count "$DB" 'select count(*) from events')" = "$events" ] || fail "events changed on a 304"

# ---- the feed gains an item: only that one is fetched. ----
cp "$WORK/site/world-later.xml" "$WORK/site/world.xml"
touch -d '+2 seconds' "$WORK/site/world.xml"
sleep 1.1
mark=$(log_lines)
watch --once 2>"$WORK/log3" || fail "third poll: $(cat "$WORK/log3")"
requests_since "$mark" > "$WORK/req3"
[ "$(pages_in "$WORK/req3" | tr '\n' ' ')" = "/pages/dhaka.html " ] \
  || fail "only the new item should be fetched: $(cat "$WORK/req3")"
[ "$(count "$DB" 'select count(*) from articles')" = 4 ] || fail "4 articles expected: $(cat "$WORK/log3")"
grep -q "1 new items, 1 fetched, 1 articles stored" "$WORK/log3" || fail "summary: $(cat "$WORK/log3")"

# ---- the interval adapts: halves after news, grows by half after a 304; Retry-After is honoured. ----
R="$WORK/interval.db"
adaptive=("${WATCH[@]}" --db "$R" --once -q --min-interval 10 --max-interval 100)
interval() { count "$R" "select interval || ' ' || (next_poll - last_polled) from sources where url = '$1'"; }
"$SITREP" sources add "$BASE/etag/world.xml" --db "$R" 2>/dev/null
count "$R" "update sources set interval = 40" >/dev/null
"${adaptive[@]}" 2>"$WORK/log6" || fail "$(cat "$WORK/log6")"
[ "$(interval "$BASE/etag/world.xml")" = "20 20" ] || fail "after new items: $(interval "$BASE/etag/world.xml"), want 20 20"
count "$R" "update sources set next_poll = 0" >/dev/null
"${adaptive[@]}" 2>"$WORK/log6" || fail "$(cat "$WORK/log6")"
grep -q "(1 not modified" "$WORK/log6" || fail "not a 304: $(cat "$WORK/log6")"
[ "$(interval "$BASE/etag/world.xml")" = "30 30" ] || fail "after a 304: $(interval "$BASE/etag/world.xml"), want 30 30"
"$SITREP" sources add "$BASE/retry-after/600/world.xml" --db "$R" 2>/dev/null
count "$R" "update sources set interval = 40 where url like '%/retry-after/%'" >/dev/null
rc=0; "${adaptive[@]}" 2>"$WORK/log6" || rc=$?
[ $rc = 1 ] || fail "a 429 should make the exit code 1, got $rc: $(cat "$WORK/log6")"
grep -q "retry-after/600/world.xml: .*429" "$WORK/log6" || fail "the 429 is not reported: $(cat "$WORK/log6")"
[ "$(interval "$BASE/retry-after/600/world.xml")" = "80 600" ] \
  || fail "after a 429 with Retry-After 600: $(interval "$BASE/retry-after/600/world.xml"), want 80 600"

# ---- a sitemap index: its sitemaps' pages are read like a feed's items. ----
M="$WORK/sitemap.db"
"$SITREP" sources add "$BASE/sitemap-index.xml" --db "$M" 2>/dev/null
"${WATCH[@]}" --db "$M" --once -q 2>"$WORK/log8" || fail "sitemap index: $(cat "$WORK/log8")"
[ "$(count "$M" 'select count(*) from articles')" = 3 ] || fail "3 pages in the index's sitemaps: $(cat "$WORK/log8")"

# ---- SIGTERM in the middle of a slow item; the next run picks up the rest. ----
"$SITREP" sources add "$BASE/slow.xml" --db "$DB" 2>/dev/null
sleep 1.1
mark=$(log_lines)
"${WATCH[@]}" -q 2>"$WORK/log4" &
WATCH_PID=$!
for _ in $(seq 600); do
  requests_since "$mark" | grep -q '"/slow/[^"]*/pages/' && break
  kill -0 $WATCH_PID 2>/dev/null || fail "watch ended by itself: $(cat "$WORK/log4")"
  sleep 0.02
done
requests_since "$mark" | grep -q '"/slow/[^"]*/pages/' \
  || fail "watch never fetched the slow items: $(cat "$WORK/log4")"
start=$(date +%s.%N)
kill -TERM $WATCH_PID
rc=0; wait $WATCH_PID || rc=$?
WATCH_PID=
took=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
[ $rc = 0 ] || fail "watch stopped by SIGTERM exited $rc: $(cat "$WORK/log4")"
python3 -c "import sys; sys.exit(float(sys.argv[1]) > 5)" "$took" || fail "SIGTERM took $took s to stop watch"
grep -q "stopped by a signal" "$WORK/log4" && grep -q "sources polled" "$WORK/log4" \
  || fail "no summary after SIGTERM: $(cat "$WORK/log4")"
[ "$(count "$DB" 'pragma integrity_check')" = ok ] || fail "corrupt store after SIGTERM"
partial=$(count "$DB" 'select count(*) from articles')
[ "$partial" -lt 6 ] || fail "every slow item was read before SIGTERM took effect; it did not stop in time"
watch --once -q 2>"$WORK/log5" || fail "the run after SIGTERM: $(cat "$WORK/log5")"
[ "$(count "$DB" 'select count(*) from articles')" = 6 ] || fail "6 articles expected after resuming: $(cat "$WORK/log5")"
[ "$(count "$DB" 'select count(distinct url_norm) from articles')" = 6 ] || fail "duplicate articles"

# ---- serve polls too: --feeds adds a JSON feed, its new item is stored while serving. ----
echo "$BASE/etag/africa.json" > "$WORK/serve-feeds.txt"
SITREP_GAZETTEER="$GAZ" "$SITREP" serve --db "$DB" --listen 127.0.0.1:0 --vapid-key "$WORK/vapid.pem" \
  --feeds "$WORK/serve-feeds.txt" --allow-private 2>"$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 600); do
  [ "$(count "$DB" 'select count(*) from articles')" = 7 ] && break
  kill -0 $SERVE_PID 2>/dev/null || fail "serve ended: $(cat "$WORK/serve.log")"
  sleep 0.05
done
[ "$(count "$DB" 'select count(*) from articles')" = 7 ] || fail "serve did not poll the new feed: $(cat "$WORK/serve.log")"
grep -q "polling 3 sources" "$WORK/serve.log" || fail "serve does not say it polls: $(cat "$WORK/serve.log")"
kill -TERM $SERVE_PID
rc=0; wait $SERVE_PID || rc=$?
SERVE_PID=
[ $rc = 0 ] || fail "serve stopped by SIGTERM exited $rc: $(cat "$WORK/serve.log")"
grep -q "watch stopped: .* 1 articles stored" "$WORK/serve.log" || fail "no watch summary from serve: $(cat "$WORK/serve.log")"
[ "$(count "$DB" 'pragma integrity_check')" = ok ] || fail "corrupt store after serve"
echo "watch: all checks passed (SIGTERM stopped it in $took s with $partial of 6 articles in)"
