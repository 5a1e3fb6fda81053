// The workforce process without an engine: scheduled establishment changes, leavers and hires, agency cover, and
// the birth-death process's long-run vacancy against its equilibrium.
#include "models/workforce.hpp"

#include <gtest/gtest.h>

namespace frontdoor {
namespace {

using Kind = WorkforceProcess::Step::Kind;

TEST(Workforce, WithoutTurnoverOrScheduleNothingEverHappens) {
  TeamSpec team;
  team.fte = 10.0;
  WorkforceProcess process(team, {});
  RandomStream rng(1);
  EXPECT_EQ(process.next(0.0, 0.0, rng).kind, Kind::none);
  EXPECT_DOUBLE_EQ(initial_permanent_staff(team), 10.0);
}

TEST(Workforce, AScheduledCutRemovesPostsAndWithoutTurnoverFillsEveryPost) {
  TeamSpec team;
  team.fte = 10.0;
  WorkforceProcess process(team, {{100.0, 7.5}, {200.0, 12.0}});
  RandomStream rng(1);
  WorkforceProcess::Step step = process.next(0.0, 0.0, rng);
  EXPECT_EQ(step.kind, Kind::schedule);
  EXPECT_DOUBLE_EQ(step.at, 100.0);
  EXPECT_DOUBLE_EQ(process.apply(step, rng), 2.5);  // the cut's staff leave (the workforce's leavers)
  EXPECT_DOUBLE_EQ(process.establishment(), 7.5);
  EXPECT_DOUBLE_EQ(process.permanent(), 7.5);
  EXPECT_DOUBLE_EQ(process.apply(process.next(100.0, 0.0, rng), rng), 0.0);  // a rise: nobody leaves
  EXPECT_DOUBLE_EQ(process.permanent(), 12.0);
  EXPECT_EQ(process.next(200.0, 0.0, rng).kind, Kind::none);
}

TEST(Workforce, ApplyReturnsTheLeaversAndNotTheHires) {
  TeamSpec team;
  team.fte = 20.0;
  team.turnover_per_year = 0.5;
  team.recruitment_days = 100.0;
  WorkforceProcess process(team, {});
  RandomStream rng(3);
  double left = 0.0;
  int leavers = 0, hires = 0;
  for (int i = 0; i < 2000; ++i) {
    const double before = process.permanent();
    const double gone = process.apply(process.next(0.0, 0.0, rng), rng);
    left += gone;
    if (process.permanent() < before) {
      ++leavers;
      EXPECT_DOUBLE_EQ(gone, 1.0);
    } else {
      ++hires;
      EXPECT_DOUBLE_EQ(gone, 0.0);
    }
  }
  EXPECT_DOUBLE_EQ(left, leavers);
  EXPECT_GT(leavers, 500);
  EXPECT_GT(hires, 500);
}

// The DfE's turnover rate (leavers / average permanent FTE) of a calm team is its turnover_per_year.
TEST(Workforce, LeaversOverAveragePermanentStaffIsTheTurnoverRate) {
  TeamSpec team;
  team.fte = 60.0;
  team.turnover_per_year = 0.159;
  team.recruitment_days = 540.0;
  team.turnover_pressure = 1.0;  // with no overload: rechecks every 30 days change nothing
  WorkforceProcess process(team, {});
  RandomStream rng(11);
  double t = 0.0, permanent_days = 0.0, left = 0.0;
  const double horizon = 2000.0 * 365.25;
  while (t < horizon) {
    const WorkforceProcess::Step step = process.next(t, 0.0, rng);
    permanent_days += process.permanent() * (step.at - t);
    t = step.at;
    left += process.apply(step, rng);
  }
  const double rate = left / (permanent_days / 365.25);
  EXPECT_NEAR(rate, 0.159, 0.005);  // about 96,000 leavers: a standard error of 0.0005
}

TEST(Workforce, AgencyStaffCoverTheirShareOfVacanciesAndBoughtStaffAddUp) {
  TeamSpec team;
  team.agency_cover = 0.5;
  const StaffInPost staff = staff_in_post(team, 8.0, 10.0, 1.5);
  EXPECT_DOUBLE_EQ(staff.agency_fte, 1.0);
  EXPECT_DOUBLE_EQ(staff.fte, 10.5);
}

TEST(Workforce, OverloadDrivesLeaversFasterAndIsReadAgainEveryThirtyDays) {
  TeamSpec team;
  team.fte = 20.0;
  team.turnover_per_year = 0.01;
  team.recruitment_days = 90.0;
  team.turnover_pressure = 2.0;
  WorkforceProcess process(team, {});
  RandomStream rng(2);
  const WorkforceProcess::Step calm = process.next(0.0, 0.0, rng);
  const WorkforceProcess::Step overloaded = process.next(0.0, 0.5, rng);
  EXPECT_DOUBLE_EQ(overloaded.leave_rate, 2.0 * calm.leave_rate);  // x (1 + 2 x 0.5)
  // At 0.2 leavers a year, the next one is almost always more than 30 days away: read the caseload again then.
  int rechecks = 0;
  for (int i = 0; i < 100; ++i) {
    const WorkforceProcess::Step step = process.next(0.0, 0.0, rng);
    if (step.kind == Kind::recheck) {
      ++rechecks;
      EXPECT_DOUBLE_EQ(step.at, WorkforceProcess::recheck_days);
    }
  }
  EXPECT_GT(rechecks, 80);
}

TEST(Workforce, LongRunVacanciesMatchTheEquilibriumOfLeaversAndHires) {
  TeamSpec team;
  team.fte = 200.0;
  team.turnover_per_year = 0.25;
  team.recruitment_days = 120.0;
  WorkforceProcess process(team, {});
  RandomStream rng(3);
  EXPECT_DOUBLE_EQ(process.permanent(), std::round(200.0 * (1.0 - team.equilibrium_vacancy())));
  // Time-weighted vacant share over 200 years of steps.
  double t = 0.0, vacant_days = 0.0;
  while (t < 200 * 365.25) {
    const WorkforceProcess::Step step = process.next(t, 0.0, rng);
    vacant_days += (step.at - t) * (process.establishment() - process.permanent());
    t = step.at;
    process.apply(step, rng);
  }
  EXPECT_NEAR(vacant_days / t / 200.0, team.equilibrium_vacancy(), 0.1 * team.equilibrium_vacancy());
}

}  // namespace
}  // namespace frontdoor
