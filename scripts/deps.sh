#!/usr/bin/env bash
# Installs everything Waarborg needs to build, run and test on Debian 12.
# Idempotent: installs only what is missing. Runs apt-get update first, since a
# fresh machine's package lists are empty.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config
  librestinio-dev libasio-dev libhttp-parser-dev
  nlohmann-json3-dev libabsl-dev libfmt-dev libspdlog-dev libcli11-dev
  libsqlite3-dev sqlite3 libsodium-dev liboath-dev libkainjow-mustache-dev libsimdjson-dev libyaml-cpp-dev
  libcurl4-openssl-dev python3-aiosmtpd  # e-mail: SMTP via libcurl; a real SMTP receiver for the tests
  libxlsxwriter-dev zlib1g-dev  # the annual report's XLSX export (zlib also reads it back in the tests)
  python3-holidays  # an independent source for the holiday calendar test
  python3-pandas  # the pandas comparison of the monitoring bench (make bench-monitor)
  nats-server  # a real server for the NATS JetStream source's tests (Debian puts it in /usr/sbin)
  libgtest-dev libgmock-dev libbenchmark-dev
  tzdata wrk jq mat2
  chromium nodejs npm  # the browser tests; chromium also prints the annual report to PDF
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs from another origin may already provide npm; do not fight it.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == npm || "$p" == nodejs ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# Front-end: NL Design System CSS and playwright-core for the browser test.
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ] || [ ! -d node_modules/@utrecht/component-library-css ]; then
  echo "deps: npm ci"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
touch build/.deps-ok 2>/dev/null || { mkdir -p build && touch build/.deps-ok; }
