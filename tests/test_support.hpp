#pragma once
// Helpers shared by the tests: temporary directories, paths to shipped scenarios, running replications.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "cli/scratch_dir.hpp"
#include "models/scenario_loader.hpp"
#include "sim/runner.hpp"

namespace frontdoor::test_support {

inline std::string source_path(const std::string& relative) {
  return std::string(FRONTDOOR_SOURCE_DIR) + "/" + relative;
}

/// A fresh directory under the system temporary directory, removed with everything in it at the end.
class TempDir : public ScratchDir {
 public:
  TempDir() : ScratchDir("frontdoor-test") {}
};

/// Every shipped scenario file: the .toml files under scenarios/, less the parts others include (demand/,
/// pathways/) and the trainer's levers, which are not scenarios of their own.
inline std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source_path("scenarios"))) {
    const std::string path = entry.path().string();
    if (entry.path().extension() == ".toml" && path.find("/demand/") == std::string::npos &&
        path.find("/pathways/") == std::string::npos && path.find("/trainer/") == std::string::npos) {
      paths.push_back(path);
    }
  }
  return paths;
}

/// The England baseline as shipped, loaded once per test program.
inline const Scenario& england_baseline() {
  static const Scenario scenario = load_scenario(source_path("scenarios/england_baseline.toml"));
  return scenario;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// What the `frontdoor` program did: its exit code (-1 when killed) and what it printed.
struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `frontdoor ARGS` in the source tree through the shell (`environment` goes before the program, such as
/// "VAR=x "), with its output captured in `dir`.
inline Outcome frontdoor_cli(const std::string& args, const TempDir& dir, const std::string& environment = "") {
  const std::filesystem::path out = dir.path() / "stdout.txt";
  const std::filesystem::path err = dir.path() / "stderr.txt";
  const std::string command = "cd " + std::string(FRONTDOOR_SOURCE_DIR) + " && " + environment + FRONTDOOR_BINARY +
                              " " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  Outcome o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = read_file(out);
  o.err = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return o;
}

/// Runs `replications` replications of `scenario` in child processes (two at a time).
inline std::vector<ReplicationResult> run(const Scenario& scenario, int replications, std::uint64_t seed = 1) {
  TempDir scratch;
  RunOptions options;
  options.base_seed = seed;
  options.replications = replications;
  options.jobs = 2;
  return run_replications(scenario, options, scratch.path());
}

inline double summary_value(const ReplicationResult& r, const std::string& measure) {
  for (const auto& s : r.summary) {
    if (s.measure == measure) return s.value;
  }
  throw std::runtime_error("no summary measure " + measure);
}

/// Mean of a yearly measure (annual.csv) over years `from` to `to` and over the replications; NaN if absent.
inline double annual_mean(const std::vector<ReplicationResult>& results, const std::string& measure, int from, int to) {
  double sum = 0.0;
  int n = 0;
  for (const auto& r : results) {
    for (const auto& a : r.annual) {
      if (a.measure == measure && a.year >= from && a.year <= to) {
        sum += a.value;
        ++n;
      }
    }
  }
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace frontdoor::test_support
