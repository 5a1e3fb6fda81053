#!/usr/bin/env bash
# The main job: install dependencies, build, and run the England-baseline council scenario (10 replications of
# 10 years), printing a readable summary and the yearly table beside England's published figures. Results go to
# out/baseline (replaced if present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build build -j"$(nproc)"
./build/cli/frontdoor run --out out/baseline --force --replications 10 --jobs "$(nproc)" "$@"
echo
# Out of band (or not reported) exits 1: of England's 32 figures the baseline is calibrated to 19; the others are
# the open model issues' work (README, "The yearly table, costs and calibration"). With levers in "$@" it is the point.
./build/cli/frontdoor check-calibration out/baseline ||
  echo "Some of England's figures are outside their bands or not reported yet (exit 1 above; see the README)."
