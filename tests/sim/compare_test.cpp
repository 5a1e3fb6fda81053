// Paired comparison with common random numbers: a lever scenario run on the same seeds as the baseline differs
// from it with far less variance than when the two are run on independent seeds.
#include "analysis/compare.hpp"

#include <gtest/gtest.h>

#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::source_path;

namespace {

AnnualTable table_of(const Scenario& scenario, std::uint64_t seed, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  write_file_atomically(dir / "annual.csv", annual_csv(test_support::run(scenario, 12, seed)));
  return read_annual_table(dir);
}

const DifferenceRow& over_years(const Comparison& c, const std::string& measure) {
  for (const auto& row : c.rows) {
    if (row.year == 0 && row.measure == measure) return row;
  }
  throw std::runtime_error("no row for " + measure);
}

}  // namespace

TEST(Compare, CommonRandomNumbersLowerTheVarianceOfThePairedDifference) {
  const std::vector<Override> short_run{{"simulation.years", "3"}, {"simulation.warmup_days", "0"}};
  const Scenario base = load_scenario(source_path("scenarios/england_baseline.toml"), short_run);
  const Scenario strict = load_scenario(source_path("scenarios/policies/raise_threshold.toml"), short_run);
  test_support::TempDir dir;
  const AnnualTable b = table_of(base, 1, dir.path() / "base");
  const AnnualTable same_seeds = table_of(strict, 1, dir.path() / "crn");
  const AnnualTable other_seeds = table_of(strict, 9001, dir.path() / "independent");
  const Comparison crn = compare_tables("crn", b, same_seeds, 1);
  const Comparison independent = compare_tables("independent", b, other_seeds, 1);
  // Referrals are left out of the variance check since waiting children stay visible: a child that waits for
  // early help in one scenario and not in the other reads its agencies' contacts with its own decision stream, so
  // the two runs' later decisions about it part; the difference itself is still clear (below).
  for (const char* measure : {"contacts", "harm_events"}) {
    const DifferenceRow& paired = over_years(crn, measure);
    const DifferenceRow& apart = over_years(independent, measure);
    EXPECT_EQ(paired.pairs, 12u);
    // Both estimate the same mean difference; the paired one with clearly less variance, against the variance of
    // differences actually run on other seeds and against var(base) + var(alt).
    EXPECT_LT(paired.var_paired, 0.6 * apart.var_paired) << measure;
    EXPECT_LT(paired.var_paired, 0.6 * paired.var_independent) << measure;
  }
  EXPECT_LT(over_years(crn, "referrals").diff_high, 0.0);  // a stricter front door: fewer referrals, clearly
  EXPECT_GT(median_variance_reduction(crn), 0.0);
}

TEST(Compare, AScenarioAgainstItselfDiffersByExactlyZero) {
  const Scenario base = load_scenario(source_path("scenarios/england_baseline.toml"),
                                      {{"simulation.years", "2"}, {"simulation.warmup_days", "0"}});
  test_support::TempDir dir;
  std::filesystem::create_directories(dir.path() / "a");
  std::filesystem::create_directories(dir.path() / "b");
  write_file_atomically(dir.path() / "a" / "annual.csv", annual_csv(test_support::run(base, 3, 5)));
  write_file_atomically(dir.path() / "b" / "annual.csv", annual_csv(test_support::run(base, 3, 5)));
  const Comparison c =
      compare_tables("same", read_annual_table(dir.path() / "a"), read_annual_table(dir.path() / "b"), 1);
  ASSERT_FALSE(c.rows.empty());
  for (const auto& row : c.rows) {
    if (std::isnan(row.base_mean)) continue;  // a share with nothing to share (no plans ended in year 1, say)
    EXPECT_EQ(row.diff_mean, 0.0) << row.measure << " year " << row.year;
    EXPECT_EQ(row.var_paired, 0.0) << row.measure;
  }
  EXPECT_TRUE(c.only_in_base.empty());
  EXPECT_TRUE(c.only_in_alt.empty());
}
