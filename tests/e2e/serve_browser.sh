#!/usr/bin/env bash
# The live map in Debian's chromium against a real `sitrep serve` on a
# fixture store; leaves a screenshot in the build directory.
set -euo pipefail
source "$(dirname "$0")/lib/serve.sh"
[ -x /usr/bin/chromium ] || { echo "SKIP: chromium is not installed (scripts/deps.sh installs it)"; exit 77; }
[ -d "$SR_SOURCE_DIR/node_modules/playwright-core" ] || { echo "SKIP: npm playwright-core is not installed"; exit 77; }
"$FIXTURE_STORE" "$WORK/s.db" 120 --days 20 >/dev/null
# the push endpoint the page is given is on loopback
serve_start "$WORK/s.db" --allow-private
cd "$SR_SOURCE_DIR/tests/browser"
timeout 120 node map.mjs "$SERVE_URL/" "$SR_BUILD_DIR/map-screenshot.png" \
  "$FIXTURE_STORE" "$WORK/s.db" 1 --seed 9 --days 1
