#pragma once
// Small, exact statistics used on run outputs: means, quantiles and Student-t confidence intervals.
// No dependencies beyond Boost.Math: a leaf that the recorder and output files in sim/ use as much as analysis/.
#include <cstddef>
#include <vector>

namespace frontdoor {

/// Arithmetic mean; NaN for an empty sample.
double mean(const std::vector<double>& values);
/// Sample standard deviation (n - 1 denominator); NaN for fewer than two values.
double sample_sd(const std::vector<double>& values);
/// Quantile p in [0, 1] with linear interpolation between order statistics (Hyndman and Fan type 7, the
/// default of R and NumPy); NaN for an empty sample. Takes a copy because it reorders.
double quantile(std::vector<double> values, double p);

/// A 95% confidence interval for a mean.
struct MeanInterval {
  double mean = 0.0;
  double low = 0.0;   ///< NaN when n < 2
  double high = 0.0;  ///< NaN when n < 2
  std::size_t n = 0;
};

/// Mean with a two-sided 95% Student-t interval over independent replications. NaN values are skipped.
MeanInterval mean_ci95(const std::vector<double>& values);

/// The two-sided Student-t critical value t_{1 - alpha/2, dof}.
double student_t_critical(double alpha, double dof);

}  // namespace frontdoor
