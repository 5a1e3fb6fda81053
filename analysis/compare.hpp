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
  int from_year = 0;                                   ///< the pooled rows' first year
  int last_year = 0;                                   ///< the last year compared
};

/// Compares `alt` with `base` pair by pair (replication r of each was run on the same seed).
Comparison compare_tables(const std::string& scenario, const AnnualTable& base, const AnnualTable& alt, int from_year);

/// compare.csv: scenario,year,measure,unit,base_mean,alt_mean,diff_mean,diff_ci95_low,diff_ci95_high,pairs,clear.
/// Each measure's measured years pooled first (year "mean_<from>_<last>": the mean a year over them, the
/// difference of the pairs' means), then each year. clear: "yes" when the interval leaves out zero. Numbers carry
/// six significant digits of the row's scale and no exponent (a difference of float noise reads 0).
std::string compare_csv(const std::vector<Comparison>& comparisons);

/// `v` with at most six significant digits of `scale` (the larger of the numbers it is read beside), no exponent,
/// trailing zeros dropped, "-0" as "0"; "nan" for NaN.
std::string tidy_number(double v, double scale);

/// The variance reduction common random numbers gave: 1 - var(paired) / var(independent), over the over-years
/// rows of the measures that are not counts and vary; the median over those measures (NaN if none).
double median_variance_reduction(const Comparison& comparison);

}  // namespace frontdoor
