#!/usr/bin/env bash
# Installs dependencies, builds sitrep and runs its main job on the embedded
# default store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./build/src/sitrep extract data/examples/
