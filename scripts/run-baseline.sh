#!/usr/bin/env bash
# The main job: install dependencies, build, and run the England-baseline council scenario (10 replications of
# 10 years), printing a readable summary. Results go to out/baseline (replaced if present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build build -j"$(nproc)"
./build/cli/frontdoor run --out out/baseline --force --replications 10 --jobs "$(nproc)" "$@"
