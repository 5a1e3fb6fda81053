// Cost follows activity (docs/MODEL.md, "Costs"), on the England baseline with common random numbers: the paired
// difference of a yearly cost between a policy and the baseline, replication by replication, with its 95% interval.
#include <gtest/gtest.h>

#include "common/statistics.hpp"
#include "models/scenario_loader.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

using test_support::annual_mean;
using test_support::source_path;

constexpr int replications = 6;
const std::vector<Override> six_years{{"simulation.years", "6"}, {"simulation.warmup_days", "1095"}};

std::vector<ReplicationResult> run(const std::string& scenario) {
  return test_support::run(load_scenario(source_path(scenario), six_years), replications, 21);
}

// Per replication pair, the alternative's mean of `measure` over years 4 to 6 less the baseline's.
MeanInterval paired_difference(const std::vector<ReplicationResult>& base, const std::vector<ReplicationResult>& alt,
                               const std::string& measure) {
  std::vector<double> differences;
  for (std::size_t r = 0; r < base.size(); ++r) {
    differences.push_back(annual_mean({alt[r]}, measure, 4, 6) - annual_mean({base[r]}, measure, 4, 6));
  }
  return mean_ci95(differences);
}

// A more cautious front door (referral from observed need 2.7 instead of 3.0) sends more children to assessment.
// The assessment team's staff are paid either way; the partner agencies' time each assessment takes (and cover
// for any work beyond the team's staff) is what costs more. Written against: assessments +59 per 10,000 a year,
// assessment cost +47,000 pounds (44,000 to 50,000) a year on seed 1, 6 pairs, years 4 to 7.
TEST(Cost, ALowerFrontDoorThresholdRaisesTheAssessmentCost) {
  const auto base = run("scenarios/england_baseline.toml");
  const auto lower = run("scenarios/policies/lower_threshold.toml");
  const MeanInterval assessments = paired_difference(base, lower, "assessments_count");
  EXPECT_GT(assessments.low, 0.0) << assessments.mean;
  const MeanInterval cost = paired_difference(base, lower, "assessment_cost_gbp");
  EXPECT_GT(cost.low, 0.0) << cost.mean << " (" << cost.low << " to " << cost.high << ")";
}

// Family group conferences are counted where they are held (before a care decision) and priced per conference:
// none in the baseline, where no family is offered one, and some under the Leeds policy.
TEST(Cost, FamilyGroupConferencesAreCountedWhereTheyAreHeld) {
  const std::vector<Override> short_run{{"simulation.years", "2"}, {"simulation.warmup_days", "0"}};
  const auto base = test_support::run(load_scenario(source_path("scenarios/england_baseline.toml"), short_run), 1, 5);
  const auto leeds =
      test_support::run(load_scenario(source_path("scenarios/policies/leeds_fgc.toml"), short_run), 1, 5);
  EXPECT_EQ(annual_mean(base, "family_group_conferences_count", 1, 2), 0.0);
  EXPECT_GT(annual_mean(leeds, "family_group_conferences_count", 1, 2), 10.0);
}

}  // namespace
}  // namespace frontdoor
