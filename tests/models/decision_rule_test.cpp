// The decision rule without an engine: fixed shares, chance outcomes drawn before thresholds, thresholds on
// observed need with noise, the threshold shift, and family group conferences. Frequencies are checked against
// the exact probabilities, within five binomial standard errors of 200,000 draws on a fixed seed.
#include "models/decision_rule.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "models/case.hpp"

namespace frontdoor {
namespace {

constexpr int draws = 200000;

ServiceSpec service_with(std::vector<DecisionShare> decisions) {
  ServiceSpec spec;
  spec.id = "front_door";
  spec.kind = ServiceKind::screening_queue;
  spec.decisions = std::move(decisions);
  return spec;
}

// Share of `draws` decisions equal to `decision`.
double share_of(int decision, const ServiceSpec& spec, const NeedSpec& need, const std::optional<ChildInView>& child,
                std::uint64_t seed = 5) {
  RandomStream rng(seed);
  int hits = 0;
  for (int i = 0; i < draws; ++i) hits += decide(spec, need, child, rng, 0.0) == decision ? 1 : 0;
  return static_cast<double>(hits) / draws;
}

double tolerance(double p) { return 5.0 * std::sqrt(p * (1.0 - p) / draws); }

TEST(DecisionRule, FixedSharesAreDrawnInProportion) {
  const ServiceSpec spec = service_with({{"nfa", 0.3}, {"referral", 0.7}});
  EXPECT_NEAR(share_of(0, spec, NeedSpec{}, std::nullopt), 0.3, tolerance(0.3));
  EXPECT_NEAR(share_of(1, spec, NeedSpec{}, std::nullopt), 0.7, tolerance(0.7));
}

TEST(DecisionRule, AServiceWithoutDecisionsTakesNoneAndDrawsNothing) {
  const ServiceSpec spec = service_with({});
  RandomStream used(9), fresh(9);
  EXPECT_EQ(decide(spec, NeedSpec{}, ChildInView{3, 1.0}, used, 0.0), -1);
  EXPECT_EQ(used.next_u64(), fresh.next_u64());
}

ServiceSpec threshold_service(double noise_sd) {
  ServiceSpec spec = service_with({{"moved_away", 0.1}, {"nfa", 0.0}, {"early_help", 0.0}, {"referral", 0.0}});
  spec.need_rule.active = true;
  spec.need_rule.thresholds = {std::nan(""), 0.0, 1.9, 2.5};
  spec.need_rule.noise_sd = noise_sd;
  return spec;
}

TEST(DecisionRule, ThresholdsDecideOnTrueNeedWithoutNoiseAfterTheChanceOutcome) {
  const ServiceSpec spec = threshold_service(0.0);
  NeedSpec need;
  // The chance outcome (a family moving away) comes first, whatever the need.
  EXPECT_NEAR(share_of(0, spec, need, ChildInView{3, 0.0}), 0.1, tolerance(0.1));
  EXPECT_NEAR(share_of(3, spec, need, ChildInView{3, 0.0}), 0.9, tolerance(0.9));
  EXPECT_NEAR(share_of(2, spec, need, ChildInView{2, 0.0}), 0.9, tolerance(0.9));
  EXPECT_NEAR(share_of(1, spec, need, ChildInView{1, 0.0}), 0.9, tolerance(0.9));
  // A stricter front door: every threshold up by 0.6, so need 3 gets early help.
  need.threshold_shift = 0.6;
  EXPECT_NEAR(share_of(2, spec, need, ChildInView{3, 0.0}), 0.9, tolerance(0.9));
}

TEST(DecisionRule, NoiseOnObservedNeedCrossesThresholdsWithTheNormalProbability) {
  const ServiceSpec spec = threshold_service(0.0);
  // Need 2 seen with sd 1: a referral when 2 + Z >= 2.5, P = 1 - Phi(0.5); early help when 1.9 <= 2 + Z < 2.5.
  const double referral = 0.9 * 0.5 * std::erfc(0.5 / std::sqrt(2.0));
  const double early_help = 0.9 * 0.5 * (std::erfc(-0.1 / std::sqrt(2.0)) - std::erfc(0.5 / std::sqrt(2.0)));
  EXPECT_NEAR(share_of(3, spec, NeedSpec{}, ChildInView{2, 1.0}), referral, tolerance(referral));
  EXPECT_NEAR(share_of(2, spec, NeedSpec{}, ChildInView{2, 1.0}), early_help, tolerance(early_help));
}

TEST(DecisionRule, CasesNotAboutAChildFallBackOnTheLastDecision) {
  // Without a child (no [need] table), thresholds do not apply: shares decide and the remainder is the last one.
  const ServiceSpec spec = threshold_service(0.0);
  EXPECT_NEAR(share_of(3, spec, NeedSpec{}, std::nullopt), 0.9, tolerance(0.9));
}

TEST(DecisionRule, AFamilyGroupConferenceDivertsCoverageTimesSuccessFromCare) {
  ServiceSpec spec = service_with({{"care", 1.0}, {"family_solution", 0.0}});
  spec.fgc_from = 0;
  spec.fgc_to = 1;
  NeedSpec need;
  need.fgc.coverage = 0.5;
  need.fgc.diverted = 0.4;
  EXPECT_NEAR(share_of(1, spec, need, ChildInView{4, 0.0}), 0.2, tolerance(0.2));
  // Only children's cases are conferenced.
  EXPECT_EQ(share_of(1, spec, need, std::nullopt), 0.0);
}

TEST(DecisionRule, AConferenceIsHeldForTheCoveredShareWhetherOrNotItDiverts) {
  ServiceSpec spec = service_with({{"care", 1.0}, {"family_solution", 0.0}});
  spec.fgc_from = 0;
  spec.fgc_to = 1;
  NeedSpec need;
  need.fgc.coverage = 0.5;
  need.fgc.diverted = 0.4;
  RandomStream rng(7), same(7);
  int held = 0, diverted_when_held = 0, diverted = 0;
  for (int i = 0; i < draws; ++i) {
    DecisionNotes notes;
    notes.conference_held = true;
    const int d = decide(spec, need, ChildInView{4, 0.0}, rng, 0.0, &notes);
    const bool conference = notes.conference_held;
    held += conference ? 1 : 0;
    diverted += d == 1 ? 1 : 0;
    diverted_when_held += conference && d == 1 ? 1 : 0;
    // Asking whether a conference was held changes no draw.
    EXPECT_EQ(decide(spec, need, ChildInView{4, 0.0}, same, 0.0), d);
  }
  EXPECT_NEAR(static_cast<double>(held) / draws, 0.5, tolerance(0.5));
  EXPECT_EQ(diverted_when_held, diverted);  // every diverted child had a conference
  DecisionNotes notes;
  notes.conference_held = true;
  decide(spec, need, std::nullopt, rng, 0.0, &notes);
  EXPECT_FALSE(notes.conference_held);  // no child, no conference
  need.fgc.coverage = 0.0;
  notes.conference_held = true;
  decide(spec, need, ChildInView{4, 0.0}, rng, 0.0, &notes);
  EXPECT_FALSE(notes.conference_held);
}

TEST(DecisionRule, ObservationNoiseAddsTheAgencysDescriptionAtTheEntryAndWorsensWithQuality) {
  ServiceSpec spec = threshold_service(0.6);
  NeedSpec need;
  need.quality_noise = 1.0;
  need.co_location_factor = 0.5;
  std::vector<SourceSpec> sources(2);
  sources[0].kind = SourceKind::police;
  sources[0].accuracy_sd = 0.8;
  sources[0].co_located = true;
  sources[1].kind = SourceKind::schools;
  sources[1].accuracy_sd = 0.8;
  EXPECT_DOUBLE_EQ(observation_sd(spec, need, 1.0, sources, SourceKind::police), 0.6);  // not the entry
  spec.entry = true;
  EXPECT_DOUBLE_EQ(observation_sd(spec, need, 1.0, sources, SourceKind::police), std::hypot(0.6, 0.4));
  EXPECT_DOUBLE_EQ(observation_sd(spec, need, 1.0, sources, SourceKind::schools), std::hypot(0.6, 0.8));
  // A diluted team (quality 0.5) is 1.5 times as inconsistent.
  EXPECT_DOUBLE_EQ(observation_sd(spec, need, 0.5, sources, SourceKind::schools), std::hypot(0.9, 0.8));
}

TEST(DecisionRule, AContactAboutAWaitingChildIsReadWithTheTeamsAndTheAgencysNoise) {
  ServiceSpec spec = threshold_service(0.6);  // not the entry: the agency's noise counts all the same
  NeedSpec need;
  need.co_location_factor = 0.5;
  std::vector<SourceSpec> sources(1);
  sources[0].kind = SourceKind::police;
  sources[0].accuracy_sd = 0.8;
  sources[0].co_located = true;
  EXPECT_DOUBLE_EQ(contact_observation_sd(spec, need, sources, SourceKind::police), std::hypot(0.6, 0.4));
  EXPECT_DOUBLE_EQ(contact_observation_sd(spec, need, sources, SourceKind::health), 0.6);  // not declared
}

TEST(DecisionRule, AThresholdDecisionReportsTheNeedItObserved) {
  const ServiceSpec spec = threshold_service(0.0);
  const NeedSpec need;
  RandomStream rng(1, 2);
  int by_threshold = 0;
  for (int i = 0; i < 50; ++i) {
    DecisionNotes notes;
    if (decide(spec, need, ChildInView{3, 0.0}, rng, 0.0, &notes) == 0) {
      EXPECT_TRUE(std::isnan(notes.observed));  // the chance outcome observes nothing
    } else {
      EXPECT_DOUBLE_EQ(notes.observed, 3.0);
      ++by_threshold;
    }
  }
  EXPECT_GT(by_threshold, 30);
}

TEST(DecisionRule, AWaitingListIsTriagedByTheLevelObservedThenFirstComeFirstServed) {
  Case early{1, 10.0, SourceKind::police, 0};
  Case later{2, 20.0, SourceKind::police, 0};
  early.observed_need = 2.6;  // looks like level 3
  later.observed_need = 3.7;  // looks like level 4: ahead of the earlier one
  EXPECT_LT(triage_key(later), triage_key(early));
  later.observed_need = 3.2;  // the same level as the earlier one: arrival decides
  EXPECT_LT(triage_key(early), triage_key(later));
  // Cases with no observed need (fixed shares) stay first come, first served.
  Case a{3, 5.0, SourceKind::police, 0}, b{4, 6.0, SourceKind::police, 0};
  EXPECT_LT(triage_key(a), triage_key(b));
}

}  // namespace
}  // namespace frontdoor
