#!/usr/bin/env bash
# Event details kept whole from `sitrep code` to the store and out again: the
# fatalities and injuries objects `sitrep code` writes for a page (value,
# at_least, approximate, who, aggregate, historical), and its dates, are what
# `sitrep export` (JSON Lines and GeoJSON, and the CSV's toll columns) and
# the server's API give for the same events after `sitrep ingest`. A toll
# told in a sentence of its own is on one event only, and min_fatalities
# leaves out a period's or a past battle's figure. The page is the project's own (tests/fixtures/code).
set -euo pipefail
source "$(dirname "$0")/lib/serve.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
page="$SR_FIXTURES/code/tolls_roundtrip.html"
gaz=()
[ -f "$SR_BUILD_DIR/gazetteer.bin" ] && gaz=(--gazetteer "$SR_BUILD_DIR/gazetteer.bin")

"$SITREP" extract "$page" >"$WORK/article.json" || fail "extract"
"$SITREP" code "$WORK/article.json" >"$WORK/coded" || fail "code"
"$SITREP" ingest -q --db "$WORK/t.db" "${gaz[@]}" "$page" 2>/dev/null || fail "ingest"
"$SITREP" export --db "$WORK/t.db" --format jsonl >"$WORK/jsonl" || fail "export jsonl"
"$SITREP" export --db "$WORK/t.db" --format geojson >"$WORK/geojson" || fail "export geojson"
"$SITREP" export --db "$WORK/t.db" --format csv >"$WORK/csv" || fail "export csv"
serve_start "$WORK/t.db"

python3 - "$WORK" "$SERVE_URL" <<'PY' || fail "the detail objects differ"
import json, sys, urllib.request
work, base = sys.argv[1], sys.argv[2]
def key(cameo, source, start):
    return (cameo, source or "", start)
coded = {}
for line in open(work + "/coded"):
    for e in json.loads(line)["events"]:
        coded[key(e["cameo"], e["source"]["code"], e["sentence"]["start"])] = e
def stored_key(e):
    return key(e["cameo"], (e["source"] or {}).get("code"), e["evidence"]["start"])
def api(path):
    return json.load(urllib.request.urlopen(base + path))
outputs = {
    "export jsonl": [json.loads(l) for l in open(work + "/jsonl")],
    "export geojson": [f["properties"] for f in json.load(open(work + "/geojson"))["features"]],
    "api list": api("/api/events?limit=100")["events"],
}
outputs["api event"] = [api("/api/events/%d" % e["id"]) for e in outputs["api list"]]
# the page tells every shape of figure the store must keep
tolls = [t for e in coded.values() for t in (e["fatalities"], e["injuries"]) if t]
for flag in ("at_least", "approximate", "aggregate", "historical"):
    assert any(t[flag] for t in tolls), "no coded figure has " + flag
assert any(e["injuries"] and e["injuries"]["who"] for e in coded.values()), "no wounded with who"
for name, events in outputs.items():
    assert len(events) == len(coded), (name, len(events), len(coded))
    for e in events:
        c = coded.get(stored_key(e))
        assert c, (name, stored_key(e), sorted(coded))
        for kind in ("fatalities", "injuries", "date", "date_precision", "historical"):
            assert e[kind] == c[kind], (name, kind, e[kind], c[kind])
# the CSV gives each toll member a column of its own ("value" is the bare one)
import csv
def cell(v):
    return "" if v is None else str(int(v)) if isinstance(v, bool) else str(v)
by_id = {e["id"]: e for e in outputs["export jsonl"]}
rows = list(csv.DictReader(open(work + "/csv", newline="", encoding="utf-8")))
assert len(rows) == len(by_id), (len(rows), len(by_id))
for row in rows:
    e = by_id[int(row["GLOBALEVENTID"])]
    for kind in ("fatalities", "injuries"):
        t = e[kind] or {}
        for member in ("value", "at_least", "approximate", "who", "aggregate", "historical"):
            col = kind if member == "value" else kind + "_" + member
            assert row[col] == cell(t.get(member)), ("csv", e["id"], col, row[col], t)
# "Two Palestinians were killed." is the raid's toll, on one event
twos = [e for e in outputs["export jsonl"] if (e["fatalities"] or {}).get("value") == 2]
assert len(twos) == 1 and twos[0]["source"]["code"] == "ISRMIL", twos
# a period's and a past battle's figures are not this event's dead
deadly = api("/api/events?limit=100&min_fatalities=20")["events"]
assert [e["fatalities"]["value"] for e in deadly] == [30], deadly
PY
"$SITREP" export --db "$WORK/t.db" --format jsonl --min-fatalities 20 >"$WORK/deadly" || fail "export --min-fatalities"
[ "$(wc -l <"$WORK/deadly")" -eq 1 ] && grep -q '"value":30' "$WORK/deadly" || fail "export --min-fatalities: $(cat "$WORK/deadly")"
serve_stop
[ -z "${SERVE_SANITIZER_REPORT:-}" ] || fail "the server's sanitizer report above"
echo "ok"
