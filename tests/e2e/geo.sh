#!/usr/bin/env bash
# sitrep geo end to end: plain text and JSON Lines in, one JSON line per
# document out with code-point offsets; bad lines reported, the run goes on;
# a missing gazetteer names the command that builds it.
set -u
gaz="${SITREP_GAZETTEER:-$SR_BUILD_DIR/gazetteer.bin}"
if ! "$SITREP" gazetteer check --gazetteer "$gaz" >/dev/null 2>&1; then
  echo "skipped: no gazetteer at $gaz (run 'sitrep gazetteer build')"; exit 77
fi
command -v jq >/dev/null || { echo "skipped: jq is not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
fx="$SR_FIXTURES/geo"

out=$("$SITREP" geo --gazetteer "$gaz" "$fx/anbar.txt") || fail "plain text run failed"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "expected one line"
printf '%s' "$out" | jq -e '.places | map(select(.text == "Fallujah" and .cc == "IQ")) | length == 1' >/dev/null ||
  fail "Fallujah not placed in Iraq: $out"
printf '%s' "$out" | jq -e '.places[] | select(.text == "Anbar province") | .kind == "admin1"' >/dev/null ||
  fail "Anbar province is not an admin1 mention"
printf '%s' "$out" | jq -e '.focus[0].cc == "IQ"' >/dev/null || fail "focus is not Iraq"
# start/end are code points: the text at [start,end) is the mention
text=$(cat "$fx/anbar.txt")
printf '%s' "$out" | jq -r '.places[] | "\(.start) \(.end) \(.text)"' | while read -r s e t; do
  [ "${text:$s:$((e - s))}" = "$t" ] || fail "offsets [$s,$e) do not cover '$t'"
done || exit 1

out=$("$SITREP" geo --jsonl --gazetteer "$gaz" "$fx/docs.jsonl" 2>err.txt); rc=$?
[ $rc -eq 1 ] || fail "a bad line should give exit 1, got $rc"
grep -q 'docs.jsonl:3' err.txt || fail "the bad line is not named: $(cat err.txt)"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ] || fail "expected three documents: $out"
printf '%s\n' "$out" | jq -e -s '.[0].id == "a1" and .[1].id == 2 and (.[2].places | length) == 0' >/dev/null ||
  fail "ids or empty document wrong: $out"
printf '%s\n' "$out" | jq -e -s '.[1].places[0].admin1 == "Alabama"' >/dev/null || fail "Mobile, Ala. not in Alabama"
rm -f err.txt

"$SITREP" geo --gazetteer /nonexistent/g.bin "$fx/anbar.txt" 2>err.txt && fail "missing gazetteer accepted"
grep -q "sitrep gazetteer build" err.txt || fail "missing gazetteer message lacks the build command: $(cat err.txt)"
rm -f err.txt
echo ok
