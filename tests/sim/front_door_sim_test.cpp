// The SimGrid front door against queueing theory (Erlang C for M/M/c, the exact D/D/1 answer), conservation of
// contacts, the screener schedule, and determinism. Every simulation runs in a child process (one engine per
// process), through the same runner the program uses.
#include "sim/front_door_sim.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/statistics.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::run;
using frontdoor::test_support::source_path;
using frontdoor::test_support::summary_value;

namespace {

// Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = lambda / mu < c.
double erlang_c(int c, double a) {
  double term = 1.0;  // a^k / k!
  double sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);  // a^c / c! * c / (c - a)
  return last / (sum + last);
}

std::vector<double> values_of(const std::vector<ReplicationResult>& results, const std::string& measure) {
  std::vector<double> v;
  for (const auto& r : results) v.push_back(summary_value(r, measure));
  return v;
}

}  // namespace

TEST(ErlangC, KnownValue) {
  // Textbook check: c = 2, a = 1 gives C = 1/3.
  EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
}

// M/M/c with lambda 70 a day, mean screening 0.1 day, c = 8 (utilisation 0.875), 10 years after a one-year
// warm-up, 8 independent replications. Each replication's mean wait is one observation; the test accepts the
// Erlang C value when it lies within 4 standard errors of the replication mean (a correct simulator fails this
// about once in 15,000 seeds), and it insists that the standard error is below 3% of the value, so that the
// check has the power to catch a mechanism that is off by more than about 12%.
TEST(FrontDoorSim, MmcMatchesErlangC) {
  const Scenario s = load_scenario(source_path("scenarios/validation/mmc_front_door.toml"));
  const double lambda = 70.0, mu = 1.0 / 0.1;
  const int c = 8;
  const double expected_wait = erlang_c(c, lambda / mu) / (c * mu - lambda);
  const double expected_utilisation = lambda / (c * mu);
  const auto results = run(s, 8, 2026);

  const std::vector<double> waits = values_of(results, "front_door_wait_days_mean");
  const double wait_se = sample_sd(waits) / std::sqrt(waits.size());
  EXPECT_NEAR(mean(waits), expected_wait, 4 * wait_se) << "Erlang C mean wait " << expected_wait;
  EXPECT_LT(wait_se, 0.03 * expected_wait);

  const std::vector<double> utilisation = values_of(results, "front_door_utilisation");
  const double util_se = sample_sd(utilisation) / std::sqrt(utilisation.size());
  EXPECT_NEAR(mean(utilisation), expected_utilisation, 4 * util_se);
  EXPECT_LT(util_se, 0.005);

  // The waiting time of M/M/c has P(W > t) = C exp(-(c mu - lambda) t), so its 90th percentile is
  // ln(10 C) / (c mu - lambda) when C > 0.1.
  const double expected_p90 = std::log(10.0 * erlang_c(c, lambda / mu)) / (c * mu - lambda);
  const std::vector<double> p90 = values_of(results, "front_door_wait_days_p90");
  const double p90_se = sample_sd(p90) / std::sqrt(p90.size());
  EXPECT_NEAR(mean(p90), expected_p90, 4 * p90_se) << "Erlang C p90 " << expected_p90;
  EXPECT_LT(p90_se, 0.03 * expected_p90);

  // Little's law links the queue length and the wait: Lq = lambda Wq.
  const std::vector<double> queue = values_of(results, "front_door_queue_mean");
  EXPECT_NEAR(mean(queue), lambda * mean(waits), 0.02 * lambda * mean(waits));
}

// D/D/1: contacts every 0.1 day, screening exactly 0.08 day. Nobody waits; the screener is busy 80% of the
// time; contact k arrives at k / 10 and is decided at k / 10 + 0.08.
TEST(FrontDoorSim, DeterministicSingleServerIsExact) {
  const Scenario s = load_scenario(source_path("scenarios/validation/dd1_front_door.toml"));
  const auto results = run(s, 1);
  const ReplicationResult& r = results.at(0);
  const double horizon = r.simulated_days;  // 365 days
  EXPECT_EQ(r.balance.arrived, static_cast<std::uint64_t>(10 * horizon));
  // The last contact arrives at horizon - 0.1 and is still being screened when the simulation stops.
  EXPECT_EQ(r.balance.decided + r.balance.in_screening, r.balance.arrived);
  EXPECT_LE(r.balance.in_screening, 1u);
  EXPECT_EQ(r.balance.waiting, 0u);
  EXPECT_NEAR(summary_value(r, "front_door_wait_days_mean"), 0.0, 1e-9);
  EXPECT_NEAR(summary_value(r, "front_door_wait_days_p90"), 0.0, 1e-9);
  EXPECT_NEAR(summary_value(r, "front_door_queue_mean"), 0.0, 1e-9);
  EXPECT_NEAR(summary_value(r, "front_door_utilisation"), 0.8, 1e-6);
  EXPECT_DOUBLE_EQ(summary_value(r, "referral_share"), 1.0);
}

// D/D/1 overloaded: screening 0.125 day for contacts every 0.1 day. Contact k starts at 0.125 k, so it waits
// 0.025 k days; over n started contacts the mean wait is 0.025 (n - 1) / 2 exactly.
TEST(FrontDoorSim, OverloadedDeterministicQueueGrowsExactly) {
  const Scenario s = load_scenario(source_path("scenarios/validation/dd1_front_door.toml"),
                                   {{"front_door.screening_time.mean_days", "0.125"}});
  const ReplicationResult r = run(s, 1).at(0);
  const double started = static_cast<double>(r.balance.decided + r.balance.in_screening);
  EXPECT_EQ(r.balance.in_screening, 1u);
  EXPECT_NEAR(started, std::floor(r.simulated_days / 0.125) + 1, 1.0);
  EXPECT_NEAR(summary_value(r, "front_door_wait_days_mean"), 0.025 * (started - 1) / 2, 1e-6);
  EXPECT_NEAR(summary_value(r, "front_door_utilisation"), 1.0, 1e-6);
}

TEST(FrontDoorSim, ConservationOfContacts) {
  const Scenario s = load_scenario(source_path("scenarios/england_baseline.toml"), {{"simulation.years", "3"}});
  for (const auto& r : run(s, 2)) {
    EXPECT_EQ(r.balance.arrived, r.balance.decided + r.balance.waiting + r.balance.in_screening);
    EXPECT_GT(r.balance.decided, 0u);
    double monthly_contacts = 0.0, monthly_decisions = 0.0;
    for (const auto& series : r.monthly) {
      for (double v : series.values) {
        if (series.measure == "contacts") monthly_contacts += v;
        if (series.measure == "screened") monthly_decisions += v;
      }
    }
    EXPECT_EQ(monthly_contacts, static_cast<double>(r.balance.arrived));
    EXPECT_EQ(monthly_decisions, static_cast<double>(r.balance.decided));
  }
}

TEST(FrontDoorSim, ScreenerScheduleChangesCapacity) {
  // Halving the screeners in year 2 of an M/M/c at utilisation 0.875 overloads the front door: the queue at the
  // end of the run is large, and the time-averaged number on duty falls.
  const Scenario s = load_scenario(
      source_path("scenarios/validation/mmc_front_door.toml"),
      {{"simulation.years", "2"}, {"simulation.warmup_days", "0"}, {"front_door.schedule", "[{from_day = 365, screeners = 4}]"}});
  const ReplicationResult r = run(s, 1).at(0);
  const double on_duty = summary_value(r, "front_door_screeners_mean");
  EXPECT_NEAR(on_duty, (8.0 * 365 + 4.0 * (r.simulated_days - 365)) / r.simulated_days, 1e-9);
  EXPECT_GT(r.balance.waiting, 5000u);  // arrivals exceed capacity by 30 a day for a year
  for (const auto& series : r.monthly) {
    if (series.measure == "front_door_screeners") {
      EXPECT_DOUBLE_EQ(series.values.front(), 8.0);
      EXPECT_DOUBLE_EQ(series.values.back(), 4.0);
    }
  }
}

TEST(FrontDoorSim, SameSeedSameResultDifferentSeedDifferentResult) {
  const Scenario s = load_scenario(source_path("scenarios/england_baseline.toml"), {{"simulation.years", "2"}});
  const auto a = run(s, 2, 5);
  const auto b = run(s, 2, 5);
  const auto c = run(s, 2, 6);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(to_json(a[i]).dump(), to_json(b[i]).dump());
    EXPECT_NE(to_json(a[i]).dump(), to_json(c[i]).dump());
  }
  EXPECT_NE(to_json(a[0]).dump(), to_json(a[1]).dump());  // replications differ from each other
}

TEST(FrontDoorSim, CommonRandomNumbersKeepArrivalsWhenTheFrontDoorChanges) {
  // Arrivals have their own streams: changing the number of screeners leaves every contact where it was.
  const Scenario base = load_scenario(source_path("scenarios/england_baseline.toml"),
                                      {{"simulation.years", "1"}, {"simulation.warmup_days", "0"}});
  const Scenario more =
      load_scenario(source_path("scenarios/england_baseline.toml"),
                    {{"simulation.years", "1"}, {"simulation.warmup_days", "0"}, {"front_door.screeners", "30"}});
  const ReplicationResult a = run(base, 1).at(0);
  const ReplicationResult b = run(more, 1).at(0);
  EXPECT_EQ(a.balance.arrived, b.balance.arrived);
  EXPECT_LT(summary_value(b, "front_door_wait_days_mean"), summary_value(a, "front_door_wait_days_mean"));
}

TEST(Runner, FailedReplicationIsReportedNotHidden) {
  // An engine option SimGrid rejects makes every child fail; the runner says which, with the reason.
  const Scenario s = load_scenario(source_path("scenarios/validation/dd1_front_door.toml"));
  test_support::TempDir scratch;
  RunOptions options;
  options.replications = 2;
  options.engine_args = {"--cfg=no/such:option"};
  EXPECT_THROW(run_replications(s, options, scratch.path()), RunError);
}
