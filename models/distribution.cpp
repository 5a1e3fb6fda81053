#include "models/distribution.hpp"

#include <cmath>
#include <sstream>

namespace frontdoor {

const char* family_name(DistributionFamily family) {
  switch (family) {
    case DistributionFamily::exponential:
      return "exponential";
    case DistributionFamily::lognormal:
      return "lognormal";
    case DistributionFamily::gamma:
      return "gamma";
    case DistributionFamily::fixed:
      return "fixed";
  }
  return "?";
}

Distribution Distribution::exponential(double mean_days) {
  Distribution d;
  d.family_ = DistributionFamily::exponential;
  d.mean_ = mean_days;
  return d;
}

Distribution Distribution::lognormal(double mean_days, double sd_days) {
  Distribution d;
  d.family_ = DistributionFamily::lognormal;
  d.mean_ = mean_days;
  d.sd_ = sd_days;
  const double cv2 = (sd_days / mean_days) * (sd_days / mean_days);
  d.sigma_ = std::sqrt(std::log1p(cv2));
  d.mu_ = std::log(mean_days) - 0.5 * d.sigma_ * d.sigma_;
  return d;
}

Distribution Distribution::gamma(double mean_days, double shape) {
  Distribution d;
  d.family_ = DistributionFamily::gamma;
  d.mean_ = mean_days;
  d.shape_ = shape;
  return d;
}

Distribution Distribution::fixed(double value_days) {
  Distribution d;
  d.family_ = DistributionFamily::fixed;
  d.mean_ = value_days;
  return d;
}

double Distribution::sample(RandomStream& stream) const {
  switch (family_) {
    case DistributionFamily::exponential:
      return stream.exponential(mean_);
    case DistributionFamily::lognormal:
      return stream.lognormal(mu_, sigma_);
    case DistributionFamily::gamma:
      return stream.gamma(shape_, mean_ / shape_);
    case DistributionFamily::fixed:
      return mean_;
  }
  return mean_;
}

double Distribution::sd() const {
  switch (family_) {
    case DistributionFamily::exponential:
      return mean_;
    case DistributionFamily::lognormal:
      return sd_;
    case DistributionFamily::gamma:
      return mean_ / std::sqrt(shape_);
    case DistributionFamily::fixed:
      return 0.0;
  }
  return 0.0;
}

std::string Distribution::describe() const {
  std::ostringstream out;
  out << family_name(family_) << "(mean " << mean_ << " d";
  if (family_ == DistributionFamily::lognormal) out << ", sd " << sd_ << " d";
  if (family_ == DistributionFamily::gamma) out << ", shape " << shape_;
  out << ")";
  return out.str();
}

}  // namespace frontdoor
