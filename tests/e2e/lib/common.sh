# Shared by the end-to-end tests that need the gazetteer or read a store.
# Source it; not a test itself. Sets GAZ, or skips the test (exit 77) with
# a visible message when the gazetteer has not been built.
GAZ="$SR_BUILD_DIR/gazetteer.bin"
[ -f "$GAZ" ] || { echo "SKIP: no gazetteer at $GAZ (scripts/build.sh builds it)"; exit 77; }
# count DB SQL: the single value a query gives
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$@"; }
