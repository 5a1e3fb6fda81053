// Replications to a precision: the headline measures' intervals and the next number of replications.
#include "analysis/precision.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace frontdoor {
namespace {

ReplicationResult with(double referrals, double cost, int years = 3) {
  ReplicationResult r;
  for (int y = 1; y <= years; ++y) {
    r.annual.push_back({y, "referrals", "per_10k_per_year", y == 1 ? 1e6 : referrals});  // year 1: warm-up
    r.annual.push_back({y, "referrals_count", "count", 5.0});
    r.annual.push_back({y, "total_cost_gbp", "gbp", cost});
    r.annual.push_back({y, "not_a_headline", "per_10k", 7.0});
  }
  return r;
}

// The intervals of the measured years' means: referrals 100 +- 2 (sd 2 over 4 replications: half-width
// t(0.975, 3) x 2 / 2 = 3.18, 3.2%), the cost exactly level (no width); widest first; warm-up and counts left out.
TEST(Precision, HeadlineIntervalsOverTheMeasuredYears) {
  const std::vector<ReplicationResult> runs = {with(98, 5e6), with(102, 5e6), with(98, 5e6), with(102, 5e6)};
  const auto found = headline_precision(runs, 2);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].measure, "referrals");
  EXPECT_DOUBLE_EQ(found[0].mean, 100.0);
  EXPECT_NEAR(found[0].half_width, 3.182446 * 2.3094 / 2.0, 1e-3);  // sd of {98,102,98,102} = 2.3094
  EXPECT_NEAR(found[0].relative, found[0].half_width / 100.0, 1e-12);
  EXPECT_EQ(found[1].measure, "total_cost_gbp");
  EXPECT_DOUBLE_EQ(found[1].relative, 0.0);
  EXPECT_EQ(found[0].replications, 4);
}

// A scenario without the headline measures is judged on its summary's flows.
TEST(Precision, FallsBackToTheSummarysFlows) {
  std::vector<ReplicationResult> runs(3);
  for (int r = 0; r < 3; ++r) {
    runs[r].summary = {{"contacts_per_year", 1000.0 + r},
                       {"front_door_entries_per_year", 500.0 + 10 * r},
                       {"front_door_wait_days_mean", 0.1 * r}};
  }
  const auto found = headline_precision(runs, 1);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].measure, "front_door_entries_per_year");
  EXPECT_EQ(found[1].measure, "contacts_per_year");
}

// Half-widths shrink as 1/sqrt(n): twice too wide needs four times the replications, in whole rounds of jobs,
// always at least one round more, never past the cap.
TEST(Precision, NextReplicationsFollowsTheSquareRootLaw) {
  EXPECT_EQ(next_replications(10, 0.04, 0.02, 1, 1000), 40);
  EXPECT_EQ(next_replications(10, 0.04, 0.02, 4, 1000), 42);  // 30 more in rounds of 4: 32
  EXPECT_EQ(next_replications(10, 0.0201, 0.02, 2, 1000), 12);
  EXPECT_EQ(next_replications(10, 0.5, 0.02, 2, 50), 50);
  EXPECT_EQ(next_replications(3, INFINITY, 0.02, 2, 50), 5);
}

}  // namespace
}  // namespace frontdoor
