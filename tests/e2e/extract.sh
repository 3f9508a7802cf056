#!/usr/bin/env bash
# sitrep extract end to end: the example pages, bad inputs, stdin, --text,
# a 50 MB file, and the exit codes a script relies on.
set -u
: "${SITREP:?}" "${SR_SOURCE_DIR:?}" "${SR_FIXTURES:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
json_ok() { python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$1"; }

# The example pages: one object each, every one with a title and text, exit 0.
"$SITREP" extract "$SR_SOURCE_DIR/data/examples/" >"$tmp/ex.jsonl" 2>"$tmp/ex.err"; rc=$?
check "examples exit 0" '[ $rc -eq 0 ]'
check "examples: one line per page" '[ $(wc -l <"$tmp/ex.jsonl") -eq $(ls "$SR_SOURCE_DIR"/data/examples/*.html | wc -l) ]'
check "examples: valid JSON Lines" 'json_ok "$tmp/ex.jsonl"'
check "examples: nothing on stderr" '[ ! -s "$tmp/ex.err" ]'
check "examples: titles and text" 'python3 -c "
import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l); assert d[\"title\"] and d[\"word_count\"]>50, d[\"source\"]" "$tmp/ex.jsonl"'
check "examples: the Anbar report without its furniture" 'python3 -c "
import json,sys
d=[json.loads(l) for l in open(sys.argv[1]) if \"anbar\" in l][0]
t=d[\"text\"]
assert \"BAGHDAD (GW)\" in t and \"Hellfire missiles\" in t
for junk in (\"Open in the app\",\"Continue in browser\",\"notifications\",\"02:37\",\"Related\",\"cookies\",\"newsletter\",\"Share on\"):
    assert junk not in t, junk
assert d[\"captions\"][0][\"credit\"]==\"Gazette Wire graphic\"
assert d[\"published\"].startswith(\"2014-01-04\")" "$tmp/ex.jsonl"'

# Bad inputs: each gets an error object and one stderr line; the run goes on.
head -c 50000000 /dev/zero | tr '\0' 'a' >"$tmp/huge.html"
start=$(date +%s)
"$SITREP" extract "$SR_FIXTURES/extract/empty.html" "$SR_FIXTURES/extract/not_html.png" \
    "$tmp/huge.html" "$tmp/missing.html" "$SR_FIXTURES/extract/app_banner.html" \
    >"$tmp/bad.jsonl" 2>"$tmp/bad.err"; rc=$?
took=$(( $(date +%s) - start ))
check "bad inputs exit 1" '[ $rc -eq 1 ]'
check "bad inputs: valid JSON Lines" 'json_ok "$tmp/bad.jsonl"'
check "bad inputs: one stderr line each" '[ $(wc -l <"$tmp/bad.err") -eq 4 ]'
check "bad inputs: the good page still extracted" 'grep -q "KIRKUK" "$tmp/bad.jsonl"'
check "empty file reported" 'grep -q "empty.html.*empty page" "$tmp/bad.err"'
check "binary file reported" 'grep -q "not_html.png.*not an HTML page" "$tmp/bad.err"'
check "50 MB file refused by its size" 'grep -q "huge.html.*size limit" "$tmp/bad.err"'
check "50 MB file refused quickly" '[ $took -lt 20 ]'
check "missing file reported" 'grep -q "missing.html" "$tmp/bad.err"'
# every failed input, the missing path included, has its {"source","error"} line
check "error objects name the source" 'python3 -c "
import json,sys
e=[json.loads(l) for l in open(sys.argv[1])]
assert sum(1 for d in e if \"error\" in d)==4 and all(d[\"source\"] for d in e)
assert any(d[\"source\"].endswith(\"missing.html\") and \"error\" in d for d in e)" "$tmp/bad.jsonl"'

# A larger limit reads the 50 MB page; it has no article, and memory stays bounded.
python3 - "$SITREP" "$tmp/huge.html" >"$tmp/rss" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "extract", "--max-size", "60000000", sys.argv[2]],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
check "50 MB page under --max-size: peak RSS under 1.5 GB" '[ "$(cat "$tmp/rss")" -gt 0 ] && [ "$(cat "$tmp/rss")" -lt 1500000 ]'

# stdin and --text
"$SITREP" extract - <"$SR_FIXTURES/extract/video_embed.html" >"$tmp/stdin.jsonl"; rc=$?
check "stdin page extracted" '[ $rc -eq 0 ] && grep -q "\"source\":\"-\"" "$tmp/stdin.jsonl" && grep -q TBILISI "$tmp/stdin.jsonl"'
"$SITREP" extract --text "$SR_FIXTURES/extract/plain_text.txt" >"$tmp/text.jsonl"; rc=$?
check "--text drops furniture lines" '[ $rc -eq 0 ] && grep -q Hellfire "$tmp/text.jsonl" && ! grep -q "Open in the app" "$tmp/text.jsonl"'

# Usage errors exit 2.
"$SITREP" extract --bogus x >/dev/null 2>&1; rc=$?
check "unknown option exits 2" '[ $rc -eq 2 ]'
"$SITREP" extract >/dev/null 2>&1; rc=$?
check "no input exits 2" '[ $rc -eq 2 ]'
"$SITREP" extract --help >"$tmp/help" 2>&1; rc=$?
check "--help prints usage" '[ $rc -eq 0 ] && grep -q "usage: sitrep extract" "$tmp/help"'
exit $fail
