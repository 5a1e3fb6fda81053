#pragma once
// What one replication produces: monthly series, summary statistics and the counts that prove conservation.
// A replication runs in a child process and hands this to the parent as JSON.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace frontdoor {

/// One named monthly series; NaN marks a month where the measure is undefined (no contact screened, say).
struct MonthlySeries {
  std::string measure;
  std::vector<double> values;  ///< one per calendar month, month 1 first
};

struct NamedValue {
  std::string measure;
  double value = 0.0;
};

/// Where every case is at the end: arrived = left + waiting + in_progress.
struct CaseBalance {
  std::uint64_t arrived = 0;      ///< contacts from the referral sources
  std::uint64_t left = 0;         ///< reached an exit
  std::uint64_t waiting = 0;      ///< in a queue or unallocated
  std::uint64_t in_progress = 0;  ///< being screened, allocated, or awaiting a delayed decision
  std::uint64_t initial = 0;      ///< cases open on the first day (a team's initial caseload)
};

/// One row of annual.csv: a measure for a year (1 = the first 12 months from the start).
struct AnnualValue {
  int year = 0;
  std::string measure;
  std::string unit;
  double value = 0.0;
};

struct ReplicationResult {
  int replication = 0;     ///< 0-based
  std::uint64_t seed = 0;  ///< this replication's own seed
  std::vector<MonthlySeries> monthly;
  std::vector<NamedValue> summary;  ///< after the warm-up; names are stable, order is the output order
  std::vector<AnnualValue> annual;  ///< the scenario's [reporting] measures, year by year
  CaseBalance balance;
  std::uint64_t engine_events = 0;  ///< simulated waits (sleeps and hand-offs) the engine processed
  double simulated_days = 0.0;
  double wall_seconds = 0.0;  ///< filled in by the parent, which times the child process
  std::optional<int> run_id;  ///< a sweep's row (plan.csv's run_id), when it ran one
};

nlohmann::json to_json(const ReplicationResult& result);
ReplicationResult replication_from_json(const nlohmann::json& json);

}  // namespace frontdoor
