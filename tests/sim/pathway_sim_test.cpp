// The SimGrid front door against queueing theory (Erlang C for M/M/c, the exact D/D/1 answer), conservation of
// contacts, the screener schedule, and determinism. Every simulation runs in a child process (one engine per
// process), through the same runner the program uses.
#include "sim/pathway_sim.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "common/statistics.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::annual_mean;
using frontdoor::test_support::run;
using frontdoor::test_support::source_path;
using frontdoor::test_support::summary_value;
using frontdoor::test_support::TempDir;

namespace {

// Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = lambda / mu < c.
double erlang_c(int c, double a) {
  double term = 1.0;  // a^k / k!
  double sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);  // a^c / c! * c / (c - a)
  return last / (sum + last);
}

std::vector<double> values_of(const std::vector<ReplicationResult>& results, const std::string& measure) {
  std::vector<double> v;
  for (const auto& r : results) v.push_back(summary_value(r, measure));
  return v;
}

// A one-team pathway: contacts (one a day, evenly spaced unless `poisson`) go straight to a caseload team whose
// cases each need `work_days` worker-days over a nominal 20 days, and then leave through `done`. `settings` holds
// the [simulation] (and any [population]) tables; `team_extra` adds keys to the team's service table; `tail`
// adds tables at the end ([costs], [reporting]).
std::string one_team_scenario(const std::string& name, const std::string& settings, const std::string& team,
                              double work_days, const std::string& team_extra = "", const std::string& tail = "",
                              bool poisson = false) {
  return "name = \"" + name + "\"\nversion = \"1\"\ndescription = \"one caseload team\"\n" + settings +
         "[sources.other]\ncontacts_per_day = 1.0\n" + (poisson ? "" : "arrivals = \"deterministic\"\n") +
         "[service.team]\nkind = \"caseload_team\"\nentry = true\nteam = " + team +
         "\nwork = { distribution = \"fixed\", mean_days = " + std::to_string(work_days) +
         " }\nduration = { distribution = \"fixed\", mean_days = 20 }\n" + team_extra +
         "[service.done]\nkind = \"exit\"\n[route.out]\nfrom = \"team\"\nto = \"done\"\n" + tail;
}

}  // namespace

TEST(ErlangC, KnownValue) {
  // Textbook check: c = 2, a = 1 gives C = 1/3.
  EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
}

// M/M/c with lambda 70 a day, mean screening 0.1 day, c = 8 (utilisation 0.875), 10 years after a one-year
// warm-up, 8 independent replications. Each replication's mean wait is one observation; the test accepts the
// Erlang C value when it lies within 4 standard errors of the replication mean (a correct simulator fails this
// about once in 15,000 seeds), and it insists that the standard error is below 3% of the value, so that the
// check has the power to catch a mechanism that is off by more than about 12%.
TEST(FrontDoorSim, MmcMatchesErlangC) {
  const Scenario s = load_scenario(source_path("scenarios/validation/mmc_front_door.toml"));
  const double lambda = 70.0, mu = 1.0 / 0.1;
  const int c = 8;
  const double expected_wait = erlang_c(c, lambda / mu) / (c * mu - lambda);
  const double expected_utilisation = lambda / (c * mu);
  const auto results = run(s, 8, 2026);

  const std::vector<double> waits = values_of(results, "front_door_wait_days_mean");
  const double wait_se = sample_sd(waits) / std::sqrt(waits.size());
  EXPECT_NEAR(mean(waits), expected_wait, 4 * wait_se) << "Erlang C mean wait " << expected_wait;
  EXPECT_LT(wait_se, 0.03 * expected_wait);

  const std::vector<double> utilisation = values_of(results, "front_door_utilisation");
  const double util_se = sample_sd(utilisation) / std::sqrt(utilisation.size());
  EXPECT_NEAR(mean(utilisation), expected_utilisation, 4 * util_se);
  EXPECT_LT(util_se, 0.005);

  // The waiting time of M/M/c has P(W > t) = C exp(-(c mu - lambda) t), so its 90th percentile is
  // ln(10 C) / (c mu - lambda) when C > 0.1.
  const double expected_p90 = std::log(10.0 * erlang_c(c, lambda / mu)) / (c * mu - lambda);
  const std::vector<double> p90 = values_of(results, "front_door_wait_days_p90");
  const double p90_se = sample_sd(p90) / std::sqrt(p90.size());
  EXPECT_NEAR(mean(p90), expected_p90, 4 * p90_se) << "Erlang C p90 " << expected_p90;
  EXPECT_LT(p90_se, 0.03 * expected_p90);

  // Little's law links the queue length and the wait: Lq = lambda Wq.
  const std::vector<double> queue = values_of(results, "front_door_queue_mean");
  EXPECT_NEAR(mean(queue), lambda * mean(waits), 0.02 * lambda * mean(waits));
}

// D/D/1: contacts every 0.1 day, screening exactly 0.08 day. Nobody waits; the screener is busy 80% of the
// time; contact k arrives at k / 10 and is decided at k / 10 + 0.08.
TEST(FrontDoorSim, DeterministicSingleServerIsExact) {
  const Scenario s = load_scenario(source_path("scenarios/validation/dd1_front_door.toml"));
  const auto results = run(s, 1);
  const ReplicationResult& r = results.at(0);
  const double horizon = r.simulated_days;  // 365 days
  EXPECT_EQ(r.balance.arrived, static_cast<std::uint64_t>(10 * horizon));
  // The last contact arrives at horizon - 0.1 and is still being screened when the simulation stops.
  EXPECT_EQ(r.balance.left + r.balance.in_progress, r.balance.arrived);
  EXPECT_LE(r.balance.in_progress, 1u);
  EXPECT_EQ(r.balance.waiting, 0u);
  EXPECT_NEAR(summary_value(r, "front_door_wait_days_mean"), 0.0, 1e-9);
  EXPECT_NEAR(summary_value(r, "front_door_wait_days_p90"), 0.0, 1e-9);
  EXPECT_NEAR(summary_value(r, "front_door_queue_mean"), 0.0, 1e-9);
  EXPECT_NEAR(summary_value(r, "front_door_utilisation"), 0.8, 1e-6);
  EXPECT_DOUBLE_EQ(summary_value(r, "front_door_referral_share"), 1.0);
}

// D/D/1 overloaded: screening 0.125 day for contacts every 0.1 day. Contact k starts at 0.125 k, so it waits
// 0.025 k days; over n started contacts the mean wait is 0.025 (n - 1) / 2 exactly.
TEST(FrontDoorSim, OverloadedDeterministicQueueGrowsExactly) {
  const Scenario s = load_scenario(source_path("scenarios/validation/dd1_front_door.toml"),
                                   {{"service.front_door.work.mean_days", "0.125"}});
  const ReplicationResult r = run(s, 1).at(0);
  const double started = static_cast<double>(r.balance.left + r.balance.in_progress);
  EXPECT_EQ(r.balance.in_progress, 1u);
  EXPECT_NEAR(started, std::floor(r.simulated_days / 0.125) + 1, 1.0);
  EXPECT_NEAR(summary_value(r, "front_door_wait_days_mean"), 0.025 * (started - 1) / 2, 1e-6);
  EXPECT_NEAR(summary_value(r, "front_door_utilisation"), 1.0, 1e-6);
}

// Every child who arrives is somewhere at the end, or has left, on every shipped pathway; the monthly series add
// up to the same totals.
TEST(FrontDoorSim, ConservationOfChildrenOnEveryShippedPathway) {
  for (const char* path :
       {"scenarios/england_baseline.toml", "scenarios/alternatives/early_help_hub.toml",
        "scenarios/alternatives/direct_strategy.toml", "scenarios/alternatives/family_safeguarding.toml",
        "scenarios/validation/jackson_network.toml"}) {
    const Scenario s = load_scenario(source_path(path), {{"simulation.years", "3"}, {"simulation.warmup_days", "0"}});
    for (const auto& r : run(s, 2)) {
      EXPECT_EQ(r.balance.arrived + r.balance.initial, r.balance.left + r.balance.waiting + r.balance.in_progress)
          << path;
      EXPECT_GT(r.balance.left, 0u) << path;
      double monthly_contacts = 0.0, monthly_exits = 0.0;
      for (const auto& series : r.monthly) {
        for (double v : series.values) {
          if (series.measure == "contacts_per_month") monthly_contacts += v;
          if (series.measure.size() > 6 && series.measure.compare(series.measure.size() - 6, 6, "_exits") == 0) {
            monthly_exits += v;
          }
        }
      }
      // Every case begins with a contact, but for brothers and sisters who come into care with a child and
      // unaccompanied children, who come into care directly.
      double siblings = 0.0;
      for (const auto& a : r.annual) {
        if (a.measure == "looked_after_starts_with_a_sibling_count" ||
            a.measure == "looked_after_starts_unaccompanied_count")
          siblings += a.value;
      }
      EXPECT_EQ(monthly_contacts + siblings, static_cast<double>(r.balance.arrived)) << path;
      EXPECT_EQ(monthly_exits, static_cast<double>(r.balance.left)) << path;
    }
  }
}

// Unaccompanied children's arrivals follow a [[change]] of their rate (a council's National Transfer Scheme
// allocation rising): 20 per 10,000 a year for 30,000 children is 60 a year, and three times that from year 3.
TEST(FrontDoorSim, UnaccompaniedArrivalsFollowAChangeOfTheirRate) {
  const std::string text =
      "name = \"uasc_rise\"\nversion = \"1\"\ndescription = \"more arrivals from year 3\"\n"
      "base = \"" +
      source_path("scenarios/england_baseline.toml") +
      "\"\n[need.unaccompanied]\nper_10k_per_year = 20\n"
      "[[change]]\nfrom_year = 3\nmultiply = { \"need.unaccompanied.per_10k_per_year\" = 3 }\n";
  const Scenario s = load_scenario_text(
      text, "uasc_rise.toml",
      {{"simulation.years", "4"}, {"simulation.warmup_days", "0"}, {"population.children", "30000"}});
  double before = 0.0, after = 0.0;
  for (const auto& r : run(s, 2)) {
    for (const auto& a : r.annual) {
      if (a.measure != "looked_after_starts_unaccompanied_count") continue;
      (a.year <= 2 ? before : after) += a.value / 4.0;  // a mean over 2 replications of 2 years
    }
  }
  // Poisson counts: 60 (sd 5.5 for a mean of 4 years' worth) and 180 (sd 9.5); 4 sd either way.
  EXPECT_NEAR(before, 60.0, 22.0);
  EXPECT_NEAR(after, 180.0, 38.0);
}

// An open Jackson network (jackson_network.toml): three single-server stations in tandem with feedback 0.2 from
// the last to the first, external arrivals 50 a day. The product form says each station is an M/M/1 queue with
// arrival rate 62.5 a day, so its mean number in system is rho / (1 - rho) with rho = 0.5, 0.75 and 0.375.
// Accepted within 4 standard errors over 8 replications, each of 6 years after a 180-day warm-up; the standard
// error must be under 4% of the value, so the check can see a 16% error.
TEST(FrontDoorSim, JacksonNetworkMatchesProductForm) {
  const Scenario s = load_scenario(source_path("scenarios/validation/jackson_network.toml"));
  const auto results = run(s, 8, 77);
  const std::map<std::string, double> rho{{"station_a", 0.5}, {"station_b", 0.75}, {"station_c", 0.375}};
  for (const auto& [station, utilisation] : rho) {
    const double expected = utilisation / (1.0 - utilisation);
    const std::vector<double> in_system = values_of(results, station + "_open_mean");
    const double se = sample_sd(in_system) / std::sqrt(in_system.size());
    EXPECT_NEAR(mean(in_system), expected, 4 * se) << station << " product form " << expected;
    EXPECT_LT(se, 0.04 * expected) << station;
    EXPECT_NEAR(mean(values_of(results, station + "_utilisation")), utilisation, 0.01) << station;
    EXPECT_NEAR(mean(values_of(results, station + "_entries_per_year")), 62.5 * 365.25, 0.01 * 62.5 * 365.25);
  }
}

// Caseload dilution and caps, on a caseload team fed one case a day; each case needs 5 worker-days over a nominal
// 20 days, so it asks for 0.25 FTE, and 20 open cases ask for 5 FTE.
TEST(FrontDoorSim, CaseloadDilutionAndCaps) {
  const std::string scenario =
      one_team_scenario("dilution", "[simulation]\nyears = 3\nwarmup_days = 365\n", "{ fte = 10 }", 5);
  // Ample staff: every case takes exactly its nominal 20 days (Little: 20 open, 2 per FTE).
  const ReplicationResult ample = run(load_scenario_text(scenario, "dilution.toml"), 1).at(0);
  EXPECT_NEAR(summary_value(ample, "team_open_mean"), 20.0, 0.05);
  EXPECT_NEAR(summary_value(ample, "team_caseload_per_fte"), 2.0, 0.01);
  EXPECT_NEAR(summary_value(ample, "done_per_year"), 365.25, 1.5);
  // Four FTE for five FTE of work: every open case slows to the same pace, so all of them linger, the team's
  // work is spread over a growing pile of half-finished cases, and it finishes fewer than the 4 / 5 = 0.8 cases a
  // day that its FTE could do.
  const ReplicationResult diluted =
      run(load_scenario_text(scenario, "dilution.toml", {{"service.team.team.fte", "4"}}), 1).at(0);
  EXPECT_LT(summary_value(diluted, "done_per_year"), 0.8 * 365.25);
  EXPECT_GT(summary_value(diluted, "done_per_year"), 0.5 * 365.25);
  EXPECT_GT(summary_value(diluted, "team_open_mean"), 5 * summary_value(ample, "team_open_mean"));
  EXPECT_GT(summary_value(diluted, "team_caseload_per_fte"), 20.0);
  // A caseload cap of 1.5 cases per FTE (15 cases) at full pace finishes 15 / 20 = 0.75 cases a day; the rest wait
  // unallocated, and the allocated caseload stays at the cap.
  const ReplicationResult capped =
      run(load_scenario_text(scenario, "dilution.toml", {{"service.team.team.caseload_cap", "1.5"}}), 1).at(0);
  EXPECT_NEAR(summary_value(capped, "done_per_year"), 0.75 * 365.25, 3.0);
  EXPECT_NEAR(summary_value(capped, "team_open_mean") - summary_value(capped, "team_queue_mean"), 15.0, 0.05);
  EXPECT_GT(summary_value(capped, "team_wait_days_mean"), 30.0);
}

// The yearly table on a deterministic pathway whose answers are known: one case a day enters a caseload team for
// exactly 20 days (5 worker-days each), then leaves; the team costs 10 FTE x 36,525 pounds a year plus 100 pounds
// a case and 70 pounds per case-week.
TEST(FrontDoorSim, AnnualTableOfAKnownPathway) {
  const std::string scenario =
      one_team_scenario("annual", "[simulation]\nyears = 3\nwarmup_days = 0\n[population]\nchildren = 10000\n",
                        "{ fte = 10 }", 5, "cost = { per_fte_year = 36525, per_case = 100, per_week_open = 70 }\n",
                        R"([reporting]
contacts = "contacts"
open_at_end = "open:team"
staff = "fte:team"
median = { median_working_days = "team" }
within_15 = { within_working_days = 15, service = "team" }
within_14 = { within_working_days = 13.99, service = "team" }
caseload = { ratio = "open:team", per = "fte:team" }
left = { share = "flow:out", of = "contacts" }
cost = "cost"
)");
  const ReplicationResult r = run(load_scenario_text(scenario, "annual.toml"), 1).at(0);
  std::map<std::string, double> year2;
  for (const auto& a : r.annual) {
    if (a.year == 2) year2[a.measure + "/" + a.unit] = a.value;
  }
  // Year 2 runs from 1 April 2025 to 31 March 2026: 365 days, away from the empty start and the horizon.
  EXPECT_DOUBLE_EQ(year2.at("contacts_count/count"), 365.0);
  EXPECT_DOUBLE_EQ(year2.at("contacts/per_10k_per_year"), 365.0);  // 10,000 children
  EXPECT_DOUBLE_EQ(year2.at("open_at_end_count/count"), 20.0);
  EXPECT_DOUBLE_EQ(year2.at("staff/per_10k"), 10.0);
  EXPECT_DOUBLE_EQ(year2.at("caseload/ratio"), 2.0);
  // 20 calendar days are 14 working days, give or take the bank holidays inside them.
  EXPECT_NEAR(year2.at("median/working_days"), 14.0, 0.5);
  EXPECT_GT(year2.at("within_15/share"), 0.95);
  EXPECT_LT(year2.at("within_14/share"), 0.9);
  EXPECT_NEAR(year2.at("left/share_of_contacts"), 1.0, 0.001);
  // Staff 10 x 36,525 x 365 / 365.25; 365 cases started x 100; 20 cases open all year: 20 x 365 / 7 x 70.
  EXPECT_NEAR(year2.at("cost/gbp"), 10 * 36525.0 * 365 / 365.25 + 365 * 100.0 + 20 * 365.0 / 7 * 70, 1.0);
}

// A timescale counted from an earlier service (the DfE's conferences within 15 working days of the strategy
// discussion) starts at the case's latest entry to it: an enquiry that ends in a plan and comes back months later
// starts the clock again. Every enquiry takes 5 days and every conference is held 9 days after it: 14 days, 10
// working days give or take a bank holiday. Half the enquiries go to a 60-day plan and come back, so counted from
// the first entry about half the conferences would be months late.
TEST(FrontDoorSim, TimescaleFromTheLatestEntry) {
  const std::string scenario = R"(name = "reentry"
version = "1"
description = "an enquiry that can come back after a plan"
[simulation]
years = 3
warmup_days = 0
[population]
children = 10000
[sources.other]
contacts_per_day = 1.0
arrivals = "deterministic"
[service.enquiry]
kind = "caseload_team"
entry = true
team = { fte = 100 }
work = { distribution = "fixed", mean_days = 1 }
duration = { distribution = "fixed", mean_days = 5 }
[service.plan]
kind = "caseload_team"
team = { fte = 100 }
work = { distribution = "fixed", mean_days = 1 }
duration = { distribution = "fixed", mean_days = 60 }
[service.conference]
kind = "decision_point"
delay = { distribution = "fixed", mean_days = 9 }
[service.done]
kind = "exit"
[route.to_conference]
from = "enquiry"
to = "conference"
probability = 0.5
[route.to_plan]
from = "enquiry"
to = "plan"
probability = 0.5
[route.back]
from = "plan"
to = "enquiry"
[route.out]
from = "conference"
to = "done"
[reporting]
conferences = "entries:conference"
on_time = { within_working_days = 15, service = "conference", from = "enquiry" }
)";
  const ReplicationResult r = run(load_scenario_text(scenario, "reentry.toml"), 1).at(0);
  std::map<std::string, double> year2;
  for (const auto& a : r.annual) {
    if (a.year == 2) year2[a.measure + "/" + a.unit] = a.value;
  }
  EXPECT_NEAR(year2.at("conferences_count/count"), 365.0, 40.0);  // in the long run every enquiry has a conference
  EXPECT_DOUBLE_EQ(year2.at("on_time/share"), 1.0);
}

// Turnover and vacancies: a birth-death process of permanent staff whose vacant share settles at
// turnover x recruitment time / (1 + the same); agency staff cover part of the vacancies at a premium.
TEST(FrontDoorSim, TurnoverLeavesVacanciesThatAgencyStaffPartlyCover) {
  const std::string scenario = one_team_scenario(
      "workforce", "[simulation]\nyears = 10\nwarmup_days = 365\n[population]\nchildren = 10000\n",
      "{ fte = 200, turnover_per_year = 0.5, recruitment_days = 365.25, agency_cover = 0.6 }", 1,
      "cost = { per_fte_year = 50000 }\n", "[costs]\nagency_premium = 0.5\n[reporting]\ncost = \"cost\"\n",
      /*poisson=*/true);
  // Vacant share 0.5 / 1.5 = 1/3: about 133 permanent staff and 0.6 x 67 = 40 agency, 173 in post.
  const auto results = run(load_scenario_text(scenario, "workforce.toml"), 4);
  const std::vector<double> staff = values_of(results, "team_staff_fte_mean");
  const std::vector<double> agency = values_of(results, "team_agency_fte_mean");
  EXPECT_NEAR(mean(staff), 200.0 * (2.0 / 3.0) + 0.6 * 200.0 / 3.0, 3.0);
  EXPECT_NEAR(mean(agency), 0.6 * 200.0 / 3.0, 3.0);
  // Without turnover the team is always at establishment, with no agency staff, and costs less.
  const auto stable =
      run(load_scenario_text(scenario, "workforce.toml", {{"service.team.team.turnover_per_year", "0"}}), 1);
  EXPECT_DOUBLE_EQ(summary_value(stable.at(0), "team_staff_fte_mean"), 200.0);
  EXPECT_DOUBLE_EQ(summary_value(stable.at(0), "team_agency_fte_mean"), 0.0);
  double cost_with_turnover = 0.0;
  for (const auto& a : results.at(0).annual) {
    if (a.year == 5 && a.measure == "cost") cost_with_turnover = a.value;
  }
  // Staff cost a year: in post x 50,000, plus the agency premium: (173.3 + 0.5 x 40) x 50,000 = 9.67 million,
  // against 200 x 50,000 = 10 million at establishment (rounded to a tenth of a year's noise).
  EXPECT_NEAR(cost_with_turnover, (173.3 + 0.5 * 40.0) * 50000.0, 0.05 * 9.67e6);
}

// Cutting a team's FTE raises its caseloads and unallocated cases and lengthens its work (the England baseline's
// assessment team, from 60 to 35 FTE: its caseload cap of 20 per FTE no longer holds the 800 or so assessments
// open at a time, so cases wait unallocated, and the children waiting get no help).
TEST(FrontDoorSim, CuttingFteRaisesCaseloadsAndLengthensAssessments) {
  const std::vector<Override> shorter{{"simulation.years", "5"}, {"simulation.warmup_days", "730"}};
  std::vector<Override> cut = shorter;
  cut.push_back({"service.assessment.team.fte", "35"});
  const auto base = run(load_scenario(source_path("scenarios/england_baseline.toml"), shorter), 2);
  const auto less = run(load_scenario(source_path("scenarios/england_baseline.toml"), cut), 2);
  EXPECT_GT(mean(values_of(less, "assessment_caseload_per_fte")),
            1.05 * mean(values_of(base, "assessment_caseload_per_fte")));
  EXPECT_GT(mean(values_of(less, "assessment_queue_mean")), mean(values_of(base, "assessment_queue_mean")) + 10.0);
  EXPECT_GT(mean(values_of(less, "assessment_wait_days_mean")), 1.0);
  EXPECT_GT(annual_mean(less, "assessment_duration_median", 5, 5),
            annual_mean(base, "assessment_duration_median", 5, 5) + 5.0);
  // The yearly table's wait selector (wait:assessment) sees the same: referrals wait to be allocated.
  EXPECT_GT(annual_mean(less, "assessment_wait_days", 5, 5), annual_mean(base, "assessment_wait_days", 5, 5) + 1.0);
}

// Levers that change from a given year: a [[change]] raises police contacts and the share referred from year 2,
// and cuts the screeners from year 3. Arrivals before the change are untouched (common random numbers).
TEST(FrontDoorSim, ChangesTakeEffectFromTheirYear) {
  const std::vector<Override> years{{"simulation.years", "3"}, {"simulation.warmup_days", "0"}};
  const std::string base_path = source_path("scenarios/england_fixed_shares.toml");
  test_support::TempDir dir;
  // The changed scenario includes the baseline's demand and pathway files, and adds two changes.
  std::string text =
      "name = \"changed\"\nversion = \"1\"\ndescription = \"levers from year 2\"\n"
      "include = [\"" +
      source_path("scenarios/demand/england_council.toml") + "\", \"" + source_path("scenarios/pathways/england.toml") +
      "\"]\n"
      "[simulation]\nyears = 3\nwarmup_days = 0\n"
      "[[change]]\nfrom_year = 2\nset = { \"sources.police.contacts_per_day\" = 41.06, "
      "\"service.front_door.decisions.referral\" = 0.31, "
      "\"service.front_door.decisions.no_further_action\" = 0.61 }\n"
      "[[change]]\nfrom_year = 3\nset = { \"service.front_door.team.fte\" = 25 }\n";
  test_support::write_file(dir.path() / "changed.toml", text);
  const Scenario base = load_scenario(base_path, years);
  const Scenario changed = load_scenario((dir.path() / "changed.toml").string());
  const auto a = run(base, 1);
  const auto b = run(changed, 1);
  auto annual = [](const std::vector<ReplicationResult>& r, int year, const std::string& measure) {
    return annual_mean(r, measure, year, year);
  };
  EXPECT_EQ(annual(a, 1, "contacts_count"), annual(b, 1, "contacts_count"));  // same arrivals before the change
  EXPECT_NEAR(annual(b, 2, "contacts_count") - annual(a, 2, "contacts_count"), 7500.0, 400.0);  // police doubled
  EXPECT_GT(annual(b, 2, "referrals_count"), 1.3 * annual(a, 2, "referrals_count"));
  double staff_year1 = 0, staff_year3 = 0;
  for (const auto& series : b.at(0).monthly) {
    if (series.measure == "front_door_staff_fte") {
      staff_year1 = series.values.at(5);
      staff_year3 = series.values.at(30);
    }
  }
  EXPECT_DOUBLE_EQ(staff_year1, 20.0);
  EXPECT_DOUBLE_EQ(staff_year3, 25.0);
}

// A high-profile case in year 4 (policies/child_death_shock.toml) against the baseline on the same seeds (common
// random numbers): a drift that fades over years, not within one, so that care entries are still raised two years
// after the shock starts (year 6), the paired difference's 95% interval above zero. The rise is moderate (the first
// year's care entries up by well under half), and nothing differs before the shock.
TEST(FrontDoorSim, ShockRaisesCareEntriesForYears) {
  const std::vector<Override> six_years{{"simulation.years", "6"}};
  const auto base = run(load_scenario(source_path("scenarios/england_baseline.toml"), six_years), 4, 11);
  const auto shock = run(load_scenario(source_path("scenarios/policies/child_death_shock.toml"), six_years), 4, 11);
  auto paired = [&](const std::string& measure, int year) {
    std::vector<double> differences;
    for (std::size_t r = 0; r < base.size(); ++r) {
      differences.push_back(annual_mean({shock[r]}, measure, year, year) - annual_mean({base[r]}, measure, year, year));
    }
    return mean_ci95(differences);
  };
  const MeanInterval two_years_on = paired("looked_after_starts", 6);
  EXPECT_GT(two_years_on.low, 0.0) << "care starts in year 6: " << two_years_on.mean << " per 10,000 more";
  EXPECT_GT(paired("section47", 4).low, 0.0);
  EXPECT_GT(paired("cp_plan_starts", 5).low, 0.0);
  EXPECT_LT(paired("looked_after_starts", 4).mean, 0.5 * annual_mean(base, "looked_after_starts", 4, 4));
  EXPECT_NEAR(annual_mean(shock, "referrals", 1, 3), annual_mean(base, "referrals", 1, 3), 1e-9);  // before it
}

// A cut in FTE part-way through slows the cases already open, not only the new ones.
TEST(FrontDoorSim, StaffScheduleChangesThePaceOfOpenCases) {
  const std::string scenario = one_team_scenario("cut", "[simulation]\nyears = 2\nwarmup_days = 0\n",
                                                 "{ fte = 10, schedule = [ { from_day = 400, fte = 2.5 } ] }", 5);
  const ReplicationResult r = run(load_scenario_text(scenario, "cut.toml"), 1).at(0);
  // Before the cut the team finishes a case a day; after it, at most 2.5 / 5 = 0.5 a day, and the cases open at
  // the cut slow down with the rest, so the month after the cut already finishes fewer.
  std::vector<double> done, open;
  for (const auto& series : r.monthly) {
    if (series.measure == "done_exits") done = series.values;
    if (series.measure == "team_open_mean") open = series.values;
  }
  ASSERT_EQ(done.size(), 24u);
  EXPECT_NEAR(done.at(6), 31.0, 1.0);  // October 2024, all before day 400
  for (int m = 14; m < 24; ++m) EXPECT_LE(done.at(m), 0.5 * 31 + 1) << "month " << m + 1;  // from June 2025
  EXPECT_GT(open.at(23), 3 * open.at(6));
}

TEST(FrontDoorSim, ScreenerScheduleChangesCapacity) {
  // Halving the screeners in year 2 of an M/M/c at utilisation 0.875 overloads the front door: the queue at the
  // end of the run is large, and the time-averaged number on duty falls.
  const Scenario s = load_scenario(source_path("scenarios/validation/mmc_front_door.toml"),
                                   {{"simulation.years", "2"},
                                    {"simulation.warmup_days", "0"},
                                    {"service.front_door.team.schedule", "[{from_day = 365, fte = 4}]"}});
  const ReplicationResult r = run(s, 1).at(0);
  const double on_duty = summary_value(r, "front_door_staff_fte_mean");
  EXPECT_NEAR(on_duty, (8.0 * 365 + 4.0 * (r.simulated_days - 365)) / r.simulated_days, 1e-9);
  EXPECT_GT(r.balance.waiting, 5000u);  // arrivals exceed capacity by 30 a day for a year
  for (const auto& series : r.monthly) {
    if (series.measure == "front_door_staff_fte") {
      EXPECT_DOUBLE_EQ(series.values.front(), 8.0);
      EXPECT_DOUBLE_EQ(series.values.back(), 4.0);
    }
  }
}

TEST(FrontDoorSim, SameSeedSameResultDifferentSeedDifferentResult) {
  const Scenario s = load_scenario(source_path("scenarios/england_baseline.toml"),
                                   {{"simulation.years", "2"}, {"simulation.warmup_days", "100"}});
  const auto a = run(s, 2, 5);
  const auto b = run(s, 2, 5);
  const auto c = run(s, 2, 6);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(to_json(a[i]).dump(), to_json(b[i]).dump());
    EXPECT_NE(to_json(a[i]).dump(), to_json(c[i]).dump());
  }
  EXPECT_NE(to_json(a[0]).dump(), to_json(a[1]).dump());  // replications differ from each other
}

TEST(FrontDoorSim, CommonRandomNumbersKeepArrivalsWhenTheFrontDoorChanges) {
  // Arrivals have their own streams: changing the number of screeners leaves every contact where it was.
  const Scenario base = load_scenario(source_path("scenarios/england_fixed_shares.toml"),
                                      {{"simulation.years", "1"}, {"simulation.warmup_days", "0"}});
  const Scenario more = load_scenario(
      source_path("scenarios/england_fixed_shares.toml"),
      {{"simulation.years", "1"}, {"simulation.warmup_days", "0"}, {"service.front_door.team.fte", "30"}});
  const ReplicationResult a = run(base, 1).at(0);
  const ReplicationResult b = run(more, 1).at(0);
  EXPECT_EQ(a.balance.arrived, b.balance.arrived);
  EXPECT_LT(summary_value(b, "front_door_wait_days_mean"), summary_value(a, "front_door_wait_days_mean"));
}

TEST(Runner, FailedReplicationIsReportedNotHidden) {
  // An engine option SimGrid rejects makes every child fail; the runner says which, with the reason.
  const Scenario s = load_scenario(source_path("scenarios/validation/dd1_front_door.toml"));
  test_support::TempDir scratch;
  RunOptions options;
  options.replications = 2;
  options.engine_args = {"--cfg=no/such:option"};
  EXPECT_THROW(run_replications(s, options, scratch.path()), RunError);
}

// Caseload feeds turnover: a team whose cases need more worker-days than its 173 staff in post (180 a day of
// work arriving) loses staff faster with turnover_pressure, and so falls further behind; a team with room to
// spare (100 a day) keeps the same staff either way.
TEST(FrontDoorSim, OverworkDrivesStaffOutWithTurnoverPressure) {
  auto staff_with = [](double work_days, const std::string& pressure) {
    const std::string scenario = one_team_scenario(
        "pressure", "[simulation]\nyears = 4\nwarmup_days = 365\n[population]\nchildren = 10000\n",
        "{ fte = 200, turnover_per_year = 0.5, recruitment_days = 365.25, agency_cover = 0.6, turnover_pressure = " +
            pressure + " }",
        work_days, "", "", /*poisson=*/true);
    return mean(values_of(run(load_scenario_text(scenario, "pressure.toml"), 2, 3), "team_staff_fte_mean"));
  };
  const double overworked = staff_with(180.0, "0"), overworked_pressed = staff_with(180.0, "2");
  EXPECT_LT(overworked_pressed, overworked - 10.0);
  EXPECT_NEAR(staff_with(100.0, "2"), staff_with(100.0, "0"), 4.0);
}

// Placement types: each allocated case is placed as `a` (700 pounds a week) or `b` (free) with even odds; the
// team's yearly cost is exactly the placement-weeks of `a` at 700, and about half the open cases are `a`.
TEST(FrontDoorSim, PlacementTypesAreDrawnAndCostedByTheWeek) {
  const std::string scenario = one_team_scenario(
      "placed", "[simulation]\nyears = 2\nwarmup_days = 0\n[population]\nchildren = 10000\n", "{ fte = 10 }", 1,
      "placements = { a = { share = 0.5, per_week = 700 }, b = { share = 0.5, per_week = 0 } }\n",
      "[reporting]\nteam_cost = \"cost:team\"\na_at_end = \"placement:team.a\"\n");
  const ReplicationResult r = run(load_scenario_text(scenario, "placed.toml"), 1).at(0);
  std::vector<double> a, b;
  for (const auto& series : r.monthly) {
    if (series.measure == "team_placement_a_mean") a = series.values;
    if (series.measure == "team_placement_b_mean") b = series.values;
  }
  ASSERT_EQ(a.size(), 24u);
  ASSERT_EQ(b.size(), 24u);
  double weeks_a = 0.0, open_a = 0.0, open_b = 0.0;
  const SimCalendar calendar = load_scenario_text(scenario, "placed.toml").make_calendar();
  for (int m = 12; m < 24; ++m) {
    weeks_a += a[m] * (calendar.month_start(m + 1) - calendar.month_start(m)) / 7.0;
    open_a += a[m];
    open_b += b[m];
  }
  EXPECT_NEAR(open_a + open_b, 12 * 20.0, 1.0);  // 20 cases open all year
  EXPECT_NEAR(open_a / (open_a + open_b), 0.5, 0.1);
  double cost = -1.0, at_end = -1.0;
  for (const auto& v : r.annual) {
    if (v.year == 2 && v.measure == "team_cost") cost = v.value;
    if (v.year == 2 && v.measure == "a_at_end_count") at_end = v.value;
  }
  EXPECT_NEAR(cost, weeks_a * 700.0, 1e-6 * cost);
  EXPECT_GE(at_end, 0.0);
  EXPECT_LE(at_end, 21.0);
}
