# Sourced by the browser tests: sets `browser` to Debian's Chromium, or skips the test (exit 77) without it.
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIPPED: chromium is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
