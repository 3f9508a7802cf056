#!/usr/bin/env bash
# bench/pipeline/same_store.sh: does a change leave what ingest stores as it
# was? Ingests the bench WARC (the pages of ../shared/corpora/extract) with
# two builds of sitrep into fresh stores and compares every article, story
# and event row, leaving out only what differs from run to run (ingest
# times). The gazetteer is $SITREP_GAZETTEER, else build/gazetteer.bin
# of this tree, for both. Prints "same store" or the first differences, and exits 1 then.
#
#   bash bench/pipeline/same_store.sh BEFORE/sitrep AFTER/sitrep [THREADS]
#
# COPIES=4 in front compares on the bench's 4,480 pages (the corpus and
# three reprints of each) instead, where many more reports join stories.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SITREP_GAZETTEER=${SITREP_GAZETTEER:-$PWD/build/gazetteer.bin}
[ $# -ge 2 ] || { echo "usage: $0 BEFORE/sitrep AFTER/sitrep [THREADS]"; exit 2; }
CORPORA=${SR_CORPORA:-../shared/corpora}
[ -d "$CORPORA/extract" ] || { echo "same_store: no $CORPORA/extract; nothing to compare"; exit 0; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 bench/pipeline/make_corpus_warc.py "$CORPORA/extract" "$WORK/news.warc.gz" /dev/null --copies "${COPIES:-1}" >/dev/null
dump() {
  python3 - "$1" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
def rows(table, drop):
    cols = [r[1] for r in d.execute("pragma table_info(%s)" % table) if r[1] not in drop]
    for r in d.execute("select %s from %s order by 1" % (", ".join(cols), table)):
        print(table, repr(r))
rows("articles", {"fetched"})
rows("stories", {"first_seen", "last_seen"})
rows("events", {"added", "updated"})
rows("event_articles", {"added"})
PY
}
for k in 1 2; do
  bin=${!k}
  "$bin" ingest -q --threads "${3:-2}" --db "$WORK/$k.db" "$WORK/news.warc.gz" 2>/dev/null || true
  dump "$WORK/$k.db" >"$WORK/$k.txt"
done
if cmp -s "$WORK/1.txt" "$WORK/2.txt"; then
  echo "same store: $(grep -c '^articles ' "$WORK/1.txt") articles, $(grep -c '^events ' "$WORK/1.txt") events"
else
  echo "the stores differ:"
  diff "$WORK/1.txt" "$WORK/2.txt" | cut -c1-300 | head -20
  exit 1
fi
