// One way to run replications: a run plan carried out by the fork executor and by the spawn executor (`frontdoor
// replicate`) gives the same results; the spawn executor stops what nobody wants or what runs too long; the result
// cache spares a second run of the same replication.
#include "sim/executor.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/result_cache.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using test_support::source_path;
using test_support::TempDir;
namespace fs = std::filesystem;

namespace {

// The results as the files and the cache hold them (wall times, which the parent measures, aside).
std::vector<std::string> dumps(const std::vector<ReplicationResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(to_json(r).dump());
  return out;
}

// Counts the tasks it is given, and runs them by forking.
class CountingExecutor : public Executor {
 public:
  void run(const std::vector<ReplicationTask>& tasks,
           const std::function<void(std::size_t, const TaskEnd&)>& ended) override {
    given += tasks.size();
    ForkExecutor(2, {}).run(tasks, ended);
  }
  std::size_t given = 0;
};

SpawnExecutor::Options spawn_options(const fs::path& workdir) {
  SpawnExecutor::Options options;
  options.program = FRONTDOOR_BINARY;
  options.workdir = workdir;
  options.jobs = 2;
  return options;
}

}  // namespace

TEST(Executor, ForkAndSpawnGiveTheSameResults) {
  const CarriedScenario carried =
      carry_scenario(source_path("scenarios/validation/mmc_front_door.toml"), {{"simulation.years", "2"}});
  const RunPlan plan = run_plan(carried, 7, 3);
  TempDir forked, spawned;
  ForkExecutor fork(2, {});
  SpawnExecutor spawn(spawn_options(spawned.path()));
  const auto by_fork = execute(plan, fork, forked.path());
  const auto by_spawn = execute(plan, spawn, spawned.path());
  ASSERT_EQ(by_fork.size(), 3u);
  EXPECT_EQ(dumps(by_fork), dumps(by_spawn));
  EXPECT_EQ(by_fork[2].replication, 2);
  EXPECT_EQ(by_fork[2].seed, replication_seed(7, 2));
  EXPECT_GT(by_spawn[0].wall_seconds, 0.0);
  // The older way in: a scenario made in memory, run by forking.
  RunOptions options;
  options.base_seed = 7;
  options.replications = 3;
  options.jobs = 2;
  TempDir scratch;
  EXPECT_EQ(dumps(run_replications(carried.scenario, options, scratch.path())), dumps(by_fork));
  // The spawned replications leave nothing behind but their results.
  std::size_t left = 0;
  for (const auto& entry : fs::directory_iterator(spawned.path())) left += entry.path().extension() != ".json";
  EXPECT_EQ(left, 0u);
}

TEST(Executor, SpawnStopsWhatNobodyWantsAndWhatRunsTooLong) {
  // Ten years of the England baseline take seconds: far longer than the first look at a replication just started.
  const CarriedScenario carried = carry_scenario(source_path("scenarios/england_baseline.toml"), {});
  const RunPlan plan = run_plan(carried, 1, 2);
  TempDir dir;
  const auto tasks = replication_tasks(plan, dir.path());
  std::vector<TaskEnd::Kind> kinds(tasks.size());
  SpawnExecutor::Options abandoning = spawn_options(dir.path());
  abandoning.abandoned = [](std::size_t i) { return i == 1; };
  abandoning.timeout = std::chrono::seconds(0);
  SpawnExecutor(abandoning).run(tasks, [&](std::size_t i, const TaskEnd& end) { kinds[i] = end.kind; });
  EXPECT_EQ(kinds[0], TaskEnd::Kind::timed_out);
  EXPECT_EQ(kinds[1], TaskEnd::Kind::abandoned);
  SpawnExecutor::Options stopping = spawn_options(dir.path());
  stopping.stopping = [] { return true; };
  SpawnExecutor(stopping).run(tasks, [&](std::size_t i, const TaskEnd& end) { kinds[i] = end.kind; });
  EXPECT_EQ(kinds[0], TaskEnd::Kind::stopped);
  EXPECT_TRUE(fs::is_empty(dir.path()));  // no result, no scenario file, no stderr left
  // A failure says why: here, no scenario text to hand to the process.
  ReplicationTask without_text = tasks[0];
  without_text.scenario_toml = nullptr;
  SpawnExecutor(spawn_options(dir.path())).run({without_text}, [&](std::size_t, const TaskEnd& end) {
    EXPECT_EQ(end.kind, TaskEnd::Kind::failed);
    EXPECT_NE(end.message.find("needs its scenario's text"), std::string::npos) << end.message;
  });
}

TEST(Executor, TheCacheSparesASecondRunOfTheSameReplication) {
  const CarriedScenario carried =
      carry_scenario(source_path("scenarios/validation/dd1_front_door.toml"), {{"simulation.years", "2"}});
  TempDir first, second;
  ResultCache cache;
  CountingExecutor executor;
  const auto a = execute(run_plan(carried, 3, 2), executor, first.path(), {}, &cache);
  EXPECT_EQ(executor.given, 2u);
  EXPECT_EQ(cache.finished(), 2u);
  const auto b = execute(run_plan(carried, 3, 3), executor, second.path(), {}, &cache);
  EXPECT_EQ(executor.given, 3u);  // only replication 2 was new
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(dumps({a[0], a[1]}), dumps({b[0], b[1]}));
  EXPECT_EQ(b[2].replication, 2);
  // Another seed is another result.
  execute(run_plan(carried, 4, 1), executor, second.path(), {}, &cache);
  EXPECT_EQ(executor.given, 4u);
}

TEST(Executor, TheCacheKeysAndEvicts) {
  ReplicationTask task;
  task.scenario_toml = std::make_shared<const std::string>("name = \"x\"\n");
  task.seed = 5;
  const std::string key = replication_key(task);
  ReplicationTask other = task;
  other.seed = 6;
  EXPECT_NE(replication_key(other), key);
  other = task;
  other.overrides = {{"simulation.years", "2"}};
  EXPECT_NE(replication_key(other), key);
  other = task;
  other.replication = 1;
  EXPECT_NE(replication_key(other), key);
  other = task;
  other.scenario_toml = std::make_shared<const std::string>("name = \"y\"\n");
  EXPECT_NE(replication_key(other), key);
  other = task;
  other.scenario_toml = nullptr;
  EXPECT_EQ(replication_key(other), "");  // a scenario made in memory is never cached

  ResultCache cache(1);
  ReplicationResult result;
  result.seed = 5;
  cache.insert("a", result);
  cache.insert("b", result);
  std::promise<ReplicationResult> to_come;
  ResultCache::Entry pending;
  pending.future = to_come.get_future().share();
  cache.insert("c", pending);
  cache.evict();  // the least recently used finished results go; one still to come stays
  EXPECT_FALSE(cache.find("a"));
  EXPECT_FALSE(cache.find("b"));
  EXPECT_TRUE(cache.find("c"));
  EXPECT_EQ(cache.finished(), 0u);
  cache.insert("", result);
  EXPECT_FALSE(cache.find(""));
  cache.forget("c");
  EXPECT_FALSE(cache.find("c"));
}
