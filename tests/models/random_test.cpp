// RandomStream: pinned golden values (the generator and every distribution must give the same numbers on every
// platform and release, or old results stop being reproducible) and the moments of each distribution.
#include "models/random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

using namespace frontdoor;

namespace {
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};
template <class Draw>
Moments moments(Draw draw, int n) {
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double m = sum / n;
  return {m, sum_sq / n - m * m};
}
}  // namespace

TEST(RandomStream, SeedDerivationIsStable) {
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(replication_seed(1, 0), 0x29E49B199086D8D3ULL);
  EXPECT_EQ(replication_seed(1, 1), 0x5DF400E15A13D4A6ULL);
  EXPECT_NE(replication_seed(1, 0), replication_seed(2, 0));
}

TEST(RandomStream, DistinctSeedsAndPurposesGiveDistinctStreams) {
  std::set<std::uint64_t> first_values;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    for (StreamPurpose p : {StreamPurpose::arrivals_police, StreamPurpose::arrivals_schools,
                            StreamPurpose::screening_duration, StreamPurpose::front_door_decision}) {
      first_values.insert(RandomStream(seed, p).next_u64());
    }
  }
  EXPECT_EQ(first_values.size(), 200u);
}

TEST(RandomStream, GoldenValues) {
  RandomStream s(42);
  EXPECT_EQ(s.next_u64(), 0x5C8961E1F2055D33ULL);
  EXPECT_EQ(s.next_u64(), 0xE182E8E848466886ULL);
  RandomStream u(42);
  EXPECT_DOUBLE_EQ(u.uniform01(), 0.36147128835911729);
  RandomStream e(7);
  EXPECT_DOUBLE_EQ(e.exponential(2.0), 0.23954939498205635);
  RandomStream n(7);
  EXPECT_DOUBLE_EQ(n.standard_normal(), -0.37935401792204226);
  EXPECT_DOUBLE_EQ(n.standard_normal(), -0.30925705176836177);
  RandomStream l(7);
  EXPECT_DOUBLE_EQ(l.lognormal(0.5, 0.25), 1.4995446502454444);
  RandomStream g(7);
  EXPECT_DOUBLE_EQ(g.gamma(2.5, 0.4), 0.66194754045295645);
  RandomStream g_small(7);
  EXPECT_DOUBLE_EQ(g_small.gamma(0.5, 1.0), 0.92660601001903464);
}

TEST(RandomStream, UniformStaysInsideOpenInterval) {
  RandomStream s(3);
  for (int i = 0; i < 100000; ++i) {
    const double u = s.uniform01();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

// With n = 400,000 draws, the standard error of the sample mean is sd / 632; tolerances are about 5 standard
// errors, so a correct generator fails with probability below one in a million.
TEST(RandomStream, ExponentialMoments) {
  RandomStream s(11);
  const auto m = moments([&] { return s.exponential(3.0); }, 400000);
  EXPECT_NEAR(m.mean, 3.0, 5 * 3.0 / 632);
  EXPECT_NEAR(m.variance, 9.0, 0.25);
}

TEST(RandomStream, NormalMoments) {
  RandomStream s(12);
  const auto m = moments([&] { return s.standard_normal(); }, 400000);
  EXPECT_NEAR(m.mean, 0.0, 5.0 / 632);
  EXPECT_NEAR(m.variance, 1.0, 0.012);
}

TEST(RandomStream, GammaMoments) {
  for (double shape : {0.5, 1.0, 2.5, 9.0}) {
    RandomStream s(13);
    const double scale = 0.4;
    const auto m = moments([&] { return s.gamma(shape, scale); }, 400000);
    const double sd = std::sqrt(shape) * scale;
    EXPECT_NEAR(m.mean, shape * scale, 5 * sd / 632) << "shape " << shape;
    EXPECT_NEAR(m.variance, shape * scale * scale, 0.03 * shape * scale * scale + 0.002) << "shape " << shape;
  }
}
