#!/usr/bin/env bash
# bench/pipeline: the whole chain (extract + stories + geo + code + store) on
# the news pages of ../shared/corpora/extract packed as a CC-NEWS-style
# .warc.gz, into a fresh SQLite store, with --threads 1 and --threads 2, in
# the same run as what bounds it:
#   - libxml2's bare parse of the same pages on one and on two threads
#     (bench_floor), with glibc's malloc and with the per-thread region
#     sitrep's extractor gives libxml2 (what ingest ran on before sitrep
#     read HTML itself);
#   - sitrep's own HTML reader (lib/extract/html.c), which ingest uses,
#     building the same tree in the same region, on one and on two threads
#     (bench_floor own1/own2): the two-thread figure bounds ingest on two
#     cores;
#   - sr_extract_html alone in one thread (bench_floor), and `sitrep extract`
#     alone on one core (a process per 1,000 or so pages, JSON out);
#   - peak RSS at two input sizes (the pages once, and four times as distinct
#     articles): memory stays flat in the number of pages; and the minor page
#     faults of each run (memory given back and faulted in again shows here).
# Ingest runs are the best of two alternating rounds (the machine is shared).
#
#   bash bench/pipeline/bench_pipeline.sh            (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SITREP=$BUILD/src/sitrep
FLOOR=$BUILD/bench/pipeline/bench_floor
CORPORA=${SR_CORPORA:-../shared/corpora}
[ -d "$CORPORA/extract" ] || { echo "bench/pipeline: no $CORPORA/extract; nothing to measure"; exit 0; }
[ -x "$FLOOR" ] || { echo "bench/pipeline: build $FLOOR first (cmake --build $BUILD)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
n=$(python3 bench/pipeline/make_corpus_warc.py "$CORPORA/extract" "$WORK/news.warc.gz" "$WORK/pages.txt")
n4=$(python3 bench/pipeline/make_corpus_warc.py "$CORPORA/extract" "$WORK/news4.warc.gz" /dev/null --copies 4)
echo "input: $n pages, $(du -m "$WORK/news.warc.gz" | cut -f1) MB as .warc.gz; $n4 pages, $(du -m "$WORK/news4.warc.gz" | cut -f1) MB for the memory check"

peak() { awk '/Maximum resident/ {print $NF}' "$1"; }
faults() { awk '/Minor \(reclaiming/ {print $NF}' "$1"; }
secs() { awk '/Elapsed \(wall/ {split($NF,a,":"); print (length(a)==3 ? a[1]*3600+a[2]*60+a[3] : a[1]*60+a[2])}' "$1"; }
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$@"; }
rate() { echo "scale=1; $1 / $2" | bc; }

# ingest THREADS WARC NAME: a fresh store; keeps the faster of the runs so far
ingest() {
  local t=$1 warc=$2 name=$3
  rm -f "$WORK/$name".db*
  /usr/bin/time -v "$SITREP" ingest -q --threads "$t" --db "$WORK/$name.db" "$warc" 2>"$WORK/$name.run" || true
  local s; s=$(secs "$WORK/$name.run")
  if [ ! -f "$WORK/$name.best" ] || [ "$(echo "$s < $(secs "$WORK/$name.best")" | bc)" = 1 ]; then
    cp "$WORK/$name.run" "$WORK/$name.best"
  fi
}

"$FLOOR" "$WORK/pages.txt" >"$WORK/floor"
floor() { awk -v k="$1" '$1 == k {print $2}' "$WORK/floor"; }
xargs -a "$WORK/pages.txt" -d '\n' /usr/bin/time -v "$SITREP" extract >/dev/null 2>"$WORK/extract.time" || true
for round in 1 2; do
  ingest 1 "$WORK/news.warc.gz" t1
  ingest 2 "$WORK/news.warc.gz" t2
done
ingest 2 "$WORK/news4.warc.gz" t2x4

articles=$(count "$WORK/t1.db" 'select count(*) from articles')
events=$(count "$WORK/t1.db" 'select count(*) from events')
articles4=$(count "$WORK/t2x4.db" 'select count(*) from articles')
te=$(secs "$WORK/extract.time"); t1=$(secs "$WORK/t1.best"); t2=$(secs "$WORK/t2.best"); t4=$(secs "$WORK/t2x4.best")
a1=$(rate "$articles" "$t1"); a2=$(rate "$articles" "$t2")
grep '^sitrep ingest:' "$WORK/t2.best" || true
echo "libxml2 bare parse (floor):      $(floor bare1) pages/s on 1 thread, $(floor bare2) pages/s on 2 threads (glibc malloc)"
echo "  the same in sitrep's page region: $(floor region1) pages/s on 1 thread, $(floor region2) pages/s on 2 threads"
echo "sitrep's own HTML reader, same region: $(floor own1) pages/s on 1 thread, $(floor own2) pages/s on 2 threads" \
     "($(floor own1/region1)x and $(floor own2/region2)x libxml2's)"
echo "sr_extract_html alone, 1 thread: $(floor extract1) pages/s"
echo "sitrep extract alone, 1 core:    $(rate "$n" "$te") pages/s (process, JSON out), peak RSS $(peak "$WORK/extract.time") kB"
echo "sitrep ingest --threads 1:       $a1 articles/s ($articles articles, $events events of $n pages in $t1 s), peak RSS $(peak "$WORK/t1.best") kB, $(faults "$WORK/t1.best") page faults"
echo "sitrep ingest --threads 2:       $a2 articles/s ($t2 s), peak RSS $(peak "$WORK/t2.best") kB, $(faults "$WORK/t2.best") page faults"
echo "sitrep ingest --threads 2, x4:   $(rate "$articles4" "$t4") articles/s ($articles4 articles of $n4 pages in $t4 s), peak RSS $(peak "$WORK/t2x4.best") kB, $(faults "$WORK/t2x4.best") page faults"
echo "ratios: 2 threads / 1 thread $(echo "scale=2; $t1 / $t2" | bc); ingest on 2 threads / bare parse on 2 threads $(echo "scale=2; $a2 / $(floor bare2)" | bc) (/ in the region $(echo "scale=2; $a2 / $(floor region2)" | bc));" \
     "ingest on 2 threads / own reader's parse on 2 threads $(echo "scale=2; $a2 / $(floor own2)" | bc);" \
     "peak RSS x4 input / x1 input $(echo "scale=2; $(peak "$WORK/t2x4.best") / $(peak "$WORK/t2.best")" | bc)"
echo "target: 1,000 articles/s on 2 cores; parsing alone (sitrep's reader, 2 threads) bounds it at $(floor own2) pages/s"
