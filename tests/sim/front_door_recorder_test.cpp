// FrontDoorRecorder and TimeWeightedLevel: exact bookkeeping on a hand-made sequence of events.
#include "sim/front_door_recorder.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace frontdoor;
namespace chr = std::chrono;

namespace {
SimCalendar one_year() { return SimCalendar(chr::year_month_day{chr::year{2024}, chr::month{4}, chr::day{1}}, 1, {}); }

double series(const ReplicationResult& r, const std::string& measure, int month) {
  for (const auto& s : r.monthly) {
    if (s.measure == measure) return s.values.at(month);
  }
  throw std::runtime_error(measure);
}
double summary(const ReplicationResult& r, const std::string& measure) {
  for (const auto& s : r.summary) {
    if (s.measure == measure) return s.value;
  }
  throw std::runtime_error(measure);
}
}  // namespace

TEST(TimeWeightedLevel, SplitsAreaAtMonthBoundaries) {
  const SimCalendar c = one_year();
  TimeWeightedLevel level(c, 10.0);
  level.set(0.0, 2.0);
  level.set(25.0, 4.0);   // 2 x 25 in April
  level.set(35.0, 0.0);   // 4 x 5 in April, 4 x 5 in May
  EXPECT_DOUBLE_EQ(level.month_area(0), 50.0 + 20.0);
  EXPECT_DOUBLE_EQ(level.month_area(1), 20.0);
  EXPECT_DOUBLE_EQ(level.area_after_warmup(), 2.0 * 15.0 + 4.0 * 10.0);
}

TEST(FrontDoorRecorder, CountsWaitsAndBalance) {
  const SimCalendar c = one_year();
  FrontDoorRecorder rec(c, 0.0, 1);
  const Contact a{0, 1.0, SourceKind::police, 0};
  const Contact b{1, 1.5, SourceKind::schools, 0};
  rec.contact_arrived(1.0, a);
  rec.screening_started(1.0, a);
  rec.contact_arrived(1.5, b);
  rec.screening_finished(2.0, a, Decision::referral);
  rec.screening_started(2.0, b);  // waited 0.5 day
  const Contact late{2, 40.0, SourceKind::health, 0};
  rec.contact_arrived(40.0, late);  // still waiting at the end
  const ReplicationResult r = rec.finish(c.horizon_days());
  EXPECT_EQ(r.balance.arrived, 3u);
  EXPECT_EQ(r.balance.decided, 1u);
  EXPECT_EQ(r.balance.waiting, 1u);
  EXPECT_EQ(r.balance.in_screening, 1u);
  EXPECT_EQ(series(r, "contacts", 0), 2.0);
  EXPECT_EQ(series(r, "contacts_police", 0), 1.0);
  EXPECT_EQ(series(r, "contacts", 1), 1.0);
  EXPECT_EQ(series(r, "decisions_referral", 0), 1.0);
  EXPECT_DOUBLE_EQ(series(r, "front_door_wait_days_mean", 0), 0.25);
  EXPECT_TRUE(std::isnan(series(r, "front_door_wait_days_mean", 2)));  // nobody started screening in June
  EXPECT_EQ(series(r, "front_door_queue_end", 0), 0.0);
  EXPECT_EQ(series(r, "front_door_queue_end", 1), 1.0);
  EXPECT_DOUBLE_EQ(summary(r, "front_door_wait_days_mean"), 0.25);
  EXPECT_DOUBLE_EQ(summary(r, "referral_share"), 1.0);
}

TEST(FrontDoorRecorder, WarmupIsExcludedFromTheSummary) {
  const SimCalendar c = one_year();
  FrontDoorRecorder rec(c, 100.0, 1);
  const Contact early{0, 10.0, SourceKind::police, 0};
  rec.contact_arrived(10.0, early);
  rec.screening_started(30.0, early);  // waited 20 days, but arrived in the warm-up
  rec.screening_finished(31.0, early, Decision::no_further_action);
  const Contact later{1, 200.0, SourceKind::police, 0};
  rec.contact_arrived(200.0, later);
  rec.screening_started(201.0, later);
  rec.screening_finished(202.0, later, Decision::early_help);
  const ReplicationResult r = rec.finish(c.horizon_days());
  EXPECT_DOUBLE_EQ(summary(r, "front_door_wait_days_mean"), 1.0);
  EXPECT_DOUBLE_EQ(summary(r, "early_help_share"), 1.0);
  EXPECT_DOUBLE_EQ(summary(r, "contacts_per_year"), 365.25 / (c.horizon_days() - 100.0));
  EXPECT_DOUBLE_EQ(summary(r, "front_door_utilisation"), 1.0 / (c.horizon_days() - 100.0));
}
