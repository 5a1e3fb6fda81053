#pragma once
// Text for people: the summary table printed after a run, and the description printed by `frontdoor validate`.
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/summary.hpp"
#include "models/scenario.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// A number with thousands separators and sensible decimals ("25,031", "0.875", "1.25").
std::string human_number(double value);

/// `value` with exactly `decimals` decimals (printf %.*f): 12.3 with 2 is "12.30".
std::string fixed(double value, int decimals);

std::string summary_table(const Scenario& scenario, std::uint64_t seed, const std::vector<ReplicationResult>& results,
                          const std::vector<SummaryRow>& summary, const std::string& out_dir);

std::string describe_scenario(const Scenario& scenario);

/// Staff and planned spend per 10,000 children, beside England's published range where there is one
/// (`targets`: calibration/england_targets.csv), with a warning outside it; and the per-child values the scenario
/// scaled to its number of children (population.scale).
std::string per_child_check(const Scenario& scenario, const std::vector<CalibrationTarget>& targets);

}  // namespace frontdoor
