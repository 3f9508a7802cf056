# Shared by the serve tests: start `sitrep serve` on a free loopback port and
# stop it when the test ends, whatever happens. Source it; not a test itself.
serve_start() {  # serve_start DB [more options]; sets SERVE_URL, SERVE_PID
  local db=$1; shift
  local log="$WORK/serve.log" port=
  "$SITREP" serve --db "$db" --listen 127.0.0.1:0 --vapid-key "$WORK/vapid.pem" "$@" 2>"$log" &
  SERVE_PID=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/.*(port \([0-9]*\);.*/\1/p' "$log")
    [ -n "$port" ] && break
    kill -0 $SERVE_PID 2>/dev/null || { cat "$log"; echo "serve did not start"; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$log"; echo "serve did not report its port"; exit 1; }
  SERVE_URL="http://127.0.0.1:$port"
}
serve_stop() {
  if [ -n "${SERVE_PID:-}" ]; then
    # the server may be gone already; its exit status is checked where it matters
    kill -TERM $SERVE_PID 2>/dev/null && wait $SERVE_PID 2>/dev/null || true
    # a sanitizer build reports into the server's log: show it, so the
    # test (and the CI's search of the test output) sees it
    if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$WORK/serve.log" 2>/dev/null; then
      cat "$WORK/serve.log"
      SERVE_SANITIZER_REPORT=1
    fi
  fi
  SERVE_PID=
}
WORK=$(mktemp -d)
# under set -e a failing command here would turn a passing run into a failure
trap 'serve_stop; if [ -n "${RECEIVER_PID:-}" ]; then kill $RECEIVER_PID 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
FIXTURE_STORE="$SR_BUILD_DIR/tests/fixture_store"
