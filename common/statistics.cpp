#include "common/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace frontdoor {

namespace {
constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return nan_value;
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double sample_sd(const std::vector<double>& values) {
  if (values.size() < 2) return nan_value;
  const double m = mean(values);
  double ss = 0.0;
  for (double v : values) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

double quantile(std::vector<double> values, double p) {
  if (values.empty()) return nan_value;
  const double h = p * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double at_lo = values[lo];
  if (lo + 1 >= values.size()) return at_lo;
  const double at_hi = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  return at_lo + (h - static_cast<double>(lo)) * (at_hi - at_lo);
}

double student_t_critical(double alpha, double dof) {
  boost::math::students_t dist(dof);
  return boost::math::quantile(boost::math::complement(dist, alpha / 2.0));
}

MeanInterval mean_ci95(const std::vector<double>& values) {
  std::vector<double> finite;
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  MeanInterval ci;
  ci.n = finite.size();
  ci.mean = mean(finite);
  if (finite.size() < 2) {
    ci.low = ci.high = nan_value;
    return ci;
  }
  const double half = student_t_critical(0.05, static_cast<double>(finite.size() - 1)) * sample_sd(finite) /
                      std::sqrt(static_cast<double>(finite.size()));
  ci.low = ci.mean - half;
  ci.high = ci.mean + half;
  return ci;
}

}  // namespace frontdoor
