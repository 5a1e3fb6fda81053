// A run's files, written by the frontdoor_cli library in this process (no engine, no child process): the tables,
// the summary, the manifest and the scenario the run carries, with the copy's hash in the manifest.
#include "cli/run_files.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/hash.hpp"
#include "sim/run_plan.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using test_support::read_file;
using test_support::source_path;
using test_support::TempDir;
namespace fs = std::filesystem;

namespace {

std::vector<ReplicationResult> two_replications() {
  ReplicationResult r;
  r.seed = 11;
  r.monthly = {{"contacts", {10, 12}}};
  r.summary = {{"contacts_per_year", 130.0}};
  r.annual = {{1, "contacts", "count", 130.0}};
  ReplicationResult r2 = r;
  r2.replication = 1;
  r2.seed = 12;
  r2.summary = {{"contacts_per_year", 150.0}};
  return {r, r2};
}

}  // namespace

TEST(RunFiles, ARunWritesItsTablesItsManifestAndTheScenarioItCarries) {
  const CarriedScenario carried =
      carry_scenario(source_path("scenarios/validation/dd1_front_door.toml"), {{"service.front_door.team.fte", "2"}});
  TempDir dir;
  const auto summary = write_run_files(dir.path(), carried.scenario,
                                       RunFacts{7, 2, {}, {"frontdoor", "run"}, carried.toml}, two_replications());
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_DOUBLE_EQ(summary[0].mean, 140.0);
  EXPECT_EQ(read_file(dir.path() / "scenario.toml"), carried.toml);
  const auto manifest = nlohmann::json::parse(read_file(dir.path() / "manifest.json"));
  EXPECT_EQ(manifest.at("scenario").at("copy_hash"), content_hash(carried.toml));
  EXPECT_EQ(manifest.at("scenario").at("copy_hash"), carried.hash);
  EXPECT_EQ(manifest.at("scenario").at("file"), source_path("scenarios/validation/dd1_front_door.toml"));
  EXPECT_EQ(manifest.at("overrides").at(0).at("key"), "service.front_door.team.fte");
  EXPECT_TRUE(manifest.at("files").contains("scenario.toml"));
  EXPECT_EQ(read_file(dir.path() / "annual.csv"),
            "replication,seed,year,measure,unit,value\n1,11,1,contacts,count,130\n2,12,1,contacts,count,130\n");
  EXPECT_EQ(read_file(dir.path() / "summary.csv")
                .rfind("measure,mean,ci95_low,ci95_high,replications\n"
                       "contacts_per_year,140,",
                       0),
            0u);
}

TEST(RunFiles, WithoutACopyThereIsNoScenarioFileAndNoHash) {
  const CarriedScenario carried = carry_scenario(source_path("scenarios/validation/dd1_front_door.toml"), {});
  TempDir dir;
  write_run_files(dir.path(), carried.scenario, RunFacts{7, 1, {}, {}, {}}, two_replications());
  EXPECT_FALSE(fs::exists(dir.path() / "scenario.toml"));
  const auto manifest = nlohmann::json::parse(read_file(dir.path() / "manifest.json"));
  EXPECT_FALSE(manifest.at("scenario").contains("copy_hash"));
  EXPECT_TRUE(fs::exists(dir.path() / "timeseries.csv"));
}
