#!/usr/bin/env bash
# Browser tests: Debian's headless Chromium driven by playwright-core against real nodes.
# Installs what is missing (chromium, the two npm packages), builds the binary, runs every
# flow in tests/browser/flows. GOTONG_UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots.
set -euo pipefail
cd "$(dirname "$0")"

CHROMIUM="${GOTONG_CHROMIUM:-/usr/bin/chromium}"
# Chromium, and a Thai font so the Thai pages' screenshots show letters, not boxes.
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
fc-list :lang=th 2>/dev/null | grep -q . || missing+=(fonts-thai-tlwg)
# sqlite3 reads a node's sealed signing key, for the flow that delivers hostile HTML signed.
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci when a package is missing or at another version than package.json pins.
installed() {
  node -e 'const p = require("./package.json").dependencies;
    for (const [n, v] of Object.entries(p)) if (require(`${n}/package.json`).version !== v) process.exit(1)' 2>/dev/null
}
if ! installed; then
  echo "== npm ci (playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== cargo build --bin gotong"
(cd ../.. && cargo build --bin gotong)

echo "== browser flows"
rm -rf ../../target/browser-screenshots ../../target/browser-logs
node --test-reporter=spec run.mjs
