// frontdoor seek: goal-seek on common random numbers, checked where the answer is known analytically (the M/M/c
// front door against Erlang C), and its bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>

#include "test_support.hpp"

using frontdoor::test_support::frontdoor_cli;
using frontdoor::test_support::Outcome;
using frontdoor::test_support::TempDir;

namespace {

const std::string mmc = "scenarios/validation/mmc_front_door.toml";
// Three years of the M/M/c (the first is warm-up), four replications two at a time: about 0.2 s a lever value.
const std::string quick = " -r 4 -j 2 -q --set simulation.years=3";

// Erlang C: the mean wait in the queue of an M/M/c with arrival rate `lambda` and service rate `mu` a day.
double erlang_c_wait(int c, double lambda, double mu) {
  const double a = lambda / mu;
  double sum = 0.0;
  double term = 1.0;
  for (int k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double top = term * a / c * c / (c - a);
  return top / (sum + top) / (c * mu - lambda);
}

// 9 screeners are the fewest whose mean wait is under a target between Erlang C's waits with 8 and with 9.
TEST(Seek, FindsTheFewestScreenersThatMeetAWaitAsErlangCSays) {
  TempDir dir;
  const double w8 = erlang_c_wait(8, 70.0, 10.0);  // 0.0635 days
  const double w9 = erlang_c_wait(9, 70.0, 10.0);  // 0.0192 days
  const double target = std::sqrt(w8 * w9);
  const Outcome o = frontdoor_cli("seek " + mmc +
                                      " --lever service.front_door.team.fte=6:16 --target "
                                      "front_door_wait_days_mean=" +
                                      std::to_string(target) + quick,
                                  dir);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("service.front_door.team.fte = 9 is the first value from 6 that reaches the target"),
            std::string::npos)
      << o.out;
}

// The mean screening time at which the wait is Erlang C's for 0.1 day is 0.1 day: the answer's 95% interval holds
// it, and is narrow.
TEST(Seek, FindsTheScreeningTimeThatGivesErlangCsWaitWithAnInterval) {
  TempDir dir;
  const Outcome o = frontdoor_cli("seek " + mmc +
                                      " --lever service.front_door.work.mean_days=0.08:0.12 --target "
                                      "front_door_wait_days_mean=" +
                                      std::to_string(erlang_c_wait(8, 70.0, 10.0)) + quick,
                                  dir);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(o.out, m, std::regex(R"(mean_days = ([0-9.]+) \(95% CI ([0-9.]+) to ([0-9.]+)\))")))
      << o.out;
  const double answer = std::stod(m[1]);
  const double low = std::stod(m[2]);
  const double high = std::stod(m[3]);
  EXPECT_LE(low, 0.1) << o.out;
  EXPECT_GE(high, 0.1) << o.out;
  EXPECT_LT(low, answer);
  EXPECT_LT(answer, high);
  EXPECT_LT(high - low, 0.01) << o.out;
}

TEST(Seek, BadInputIsExitTwoAndATargetOutOfReachIsExitOne) {
  TempDir dir;
  const std::string base = "seek " + mmc + " --target front_door_wait_days_mean=0.03" + quick;
  const Outcome syntax = frontdoor_cli(base + " --lever service.front_door.team.fte=9", dir);
  EXPECT_EQ(syntax.code, 2);
  EXPECT_NE(syntax.err.find("expected KEY=LO:HI"), std::string::npos) << syntax.err;
  const Outcome order = frontdoor_cli(base + " --lever service.front_door.team.fte=9:8", dir);
  EXPECT_EQ(order.code, 2);
  EXPECT_NE(order.err.find("LO below HI"), std::string::npos) << order.err;
  const Outcome fraction = frontdoor_cli(base + " --lever service.front_door.team.fte=8.5:12", dir);
  EXPECT_EQ(fraction.code, 2);
  EXPECT_NE(fraction.err.find("--set service.front_door.team.fte=8.5"), std::string::npos) << fraction.err;
  const Outcome measure = frontdoor_cli("seek " + mmc +
                                            " --lever service.front_door.team.fte=8:12 --target "
                                            "front_door_waiting=0.03" +
                                            quick,
                                        dir);
  EXPECT_EQ(measure.code, 2);
  EXPECT_NE(measure.err.find("front_door_waiting is neither in"), std::string::npos) << measure.err;
  // A range that crosses another key's rule: the early-help threshold above the referral threshold.
  const Outcome crossing = frontdoor_cli(
      "seek scenarios/england_baseline.toml --lever "
      "service.front_door.thresholds.early_help=1:3.5 --target "
      "looked_after_starts=27 -r 2 -q",
      dir);
  EXPECT_EQ(crossing.code, 2);
  EXPECT_NE(crossing.err.find("early_help (3.5) would be above referral"), std::string::npos) << crossing.err;
  // More screeners never make the wait longer than with 9: not reached, exit 1, and the response's range said.
  const Outcome unreachable = frontdoor_cli(base + " --lever service.front_door.team.fte=9:12", dir);
  EXPECT_EQ(unreachable.code, 1) << unreachable.out << unreachable.err;
  EXPECT_NE(unreachable.out.find("is not reached"), std::string::npos) << unreachable.out;
  // Out of evaluations: exit 1, with the best point and its miss.
  const Outcome short_of = frontdoor_cli("seek " + mmc +
                                             " --lever service.front_door.work.mean_days=0.08:0.12 "
                                             "--target front_door_wait_days_mean=0.0635 --max-evaluations 3" +
                                             quick,
                                         dir);
  EXPECT_EQ(short_of.code, 1) << short_of.out << short_of.err;
  EXPECT_NE(short_of.out.find("Not converged: 3 evaluations left the range"), std::string::npos) << short_of.out;
}

}  // namespace
