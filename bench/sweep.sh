#!/usr/bin/env bash
# Sweep benchmarks (the research-sweeps issue's targets), printing figures and never failing on a missed target:
#  1. parallel efficiency: RUNS runs of the England baseline (10 years) with `sweep exec --jobs 2` against --jobs 1
#     (target >= 90%);
#  2. merging 10,000 small runs (target: seconds): one real run's result copied under 10,000 run ids;
#  3. a projection of all of England, 150 councils of different sizes as one sweep, from the measured cost per run
#     at three council sizes (target <= 5 minutes on this machine).
# Usage: bench/sweep.sh [RUNS]   (build first: cmake --build build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
F=./build/cli/frontdoor
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { date +%s.%N; }
echo "machine: $(nproc) cores; $(date -u +%Y-%m-%d)"

# 1. Parallel efficiency.
$F sweep plan scenarios/england_baseline.toml --out "$out/p2" --vary service.front_door.noise_sd=0.3:0.5:$((runs / 10)) -r 10 >/dev/null
cp -r "$out/p2" "$out/p1"
t0=$(now); $F sweep exec -q -j 2 "$out/p2"; t1=$(now)
$F sweep exec -q -j 1 "$out/p1"; t2=$(now)
python3 - "$t0" "$t1" "$t2" "$runs" <<'PY'
import sys
t0, t1, t2, runs = map(float, sys.argv[1:])
two, one = t1 - t0, t2 - t1
print(f"1. {int(runs)} baseline runs of 10 years: --jobs 1 {one:.1f} s ({one / runs:.2f} s a run), --jobs 2 {two:.1f} s; "
      f"parallel efficiency {one / (2 * two):.0%} (target >= 90%)")
PY

# 2. Merging 10,000 small runs.
$F sweep plan scenarios/validation/mmc_front_door.toml --out "$out/m" --vary service.front_door.team.fte=8:10:2 \
  -r 5000 --set simulation.years=2 >/dev/null
$F sweep exec -q "$out/m" --shard 0/10000 >/dev/null
python3 - "$out/m/runs" <<'PY'
import json, os, sys
d = sys.argv[1]
one = json.load(open(os.path.join(d, "0.json")))
for i in range(1, 10000):
    one["run_id"] = i
    with open(os.path.join(d, f"{i}.json"), "w") as f:
        json.dump(one, f)
PY
t0=$(now); $F sweep merge -q "$out/m"; t1=$(now)
python3 - "$t0" "$t1" "$out/m/results.csv" <<'PY'
import os, sys
t0, t1 = float(sys.argv[1]), float(sys.argv[2])
print(f"2. merging 10,000 runs: {t1 - t0:.1f} s, results.csv {os.path.getsize(sys.argv[3]) / 1e6:.0f} MB (target: seconds)")
PY

# 3. England: measured cost per run at three sizes, projected over 150 councils.
declare -A cost
for children in 50000 100000 200000; do
  t0=$(now)
  $F run -q --out "$out/size_$children" --set population.children=$children >/dev/null
  t1=$(now)
  cost[$children]=$(python3 -c "print($t1 - $t0)")
done
python3 - "${cost[50000]}" "${cost[100000]}" "${cost[200000]}" "$(nproc)" <<'PY'
import sys
c50, c100, c200, cores = map(float, sys.argv[1:])
# A council's run costs a + b x children: least squares through the three sizes.
xs, ys = [50e3, 100e3, 200e3], [c50, c100, c200]
mx, my = sum(xs) / 3, sum(ys) / 3
b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
a = my - b * mx
# England: about 12.2 million children in 150 councils, from 30,000 to 290,000 each; a spread with that total.
sizes = [30e3 + (290e3 - 30e3) * (i / 149) ** 2.2 for i in range(150)]
scale = 12.2e6 / sum(sizes)
sizes = [s * scale for s in sizes]
total = sum(a + b * s for s in sizes)
print(f"3. one 10-year run: {c50:.2f} s at 50,000 children, {c100:.2f} s at 100,000, {c200:.2f} s at 200,000 "
      f"(about {a:.2f} s + {b * 1e5:.2f} s per 100,000 children)")
print(f"   England, 150 councils ({sum(sizes) / 1e6:.1f} million children), one replication each: {total:.0f} s of runs, "
      f"{total / cores / 60:.1f} minutes on {int(cores)} cores (target <= 5 minutes)")
PY
