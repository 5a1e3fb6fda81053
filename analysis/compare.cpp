#include "analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
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
  c.from_year = from_year;
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
      c.last_year = std::max(c.last_year, year);
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

// A number for a file people open: at most 6 significant digits of the row's scale (the larger of its two means),
// so a difference of float noise (-1.49e-07 beside 0.3) reads 0; no exponents; pounds and other large numbers whole.
std::string tidy_number(double v, double scale) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  scale = std::max(std::abs(scale), std::abs(v));
  int decimals = 0;
  if (scale > 0.0) decimals = std::clamp(5 - static_cast<int>(std::floor(std::log10(scale))), 0, 9);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

std::string compare_csv(const std::vector<Comparison>& comparisons) {
  std::ostringstream out;
  out << "scenario,year,measure,unit,base_mean,alt_mean,diff_mean,diff_ci95_low,diff_ci95_high,pairs,clear\n";
  for (const auto& c : comparisons) {
    auto line = [&](const DifferenceRow& row, const std::string& year) {
      const double scale = std::max(std::abs(row.base_mean), std::abs(row.alt_mean));
      out << c.scenario << ',' << year << ',' << row.measure << ',' << row.unit << ','
          << tidy_number(row.base_mean, scale) << ',' << tidy_number(row.alt_mean, scale) << ','
          << tidy_number(row.diff_mean, scale) << ',' << tidy_number(row.diff_low, scale) << ','
          << tidy_number(row.diff_high, scale) << ',' << row.pairs << ','
          << (row.indistinguishable_from_zero() ? "no" : "yes") << '\n';
    };
    // The measured years pooled first (a mean a year over them), then year by year.
    for (const auto& row : c.rows) {
      if (row.year == 0) line(row, "mean_" + std::to_string(c.from_year) + "_" + std::to_string(c.last_year));
    }
    for (const auto& row : c.rows) {
      if (row.year > 0) line(row, std::to_string(row.year));
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
