// How the England baseline responds to the levers a council checks first (../shared/MODEL.md, "How the model must
// respond"). Each test runs the baseline and the changed scenario on the same seeds (common random numbers), takes
// each replication's measure pooled over the measured years (4 on), and asserts the sign of the paired difference
// with its 95% confidence interval (Student t over the replications): the whole interval must lie on the side the
// domain says. The sizes are in the README's table of responses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "common/statistics.hpp"
#include "models/scenario_loader.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

using test_support::source_path;

constexpr int years = 8;
constexpr int first_measured_year = 4;

std::vector<ReplicationResult> baseline_run(std::vector<Override> levers, int replications) {
  levers.push_back({"simulation.years", std::to_string(years)});
  return test_support::run(load_scenario(source_path("scenarios/england_baseline.toml"), levers), replications, 17);
}

// Replication r's measure, averaged over the measured years.
double pooled(const ReplicationResult& r, const std::string& measure) {
  double sum = 0.0;
  int n = 0;
  for (const auto& a : r.annual) {
    if (a.measure == measure && a.year >= first_measured_year) {
      sum += a.value;
      ++n;
    }
  }
  if (n == 0) throw std::runtime_error("no yearly measure " + measure);
  return sum / n;
}

struct Paired {
  double base = 0.0;  ///< mean of the baseline
  MeanInterval difference;
};

std::string describe(const std::string& measure, const Paired& p) {
  return measure + ": baseline " + std::to_string(p.base) + ", difference " + std::to_string(p.difference.mean) +
         " (95% CI " + std::to_string(p.difference.low) + " to " + std::to_string(p.difference.high) + ")";
}

// Changed minus baseline, paired by replication (same seed).
Paired paired(const std::vector<ReplicationResult>& base, const std::vector<ReplicationResult>& changed,
              const std::string& measure) {
  std::vector<double> differences, bases;
  for (std::size_t i = 0; i < base.size(); ++i) {
    EXPECT_EQ(base[i].seed, changed[i].seed);
    bases.push_back(pooled(base[i], measure));
    differences.push_back(pooled(changed[i], measure) - bases.back());
  }
  const Paired p{mean(bases), mean_ci95(differences)};
  std::cout << "response " << ::testing::UnitTest::GetInstance()->current_test_info()->name() << ": "
            << describe(measure, p) << "\n";  // the README's table of responses is written from these lines
  return p;
}

void expect_rise(const std::vector<ReplicationResult>& base, const std::vector<ReplicationResult>& changed,
                 const std::string& measure) {
  const Paired p = paired(base, changed, measure);
  EXPECT_GT(p.difference.low, 0.0) << describe(measure, p);
}

void expect_fall(const std::vector<ReplicationResult>& base, const std::vector<ReplicationResult>& changed,
                 const std::string& measure) {
  const Paired p = paired(base, changed, measure);
  EXPECT_LT(p.difference.high, 0.0) << describe(measure, p);
}

// "Does not lower": the interval reaches above zero (a fall would have its whole interval below).
void expect_no_fall(const std::vector<ReplicationResult>& base, const std::vector<ReplicationResult>& changed,
                    const std::string& measure) {
  const Paired p = paired(base, changed, measure);
  EXPECT_GT(p.difference.high, 0.0) << describe(measure, p);
}

TEST(Response, EarlyHelpMoneyAloneLowersEscalationsAndCareEntries) {
  // Two million pounds more, with the early-help line where it is: the waiting list clears, families are helped
  // before their need rises. Care starts fall by about 2% (0.65 per 10,000 a year): 20 pairs tell it from noise.
  const auto base = baseline_run({}, 20);
  const auto more = baseline_run({{"service.early_help.team.budget_gbp", "6600000"}}, 20);
  expect_fall(base, more, "early_help_wait_days");
  expect_fall(base, more, "section47");
  expect_fall(base, more, "cp_plan_starts");
  expect_fall(base, more, "looked_after_starts");
  expect_fall(base, more, "harm_events");
}

TEST(Response, UnaccompaniedChildrenArriveAtTheirRateAndMakeTheLookedAfterOlder) {
  // Unaccompanied asylum-seeking children come into care directly at 15 to 17 and mostly stay to 18: with none,
  // and with 10 per 10,000 a year (about twice England's rate), on the same seeds.
  const auto none = baseline_run({{"need.unaccompanied.per_10k_per_year", "0"}}, 6);
  const auto more = baseline_run({{"need.unaccompanied.per_10k_per_year", "10"}}, 6);
  // They arrive at the rate asked for: the Poisson stream's count over the measured years, within 4 standard
  // errors of 10 per 10,000 a year (about 2% each).
  std::vector<double> arrived;
  for (const auto& r : more) arrived.push_back(pooled(r, "looked_after_starts_unaccompanied"));
  const MeanInterval a = mean_ci95(arrived);
  const double se = (a.high - a.low) / 2.0 / 2.571;  // Student t, 5 degrees of freedom
  EXPECT_NEAR(a.mean, 10.0, 4.0 * std::max(se, 0.1)) << a.mean;
  for (const auto& r : none) EXPECT_EQ(pooled(r, "looked_after_starts_unaccompanied"), 0.0);
  expect_rise(none, more, "looked_after_starts");
  expect_rise(none, more, "looked_after_starts_aged_16_17");
  expect_rise(none, more, "looked_after_aged_16_17_share");
  expect_fall(none, more, "looked_after_aged_10_15_share");
  expect_rise(none, more, "care_exits_turned_18");
  // They do not come through the front door.
  const Paired referrals = paired(none, more, "referrals");
  EXPECT_LT(std::abs(referrals.difference.mean), 0.02 * referrals.base) << describe("referrals", referrals);
}

TEST(Response, MoreChronicFamiliesRaiseSecondOrLaterPlans) {
  // Families with a persistent risk come back after help ends: with more of them (12% of children, not 7%), more
  // plans are second ones. (Re-referrals within 12 months barely move: these families come back over years.)
  const auto base = baseline_run({}, 6);
  const auto more = baseline_run({{"need.chronic.share", "0.12"}}, 6);
  expect_rise(base, more, "second_or_later_cp_plan_share");
}

TEST(Response, HalvingEarlyHelpRaisesWaitingAndHarmAndDoesNotLowerCareEntries) {
  const auto base = baseline_run({}, 8);
  const auto half = baseline_run({{"service.early_help.team.budget_gbp", "2300000"}}, 8);
  expect_rise(base, half, "unallocated_cases");
  expect_rise(base, half, "harm_events");
  expect_rise(base, half, "section47");
  expect_no_fall(base, half, "looked_after_starts");
}

TEST(Response, ALowerEarlyHelpLineWithoutMoneyLengthensTheWait) {
  // The line and the budget interact: more families offered the same places wait longer.
  const auto base = baseline_run({}, 4);
  const auto lower = baseline_run({{"service.front_door.thresholds.early_help", "2.1"}}, 4);
  expect_rise(base, lower, "early_help_wait_days");
  expect_rise(base, lower, "early_help_assessments");
}

TEST(Response, FewerAssessmentWorkersLengthenWaitsAndDoNotLowerCareEntries) {
  const auto base = baseline_run({}, 6);
  const auto fewer = baseline_run({{"service.assessment.team.fte", "40"}}, 6);
  expect_rise(base, fewer, "assessment_wait_days");
  expect_rise(base, fewer, "assessment_duration_median");
  expect_fall(base, fewer, "assessments_within_45wd_share");
  expect_no_fall(base, fewer, "looked_after_starts");
  expect_no_fall(base, fewer, "cp_plan_starts");
}

TEST(Response, SocialWorkCutsRaiseCaseloadsAndLowerTimelinessGradually) {
  const std::vector<std::pair<std::string, double>> teams{
      {"assessment", 60}, {"strategy_discussion", 20}, {"cp_plan", 35}, {"child_in_need", 115}, {"looked_after", 60}};
  const int replications = 6;
  const auto base = baseline_run({}, replications);
  double last_caseload = 0.0, last_timeliness = 0.0;
  for (const double cut : {0.05, 0.10, 0.20, 0.30}) {
    std::vector<Override> levers;
    for (const auto& [team, fte] : teams) {
      levers.push_back({"service." + team + ".team.fte", std::to_string(fte * (1.0 - cut))});
    }
    const auto fewer = baseline_run(levers, replications);
    const Paired caseload = paired(base, fewer, "caseload_per_sw_fte");
    const Paired timeliness = paired(base, fewer, "assessments_within_45wd_share");
    SCOPED_TRACE("cut " + std::to_string(cut));
    EXPECT_GT(caseload.difference.low, 0.0) << describe("caseload_per_sw_fte", caseload);
    EXPECT_GT(caseload.difference.mean, last_caseload);  // more for a deeper cut: no plateau
    if (cut >= 0.10) {
      EXPECT_LT(timeliness.difference.high, 0.0) << describe("within 45 days", timeliness);
    }
    EXPECT_LT(timeliness.difference.mean, last_timeliness);
    last_caseload = caseload.difference.mean;
    last_timeliness = timeliness.difference.mean;
  }
}

TEST(Response, NoSingleDecisionsConsistencySwingsCareEntriesByHalf) {
  // Every line sits inside the need scale, so doubling one decision's noise moves care entries, but not by half.
  const int replications = 4;
  const auto base = baseline_run({}, replications);
  for (const std::string service : {"strategy_discussion", "icpc", "cp_plan", "child_in_need"}) {
    const auto noisy = baseline_run({{"service." + service + ".noise_sd", "0.8"}}, replications);
    const Paired care = paired(base, noisy, "looked_after_starts");
    EXPECT_LT(std::abs(care.difference.mean), 0.5 * care.base) << service << ": " << describe("care", care);
  }
}

}  // namespace
}  // namespace frontdoor
