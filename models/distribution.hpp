#pragma once
// A duration distribution as a scenario declares it: exponential, lognormal, gamma or fixed, always described by
// its mean (days) so that switching the family keeps the workload the same.
#include <string>

#include "models/random.hpp"

namespace frontdoor {

enum class DistributionFamily { exponential, lognormal, gamma, fixed };

/// The family's name as written in scenario files ("exponential", "lognormal", "gamma", "fixed").
const char* family_name(DistributionFamily family);

class Distribution {
 public:
  /// Exponential with mean `mean_days` (> 0).
  static Distribution exponential(double mean_days);
  /// Lognormal with mean `mean_days` (> 0) and standard deviation `sd_days` (>= 0).
  static Distribution lognormal(double mean_days, double sd_days);
  /// Gamma with mean `mean_days` (> 0) and shape `shape` (> 0); the standard deviation is mean / sqrt(shape).
  static Distribution gamma(double mean_days, double shape);
  /// Always exactly `value_days` (>= 0).
  static Distribution fixed(double value_days);

  /// One draw, in days.
  double sample(RandomStream& stream) const;

  DistributionFamily family() const { return family_; }
  /// Mean in days.
  double mean() const { return mean_; }
  /// Standard deviation in days.
  double sd() const;
  /// Shape parameter (gamma only; 0 otherwise).
  double shape() const { return shape_; }
  /// One-line description, for `frontdoor validate` and DOT labels.
  std::string describe() const;

 private:
  DistributionFamily family_ = DistributionFamily::fixed;
  double mean_ = 0.0;
  double sd_ = 0.0;     // lognormal only
  double shape_ = 0.0;  // gamma only
  double mu_ = 0.0;     // lognormal: parameters of the underlying normal
  double sigma_ = 0.0;
};

}  // namespace frontdoor
