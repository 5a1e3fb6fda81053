// Output files: atomic writes, the staging directory, refusal to overwrite, CSV shapes.
#include "sim/output_files.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

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

// The output files' numbers: no float noise, no exponent, twelve significant digits.
TEST(OutputFiles, FormatOutputDropsFloatNoiseAndExponents) {
  EXPECT_EQ(format_output(299.0 / 100000.0 * 10000.0), "29.9");  // 29.900000000000002 as a double
  EXPECT_EQ(format_output(8e6), "8000000");
  EXPECT_EQ(format_output(0.1 + 0.2), "0.3");
  EXPECT_EQ(format_output(63626708.93485448), "63626708.9349");
  EXPECT_EQ(format_output(1.49e-7), "0.000000149");
  EXPECT_EQ(format_output(-2.5), "-2.5");
  EXPECT_EQ(format_output(-1e-300 * 1e-300), "0");  // -0
  EXPECT_EQ(format_output(1.0 / 3.0), "0.333333333333");
  EXPECT_EQ(format_output(123456789012345.0), "123456789012345");
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
  EXPECT_EQ(timeseries_csv({r}),
            "replication,seed,month,measure,value\n"
            "1,42,1,contacts,10\n1,42,1,front_door_wait_days_mean,0.5\n1,42,2,contacts,12\n");
}

// The staging directory is the lock on its target: a second writer fails at once, whatever --force says.
TEST(OutputFiles, SecondWriterToOneTargetIsRefused) {
  TempDir dir;
  const fs::path target = dir.path() / "run";
  OutputDirectory first(target, false);
  try {
    OutputDirectory second(target, true);
    FAIL() << "a second writer was let in";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("another frontdoor process is writing results to"), std::string::npos)
        << e.what();
  }
  OutputDirectory elsewhere(dir.path() / "other", false);  // a different target is fine
  write_file_atomically(first.staging() / "x.csv", "x\n");
  first.commit();
  EXPECT_EQ(read_file(target / "x.csv"), "x\n");
}

// Leftovers of dead processes go (staging nobody holds, temporary files of gone processes); a live process's
// staging and temporary files stay, and so does anything frontdoor did not make.
TEST(OutputFiles, LeftoversOfDeadProcessesAreRemovedAndLiveOnesKept) {
  TempDir dir;
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const std::string gone = std::to_string(dead);
  fs::create_directory(dir.path() / ".old.partial");  // this version's, unlocked: its owner died
  write_file(dir.path() / ".old.partial" / ".frontdoor-staging", "");
  fs::create_directory(dir.path() / ".mine.partial");             // a user's own, without the marker
  fs::create_directory(dir.path() / (".older.partial-" + gone));  // an earlier version's, of a dead process
  fs::create_directory(dir.path() / (".older.partial-" + gone + ".old"));
  write_file(dir.path() / ("x.json.tmp-" + gone), "half");
  const std::string alive = std::to_string(getpid());
  write_file(dir.path() / ("y.json.tmp-" + alive), "being written");
  fs::create_directory(dir.path() / (".unlocked.partial-" + alive));  // an earlier version's, still running
  OutputDirectory live(dir.path() / "live", false);                   // locked by this process; cleans beside it
  const auto names = [&] {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir.path())) found.push_back(e.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
  };
  // Beside a run's output, only staging goes: temporary files there may be another program's.
  EXPECT_EQ(names(), (std::vector<std::string>{".live.partial", ".mine.partial", ".unlocked.partial-" + alive,
                                               "x.json.tmp-" + gone, "y.json.tmp-" + alive}));
  // In a directory of frontdoor's own (a sweep's runs/), dead processes' temporary files go too.
  EXPECT_EQ(remove_stale_leftovers(dir.path(), true), 1);
  EXPECT_EQ(names(), (std::vector<std::string>{".live.partial", ".mine.partial", ".unlocked.partial-" + alive,
                                               "y.json.tmp-" + alive}));
}

// Write failures name the path and the system's reason and leave no temporary file.
TEST(OutputFiles, WriteFailuresNameThePathAndLeaveNothing) {
  TempDir dir;
  try {
    write_file_atomically(dir.path() / "missing" / "x.csv", "x");
    FAIL();
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing/x.csv: No such file or directory"), std::string::npos) << e.what();
  }
  // A file size limit stands in for a full disk: the write fails part-way (EFBIG), and nothing remains.
  const pid_t child = fork();
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{1024, 1024};
    setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_file_atomically(dir.path() / "big.csv", std::string(4096, 'x'));
    } catch (const WriteError& e) {
      _exit(std::string(e.what()).find("big.csv: File too large") != std::string::npos ? 0 : 2);
    } catch (...) {
    }
    _exit(1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OutputFiles, JsonTextNeverThrows) {
  nlohmann::json j = {{"description", std::string("caf\xe9")}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);
  EXPECT_EQ(json_text(j), "{\"description\":\"caf\xef\xbf\xbd\"}");
}

// A directory that merely has the staging directory's name is not frontdoor's to remove.
TEST(OutputFiles, AStrangerInTheStagingPlaceIsLeftAloneAndNamed) {
  TempDir dir;
  fs::create_directory(dir.path() / ".run.partial");
  write_file(dir.path() / ".run.partial" / "notes.txt", "mine");
  try {
    OutputDirectory out(dir.path() / "run", false);
    FAIL();
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("is in the way and is not frontdoor's staging"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(read_file(dir.path() / ".run.partial" / "notes.txt"), "mine");
}
