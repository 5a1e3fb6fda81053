#pragma once
// Sensitivity analysis of a sweep: Morris elementary effects (mu*, sigma) on a Morris design, and standardised
// regression coefficients (SRC) on grids and Latin hypercubes. Plain C++, unit-tested on functions with known
// effects.
#include <string>
#include <vector>

#include "analysis/sweep_design.hpp"

namespace frontdoor {

struct FactorEffect {
  std::string factor;
  double mu_star = 0.0;  ///< Morris: mean absolute elementary effect (per unit of the factor's range)
  double mu = 0.0;       ///< Morris: mean elementary effect
  double sigma = 0.0;    ///< Morris: standard deviation of the elementary effects (interaction, non-linearity)
  double src = 0.0;      ///< regression: standardised coefficient (the output's sd per sd of the factor)
};

/// Elementary effects along Morris trajectories: `points` are the design's points in order (trajectories of
/// k + 1 points, as morris_design makes them) and `y` the output at each. Effects are per unit of each factor's
/// range. Sorted by mu*, largest first.
std::vector<FactorEffect> morris_effects(const std::vector<SweepFactor>& factors,
                                         const std::vector<std::vector<double>>& points, const std::vector<double>& y);

/// Standardised regression coefficients of y on the factors (ordinary least squares on standardised
/// variables), sorted by |SRC|, largest first. `r_squared` receives the fit's R^2.
std::vector<FactorEffect> standardised_regression(const std::vector<SweepFactor>& factors,
                                                  const std::vector<std::vector<double>>& points,
                                                  const std::vector<double>& y, double& r_squared);

}  // namespace frontdoor
