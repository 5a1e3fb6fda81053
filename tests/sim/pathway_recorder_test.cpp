// PathwayRecorder and TimeWeightedLevel: exact bookkeeping on a hand-made sequence of events.
#include "sim/pathway_recorder.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "models/measures.hpp"
#include "models/scenario_loader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::summary_value;
namespace chr = std::chrono;

namespace {
SimCalendar one_year() { return SimCalendar(chr::year_month_day{chr::year{2024}, chr::month{4}, chr::day{1}}, 1, {}); }

// front_door (one screener, decides referral) -> referred (exit)
Pathway tiny_pathway() {
  ServiceSpec fd;
  fd.id = "front_door";
  fd.kind = ServiceKind::screening_queue;
  fd.entry = true;
  fd.team.fte = 1;
  fd.decisions = {{"referral", 1.0}};
  ServiceSpec out;
  out.id = "referred";
  out.kind = ServiceKind::exit;
  RouteSpec r;
  r.id = "refer";
  r.from = "front_door";
  r.to = "referred";
  return Pathway({fd, out}, {r});
}

double series(const ReplicationResult& r, const std::string& measure, int month) {
  for (const auto& s : r.monthly) {
    if (s.measure == measure) return s.values.at(month);
  }
  throw std::runtime_error(measure);
}
}  // namespace

TEST(TimeWeightedLevel, SplitsAreaAtMonthBoundaries) {
  const SimCalendar c = one_year();
  TimeWeightedLevel level(c, 10.0);
  level.set(0.0, 2.0);
  level.set(25.0, 4.0);  // 2 x 25 in April
  level.set(35.0, 0.0);  // 4 x 5 in April, 4 x 5 in May
  EXPECT_DOUBLE_EQ(level.month_area(0), 50.0 + 20.0);
  EXPECT_DOUBLE_EQ(level.month_area(1), 20.0);
  EXPECT_DOUBLE_EQ(level.area_after_warmup(), 2.0 * 15.0 + 4.0 * 10.0);
}

TEST(PathwayRecorder, CountsWaitsFlowsAndBalance) {
  const SimCalendar c = one_year();
  const Pathway p = tiny_pathway();
  PathwayRecorder rec(p, c, 0.0);
  rec.contact_arrived(1.0, SourceKind::police);
  rec.entered(1.0, 0);
  rec.started(1.0, 0, 1.0);
  rec.contact_arrived(1.5, SourceKind::schools);
  rec.entered(1.5, 0);
  rec.finished(2.0, 0, 0);
  rec.routed(2.0, 0);
  rec.entered(2.0, 1);       // left through the exit
  rec.started(2.0, 0, 1.5);  // waited 0.5 day
  rec.contact_arrived(40.0, SourceKind::health);
  rec.entered(40.0, 0);  // still waiting at the end
  const ReplicationResult r = rec.finish(c.horizon_days());
  EXPECT_EQ(r.balance.arrived, 3u);
  EXPECT_EQ(r.balance.left, 1u);
  EXPECT_EQ(r.balance.waiting, 1u);
  EXPECT_EQ(r.balance.in_progress, 1u);
  EXPECT_EQ(series(r, "contacts_per_month", 0), 2.0);
  EXPECT_EQ(series(r, "contacts_police", 0), 1.0);
  EXPECT_EQ(series(r, "contacts_per_month", 1), 1.0);
  EXPECT_EQ(series(r, "front_door_decision_referral", 0), 1.0);
  EXPECT_EQ(series(r, "flow_refer", 0), 1.0);
  EXPECT_EQ(series(r, "referred_exits", 0), 1.0);
  EXPECT_DOUBLE_EQ(series(r, "front_door_wait_days_mean", 0), 0.25);
  EXPECT_TRUE(std::isnan(series(r, "front_door_wait_days_mean", 2)));  // nobody started in June
  EXPECT_DOUBLE_EQ(summary_value(r, "front_door_wait_days_mean"), 0.25);
  EXPECT_DOUBLE_EQ(summary_value(r, "front_door_referral_share"), 1.0);
  EXPECT_DOUBLE_EQ(summary_value(r, "flow_refer_per_year"), 365.25 / c.horizon_days());
}

TEST(PathwayRecorder, WarmupIsExcludedFromTheSummary) {
  const SimCalendar c = one_year();
  const Pathway p = tiny_pathway();
  PathwayRecorder rec(p, c, 100.0);
  rec.contact_arrived(10.0, SourceKind::police);
  rec.entered(10.0, 0);
  rec.started(30.0, 0, 10.0);  // waited 20 days, but arrived in the warm-up
  rec.finished(31.0, 0, 0);
  rec.contact_arrived(200.0, SourceKind::police);
  rec.entered(200.0, 0);
  rec.started(201.0, 0, 200.0);
  rec.finished(202.0, 0, 0);
  const ReplicationResult r = rec.finish(c.horizon_days());
  EXPECT_DOUBLE_EQ(summary_value(r, "front_door_wait_days_mean"), 1.0);
  EXPECT_DOUBLE_EQ(summary_value(r, "contacts_per_year"), 365.25 / (c.horizon_days() - 100.0));
  EXPECT_DOUBLE_EQ(summary_value(r, "front_door_utilisation"), 1.0 / (c.horizon_days() - 100.0));
}

// The catalogue lists what the recorder writes, name for name and in order, so that readers who find measures
// through it find every one (with a [need] table, placements, reinvestment and [reporting] rates and shares).
TEST(PathwayRecorder, WritesExactlyTheCataloguesMeasuresInItsOrder) {
  for (const char* path : {"scenarios/policies/essex_reinvestment.toml", "scenarios/england_fixed_shares.toml",
                           "scenarios/validation/jackson_network.toml"}) {
    const Scenario s =
        load_scenario(test_support::source_path(path), {{"simulation.years", "2"}, {"simulation.warmup_days", "0"}});
    const SimCalendar c = s.make_calendar();
    PathwayRecorder rec(s, c);
    rec.contact_arrived(1.0, SourceKind::police);
    const ReplicationResult r = rec.finish(c.horizon_days());
    const MeasureCatalogue catalogue(s);
    auto names = [&](OutputFile file) {
      std::vector<std::string> listed;
      for (const Measure& m : catalogue.measures()) {
        if (m.file == file) listed.push_back(m.name);
      }
      return listed;
    };
    std::vector<std::string> monthly, summary;
    for (const auto& series : r.monthly) monthly.push_back(series.measure);
    for (const auto& value : r.summary) summary.push_back(value.measure);
    EXPECT_EQ(monthly, names(OutputFile::timeseries)) << path;
    EXPECT_EQ(summary, names(OutputFile::summary)) << path;
    // annual.csv leaves out undefined values (a share of nothing), so its rows are some of the catalogue's.
    EXPECT_EQ(r.annual.empty(), s.reporting.empty()) << path;
    for (const auto& row : r.annual) {
      const Measure* m = catalogue.find(row.measure, OutputFile::annual);
      ASSERT_NE(m, nullptr) << row.measure;
      if (m->kind == MeasureKind::reported_count) {
        EXPECT_EQ(row.unit, unit_text(Unit::count)) << row.measure;
      }
    }
  }
}
