#!/usr/bin/env bash
# sitrep ingest end to end: pages and a WARC into a fresh store; the same
# input again changes nothing; a malformed WARC record is reported with its
# offset and skipped; a SIGKILL in the middle of an ingest, then a second
# run, leaves exactly what one clean run leaves, and an intact database.
set -uo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?"' ERR
set -e
source "$(dirname "$0")/lib/common.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ingest() { "$SITREP" ingest --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
EXAMPLES="$SR_SOURCE_DIR/data/examples"

# Pages: every example page becomes an article; events are found and placed.
ingest --db "$WORK/a.db" "$EXAMPLES" 2>"$WORK/log" || fail "ingest of the examples: $(cat "$WORK/log")"
pages=$(ls "$EXAMPLES"/*.html | wc -l)
[ "$(count "$WORK/a.db" 'select count(*) from articles')" = "$pages" ] || fail "articles != pages"
[ "$(count "$WORK/a.db" 'select count(*) from events where lat is not null')" -gt 0 ] || fail "no placed event"
grep -q "$pages pages read, $pages articles stored" "$WORK/log" || fail "summary: $(cat "$WORK/log")"
grep -q " $(count "$WORK/a.db" 'select count(*) from events') events" "$WORK/log" || fail "the summary's event count is not the store's: $(cat "$WORK/log")"
# The same input again is a no-op.
before=$(count "$WORK/a.db" 'select count(*) from events')
ingest --db "$WORK/a.db" "$EXAMPLES" 2>"$WORK/log"
grep -q "0 articles stored, $pages duplicates" "$WORK/log" || fail "re-ingest: $(cat "$WORK/log")"
[ "$(count "$WORK/a.db" 'select count(*) from events')" = "$before" ] || fail "re-ingest added events"

# A WARC with a malformed record: reported with its offset, the rest read, exit 1.
python3 "$SR_SOURCE_DIR/tests/tools/make_warc.py" "$WORK/bad.warc.gz" "$EXAMPLES"/*.html --copies 3 --bad-record 4
rc=0; ingest --db "$WORK/b.db" "$WORK/bad.warc.gz" 2>"$WORK/log" || rc=$?
[ $rc = 1 ] || fail "a bad record should make the exit code 1, got $rc"
grep -q "bad.warc.gz: record at offset [0-9]*:" "$WORK/log" || fail "no offset in: $(cat "$WORK/log")"
grep -q "8 pages read" "$WORK/log" || fail "the other records were not read: $(cat "$WORK/log")"

# SIGKILL mid-run, then again: the same store as one clean run.
python3 "$SR_SOURCE_DIR/tests/tools/make_warc.py" "$WORK/big.warc.gz" "$EXAMPLES"/*.html --copies 1500 || fail "making the WARC"
ingest --db "$WORK/clean.db" -q "$WORK/big.warc.gz" 2>"$WORK/clean.log" || fail "clean run: $(cat "$WORK/clean.log")"
# sitrep itself, not through the function: $! must be sitrep's pid, or the
# kill would end only a subshell and leave sitrep running
"$SITREP" ingest --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" --db "$WORK/killed.db" -q \
  "$WORK/big.warc.gz" 2>/dev/null &
pid=$!
# kill it once it has committed something but before it is done
for _ in $(seq 200); do
  [ -f "$WORK/killed.db" ] && [ "$(count "$WORK/killed.db" 'select count(*) from articles' 2>/dev/null || echo 0)" -gt 0 ] && break
  sleep 0.02
done
kill -KILL $pid 2>/dev/null && killed=yes || killed=no
wait $pid 2>/dev/null || true
partial=$(count "$WORK/killed.db" "select count(*) from articles")
[ "$killed" = yes ] && [ "$partial" -lt "$(count "$WORK/clean.db" "select count(*) from articles")" ] || fail "the run ended before it could be killed; make the input bigger"
ingest --db "$WORK/killed.db" -q "$WORK/big.warc.gz" 2>"$WORK/rerun.log" || fail "re-run after SIGKILL: $(cat "$WORK/rerun.log")"
[ "$(count "$WORK/killed.db" 'pragma integrity_check')" = ok ] || fail "corrupt database after SIGKILL"
for q in 'select count(*) from articles' 'select count(distinct content_hash) from articles' \
         'select count(*) from events' 'select count(*) from stories'; do
  a=$(count "$WORK/clean.db" "$q"); b=$(count "$WORK/killed.db" "$q")
  [ "$a" = "$b" ] || fail "after SIGKILL ($partial articles in) and a re-run, '$q' gives $b, a clean run $a"
done
echo "ingest: all checks passed (killed after $partial articles)"
