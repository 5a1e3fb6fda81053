// Sweep designs: grids, Latin hypercubes and Morris trajectories have the structure their definitions promise,
// and run seeds follow the documented rule.
#include "analysis/sweep_design.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "analysis/sensitivity.hpp"

using namespace frontdoor;

TEST(SweepDesign, ParsesFactorsAndRejectsNonsense) {
  const SweepFactor f = parse_sweep_factor("service.front_door.team.fte=16:24:5");
  EXPECT_EQ(f.key, "service.front_door.team.fte");
  EXPECT_EQ(f.lo, 16.0);
  EXPECT_EQ(f.hi, 24.0);
  EXPECT_EQ(f.levels, 5);
  for (const char* bad : {"fte", "fte=1:2", "fte=2:1:3", "fte=1:2:0", "fte=a:2:3", "fte=1:2:2.5", "fte=1:2:1"}) {
    EXPECT_THROW(parse_sweep_factor(bad), std::invalid_argument) << bad;
  }
}

TEST(SweepDesign, GridIsEveryCombination) {
  const auto g = grid_design({{"a", 0, 1, 3}, {"b", 10, 20, 2}});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_EQ(g[0], (std::vector<double>{0, 10}));
  EXPECT_EQ(g[1], (std::vector<double>{0, 20}));
  EXPECT_EQ(g[5], (std::vector<double>{1, 20}));
}

TEST(SweepDesign, LatinHypercubeHasOnePointInEveryStratumOfEveryFactor) {
  const std::vector<SweepFactor> f{{"a", 0, 10, 2}, {"b", -1, 1, 2}, {"c", 100, 200, 2}};
  const int n = 25;
  const auto d = lhs_design(f, n, 7);
  ASSERT_EQ(d.size(), static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < f.size(); ++k) {
    std::set<int> strata;
    for (const auto& p : d) strata.insert(static_cast<int>(std::floor((p[k] - f[k].lo) / (f[k].hi - f[k].lo) * n)));
    EXPECT_EQ(strata.size(), static_cast<std::size_t>(n)) << f[k].key;
  }
  EXPECT_EQ(lhs_design(f, n, 7), d);  // the design seed decides
  EXPECT_NE(lhs_design(f, n, 8), d);
}

TEST(SweepDesign, MorrisTrajectoriesMoveOneFactorAtATimeByDelta) {
  const std::vector<SweepFactor> f{{"a", 0, 1, 4}, {"b", 10, 30, 4}, {"c", -5, 5, 4}};
  const auto d = morris_design(f, 6, 3);
  const double delta = morris_delta(f);
  EXPECT_NEAR(delta, 4.0 / 6.0, 1e-12);
  ASSERT_EQ(d.size(), 6u * 4u);
  for (int t = 0; t < 6; ++t) {
    std::set<int> moved;
    for (int s = 1; s <= 3; ++s) {
      const auto& a = d[t * 4 + s - 1];
      const auto& b = d[t * 4 + s];
      int changed = -1;
      for (int k = 0; k < 3; ++k) {
        if (a[k] != b[k]) {
          EXPECT_EQ(changed, -1) << "two factors moved at once";
          changed = k;
          EXPECT_NEAR(b[k] - a[k], delta * (f[k].hi - f[k].lo), 1e-9);
        }
        EXPECT_GE(b[k], f[k].lo - 1e-9);
        EXPECT_LE(b[k], f[k].hi + 1e-9);
      }
      moved.insert(changed);
    }
    EXPECT_EQ(moved, (std::set<int>{0, 1, 2}));  // each factor once per trajectory
  }
}

TEST(SweepDesign, RunSeedsFollowTheDocumentedRule) {
  // splitmix64(splitmix64(1) ^ 1 * 0x9E3779B97F4A7C15): the seed `frontdoor run` gives its first replication.
  EXPECT_EQ(sweep_run_seed(1, 0), 3018708184346319059ULL);
  EXPECT_EQ(sweep_run_seed(1, 1), 6770037107723588774ULL);
  EXPECT_NE(sweep_run_seed(2, 0), sweep_run_seed(1, 0));
}

// Morris on a function with known effects: y = 10 a + 3 b^2 + 0 c + a d (d only through an interaction) ranks a
// first, then b; c has no effect at all; d's effects vary with a (sigma > 0).
TEST(Sensitivity, MorrisRanksAKnownFunctionsFactors) {
  const std::vector<SweepFactor> f{{"a", 0, 1, 4}, {"b", 0, 1, 4}, {"c", 0, 1, 4}, {"d", 0, 1, 4}};
  const auto points = morris_design(f, 20, 11);
  std::vector<double> y;
  for (const auto& p : points) y.push_back(10 * p[0] + 3 * p[1] * p[1] + 0 * p[2] + p[0] * p[3]);
  const auto effects = morris_effects(f, points, y);
  ASSERT_EQ(effects.size(), 4u);
  EXPECT_EQ(effects[0].factor, "a");
  EXPECT_EQ(effects[1].factor, "b");
  EXPECT_EQ(effects[3].factor, "c");
  EXPECT_EQ(effects[3].mu_star, 0.0);
  EXPECT_NEAR(effects[0].mu_star, 10.5, 0.6);  // 10 + the mean of d
  for (const auto& e : effects) {
    if (e.factor == "d") {
      EXPECT_GT(e.sigma, 0.05);  // depends on a: an interaction
    }
  }
}

TEST(Sensitivity, StandardisedRegressionRecoversALinearModel) {
  const std::vector<SweepFactor> f{{"a", 0, 1, 2}, {"b", 0, 100, 2}, {"c", -1, 1, 2}};
  const auto points = lhs_design(f, 200, 5);
  std::vector<double> y;
  for (const auto& p : points) y.push_back(2 * p[0] + 0.05 * p[1] + 0 * p[2]);
  double r2 = 0.0;
  const auto effects = standardised_regression(f, points, y, r2);
  EXPECT_NEAR(r2, 1.0, 1e-9);
  EXPECT_EQ(effects[0].factor, "b");  // 0.05 x range 100 = 5 against 2 x range 1
  EXPECT_EQ(effects[1].factor, "a");
  EXPECT_NEAR(effects[2].src, 0.0, 1e-9);
  EXPECT_NEAR(effects[0].src * effects[0].src + effects[1].src * effects[1].src, 1.0, 0.05);  // independent factors
}

// Sobol indices on the Ishigami function, f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3, whose indices
// are known analytically (Ishigami and Homma 1990; Saltelli et al. 2008): S1 = 0.3139, 0.4424, 0 and
// ST = 0.5576, 0.4424, 0.2437. On 20,000 base points the estimates land within 0.03 and the bootstrap intervals
// are of the size their errors are.
TEST(Sensitivity, SobolIndicesOfTheIshigamiFunction) {
  const double pi = std::acos(-1.0);
  const std::vector<SweepFactor> f{{"x1", -pi, pi, 2}, {"x2", -pi, pi, 2}, {"x3", -pi, pi, 2}};
  const auto points = saltelli_design(f, 20000, 21);
  ASSERT_EQ(points.size(), 20000u * 5u);
  std::vector<double> y;
  for (const auto& p : points) {
    y.push_back(std::sin(p[0]) + 7 * std::pow(std::sin(p[1]), 2) + 0.1 * std::pow(p[2], 4) * std::sin(p[0]));
  }
  const auto effects = sobol_indices(f, y);
  const std::map<std::string, std::pair<double, double>> truth = {
      {"x1", {0.3139, 0.5576}}, {"x2", {0.4424, 0.4424}}, {"x3", {0.0, 0.2437}}};
  ASSERT_EQ(effects.size(), 3u);
  EXPECT_EQ(effects[0].factor, "x1");  // by the total index
  for (const auto& e : effects) {
    const auto [s1, st] = truth.at(e.factor);
    EXPECT_NEAR(e.s1, s1, 0.03) << e.factor;
    EXPECT_NEAR(e.st, st, 0.03) << e.factor;
    // The intervals are of the right size: the truth within the estimate -+ twice the interval's half-width (about
    // four standard errors; a 95% interval itself misses one time in twenty, and there are six of them).
    EXPECT_LE(e.s1 - (e.s1 - e.s1_low) * 2, s1) << e.factor;
    EXPECT_GE(e.s1 + (e.s1_high - e.s1) * 2, s1) << e.factor;
    EXPECT_LE(e.st - (e.st - e.st_low) * 2, st) << e.factor;
    EXPECT_GE(e.st + (e.st_high - e.st) * 2, st) << e.factor;
    EXPECT_LT(e.s1_high - e.s1_low, 0.1) << e.factor;
    EXPECT_GT(e.st_high - e.st_low, 0.0) << e.factor;
  }
  // The design: in each block, AB^(i) is A with factor i from B.
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(points[2 + i][c], c == i ? points[1][c] : points[0][c]);
  }
  EXPECT_THROW(sobol_indices(f, std::vector<double>(7, 1.0)), std::invalid_argument);
}

// mu*'s bootstrap interval holds mu* and is wider with fewer trajectories.
TEST(Sensitivity, MorrisMuStarHasAnInterval) {
  const std::vector<SweepFactor> f{{"a", 0, 1, 4}, {"b", 0, 1, 4}};
  auto width = [&](int trajectories) {
    const auto points = morris_design(f, trajectories, 5);
    std::vector<double> y;
    for (const auto& p : points) y.push_back(10 * p[0] * p[1] + p[1]);
    const auto effects = morris_effects(f, points, y);
    EXPECT_LE(effects[0].mu_star_low, effects[0].mu_star);
    EXPECT_GE(effects[0].mu_star_high, effects[0].mu_star);
    return effects[0].mu_star_high - effects[0].mu_star_low;
  };
  const double few = width(8), many = width(200);
  EXPECT_GT(few, 0.0);
  EXPECT_LT(many, few);
}
