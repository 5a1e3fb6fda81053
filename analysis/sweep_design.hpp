#pragma once
// Experimental designs for parameter sweeps: full grids, Latin hypercubes and Morris trajectories over the
// factors a researcher varies, and the seed each run gets. Plain C++, deterministic for a given design seed.
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor {

/// A scenario key varied from `lo` to `hi` (`levels` values in a grid; Morris levels).
struct SweepFactor {
  std::string key;
  double lo = 0.0;
  double hi = 0.0;
  int levels = 2;
};

/// Parses "key=lo:hi:n" (n >= 1; n = 1 only when lo == hi). Throws std::invalid_argument with a readable message.
SweepFactor parse_sweep_factor(const std::string& text);

/// Every combination of every factor's `levels` evenly spaced values, the last factor varying fastest.
std::vector<std::vector<double>> grid_design(const std::vector<SweepFactor>& factors);
/// `points` points: each factor's range cut into `points` equal strata, one value drawn uniformly in each, and
/// the strata paired across factors by independent random permutations (McKay, Beckman and Conover 1979).
std::vector<std::vector<double>> lhs_design(const std::vector<SweepFactor>& factors, int points,
                                            std::uint64_t design_seed);
/// `trajectories` Morris trajectories of k + 1 points each (Morris 1991): each starts at a random point of the
/// p-level grid (p = the factors' largest `levels`, at least 4) and moves one factor at a time, in random
/// order, by delta = p / (2 (p - 1)) of its range.
std::vector<std::vector<double>> morris_design(const std::vector<SweepFactor>& factors, int trajectories,
                                               std::uint64_t design_seed);
/// The Morris step as a share of each factor's range.
double morris_delta(const std::vector<SweepFactor>& factors);

/// A Saltelli design for Sobol indices (Saltelli 2002; Saltelli et al. 2010): `base` pairs of independent
/// uniform points A_j and B_j (Latin hypercubes over the factors' ranges, each of `base` points), and for each
/// factor i the point AB_j^(i), A_j with factor i taken from B_j. Ordered in blocks of k + 2 per j: A_j, B_j,
/// AB_j^(1), ..., AB_j^(k); base x (k + 2) points in all.
std::vector<std::vector<double>> saltelli_design(const std::vector<SweepFactor>& factors, int base,
                                                 std::uint64_t design_seed);

/// The seed of a sweep's run: splitmix64(splitmix64(seed) ^ ((replication + 1) * 0x9E3779B97F4A7C15)), the
/// same rule as `frontdoor run`'s replications. Every design point's replication r gets the same seed, so that
/// points differ by their parameters and not by their luck (common random numbers).
std::uint64_t sweep_run_seed(std::uint64_t seed, int replication);

}  // namespace frontdoor
