// The program under abuse: bytes that are not UTF-8, seeds that would wrap, runs stopped by Ctrl-C, SIGTERM and
// SIGKILL, two runs writing to one place, and a disk that fills up. Each case must end in a clear message and the
// promised exit code, with nothing half-written, no staging left behind and no process left running.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_support.hpp"

using frontdoor::test_support::frontdoor_cli;
using frontdoor::test_support::Outcome;
using frontdoor::test_support::read_file;
using frontdoor::test_support::TempDir;
namespace fs = std::filesystem;

extern char** environ;

namespace {

const std::string mmc = "scenarios/validation/mmc_front_door.toml";

// Names in `dir` (hidden ones too).
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += n + " ";
  return text;
}

// Processes whose command line mentions `marker` (a run's unique --out path): the run and its replications.
std::vector<pid_t> processes_mentioning(const std::string& marker) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(e.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) != std::string::npos && cmdline.find("frontdoor") != std::string::npos) {
      std::string state = read_file(e.path() / "stat");
      const auto close = state.rfind(')');
      if (close != std::string::npos && state.size() > close + 2 && state[close + 2] == 'Z') continue;  // reaped soon
      found.push_back(std::stoi(name));
    }
  }
  return found;
}

// Starts `frontdoor ARGS...` in the source tree; its output goes to `log`.
pid_t start(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> all{FRONTDOOR_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addchdir_np(&actions, FRONTDOOR_SOURCE_DIR);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed == 0 ? pid : -1;
}

// Waits (up to a minute) until `ready` holds; false if it never does.
template <class Ready>
bool wait_for(Ready ready) {
  for (int i = 0; i < 6000; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A run long enough to be caught in the middle: the England baseline, six replications two at a time.
std::vector<std::string> long_run(const fs::path& out) {
  return {"run", "-q", "-r", "6", "-j", "2", "-y", "5", "--out", out.string()};
}

// Waits until the run's replications are running (the parent and two children).
bool replications_running(const fs::path& out) {
  return wait_for([&] { return processes_mentioning(out.string()).size() >= 3; });
}

}  // namespace

TEST(Hardening, TextThatIsNotUtf8IsRefusedBeforeAnyWork) {
  TempDir dir;
  const std::string out = (dir.path() / "o").string();
  const std::vector<std::string> cases = {
      "run " + mmc + " -y 2 --out " + out + " --set 'description=caf\xe9'",
      "run " + mmc + " -y 2 --out '" + out + "\xe9'",
      "run 'scenarios/validation/mmc\xe9.toml' --out " + out,
      "validate " + mmc + " --set 'description=\xc3\x28'",
      "sweep plan " + mmc + " --vary service.front_door.team.fte=8:10:3 --set 'description=caf\xe9' --out " + out,
      "compare " + mmc + " " + mmc + " --out '" + out + "\xff'",
  };
  for (const auto& args : cases) {
    const Outcome o = frontdoor_cli(args, dir);
    EXPECT_EQ(o.code, 2) << args << "\n" << o.err;
    EXPECT_NE(o.err.find("is not valid UTF-8"), std::string::npos) << args << "\n" << o.err;
    EXPECT_TRUE(entries(dir.path()).empty()) << args << ": " << joined(entries(dir.path()));
  }
  // Well-formed UTF-8 is welcome, and lands in the manifest as it was given.
  const Outcome ok = frontdoor_cli(
      "run " + mmc + " -q -y 1 --set simulation.warmup_days=0 --out " + out + " --set 'description=caf\xc3\xa9'", dir);
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(read_file(fs::path(out) / "manifest.json").find("caf\xc3\xa9"), std::string::npos);
}

TEST(Hardening, SeedsThatWouldWrapAroundAreRefused) {
  TempDir dir;
  const std::string out = " --out " + (dir.path() / "o").string();
  for (const std::string& args :
       {"run " + mmc + " --seed -1" + out, "run " + mmc + " --seed 99999999999999999999999" + out,
        "run " + mmc + " --seed 1.5" + out, "compare " + mmc + " " + mmc + " --seed -2" + out,
        "sweep plan " + mmc + " --vary service.front_door.team.fte=8:10:3 --design-seed -3" + out}) {
    const Outcome o = frontdoor_cli(args, dir);
    EXPECT_EQ(o.code, 2) << args;
    EXPECT_NE(o.err.find("a seed is a whole number from 0 to 18446744073709551615"), std::string::npos)
        << args << o.err;
    EXPECT_TRUE(entries(dir.path()).empty()) << args;
  }
  const Outcome largest = frontdoor_cli("validate " + mmc, dir);
  EXPECT_EQ(largest.code, 0);
}

TEST(Hardening, OverridesThatSmuggleOrReorderAreRefused) {
  TempDir dir;
  // A line break would let the rest be read as more TOML (or be cut off silently).
  const Outcome newline = frontdoor_cli("validate " + mmc + " --set 'description=\"x\"\n[evil]\nk=1'", dir);
  EXPECT_EQ(newline.code, 2);
  EXPECT_NE(newline.err.find("the value holds a line break"), std::string::npos) << newline.err;
  // The early-help line above the referral line, in every command, named on the --set.
  const Outcome crossed =
      frontdoor_cli("validate scenarios/england_baseline.toml --set service.front_door.thresholds.early_help=3.5", dir);
  EXPECT_EQ(crossed.code, 2);
  EXPECT_NE(
      crossed.err.find("--set service.front_door.thresholds.early_help=3.5: service.front_door.thresholds.early_help: "
                       "early_help (3.5) would be above referral (2.7)"),
      std::string::npos)
      << crossed.err;
  const Outcome lowered =
      frontdoor_cli("validate scenarios/england_baseline.toml --set service.front_door.thresholds.referral=2.3", dir);
  EXPECT_EQ(lowered.code, 2);
  EXPECT_NE(lowered.err.find("--set service.front_door.thresholds.referral=2.3"), std::string::npos) << lowered.err;
  // Moving both together is a threshold change, not a reordering.
  EXPECT_EQ(frontdoor_cli("validate scenarios/england_baseline.toml --set service.front_door.thresholds.referral=2.3 "
                          "--set service.front_door.thresholds.early_help=2.1",
                          dir)
                .code,
            0);
}

TEST(Hardening, StopSignalsEndTheRunItsReplicationsAndItsStaging) {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    const fs::path out = dir.path() / "stopped";
    const pid_t run = start(long_run(out), dir.path() / "log.txt");
    ASSERT_GT(run, 0);
    ASSERT_TRUE(replications_running(out)) << read_file(dir.path() / "log.txt");
    ASSERT_TRUE(fs::exists(dir.path() / ".stopped.partial"));
    ::kill(run, signal_number);
    int status = 0;
    ASSERT_EQ(::waitpid(run, &status, 0), run);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal_number);
    EXPECT_NE(read_file(dir.path() / "log.txt").find("stopped by SIG"), std::string::npos)
        << read_file(dir.path() / "log.txt");
    fs::remove(dir.path() / "log.txt");
    EXPECT_TRUE(entries(dir.path()).empty()) << joined(entries(dir.path()));
    EXPECT_TRUE(processes_mentioning(out.string()).empty());
  }
}

TEST(Hardening, KilledRunTakesItsReplicationsWithItAndTheNextRunClearsItsStaging) {
  TempDir dir;
  const fs::path out = dir.path() / "killed";
  const pid_t run = start(long_run(out), dir.path() / "log.txt");
  ASSERT_GT(run, 0);
  ASSERT_TRUE(replications_running(out)) << read_file(dir.path() / "log.txt");
  ::kill(run, SIGKILL);
  ::waitpid(run, nullptr, 0);
  // The replications die with their parent (PR_SET_PDEATHSIG), not minutes later.
  EXPECT_TRUE(wait_for([&] { return processes_mentioning(out.string()).empty(); }));
  EXPECT_TRUE(fs::exists(dir.path() / ".killed.partial"));  // nothing could remove it...
  // ...until the next run beside it, which sees that no live process holds it.
  const Outcome next = frontdoor_cli(
      "run " + mmc + " -q -y 1 --set simulation.warmup_days=0 --out " + (dir.path() / "next").string(), dir);
  ASSERT_EQ(next.code, 0) << next.err;
  fs::remove(dir.path() / "log.txt");
  EXPECT_EQ(joined(entries(dir.path())), "next ");
}

TEST(Hardening, SecondRunToTheSameDirectoryIsRefusedWhileTheFirstWrites) {
  TempDir dir;
  const fs::path out = dir.path() / "shared";
  const pid_t first = start(long_run(out), dir.path() / "log.txt");
  ASSERT_GT(first, 0);
  ASSERT_TRUE(replications_running(out));
  for (const std::string& force : {std::string(), std::string(" --force")}) {
    const Outcome second = frontdoor_cli("run " + mmc + " -q -y 2 --out " + out.string() + force, dir);
    EXPECT_EQ(second.code, 2) << force;
    EXPECT_NE(second.err.find("another frontdoor process is writing results to " + out.string()), std::string::npos)
        << second.err;
  }
  int status = 0;
  ASSERT_EQ(::waitpid(first, &status, 0), first);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(dir.path() / "log.txt");
  EXPECT_TRUE(fs::exists(out / "summary.csv"));
  const std::string manifest = read_file(out / "manifest.json");
  EXPECT_NE(manifest.find("\"england_baseline\""), std::string::npos);  // the first run's results, not the second's
  const Outcome after = frontdoor_cli("run " + mmc + " -q -y 2 --out " + out.string(), dir);
  EXPECT_EQ(after.code, 2);
  EXPECT_NE(after.err.find("--force"), std::string::npos);
}

// A full disk: a small tmpfs, mounted for the test (root only; skipped elsewhere).
class FullDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    disk_ = dir_.path() / "disk";
    fs::create_directory(disk_);
    if (::mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=256k") != 0) {
      GTEST_SKIP() << "cannot mount a small tmpfs here (" << std::strerror(errno) << "): needs root";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(disk_.c_str(), MNT_DETACH);
  }
  // Fills the disk to the last byte.
  void fill() {
    std::ofstream filler(disk_ / "filler", std::ios::binary);
    const std::string block(4096, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
    filler.close();
    std::ofstream last(disk_ / "filler2", std::ios::binary);
    while (last.put('x')) last.flush();
  }
  // The disk holds nothing but `expected` (and the fillers): no temporary files, no staging.
  void expect_only(const std::vector<std::string>& expected) {
    std::vector<std::string> names;
    for (const auto& n : entries(disk_)) {
      if (n != "filler" && n != "filler2") names.push_back(n);
    }
    EXPECT_EQ(names, expected) << joined(names);
  }
  TempDir dir_;
  fs::path disk_;
  bool mounted_ = false;
};

TEST_F(FullDisk, RunSaysNoSpaceNamesThePathAndLeavesNothing) {
  fill();
  const Outcome o = frontdoor_cli("run " + mmc + " -q -y 2 -r 2 -j 2 --out " + (disk_ / "run").string(), dir_);
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_NE(o.err.find("No space left on device"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(disk_.string()), std::string::npos) << o.err;
  expect_only({});
}

TEST_F(FullDisk, SweepExecReportAndGraphSayNoSpaceAndLeaveNoTemporaryFiles) {
  // Made on the disk before it fills: a sweep plan, and a run elsewhere to report on.
  const fs::path sweep = disk_ / "sweep";
  ASSERT_EQ(frontdoor_cli("sweep plan " + mmc +
                              " --vary service.front_door.team.fte=8:10:3 -r 2 --set simulation.years=2 --out " +
                              sweep.string(),
                          dir_)
                .code,
            0);
  const fs::path run = dir_.path() / "run";
  ASSERT_EQ(frontdoor_cli("run " + mmc + " -q -y 1 --set simulation.warmup_days=0 --out " + run.string(), dir_).code,
            0);
  fill();
  const Outcome exec = frontdoor_cli("sweep exec -q -j 2 " + sweep.string(), dir_);
  EXPECT_EQ(exec.code, 1);
  EXPECT_NE(exec.err.find("No space left on device"), std::string::npos) << exec.err;
  EXPECT_TRUE(entries(sweep / "runs").empty()) << joined(entries(sweep / "runs"));
  const Outcome report = frontdoor_cli("report " + run.string() + " --out " + (disk_ / "r.html").string(), dir_);
  EXPECT_EQ(report.code, 1);
  EXPECT_NE(report.err.find("cannot write " + (disk_ / "r.html").string() + ": No space left on device"),
            std::string::npos)
      << report.err;
  const Outcome graph = frontdoor_cli("graph " + mmc + " --out " + (disk_ / "g.dot").string(), dir_);
  EXPECT_EQ(graph.code, 1);
  EXPECT_NE(graph.err.find("No space left on device"), std::string::npos) << graph.err;
  expect_only({"sweep"});
}

TEST(Hardening, StoppedSweepLeavesNoTemporaryFilesAndResumes) {
  TempDir dir;
  const fs::path sweep = dir.path() / "sweep";
  ASSERT_EQ(
      frontdoor_cli("sweep plan scenarios/england_baseline.toml --vary service.front_door.noise_sd=0.2:0.6:3 -r 2 "
                    "--set simulation.years=5 --out " +
                        sweep.string(),
                    dir)
          .code,
      0);
  const pid_t exec = start({"sweep", "exec", "-q", "-j", "2", sweep.string()}, dir.path() / "log.txt");
  ASSERT_GT(exec, 0);
  ASSERT_TRUE(replications_running(sweep)) << read_file(dir.path() / "log.txt");
  ::kill(exec, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(exec, &status, 0), exec);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  EXPECT_TRUE(processes_mentioning(sweep.string()).empty());
  for (const auto& name : entries(sweep / "runs")) {
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
    EXPECT_EQ(name.find(".failed"), std::string::npos) << "a stopped run is not a failed one: " << name;
  }
}

// ".", "..", "/" and the directories above the working directory cannot be moved aside: refused before the run,
// not after it (when the results would be lost).
TEST(Hardening, TheWorkingDirectoryAndItsParentsAreNeverTheOutput) {
  TempDir dir;
  for (const std::string& out :
       {std::string("."), std::string("./"), std::string(".."), std::string("/"), std::string(FRONTDOOR_SOURCE_DIR)}) {
    const Outcome o = frontdoor_cli("run " + mmc + " -q -y 2 --force --out " + out, dir);
    EXPECT_EQ(o.code, 2) << out;
    EXPECT_NE(o.err.find("is the working directory, one that holds it, or the root"), std::string::npos)
        << out << o.err;
  }
}

// Every file a user names, not only scenarios, is read only if it is a regular file: a FIFO or a device named as
// a grid, a targets file or a run's manifest is an error at once, never a hang or an endless read.
TEST(Hardening, OtherInputFilesThatAreNotRegularFilesAreRefusedAtOnce) {
  TempDir dir;
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const fs::path run = dir.path() / "run";
  fs::create_directory(run);
  ASSERT_EQ(mkfifo((run / "manifest.json").c_str(), 0600), 0);
  ASSERT_EQ(frontdoor_cli(
                "run " + mmc + " -q -y 1 --set simulation.warmup_days=0 --out " + (dir.path() / "good").string(), dir)
                .code,
            0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sweep plan " + mmc + " --grid " + fifo.string() + " --out " + (dir.path() / "sweep").string(),
       "cannot read the grid of design points: it is a pipe (FIFO), not a regular file"},
      {"check-calibration " + (dir.path() / "good").string() + " --targets /dev/zero",
       "cannot read the targets file: it is a device"},
      {"report " + run.string() + " --out " + (dir.path() / "r.html").string(),
       "cannot read the run's manifest.json: it is a pipe (FIFO)"},
  };
  for (const auto& [args, expected] : cases) {
    const Outcome o = frontdoor_cli(args, dir, "timeout 20 ");
    EXPECT_EQ(o.code, 2) << args << "\n" << o.err;
    EXPECT_NE(o.err.find(expected), std::string::npos) << args << "\n" << o.err;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "sweep"));
  EXPECT_FALSE(fs::exists(dir.path() / "r.html"));
}
