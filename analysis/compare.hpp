#pragma once
// Paired comparison of scenarios run on the same seeds (common random numbers): for every yearly measure they
// share, the mean of each and the mean difference ALT - BASE with a 95% Student-t interval over the replication
// pairs, and the variance of that difference against what independent seeds would give.
#include <string>
#include <vector>

#include "analysis/run_reader.hpp"

namespace frontdoor {

struct DifferenceRow {
  std::string measure;
  std::string unit;
  int year = 0;  ///< 1 = the first year; 0 = the mean over the years from `from_year` on
  double base_mean = 0.0;
  double alt_mean = 0.0;
  double diff_mean = 0.0;
  double diff_low = 0.0;  ///< 95% CI of the mean difference (NaN with fewer than two pairs)
  double diff_high = 0.0;
  std::size_t pairs = 0;
  double var_paired = 0.0;       ///< sample variance of the paired differences
  double var_independent = 0.0;  ///< var(base) + var(alt): the variance of a difference of independent runs

  /// True when the interval contains zero (or there is none): the difference cannot be told from zero.
  bool indistinguishable_from_zero() const;
};

struct Comparison {
  std::string scenario;                                ///< the alternative's name
  std::vector<DifferenceRow> rows;                     ///< per measure: the years, then the over-years row (year 0)
  std::vector<std::string> only_in_base, only_in_alt;  ///< measures the two do not share
};

/// Compares `alt` with `base` pair by pair (replication r of each was run on the same seed).
Comparison compare_tables(const std::string& scenario, const AnnualTable& base, const AnnualTable& alt, int from_year);

/// compare.csv: scenario,year,measure,base_mean,alt_mean,diff_mean,diff_ci95_low,diff_ci95_high (years only).
std::string compare_csv(const std::vector<Comparison>& comparisons);

/// The variance reduction common random numbers gave: 1 - var(paired) / var(independent), over the over-years
/// rows of the measures that are not counts and vary; the median over those measures (NaN if none).
double median_variance_reduction(const Comparison& comparison);

}  // namespace frontdoor
