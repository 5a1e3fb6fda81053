#include "analysis/precision.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/statistics.hpp"

namespace frontdoor {

std::vector<double> measured_mean_by_replication(const std::vector<ReplicationResult>& results,
                                                 const std::string& measure, int first_year) {
  std::vector<double> out;
  for (const ReplicationResult& r : results) {
    double sum = 0.0;
    int n = 0;
    for (const AnnualValue& a : r.annual) {
      if (a.measure == measure && a.year >= first_year && a.unit != "count") {
        sum += a.value;
        ++n;
      }
    }
    out.push_back(n > 0 ? sum / n : NAN);
  }
  return out;
}

namespace {

const std::vector<std::string>& headline_measures() {
  static const std::vector<std::string> names = {"contacts",
                                                 "referrals",
                                                 "section47",
                                                 "cp_plan_starts",
                                                 "looked_after_starts",
                                                 "children_in_need_at_31_march_incl_cp_and_lac",
                                                 "looked_after_at_31_march",
                                                 "caseload_per_sw_fte",
                                                 "total_cost_gbp"};
  return names;
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// Each headline measure's value in each replication (its mean over the measured years), in replication order.
std::map<std::string, std::vector<double>> headline_values(const std::vector<ReplicationResult>& results,
                                                           int first_year) {
  std::map<std::string, std::vector<double>> per_replication;  // measure -> one value a replication
  for (const std::string& measure : headline_measures()) {
    std::vector<double> values = measured_mean_by_replication(results, measure, first_year);
    if (!values.empty() && std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }))
      per_replication[measure] = std::move(values);
  }
  if (per_replication.empty()) {
    for (const ReplicationResult& r : results) {
      for (const NamedValue& v : r.summary) {
        if (v.measure == "contacts_per_year" || ends_with(v.measure, "_entries_per_year"))
          per_replication[v.measure].push_back(v.value);
      }
    }
  }
  for (auto it = per_replication.begin(); it != per_replication.end();) {
    it = it->second.size() == results.size() ? std::next(it) : per_replication.erase(it);  // in every replication
  }
  return per_replication;
}

// A finding from the interval of `n` values: its half-width, absolute and over `level`.
PrecisionFinding finding(const std::string& measure, const MeanInterval& ci, double level, std::size_t n) {
  PrecisionFinding f;
  f.measure = measure;
  f.mean = ci.mean;
  f.half_width = std::isfinite(ci.high) ? (ci.high - ci.low) / 2.0 : INFINITY;
  f.relative = f.half_width / level;
  f.replications = static_cast<int>(n);
  return f;
}

}  // namespace

void sort_widest_first(std::vector<PrecisionFinding>& found) {
  std::stable_sort(found.begin(), found.end(),
                   [](const PrecisionFinding& a, const PrecisionFinding& b) { return a.relative > b.relative; });
}

std::vector<PrecisionFinding> headline_precision(const std::vector<ReplicationResult>& results, int first_year) {
  std::vector<PrecisionFinding> found;
  for (const auto& [measure, values] : headline_values(results, first_year)) {
    const MeanInterval ci = mean_ci95(values);
    if (!(std::abs(ci.mean) > 0.0)) continue;
    found.push_back(finding(measure, ci, std::abs(ci.mean), values.size()));
  }
  sort_widest_first(found);
  return found;
}

std::vector<PrecisionFinding> difference_precision(const std::vector<ReplicationResult>& base,
                                                   const std::vector<ReplicationResult>& alternative, int first_year) {
  const auto b = headline_values(base, first_year);
  const auto a = headline_values(alternative, first_year);
  std::vector<PrecisionFinding> found;
  for (const auto& [measure, base_values] : b) {
    const auto other = a.find(measure);
    if (other == a.end() || other->second.size() != base_values.size()) continue;
    std::vector<double> differences;
    for (std::size_t r = 0; r < base_values.size(); ++r) differences.push_back(other->second[r] - base_values[r]);
    const double level = std::abs(mean(base_values));
    if (!(level > 0.0)) continue;
    const MeanInterval ci = mean_ci95(differences);
    found.push_back(finding(measure, ci, level, differences.size()));
  }
  sort_widest_first(found);
  return found;
}

int next_replications(int n, double widest, double target, int jobs, int cap) {
  jobs = std::max(jobs, 1);
  double wanted = n + jobs;
  if (std::isfinite(widest) && target > 0.0) wanted = std::max(wanted, n * (widest / target) * (widest / target));
  const int rounds = static_cast<int>(std::ceil((wanted - n) / jobs - 1e-9));
  return std::min(cap, n + std::max(rounds, 1) * jobs);
}

}  // namespace frontdoor
