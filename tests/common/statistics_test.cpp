// Statistics: exact values on small samples, and the Student-t critical values of the textbooks.
#include "common/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace frontdoor;

TEST(Statistics, MeanAndSd) {
  EXPECT_DOUBLE_EQ(mean({1, 2, 3, 4}), 2.5);
  EXPECT_DOUBLE_EQ(sample_sd({2, 4, 4, 4, 5, 5, 7, 9}), std::sqrt(32.0 / 7.0));
  EXPECT_TRUE(std::isnan(mean({})));
  EXPECT_TRUE(std::isnan(sample_sd({1.0})));
}

TEST(Statistics, QuantileType7) {
  EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({10, 1, 7, 3, 5, 2, 9, 4, 8, 6}, 0.9), 9.1);
  EXPECT_DOUBLE_EQ(quantile({7}, 0.9), 7.0);
  EXPECT_DOUBLE_EQ(quantile({1, 2}, 1.0), 2.0);
}

TEST(Statistics, StudentTCriticalValues) {
  EXPECT_NEAR(student_t_critical(0.05, 1), 12.706, 1e-3);
  EXPECT_NEAR(student_t_critical(0.05, 9), 2.262, 1e-3);
  EXPECT_NEAR(student_t_critical(0.05, 1e6), 1.960, 1e-3);
}

TEST(Statistics, MeanCi95) {
  const MeanInterval ci = mean_ci95({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(ci.mean, 3.0);
  const double half = 2.776445105 * std::sqrt(2.5) / std::sqrt(5.0);
  EXPECT_NEAR(ci.low, 3.0 - half, 1e-8);
  EXPECT_NEAR(ci.high, 3.0 + half, 1e-8);
  EXPECT_EQ(ci.n, 5u);
  const MeanInterval one = mean_ci95({4.0, std::nan("")});
  EXPECT_EQ(one.n, 1u);
  EXPECT_TRUE(std::isnan(one.low));
}
