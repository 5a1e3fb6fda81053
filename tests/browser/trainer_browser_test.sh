#!/usr/bin/env bash
# Browser test of trainer mode: starts `frontdoor serve` on a free loopback port and drives its page in headless
# Chromium (Debian's `chromium`, through playwright-core from report/package-lock.json): load, run, move the
# threshold, run again, check that every chart redrew with new data, show the difference, send an out-of-range
# value and see the server's message on the page; no console errors. Keeps build/trainer.png.
# Usage: trainer_browser_test.sh FRONTDOOR_BINARY SOURCE_DIR BUILD_DIR. Exit 77 (skipped) without Chromium.
set -euo pipefail
frontdoor=$1 source=$2 build=$3
source "$(dirname "$0")/chromium.sh"
if [ ! -d "$source/report/node_modules/playwright-core" ]; then
  echo "FAIL: playwright-core is not installed (scripts/install-deps.sh runs npm ci in report/)"
  exit 1
fi
work=$(mktemp -d)
"$frontdoor" serve --port 0 --quiet >"$work/url" 2>"$work/server.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 400); do
  url=$(head -1 "$work/url" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "FAIL: the server did not start: $(cat "$work/server.err")"; exit 1; }
CHROMIUM="$browser" node "$source/tests/browser/trainer_browser_test.mjs" "$url" "$build/trainer.png"
kill -0 $server || { echo "FAIL: the server died: $(cat "$work/server.err")"; exit 1; }
