#pragma once
// The mechanics of child processes forked from a parent that never makes an sg4::Engine (SimGrid allows one
// engine per process): up to `jobs` at once, dying with the parent, errors handed back through a pipe. ForkExecutor
// (sim/executor.hpp) runs replications on them; run_replications is the short way in for a scenario made in memory.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// One or more replications failed; what() lists each failure.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::uint64_t base_seed = 1;
  int replications = 1;                  ///< >= 1
  int jobs = 1;                          ///< children at once, >= 1
  std::vector<std::string> engine_args;  ///< --cfg=/--log= passed through to each engine
  /// Called in the parent after each replication ends: (finished, total).
  std::function<void(int, int)> on_progress;
};

/// Seeds of the replications: replication_seed(base_seed, r) for r = 0 .. replications - 1.
std::vector<std::uint64_t> replication_seeds(std::uint64_t base_seed, int replications);

/// Runs `count` tasks, each in a child process forked from this one, at most `jobs` at once. `child(i)` runs in
/// the child and returns its exit code; an exception gives exit code 3, and its what() comes back to the parent
/// as `message`. `ended(i, wait_status, wall_seconds, message)` runs in this process as each ends. Children never
/// return into the caller, and die with it (even by SIGKILL). When a stop signal comes (see sim/stop.hpp), the
/// running children are stopped and waited for, and Stopped is thrown.
void run_in_processes(int count, int jobs, const std::function<int(int)>& child,
                      const std::function<void(int, int, double, const std::string&)>& ended);
/// "exit code 3" or "killed by signal 9 (Killed)", from a wait status.
std::string describe_exit(int status);

/// Runs every replication of a scenario made in memory (a test's) on a ForkExecutor, as execute() does
/// (sim/run_plan.hpp); `scratch` must exist and be writable. Results come back in replication order. Throws
/// RunError if any replication fails (after all have ended).
std::vector<ReplicationResult> run_replications(const Scenario& scenario, const RunOptions& options,
                                                const std::filesystem::path& scratch);

}  // namespace frontdoor
