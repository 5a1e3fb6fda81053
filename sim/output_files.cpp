#include "sim/output_files.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <xbt/base.h>  // version.h needs its macros
#include <simgrid/version.h>
#include <system_error>

#include "analysis/statistics.hpp"
#include "build_info.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

void write_file_atomically(const fs::path& path, const std::string& content) {
  const fs::path temporary = path.string() + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw OutputError("cannot write " + temporary.string());
    out << content;
    out.flush();
    if (!out) throw OutputError("cannot write " + temporary.string() + " (disk full?)");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw OutputError("cannot rename " + temporary.string() + " to " + path.string());
  }
}

std::string format_double(double value) {
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

OutputDirectory::OutputDirectory(fs::path target, bool force) : target_(std::move(target)), force_(force) {
  std::error_code ec;
  if (target_.filename().empty()) target_ = target_.parent_path();
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec)) throw OutputError(target_.string() + " exists and is not a directory");
    if (!fs::is_empty(target_, ec) && !force_) {
      throw OutputError(target_.string() + " already holds results; choose another --out or add --force to replace it");
    }
  }
  fs::path parent = fs::absolute(target_, ec).parent_path();
  fs::create_directories(parent, ec);
  if (ec) throw OutputError("cannot create " + parent.string() + ": " + ec.message());
  staging_ = parent / ("." + target_.filename().string() + ".partial-" + std::to_string(getpid()));
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec) || ec) {
    throw OutputError("cannot write to " + parent.string() + (ec ? ": " + ec.message() : ""));
  }
}

OutputDirectory::~OutputDirectory() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

void OutputDirectory::commit() {
  std::error_code ec;
  const fs::path retired = staging_.string() + ".old";
  bool had_target = fs::exists(target_, ec);
  if (had_target) {
    fs::rename(target_, retired, ec);
    if (ec) throw OutputError("cannot replace " + target_.string() + ": " + ec.message());
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    if (had_target) fs::rename(retired, target_, ec);
    throw OutputError("cannot move results into " + target_.string() + ": " + ec.message());
  }
  committed_ = true;
  if (had_target) fs::remove_all(retired, ec);
}

std::vector<SummaryRow> summarise(const std::vector<ReplicationResult>& results) {
  std::vector<SummaryRow> rows;
  if (results.empty()) return rows;
  for (std::size_t i = 0; i < results.front().summary.size(); ++i) {
    std::vector<double> values;
    for (const auto& r : results) values.push_back(r.summary.at(i).value);
    const MeanInterval ci = mean_ci95(values);
    rows.push_back({results.front().summary[i].measure, ci.mean, ci.low, ci.high, ci.n});
  }
  return rows;
}

std::string timeseries_csv(const std::vector<ReplicationResult>& results) {
  std::string csv = "replication,seed,month,measure,value\n";
  for (const auto& r : results) {
    const std::string prefix = std::to_string(r.replication + 1) + "," + std::to_string(r.seed) + ",";
    const std::size_t months = r.monthly.empty() ? 0 : r.monthly.front().values.size();
    for (std::size_t m = 0; m < months; ++m) {
      for (const auto& series : r.monthly) {
        const double v = series.values[m];
        if (!std::isfinite(v)) continue;
        csv += prefix + std::to_string(m + 1) + "," + series.measure + "," + format_double(v) + "\n";
      }
    }
  }
  return csv;
}

std::string annual_csv(const std::vector<ReplicationResult>& results) {
  std::string csv = "replication,seed,year,measure,unit,value\n";
  for (const auto& r : results) {
    const std::string prefix = std::to_string(r.replication + 1) + "," + std::to_string(r.seed) + ",";
    for (const auto& a : r.annual) {
      csv += prefix + std::to_string(a.year) + "," + a.measure + "," + a.unit + "," + format_double(a.value) + "\n";
    }
  }
  return csv;
}

std::string summary_csv(const std::vector<SummaryRow>& rows) {
  auto cell = [](double v) { return std::isfinite(v) ? format_double(v) : std::string(); };
  std::string csv = "measure,mean,ci95_low,ci95_high,replications\n";
  for (const auto& row : rows) {
    csv += row.measure + "," + cell(row.mean) + "," + cell(row.ci95_low) + "," + cell(row.ci95_high) + "," +
           std::to_string(row.replications) + "\n";
  }
  return csv;
}

std::string manifest_json(const Scenario& scenario, const RunFacts& facts, const std::vector<ReplicationResult>& results) {
  char hash[32];
  std::snprintf(hash, sizeof hash, "fnv1a64:%016llx", static_cast<unsigned long long>(scenario.file_hash));
  nlohmann::ordered_json j;
  j["program"] = {{"name", "frontdoor"},
                  {"version", build_info::program_version},
                  {"git_commit", build_info::git_commit},
                  {"build_type", build_info::build_type},
                  {"simgrid_version", std::to_string(SIMGRID_VERSION_MAJOR) + "." +
                                          std::to_string(SIMGRID_VERSION_MINOR) + "." +
                                          std::to_string(SIMGRID_VERSION_PATCH)}};
  j["scenario"] = {{"name", scenario.name},
                   {"version", scenario.version},
                   {"description", scenario.description},
                   {"file", scenario.file},
                   {"path_absolute", std::filesystem::absolute(scenario.file).lexically_normal().string()},
                   {"includes", scenario.includes},
                   {"file_hash", hash}};
  nlohmann::ordered_json overrides = nlohmann::ordered_json::array();
  for (const auto& o : scenario.overrides) overrides.push_back({{"key", o.key}, {"value", o.value}});
  j["overrides"] = overrides;
  j["simulation"] = {{"years", scenario.simulation.years},
                     {"start_date", format_date(scenario.simulation.start_date)},
                     {"warmup_days", scenario.simulation.warmup_days},
                     {"time_unit", "day"}};
  j["base_seed"] = facts.base_seed;
  j["seed_derivation"] =
      "replication seed = splitmix64(splitmix64(base_seed) ^ ((replication + 1) * 0x9E3779B97F4A7C15)), "
      "replication counted from 0";
  j["jobs"] = facts.jobs;
  j["engine_args"] = facts.engine_args;
  j["command_line"] = facts.command_line;
  nlohmann::ordered_json reps = nlohmann::ordered_json::array();
  for (const auto& r : results) {
    reps.push_back({{"replication", r.replication + 1},
                    {"seed", r.seed},
                    {"engine_events", r.engine_events},
                    {"contacts_arrived", r.balance.arrived},
                    {"initial_cases", r.balance.initial},
                    {"wall_time_s", std::round(r.wall_seconds * 1000.0) / 1000.0}});
  }
  j["replications"] = reps;
  j["files"] = {{"timeseries.csv", "replication,seed,month,measure,value: monthly measures, month 1 first"},
                {"summary.csv", "measure,mean,ci95_low,ci95_high,replications: after the warm-up, Student-t 95% CI"},
                {"annual.csv", "replication,seed,year,measure,unit,value: the scenario's [reporting] measures by year"}};
  return j.dump(2) + "\n";
}

std::vector<SummaryRow> write_run_files(const std::filesystem::path& dir, const Scenario& scenario,
                                        const RunFacts& facts, const std::vector<ReplicationResult>& results) {
  std::vector<SummaryRow> summary = summarise(results);
  write_file_atomically(dir / "timeseries.csv", timeseries_csv(results));
  write_file_atomically(dir / "summary.csv", summary_csv(summary));
  write_file_atomically(dir / "annual.csv", annual_csv(results));
  write_file_atomically(dir / "manifest.json", manifest_json(scenario, facts, results));
  return summary;
}

}  // namespace frontdoor
