#include <sys/wait.h>

#include "models/scenario_loader.hpp"
#include "sim/executor.hpp"
#include "sim/output_files.hpp"
#include "sim/pathway_sim.hpp"
#include "sim/replication_result.hpp"
#include "sim/runner.hpp"

namespace frontdoor {

void run_task_here(const ReplicationTask& task, const std::vector<std::string>& engine_args) {
  Scenario loaded;
  const Scenario* scenario = task.scenario.get();
  if (scenario == nullptr) {
    loaded = load_scenario_text(*task.scenario_toml, task.scenario_source, task.overrides);
    scenario = &loaded;
  }
  ReplicationResult result = simulate(*scenario, task.replication, task.seed, engine_args);
  result.run_id = task.run_id;
  if (!task.keep_monthly) result.monthly.clear();
  write_file_atomically(task.out, json_text(to_json(result)) + "\n");
}

void ForkExecutor::run(const std::vector<ReplicationTask>& tasks,
                       const std::function<void(std::size_t, const TaskEnd&)>& ended) {
  run_in_processes(
      static_cast<int>(tasks.size()), jobs_,
      [&](int i) {
        run_task_here(tasks[static_cast<std::size_t>(i)], engine_args_);
        return 0;
      },
      [&](int i, int status, double seconds, const std::string& message) {
        TaskEnd end;
        end.kind = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? TaskEnd::Kind::finished : TaskEnd::Kind::failed;
        end.status = status;
        end.message = message;
        end.wall_seconds = seconds;
        ended(static_cast<std::size_t>(i), end);
      });
}

}  // namespace frontdoor
