#!/usr/bin/env bash
# Installs dependencies, builds sitrep, reads the example news pages into the
# default store (./sitrep.db) and starts the live map and API on it:
# open http://127.0.0.1:8080/ . Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/src/sitrep ingest --db sitrep.db data/examples/
exec ./build/src/sitrep serve --db sitrep.db --listen "${SITREP_LISTEN:-127.0.0.1:8080}" --feeds data/feeds.txt
