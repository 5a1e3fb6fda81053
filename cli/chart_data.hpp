#pragma once
// Shaping results for the charts of the HTML report (`frontdoor report`) and of the trainer's page
// (`frontdoor serve`): numbers as JSON (null where undefined), monthly bands over replications, month labels and
// the Sankey of flows through a pathway.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/pathway.hpp"

namespace frontdoor {

/// `value`, or null when it is not finite.
nlohmann::json json_number(double value);

/// Per month first_month .. first_month + count - 1: the mean over replications and its 95% interval, as
/// {"mean": [...], "low": [...], "high": [...]}. `months` is month -> replication -> value.
nlohmann::json monthly_band(const std::map<int, std::map<int, double>>& months, int first_month, int count);

/// "Apr 2024", "May 2024", ... for `count` months from the month of `start_date` (YYYY-MM-DD).
std::vector<std::string> month_labels(const std::string& start_date, int count);

/// Each route's cases a year (from the means of "flow_<route>_per_year") between services, summed over routes
/// with the same ends: {"flows": [{source, target, value}], "returns": [...]}. A Sankey diagram needs a graph
/// without cycles, so routes that go back (to a service no later in a breadth-first order from the entry) are
/// listed under "returns" rather than drawn.
nlohmann::json pathway_flows(const Pathway& pathway, const std::map<std::string, double>& summary_means);

}  // namespace frontdoor
