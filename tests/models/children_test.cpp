// Children and their need without an engine: rates under help, the child's own streams (common random numbers),
// the rescaled hazard clock, the event heap, the pool, and the starting population.
#include "models/children.hpp"

#include <gtest/gtest.h>

#include "models/scenario_loader.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

const Scenario& england() { return test_support::england_baseline(); }

TEST(Children, HelpSlowsRisesAndHarmAndSpeedsRecoveryByItsQuality) {
  Child child;
  child.need = 2;
  const ChildRates none = child_rates(child, england(), HelpNow{}, 0.0);
  const ChildRates helped = child_rates(child, england(), HelpNow{1.0, 0.5, 1.0}, 0.0);
  const ChildRates diluted = child_rates(child, england(), HelpNow{1.0, 0.5, 0.5}, 0.0);
  EXPECT_DOUBLE_EQ(helped.up, 0.5 * none.up);
  EXPECT_DOUBLE_EQ(helped.harm, 0.5 * none.harm);
  EXPECT_DOUBLE_EQ(helped.down, 2.0 * none.down);
  EXPECT_DOUBLE_EQ(diluted.up, 0.75 * none.up);
  EXPECT_DOUBLE_EQ(diluted.down, 1.5 * none.down);
  // Agencies go on noticing a child in the pathway (waiting or helped): its contacts go to the team that holds it.
  EXPECT_GT(none.total, none.up + none.down + none.crisis + none.harm);
  child.in_pathway = true;
  const ChildRates inside = child_rates(child, england(), HelpNow{}, 0.0);
  EXPECT_DOUBLE_EQ(inside.total, none.total);
  EXPECT_EQ(inside.notice, none.notice);
}

TEST(Children, TheSameChildHasTheSameStreamsInEveryPopulationOnTheSameSeed) {
  ChildPopulation a(1000, 7), b(1000, 7), other_seed(1000, 8);
  const int first_a = a.add(1);
  const int first_b = b.add(3);
  EXPECT_EQ(a[first_a].luck.next_u64(), b[first_b].luck.next_u64());
  EXPECT_NE(a[a.add(1)].rng.next_u64(), other_seed[other_seed.add(1)].rng.next_u64());
  // A freed record is reused, but the new child gets the next child's streams, not the old one's.
  ChildPopulation c(1000, 7);
  c.release(c.add(1));
  const int reused = c.add(1);
  EXPECT_EQ(reused, 0);
  ChildPopulation d(1000, 7);
  d.add(1);
  EXPECT_EQ(c[reused].cases.next_u64(), d[d.add(1)].cases.next_u64());
}

TEST(Children, TheNextEventDaySkipsSupersededDraws) {
  ChildPopulation population(1000, 3);
  const int c = population.add(2);
  const double first = population.reschedule(c, 0.0, 1.0);
  const double later = population.reschedule(c, 0.0, 0.5);  // the same hazard at half the rate: due twice as late
  ASSERT_GT(later, first);
  EXPECT_DOUBLE_EQ(population.next_event_day(), later);  // the first draw is gone: no wake-up for nothing
  population.release(c);
  EXPECT_EQ(population.next_event_day(), std::numeric_limits<double>::infinity());
}

TEST(Children, AChangeOfRatesRescalesTheHazardLeftRatherThanDrawingAfresh) {
  ChildPopulation population(1000, 3);
  const int c = population.add(2);
  const double first = population.reschedule(c, 0.0, 1.0);  // hazard h at rate 1: due at h
  const double h = first;
  const double second = population.reschedule(c, 0.25 * h, 2.0);  // three quarters left at twice the rate
  EXPECT_DOUBLE_EQ(second, 0.25 * h + 0.75 * h / 2.0);
  // Only the latest draw is live: the first is superseded.
  EXPECT_FALSE(population.pop_due(0.0));
  ASSERT_EQ(population.pop_due(second), c);
  EXPECT_FALSE(population.pop_due(1e9));
  // No rates: no event but the birthday that moves the child into its next age band.
  const Child& child = population[c];
  EXPECT_DOUBLE_EQ(population.reschedule(c, second, 0.0),
                   child.birth_day + age_band_upper_years[child.band] * days_per_year);
  EXPECT_TRUE(child.birthday_next);
}

TEST(Children, NeedFallingToZeroOutsideThePathwayEndsTheRecord) {
  Scenario scenario = england();
  ChildPopulation population(1000, 5);
  const int c = population.add(1);
  ChildRates only_down;
  only_down.down = 1.0;
  only_down.total = 1.0;
  const ChildOutcome outcome = population.child_event(c, 1.0, only_down, scenario, scenario.make_calendar());
  EXPECT_EQ(outcome.kind, ChildOutcome::Kind::left);
  EXPECT_FALSE(population[c].alive);
  EXPECT_EQ(population.known(), 0);
}

TEST(Children, HarmWithinAYearOfLeavingThePathwayIsMarked) {
  const Scenario& scenario = england();
  ChildPopulation population(1000, 5);
  const int c = population.add(3);
  population[c].last_exit = 100.0;
  ChildRates only_harm;
  only_harm.harm = 1.0;
  only_harm.total = 1.0;
  EXPECT_TRUE(population.child_event(c, 400.0, only_harm, scenario, scenario.make_calendar()).within_year_of_exit);
  EXPECT_FALSE(population.child_event(c, 500.0, only_harm, scenario, scenario.make_calendar()).within_year_of_exit);
}

TEST(Children, SchoolHolidaysThinSchoolContactsByTheHolidayFactor) {
  const Scenario& scenario = england();
  const SimCalendar calendar = scenario.make_calendar();
  int holiday = 0;
  while (!calendar.is_school_holiday(holiday)) ++holiday;
  SourceSpec schools;
  schools.follows_school_calendar = true;
  schools.holiday_factor = 0.3;
  RandomStream rng(6);
  int noticed = 0;
  constexpr int draws = 100000;
  for (int i = 0; i < draws; ++i) noticed += noticed_today(schools, holiday + 0.5, calendar, rng) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(noticed) / draws, 0.3, 5.0 * std::sqrt(0.3 * 0.7 / draws));
  SourceSpec police;
  EXPECT_TRUE(noticed_today(police, holiday + 0.5, calendar, rng));
}

TEST(Children, ThePoolMakesChildrenAtTheOnsetAndCrisisRatesAndShrinksAsRecordsAreMade) {
  const Scenario& scenario = england();
  ChildPopulation population(scenario.children, 9);
  const double full = population.pool_rate(scenario, 0.0);
  population.add(2);
  EXPECT_NEAR(population.pool_rate(scenario, 0.0), full * (scenario.children - 1.0) / scenario.children, 1e-12 * full);
  // Onsets against everything the pool can do: onset, crisis or a level-0 contact.
  double per_child = scenario.need.up_per_year[0] + scenario.need.crisis_per_year[0];
  for (const auto& source : scenario.sources) per_child += source.notice_per_year[0];
  const double onset = scenario.need.up_per_year[0] / per_child;
  const SimCalendar calendar = scenario.make_calendar();
  int onsets = 0;
  constexpr int draws = 50000;
  for (int i = 0; i < draws; ++i) {
    const PoolOutcome outcome = population.pool_event(10.0, scenario, calendar);
    if (outcome.kind == PoolOutcome::Kind::onset) {
      ++onsets;
      EXPECT_EQ(population[outcome.child].need, 1);
    }
    if (outcome.child >= 0) population.release(outcome.child);
  }
  EXPECT_NEAR(static_cast<double>(onsets) / draws, onset, 5.0 * std::sqrt(onset * (1.0 - onset) / draws));
}

TEST(Children, TheStartingPopulationLeavesOutChildrenTheFrontDoorWouldTakeIn) {
  Scenario scenario = england();
  scenario.need.start_removal = 0.0;
  const NeedRates none_removed = starting_need(scenario);
  scenario.need.start_removal = 1.0;
  const NeedRates removed = starting_need(scenario);
  EXPECT_LT(removed[4], none_removed[4]);
  EXPECT_LT(removed[3], none_removed[3]);
}

// Children are born with no need and age through the bands: with the same rates at every age, an older child has
// had longer for need to appear, so each band holds a larger share of children with need than the band before; and
// the bands hold the population's children.
TEST(Children, TheStartingPopulationsNeedBuildsUpWithAge) {
  Scenario scenario = england();
  scenario.need.start_removal = 0.0;
  scenario.need.chronic.share = 0.0;
  scenario.need.onset_age = scenario.need.up_age = scenario.need.crisis_age = AgeBands{1.0, 1.0, 1.0, 1.0, 1.0};
  const StartingNeed start = starting_need_by_family(scenario);
  double previous = -1.0;
  for (int b = 0; b < age_bands; ++b) {
    double with_need = 0.0, all = 0.0;
    for (int k = 0; k < need_levels; ++k) {
      all += start.ordinary[b][k];
      if (k > 0) with_need += start.ordinary[b][k];
    }
    EXPECT_NEAR(all, scenario.children * scenario.age_shares[b], 1e-6);
    EXPECT_GT(with_need / all, previous) << "band " << b;
    previous = with_need / all;
  }
}

TEST(Children, AStartingChildsChanceOfAChronicFamilyRisesWithItsNeed) {
  Scenario scenario = england();
  scenario.need.chronic = ChronicSpec{0.1, 2.0, 0.5};
  const StartingNeed start = starting_need_by_family(scenario);
  EXPECT_LT(start.chronic_probability(0), 0.1);  // the pool has fewer of them than the population
  EXPECT_GT(start.chronic_probability(1), 0.1);
  EXPECT_GT(start.chronic_probability(3), start.chronic_probability(1));
  // Each group holds its own children: the two together are the population.
  double chronic = 0.0, all = 0.0;
  for (int b = 0; b < age_bands; ++b) {
    for (int k = 0; k < need_levels; ++k) {
      chronic += start.chronic[b][k];
      all += start.chronic[b][k] + start.ordinary[b][k];
    }
  }
  EXPECT_NEAR(chronic, 0.1 * scenario.children, 1e-6);
  EXPECT_NEAR(all, static_cast<double>(scenario.children), 1e-6);
  scenario.need.chronic.share = 0.0;
  EXPECT_EQ(starting_need_by_family(scenario).chronic_probability(4), 0.0);
}

// The starting community balances every level of every band: at level 4 of band 0 (no band below it), what comes
// in (rises from 3, crises from every level) equals what goes out (falls, removal, ageing into the next band).
TEST(Children, TheStartingCommunityBalancesItsFlows) {
  Scenario scenario = england();
  NeedByAge removal{};
  for (int b = 0; b < age_bands; ++b) removal[b] = NeedRates{0.0, 0.1, 0.5, 1.5, 3.0};
  const NeedByAge s = community_balance_by_age(scenario, 100000.0, 2.0, 0.5, removal);
  const NeedSpec& n = scenario.need;
  const double crisis = n.crisis_age[0] * 2.0;
  const double in4 = s[0][3] * (n.up_per_year[3] * n.up_age[0] * 2.0 + n.crisis_per_year[3] * crisis) +
                     s[0][0] * n.crisis_per_year[0] * crisis + s[0][1] * n.crisis_per_year[1] * crisis +
                     s[0][2] * n.crisis_per_year[2] * crisis;
  const double out4 = s[0][4] * (n.down_per_year[4] * 0.5 + removal[0][4] + 1.0);  // band 0 lasts a year
  EXPECT_NEAR(in4, out4, 1e-6 * in4);
  double all = 0.0;
  for (int k = 0; k < need_levels; ++k) all += s[0][k];
  EXPECT_NEAR(all, 100000.0 * scenario.age_shares[0], 1e-6);
}

}  // namespace
}  // namespace frontdoor
