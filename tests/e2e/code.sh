#!/bin/bash
# sitrep code from the command line: text, JSON Lines and article JSON in,
# one JSON line per document out; --validate; bad input reported per line.
set -u
F="$SR_FIXTURES/code"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
D=(--dict "$F")

printf 'Syrian troops attacked Turkey on Sunday. Iraq accused Syria.\n' > "$T/a.txt"
"$SITREP" code "${D[@]}" "$T/a.txt" > "$T/out" 2> "$T/err" || fail "plain text: exit $?"
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "plain text: one line per document"
grep -q '"source":{"code":"SYRMIL","words":"Syrian troops","start":0,"end":13}' "$T/out" || fail "source actor: $(cat "$T/out")"
grep -Eq '"cameo":"190","root":"19","quad":4,"goldstein":-10(\.0)?,' "$T/out" || fail "CAMEO facts: $(cat "$T/out")"
grep -q '"source":{"code":"IRQ","words":"Iraq","start":41,"end":45}' "$T/out" || fail "second sentence offsets: $(cat "$T/out")"

cat > "$T/docs.jsonl" <<'J'
{"id":"d1","text":"Iraqi police were attacked by Islamic State militants.","date":"2014-06-10"}
{"id":"d2", "text": broken
{"id":7,"text":"Iraq and Syria accused Turkey of shelling."}
J
"$SITREP" code "${D[@]}" "$T/docs.jsonl" > "$T/out" 2> "$T/err"
[ $? -eq 1 ] || fail "a bad JSON line must give exit 1"
grep -q "docs.jsonl:2: bad JSON" "$T/err" || fail "bad line not named: $(cat "$T/err")"
[ "$(wc -l < "$T/out")" -eq 2 ] || fail "the good lines are still coded"
grep -q '"id":"d1".*"source":{"code":"IMGMUSISIREB".*"target":{"code":"IRQCOP".*"date":"2014-06-10","date_precision":"day"' "$T/out" || fail "passive JSONL: $(cat "$T/out")"
grep -q '"id":"7".*"IRQ".*"SYR"' "$T/out" || fail "numeric id and compound: $(cat "$T/out")"

cat > "$T/article.json" <<'J'
{
  "url": "https://example.org/news/1",
  "title": "Clashes",
  "published": "2014-01-05T10:00:00Z",
  "text": "Turkish soldiers attacked Syria near the border."
}
J
"$SITREP" code "${D[@]}" "$T/article.json" > "$T/out" 2> "$T/err" || fail "article JSON: exit $?"
grep -q '"id":"https://example.org/news/1".*"TURMIL".*"date":"2014-01-05"' "$T/out" || fail "article: $(cat "$T/out")"

printf 'Syria attacked Turkey.\n' | "$SITREP" code "${D[@]}" > "$T/out" 2>&1 || fail "stdin"
grep -q '"id":"-".*"SYR"' "$T/out" || fail "stdin: $(cat "$T/out")"

"$SITREP" code --validate "$F/mini.project" > "$T/out" 2> "$T/err"
[ $? -eq 1 ] || fail "--validate with a differing record must exit 1"
grep -q '^MINI-05: expected {IRN/SYR/112}; coded {IRN/IRQ/112}' "$T/out" || fail "difference not reported: $(cat "$T/out")"
grep -q 'validation: 5 records coded, 4 as expected, 1 differ' "$T/out" || fail "summary: $(cat "$T/out")"

printf 'BROKEN [XYZ\nGOOD_ONE [ABC]\nBAD [123456-1]\n' > "$T/bad.actors"
printf 'Good one attacked Turkey.\n' | "$SITREP" code --dict "$T/bad.actors" --dict "$F/news.verbs" --dict "$F/news.actors" > "$T/out" 2> "$T/err"
grep -q "bad.actors:1: missing ]" "$T/err" || fail "malformed dictionary line not reported: $(cat "$T/err")"
grep -q "bad.actors:3:" "$T/err" || fail "bad code block not reported: $(cat "$T/err")"
grep -q '"ABC"' "$T/out" || fail "loading goes on after a bad line: $(cat "$T/out")"

"$SITREP" code --bogus > /dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option must be a usage error"
exit 0
