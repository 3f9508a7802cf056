#!/bin/sh
# The lexicon under data/lexicon stays consistent: every CAMEO code it uses
# exists, every CAMEO code has a verb, no phrase has two codes, every country
# has an actor, ACLED names are ACLED's.  The check must also catch a broken
# copy, and, when the coder is built, the lexicon must load without a single
# error line and code a few plain news sentences.
set -u
LEX="$SR_SOURCE_DIR/data/lexicon"
COUNTRIES="$SR_SOURCE_DIR/node_modules/world-countries/countries.json"
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 not installed"; exit 77; }
[ -f "$COUNTRIES" ] || { echo "skip: world-countries not installed (npm install)"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 "$LEX/tools/check.py" "$LEX" --countries "$COUNTRIES" || fail "lexicon check reports faults"

# Generated files must be what their generators write today.
python3 "$LEX/tools/make_countries.py" 2>/dev/null | cmp -s - "$LEX/countries.actors" ||
    fail "countries.actors differs from what tools/make_countries.py writes"
python3 "$LEX/tools/make_modality.py" | cmp -s - "$LEX/modality.tsv" ||
    fail "modality.tsv differs from what tools/make_modality.py writes"

# A broken copy must be caught: an unknown event code, a phrase given two
# codes, and a country dropped from the actors.
cp -r "$LEX" "$TMP/lex"
sed -i 's/^~FINISH$/ZAPPED_ [999]\n~FINISH/' "$TMP/lex/verbs/19-fight.verbs"
python3 "$LEX/tools/check.py" "$TMP/lex" --countries "$COUNTRIES" 2>"$TMP/err" && fail "unknown CAMEO code not caught"
grep -q '\[999\] is not a CAMEO code' "$TMP/err" || fail "unknown code not named: $(cat "$TMP/err")"
rm -rf "$TMP/lex" && cp -r "$LEX" "$TMP/lex"
sed -i 's/^~FINISH$/HAMAS_ [LBN]\n~FINISH/' "$TMP/lex/groups/igo-ngo.actors"
python3 "$LEX/tools/check.py" "$TMP/lex" --countries "$COUNTRIES" 2>"$TMP/err" && fail "actor with two codes not caught"
rm -rf "$TMP/lex" && cp -r "$LEX" "$TMP/lex"
sed -i '/^\t\[NOR\]$/d; /^NORWAY_/,/^$/d' "$TMP/lex/countries.actors"
python3 "$LEX/tools/check.py" "$TMP/lex" --countries "$COUNTRIES" 2>"$TMP/err" && fail "missing country not caught"
grep -q 'Norway' "$TMP/err" || fail "missing country not named: $(cat "$TMP/err")"

# With the coder: load every dictionary the project file names.
if ! "$SITREP" code --help >/dev/null 2>&1; then
    echo "lexicon check passed; coder not built, loading not tested"
    exit 0
fi
set --
while read -r tag file; do
    case "$tag" in
    "<actorsfile>"|"<agentsfile>"|"<verbsfile>"|"<optionsfile>") set -- "$@" --dict "$LEX/$file" ;;
    esac
done < "$LEX/sitrep.project"
cat > "$TMP/news.txt" <<'TXT'
{"id":"1","text":"Russian forces shelled Ukrainian positions near Kharkiv on Sunday.","date":"2025-03-02"}
{"id":"2","text":"Hamas fired rockets at Israel.","date":"2025-03-02"}
{"id":"3","text":"The European Union imposed sanctions on Iran.","date":"2025-03-02"}
{"id":"4","text":"Sudanese police arrested dozens of protesters in Khartoum.","date":"2025-03-02"}
TXT
"$SITREP" code "$@" "$TMP/news.txt" >"$TMP/out" 2>"$TMP/err" || fail "sitrep code failed: $(head -5 "$TMP/err")"
[ -s "$TMP/err" ] && fail "dictionary errors: $(head -5 "$TMP/err")"
python3 - "$TMP/out" <<'PY' || exit 1
import json, sys
want = {"1": ("RUS", "194"), "2": ("PSE", "194"), "3": ("IGOEEC", "163"), "4": ("SDN", "173")}
got = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    got[d["id"]] = [(e["source"]["code"] if e.get("source") else "", e["cameo"]) for e in d["events"]]
bad = [i for i, (src, code) in want.items()
       if not any(s.startswith(src) and c == code for s, c in got.get(i, []))]
if bad:
    print("FAIL: expected events missing: %s; got %s" % (bad, got))
    sys.exit(1)
PY
echo "lexicon check passed; lexicon loads and codes news"
