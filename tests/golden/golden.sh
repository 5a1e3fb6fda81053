#!/usr/bin/env bash
# One golden output: runs a shipped scenario short, with a fixed seed, and compares its summary.csv byte for byte
# with tests/golden/<name>.summary.csv (check), or writes it there (refresh). ctest runs the check for each line
# of tests/golden/scenarios.txt; scripts/refresh-golden.sh runs the refresh for all of them.
# Usage: golden.sh check|refresh FRONTDOOR SOURCE_DIR SCENARIO [RUN OPTIONS...]
set -euo pipefail
mode=$1 frontdoor=$2 source_dir=$3 scenario=$4
shift 4
name=${scenario#scenarios/}
name=${name%.toml}
name=${name//\//_}
golden=$source_dir/tests/golden/$name.summary.csv
work=$(mktemp -d "${TMPDIR:-/tmp}/frontdoor-golden-XXXXXX")
trap 'rm -rf "$work"' EXIT
# One job: the figures do not depend on it, and ctest may run several checks at once.
(cd "$source_dir" && "$frontdoor" run "$scenario" --out "$work/run" -j 1 -q "$@")
case $mode in
  refresh)
    cp "$work/run/summary.csv" "$golden"
    echo "wrote tests/golden/$name.summary.csv"
    ;;
  check)
    if [[ ! -f $golden ]]; then
      echo "no golden output $golden: run scripts/refresh-golden.sh" >&2
      exit 1
    fi
    if ! diff -u "$golden" "$work/run/summary.csv"; then
      echo "$scenario: summary.csv differs from tests/golden/$name.summary.csv (above: - golden, + now)." >&2
      echo "If the change is intended, run scripts/refresh-golden.sh and say in the commit what moved and why." >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: golden.sh check|refresh FRONTDOOR SOURCE_DIR SCENARIO [RUN OPTIONS...]" >&2
    exit 2
    ;;
esac
