#!/usr/bin/env bash
# Installs dependencies, builds sitrep, and runs the whole test suite twice:
# once on the normal build and once on a build with AddressSanitizer,
# UndefinedBehaviorSanitizer and leak checking.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSR_SANITIZE=ON -DSR_BENCH=OFF >/dev/null
cmake --build build-asan -j"$(nproc)"
[ -f build/gazetteer.bin ] && ln -sf ../build/gazetteer.bin build-asan/gazetteer.bin
status=0
echo "== tests (release build)"
ctest --test-dir build --output-on-failure -j"$(nproc)" || status=1
echo "== tests (ASan + UBSan build, leak-checked)"
# Criterion runs each test in a child process whose sanitizer report does not
# fail the test by itself, so the full log is searched for reports as well.
log=build-asan/sanitizer.log
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" -V >"$log" 2>&1 || status=1
grep -E '^[0-9]+/[0-9]+ Test|tests passed|tests failed' "$log" || true
if grep -nE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" | head -20; then
  echo "sanitizer reports above (full log: $log)"
  status=1
fi
[ $status = 0 ] || grep -B2 -A30 -E '\*\*\*Failed|Exception' "$log" | head -200 || true
exit $status
