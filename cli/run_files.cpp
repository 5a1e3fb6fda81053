#include "cli/run_files.hpp"

#include "sim/run_plan.hpp"

namespace frontdoor {

std::vector<SummaryRow> write_run_files(const std::filesystem::path& dir, const Scenario& scenario,
                                        const RunFacts& facts, const std::vector<ReplicationResult>& results) {
  std::vector<SummaryRow> summary = summarise(results);
  write_file_atomically(dir / "timeseries.csv", timeseries_csv(results));
  write_file_atomically(dir / "summary.csv", summary_csv(summary));
  write_file_atomically(dir / "annual.csv", annual_csv(results));
  if (!facts.scenario_toml.empty()) write_file_atomically(dir / scenario_copy_name, facts.scenario_toml);
  write_file_atomically(dir / "manifest.json", manifest_json(scenario, facts, results));
  return summary;
}

}  // namespace frontdoor
