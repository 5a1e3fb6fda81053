#include "analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "common/statistics.hpp"
#include "models/measures.hpp"

namespace frontdoor {

namespace {

double variance(const std::vector<double>& values) {
  const double sd = sample_sd(values);
  return sd * sd;
}

// Fills a row from per-replication pairs (replication -> value in each).
DifferenceRow difference(const std::string& measure, const std::string& unit, int year,
                         const std::map<int, double>& base, const std::map<int, double>& alt) {
  std::vector<double> b, a, d;
  for (const auto& [replication, value] : base) {
    auto it = alt.find(replication);
    if (it == alt.end() || std::isnan(value) || std::isnan(it->second)) continue;
    b.push_back(value);
    a.push_back(it->second);
    d.push_back(it->second - value);
  }
  DifferenceRow row;
  row.measure = measure;
  row.unit = unit;
  row.year = year;
  row.pairs = d.size();
  row.base_mean = mean(b);
  row.alt_mean = mean(a);
  const MeanInterval ci = mean_ci95(d);
  row.diff_mean = ci.mean;
  row.diff_low = ci.low;
  row.diff_high = ci.high;
  row.var_paired = variance(d);
  row.var_independent = variance(b) + variance(a);
  return row;
}

}  // namespace

bool DifferenceRow::indistinguishable_from_zero() const {
  return !(diff_low > 0.0 || diff_high < 0.0);  // NaN bounds: no interval, so no claim
}

Comparison compare_tables(const std::string& scenario, const AnnualTable& base, const AnnualTable& alt, int from_year) {
  Comparison c;
  c.scenario = scenario;
  for (const auto& [key, years] : base.values) {
    const auto& [measure, unit] = key;
    auto other = alt.values.find(key);
    if (other == alt.values.end()) {
      c.only_in_base.push_back(measure);
      continue;
    }
    std::map<int, double> base_over, alt_over;  // replication -> mean over the years from `from_year`
    std::map<int, std::vector<double>> base_years, alt_years;
    for (const auto& [year, by_replication] : years) {
      auto alt_year = other->second.find(year);
      if (alt_year == other->second.end()) continue;
      c.rows.push_back(difference(measure, unit, year, by_replication, alt_year->second));
      if (year < from_year) continue;
      for (const auto& [r, v] : by_replication) base_years[r].push_back(v);
      for (const auto& [r, v] : alt_year->second) alt_years[r].push_back(v);
    }
    for (const auto& [r, v] : base_years) base_over[r] = mean(v);
    for (const auto& [r, v] : alt_years) alt_over[r] = mean(v);
    if (!base_over.empty()) c.rows.push_back(difference(measure, unit, 0, base_over, alt_over));
  }
  for (const auto& [key, years] : alt.values) {
    if (base.values.count(key) == 0) c.only_in_alt.push_back(key.first);
  }
  return c;
}

std::string compare_csv(const std::vector<Comparison>& comparisons) {
  std::ostringstream out;
  out.precision(17);
  out << "scenario,year,measure,base_mean,alt_mean,diff_mean,diff_ci95_low,diff_ci95_high\n";
  auto number = [](double v) {
    if (std::isnan(v)) return std::string("nan");
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
  };
  for (const auto& c : comparisons) {
    for (const auto& row : c.rows) {
      if (row.year == 0) continue;
      out << c.scenario << ',' << row.year << ',' << row.measure << ',' << number(row.base_mean) << ','
          << number(row.alt_mean) << ',' << number(row.diff_mean) << ',' << number(row.diff_low) << ','
          << number(row.diff_high) << '\n';
    }
  }
  return out.str();
}

double median_variance_reduction(const Comparison& comparison) {
  std::vector<double> reductions;
  for (const auto& row : comparison.rows) {
    if (row.year != 0 || unit_from_text(row.unit) == Unit::count || !(row.var_independent > 0.0) ||
        std::isnan(row.var_paired))
      continue;
    reductions.push_back(1.0 - row.var_paired / row.var_independent);
  }
  return quantile(reductions, 0.5);
}

}  // namespace frontdoor
