// The caseload clock without an engine: cases end after their nominal duration while the team has the time they
// ask for, and slow down together (caseload dilution) when it does not.
#include "models/caseload_clock.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace frontdoor {
namespace {

Case case_number(std::uint64_t id) { return Case{id, 0.0, SourceKind::other, 0}; }

TEST(CaseloadClock, CapacityIsTheCapTimesTheStaffRoundedDownOrUnlimited) {
  EXPECT_EQ(CaseloadClock::capacity_of(2.0, 1.5), 3);
  EXPECT_EQ(CaseloadClock::capacity_of(17.0, 0.9), 15);
  EXPECT_EQ(CaseloadClock::capacity_of(0.0, 3.0), std::numeric_limits<long>::max());
}

TEST(CaseloadClock, ACaseEndsAfterItsDurationWhileTheTeamHasTheTimeItNeeds) {
  CaseloadClock clock;
  clock.set_staff(0.0, 1.0, 10.0);
  clock.allocate(20.0, 0.5, case_number(1), std::nullopt);
  EXPECT_DOUBLE_EQ(clock.pace(), 1.0);
  EXPECT_DOUBLE_EQ(clock.next_due(0.0), 20.0);
  clock.advance(19.0);
  EXPECT_FALSE(clock.pop_due());
  clock.advance(20.0);
  const auto due = clock.pop_due();
  ASSERT_TRUE(due);
  EXPECT_EQ(due->item.id, 1u);
  clock.end(due->demand);
  EXPECT_EQ(clock.live(), 0);
  EXPECT_DOUBLE_EQ(clock.demand(), 0.0);
}

TEST(CaseloadClock, CasesSlowDownTogetherWhenTheyAskForMoreTimeThanTheTeamHas) {
  CaseloadClock clock;
  clock.set_staff(0.0, 1.0, 0.0);
  clock.allocate(10.0, 1.0, case_number(1), std::nullopt);
  clock.allocate(10.0, 1.0, case_number(2), std::nullopt);
  EXPECT_DOUBLE_EQ(clock.pace(), 0.5);
  EXPECT_DOUBLE_EQ(clock.next_due(0.0), 20.0);
  // A second worker arrives on day 10: half the work is done, the rest goes at full pace.
  clock.set_staff(10.0, 2.0, 0.0);
  EXPECT_DOUBLE_EQ(clock.pace(), 1.0);
  EXPECT_DOUBLE_EQ(clock.next_due(10.0), 15.0);
  clock.advance(15.0);
  const auto first = clock.pop_due();
  const auto second = clock.pop_due();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->item.id, 1u);  // same due day: first allocated, first ended
  EXPECT_EQ(second->item.id, 2u);
}

TEST(CaseloadClock, APaceCurveSlowsWorkGraduallyAndTheFloorKeepsCasesMoving) {
  CaseloadClock clock;
  clock.set_pace_curve(4.0, 0.5);
  clock.set_staff(0.0, 10.0, 0.0);
  EXPECT_DOUBLE_EQ(clock.pace(), 1.0);                       // nothing allocated
  clock.allocate(100.0, 8.0, case_number(1), std::nullopt);  // load 0.8
  EXPECT_NEAR(clock.time_share(), std::pow(1.0 + std::pow(0.8, 4.0), -0.25), 1e-12);
  EXPECT_NEAR(clock.time_share(), 0.918, 1e-3);              // slower before the team is full: no cliff at load 1
  clock.allocate(100.0, 2.0, case_number(2), std::nullopt);  // load 1
  EXPECT_NEAR(clock.pace(), std::pow(2.0, -0.25), 1e-12);
  double previous = clock.time_share();
  for (int i = 0; i < 20; ++i) {  // each extra case slows every case a little more
    clock.allocate(100.0, 2.0, case_number(3 + i), std::nullopt);
    EXPECT_LT(clock.time_share(), previous);
    previous = clock.time_share();
  }
  EXPECT_LT(clock.time_share(), 0.5);  // load 5: the time share is about 1 / 5, but cases still move at half pace
  EXPECT_DOUBLE_EQ(clock.pace(), 0.5);
}

TEST(CaseloadClock, ACancelledCaseIsSkippedAndRoomFollowsTheLiveCases) {
  CaseloadClock clock;
  clock.set_staff(0.0, 1.0, 2.0);
  const std::uint64_t escalated = clock.allocate(5.0, 0.1, case_number(1), 2);
  clock.allocate(8.0, 0.1, case_number(2), std::nullopt);
  EXPECT_FALSE(clock.has_room());
  clock.cancel(escalated);
  clock.end(0.1);
  EXPECT_TRUE(clock.has_room());
  clock.advance(8.0);
  const auto due = clock.pop_due();
  ASSERT_TRUE(due);
  EXPECT_EQ(due->item.id, 2u);
  EXPECT_FALSE(clock.pop_due());
}

}  // namespace
}  // namespace frontdoor
