#pragma once
// Children's ages in the DfE's five bands (docs/MODEL.md, "Ages"): under 1, 1 to 4, 5 to 9, 10 to 15 and 16 to 17,
// the bands of the Children looked after and Children in need releases. Every age-dependent parameter of a
// scenario is one number per band. Plain C++, no engine.
#include <array>
#include <cstddef>
#include <string_view>

#include "models/random.hpp"

namespace frontdoor {

inline constexpr int age_bands = 5;
using AgeBands = std::array<double, age_bands>;

/// The bands' names, as output measures and the scenario's documentation write them.
inline constexpr std::array<std::string_view, age_bands> age_band_names{"under_1", "1_4", "5_9", "10_15", "16_17"};
/// Each band's upper edge, in years of age (a child leaves the band on that birthday; at 18 it leaves childhood).
inline constexpr std::array<double, age_bands> age_band_upper_years{1.0, 5.0, 10.0, 16.0, 18.0};
/// Each band's lower edge, in years.
inline constexpr std::array<double, age_bands> age_band_lower_years{0.0, 1.0, 5.0, 10.0, 16.0};
inline constexpr double days_per_year = 365.25;
/// Age at which a child leaves the council's children (and care): 18.
inline constexpr double adult_age_years = 18.0;

/// England's children aged 0 to 17 by band: ONS mid-2022 population estimates for England (about 0.60 million under
/// 1, 2.51 million aged 1-4, 3.31 million aged 5-9, 4.03 million aged 10-15, 1.27 million aged 16-17, of 11.7
/// million). The default of `population.age_shares`.
inline constexpr AgeBands england_age_shares{0.051, 0.214, 0.283, 0.344, 0.108};

/// The band of a child aged `age_years` (under 0 counts as under 1; 18 and over as 16 to 17).
inline int age_band_of(double age_years) {
  for (int b = 0; b < age_bands - 1; ++b) {
    if (age_years < age_band_upper_years[b]) return b;
  }
  return age_bands - 1;
}

/// Relative factors by band made into multipliers whose mean over the population (weights `shares`) is 1, so
/// that a factor changes which children a rate falls on and not its total over the council (a scenario's levels
/// stay calibrated when it reshapes rates by age). All zero (or a zero-weight population): all ones.
AgeBands normalised_by_population(const AgeBands& factors, const AgeBands& shares);

/// The age, in years, of a child drawn from a population with `shares` by band, weighted by `weights` (the rate of
/// the event that brought it to notice): the band with probability shares[b] x weights[b] (normalised), then
/// uniform within the band.
double draw_age_years(const AgeBands& shares, const AgeBands& weights, RandomStream& rng);

/// The same for a whole population (weights all one).
inline double draw_age_years(const AgeBands& shares, RandomStream& rng) {
  return draw_age_years(shares, AgeBands{1.0, 1.0, 1.0, 1.0, 1.0}, rng);
}

}  // namespace frontdoor
