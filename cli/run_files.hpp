#pragma once
// The files of a finished run: the engine's tables and manifest (sim/output_files.hpp), the summary with its
// intervals (analysis/summary.hpp) and the scenario it carries.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "models/scenario.hpp"
#include "sim/output_files.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// Writes a run's files into `dir` (which must exist): timeseries.csv, summary.csv, annual.csv, manifest.json and,
/// when `facts` carries it, scenario.toml. Returns the summary rows.
std::vector<SummaryRow> write_run_files(const std::filesystem::path& dir, const Scenario& scenario,
                                        const RunFacts& facts, const std::vector<ReplicationResult>& results);

/// Records replication `replication` (1-based) of `scenario` again with base seed `base_seed` (sim/returns_run.hpp;
/// `scratch` must exist) and writes its statutory returns (models/returns.hpp) below `dir`, each file atomically.
/// Returns how many files it wrote. Throws RunError if the recording fails.
int write_statutory_returns(const std::filesystem::path& dir, const Scenario& scenario, std::uint64_t base_seed,
                            int replication, const std::vector<std::string>& engine_args,
                            const std::filesystem::path& scratch);

/// The check of a `--returns` value against the run's replications: "" when `text` (empty: the flag alone, which
/// means 1) is a whole number from 1 to `replications`, else the message naming --returns. `replication` receives
/// the number.
std::string check_returns_flag(const std::string& text, int replications, int& replication);

}  // namespace frontdoor
