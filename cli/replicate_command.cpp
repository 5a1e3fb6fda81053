#include "cli/replicate_command.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "models/random.hpp"
#include "models/scenario_loader.hpp"
#include "sim/executor.hpp"

namespace frontdoor {

int command_replicate(const ReplicateOptions& options) {
  // A replication works for the server that started it and must not outlive it: a server killed with SIGKILL has
  // no time to stop it, so the kernel does (when the server's thread that started it ends, which is when the server
  // dies: that thread waits for it). A server that died before this line is caught by the parent's id.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (const char* parent = std::getenv(parent_pid_variable); parent != nullptr && std::to_string(getppid()) != parent) {
    std::cerr << "the server that started this replication (process " << parent << ") has gone\n";
    return 3;
  }
  ReplicationTask task;
  try {
    std::vector<Override> overrides;
    for (const auto& set : options.sets) overrides.push_back(parse_override(set));
    task.scenario = std::make_shared<const Scenario>(load_scenario(options.scenario, overrides));
  } catch (const ScenarioError& e) {
    std::cerr << "the scenario is not valid: " << e.what() << "\n";
    return 2;
  }
  task.replication = options.replication;
  task.seed = options.replication_seed.value_or(
      replication_seed(options.seed, static_cast<std::uint64_t>(options.replication)));
  task.run_id = options.run_id;
  task.keep_monthly = options.keep_monthly;
  task.out = options.out;
  try {
    run_task_here(task, options.engine_args);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 3;
  }
  return 0;
}

}  // namespace frontdoor
