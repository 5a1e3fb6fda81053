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

namespace {
// A one-year council for the cost and workforce arithmetic: a front door, a team whose cases go to a conference,
// and an exit. A worker costs 36,525 pounds a year (100 a day), professional time 40 pounds an hour.
const char* const costed_council = R"(name = "costed"
version = "1"
description = "cost arithmetic"
[simulation]
years = 1
warmup_days = 0
[sources.other]
contacts_per_day = 1.0
[service.front_door]
kind = "screening_queue"
entry = true
team = { fte = 1 }
work = { distribution = "fixed", mean_days = 0.1 }
cost = { per_fte_year = 36525, hours_per_case = 0.5 }
[service.team]
kind = "caseload_team"
team = { fte = 2, case_holding_share = 0.5 }
work = { distribution = "fixed", mean_days = 1 }
duration = { distribution = "fixed", mean_days = 10 }
cost = { per_fte_year = 36525, review_every_days = 10, review_hours = 2 }
[service.conference]
kind = "decision_point"
cost = { hours_per_case = 20 }
[service.done]
kind = "exit"
[route.in]
from = "front_door"
to = "team"
[route.on]
from = "team"
to = "conference"
[route.out]
from = "conference"
to = "done"
[costs]
agency_premium = 0.5
hourly_rate = 40
overload_cover = 0.5
[reporting]
total = "cost"
front_door_activity = "cost.activity:front_door"
conference_cost = "cost:conference"
team_staff = "cost.staff:team"
team_cover = "cost.cover:team"
team_activity = "cost.activity:team"
team_cost = "cost:team"
conferences_held = "fgc:team"
turnover = "turnover:team"
vacancy = "vacancy:team"
agency = "agency:team"
caseload = "caseload:team"
)";

struct CostedCouncil {
  CostedCouncil() {
    test_support::write_file(dir.path() / "costed.toml", costed_council);
    scenario = load_scenario((dir.path() / "costed.toml").string());
    scenario.need.fgc.cost = 1750.0;  // (a [need] table's; set here without one)
  }
  double annual(const ReplicationResult& r, const std::string& measure) const {
    for (const auto& a : r.annual) {
      if (a.measure == measure && a.year == 1) return a.value;
    }
    throw std::runtime_error("no annual " + measure);
  }
  test_support::TempDir dir;
  Scenario scenario;
};
}  // namespace

// The year runs 365 days from 1 April 2024. Each part of the cost by hand, from events fed to the recorder.
TEST(PathwayRecorder, CostsActivityBesidesTheEstablishmentAndCoverOnlyOverTheNorm) {
  CostedCouncil council;
  const int fd = council.scenario.pathway.find("front_door");
  const int team = council.scenario.pathway.find("team");
  const int conference = council.scenario.pathway.find("conference");
  const SimCalendar c = council.scenario.make_calendar();
  ASSERT_DOUBLE_EQ(c.horizon_days(), 365.0);
  PathwayRecorder rec(council.scenario, c);
  // The team: 2 FTE in post from day 0, 0.5 of them agency staff covering half of its vacant posts.
  rec.staff_changed(0.0, team, 2.0, 0.5, 0.5);
  rec.contact_arrived(1.0, SourceKind::other);
  rec.entered(1.0, fd, 1);
  rec.started(1.0, fd, 1.0);  // one contact screened: half an hour of partners' checks, 20 pounds
  rec.finished(1.1, fd, -1, 1.0);
  rec.entered(1.1, team, 1);
  rec.started(1.1, team, 1.1);
  rec.team_demand(1.1, team, 0.1);
  rec.team_demand(50.0, team, 1.5);  // below the 2 FTE in post: no cover
  rec.fgc_held(30.0, team);          // two family group conferences at 1,750 pounds
  rec.fgc_held(40.0, team);
  rec.finished(51.1, team, -1, 1.1);  // open 50 days: 5 reviews of 2 hours at 40 pounds, 400
  for (double t : {51.1, 60.0}) {     // two conferences of 20 hours at 40 pounds: 1,600
    rec.entered(t, conference, 1);
    rec.started(t, conference, t);
    rec.finished(t, conference, -1, t);
  }
  rec.team_demand(100.0, team, 3.0);              // 1 FTE over the norm ...
  rec.staff_changed(150.0, team, 2.5, 1.0, 0.5);  // ... 0.5 once more agency staff come
  rec.team_demand(200.0, team, 1.0);              // and none after: 100 x 1 + 50 x 0.5 = 75 FTE-days over
  rec.staff_left(120.0, team, 1.0);
  const ReplicationResult r = rec.finish(c.horizon_days());

  EXPECT_DOUBLE_EQ(council.annual(r, "front_door_activity"), 20.0);
  EXPECT_DOUBLE_EQ(council.annual(r, "conference_cost"), 1600.0);
  // Staff: FTE-days 2 x 150 + 2.5 x 215 = 837.5, agency 0.5 x 150 + 1 x 215 = 290 at half as much again.
  EXPECT_NEAR(council.annual(r, "team_staff"), (837.5 + 0.5 * 290.0) * 100.0, 1e-6);
  // Cover: half of the 75 FTE-days over the staff in post, at the agency rate (150 a day).
  EXPECT_NEAR(council.annual(r, "team_cover"), 0.5 * 75.0 * 150.0, 1e-6);
  EXPECT_NEAR(council.annual(r, "team_activity"), 400.0 + 2.0 * 1750.0, 1e-6);
  EXPECT_NEAR(council.annual(r, "team_cost"),
              council.annual(r, "team_staff") + council.annual(r, "team_cover") + council.annual(r, "team_activity"),
              1e-6);
  // The front door's screener (365 FTE-days at 100) and everything above.
  EXPECT_NEAR(council.annual(r, "total"), 36500.0 + 20.0 + 1600.0 + council.annual(r, "team_cost"), 1e-6);
  EXPECT_DOUBLE_EQ(council.annual(r, "conferences_held_count"), 2.0);
}

// The DfE's workforce measures on the year's average staff, and caseload per case-holding FTE.
TEST(PathwayRecorder, WorkforceMeasuresFollowTheDfEDefinitions) {
  CostedCouncil council;
  const int team = council.scenario.pathway.find("team");
  const SimCalendar c = council.scenario.make_calendar();
  PathwayRecorder rec(council.scenario, c);
  rec.staff_changed(0.0, team, 2.0, 0.5, 0.5);
  rec.staff_changed(150.0, team, 2.5, 1.0, 0.5);
  rec.staff_left(120.0, team, 1.0);
  rec.entered(1.1, team, 1);
  rec.started(1.1, team, 1.1);
  rec.finished(51.1, team, -1, 1.1);  // one case allocated for 50 days
  const ReplicationResult r = rec.finish(c.horizon_days());
  const double in_post = 837.5 / 365.0, agency = 290.0 / 365.0, permanent = in_post - agency;  // 1.5 throughout
  EXPECT_NEAR(council.annual(r, "turnover"), 1.0 / permanent, 1e-9);
  EXPECT_NEAR(council.annual(r, "vacancy"), 0.5 / (permanent + 0.5), 1e-9);
  EXPECT_NEAR(council.annual(r, "agency"), agency / in_post, 1e-9);
  // Half the team holds cases: 50 / 365 cases over 0.5 x in_post case-holding FTE.
  EXPECT_NEAR(council.annual(r, "caseload"), (50.0 / 365.0) / (0.5 * in_post), 1e-9);
}
