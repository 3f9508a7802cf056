#!/usr/bin/env bash
# SIGINT while `sitrep ingest` of a feed waits on slow pages: it stops within
# seconds (not when the transfers would have finished, 10 s later), says it
# was stopped, exits 1, and leaves an intact store; run again, it reads the
# pages it missed.
set -uo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?"' ERR
set -e
source "$(dirname "$0")/lib/common.sh"
WORK=$(mktemp -d)
SERVER_PID=
INGEST_PID=
trap '[ -n "$INGEST_PID" ] && kill $INGEST_PID 2>/dev/null; [ -n "$SERVER_PID" ] && kill $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$WORK/site"
cp -r "$SR_FIXTURES/watch/pages" "$WORK/site/pages"
# two pages that take 10 s each, and one that comes at once
cat > "$WORK/site/feed.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Slow desk</title>
<item><title>Kharkiv</title><link>/slow/10/pages/kharkiv.html</link></item>
<item><title>Sanaa</title><link>/slow/10/pages/sanaa.html</link></item>
<item><title>Mosul</title><link>/pages/mosul.html</link></item>
</channel></rss>
EOF
: > "$WORK/requests.log"
python3 "$SR_SOURCE_DIR/tests/tools/fixture_server.py" --root "$WORK/site" --log "$WORK/requests.log" \
  --lifetime 120 > "$WORK/server.out" &
SERVER_PID=$!
for _ in $(seq 200); do grep -q '^PORT ' "$WORK/server.out" && break; sleep 0.05; done
PORT=$(sed -n 's/^PORT //p' "$WORK/server.out")
[ -n "$PORT" ] || fail "the fixture server did not start"
DB="$WORK/cancel.db"
INGEST=("$SITREP" ingest --db "$DB" --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" --allow-private
        --host-delay 0 -q "http://127.0.0.1:$PORT/feed.xml")

# not through a function: a signal would reach only the subshell running it
"${INGEST[@]}" 2>"$WORK/log1" &
INGEST_PID=$!
for _ in $(seq 600); do
  grep -q '"/slow/10/pages/' "$WORK/requests.log" && break
  kill -0 $INGEST_PID 2>/dev/null || fail "ingest ended by itself: $(cat "$WORK/log1")"
  sleep 0.02
done
grep -q '"/slow/10/pages/' "$WORK/requests.log" || fail "ingest never asked for the slow pages: $(cat "$WORK/log1")"
sleep 0.3
start=$(date +%s.%N)
kill -INT $INGEST_PID
rc=0; wait $INGEST_PID || rc=$?
INGEST_PID=
took=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
python3 -c "import sys; sys.exit(float(sys.argv[1]) > 5)" "$took" || fail "SIGINT took $took s to stop ingest"
[ $rc = 1 ] || fail "ingest stopped by SIGINT exited $rc, not 1: $(cat "$WORK/log1")"
grep -q "stopped by a signal" "$WORK/log1" || fail "no word of the signal: $(cat "$WORK/log1")"
grep -q "^sitrep ingest: " "$WORK/log1" || fail "no summary after SIGINT: $(cat "$WORK/log1")"
[ "$(count "$DB" 'pragma integrity_check')" = ok ] || fail "corrupt store after SIGINT"
partial=$(count "$DB" 'select count(*) from articles')
[ "$partial" -lt 3 ] || fail "all three pages were stored before SIGINT took effect"

# the next run reads what was missed (the slow pages take their 10 s)
"${INGEST[@]}" 2>"$WORK/log2" || fail "the run after SIGINT: $(cat "$WORK/log2")"
[ "$(count "$DB" 'select count(*) from articles')" = 3 ] || fail "after a re-run the store has $(count "$DB" 'select count(*) from articles') articles, not 3"
echo "ingest: SIGINT stopped a feed's slow transfers in $took s ($partial of 3 pages stored); a re-run read the rest"
