// Output files: atomic writes, the staging directory, refusal to overwrite, CSV shapes.
#include "sim/output_files.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::read_file;
using frontdoor::test_support::TempDir;
using frontdoor::test_support::write_file;
namespace fs = std::filesystem;

TEST(OutputFiles, FormatDoubleRoundTrips) {
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(25000.0), "25000");
  EXPECT_EQ(std::stod(format_double(1.0 / 3.0)), 1.0 / 3.0);
}

TEST(OutputFiles, AtomicWriteReplacesWholeFile) {
  TempDir dir;
  const fs::path file = dir.path() / "a.csv";
  write_file_atomically(file, "first\n");
  write_file_atomically(file, "second\n");
  EXPECT_EQ(read_file(file), "second\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);  // no temporaries left
}

TEST(OutputFiles, NewDirectoryAppearsOnlyOnCommit) {
  TempDir dir;
  const fs::path target = dir.path() / "run";
  {
    OutputDirectory out(target, false);
    write_file_atomically(out.staging() / "x.csv", "x\n");
    EXPECT_FALSE(fs::exists(target));
    out.commit();
  }
  EXPECT_EQ(read_file(target / "x.csv"), "x\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(OutputFiles, AbandonedRunLeavesNothing) {
  TempDir dir;
  {
    OutputDirectory out(dir.path() / "run", false);
    write_file_atomically(out.staging() / "x.csv", "x\n");
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OutputFiles, RefusesToOverwriteWithoutForce) {
  TempDir dir;
  const fs::path target = dir.path() / "run";
  fs::create_directory(target);
  write_file(target / "old.csv", "precious\n");
  EXPECT_THROW(OutputDirectory(target, false), OutputError);
  EXPECT_EQ(read_file(target / "old.csv"), "precious\n");
  {
    OutputDirectory out(target, true);
    write_file_atomically(out.staging() / "new.csv", "new\n");
    out.commit();
  }
  EXPECT_FALSE(fs::exists(target / "old.csv"));
  EXPECT_EQ(read_file(target / "new.csv"), "new\n");
}

TEST(OutputFiles, EmptyExistingDirectoryIsUsable) {
  TempDir dir;
  const fs::path target = dir.path() / "run";
  fs::create_directory(target);
  OutputDirectory out(target, false);
  out.commit();
  EXPECT_TRUE(fs::is_directory(target));
}

TEST(OutputFiles, UnwritableParentIsAnError) {
  EXPECT_THROW(OutputDirectory("/proc/frontdoor-cannot-write-here/run", false), OutputError);
  TempDir dir;
  write_file(dir.path() / "file", "x");
  EXPECT_THROW(OutputDirectory(dir.path() / "file", false), OutputError);  // not a directory
}

TEST(OutputFiles, TidyCsvShapes) {
  ReplicationResult r;
  r.replication = 0;
  r.seed = 42;
  r.monthly = {{"contacts", {10, 12}}, {"front_door_wait_days_mean", {0.5, std::nan("")}}};
  r.summary = {{"contacts_per_year", 130.0}};
  ReplicationResult r2 = r;
  r2.replication = 1;
  r2.summary = {{"contacts_per_year", 150.0}};
  EXPECT_EQ(timeseries_csv({r}),
            "replication,seed,month,measure,value\n"
            "1,42,1,contacts,10\n1,42,1,front_door_wait_days_mean,0.5\n1,42,2,contacts,12\n");
  const auto rows = summarise({r, r2});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].mean, 140.0);
  EXPECT_LT(rows[0].ci95_low, 140.0);
  EXPECT_EQ(summary_csv(summarise({r})), "measure,mean,ci95_low,ci95_high,replications\ncontacts_per_year,130,,,1\n");
}
