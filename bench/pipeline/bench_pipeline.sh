#!/usr/bin/env bash
# bench/pipeline: the whole chain (extract + stories + geo + code + store) on
# the news pages of ../shared/corpora/extract packed as a CC-NEWS-style
# .warc.gz, into a fresh SQLite store, beside `sitrep extract` alone on the
# same pages in the same run.
#
#   bash bench/pipeline/bench_pipeline.sh            (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SITREP=$BUILD/src/sitrep
CORPORA=${SR_CORPORA:-../shared/corpora}
[ -d "$CORPORA/extract" ] || { echo "bench/pipeline: no $CORPORA/extract; nothing to measure"; exit 0; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
n=$(python3 bench/pipeline/make_corpus_warc.py "$CORPORA/extract" "$WORK/news.warc.gz" "$WORK/pages.txt")
mb=$(du -m "$WORK/news.warc.gz" | cut -f1)
echo "input: $n pages, $mb MB as .warc.gz"

peak() { awk '/Maximum resident/ {print $NF}' "$1"; }
secs() { awk '/Elapsed \(wall/ {split($NF,a,":"); print (length(a)==3 ? a[1]*3600+a[2]*60+a[3] : a[1]*60+a[2])}' "$1"; }

xargs -a "$WORK/pages.txt" -d '\n' /usr/bin/time -v "$SITREP" extract >/dev/null 2>"$WORK/extract.time" || true
/usr/bin/time -v "$SITREP" ingest -q --db "$WORK/s.db" "$WORK/news.warc.gz" 2>"$WORK/ingest.time" || true
grep '^sitrep ingest:' "$WORK/ingest.time" || true
te=$(secs "$WORK/extract.time"); ti=$(secs "$WORK/ingest.time")
articles=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from articles').fetchone()[0])" "$WORK/s.db")
events=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])" "$WORK/s.db")
echo "sitrep extract alone: $te s, $(echo "$n / $te" | bc) pages/s, peak RSS $(peak "$WORK/extract.time") kB"
echo "sitrep ingest (whole chain, one process): $ti s, $(echo "$articles / $ti" | bc) articles/s, $events events, peak RSS $(peak "$WORK/ingest.time") kB"
echo "ratio: the whole chain runs at $(echo "scale=2; $te / $ti" | bc) of extract's speed; target 1,000 articles/s on 2 cores"
