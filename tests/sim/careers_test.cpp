// Care careers as the England baseline makes them, read from one replication's child records (the statutory
// returns' raw material): adoption and special guardianship are mostly for the under-5s, residential placements
// mostly for the over-10s (../shared/MODEL.md, "How the model must respond"). Each share is asserted with its 95%
// binomial interval wholly above one half.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "models/ages.hpp"
#include "models/scenario_loader.hpp"
#include "sim/pathway_sim.hpp"
#include "sim/runner.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

struct Counts {
  double permanence = 0.0, permanence_under_5 = 0.0;  // adoptions and special guardianship, and of those under 5
  double residential = 0.0, residential_over_10 = 0.0;
  double exits = 0.0;
};

// One replication of the baseline with records, in a child process of its own (one engine per process).
Counts careers_of_one_replication() {
  test_support::TempDir dir;
  const std::string out = (dir.path() / "counts.txt").string();
  const Scenario scenario =
      load_scenario(test_support::source_path("scenarios/england_baseline.toml"), {{"simulation.years", "8"}});
  std::string failure;
  run_in_processes(
      1, 1,
      [&](int) {
        ChildRecords records;
        simulate(scenario, 0, 23, {}, &records);
        std::map<std::int64_t, double> born;
        for (const auto& child : records.children) born[child.id] = child.birth_day;
        Counts c;
        const double from = scenario.simulation.warmup_days;
        for (const auto& spell : records.spells) {
          if (spell.service != "looked_after" || std::isnan(spell.end_day) || spell.end_day < from) continue;
          c.exits += 1.0;
          if (spell.decision == "adoption" || spell.decision == "special_guardianship") {
            c.permanence += 1.0;
            if (spell.end_day - born[spell.child] < 5.0 * days_per_year) c.permanence_under_5 += 1.0;
          }
        }
        for (const auto& placement : records.placements) {
          if (placement.type != "residential" || placement.start_day < from) continue;
          c.residential += 1.0;
          if (placement.start_day - born[placement.child] >= 10.0 * days_per_year) c.residential_over_10 += 1.0;
        }
        std::ofstream(out) << c.permanence << ' ' << c.permanence_under_5 << ' ' << c.residential << ' '
                           << c.residential_over_10 << ' ' << c.exits << '\n';
        return 0;
      },
      [&](int, int status, double, const std::string& message) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failure = describe_exit(status) + " " + message;
      });
  EXPECT_EQ(failure, "");
  Counts c;
  std::ifstream(out) >> c.permanence >> c.permanence_under_5 >> c.residential >> c.residential_over_10 >> c.exits;
  return c;
}

// The lower end of the 95% (Wald) interval of a share `k` of `n`.
double lower_95(double k, double n) {
  const double p = k / n;
  return p - 1.96 * std::sqrt(p * (1.0 - p) / n);
}

TEST(Careers, AdoptionAndGuardianshipAreMostlyUnder5AndResidentialMostlyOver10) {
  const Counts c = careers_of_one_replication();
  ASSERT_GT(c.exits, 500.0);
  ASSERT_GT(c.permanence, 50.0);
  ASSERT_GT(c.residential, 50.0);
  std::cout << "careers: " << c.permanence_under_5 << " of " << c.permanence
            << " adoptions and special guardianship orders under 5; " << c.residential_over_10 << " of "
            << c.residential << " residential placements over 10\n";
  EXPECT_GT(lower_95(c.permanence_under_5, c.permanence), 0.5);
  EXPECT_GT(lower_95(c.residential_over_10, c.residential), 0.5);
}

// The starting history is the model's own: the plans a child had before day 0 come at the rates at which the
// baseline starts plans in each family group (years 4 to 10), within 15%.
TEST(Careers, TheStartingHistoryOfPlansIsTheModelsOwnRate) {
  const Scenario scenario = load_scenario(test_support::source_path("scenarios/england_baseline.toml"));
  const auto runs = test_support::run(scenario, 4, 5);
  const double all = test_support::annual_mean(runs, "cp_plan_starts_count", 4, 10);
  const double chronic = test_support::annual_mean(runs, "cp_plan_starts_chronic_families_count", 4, 10);
  const double children = scenario.children;
  const double share = scenario.need.chronic.share;
  const double chronic_rate = chronic / (children * share);
  const double ordinary_rate = (all - chronic) / (children * (1.0 - share));
  std::cout << "history: plan starts per child-year, ordinary " << ordinary_rate << " (scenario "
            << scenario.need.history.plans_per_year << "), chronic " << chronic_rate << " (scenario "
            << scenario.need.history.plans_per_year_chronic << ")\n";
  EXPECT_NEAR(scenario.need.history.plans_per_year / ordinary_rate, 1.0, 0.15);
  EXPECT_NEAR(scenario.need.history.plans_per_year_chronic / chronic_rate, 1.0, 0.15);
}

}  // namespace
}  // namespace frontdoor
