#pragma once
// One way to run replications. A task names one replication: its scenario, its seed and the file its result goes
// to. An executor runs a list of tasks, each in a process of its own (SimGrid allows one engine per process), and
// says how each ended; every executor writes the same result, a ReplicationResult as JSON
// (sim/replication_result.hpp), atomically. ForkExecutor forks from a parent that never made an engine (`run`,
// `compare`, `sweep exec`); SpawnExecutor starts `frontdoor replicate` with posix_spawn, for a process with threads,
// which must not fork (`serve`).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace frontdoor {

/// One replication to run.
struct ReplicationTask {
  /// The scenario, loaded by the caller (ForkExecutor uses it as it is, with no overrides)...
  std::shared_ptr<const Scenario> scenario;
  /// ...or its text, loaded with `overrides` in the replication's own process, so that a sweep's row that does
  /// not load fails alone. SpawnExecutor needs the text.
  std::shared_ptr<const std::string> scenario_toml;
  std::vector<Override> overrides;
  std::string scenario_source;  ///< the text's name in messages (a sweep's DIR/scenario.toml)
  int replication = 0;          ///< 0-based
  std::uint64_t seed = 0;       ///< the replication's own seed (replication_seed(base seed, replication))
  std::optional<int> run_id;    ///< a sweep's row, recorded in the result
  bool keep_monthly = true;     ///< false: the result's monthly series are left out (a sweep reads none)
  std::filesystem::path out;    ///< where the result goes
};

/// How a task ended.
struct TaskEnd {
  enum class Kind {
    finished,   ///< the result is in the task's `out`
    failed,     ///< the replication failed or its process died: `message`, `status`
    timed_out,  ///< it ran past the executor's time limit and was killed
    stopped,    ///< the executor was told to stop, and killed it
    abandoned,  ///< nobody wanted its result any more, and it was killed or never started
  };
  Kind kind = Kind::finished;
  int status = 0;       ///< the process's wait status (failed)
  std::string message;  ///< what the replication said when it failed (its exception, or its stderr)
  double wall_seconds = 0.0;

  bool ok() const { return kind == Kind::finished; }
};

class Executor {
 public:
  virtual ~Executor() = default;
  /// Runs every task; `ended(i, end)` is called in the calling thread as task i ends, in whatever order they
  /// end. A task's result file is complete whenever `end.ok()`, and absent otherwise.
  virtual void run(const std::vector<ReplicationTask>& tasks,
                   const std::function<void(std::size_t, const TaskEnd&)>& ended) = 0;
};

/// Forks one child per task, at most `jobs` at once (sim/runner.hpp: run_in_processes): the children die with the
/// parent, and a stop signal (sim/stop.hpp) stops them and throws Stopped out of run().
class ForkExecutor : public Executor {
 public:
  ForkExecutor(int jobs, std::vector<std::string> engine_args) : jobs_(jobs), engine_args_(std::move(engine_args)) {}
  void run(const std::vector<ReplicationTask>& tasks,
           const std::function<void(std::size_t, const TaskEnd&)>& ended) override;

 private:
  int jobs_;
  std::vector<std::string> engine_args_;
};

/// Starts `PROGRAM replicate SCENARIO --replication-seed S ... --out FILE` for each task, at most `jobs` at once,
/// with posix_spawn: safe in a process with threads. Each task's scenario text goes to a file of its own in
/// `workdir`, removed when the task ends, as is its stderr. The replication gets none of this process's
/// descriptors beyond stdin, its signals unblocked and SIGPIPE at its default, and `environment` as its
/// environment. A replication that runs longer than `timeout`, or for which `stopping()` or `abandoned(i)` become
/// true, is killed (checked every 10 ms); tasks not yet started when they are true never start.
class SpawnExecutor : public Executor {
 public:
  struct Options {
    std::string program;            ///< the frontdoor binary
    std::filesystem::path workdir;  ///< scenario files, results and stderr of the replications
    int jobs = 1;
    std::vector<std::string> engine_args;  ///< --cfg=/--log=, passed to each replication
    std::vector<std::string> environment;  ///< NAME=VALUE, the replications' whole environment
    std::chrono::seconds timeout{300};
    std::function<bool()> stopping;              ///< may be empty
    std::function<bool(std::size_t)> abandoned;  ///< may be empty
  };
  explicit SpawnExecutor(Options options) : options_(std::move(options)) {}
  void run(const std::vector<ReplicationTask>& tasks,
           const std::function<void(std::size_t, const TaskEnd&)>& ended) override;

 private:
  Options options_;
};

/// Runs one task in this process (what a forked child, and `frontdoor replicate`, do): loads its scenario if it
/// has only the text, simulates, and writes the result to task.out atomically. Throws what the loading or the
/// simulation throws.
void run_task_here(const ReplicationTask& task, const std::vector<std::string>& engine_args);

}  // namespace frontdoor
