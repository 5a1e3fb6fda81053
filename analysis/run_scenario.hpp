#pragma once
// The scenario a finished run, comparison or sweep plan carries (scenario.toml, see sim/run_plan.hpp), read back
// and checked against the hash its directory recorded. Never the source tree's file, which may have changed.
#include <filesystem>
#include <string>

#include "models/scenario.hpp"

namespace frontdoor {

/// DIR/scenario.toml's text, checked against `expected_hash` (common/hash.hpp) recorded in `recorded_in` (a file
/// name for messages, such as "manifest.json"). Throws RunReadError naming the file when it cannot be read or has
/// been altered.
std::string read_scenario_copy(const std::filesystem::path& dir, const std::string& expected_hash,
                               const std::string& recorded_in);

/// The scenario a run directory ran: its copy, checked against manifest.json's scenario.copy_hash. A run made before
/// runs carried their scenario (no copy_hash) is reloaded from its source file with its overrides, and refused if
/// that file has changed since. Throws RunReadError (not a run, an altered copy, a changed source) or ScenarioError
/// (the scenario no longer loads).
Scenario scenario_of_run(const std::filesystem::path& run_dir);

}  // namespace frontdoor
