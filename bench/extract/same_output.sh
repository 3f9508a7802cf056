#!/usr/bin/env bash
# bench/extract/same_output.sh: does a change to the extractor leave its
# output alone? Runs `sitrep extract` of two builds over every page of
# ../shared/corpora/extract and compares the JSON Lines and the messages;
# prints the number of pages whose output differs (0 is the answer a pure
# speed change must give) and the first differences.
#
#   git stash; cmake --build build -j2; cp build/src/sitrep /tmp/sitrep.before; git stash pop
#   cmake --build build -j2
#   bash bench/extract/same_output.sh /tmp/sitrep.before build/src/sitrep
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 SITREP_BEFORE SITREP_AFTER [CORPORA_DIR]" >&2; exit 2; }
before=$1 after=$2
cd "$(dirname "$0")/../.."
CORPORA=${3:-${SR_CORPORA:-../shared/corpora}}
[ -d "$CORPORA/extract" ] || { echo "same_output: no $CORPORA/extract; nothing to compare"; exit 0; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
find "$CORPORA/extract" -name '*.html' | sort > "$WORK/pages"
for side in before after; do
  bin=${!side}
  xargs -a "$WORK/pages" -d '\n' "$bin" extract > "$WORK/$side.jsonl" 2> "$WORK/$side.err" || true
done
pages=$(wc -l < "$WORK/pages")
differ=$(diff "$WORK/before.jsonl" "$WORK/after.jsonl" | grep -c '^>' || true)
msgs=$(diff "$WORK/before.err" "$WORK/after.err" | grep -c '^>' || true)
echo "pages $pages  outputs that differ $differ  messages that differ $msgs"
diff "$WORK/before.jsonl" "$WORK/after.jsonl" | cut -c1-300 | head -20 || true
[ "$differ" = 0 ] && [ "$msgs" = 0 ]
