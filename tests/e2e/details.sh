#!/usr/bin/env bash
# Event details reach the store: an article is ingested, its events keep the
# tolls the sentences tell (the next sentence's "At least 12 people were
# killed" included) and the dates they name, and a count over a period
# ("nearly 8,000 civilians were killed in 2013") is kept but not counted by
# --min-fatalities. The page is the project's own (tests/fixtures/code).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
gaz="$SR_BUILD_DIR/gazetteer.bin"
[ -f "$gaz" ] || { echo "skipped: no gazetteer at $gaz (run sitrep gazetteer build)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$SITREP" ingest -q --db "$tmp/t.db" --gazetteer "$gaz" "$SR_FIXTURES/code/tolls_page.html" >/dev/null 2>&1 \
    || fail "ingesting the page"
"$SITREP" export --db "$tmp/t.db" --format jsonl >"$tmp/all" || fail "export"
"$SITREP" export --db "$tmp/t.db" --format jsonl --min-fatalities 5 >"$tmp/five" || fail "export --min-fatalities"
python3 - "$tmp/all" "$tmp/five" <<'PY' || fail "tolls and dates in the store"
import json, sys
every = [json.loads(l) for l in open(sys.argv[1])]
five = [json.loads(l) for l in open(sys.argv[2])]
def toll(e):
    return (e.get("fatalities") or {}).get("value")
shelling = [e for e in every if e["cameo"].startswith("194")]
assert shelling, every
assert toll(shelling[0]) == 12 and shelling[0]["fatalities"]["at_least"], shelling[0]
assert shelling[0]["date"] == "2014-01-05", shelling[0]["date"]   # "on Sunday"
clash = [e for e in every if toll(e) == 4]
assert clash and (clash[0].get("injuries") or {}).get("value") == 9, every
assert clash[0]["fatalities"]["who"] == "soldiers"
counted = [e for e in every if toll(e) == 8000]
assert counted and counted[0]["fatalities"]["aggregate"], every
assert all(toll(e) != 8000 for e in five), five
assert any(toll(e) == 12 for e in five) and any(e["cameo"].startswith("194") for e in five), five
PY
echo "ok"
