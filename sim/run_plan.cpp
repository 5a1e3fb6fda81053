#include "sim/run_plan.hpp"

#include <sys/wait.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "common/hash.hpp"
#include "models/random.hpp"
#include "models/scenario_loader.hpp"
#include "sim/runner.hpp"

namespace frontdoor {

CarriedScenario carry_scenario(const std::string& path, const std::vector<Override>& overrides) {
  const Scenario source = load_scenario(path, overrides);
  CarriedScenario carried;
  // A file name may hold a line break, which would end the comment.
  std::string file = source.file;
  for (char& c : file) c = std::iscntrl(static_cast<unsigned char>(c)) ? '?' : c;
  const std::string header = "# " + source.name + " as frontdoor ran it, from " + file +
                             ":\n# its base and included files merged in, its overrides applied (see manifest.json).\n"
                             "# `frontdoor run scenario.toml` runs it again.\n";
  // The copy is loaded once, by the flattening that validates it: that scenario is the one that runs.
  carried.toml = flatten_scenario(path, overrides, "", header, &carried.scenario);
  carried.hash = content_hash(carried.toml);
  carried.scenario.file = source.file;
  carried.scenario.file_hash = source.file_hash;
  carried.scenario.includes = source.includes;
  carried.scenario.overrides = source.overrides;
  carried.scenario.parameters = source.parameters;
  return carried;
}

RunPlan run_plan(const CarriedScenario& carried, std::uint64_t base_seed, int replications) {
  return RunPlan{std::make_shared<const Scenario>(carried.scenario), std::make_shared<const std::string>(carried.toml),
                 base_seed, replications};
}

std::vector<ReplicationTask> replication_tasks(const RunPlan& plan, const std::filesystem::path& scratch) {
  std::vector<ReplicationTask> tasks;
  for (int r = 0; r < plan.replications; ++r) {
    ReplicationTask task;
    task.scenario = plan.scenario;
    task.scenario_toml = plan.scenario_toml;
    task.scenario_source = plan.scenario->file;
    task.replication = r;
    task.seed = replication_seed(plan.base_seed, static_cast<std::uint64_t>(r));
    task.out = scratch / ("replication_" + std::to_string(r) + ".json");
    tasks.push_back(std::move(task));
  }
  return tasks;
}

std::vector<ReplicationResult> execute(const RunPlan& plan, Executor& executor, const std::filesystem::path& scratch,
                                       const std::function<void(int, int)>& on_progress, ResultCache* cache) {
  const std::vector<ReplicationTask> all = replication_tasks(plan, scratch);
  std::vector<std::optional<ReplicationResult>> results(all.size());
  std::vector<std::string> keys(all.size());
  std::vector<ReplicationTask> tasks;  // those to run
  std::vector<std::size_t> which;      // their replication numbers
  int finished = 0;
  for (std::size_t r = 0; r < all.size(); ++r) {
    keys[r] = replication_key(all[r]);
    if (cache != nullptr) {
      if (const auto held = cache->find(keys[r]); held && held->ready()) {
        try {
          results[r] = held->future.get();
          ++finished;
          continue;
        } catch (const std::exception&) {  // a failure held by someone else's cache: run it
        }
      }
    }
    tasks.push_back(all[r]);
    which.push_back(r);
  }
  if (finished > 0 && on_progress) on_progress(finished, plan.replications);
  std::vector<double> wall(all.size(), 0.0);
  std::vector<std::string> failures;
  executor.run(tasks, [&](std::size_t i, const TaskEnd& end) {
    const std::size_t r = which[i];
    wall[r] = end.wall_seconds;
    const std::string what = "replication " + std::to_string(r) + " (seed " + std::to_string(all[r].seed) + ")";
    switch (end.kind) {
      case TaskEnd::Kind::finished:
        break;
      case TaskEnd::Kind::failed:
        if (WIFSIGNALED(end.status)) {
          failures.push_back(what + " was " + describe_exit(end.status));
        } else {
          failures.push_back(what + " failed: " + (end.message.empty() ? describe_exit(end.status) : end.message));
        }
        break;
      case TaskEnd::Kind::timed_out:
        failures.push_back(what + " ran past its time limit and was stopped");
        break;
      case TaskEnd::Kind::stopped:
      case TaskEnd::Kind::abandoned:
        failures.push_back(what + " was stopped before it finished");
        break;
    }
    ++finished;
    if (on_progress) on_progress(finished, plan.replications);
  });
  if (!failures.empty()) {
    std::string message;
    for (const auto& f : failures) message += (message.empty() ? "" : "\n") + f;
    throw RunError(message);
  }
  for (std::size_t r : which) {
    std::ifstream in(all[r].out, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    results[r] = replication_from_json(nlohmann::json::parse(text.str()));
    results[r]->wall_seconds = wall[r];
    if (cache != nullptr) cache->insert(keys[r], *results[r]);
  }
  std::vector<ReplicationResult> ordered;
  for (auto& result : results) ordered.push_back(std::move(*result));
  return ordered;
}

}  // namespace frontdoor
