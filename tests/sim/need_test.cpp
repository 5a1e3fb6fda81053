// The reference model's directional tests: levers move the emergent measures the way the domain says they should.
// Each compares paired runs (same seeds) of the England reference scenario over years 4 to 6, and asserts only a
// direction with a margin well beyond the replication noise seen when the test was written (see the comments).
#include "models/need.hpp"

#include <gtest/gtest.h>

#include "models/scenario_loader.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

using test_support::annual_mean;
using test_support::source_path;

std::vector<ReplicationResult> reference_run(std::vector<Override> levers, int replications = 3) {
  levers.push_back({"simulation.years", "6"});
  levers.push_back({"simulation.warmup_days", "1095"});
  return test_support::run(load_scenario(source_path("scenarios/england_baseline.toml"), levers), replications, 11);
}

double late(const std::vector<ReplicationResult>& runs, const std::string& measure) {
  return annual_mean(runs, measure, 4, 6);
}

TEST(Need, DecisionsFollowThresholdsOnObservedNeed) {
  NeedRule rule;
  rule.active = true;
  rule.thresholds = {std::nan(""), 0.0, 1.9, 2.5};  // a chance decision, then nfa, early help, referral
  EXPECT_EQ(decide_on_need(rule, -3.0, 0.0), 1);    // below every threshold: the lowest one's decision
  EXPECT_EQ(decide_on_need(rule, 1.0, 0.0), 1);
  EXPECT_EQ(decide_on_need(rule, 2.0, 0.0), 2);
  EXPECT_EQ(decide_on_need(rule, 2.5, 0.0), 3);
  EXPECT_EQ(decide_on_need(rule, 2.5, 0.3), 2);   // a stricter front door (thresholds shifted up)
  EXPECT_EQ(decide_on_need(rule, 1.7, -0.3), 2);  // a risk-averse one
}

TEST(Need, WithoutHelpTheChainHasItsProductForm) {
  NeedSpec spec;
  spec.up_per_year = {0.1, 0.6, 0.5, 0.25, 0.0};
  spec.down_per_year = {0.0, 1.0, 0.6, 0.35, 0.3};
  // pi(k+1) / pi(k) = up(k) / down(k+1).
  const NeedRates pi = untreated_equilibrium(spec);
  EXPECT_NEAR(pi[2] / pi[1], spec.up_per_year[1] / spec.down_per_year[2], 1e-12);
}

TEST(Need, RaisingTheFrontDoorThresholdsLowersReferralsAndRaisesHarmAfterNoFurtherAction) {
  const auto base = reference_run({});
  const auto strict = reference_run(
      {{"service.front_door.thresholds.referral", "3.3"}, {"service.front_door.thresholds.early_help", "3.0"}});
  // Written against: referrals 5,241 -> 4,143 a year; harm after NFA or closure 610 -> 746; contacts 27,206 -> 28,980
  // (children turned away come back). Replication sd of each is under 5% of its mean.
  EXPECT_LT(late(strict, "referrals_count"), 0.9 * late(base, "referrals_count"));
  EXPECT_GT(late(strict, "harm_events_after_nfa_or_closure_12m_count"),
            1.1 * late(base, "harm_events_after_nfa_or_closure_12m_count"));
  EXPECT_GT(late(strict, "contacts_count"), late(base, "contacts_count"));
  // Re-referrals in the DfE's sense fall (fewer referrals in the first place); the children turned away come
  // back to the front door instead: repeat contacts within 12 months rise.
  EXPECT_GT(late(strict, "repeat_contacts_within_12m_share"),
            late(base, "repeat_contacts_within_12m_share") + 0.01);  // 0.417 -> 0.439
}

TEST(Need, NoisierDecisionsRaiseWrongfulNoFurtherActionAndUnneededAssessments) {
  const auto base = reference_run({});
  const auto noisy = reference_run({{"service.front_door.noise_sd", "1.5"}});
  // Written against: harm after NFA or closure 610 -> 731; assessed not in need 0.24 -> 0.33.
  EXPECT_GT(late(noisy, "harm_events_after_nfa_or_closure_12m_count"),
            1.1 * late(base, "harm_events_after_nfa_or_closure_12m_count"));
  EXPECT_GT(late(noisy, "assessed_not_in_need"), late(base, "assessed_not_in_need") + 0.04);
}

TEST(Need, MoreEarlyHelpLowersLaterStatutoryDemand) {
  // Care starts move by about 1% here: 3 replications of 3 measured years cannot tell that from noise (since
  // issue 17's ages and care careers), 8 can.
  const auto base = reference_run({}, 8);
  // 180 key workers where the baseline's 4.6 million pounds buys 100. Early help's staff follow its budget: an FTE
  // set beside a budget is ignored (the budget wins), and this test set one, so its lower line alone lengthened the
  // wait and its section 47s fell by chance or not at all.
  const auto more = reference_run(
      {{"service.front_door.thresholds.early_help", "2.2"}, {"service.early_help.team.budget_gbp", "8280000"}}, 8);
  // Written against: section 47s 1,831 -> 1,796 a year in years 4 to 6 (the paired, interval-tested version is
  // Response.EarlyHelpMoneyAloneLowersEscalationsAndCareEntries).
  EXPECT_GT(late(more, "early_help_assessments_count"), 1.2 * late(base, "early_help_assessments_count"));
  EXPECT_LT(late(more, "section47_count"), 0.995 * late(base, "section47_count"));
  EXPECT_LT(late(more, "looked_after_starts_count"), late(base, "looked_after_starts_count"));
}

TEST(Need, ConservesChildrenAndIsDeterministic) {
  const auto a = reference_run({});
  const auto b = reference_run({});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(to_json(a[i]).dump(), to_json(b[i]).dump());
    const CaseBalance& c = a[i].balance;
    EXPECT_EQ(c.arrived + c.initial, c.left + c.waiting + c.in_progress);
    EXPECT_GT(c.arrived, 0u);
  }
  EXPECT_GT(late(a, "rereferrals_within_12m_share"), 0.05);  // re-referrals emerge from need left unmet
  EXPECT_GT(late(a, "sustained_improvement_share"), 0.2);
}

}  // namespace
}  // namespace frontdoor
