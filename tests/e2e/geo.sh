#!/usr/bin/env bash
# sitrep geo end to end: plain text and JSON Lines in, one JSON line per
# document out with code-point offsets; bad lines reported, the run goes on;
# a missing gazetteer names the command that builds it.
set -u
gaz="${SITREP_GAZETTEER:-$SR_BUILD_DIR/gazetteer.bin}"
if ! "$SITREP" gazetteer check --gazetteer "$gaz" >/dev/null 2>&1; then
  echo "skipped: no current gazetteer at $gaz (run 'sitrep gazetteer build')"; exit 77
fi
command -v python3 >/dev/null || { echo "skipped: python3 is needed to read the JSON"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
fx="$SR_FIXTURES/geo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Checks the output lines in $1 against the Python expression in $2, where
# docs is the list of parsed lines and text the plain-text input.
check() {
  python3 - "$1" "$2" "$fx/anbar.txt" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
text = open(sys.argv[3], encoding="utf-8").read()
def place(d, t):
    return next((p for p in d["places"] if p["text"] == t), None)
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

"$SITREP" geo --gazetteer "$gaz" "$fx/anbar.txt" >"$tmp/plain.jsonl" || fail "plain text run failed"
check "$tmp/plain.jsonl" 'len(docs) == 1' || fail "expected one line"
check "$tmp/plain.jsonl" 'place(docs[0], "Fallujah")["cc"] == "IQ"' || fail "Fallujah not placed in Iraq"
check "$tmp/plain.jsonl" 'place(docs[0], "Anbar province")["kind"] == "admin1"' ||
  fail "Anbar province is not an admin1 mention"
check "$tmp/plain.jsonl" 'docs[0]["focus"][0]["cc"] == "IQ"' || fail "focus is not Iraq"
check "$tmp/plain.jsonl" 'place(docs[0], "Washington")["kind"] == "country"' ||
  fail "'Washington said' is not the US as a country"
# start/end are code points: the text at [start,end) is the mention
check "$tmp/plain.jsonl" 'all(text[p["start"]:p["end"]] == p["text"] for p in docs[0]["places"])' ||
  fail "offsets do not cover the mentions"

"$SITREP" geo --jsonl --gazetteer "$gaz" "$fx/docs.jsonl" >"$tmp/docs.jsonl" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 1 ] || fail "a bad line should give exit 1, got $rc"
grep -q 'docs.jsonl:3' "$tmp/err.txt" || fail "the bad line is not named: $(cat "$tmp/err.txt")"
check "$tmp/docs.jsonl" 'len(docs) == 3' || fail "expected three documents"
check "$tmp/docs.jsonl" 'docs[0]["id"] == "a1" and docs[1]["id"] == 2 and docs[2]["places"] == []' ||
  fail "ids or the empty document are wrong"
check "$tmp/docs.jsonl" 'place(docs[1], "Mobile")["admin1"] == "Alabama"' || fail "Mobile, Ala. not in Alabama"

"$SITREP" geo --gazetteer /nonexistent/g.bin "$fx/anbar.txt" 2>"$tmp/err.txt" && fail "missing gazetteer accepted"
grep -q "sitrep gazetteer build" "$tmp/err.txt" || fail "missing gazetteer message lacks the build command"
echo ok
