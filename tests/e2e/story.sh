#!/usr/bin/env bash
# Stories across outlets: three outlets' own, differently worded reports of
# one bombing (far apart by SimHash) form one story and their events merge
# into one event that lists the three; a report from the same city a week
# later and one from elsewhere the same day each start their own. The same
# holds when the reports come in two runs (the signatures of the first are
# read back from the store) and with two threads.
set -uo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited $?"' ERR
set -e
source "$(dirname "$0")/lib/common.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
F="$SR_FIXTURES/story"
ingest() { "$SITREP" ingest -q --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
REPORTS=("$F/courier-kirkuk-bombing.html" "$F/gulf-kirkuk-blast.html" "$F/levant-kirkuk-attack.html")
OTHERS=("$F/courier-kirkuk-market.html" "$F/gulf-santiago-protest.html")

check() {
  python3 - "$1" <<'PY' || exit 1
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
story = dict((t, s) for (u, s) in db.execute("select url, story_id from articles") for t in [u.split("/")[-1]])
bomb = {story["kirkuk-police-bombing"], story["kirkuk-blast-police-headquarters"], story["fourteen-killed-kirkuk"]}
def fail(msg):
    print("FAIL: %s: %s (stories %s)" % (sys.argv[1], msg, story)); sys.exit(1)
if len(bomb) != 1:
    fail("the three reports of the bombing are not one story")
b = bomb.pop()
if story["kirkuk-grain-market"] == b:
    fail("a report from Kirkuk a week later joined the bombing's story")
if story["santiago-students-march"] == b:
    fail("a report from Santiago the same day joined the bombing's story")
if story["kirkuk-grain-market"] == story["santiago-students-march"]:
    fail("two unrelated reports share a story")
n = db.execute("select count(distinct article_id) from event_articles where event_id in"
               " (select id from events where story_id = ? and cameo_root = '19')"
               " group by event_id order by 1 desc limit 1", (b,)).fetchone()
if not n or n[0] != 3:
    fail("no attack event of the story lists the 3 reports (best: %s)" % (n,))
PY
}

ingest --db "$WORK/one.db" --threads 1 "${REPORTS[@]}" "${OTHERS[@]}"
check "$WORK/one.db"
ingest --db "$WORK/two.db" --threads 2 "${REPORTS[@]}" "${OTHERS[@]}"
check "$WORK/two.db"
ingest --db "$WORK/runs.db" --threads 1 "${REPORTS[0]}" "${OTHERS[1]}"
ingest --db "$WORK/runs.db" --threads 1 "${OTHERS[0]}" "${REPORTS[1]}" "${REPORTS[2]}"
check "$WORK/runs.db"
echo "PASS"
