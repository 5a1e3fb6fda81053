#pragma once
// The scenario a run carries. A run, each scenario of a comparison and a sweep plan keep in their directory the
// scenario exactly as it ran (scenario.toml): its base and included files merged in and its overrides applied,
// one self-contained TOML text, with its hash in manifest.json (or sweep.json). Whatever reads the run later
// (sweep exec, report, graph --run, check-calibration) reads that copy, never the source tree, which may have
// moved on since.
//
// A run plan: the scenario a run carries and the seeds of its replications, turned into replication tasks that
// any executor (sim/executor.hpp: fork or spawn) carries out, the results read back in replication order.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/executor.hpp"
#include "sim/replication_result.hpp"
#include "sim/result_cache.hpp"

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

/// A run plan: one scenario and its replications, whose seeds are replication_seed(base_seed, r) for r = 0 ..
/// replications - 1 (models/random.hpp). Any executor can carry it out.
struct RunPlan {
  std::shared_ptr<const Scenario> scenario;
  std::shared_ptr<const std::string> scenario_toml;  ///< its carried text; null for a scenario made in memory (a
                                                     ///< test's), which only ForkExecutor can run
  std::uint64_t base_seed = 1;
  int replications = 1;  ///< >= 1
};

/// A plan for a carried scenario.
RunPlan run_plan(const CarriedScenario& carried, std::uint64_t base_seed, int replications);

/// The plan's tasks, replication r's result going to `scratch`/replication_r.json.
std::vector<ReplicationTask> replication_tasks(const RunPlan& plan, const std::filesystem::path& scratch);

/// Carries out `plan` on `executor` (results in `scratch`, which must exist and be writable) and reads the results
/// back in replication order, each with its wall time. A replication whose finished result `cache` holds (by
/// sim/result_cache.hpp's replication_key) is not run again, and every new result is added to it.
/// `on_progress(finished, total)` is called as each ends. Throws RunError (sim/runner.hpp) listing every failure,
/// once all have ended.
std::vector<ReplicationResult> execute(const RunPlan& plan, Executor& executor, const std::filesystem::path& scratch,
                                       const std::function<void(int, int)>& on_progress = {},
                                       ResultCache* cache = nullptr);

}  // namespace frontdoor
