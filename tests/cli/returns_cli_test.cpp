// `frontdoor run --returns` and `compare --returns`: a bad replication number is refused before anything is
// written, the files land in the run directory with the manifest listing them, the same run gives the same bytes,
// and (slow) a year's counts in the returns are the run's own annual.csv.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "test_support.hpp"

namespace frontdoor {
namespace {

namespace fs = std::filesystem;
using test_support::frontdoor_cli;
using test_support::read_file;
using test_support::TempDir;

const std::string short_run = "--set simulation.years=2 --set simulation.warmup_days=365 -q";

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  // The files compared here hold no quoted fields (SSDA903 episodes, the CIN census, annual.csv).
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::string field;
    std::istringstream fields(line);
    while (std::getline(fields, field, ',')) row.push_back(field);
    if (!line.empty() && line.back() == ',') row.emplace_back();
    rows.push_back(row);
  }
  return rows;
}

std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), dir).string()] = read_file(entry.path());
  }
  return files;
}

TEST(ReturnsCli, AReplicationOutsideTheRunIsRefusedNamingTheFlagAndNothingIsWritten) {
  TempDir dir;
  for (const std::string value : {"--returns=3", "--returns=0", "--returns=x", "--returns=1.5"}) {
    const auto o =
        frontdoor_cli("run --out " + (dir.path() / "run").string() + " -r 2 " + value + " " + short_run, dir);
    EXPECT_EQ(o.code, 2) << value;
    EXPECT_NE(o.err.find("--returns"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("from 1 to 2"), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(dir.path() / "run")) << value;
  }
  const auto o = frontdoor_cli("compare scenarios/england_baseline.toml scenarios/england_baseline.toml --out " +
                                   (dir.path() / "cmp").string() + " -r 2 --returns=5 -y 2 -q",
                               dir);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("--returns 5"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir.path() / "cmp"));
}

TEST(ReturnsCli, RunWritesEveryReturnOfEachYearListsThemAndRepeatsByteForByte) {
  TempDir dir;
  const fs::path a = dir.path() / "a", b = dir.path() / "b";
  ASSERT_EQ(frontdoor_cli("run --out " + a.string() + " --returns " + short_run, dir).code, 0);
  ASSERT_EQ(frontdoor_cli("run --out " + b.string() + " --returns=1 " + short_run, dir).code, 0);
  const auto files = tree(a / "returns");
  EXPECT_EQ(files.size(), 15u);  // one collection year (2025/26): 3 SSDA903 files, the census, 11 Annex A lists
  EXPECT_TRUE(files.count("ssda903/2026/episodes.csv"));
  EXPECT_TRUE(files.count("cin_census/2026/cin_census.csv"));
  EXPECT_TRUE(files.count("annex_a/2026/list_08_children_in_care.csv"));
  EXPECT_EQ(files, tree(b / "returns"));
  EXPECT_NE(read_file(a / "manifest.json").find("\"returns/\""), std::string::npos);
  // Without --returns there are none; an existing run is not overwritten without --force.
  const fs::path c = dir.path() / "c";
  ASSERT_EQ(frontdoor_cli("run --out " + c.string() + " " + short_run, dir).code, 0);
  EXPECT_FALSE(fs::exists(c / "returns"));
  EXPECT_EQ(frontdoor_cli("run --out " + a.string() + " --returns " + short_run, dir).code, 2);
  EXPECT_EQ(tree(a / "returns"), files);
}

// The baseline for five years, one of warm-up: the counts of each collection year are the run's, exactly (the
// conferences aside, below). The records are the replication's own, recorded again in a process of their own.
TEST(ReturnsCli, AYearsCountsInTheReturnsAreTheRunsAnnualTable) {
  TempDir dir;
  const fs::path run = dir.path() / "run";
  const std::string sets = "--set simulation.years=5 --set simulation.warmup_days=365";
  ASSERT_EQ(frontdoor_cli("run --out " + run.string() + " -r 1 --returns -q " + sets, dir).code, 0);
  const Scenario scenario = load_scenario(test_support::source_path("scenarios/england_baseline.toml"),
                                          {{"simulation.years", "5"}, {"simulation.warmup_days", "365"}});
  const double per_10k = scenario.children / 10000.0;
  // annual.csv: rates per 10,000 children (a year, for flows) of the run's years from 1 April 2024.
  std::map<std::pair<int, std::string>, double> annual;
  for (const auto& row : csv_rows(read_file(run / "annual.csv"))) {
    if (row.size() == 6 && row[0] == "1") {
      const std::string unit = row[4];
      if (unit == "per_10k" || unit == "per_10k_per_year")
        annual[{2024 + std::stoi(row[2]), row[3]}] = std::stod(row[5]) * per_10k;
    }
  }
  for (int year = 2026; year <= 2029; ++year) {
    const std::string y = std::to_string(year);
    const std::string from = std::to_string(year - 1) + "-04-01", to = y + "-03-31";
    std::map<std::string, double> counted;
    const auto census = csv_rows(read_file(run / "returns/cin_census" / y / "cin_census.csv"));
    for (std::size_t i = 1; i < census.size(); ++i) {
      const auto& r = census[i];
      const bool in_year = r[1] >= from && r[1] <= to;
      // Step ups from early help (5D) are referrals in the census, not entries to the referral service.
      if (in_year && r[2] == "CINreferralDate" && r[4] != "5D") ++counted["referrals"];
      if (in_year && r[2] == "S47ActualStartDate") ++counted["section47"];
      if (in_year && r[2] == "CPPstartDate") ++counted["cp_plan_starts"];
      if (r[2] == "S47ActualStartDate" && r[8] >= from && r[8] <= to) ++counted["icpc"];
    }
    std::set<std::string> open;
    const auto episodes = csv_rows(read_file(run / "returns/ssda903" / y / "episodes.csv"));
    for (std::size_t i = 1; i < episodes.size(); ++i) {
      const auto& r = episodes[i];
      const std::string decom = r[1].substr(6, 4) + "-" + r[1].substr(3, 2) + "-" + r[1].substr(0, 2);
      if (r[2] == "S" && decom >= from) ++counted["looked_after_starts"];
      if (r[7].empty()) open.insert(r[0]);
    }
    counted["looked_after_at_31_march"] = static_cast<double>(open.size());
    for (const char* m :
         {"referrals", "section47", "cp_plan_starts", "looked_after_starts", "looked_after_at_31_march"}) {
      EXPECT_GT(counted[m], 0.0) << y << " " << m;  // the comparison is not of two zeros
      EXPECT_NEAR(counted[m], annual.at({year, m}), 1e-6 * counted[m] + 1e-9) << y << " " << m;
    }
    // The run counts a conference when it is convened (entries:icpc), the census when it is held (about five days
    // later): they differ by the conferences that straddle 31 March, a handful.
    EXPECT_GT(counted["icpc"], 0.0);
    EXPECT_NEAR(counted["icpc"], annual.at({year, "icpc"}), 10.0 + 0.05 * counted["icpc"]) << y;
  }
}

}  // namespace
}  // namespace frontdoor
