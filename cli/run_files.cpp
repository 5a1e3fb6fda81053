#include "cli/run_files.hpp"

#include "models/returns.hpp"
#include "sim/returns_run.hpp"
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

int write_statutory_returns(const std::filesystem::path& dir, const Scenario& scenario, std::uint64_t base_seed,
                            int replication, const std::vector<std::string>& engine_args,
                            const std::filesystem::path& scratch) {
  const ChildRecords records = record_replication(scenario, base_seed, replication - 1, engine_args, scratch);
  int written = 0;
  for (const auto& file : statutory_returns(records, scenario)) {
    const std::filesystem::path path = dir / file.path;
    std::filesystem::create_directories(path.parent_path());
    write_file_atomically(path, file.content);
    ++written;
  }
  return written;
}

std::string check_returns_flag(const std::string& text, int replications, int& replication) {
  replication = 1;
  if (!text.empty()) {
    std::size_t used = 0;
    long value = 0;
    try {
      value = std::stol(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.find_first_not_of("0123456789") != std::string::npos) value = 0;
    replication = value >= 1 && value <= replications ? static_cast<int>(value) : 0;
  }
  if (replication >= 1) return "";
  return "--returns " + text + ": expected the number of a replication of this run, from 1 to " +
         std::to_string(replications) + " (-r " + std::to_string(replications) + ")";
}

}  // namespace frontdoor
