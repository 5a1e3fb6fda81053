#include "models/ages.hpp"

namespace frontdoor {

AgeBands normalised_by_population(const AgeBands& factors, const AgeBands& shares) {
  double mean = 0.0;
  double weight = 0.0;
  for (int b = 0; b < age_bands; ++b) {
    mean += shares[b] * factors[b];
    weight += shares[b];
  }
  AgeBands out{1.0, 1.0, 1.0, 1.0, 1.0};
  if (mean <= 0.0 || weight <= 0.0) return out;
  for (int b = 0; b < age_bands; ++b) out[b] = factors[b] * weight / mean;
  return out;
}

double draw_age_years(const AgeBands& shares, const AgeBands& weights, RandomStream& rng) {
  double total = 0.0;
  for (int b = 0; b < age_bands; ++b) total += shares[b] * weights[b];
  double u = rng.uniform01() * total;
  const double within = rng.uniform01();  // drawn whatever the band, so that the stream stays in step
  int band = age_bands - 1;
  for (int b = 0; b < age_bands; ++b) {
    const double w = shares[b] * weights[b];
    if (u < w) {
      band = b;
      break;
    }
    u -= w;
  }
  if (total <= 0.0) band = 0;
  return age_band_lower_years[band] + within * (age_band_upper_years[band] - age_band_lower_years[band]);
}

}  // namespace frontdoor
