// check-calibration's arithmetic on a hand-made run directory, and its file errors.
#include "analysis/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/run_reader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::TempDir;
using frontdoor::test_support::write_file;

namespace {
const char* const targets_csv =
    "measure,unit,value,low,high,source\n"
    "referrals,per_10k_per_year,520,480,560,DfE\n"
    "icpc,per_10k_per_year,62,54,70,DfE, with a comma\n"
    "harm,count,1,0,2,not reported by the run\n";
}  // namespace

TEST(Calibration, FirstYearAfterWarmup) {
  EXPECT_EQ(first_year_after_warmup(0), 1);
  EXPECT_EQ(first_year_after_warmup(365), 2);
  EXPECT_EQ(first_year_after_warmup(1095), 4);
  EXPECT_EQ(first_year_after_warmup(1095.75), 4);
  EXPECT_EQ(first_year_after_warmup(1096), 5);  // year 4 starts at day 1095.75: a day of it is warm-up
  EXPECT_EQ(first_year_after_warmup(1100), 5);
}

TEST(Calibration, ReadsTargetsAndComparesMeansOverYearsAndReplications) {
  TempDir dir;
  write_file(dir.path() / "targets.csv", targets_csv);
  const auto targets = read_targets(dir.path() / "targets.csv");
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[1].source, "DfE, with a comma");
  // Two replications; year 1 is a warm-up. Replication means of referrals over years 2-3: 500 and 520.
  write_file(dir.path() / "annual.csv",
             "replication,seed,year,measure,unit,value\n"
             "1,7,1,referrals,per_10k_per_year,100\n1,7,2,referrals,per_10k_per_year,490\n"
             "1,7,3,referrals,per_10k_per_year,510\n2,8,2,referrals,per_10k_per_year,520\n"
             "2,8,3,referrals,per_10k_per_year,520\n1,7,2,icpc,per_10k_per_year,80\n2,8,2,icpc,per_10k_per_year,90\n"
             "1,7,2,referrals,count,5000\n");
  const auto rows = compare_with_targets(dir.path(), targets, 2);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].simulated);
  EXPECT_DOUBLE_EQ(rows[0].mean, 510.0);
  EXPECT_EQ(rows[0].replications, 2u);
  EXPECT_NEAR(rows[0].ci95_high - rows[0].mean, 12.706 * 10.0, 0.01);  // t(0.975, 1) x standard error 10
  EXPECT_TRUE(rows[0].inside);
  EXPECT_DOUBLE_EQ(rows[1].mean, 85.0);
  EXPECT_FALSE(rows[1].inside);  // above the band
  EXPECT_FALSE(rows[2].simulated);
  EXPECT_FALSE(rows[2].inside);  // a target the run does not report is not met
  // With the warm-up year included, referrals fall.
  EXPECT_LT(compare_with_targets(dir.path(), targets, 1)[0].mean, 510.0);
}

TEST(Calibration, FileErrorsNameTheLine) {
  TempDir dir;
  write_file(dir.path() / "targets.csv", "measure,unit,value,low,high,source\nreferrals,per_10k,abc,1,2,x\n");
  try {
    read_targets(dir.path() / "targets.csv");
    FAIL();
  } catch (const RunReadError& e) {
    EXPECT_NE(std::string(e.what()).find("targets.csv:2: \"abc\" is not a number"), std::string::npos) << e.what();
  }
  EXPECT_THROW(compare_with_targets(dir.path(), {}, 1), RunReadError);  // no annual.csv
}
