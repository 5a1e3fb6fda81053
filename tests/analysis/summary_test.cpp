// A run's summary over its replications: the mean of each measure with its Student-t 95% interval (summary.csv).
#include "analysis/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace frontdoor;

TEST(Summary, MeansWithIntervalsInTheFirstReplicationsOrder) {
  ReplicationResult r;
  r.summary = {{"contacts_per_year", 130.0}, {"front_door_wait_days_mean", 2.0}};
  ReplicationResult r2 = r;
  r2.replication = 1;
  r2.summary = {{"contacts_per_year", 150.0}, {"front_door_wait_days_mean", 2.0}};
  const auto rows = summarise({r, r2});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].measure, "contacts_per_year");
  EXPECT_DOUBLE_EQ(rows[0].mean, 140.0);
  // The sample sd is 14.142, the standard error 10, and t(0.975, 1) = 12.706.
  EXPECT_NEAR(rows[0].ci95_low, 140.0 - 12.7062047 * 10.0, 1e-4);
  EXPECT_NEAR(rows[0].ci95_high, 140.0 + 12.7062047 * 10.0, 1e-4);
  EXPECT_EQ(rows[0].replications, 2u);
  EXPECT_EQ(rows[1].ci95_low, 2.0);  // no spread, no width
  EXPECT_EQ(
      summary_csv(summarise({r})),
      "measure,mean,ci95_low,ci95_high,replications\ncontacts_per_year,130,,,1\nfront_door_wait_days_mean,2,,,1\n");
  EXPECT_TRUE(summarise({}).empty());
}
