// MSER-5 against series whose initial transient is known.
#include "analysis/warmup.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace frontdoor {
namespace {

// A level of 100 after a start at 160 that decays with a time constant of 12 months, plus noise of sd 3: the
// transient is below one noise sd after about 12 * ln(60 / 3) = 36 months. MSER-5 cuts near there: not before
// 20 months (the start still far off), not past 70.
TEST(Mser, CutsAKnownExponentialTransient) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 3.0);
  std::vector<double> series;
  for (int t = 0; t < 240; ++t) series.push_back(100.0 + 60.0 * std::exp(-t / 12.0) + noise(rng));
  const int cut = mser_truncation(series, 5);
  EXPECT_GE(cut, 20);
  EXPECT_LE(cut, 70);
  EXPECT_EQ(cut % 5, 0);
}

// A step: 30 months at 50, then 180 at 10 (noise sd 1). The cut is at the step or a batch after it (MSER may
// drop a batch of noise too), never before it.
TEST(Mser, CutsAStepAtTheStep) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> series;
  for (int t = 0; t < 210; ++t) series.push_back((t < 30 ? 50.0 : 10.0) + noise(rng));
  const int cut = mser_truncation(series, 5);
  EXPECT_GE(cut, 30);
  EXPECT_LE(cut, 40);
  // Without noise, exactly at the step.
  std::vector<double> clean;
  for (int t = 0; t < 210; ++t) clean.push_back(t < 30 ? 50.0 : 10.0 + (t % 2 == 0 ? 0.01 : -0.01));
  EXPECT_EQ(mser_truncation(clean, 5), 30);
}

// A stationary series needs no warm-up: the cut is at or near the start; a series too short gives -1.
TEST(Mser, LeavesAStationarySeriesAlmostWhole) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> series;
  for (int t = 0; t < 240; ++t) series.push_back(20.0 + noise(rng));
  EXPECT_LE(mser_truncation(series, 5), 25);
  EXPECT_EQ(mser_truncation(std::vector<double>(15, 1.0), 5), -1);
}

// Over replications: the mean series of each service's open cases, longest first, named by service.
TEST(Mser, WarmupCheckReadsTheOpenCaseSeries) {
  std::vector<ReplicationResult> runs(2);
  for (int r = 0; r < 2; ++r) {
    std::vector<double> slow, fast, other;
    for (int t = 0; t < 120; ++t) {
      slow.push_back(t < 40 ? 5.0 * t : 200.0 + (t % 2 == 0 ? 1.0 : -1.0));
      fast.push_back(t < 10 ? 100.0 : 20.0 + (t % 3 == 0 ? 1.0 : 0.0));
      other.push_back(t < 60 ? 0.0 : 100.0);
    }
    runs[r].monthly = {{"looked_after_open_mean", slow}, {"front_door_open_mean", fast}, {"contacts", other}};
  }
  const std::vector<WarmupFinding> found = warmup_check(runs);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].series, "looked_after");
  EXPECT_GE(found[0].months, 35);
  EXPECT_LE(found[0].months, 45);
  EXPECT_EQ(found[1].series, "front_door");
  EXPECT_EQ(found[1].months, 10);
  EXPECT_FALSE(found[0].at_limit);
  // A series that rises to the end: the cut is the furthest MSER looks, and says so.
  std::vector<ReplicationResult> rising(1);
  std::vector<double> trend;
  for (int t = 0; t < 120; ++t) trend.push_back(t);
  rising[0].monthly = {{"cp_plan_open_mean", trend}};
  const std::vector<WarmupFinding> drift = warmup_check(rising);
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].months, 60);
  EXPECT_TRUE(drift[0].at_limit);
}

}  // namespace
}  // namespace frontdoor
