#pragma once
// `frontdoor replicate`, not for people: one replication in a process of its own, as sim/executor.hpp's
// SpawnExecutor starts it (trainer mode's server, which has threads and must not fork).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace frontdoor {

/// Set in a replication's environment to the server's process id (see command_replicate).
inline constexpr const char* parent_pid_variable = "FRONTDOOR_PARENT_PID";

struct ReplicateOptions {
  std::string scenario;
  std::string out;  ///< the replication's result as JSON, written atomically
  std::uint64_t seed = 1;
  int replication = 0;
  std::optional<std::uint64_t> replication_seed;  ///< the replication's own seed, instead of one derived from `seed`
  std::vector<std::string> sets;                  ///< overrides, KEY=VALUE
  std::optional<int> run_id;                      ///< a sweep's row, recorded in the result
  bool keep_monthly = true;
  std::vector<std::string> engine_args;
};

/// One replication, in this process (the child of sim/executor.hpp's SpawnExecutor): seed replication_seed(seed,
/// replication), as replication `replication` of `frontdoor run --seed seed`, unless `replication_seed` is given. It
/// dies with its parent (SIGKILL when the parent dies), and when the environment's FRONTDOOR_PARENT_PID (set by the
/// server) is not its parent's, the server has already gone: it returns 3 at once. Returns 0, 2 (bad scenario) or 3
/// (the simulation failed, or the server has gone).
int command_replicate(const ReplicateOptions& options);

}  // namespace frontdoor
