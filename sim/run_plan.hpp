#pragma once
// The scenario a run carries. A run, each scenario of a comparison and a sweep plan keep in their directory the
// scenario exactly as it ran (scenario.toml): its base and included files merged in and its overrides applied,
// one self-contained TOML text, with its hash in manifest.json (or sweep.json). Whatever reads the run later
// (sweep exec, report, graph --run, check-calibration) reads that copy, never the source tree, which may have
// moved on since.
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace frontdoor {

/// The name of the copy in a run's, a comparison's or a sweep's directory.
inline constexpr const char* scenario_copy_name = "scenario.toml";

/// A scenario as a run carries it.
struct CarriedScenario {
  /// Loaded from `toml`, so that what runs is what the directory keeps; its provenance (file, file_hash, includes,
  /// overrides and the origins of its parameters) is the source file's, for the manifest and for messages.
  Scenario scenario;
  std::string toml;  ///< the flattened text, written as scenario.toml
  std::string hash;  ///< content_hash(toml) (common/hash.hpp)
};

/// Loads the scenario at `path` with `overrides` (so that problems name the source file, its lines and the
/// overrides, as load_scenario's do), flattens it and loads the flattened text. Throws ScenarioError.
CarriedScenario carry_scenario(const std::string& path, const std::vector<Override>& overrides);

}  // namespace frontdoor
