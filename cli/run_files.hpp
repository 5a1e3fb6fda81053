#pragma once
// The files of a finished run: the engine's tables and manifest (sim/output_files.hpp), the summary with its
// intervals (analysis/summary.hpp) and the scenario it carries.
#include <filesystem>
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

}  // namespace frontdoor
