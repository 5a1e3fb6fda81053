#!/usr/bin/env bash
# Fuzzes the scenario loader and the --set parser with clang's libFuzzer for SECONDS (default 60), starting from a
# seed corpus of every shipped scenario. Builds the `fuzz` preset (build/fuzz/) first. A crash, a sanitizer report
# or a hang fails it (exit 1) and leaves the input that did it in build/fuzz/ (crash-*, timeout-*, leak-*).
# Exit 77 (skipped) where clang or its libFuzzer runtime is missing (apt-get install clang libclang-rt-14-dev).
# Usage: bash tests/fuzz/run.sh [SECONDS]   (a longer local run: bash tests/fuzz/run.sh 3600)
set -euo pipefail
seconds=${1:-60}
cd "$(dirname "$0")/../.."
if ! command -v clang++ >/dev/null 2>&1 || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "SKIPPED: clang++ and its libFuzzer runtime are not installed (apt-get install clang libclang-rt-14-dev)"
  exit 77
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)"
corpus=build/fuzz/corpus
mkdir -p "$corpus"
# The seeds: every shipped scenario (its path as its name), and the baseline with a few overrides.
while IFS= read -r file; do
  cp "$file" "$corpus/seed_$(echo "$file" | tr '/' '_')"
done < <(find scenarios -name '*.toml' | sort)
{ cat scenarios/england_baseline.toml; printf '\n#--set\nservice.front_door.thresholds.referral=3.2\nservice.front_door.team={fte=12}\n'; } \
  >"$corpus/seed_overrides"
echo "fuzz: ${seconds}s of the scenario loader from $(ls "$corpus" | wc -l) inputs"
build/fuzz/tests/fuzz/scenario_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix=build/fuzz/ "$corpus" 2>build/fuzz/fuzz.log || {
  tail -60 build/fuzz/fuzz.log
  echo "FAIL: the fuzzer found a problem; the input is in build/fuzz/ (see build/fuzz/fuzz.log)"
  exit 1
}
grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::new_units_added)" build/fuzz/fuzz.log || true
echo "fuzz: no crash, sanitizer report or hang in ${seconds}s"
