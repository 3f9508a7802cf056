#!/usr/bin/env bash
# sitrep export from the command line: errors are one line with the right
# exit code; on a generated store (tests/tools/fixture_store) the GeoJSON
# parses as an RFC 7946 FeatureCollection, the CSV as RFC 4180 with one
# record per event, and filters narrow the output.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$SITREP" export --help | grep -q -- "--format" || fail "--help does not describe --format"

"$SITREP" export --db "$tmp/missing.db" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "a missing store should exit 1"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "a missing store should be one line on stderr"
grep -q "missing.db" "$tmp/err" || fail "the error should name the store"
[ -e "$tmp/missing.db" ] && fail "export must not create a store"

"$SITREP" export --format xml --db "$tmp/x.db" 2>"$tmp/err"
[ $? -eq 2 ] || fail "an unknown format is a usage error"
"$SITREP" export --since yesterday 2>"$tmp/err"
[ $? -eq 2 ] || fail "a bad date is a usage error"

"$SR_BUILD_DIR/tests/fixture_store" "$tmp/s.db" 3000 --days 365 >/dev/null || fail "generating a store"

"$SITREP" export --db "$tmp/s.db" --format geojson >"$tmp/all.geojson" || fail "geojson export"
python3 - "$tmp/all.geojson" <<'PY' || fail "geojson is not a valid FeatureCollection"
import json, sys
fc = json.load(open(sys.argv[1]))
assert fc["type"] == "FeatureCollection" and "crs" not in fc
assert len(fc["features"]) == 3000, len(fc["features"])
for f in fc["features"]:
    assert f["type"] == "Feature" and isinstance(f["properties"], dict)
    g = f["geometry"]
    lon, lat = g["coordinates"]
    assert g["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    assert abs(lon - f["properties"]["place"]["lon"]) < 1e-9, "coordinates are [lon, lat]"
PY

"$SITREP" export --db "$tmp/s.db" --format csv >"$tmp/all.csv" || fail "csv export"
python3 - "$tmp/all.csv" <<'PY' || fail "csv is not one RFC 4180 record per event"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head, body = rows[0], rows[1:]
assert head[:2] == ["GLOBALEVENTID", "SQLDATE"] and "ActionGeo_Lat" in head and "event_type" in head
assert len(body) == 3000 and all(len(r) == len(head) for r in body)
dates = [r[1] for r in body]
assert dates == sorted(dates, reverse=True), "newest first"
PY

n_all=$("$SITREP" export --db "$tmp/s.db" | wc -l)
n_box=$("$SITREP" export --db "$tmp/s.db" --bbox 0,0,180,90 | wc -l)
n_type=$("$SITREP" export --db "$tmp/s.db" --type Battles --since "$(date -u -d '-200 days' +%F)" --until "$(date -u -d '-100 days' +%F)" | wc -l)
[ "$n_all" -eq 3000 ] || fail "jsonl should have 3000 lines, has $n_all"
[ "$n_box" -gt 0 ] && [ "$n_box" -lt "$n_all" ] || fail "--bbox should narrow ($n_box of $n_all)"
[ "$n_type" -gt 0 ] && [ "$n_type" -lt "$n_box" ] || fail "--type with a window should narrow ($n_type)"
echo "export.sh: ok ($n_all events, $n_box in the box, $n_type battles in a 100-day window)"
