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
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" || status=1
exit $status
