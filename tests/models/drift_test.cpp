// Shocks that last: a threshold shift and a notice boost set at a [[change]] fade towards 0 exponentially, with a
// half-life the scenario sets, from the day the change that set them began; decisions read the shift in force on
// the day they are taken, and children's notice rates are taken afresh every month while a boost fades.
#include <gtest/gtest.h>

#include <cmath>

#include "models/children.hpp"
#include "models/decision_rule.hpp"
#include "models/scenario_loader.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

using test_support::source_path;

TEST(Drift, FadesExponentiallyWithItsHalfLife) {
  EXPECT_EQ(NeedSpec::drift_remaining(0.0, 730.0), 1.0);
  EXPECT_DOUBLE_EQ(NeedSpec::drift_remaining(730.0, 730.0), 0.5);
  EXPECT_DOUBLE_EQ(NeedSpec::drift_remaining(1460.0, 730.0), 0.25);
  // Continuous, not in steps: one and a half half-lives leave 2^-1.5, and every day a little less.
  EXPECT_DOUBLE_EQ(NeedSpec::drift_remaining(1095.0, 730.0), std::pow(2.0, -1.5));
  EXPECT_LT(NeedSpec::drift_remaining(366.0, 730.0), NeedSpec::drift_remaining(365.0, 730.0));
  EXPECT_GT(NeedSpec::drift_remaining(366.0, 730.0), 0.5);
  // Without a half-life the drift holds; before it was set nothing has faded.
  EXPECT_EQ(NeedSpec::drift_remaining(5000.0, 0.0), 1.0);
  EXPECT_EQ(NeedSpec::drift_remaining(-10.0, 730.0), 1.0);

  NeedSpec need;
  need.threshold_shift = -0.3;
  need.notice_boost = 0.2;
  need.drift_half_life_days = 365.0;
  need.shift_set_day = 1000.0;
  need.boost_set_day = 1000.0;
  EXPECT_DOUBLE_EQ(need.threshold_shift_at(1000.0), -0.3);
  EXPECT_DOUBLE_EQ(need.threshold_shift_at(1365.0), -0.15);
  EXPECT_DOUBLE_EQ(need.threshold_shift_at(1730.0), -0.075);
  EXPECT_DOUBLE_EQ(need.notice_factor_at(1000.0), 1.2);
  EXPECT_DOUBLE_EQ(need.notice_factor_at(1365.0), 1.1);
  EXPECT_TRUE(need.notice_fading());
  need.drift_half_life_days = 0.0;
  EXPECT_EQ(need.threshold_shift_at(9000.0), -0.3);
  EXPECT_FALSE(need.notice_fading());
}

// The baseline with a shock in year 4 (shift -0.3, boost +20%, half-life two years) and, in year 6, a change that
// sets something else: the drift keeps fading from year 4, it does not start again.
Scenario shocked(const std::string& year6) {
  return load_scenario(source_path("scenarios/england_baseline.toml"),
                       {{"change",
                         "[{from_year = 4, set = {\"need.threshold_shift\" = -0.3, \"need.notice_boost\" = "
                         "0.2, \"need.drift_half_life_days\" = 730}}, {from_year = 6, set = {" +
                             year6 + "}}]"}});
}

TEST(Drift, FadesFromTheChangeThatSetItLast) {
  const Scenario s = shocked("\"service.cp_plan.team.fte\" = 40");
  ASSERT_EQ(s.changes.size(), 2u);
  const double year4 = s.changes[0].from_day;
  const double year6 = s.changes[1].from_day;
  EXPECT_EQ(s.at(year4 - 1).need.threshold_shift_at(year4 - 1), 0.0);  // before the shock
  EXPECT_DOUBLE_EQ(s.at(year4).need.threshold_shift_at(year4), -0.3);
  const double later = year6 + 100.0;
  EXPECT_DOUBLE_EQ(s.at(later).need.threshold_shift_at(later), -0.3 * std::exp2(-(later - year4) / 730.0));
  EXPECT_DOUBLE_EQ(s.at(later).need.notice_factor_at(later), 1.0 + 0.2 * std::exp2(-(later - year4) / 730.0));

  // Set again in year 6, the shift fades from there; the boost, not set again, still from year 4.
  const Scenario again = shocked("\"need.threshold_shift\" = -0.1");
  EXPECT_DOUBLE_EQ(again.at(later).need.threshold_shift_at(later), -0.1 * std::exp2(-100.0 / 730.0));
  EXPECT_DOUBLE_EQ(again.at(later).need.notice_factor_at(later), 1.0 + 0.2 * std::exp2(-(later - year4) / 730.0));
}

TEST(Drift, DecisionsReadTheShiftInForceOnTheirDay) {
  ServiceSpec spec;
  spec.decisions = {{"no_further_action", 0.0}, {"referral", 0.0}};
  spec.need_rule.active = true;
  spec.need_rule.thresholds = {0.0, 3.0};
  NeedSpec need;
  need.threshold_shift = -0.3;
  need.drift_half_life_days = 365.0;
  need.shift_set_day = 100.0;
  spec.need_rule.thresholds = {0.0, 3.2};
  const ChildInView child{3, 0.0};  // need 3 seen exactly, against a line at 3.2 + the shift in force
  RandomStream rng(1);
  EXPECT_EQ(decide(spec, need, child, rng, 100.0), 1);          // 2.9
  EXPECT_EQ(decide(spec, need, child, rng, 100.0 + 180.0), 1);  // 3.2 - 0.3 x 2^(-180/365) = 2.99
  EXPECT_EQ(decide(spec, need, child, rng, 100.0 + 365.0), 0);  // 3.05
  EXPECT_EQ(decide(spec, need, child, rng, 100.0 + 3650.0), 0);
}

TEST(Drift, AFadingBoostScalesNoticingAndIsTakenAfreshEveryMonth) {
  const Scenario s = shocked("\"service.cp_plan.team.fte\" = 40");
  const SimCalendar calendar = s.make_calendar();
  const double year4 = s.changes[0].from_day;
  Child child;
  child.need = 3;
  const ChildRates before = child_rates(child, s.at(year4 - 1), HelpNow{}, year4 - 1);
  const ChildRates at_shock = child_rates(child, s.at(year4), HelpNow{}, year4);
  const ChildRates two_years_on = child_rates(child, s.at(year4 + 730), HelpNow{}, year4 + 730);
  const int police = static_cast<int>(SourceKind::police);
  EXPECT_DOUBLE_EQ(at_shock.notice[police], 1.2 * before.notice[police]);
  EXPECT_DOUBLE_EQ(two_years_on.notice[police], 1.1 * before.notice[police]);
  EXPECT_DOUBLE_EQ(at_shock.up, before.up);  // need itself is untouched

  // Days on which the children's rates are taken afresh: none before the shock, then every month start.
  const std::vector<double> days = s.rate_change_days(calendar);
  ASSERT_FALSE(days.empty());
  EXPECT_EQ(days.front(), year4);
  EXPECT_EQ(days.size(), static_cast<std::size_t>(calendar.month_count() - 36));  // years 4 to 10
  for (std::size_t i = 1; i < days.size(); ++i) EXPECT_EQ(days[i], calendar.month_start(36 + static_cast<int>(i)));
  // Without a boost, only the changes' own days.
  const Scenario shift_only = load_scenario(
      source_path("scenarios/england_baseline.toml"),
      {{"change", "[{from_year = 4, set = {\"need.threshold_shift\" = -0.3, \"need.drift_half_life_days\" = 730}}]"}});
  EXPECT_EQ(shift_only.rate_change_days(calendar), std::vector<double>{year4});
}

}  // namespace
}  // namespace frontdoor
