#pragma once
// Writing run outputs without ever losing or half-writing anything: each file is written to a temporary name
// and renamed; a whole run is assembled in a staging directory beside the target and moved into place at the
// end, so a crash leaves either the old directory or the new one, never a mixture.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/number_format.hpp"
#include "models/scenario.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// The output location cannot be used (exists and is not empty without --force, unwritable, not a directory, or
/// another frontdoor process is writing there): bad input, exit code 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writing failed part-way (a full disk, an I/O error): what() names the path and the system's reason. Nothing
/// half-written is left behind. Exit code 1.
class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes `content` to `path` through a temporary file in the same directory (`NAME.tmp-PID`) and a rename, so
/// that `path` is either its old self or wholly new. Throws WriteError naming the path and the cause; the
/// temporary file is removed whatever happens.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// `json.dump(indent)` that cannot throw: text that is not valid UTF-8 is written with U+FFFD in place of the
/// bad bytes (inputs are checked for UTF-8 up front; this is the last line of defence once the work is done).
template <class Json>
std::string json_text(const Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

/// A run's output directory, assembled in a staging directory and committed at the end.
///
/// The staging directory, `.NAME.partial` beside the target, is also the lock on the target: its owner holds an
/// flock on it from start to commit, so a second process writing to the same target fails at once (OutputError)
/// instead of silently replacing the first one's results. A staging directory nobody holds a lock on is left over
/// from a process that died (kill -9, power cut) and is removed by the next run to the same parent directory.
class OutputDirectory {
 public:
  /// Checks that `target` can be written (and is absent or empty unless `force`), removes stale staging left by
  /// dead processes, and creates and locks the staging directory. Throws OutputError; nothing is created when it
  /// throws.
  OutputDirectory(std::filesystem::path target, bool force);
  /// Removes the staging directory if commit() was never called.
  ~OutputDirectory();
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  /// Where files go until commit().
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }
  /// Moves the staging directory into place (replacing an existing target when forced). Without force, a target
  /// that another program filled in the meantime is never replaced: OutputError.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool force_;
  bool committed_ = false;
  int lock_fd_ = -1;  ///< the open staging directory, flocked while this object lives
};

/// Removes the leftovers of dead frontdoor processes in `dir`: staging directories (`.NAME.partial` holding
/// frontdoor's marker file, `.NAME.partial-PID`, and their `.old` twins) that no live process holds a lock on, and,
/// with `temporary_files` (only in a directory of frontdoor's own, such as a sweep's runs/), temporary files
/// (`NAME.tmp-PID`) whose process is gone. Returns how many it removed.
int remove_stale_leftovers(const std::filesystem::path& dir, bool temporary_files);

/// timeseries.csv: replication,seed,month,measure,value (undefined months are left out).
std::string timeseries_csv(const std::vector<ReplicationResult>& results);
/// annual.csv: replication,seed,year,measure,unit,value (the scenario's [reporting] measures).
std::string annual_csv(const std::vector<ReplicationResult>& results);

/// Facts about the run that manifest.json records besides the scenario itself.
struct RunFacts {
  std::uint64_t base_seed = 0;
  int jobs = 1;
  std::vector<std::string> engine_args;
  std::vector<std::string> command_line;
  /// The scenario as it ran, flattened (sim/run_plan.hpp): written as scenario.toml, its hash in the manifest.
  /// Empty: no copy (a test's run, say).
  std::string scenario_toml;
  /// The replication (1-based) whose statutory returns the run wrote in returns/ (`--returns`); 0: none.
  int returns_replication = 0;
};
std::string manifest_json(const Scenario& scenario, const RunFacts& facts,
                          const std::vector<ReplicationResult>& results);

}  // namespace frontdoor
