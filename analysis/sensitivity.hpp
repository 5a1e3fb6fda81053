#pragma once
// Sensitivity analysis of a sweep: Morris elementary effects (mu* with a bootstrap interval, sigma) on a Morris
// design, Sobol first-order and total indices on a Saltelli design, and standardised regression coefficients (SRC)
// on grids and Latin hypercubes. Plain C++, unit-tested on functions with known
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
  double mu_star_low = 0.0, mu_star_high = 0.0;  ///< Morris: 95% bootstrap interval of mu* (over trajectories)
  double s1 = 0.0, s1_low = 0.0, s1_high = 0.0;  ///< Sobol: first-order index with its 95% bootstrap interval
  double st = 0.0, st_low = 0.0, st_high = 0.0;  ///< Sobol: total index with its 95% bootstrap interval
};

/// Bootstrap resamples behind every interval here (percentile intervals, a fixed seed: the same sweep gives the
/// same intervals).
inline constexpr int sensitivity_bootstrap = 1000;

/// Elementary effects along Morris trajectories: `points` are the design's points in order (trajectories of
/// k + 1 points, as morris_design makes them) and `y` the output at each. Effects are per unit of each factor's
/// range. Sorted by mu*, largest first.
std::vector<FactorEffect> morris_effects(const std::vector<SweepFactor>& factors,
                                         const std::vector<std::vector<double>>& points, const std::vector<double>& y);

/// Sobol indices on a Saltelli design (saltelli_design's order: blocks of A_j, B_j, AB_j^(1..k)) with the output
/// `y` at each point. First order by Saltelli et al. (2010): V_i = mean(f(B) (f(AB_i) - f(A))); total by Jansen
/// (1999): mean((f(A) - f(AB_i))^2) / 2; both over the variance of f over every A and B. Intervals: percentile
/// bootstrap over the j blocks. Sorted by the total index, largest first.
std::vector<FactorEffect> sobol_indices(const std::vector<SweepFactor>& factors, const std::vector<double>& y);

/// Standardised regression coefficients of y on the factors (ordinary least squares on standardised
/// variables), sorted by |SRC|, largest first. `r_squared` receives the fit's R^2.
std::vector<FactorEffect> standardised_regression(const std::vector<SweepFactor>& factors,
                                                  const std::vector<std::vector<double>>& points,
                                                  const std::vector<double>& y, double& r_squared);

}  // namespace frontdoor
