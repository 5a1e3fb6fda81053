// The `frontdoor` program as a user meets it: exit codes, messages, nothing written on bad input, refusal to
// overwrite, and byte-identical outputs for the same seed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "test_support.hpp"

using frontdoor::test_support::frontdoor_cli;
using frontdoor::test_support::Outcome;
using frontdoor::test_support::read_file;
using frontdoor::test_support::source_path;
using frontdoor::test_support::TempDir;
namespace fs = std::filesystem;

namespace {

bool holds_only_logs(const TempDir& dir) { return fs::is_empty(dir.path()); }

const std::string dd1 = "scenarios/validation/dd1_front_door.toml";
const std::string mmc = "scenarios/validation/mmc_front_door.toml";

}  // namespace

TEST(Cli, VersionAndHelp) {
  TempDir dir;
  const Outcome v = frontdoor_cli("--version", dir);
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("frontdoor 0."), std::string::npos);
  for (const std::string sub : {"", "run ", "validate ", "graph "}) {
    const Outcome h = frontdoor_cli(sub + "--help", dir);
    EXPECT_EQ(h.code, 0) << sub;
    EXPECT_NE(h.out.find("xample"), std::string::npos) << sub << h.out;
  }
}

TEST(Cli, ValidateDescribesTheScenario) {
  TempDir dir;
  const Outcome o = frontdoor_cli("validate " + mmc, dir);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("8.00 screeners"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("service.front_door.work.mean_days"), std::string::npos);
}

// `validate --schema` prints the parameter schema instead of checking a scenario: Markdown (the README's tables)
// or CSV; it takes no scenario, and without --schema a scenario is still required.
TEST(Cli, ValidateSchemaPrintsEveryKey) {
  TempDir dir;
  const Outcome csv = frontdoor_cli("validate --schema --format csv", dir);
  EXPECT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("key,applies_to,type,unit,range,default,changes_over_time,description\n", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\nservice.<id>.team.fte,caseload_team,number,FTE,\"(0, 10000]\",1,yes,"), std::string::npos);
  const Outcome markdown = frontdoor_cli("validate --schema", dir);
  EXPECT_EQ(markdown.code, 0) << markdown.err;
  EXPECT_NE(markdown.out.find("| `simulation.years` | whole number | years | [1, 100] | 10 |  |"), std::string::npos);
  EXPECT_EQ(frontdoor_cli("validate --schema " + mmc, dir).code, 2);
  EXPECT_EQ(frontdoor_cli("validate --schema --format html", dir).code, 2);
  // Options that only mean something with --schema, or only without it, are refused rather than ignored.
  const Outcome format_alone = frontdoor_cli("validate --format csv " + mmc, dir);
  EXPECT_EQ(format_alone.code, 2);
  EXPECT_NE(format_alone.err.find("--format requires --schema"), std::string::npos) << format_alone.err;
  const Outcome schema_and_set = frontdoor_cli("validate --schema --set simulation.years=3", dir);
  EXPECT_EQ(schema_and_set.code, 2);
  EXPECT_NE(schema_and_set.err.find("--set excludes --schema"), std::string::npos) << schema_and_set.err;
  const Outcome none = frontdoor_cli("validate", dir);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("scenario is required"), std::string::npos) << none.err;
}

TEST(Cli, BadInputExitsTwoAndWritesNothing) {
  TempDir dir;
  const std::string out = (dir.path() / "run").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run /nonexistent.toml --out " + out, "nonexistent.toml"},
      {"run " + dd1 + " --out " + out + " --replications 0", "replications"},
      {"run " + dd1 + " --out " + out + " --set service.front_door.team.fte=0",
       "service.front_door.team.fte: 0 is out of range"},
      {"run " + dd1 + " --out " + out + " --set sources.other.contacts_per_day=-1", "out of range"},
      {"run " + dd1 + " --out " + out + " --set service.front_door.decisions.referral=1.5", "1.5 is out of range"},
      {"run " + dd1 + " --out " + out + " --set service.front_door.nonsense=1", "--set service.front_door.nonsense=1"},
      {"run " + dd1 + " --out " + out + " --set nonsense", "expected KEY=VALUE"},
      {"run " + dd1 + " --out " + out + " --no-such-flag", "no-such-flag"},
      {"run scenarios/england_baseline.toml --out " + out + " --years 2",
       "the first 3 years (1095 days) are warm-up, left out of the results, so a run of 2 years measures nothing: ask "
       "for at least 4 years"},
      {"run " + dd1 + " --out /proc/forbidden/run", "/proc"},
      {"run " + dd1, "--out"},
      {"frobnicate", "subcommand"},
  };
  for (const auto& [args, expected] : cases) {
    const Outcome o = frontdoor_cli(args, dir);
    EXPECT_EQ(o.code, 2) << args << "\n" << o.err;
    EXPECT_NE(o.err.find(expected), std::string::npos) << args << "\n" << o.err;
    EXPECT_TRUE(o.out.empty()) << args;
    EXPECT_TRUE(holds_only_logs(dir)) << args;
  }
}

TEST(Cli, SyntaxErrorNamesFileAndLine) {
  TempDir dir;
  const fs::path bad = dir.path() / "bad.toml";
  frontdoor::test_support::write_file(bad, "name = \"x\"\nversion = \n");
  const Outcome o = frontdoor_cli("validate " + bad.string(), dir);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("bad.toml:2:"), std::string::npos) << o.err;
}

TEST(Cli, RunWritesOutputsAndRefusesToOverwrite) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  const Outcome first = frontdoor_cli("run " + dd1 + " --out " + out.string() + " -q", dir);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_TRUE(first.out.empty());  // --quiet
  for (const char* f : {"manifest.json", "timeseries.csv", "summary.csv"}) EXPECT_TRUE(fs::exists(out / f)) << f;
  const std::string before = read_file(out / "summary.csv");
  const Outcome again = frontdoor_cli("run " + dd1 + " --out " + out.string() + " --seed 9", dir);
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos);
  EXPECT_EQ(read_file(out / "summary.csv"), before);
  const Outcome forced = frontdoor_cli("run " + dd1 + " --out " + out.string() + " --force", dir);
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_NE(forced.out.find("utilisation"), std::string::npos) << forced.out;
  // stderr is a file here, not a terminal: progress comes as lines (a line every 5%), not a bar.
  EXPECT_NE(forced.err.find("frontdoor run: 1/1 replications (100%)"), std::string::npos) << forced.err;
  EXPECT_EQ(forced.err.find('\r'), std::string::npos) << forced.err;
}

// --precision adds replications until the headline intervals are narrow enough, and says how many it took; the
// same command gives the same files.
TEST(Cli, RunToAPrecision) {
  TempDir dir;
  const std::string mmc = "scenarios/validation/mmc_front_door.toml";
  const std::string args = "run " + mmc + " -r 2 -j 2 --years 2 --precision 0.005 --out ";
  const Outcome o = frontdoor_cli(args + (dir.path() / "a").string(), dir);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Precision (--precision 0.005): "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("replications brought every headline interval within ±0.5% of its mean"), std::string::npos)
      << o.out;
  // It started from 3 (the least an interval needs) and had to add some.
  EXPECT_NE(o.err.find("frontdoor run: 3 replications: the widest headline interval is"), std::string::npos) << o.err;
  EXPECT_EQ(o.out.find("Precision (--precision 0.005): 3 replications"), std::string::npos) << o.out;
  const Outcome again = frontdoor_cli(args + (dir.path() / "b").string() + " -q", dir);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(read_file(dir.path() / "a" / "summary.csv"), read_file(dir.path() / "b" / "summary.csv"));
  // A cap it cannot meet: it stops there and says so.
  const Outcome capped = frontdoor_cli(
      "run " + mmc + " --years 2 --precision 0.0001 --max-replications 4 -j 2 --out " + (dir.path() / "c").string(),
      dir);
  ASSERT_EQ(capped.code, 0) << capped.err;
  EXPECT_NE(capped.out.find("4 replications did not bring"), std::string::npos) << capped.out;
  EXPECT_NE(capped.out.find("the cap (--max-replications 4) stopped it"), std::string::npos) << capped.out;
  // --max-replications without --precision is a bad flag.
  EXPECT_EQ(frontdoor_cli("run " + dd1 + " --max-replications 4 --out " + (dir.path() / "d").string(), dir).code, 2);
  // compare: pairs until the headline differences are that precise, recorded in compare.json.
  const fs::path alt = dir.path() / "more_staff.toml";
  frontdoor::test_support::write_file(alt, "name = \"more_staff\"\nversion = \"1\"\nbase = \"" +
                                               std::string(FRONTDOOR_SOURCE_DIR) + "/" + mmc +
                                               "\"\n[service.front_door]\nteam.fte = 10\n");
  const Outcome c = frontdoor_cli(
      "compare " + mmc + " " + alt.string() + " --years 2 -j 2 --precision 0.01 --out " + (dir.path() / "e").string(),
      dir);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("Precision (--precision 0.01): "), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("pairs brought every headline difference's interval within ±1.0% of the base's level"),
            std::string::npos)
      << c.out;
  EXPECT_NE(read_file(dir.path() / "e" / "compare.json").find("\"precision\""), std::string::npos);
}

// --select on a case whose best is known from queueing theory: of an M/M/c front door with 8, 9 and 10 screeners
// (70 contacts a day, 0.1 day each: Erlang C waits of about 0.051, 0.012 and 0.003 days), 10 waits least. KN
// names it, eliminating the others, and adds replications only to those still in contention.
TEST(Cli, CompareSelectsTheKnownBest) {
  TempDir dir;
  const std::string mmc = read_file(fs::path(FRONTDOOR_SOURCE_DIR) / "scenarios/validation/mmc_front_door.toml");
  std::string files;
  for (int fte : {8, 10, 9}) {
    std::string text = mmc;
    const std::string from = "team = { fte = 8 }";
    text.replace(text.find(from), from.size(), "team = { fte = " + std::to_string(fte) + " }");
    const std::string name = "name = \"mmc_front_door\"";
    text.replace(text.find(name), name.size(), "name = \"fte_" + std::to_string(fte) + "\"");
    text += "\n[reporting]\nfront_door_wait_days = \"wait:front_door\"\n";
    const fs::path file = dir.path() / ("fte_" + std::to_string(fte) + ".toml");
    frontdoor::test_support::write_file(file, text);
    files += file.string() + " ";
  }
  const Outcome o =
      frontdoor_cli("compare " + files + "--years 2 -r 5 -j 2 --select front_door_wait_days --delta 0.001 --out " +
                        (dir.path() / "s").string(),
                    dir);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Best on front_door_wait_days (smaller is better; KN"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("fte_10, with probability at least 95%"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("fte_8: mean"), std::string::npos) << o.out;
  // fte_9 is out after the first stage; the best needed more replications than that.
  EXPECT_NE(o.out.find(", eliminated after 5 replications"), std::string::npos) << o.out;
  const auto best = o.out.find("fte_10: mean");
  ASSERT_NE(best, std::string::npos) << o.out;
  const auto count = o.out.find(", the best (", best);
  ASSERT_NE(count, std::string::npos) << o.out;
  EXPECT_GT(std::stoi(o.out.substr(count + 12)), 5) << o.out;
  const std::string json = read_file(dir.path() / "s" / "compare.json");
  EXPECT_NE(json.find("\"best\": \"fte_10\""), std::string::npos) << json;
  // A measure the scenarios do not report: exit 2, nothing written.
  const Outcome bad =
      frontdoor_cli("compare " + files + "--select nonsense --delta 1 --out " + (dir.path() / "t").string(), dir);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--select nonsense"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir.path() / "t"));
  EXPECT_EQ(
      frontdoor_cli("compare " + files + "--select front_door_wait_days --out " + (dir.path() / "u").string(), dir)
          .code,
      2);  // no --delta
}

TEST(Cli, SameSeedGivesByteIdenticalFiles) {
  TempDir dir;
  const std::string common = "run " + mmc + " --years 2 --replications 2 -q";
  ASSERT_EQ(frontdoor_cli(common + " --jobs 2 --seed 3 --out " + (dir.path() / "a").string(), dir).code, 0);
  ASSERT_EQ(frontdoor_cli(common + " --jobs 1 --seed 3 --out " + (dir.path() / "b").string(), dir).code, 0);
  ASSERT_EQ(frontdoor_cli(common + " --jobs 2 --seed 4 --out " + (dir.path() / "c").string(), dir).code, 0);
  for (const char* f : {"timeseries.csv", "summary.csv"}) {
    EXPECT_EQ(read_file(dir.path() / "a" / f), read_file(dir.path() / "b" / f)) << f;
    EXPECT_NE(read_file(dir.path() / "a" / f), read_file(dir.path() / "c" / f)) << f;
  }
}

TEST(Cli, ManifestRecordsTheRun) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  ASSERT_EQ(
      frontdoor_cli("run " + dd1 + " -q --seed 11 --set service.front_door.team.fte=2 --out " + out.string(), dir).code,
      0);
  const std::string manifest = read_file(out / "manifest.json");
  for (const char* needle :
       {"\"dd1_front_door\"", "\"file_hash\": \"fnv1a64:", "\"service.front_door.team.fte\"", "\"base_seed\": 11",
        "\"git_commit\"", "\"build_type\"", "\"simgrid_version\": \"3.32", "\"wall_time_s\""}) {
    EXPECT_NE(manifest.find(needle), std::string::npos) << needle << "\n" << manifest;
  }
}

TEST(Cli, EngineOptionsPassThrough) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  const Outcome ok = frontdoor_cli("run " + dd1 + " -q --cfg=contexts/stack-size:128 --out " + out.string(), dir);
  EXPECT_EQ(ok.code, 0) << ok.err;
  const Outcome bad =
      frontdoor_cli("run " + dd1 + " -q --cfg=no/such:option --out " + (dir.path() / "x").string(), dir);
  EXPECT_EQ(bad.code, 1);  // the engine rejects it in every replication: a failed run, and nothing written
  EXPECT_FALSE(fs::exists(dir.path() / "x"));
}

TEST(Cli, GraphDrawsEveryShippedPathway) {
  TempDir dir;
  for (const std::string scenario :
       {"scenarios/england_baseline.toml", "scenarios/alternatives/early_help_hub.toml",
        "scenarios/alternatives/direct_strategy.toml", "scenarios/alternatives/family_safeguarding.toml"}) {
    const Outcome dot = frontdoor_cli("graph " + scenario, dir);
    EXPECT_EQ(dot.code, 0) << scenario << dot.err;
    EXPECT_EQ(dot.out.rfind("digraph", 0), 0u) << scenario;
    const fs::path svg = dir.path() / "pathway.svg";
    const Outcome drawn = frontdoor_cli("graph " + scenario + " --format svg --force --out " + svg.string(), dir);
    EXPECT_EQ(drawn.code, 0) << scenario << drawn.err;
    EXPECT_NE(read_file(svg).find("<svg"), std::string::npos) << scenario;
  }
  // An existing file is not replaced without --force.
  const Outcome again = frontdoor_cli("graph " + mmc + " --out " + (dir.path() / "pathway.svg").string(), dir);
  EXPECT_EQ(again.code, 2);
}

TEST(Cli, GraphOfARunShowsObservedFlows) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  ASSERT_EQ(frontdoor_cli("run scenarios/validation/jackson_network.toml -q --years 1 --set simulation.warmup_days=0 "
                          "--out " +
                              out.string(),
                          dir)
                .code,
            0);
  const Outcome o = frontdoor_cli("graph --run " + out.string(), dir);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("/yr"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("open "), std::string::npos) << o.out;
  const Outcome not_a_run = frontdoor_cli("graph --run " + dir.path().string(), dir);
  EXPECT_EQ(not_a_run.code, 2);
  EXPECT_NE(not_a_run.err.find("not a frontdoor run"), std::string::npos) << not_a_run.err;
}

TEST(Cli, GraphWithoutGraphvizSaysSo) {
  TempDir dir;
  const Outcome o = frontdoor_cli("graph " + mmc + " --format svg", dir, "PATH=/nonexistent ");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("graphviz"), std::string::npos) << o.err;
}

TEST(Cli, InvalidPathwayListsEveryProblemAndWritesNothing) {
  TempDir dir;
  const Outcome o = frontdoor_cli(
      "run tests/fixtures/invalid_pathways/exit_with_route.toml --out " + (dir.path() / "run").string(), dir);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("leaves an exit"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("has no route out"), std::string::npos) << o.err;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

// The calibration check on a short baseline run: 4 replications of 7 years, the first 3 of which are warm-up.
// The bands are the published ones (calibration/england_targets.csv); with 4 replications of 4 measured years
// the standard error of every rate is well under a tenth of its band's half-width, so a calibrated baseline
// passes and a mechanism off by more than the band fails.
// A strategist's first step: the baseline set to their council's children. Every per-child value written for the
// baseline's 100,000 children (establishments, budgets, starting caseloads) is scaled, so the council's rates
// per 10,000 children, caseloads and social workers per 10,000 stay inside England's bands; held as written
// (population.scale = "absolute"), a council of 60,000 has 50 social workers per 10,000 and validate warns.
TEST(Cli, AScaledCouncilPassesTheCalibrationCheck) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  ASSERT_EQ(
      frontdoor_cli("run -q --replications 4 --jobs 2 --set population.children=60000 --out " + out.string(), dir).code,
      0);
  const Outcome o = frontdoor_cli("check-calibration " + out.string(), dir);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("32 of 32 targets inside their band"), std::string::npos) << o.out;

  const Outcome scaled = frontdoor_cli("validate scenarios/england_baseline.toml --set population.children=60000", dir);
  EXPECT_EQ(scaled.code, 0) << scaled.err;
  EXPECT_NE(scaled.out.find("social workers' establishment        30.0 FTE"), std::string::npos) << scaled.out;
  EXPECT_NE(scaled.out.find("service.assessment.team.fte: 60 -> 36 (scenarios/pathways/england_need.toml:52)"),
            std::string::npos)
      << scaled.out;
  EXPECT_EQ(scaled.out.find("WARNING: outside England's range"), std::string::npos) << scaled.out;
  const Outcome held = frontdoor_cli(
      "validate scenarios/england_baseline.toml --set population.children=60000 --set population.scale=absolute", dir);
  EXPECT_EQ(held.code, 0) << held.err;
  EXPECT_NE(held.out.find("social workers' establishment        50.0 FTE"), std::string::npos) << held.out;
  EXPECT_NE(held.out.find("WARNING: outside England's range"), std::string::npos) << held.out;
}

// check-calibration against a council's own figures: one year of them, the latest by default; a bad file or a year
// it lacks is exit 2 with the row and column named.
TEST(Cli, CheckCalibrationAgainstACouncilsFigures) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  ASSERT_EQ(frontdoor_cli("run -q --years 4 --set population.children=30000 --out " + out.string(), dir).code, 0);
  const std::string example = source_path("calibration/example_council_fictional.csv");
  const Outcome o = frontdoor_cli("check-calibration " + out.string() + " --council " + example, dir);
  EXPECT_EQ(o.code, 1) << o.out << o.err;  // the baseline is not Northbrook: looked after 68 against 91 per 10,000
  EXPECT_NE(o.out.find("against Northbrook (fictional) 2024"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("run it with --set population.children=60400"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("looked_after_at_31_march"), std::string::npos) << o.out;
  const Outcome year =
      frontdoor_cli("check-calibration " + out.string() + " --council " + example + " --year 2021", dir);
  EXPECT_NE(year.out.find("Northbrook (fictional) 2021"), std::string::npos) << year.out;

  const Outcome missing =
      frontdoor_cli("check-calibration " + out.string() + " --council " + example + " --year 2019", dir);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("--year 2019: " + example + " has no figures for it (it has 2021 to 2024)"),
            std::string::npos)
      << missing.err;
  const fs::path bad = dir.path() / "bad.csv";
  frontdoor::test_support::write_file(bad,
                                      "council,population_0_17,year,measure,unit,value,low,high,source\n"
                                      "Ashby,60000,2024,refferals,per_10k_per_year,520,480,560,DfE\n");
  const Outcome wrong = frontdoor_cli("check-calibration " + out.string() + " --council " + bad.string(), dir);
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("bad.csv:2: measure: unknown measure \"refferals\" (did you mean \"referrals\"?)"),
            std::string::npos)
      << wrong.err;
  EXPECT_EQ(
      frontdoor_cli("check-calibration " + out.string() + " --council " + example + " --targets " + example, dir).code,
      2);
}

TEST(Cli, BaselinePassesTheCalibrationCheck) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  // 8 replications: the 16-17s' share of children in care sits just above its band's edge (0.215 on 20 against
  // 0.21, README "Calibration"), where 4 replications' interval of about 0.013 can cross it by chance.
  ASSERT_EQ(frontdoor_cli("run -q --replications 8 --jobs 2 --out " + out.string(), dir).code, 0);
  // The full set, in step with ../shared/calibration: every target is inside its band over the measured years (4 to
  // 10), the looked-after children by age and second or later plans included, so the check exits 0.
  const Outcome o = frontdoor_cli("check-calibration " + out.string(), dir);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("32 of 32 targets inside their band"), std::string::npos) << o.out;
  std::istringstream shipped(read_file(source_path("calibration/england_targets.csv")));
  std::string line;
  std::getline(shipped, line);
  int targets = 0;
  while (std::getline(shipped, line)) {
    const std::string measure = line.substr(0, line.find(','));
    ++targets;
    bool in = false;
    std::istringstream table(o.out);
    for (std::string row; std::getline(table, row);) {
      if (row.rfind(measure + " ", 0) == 0 && row.size() > 4 && row.compare(row.size() - 4, 4, "  in") == 0) in = true;
    }
    EXPECT_TRUE(in) << measure << " is not inside its band:\n" << o.out;
  }
  EXPECT_EQ(targets, 32);
  // Police that notice far less moves several measures out of their bands: exit 1, and the table says which.
  const fs::path low = dir.path() / "low";
  ASSERT_EQ(frontdoor_cli("run -q --years 7 --replications 2 --jobs 2 "
                          "--set 'sources.police.notice_per_year=[0.003, 0.03, 0.06, 0.12, 0.3]' --out " +
                              low.string(),
                          dir)
                .code,
            0);
  const Outcome off = frontdoor_cli("check-calibration " + low.string(), dir);
  EXPECT_EQ(off.code, 1);
  EXPECT_NE(off.out.find("OUT"), std::string::npos) << off.out;
  EXPECT_EQ(frontdoor_cli("check-calibration " + dir.path().string(), dir).code, 2);  // not a run
}

// compare: a scenario against itself differs by exactly zero in every row of compare.csv; bad input writes nothing.
TEST(Cli, CompareOfAScenarioWithItselfIsExactlyZero) {
  TempDir dir;
  const fs::path out = dir.path() / "same";
  const Outcome o = frontdoor_cli(
      "compare scenarios/england_baseline.toml scenarios/england_baseline.toml -q -y 4 -r 2 -j 2 "
      "--set costs.inflation.pay=0.031 --out " +
          out.string(),
      dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string csv = read_file(out / "compare.csv");
  ASSERT_EQ(
      csv.rfind("scenario,year,measure,unit,base_mean,alt_mean,diff_mean,diff_ci95_low,diff_ci95_high,pairs,clear\n",
                0),
      0u);
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  int rows = 0, pooled = 0, totals = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::stringstream cellstream(line);
    for (std::string cell; std::getline(cellstream, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 11u) << line;
    EXPECT_EQ(cells[0], "england_baseline_2");
    EXPECT_TRUE(cells[6] == "0" || cells[6] == "nan") << line;  // nan: a share of nothing in both
    EXPECT_EQ(line.find("e+"), std::string::npos) << line;      // no exponents
    EXPECT_EQ(line.find("e-"), std::string::npos) << line;
    EXPECT_EQ(cells[10], "no") << line;
    pooled += cells[1] == "mean_4_4" ? 1 : 0;  // a 4-year run: 3 years of warm-up, then year 4
    // The whole council's cost summed over the measured years, cash and real.
    totals += cells[2] == "total_cost_gbp_to_date" || cells[2] == "total_cost_gbp_to_date_real" ? 1 : 0;
    ++rows;
  }
  EXPECT_GT(rows, 100);
  EXPECT_GT(pooled, 50);
  EXPECT_EQ(totals, 4);  // cash and real, pooled and year 4
  // --set reaches both runs.
  EXPECT_NE(read_file(out / "runs" / "england_baseline" / "scenario.toml").find("0.031"), std::string::npos);
  EXPECT_NE(read_file(out / "runs" / "england_baseline_2" / "scenario.toml").find("0.031"), std::string::npos);
  EXPECT_NE(read_file(out / "compare.json").find("\"pooled\""), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "runs" / "england_baseline" / "annual.csv"));
  EXPECT_TRUE(fs::exists(out / "compare.json"));
  // Reports: of the comparison (one file with the chart library inlined), and never over an existing file.
  const Outcome report = frontdoor_cli("report " + out.string(), dir);
  EXPECT_EQ(report.code, 0) << report.err;
  const std::string html = read_file(out / "report.html");
  EXPECT_NE(html.find("Licensed to the Apache Software Foundation"), std::string::npos);  // ECharts, inlined
  EXPECT_EQ(html.find("/*DATA*/"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);            // nothing fetched
  EXPECT_EQ(frontdoor_cli("report " + out.string(), dir).code, 2);  // exists: needs --force
  EXPECT_EQ(frontdoor_cli("report " + out.string() + " --force", dir).code, 0);
  EXPECT_EQ(frontdoor_cli("report " + dir.path().string() + " --out " + (dir.path() / "x.html").string(), dir).code, 2);
  // A bad flag: exit 2, nothing written.
  const fs::path bad = dir.path() / "bad";
  const Outcome b = frontdoor_cli(
      "compare scenarios/england_baseline.toml scenarios/validation/mmc_front_door.toml "
      "-q -r 2 --set x=1 --out " +
          bad.string(),
      dir);
  EXPECT_EQ(b.code, 2);
  EXPECT_FALSE(fs::exists(bad));
}

// Sweeps: the same plan run whole, in two shards, or killed part-way and resumed merges to byte-identical
// results; a merge of an incomplete sweep lists what is missing and fails unless --allow-partial; failed runs are
// recorded with their error without stopping the others.
TEST(Cli, SweepShardsAndResumptionMergeToTheSameResults) {
  TempDir dir;
  const std::string plan_args =
      " scenarios/validation/mmc_front_door.toml --vary service.front_door.team.fte=8:10:3 "
      "--vary sources.other.contacts_per_day=60:70:2 -r 2 --set simulation.years=2 --out ";
  const fs::path whole = dir.path() / "whole", sharded = dir.path() / "sharded", resumed = dir.path() / "resumed";
  for (const auto& d : {whole, sharded, resumed})
    ASSERT_EQ(frontdoor_cli("sweep plan" + plan_args + d.string(), dir).code, 0);
  EXPECT_EQ(read_file(whole / "plan.csv"), read_file(sharded / "plan.csv"));
  ASSERT_EQ(frontdoor_cli("sweep exec -q -j 2 " + whole.string(), dir).code, 0);
  ASSERT_EQ(frontdoor_cli("sweep exec -q --shard 0/2 " + sharded.string(), dir).code, 0);
  // Half the shards: the merge refuses, naming what is missing, unless told to merge what there is.
  const Outcome partial = frontdoor_cli("sweep merge -q " + sharded.string(), dir);
  EXPECT_EQ(partial.code, 1);
  EXPECT_NE(partial.err.find("missing (6)"), std::string::npos) << partial.err;
  EXPECT_FALSE(fs::exists(sharded / "results.csv"));
  // The second shard as a Slurm array task would run it: the shard comes from the environment.
  ASSERT_EQ(
      frontdoor_cli("sweep exec -q " + sharded.string(), dir, "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 ").code,
      0);
  // Killed part-way (the parent first, then whatever it was running), then resumed: done runs are skipped.
  ASSERT_EQ(
      std::system(("cd " + std::string(FRONTDOOR_SOURCE_DIR) + " && (" + FRONTDOOR_BINARY + " sweep exec -q -j 1 " +
                   resumed.string() + " & pid=$!; while [ $(ls " + (resumed / "runs").string() +
                   " | wc -l) -lt 4 ]; do sleep 0.02; done; kill -9 $pid; wait) >/dev/null 2>&1")
                      .c_str()),
      0);
  const std::size_t done = std::distance(fs::directory_iterator(resumed / "runs"), fs::directory_iterator());
  EXPECT_GE(done, 4u);
  EXPECT_LT(done, 12u);
  const Outcome resume = frontdoor_cli("sweep exec -j 2 " + resumed.string(), dir);
  ASSERT_EQ(resume.code, 0) << resume.err;
  EXPECT_NE(resume.err.find("already done"), std::string::npos) << resume.err;
  for (const auto& d : {whole, sharded, resumed})
    ASSERT_EQ(frontdoor_cli("sweep merge -q " + d.string(), dir).code, 0) << d;
  const std::string results = read_file(whole / "results.csv");
  EXPECT_GT(results.size(), 10000u);
  EXPECT_EQ(results, read_file(sharded / "results.csv"));
  EXPECT_EQ(results, read_file(resumed / "results.csv"));
  EXPECT_EQ(read_file(whole / "points.csv"), read_file(resumed / "points.csv"));
  // Sensitivity on the grid: standardised regression coefficients of the front door's wait on both factors.
  const Outcome analysed =
      frontdoor_cli("sweep analyse " + whole.string() + " --outputs front_door_wait_days_mean", dir);
  EXPECT_EQ(analysed.code, 0) << analysed.err;
  EXPECT_NE(analysed.out.find("standardised regression coefficients"), std::string::npos) << analysed.out;
  EXPECT_NE(analysed.out.find("service.front_door.team.fte"), std::string::npos);
  EXPECT_NE(read_file(whole / "sensitivity.csv").find("front_door_wait_days_mean,sources.other.contacts_per_day,src,"),
            std::string::npos);
  // A misspelt output: the valid names are listed and the earlier analysis is kept.
  const std::string sensitivity = read_file(whole / "sensitivity.csv");
  const Outcome typo = frontdoor_cli("sweep analyse " + whole.string() + " --outputs referals", dir);
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("referals is not a measure"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("\n  front_door_wait_days_mean"), std::string::npos) << typo.err;
  EXPECT_EQ(typo.out.find("Written to"), std::string::npos) << typo.out;
  EXPECT_EQ(read_file(whole / "sensitivity.csv"), sensitivity);
  // Every run failing (an engine option SimGrid rejects): each failure is recorded, and the merge lists them.
  const fs::path broken = dir.path() / "broken";
  ASSERT_EQ(frontdoor_cli("sweep plan" + plan_args + broken.string(), dir).code, 0);
  EXPECT_EQ(frontdoor_cli("sweep exec -q -j 2 " + broken.string() + " --cfg=no/such:option", dir).code, 1);
  EXPECT_TRUE(fs::exists(broken / "runs" / "0.failed.json"));
  EXPECT_TRUE(fs::exists(broken / "runs" / "11.failed.json"));
  const Outcome failed = frontdoor_cli("sweep merge " + broken.string(), dir);
  EXPECT_EQ(failed.code, 1);
  EXPECT_NE(failed.err.find("failed (12)"), std::string::npos) << failed.err;
  EXPECT_EQ(frontdoor_cli("sweep merge -q --allow-partial " + broken.string(), dir).code, 0);
  // Bad input: a key the scenario does not have, a malformed range, a bad shard.
  EXPECT_EQ(
      frontdoor_cli("sweep plan scenarios/validation/mmc_front_door.toml --vary service.nowhere.team.fte=1:2:2 --out " +
                        (dir.path() / "bad").string(),
                    dir)
          .code,
      2);
  EXPECT_FALSE(fs::exists(dir.path() / "bad"));
  EXPECT_EQ(frontdoor_cli("sweep plan scenarios/validation/mmc_front_door.toml --vary fte=2:1:2 --out x", dir).code, 2);
  EXPECT_EQ(frontdoor_cli("sweep exec --shard 2/2 " + whole.string(), dir).code, 2);
}
