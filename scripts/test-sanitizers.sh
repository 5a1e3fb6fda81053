#!/usr/bin/env bash
# The fast tests again under AddressSanitizer and UndefinedBehaviorSanitizer (the `sanitize` preset: a debug build
# in which any report fails the test, and SimGrid runs its actors on threads, since ASan cannot follow its own
# context switching), then a minute of fuzzing of the scenario loader and the --set parser where clang is present
# (tests/fuzz/run.sh). CI runs it before scripts/test.sh; the whole sanitizer suite is
# `ctest --test-dir build/sanitize` (about 25 minutes on 2 cores: the behaviour tests simulate for years).
# Usage: bash scripts/test-sanitizers.sh [FUZZ_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${1:-60}
bash scripts/install-deps.sh >/dev/null
cmake --preset sanitize -DFRONTDOOR_BUILD_BENCH=OFF >/dev/null
cmake --build build/sanitize -j"$(nproc)" --target frontdoor models_tests analysis_tests sim_tests cli_tests
# The tests that need no long simulation (under the sanitizers, with a thread per actor, a year of the England
# baseline takes minutes): the domain, the statistics, the output files, the runner, the abuse of the program, and
# two short simulations, so that the engine itself runs under the sanitizers too.
fast='^(ScreeningQueue|DecisionRule|Routing|CaseloadClock|Workforce|Children|Drift|ScenarioLoader|ScenarioFlatten|Reporting|Measures|Pathway|Arrivals|Calendar|Distribution|RandomStream)\.'
fast+='|^(SweepDesign|Sensitivity|Statistics|Calibration|OutputFiles|ErlangC|Runner|TimeWeightedLevel|PathwayRecorder|FullDisk)\.'
fast+='|^Hardening\.(TextThat|Seeds|Overrides|StopSignals|KilledRun|TheWorking)'
fast+='|^FrontDoorSim\.(ScreenerSchedule|CommonRandomNumbersKeep)|^Reinvestment\.(AScenario|Moves)|^Cli\.(BadInput|RunWrites|EngineOptions|SyntaxError|Validate|Version)'
ctest --test-dir build/sanitize --output-on-failure -j"$(nproc)" -R "$fast"
status=0
bash tests/fuzz/run.sh "$fuzz_seconds" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then exit "$status"; fi
