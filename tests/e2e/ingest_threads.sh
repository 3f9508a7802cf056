#!/usr/bin/env bash
# sitrep ingest --threads: pages read side by side leave exactly the store one
# thread leaves (same articles with the same ids, the same stories, events,
# merges and supporting articles, the same export), report the same failed
# pages, and SIGINT still stops cleanly with what was read committed.
set -uo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?"' ERR
set -e
source "$(dirname "$0")/lib/common.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ingest() { "$SITREP" ingest --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
EXAMPLES="$SR_SOURCE_DIR/data/examples"

# Copies of the example reports (near-duplicates: stories and merged events),
# each original twice (exact duplicates), the extract fixtures (pages that
# fail, in several encodings), all in one run.
python3 "$SR_SOURCE_DIR/tests/tools/make_warc.py" "$WORK/news.warc.gz" "$EXAMPLES"/*.html --copies 25
# A WARC of pages that fail among pages that do, with a malformed record
# among them: its line comes in its place among the pages' lines.
python3 "$SR_SOURCE_DIR/tests/tools/make_warc.py" "$WORK/mixed.warc.gz" "$EXAMPLES"/*.html \
  "$SR_FIXTURES"/extract/*.html --copies 2 --bad-record 9
mkdir "$WORK/pages"
cp "$EXAMPLES"/*.html "$SR_FIXTURES"/extract/*.html "$WORK/pages/"
mkdir "$WORK/again" && cp "$EXAMPLES"/*.html "$WORK/again/"

# The store as a list of rows that do not depend on the clock.
dump() {
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for q in ("select id, url, url_norm, title, published, content_hash, simhash, story_id from articles order by id",
          "select id, title, num_articles, num_events from stories order by id",
          "select id, seq, story_id, date, actor1_code, actor2_code, cameo, acled_type, place_name, lat, lon,"
          " article_id, sentence, num_articles from events order by id",
          "select event_id, article_id, sentence, sent_start, sent_end from event_articles order by 1, 2",
          "select rowid from articles_fts where articles_fts match 'killed' order by rowid"):
    for row in db.execute(q):
        print(repr(row))
PY
}

for t in 1 2 3; do
  rc=0
  ingest --db "$WORK/t$t.db" --threads $t -q "$WORK/news.warc.gz" "$WORK/mixed.warc.gz" "$WORK/pages" "$WORK/again" \
    2>"$WORK/t$t.log" || rc=$?
  [ $rc = 1 ] || fail "--threads $t: pages without an article should make the exit code 1, got $rc: $(cat "$WORK/t$t.log")"
  dump "$WORK/t$t.db" >"$WORK/t$t.rows"
  "$SITREP" export --db "$WORK/t$t.db" --format jsonl | sed -E 's/"(added|updated)":"[^"]*"//g' >"$WORK/t$t.jsonl"
  grep '^sitrep: ' "$WORK/t$t.log" >"$WORK/t$t.errors" || true
  sed -nE 's/^(sitrep ingest: .* failed) in .*/\1/p' "$WORK/t$t.log" >"$WORK/t$t.summary"
done
[ "$(count "$WORK/t1.db" 'select count(*) from events where num_articles > 1')" -gt 0 ] || fail "no merged event: the fixture does not test merging"
[ "$(count "$WORK/t1.db" 'select count(*) from stories where num_articles > 1')" -gt 0 ] || fail "no story of several articles"
[ -s "$WORK/t1.errors" ] || fail "no failed page: the fixture does not test failures"
# The mixed WARC's lines, pages and the bad record alike, in file order.
grep -Eo 'mixed\.warc\.gz(@| record at offset |: record at offset )[0-9]+' "$WORK/t1.errors" | grep -Eo '[0-9]+$' >"$WORK/offsets"
grep -q 'mixed.warc.gz: record at offset' "$WORK/t1.errors" || fail "the malformed record was not reported: $(cat "$WORK/t1.errors")"
[ "$(wc -l <"$WORK/offsets")" -ge 3 ] || fail "too few lines from the mixed WARC: $(cat "$WORK/t1.errors")"
sort -n -c "$WORK/offsets" 2>/dev/null || fail "the mixed WARC's lines are out of file order: $(grep mixed "$WORK/t1.errors")"
grep -Eq " [1-9][0-9]* duplicates" "$WORK/t1.summary" || fail "no duplicate: the fixture does not test them: $(cat "$WORK/t1.summary")"
for t in 2 3; do
  cmp -s "$WORK/t1.rows" "$WORK/t$t.rows" || fail "--threads $t stores other rows than --threads 1: $(diff "$WORK/t1.rows" "$WORK/t$t.rows" | head -5)"
  cmp -s "$WORK/t1.jsonl" "$WORK/t$t.jsonl" || fail "--threads $t exports other events than --threads 1"
  cmp -s "$WORK/t1.errors" "$WORK/t$t.errors" || fail "--threads $t reports other failures: $(diff "$WORK/t1.errors" "$WORK/t$t.errors")"
  cmp -s "$WORK/t1.summary" "$WORK/t$t.summary" || fail "--threads $t summary: $(cat "$WORK/t$t.summary") vs $(cat "$WORK/t1.summary")"
done

# A short ring of recent articles (--recent): workers look for a page's
# story among the articles stored by the time they analyse it, and the
# writer among those stored since; with 2 or 40 recent articles what a
# worker found has often left the ring by then. With 2, the last copy of a
# story has always left it (three stories take turns), so one thread
# starts a new story each time; trusting what a worker found would not.
# The stories must be the ones the writer alone finds with one thread.
python3 "$SR_SOURCE_DIR/tests/tools/make_warc.py" "$WORK/copies/" "$EXAMPLES"/*.html --copies 60
for n in 2 40; do
  for t in 1 2; do
    ingest --db "$WORK/r$n-$t.db" --threads $t --recent $n -q "$WORK/copies" 2>"$WORK/r$n-$t.log" \
      || fail "--recent $n --threads $t: $(cat "$WORK/r$n-$t.log")"
    dump "$WORK/r$n-$t.db" >"$WORK/r$n-$t.rows"
  done
  [ "$(count "$WORK/r$n-1.db" 'select count(*) from articles')" -ge 100 ] || fail "--recent $n: too few articles stored"
  [ "$(count "$WORK/r$n-1.db" 'select count(*) from stories where num_articles > 1')" -gt 0 ] || fail "--recent $n: no story of several articles"
  cmp -s "$WORK/r$n-1.rows" "$WORK/r$n-2.rows" || fail "--recent $n: --threads 2 stores other stories than --threads 1: $(diff "$WORK/r$n-1.rows" "$WORK/r$n-2.rows" | head -5)"
done
rc=0; ingest --db "$WORK/x.db" --recent 0 "$EXAMPLES" 2>"$WORK/log" || rc=$?
[ $rc = 2 ] || fail "--recent 0 should be a usage error, got $rc"

# A bad --threads is a usage error.
rc=0; ingest --db "$WORK/x.db" --threads lots "$EXAMPLES" 2>"$WORK/log" || rc=$?
[ $rc = 2 ] || fail "--threads lots should be a usage error, got $rc"

# SIGINT in the middle of a threaded run: it stops, commits what it read, and
# a second run completes the store to what one clean run leaves.
python3 "$SR_SOURCE_DIR/tests/tools/make_warc.py" "$WORK/big.warc.gz" "$EXAMPLES"/*.html --copies 2000
# (sitrep itself, not a function: $! must be its pid)
"$SITREP" ingest --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" --db "$WORK/int.db" --threads 2 -q \
  "$WORK/big.warc.gz" 2>"$WORK/int.log" &
pid=$!
for _ in $(seq 300); do
  [ -f "$WORK/int.db" ] && [ "$(count "$WORK/int.db" 'select count(*) from articles' 2>/dev/null || echo 0)" -gt 0 ] && break
  sleep 0.02
done
kill -INT $pid || fail "the run ended before it could be interrupted; make the input bigger"
rc=0; wait $pid || rc=$?
[ $rc = 1 ] || fail "an interrupted run should exit 1, got $rc: $(cat "$WORK/int.log")"
grep -q "stopped by a signal" "$WORK/int.log" || fail "no word of the signal: $(cat "$WORK/int.log")"
partial=$(count "$WORK/int.db" "select count(*) from articles")
stored=$(sed -nE 's/^sitrep ingest: [0-9]+ pages read, ([0-9]+) articles stored.*/\1/p' "$WORK/int.log")
[ "$partial" -gt 0 ] && [ "$partial" -lt 6000 ] || fail "interrupted after $partial articles"
[ "$stored" = "$partial" ] || fail "the summary says $stored articles stored, the store has $partial: not all that was read was committed"
[ "$(count "$WORK/int.db" 'pragma integrity_check')" = ok ] || fail "corrupt store after SIGINT"
ingest --db "$WORK/int.db" --threads 2 -q "$WORK/big.warc.gz" 2>"$WORK/rerun.log" || fail "re-run: $(cat "$WORK/rerun.log")"
ingest --db "$WORK/clean.db" --threads 1 -q "$WORK/big.warc.gz" 2>"$WORK/clean.log" || fail "clean run: $(cat "$WORK/clean.log")"
for q in 'select count(*) from articles' 'select count(*) from events' 'select count(*) from stories' \
         'select count(*) from event_articles'; do
  a=$(count "$WORK/clean.db" "$q"); b=$(count "$WORK/int.db" "$q")
  [ "$a" = "$b" ] || fail "after SIGINT ($partial articles in) and a re-run, '$q' gives $b, a clean run $a"
done
echo "ingest --threads: 1, 2 and 3 threads store the same; SIGINT after $partial articles committed them"
