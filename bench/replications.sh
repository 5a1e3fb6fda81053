#!/usr/bin/env bash
# Times `frontdoor run` of the England baseline with many replications in parallel: the reference-model issue's
# target is 100 replications of 10 years with --jobs 2 in at most 2 minutes on a 2-core machine. Prints figures;
# never fails on a missed target.
# Usage: bench/replications.sh [REPLICATIONS] [JOBS]   (build first: cmake --build build)
set -euo pipefail
cd "$(dirname "$0")/.."
replications=${1:-100}
jobs=${2:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores; England baseline, 10 years, $replications replications, --jobs $jobs"
start=$(date +%s.%N)
./build/cli/frontdoor run --out "$out/run" -r "$replications" -j "$jobs" -q
end=$(date +%s.%N)
python3 - "$out/run/manifest.json" "$start" "$end" "$jobs" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
reps = manifest["replications"]
events = sum(r["engine_events"] for r in reps)
per = sorted(r["wall_time_s"] for r in reps)
print(f"wall time {wall:.1f} s (target <= 120 s); per replication median {per[len(per)//2]:.2f} s, "
      f"max {per[-1]:.2f} s (target <= 2 s)")
print(f"{events:,} engine events, {events / wall / 1e6:.2f} million a second overall; "
      f"parallel efficiency {sum(per) / (wall * int(sys.argv[4])):.0%}")
PY
