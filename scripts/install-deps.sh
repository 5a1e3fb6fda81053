#!/usr/bin/env bash
# Installs every build and test dependency of frontdoor from Debian 12 packages. Idempotent: packages already
# present are left alone, and apt-get is only called when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsimgrid-dev libboost-graph-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  googletest libgtest-dev graphviz
  clang-format  # scripts/check-format.sh, run by CI
  chromium  # the browser tests of the HTML report and of the trainer page
  libcpp-httplib-dev  # the web server of frontdoor serve (trainer mode)
  libnlopt-cxx-dev  # the optimiser of frontdoor fit
  libxlsxwriter-dev zlib1g-dev  # the Excel workbook of frontdoor report --xlsx (its pkg-config asks for -lz)
  poppler-utils  # pdftoppm: the browser test looks at the pages of report --pdf as images
  slurm-wlm munge  # the test that runs a sweep through a real single-node Slurm
)
# The report's chart library comes from npm (report/package-lock.json); Debian's nodejs and npm provide it where
# the machine has no Node.js of its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The pinned chart library (ECharts, Apache-2.0), inlined into every HTML report at build time.
cd "$(dirname "$0")/../report"
if [ ! -f node_modules/echarts/dist/echarts.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci in report/ (the chart library of the HTML report)"
  npm ci --no-audit --no-fund --loglevel=error
fi
