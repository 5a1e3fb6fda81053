// Runs carry their scenario: a run, each run of a comparison and a sweep plan keep the scenario as it ran
// (scenario.toml, flattened, with its hash), later commands read that copy rather than the source tree, and a
// copy altered since is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "common/hash.hpp"
#include "test_support.hpp"

using frontdoor::AnnualTable;
using frontdoor::content_hash;
using frontdoor::read_annual_table;
using frontdoor::test_support::frontdoor_cli;
using frontdoor::test_support::Outcome;
using frontdoor::test_support::read_file;
using frontdoor::test_support::source_path;
using frontdoor::test_support::TempDir;
using frontdoor::test_support::write_file;
namespace fs = std::filesystem;

namespace {

nlohmann::json json_of(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

// A scenario of our own in `dir` (so that the test can change it after the run), on the shipped M/M/c front door.
fs::path own_scenario(const TempDir& dir) {
  const fs::path path = dir.path() / "own.toml";
  write_file(path, "name = \"own\"\nversion = \"1\"\ndescription = \"the M/M/c front door, a copy\"\nbase = \"" +
                       source_path("scenarios/validation/mmc_front_door.toml") + "\"\n");
  return path;
}

}  // namespace

// A policy with a base file and a timeline of [[change]] tables, with overrides on top: the copy is one file that
// needs nothing else, its hash is in the manifest, and running the copy gives byte-identical results.
TEST(RunScenario, ARunFromItsCopyReproducesTheRun) {
  TempDir dir;
  const fs::path first = dir.path() / "first", again = dir.path() / "again";
  const Outcome o = frontdoor_cli(
      "run scenarios/policies/child_death_shock.toml -q -y 6 -r 2 -j 2 --seed 5 "
      "--set service.front_door.team.fte=17 --out " +
          first.string(),
      dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string copy = read_file(first / "scenario.toml");
  EXPECT_EQ(copy.find("base ="), std::string::npos) << copy;  // merged in
  EXPECT_NE(copy.find("[[change]]"), std::string::npos) << copy;
  EXPECT_NE(copy.find("fte = 17"), std::string::npos) << copy;
  const nlohmann::json manifest = json_of(first / "manifest.json");
  EXPECT_EQ(manifest.at("scenario").at("copy"), "scenario.toml");
  EXPECT_EQ(manifest.at("scenario").at("copy_hash"), content_hash(copy));
  EXPECT_EQ(manifest.at("scenario").at("file"), "scenarios/policies/child_death_shock.toml");  // the source, still
  const Outcome rerun = frontdoor_cli(
      "run " + (first / "scenario.toml").string() + " -q -r 2 -j 1 --seed 5 --out " + again.string(), dir);
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  for (const char* f : {"annual.csv", "timeseries.csv", "summary.csv"}) {
    EXPECT_FALSE(read_file(first / f).empty()) << f;
    EXPECT_EQ(read_file(first / f), read_file(again / f)) << f;
  }
}

// A reinvestment rule's counterfactual travels in the copy: the run's scenario.toml holds it flattened (so the
// copy runs where the counterfactual's file is not, and its hash covers it), and a run of the copy elsewhere gives
// the same results, reinvested pounds included. Here the rule on the baseline is measured against the same council
// paying its looked-after team more (dearer.toml, named relative to rule.toml), so that it has savings to move.
TEST(RunScenario, AReinvestmentRuleCarriesItsCounterfactual) {
  TempDir dir;
  const fs::path scenario = dir.path() / "rule.toml";
  const std::string baseline = "base = \"" + source_path("scenarios/england_baseline.toml") + "\"\n";
  write_file(dir.path() / "dearer.toml", "name = \"dearer\"\nversion = \"1\"\ndescription = \"dearer care\"\n" +
                                             baseline + "[service.looked_after]\ncost = { per_fte_year = 80000 }\n");
  write_file(scenario, "name = \"rule\"\nversion = \"1\"\ndescription = \"a rule against a dearer council\"\n" +
                           baseline + "[reinvestment]\nshare = 0.5\nfrom_year = 1\nagainst = \"dearer.toml\"\n");
  const fs::path first = dir.path() / "first", again = dir.path() / "again";
  const std::string options = " -q -y 2 -r 1 --seed 3 --set simulation.warmup_days=0 --out ";
  ASSERT_EQ(frontdoor_cli("run " + scenario.string() + options + first.string(), dir).code, 0);
  const std::string copy = read_file(first / "scenario.toml");
  EXPECT_NE(copy.find("counterfactual = '''name = 'dearer'"), std::string::npos) << copy;
  EXPECT_EQ(copy.find("base ="), std::string::npos) << copy;
  EXPECT_EQ(json_of(first / "manifest.json").at("scenario").at("copy_hash"), content_hash(copy));
  fs::remove(dir.path() / "dearer.toml");  // the copy needs nothing but itself
  const fs::path moved = dir.path() / "elsewhere" / "scenario.toml";
  fs::create_directories(moved.parent_path());
  fs::copy_file(first / "scenario.toml", moved);
  const Outcome rerun = frontdoor_cli("run " + moved.string() + options + again.string(), dir);
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  double pounds = 0.0;  // month 13, the first of year 2, holds what year 1 saved
  std::istringstream rows(read_file(first / "timeseries.csv"));
  for (std::string row; std::getline(rows, row);) {
    if (row.find(",reinvested_gbp,") != std::string::npos) pounds += std::stod(row.substr(row.rfind(',') + 1));
  }
  EXPECT_GT(pounds, 0.0);
  for (const char* f : {"annual.csv", "timeseries.csv"}) EXPECT_EQ(read_file(first / f), read_file(again / f)) << f;
}

// A counterfactual that cannot be read is bad input: exit 2, the file, line and key named, nothing written.
TEST(RunScenario, AMissingCounterfactualIsRefusedWithItsLine) {
  TempDir dir;
  const fs::path scenario = dir.path() / "rule.toml";
  write_file(scenario,
             "name = \"rule\"\nversion = \"1\"\ndescription = \"a rule against nothing\"\n"
             "base = \"" +
                 source_path("scenarios/england_baseline.toml") +
                 "\"\n"
                 "[reinvestment]\nshare = 0.33\nagainst = \"missing.toml\"\n");
  const Outcome o = frontdoor_cli("run " + scenario.string() + " -q -y 2 --out " + (dir.path() / "run").string(), dir);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find(scenario.string() + ":7: reinvestment.against: the counterfactual \"missing.toml\""),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(dir.path() / "run"));
  const Outcome none = frontdoor_cli(
      "run scenarios/england_baseline.toml -q -y 2 --set reinvestment.share=0.33 --set "
      "reinvestment.against=nowhere.toml "
      "--out " +
          (dir.path() / "run").string(),
      dir);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("--set reinvestment.against=nowhere.toml: reinvestment.against:"), std::string::npos)
      << none.err;
  EXPECT_FALSE(fs::exists(dir.path() / "run"));
}

// graph --run and check-calibration read the run's copy: a source file changed since the run does not matter (it
// used to be refused), and a copy altered since is refused, exit 2, naming the file.
TEST(RunScenario, LaterCommandsReadTheCopyAndRefuseAnAlteredOne) {
  TempDir dir;
  const fs::path scenario = own_scenario(dir);
  const fs::path run = dir.path() / "run";
  ASSERT_EQ(
      frontdoor_cli("run " + scenario.string() + " -q -y 1 --set simulation.warmup_days=0 --out " + run.string(), dir)
          .code,
      0);
  write_file(scenario, read_file(scenario) + "[service.front_door]\nteam = { fte = 11 }\n");  // the source moves on
  const Outcome graph = frontdoor_cli("graph --run " + run.string(), dir);
  EXPECT_EQ(graph.code, 0) << graph.err;
  EXPECT_EQ(graph.out.rfind("digraph", 0), 0u) << graph.out;
  const Outcome calibration = frontdoor_cli("check-calibration " + run.string(), dir);
  EXPECT_NE(calibration.code, 2) << calibration.err;  // 1: this toy model is far from England's figures
  EXPECT_NE(calibration.out.find("Calibration of " + run.string() + " (own)"), std::string::npos) << calibration.out;

  write_file(run / "scenario.toml", read_file(run / "scenario.toml") + "# a note\n");
  for (const std::string command : {"graph --run ", "check-calibration "}) {
    const Outcome o = frontdoor_cli(command + run.string(), dir);
    EXPECT_EQ(o.code, 2) << command;
    EXPECT_NE(o.err.find((run / "scenario.toml").string() + " has been altered since frontdoor wrote it"),
              std::string::npos)
        << command << o.err;
    EXPECT_TRUE(o.out.empty()) << command << o.out;
  }
}

// report reads the copy too: from an altered copy it leaves out the caseload charts (their teams come from the
// scenario) and says why on the page, still exit 0; and it draws the monthly series of a run made before they took
// their `_per_month` names.
TEST(RunScenario, ReportSaysWhyChartsAreMissingAndReadsSeriesByTheirEarlierNames) {
  TempDir dir;
  const fs::path run = dir.path() / "run";
  ASSERT_EQ(frontdoor_cli("run scenarios/england_fixed_shares.toml -q -y 1 -r 1 --set simulation.warmup_days=0 --out " +
                              run.string(),
                          dir)
                .code,
            0);
  const fs::path first = dir.path() / "first.html", second = dir.path() / "second.html";
  ASSERT_EQ(frontdoor_cli("report " + run.string() + " --out " + first.string(), dir).code, 0);
  const std::string drawn = read_file(first);
  EXPECT_NE(drawn.find("\"team\":\"assessment\""), std::string::npos);
  EXPECT_EQ(drawn.find("\"caseload_note\""), std::string::npos);
  EXPECT_NE(drawn.find("\"title\":\"Contacts a month\""), std::string::npos);

  // The series as a run made before the rename wrote it, and a copy altered since.
  std::string series = read_file(run / "timeseries.csv");
  for (std::size_t at = series.find(",contacts_per_month,"); at != std::string::npos;
       at = series.find(",contacts_per_month,", at)) {
    series.replace(at, std::string(",contacts_per_month,").size(), ",contacts,");
  }
  write_file(run / "timeseries.csv", series);
  write_file(run / "scenario.toml", read_file(run / "scenario.toml") + "# a note\n");
  const Outcome o = frontdoor_cli("report " + run.string() + " --out " + second.string(), dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string report = read_file(second);
  EXPECT_EQ(report.find("\"team\":\"assessment\""), std::string::npos);
  EXPECT_NE(report.find("\"caseload_note\":\"" + (run / "scenario.toml").string() + " has been altered"),
            std::string::npos);
  EXPECT_NE(report.find("\"title\":\"Contacts a month\""), std::string::npos);
}

// Every run of a comparison carries its scenario, and compare.json names each copy's hash.
TEST(RunScenario, EachRunOfAComparisonCarriesItsScenario) {
  TempDir dir;
  const fs::path out = dir.path() / "cmp";
  const Outcome o = frontdoor_cli(
      "compare scenarios/validation/mmc_front_door.toml scenarios/validation/dd1_front_door.toml "
      "-q -y 2 -r 2 -j 2 --out " +
          out.string(),
      dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const nlohmann::json manifest = json_of(out / "compare.json");
  std::vector<nlohmann::json> entries{manifest.at("base")};
  for (const auto& alternative : manifest.at("alternatives")) entries.push_back(alternative);
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& entry : entries) {
    const fs::path copy = out / entry.at("dir").get<std::string>() / "scenario.toml";
    EXPECT_EQ(entry.at("copy_hash"), content_hash(read_file(copy))) << copy;
    EXPECT_EQ(json_of(copy.parent_path() / "manifest.json").at("scenario").at("copy_hash"), entry.at("copy_hash"));
  }
}

// A sweep's shards run the plan's copy: the source changed after the plan changes nothing, and a copy altered
// after the plan is refused before anything runs, whichever shard meets it.
TEST(RunScenario, SweepExecRunsThePlansCopyAndRefusesAnAlteredOne) {
  TempDir dir;
  const fs::path scenario = own_scenario(dir);
  const std::string plan = "sweep plan " + scenario.string() +
                           " --vary sources.other.contacts_per_day=60:70:2 -r 2 "
                           "--set simulation.years=2 --out ";
  const fs::path before = dir.path() / "before", after = dir.path() / "after", altered = dir.path() / "altered";
  for (const auto& d : {before, after, altered}) ASSERT_EQ(frontdoor_cli(plan + d.string(), dir).code, 0) << d;
  const nlohmann::json meta = json_of(before / "sweep.json");
  EXPECT_EQ(meta.at("scenario_copy"), "scenario.toml");
  EXPECT_EQ(meta.at("scenario_hash"), content_hash(read_file(before / "scenario.toml")));
  ASSERT_EQ(frontdoor_cli("sweep exec -q -j 2 " + before.string(), dir).code, 0);

  // The source file moves on; the other sweep still runs the scenario it planned.
  write_file(scenario, read_file(scenario) + "[service.front_door]\nteam = { fte = 11 }\n");
  ASSERT_EQ(frontdoor_cli("sweep exec -q -j 2 " + after.string(), dir).code, 0);
  for (const auto& d : {before, after}) ASSERT_EQ(frontdoor_cli("sweep merge -q " + d.string(), dir).code, 0) << d;
  EXPECT_EQ(read_file(before / "results.csv"), read_file(after / "results.csv"));

  // The plan's copy is altered between shards: the second shard refuses, exit 2, and runs nothing.
  ASSERT_EQ(frontdoor_cli("sweep exec -q --shard 0/2 " + altered.string(), dir).code, 0);
  const auto runs_done = [&] {
    return std::distance(fs::directory_iterator(altered / "runs"), fs::directory_iterator());
  };
  const auto done = runs_done();
  EXPECT_EQ(done, 2);
  const std::string copy = read_file(altered / "scenario.toml");
  const std::string edited = "fte = 9";
  const auto at = copy.find("fte = 8");
  ASSERT_NE(at, std::string::npos) << copy;
  write_file(altered / "scenario.toml", copy.substr(0, at) + edited + copy.substr(at + edited.size()));
  const Outcome refused = frontdoor_cli("sweep exec --shard 1/2 " + altered.string(), dir);
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find((altered / "scenario.toml").string() + " has been altered since frontdoor wrote it"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("sweep.json recorded " + meta.at("scenario_hash").get<std::string>()), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("nothing was run"), std::string::npos) << refused.err;
  EXPECT_EQ(runs_done(), done);
  // Restored byte for byte, the copy is the plan's again.
  write_file(altered / "scenario.toml", copy);
  EXPECT_EQ(frontdoor_cli("sweep exec -q --shard 1/2 " + altered.string(), dir).code, 0);
  EXPECT_EQ(runs_done(), 4);
}

// A design point given twice (a grid file with a repeated row) is run once per replication and its result copied
// to the other row, each file naming its own run; the merge sees both rows with the same values.
TEST(RunScenario, ADesignPointGivenTwiceGetsTheSameResultUnderBothRuns) {
  TempDir dir;
  const fs::path grid = dir.path() / "grid.csv", sweep = dir.path() / "sweep";
  write_file(grid, "service.front_door.team.fte\n9\n10\n9\n");
  ASSERT_EQ(frontdoor_cli("sweep plan scenarios/validation/mmc_front_door.toml --grid " + grid.string() +
                              " -r 1 --set simulation.years=2 --out " + sweep.string(),
                          dir)
                .code,
            0);
  const Outcome exec = frontdoor_cli("sweep exec -j 2 " + sweep.string(), dir);
  ASSERT_EQ(exec.code, 0) << exec.err;
  EXPECT_NE(exec.err.find("3 runs to do"), std::string::npos) << exec.err;
  for (int run = 0; run < 3; ++run) {
    EXPECT_EQ(json_of(sweep / "runs" / (std::to_string(run) + ".json")).at("run_id"), run);
  }
  const nlohmann::json first = json_of(sweep / "runs" / "0.json"), third = json_of(sweep / "runs" / "2.json");
  EXPECT_EQ(first.at("summary"), third.at("summary"));
  EXPECT_NE(first.at("summary"), json_of(sweep / "runs" / "1.json").at("summary"));
  ASSERT_EQ(frontdoor_cli("sweep merge -q " + sweep.string(), dir).code, 0);
  std::istringstream results(read_file(sweep / "results.csv"));
  std::map<int, std::string> rows_of_run;
  std::string line;
  std::getline(results, line);
  while (std::getline(results, line)) {
    const int run = std::stoi(line.substr(0, line.find(',')));
    rows_of_run[run] += line.substr(line.find(',')) + "\n";  // the run's rows without its run_id
  }
  ASSERT_EQ(rows_of_run.size(), 3u);
  // Rows differ by their point number only.
  auto without_point = [](const std::string& rows) {
    std::istringstream in(rows);
    std::string out, l;
    while (std::getline(in, l)) out += l.substr(l.find(',', 1)) + "\n";
    return out;
  };
  EXPECT_EQ(without_point(rows_of_run[0]), without_point(rows_of_run[2]));
  EXPECT_NE(without_point(rows_of_run[0]), without_point(rows_of_run[1]));
}

// Every executor writes a ReplicationResult; a sweep's run files written before that, in the shorter form of
// older versions, still merge to the same results.
TEST(RunScenario, ASweepFinishedByAnOlderFrontdoorStillMerges) {
  TempDir dir;
  const fs::path sweep = dir.path() / "sweep";
  ASSERT_EQ(
      frontdoor_cli("sweep plan scenarios/validation/mmc_front_door.toml --vary service.front_door.team.fte=9:10:2 "
                    "-r 1 --set simulation.years=2 --out " +
                        sweep.string(),
                    dir)
          .code,
      0);
  ASSERT_EQ(frontdoor_cli("sweep exec -q -j 2 " + sweep.string(), dir).code, 0);
  ASSERT_EQ(frontdoor_cli("sweep merge -q " + sweep.string(), dir).code, 0);
  const std::string results = read_file(sweep / "results.csv"), points = read_file(sweep / "points.csv");
  for (int run = 0; run < 2; ++run) {
    const fs::path file = sweep / "runs" / (std::to_string(run) + ".json");
    const nlohmann::json now = json_of(file);
    EXPECT_TRUE(now.contains("replication") && now.contains("balance")) << now.dump();  // a ReplicationResult
    nlohmann::json older{{"run_id", now.at("run_id")},
                         {"seed", now.at("seed")},
                         {"engine_events", now.at("engine_events")},
                         {"annual", now.at("annual")},
                         {"summary", nlohmann::json::array()}};
    for (const auto& m : now.at("summary")) older["summary"].push_back({m.at("measure"), m.at("value")});
    write_file(file, older.dump() + "\n");
  }
  fs::remove(sweep / "results.csv");
  fs::remove(sweep / "points.csv");
  ASSERT_EQ(frontdoor_cli("sweep merge -q " + sweep.string(), dir).code, 0);
  EXPECT_EQ(read_file(sweep / "results.csv"), results);
  EXPECT_EQ(read_file(sweep / "points.csv"), points);
}

// Costs with inflation: on the same seeds, a cost inflating at `placements` a year is (1 + rate)^(year - 1) times
// its price-year cost (nothing else changes: prices do not change what happens), and every cost in cash has a
// `<name>_real` twin in unit gbp_real, deflated by the prices index.
TEST(RunScenario, CostsInflateByTheirOwnIndexAndAreGivenInRealTermsToo) {
  TempDir dir;
  const fs::path flat = dir.path() / "flat";
  const fs::path inflated = dir.path() / "inflated";
  ASSERT_EQ(frontdoor_cli("run -q --years 4 --out " + flat.string(), dir).code, 0);
  ASSERT_EQ(frontdoor_cli("run -q --years 4 --set costs.inflation.pay=0.033 --set costs.inflation.placements=0.056 "
                          "--set costs.inflation.prices=0.02 --out " +
                              inflated.string(),
                          dir)
                .code,
            0);
  const AnnualTable a = read_annual_table(flat);
  const AnnualTable b = read_annual_table(inflated);
  auto value = [](const AnnualTable& t, const std::string& measure, const std::string& unit, int year) {
    return t.values.at({measure, unit}).at(year).at(1);
  };
  for (int year = 1; year <= 4; ++year) {
    const double placements = std::pow(1.056, year - 1);
    const double pay = std::pow(1.033, year - 1);
    EXPECT_NEAR(value(b, "foster_care_cost_gbp", "gbp", year) / value(a, "foster_care_cost_gbp", "gbp", year),
                placements, 1e-9);
    EXPECT_NEAR(value(b, "front_door_cost_gbp", "gbp", year) / value(a, "front_door_cost_gbp", "gbp", year), pay, 1e-9);
    // What happens is the same: contacts, care starts.
    EXPECT_EQ(value(b, "looked_after_starts_count", "count", year),
              value(a, "looked_after_starts_count", "count", year));
    // annual.csv carries twelve significant digits: equal to that.
    const double cash = value(b, "total_cost_gbp", "gbp", year);
    EXPECT_NEAR(value(b, "total_cost_gbp_real", "gbp_real", year), cash / std::pow(1.02, year - 1), 1e-11 * cash);
    // Without inflation, real is cash.
    EXPECT_EQ(value(a, "total_cost_gbp_real", "gbp_real", year), value(a, "total_cost_gbp", "gbp", year));
  }
  EXPECT_GT(value(b, "total_cost_gbp_real", "gbp_real", 4),
            value(a, "total_cost_gbp", "gbp", 4));  // dearer in real terms
}
