// Ages, chronic families, a history at the start and care careers: the plain-C++ parts (models/ages,
// models/care_career, models/children).
#include "models/ages.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "models/care_career.hpp"
#include "models/children.hpp"

namespace frontdoor {
namespace {

TEST(Ages, BandsFollowTheDfEsEdges) {
  EXPECT_EQ(age_band_of(0.0), 0);
  EXPECT_EQ(age_band_of(0.99), 0);
  EXPECT_EQ(age_band_of(1.0), 1);
  EXPECT_EQ(age_band_of(4.99), 1);
  EXPECT_EQ(age_band_of(5.0), 2);
  EXPECT_EQ(age_band_of(9.99), 2);
  EXPECT_EQ(age_band_of(10.0), 3);
  EXPECT_EQ(age_band_of(15.99), 3);
  EXPECT_EQ(age_band_of(16.0), 4);
  EXPECT_EQ(age_band_of(17.99), 4);
}

TEST(Ages, FactorsAreNormalisedToAMeanOfOneOverThePopulation) {
  const AgeBands factors{4.0, 1.5, 0.7, 0.7, 0.8};
  const AgeBands normalised = normalised_by_population(factors, england_age_shares);
  double mean = 0.0;
  for (int b = 0; b < age_bands; ++b) mean += england_age_shares[b] * normalised[b];
  EXPECT_NEAR(mean, 1.0, 1e-12);
  EXPECT_NEAR(normalised[0] / normalised[2], 4.0 / 0.7, 1e-12);  // the shape is kept
  const AgeBands none = normalised_by_population(AgeBands{}, england_age_shares);
  for (double f : none) EXPECT_EQ(f, 1.0);
}

TEST(Ages, DrawnAgesFollowSharesTimesWeights) {
  RandomStream rng(11);
  const AgeBands weights{10.0, 1.0, 1.0, 1.0, 0.0};
  std::array<int, age_bands> counts{};
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double age = draw_age_years(england_age_shares, weights, rng);
    ASSERT_GE(age, 0.0);
    ASSERT_LT(age, 18.0);
    ++counts[age_band_of(age)];
  }
  double total = 0.0;
  for (int b = 0; b < age_bands; ++b) total += england_age_shares[b] * weights[b];
  for (int b = 0; b < age_bands; ++b) {
    const double expected = england_age_shares[b] * weights[b] / total;
    EXPECT_NEAR(counts[b] / static_cast<double>(n), expected, 0.005) << age_band_names[b];
  }
  EXPECT_EQ(counts[4], 0);  // weight 0: never
}

CareExitSpec exit_of(int decision, AgeBands per_year, double not_before = 0.0, double first_year = 1.0) {
  CareExitSpec e;
  e.decision = decision;
  e.per_year = per_year;
  e.not_before_days = not_before;
  e.first_year_factor = first_year;
  return e;
}

TEST(CareCareer, AChildStillInCareAt18LeavesOnItsBirthday) {
  RandomStream rng(3);
  const std::vector<CareExitSpec> none{exit_of(0, AgeBands{})};
  const double age = 17.5 * days_per_year;
  const CareerEnd end = draw_career(none, 5, age, 0.0, rng);
  EXPECT_EQ(end.decision, 5);
  EXPECT_NEAR(end.days, 0.5 * days_per_year, 1e-6);
}

TEST(CareCareer, NoExitComesBeforeItsEarliestDayAndTheRatesFollowTheBand) {
  RandomStream rng(5);
  // Adoption only, at 2 a year for the under-5s and never after, not before 300 days in care.
  const std::vector<CareExitSpec> adoption{exit_of(1, AgeBands{2.0, 2.0, 0.0, 0.0, 0.0}, 300.0)};
  int adopted = 0;
  double longest_before_5 = 0.0;
  for (int i = 0; i < 5000; ++i) {
    const CareerEnd end = draw_career(adoption, 9, 0.5 * days_per_year, 0.0, rng);
    ASSERT_GE(end.days, 300.0 - 1e-9);
    if (end.decision == 1) {
      ++adopted;
      longest_before_5 = std::max(longest_before_5, 0.5 * days_per_year + end.days);
    } else {
      EXPECT_EQ(end.decision, 9);  // not adopted by 5: stays to 18
      EXPECT_NEAR(end.days, 17.5 * days_per_year, 1e-6);
    }
  }
  EXPECT_LE(longest_before_5, 5.0 * days_per_year + 1e-6);  // no adoption once the hazard is 0
  // From 300 days to age 5 (about 4.2 years) at 2 a year: nearly all are adopted.
  EXPECT_GT(adopted, 4950);
}

TEST(CareCareer, CompetingExitsSplitInProportionToTheirHazards) {
  RandomStream rng(7);
  const std::vector<CareExitSpec> exits{exit_of(0, AgeBands{1.0, 1.0, 1.0, 1.0, 1.0}),
                                        exit_of(1, AgeBands{3.0, 3.0, 3.0, 3.0, 3.0})};
  int first = 0;
  double mean = 0.0;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    const CareerEnd end = draw_career(exits, 2, 6.0 * days_per_year, 0.0, rng);
    first += end.decision == 0 ? 1 : 0;
    mean += end.days / n;
  }
  EXPECT_NEAR(first / static_cast<double>(n), 0.25, 0.01);
  EXPECT_NEAR(mean, days_per_year / 4.0, 3.0);  // total hazard 4 a year
}

TEST(CareCareer, PlacementsAreDrawnByTheChildsBand) {
  std::vector<PlacementSpec> placements(2);
  placements[0].name = "foster_care";
  placements[0].share = 0.5;
  placements[0].by_age = AgeBands{1.0, 1.0, 1.0, 0.0, 0.0};
  placements[1].name = "residential";
  placements[1].share = 0.5;
  placements[1].by_age = AgeBands{0.0, 0.0, 0.0, 1.0, 1.0};
  RandomStream rng(9);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(draw_placement_type(placements, 0, rng), 0);
    EXPECT_EQ(draw_placement_type(placements, 4, rng), 1);
  }
}

TEST(Children, ABirthdayMovesTheChildOnABandAndAt18ItLeaves) {
  ChildPopulation population(1000, 13);
  const int c = population.add(1);
  Child& child = population[c];
  const int band = child.band;
  const double birthday = population.reschedule(c, 0.0, 0.0);  // no rates: the birthday is its next event
  ASSERT_TRUE(child.birthday_next);
  ASSERT_EQ(population.pop_due(birthday), c);
  Scenario scenario;
  SimCalendar calendar(std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::month{4}, std::chrono::day{1}},
                       30, {});
  const ChildOutcome outcome = population.child_event(c, birthday, ChildRates{}, scenario, calendar);
  if (band + 1 < age_bands) {
    EXPECT_EQ(outcome.kind, ChildOutcome::Kind::aged);
    EXPECT_EQ(child.band, band + 1);
  }
  // Run it on to 18: outside the pathway its record is gone then.
  double now = birthday;
  for (int i = 0; i < age_bands && population[c].alive; ++i) {
    const double next = population.reschedule(c, now, 0.0);
    now = next;
    ASSERT_EQ(population.pop_due(next), c);
    const ChildOutcome o = population.child_event(c, next, ChildRates{}, scenario, calendar);
    if (o.kind == ChildOutcome::Kind::turned_18) {
      EXPECT_FALSE(population[c].alive);
      EXPECT_NEAR(next - population[c].birth_day, adult_age_years * days_per_year, 1e-6);
    }
  }
  EXPECT_FALSE(population[c].alive);
  EXPECT_EQ(population.known(), 0);
}

TEST(Children, ChronicFamiliesAreTheirOwnPoolAndCarryAHistory) {
  ChildPopulation population(100000, 17);
  HistorySpec history;
  history.plans_per_year_chronic = 1.0;  // a plan a year: every chronic child born long before day 0 had one
  population.set_population(england_age_shares, 0.1, history);
  int chronic = 0, with_plan = 0;
  for (int i = 0; i < 2000; ++i) {
    const int c = population.add(2, 0.0, AgeBands{1.0, 1.0, 1.0, 1.0, 1.0}, 0.5);
    const Child& child = population[c];
    chronic += child.chronic ? 1 : 0;
    if (child.prior_plans > 0) {
      ++with_plan;
      EXPECT_TRUE(child.chronic);  // ordinary families' rate is 0 here
      EXPECT_EQ(child.plans, 1);   // a plan started in the run is a second one
    }
  }
  EXPECT_NEAR(chronic / 2000.0, 0.5, 0.04);
  EXPECT_GT(with_plan, chronic * 0.9);  // most chronic children are old enough to have had one
  EXPECT_LE(with_plan, chronic);
}

}  // namespace
}  // namespace frontdoor
