#!/usr/bin/env bash
# Writes the golden outputs again (tests/golden/<name>.summary.csv, one per line of tests/golden/scenarios.txt)
# with a built frontdoor, as SimGrid refreshes its tesh files: run it after a change that is meant to move the
# figures, read `git diff tests/golden`, and say in the commit what moved and why. ctest -L golden checks them.
# Usage: bash scripts/refresh-golden.sh [FRONTDOOR]   (default: build/cli/frontdoor)
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
frontdoor=$(realpath "${1:-$source_dir/build/cli/frontdoor}")
[[ -x $frontdoor ]] || { echo "no frontdoor at $frontdoor: build it first (cmake --build build)" >&2; exit 2; }
while read -r scenario options; do
  [[ -z $scenario || $scenario == \#* ]] && continue
  # shellcheck disable=SC2086  # the options are words
  bash "$source_dir/tests/golden/golden.sh" refresh "$frontdoor" "$source_dir" "$scenario" $options
done < "$source_dir/tests/golden/scenarios.txt"
git -C "$source_dir" status --short -- tests/golden
