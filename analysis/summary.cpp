#include "analysis/summary.hpp"

#include <cmath>

#include "common/number_format.hpp"
#include "common/statistics.hpp"

namespace frontdoor {

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

std::string summary_csv(const std::vector<SummaryRow>& rows) {
  auto cell = [](double v) { return std::isfinite(v) ? format_output(v) : std::string(); };
  std::string csv = "measure,mean,ci95_low,ci95_high,replications\n";
  for (const auto& row : rows) {
    csv += row.measure + "," + cell(row.mean) + "," + cell(row.ci95_low) + "," + cell(row.ci95_high) + "," +
           std::to_string(row.replications) + "\n";
  }
  return csv;
}

}  // namespace frontdoor
