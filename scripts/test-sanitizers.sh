#!/usr/bin/env bash
# The fast tests again under AddressSanitizer and UndefinedBehaviorSanitizer (the `sanitize` preset: a debug build
# in which any report fails the test, and SimGrid runs its actors on threads, since ASan cannot follow its own
# context switching), then a minute of fuzzing of the scenario loader and the --set parser where clang is present
# (tests/fuzz/run.sh). CI runs it after scripts/test.sh; the whole sanitizer suite is
# `ctest --test-dir build/sanitize` (about 25 minutes on 2 cores: the behaviour tests simulate for years).
# Usage: bash scripts/test-sanitizers.sh [FUZZ_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${1:-60}
bash scripts/install-deps.sh >/dev/null
cmake --preset sanitize -DFRONTDOOR_BUILD_BENCH=OFF >/dev/null
cmake --build build/sanitize -j"$(nproc)" --target frontdoor models_tests analysis_tests sim_tests cli_tests
# Every test but those that simulate the England baseline for years (minutes each under the sanitizers).
slow='^(Compare|Need)\.|^FrontDoorSim\.(ShockRaises|SameSeedSameResult)|^Cli\.(BaselinePasses|CompareOfAScenario|SameSeedGives)|^(Browser|Slurm|Serve)\.'
ctest --test-dir build/sanitize --output-on-failure -j"$(nproc)" -E "$slow"
status=0
bash tests/fuzz/run.sh "$fuzz_seconds" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then exit "$status"; fi
