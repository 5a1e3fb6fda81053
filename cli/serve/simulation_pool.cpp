#include "cli/serve/simulation_pool.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "cli/replicate_command.hpp"
#include "models/random.hpp"
#include "sim/runner.hpp"

extern char** environ;

namespace fs = std::filesystem;
using nlohmann::json;

namespace frontdoor {

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

SimulationPool::SimulationPool(std::string program, fs::path workdir, int jobs, std::size_t cache_size,
                               std::vector<std::string> engine_args, std::chrono::seconds timeout)
    : program_(std::move(program)),
      workdir_(std::move(workdir)),
      engine_args_(std::move(engine_args)),
      timeout_(timeout),
      cache_(cache_size) {
  // Each replication is told which process it works for, so that it can tell whether that server has already
  // gone by the time it starts (see command_replicate).
  const std::string assignment = std::string(parent_pid_variable) + "=";
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind(assignment, 0) != 0) environment_.emplace_back(*e);
  }
  environment_.push_back(assignment + std::to_string(getpid()));
  for (int i = 0; i < jobs; ++i) threads_.emplace_back([this] { work(); });
}

SimulationPool::~SimulationPool() {
  stop();
  for (auto& t : threads_) t.join();
}

void SimulationPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    while (!queue_.empty()) {
      queue_.top().promise->set_exception(std::make_exception_ptr(std::runtime_error("the server is stopping")));
      queue_.pop();
    }
  }
  wake_.notify_all();
}

Lease SimulationPool::get(const std::string& scenario_text, std::uint64_t seed, int replication, int priority) {
  ReplicationTask replication_task;
  replication_task.scenario_toml = std::make_shared<const std::string>(scenario_text);
  replication_task.replication = replication;
  replication_task.seed = replication_seed(seed, static_cast<std::uint64_t>(replication));
  const std::string key = replication_key(replication_task);
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) {  // a request that came in as the server stopped: nothing would run it
    std::promise<ReplicationResult> refused;
    refused.set_exception(std::make_exception_ptr(std::runtime_error("the server is stopping")));
    return Lease(refused.get_future().share(), std::make_shared<std::atomic<int>>(0));
  }
  cache_.evict();
  if (const auto cached = cache_.find(key)) return Lease(cached->future, cached->waiters);
  Task task{priority,
            next_sequence_++,
            key,
            std::move(replication_task),
            std::make_shared<std::promise<ReplicationResult>>(),
            std::make_shared<std::atomic<int>>(0)};
  ResultCache::Entry entry;
  entry.future = task.promise->get_future().share();
  entry.waiters = task.waiters;
  cache_.insert(key, entry);
  queue_.push(std::move(task));
  wake_.notify_one();
  return Lease(entry.future, entry.waiters);
}

nlohmann::json SimulationPool::status() {
  std::lock_guard<std::mutex> lock(mutex_);
  return {{"queued", queue_.size()}, {"running", running_}, {"kept", cache_.finished()}};
}

void SimulationPool::work() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = queue_.top();
      queue_.pop();
      if (*task.waiters == 0) {  // nobody waits for it any more: not started, not kept
        cache_.forget(task.key);
        task.promise->set_exception(std::make_exception_ptr(std::runtime_error("cancelled")));
        continue;
      }
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++running_;
    }
    try {
      ReplicationResult result = run(task);
      std::lock_guard<std::mutex> lock(mutex_);
      --running_;
      task.promise->set_value(std::move(result));
      cache_.evict();  // the cache's limit holds between requests too
    } catch (const std::exception& e) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
        cache_.forget(task.key);  // a failure is not kept: asking again tries again
      }
      task.promise->set_exception(std::make_exception_ptr(std::runtime_error(e.what())));
    }
  }
}

// One replication as a `frontdoor replicate` process; killed if the server stops, nobody waits for it any more,
// or it runs past the time limit.
ReplicationResult SimulationPool::run(const Task& task) {
  ReplicationTask replication = task.replication;
  replication.out = workdir_ / ("replication-" + std::to_string(task.sequence) + ".json");
  SpawnExecutor::Options options;
  options.program = program_;
  options.workdir = workdir_;
  options.engine_args = engine_args_;
  options.environment = environment_;
  options.timeout = timeout_;
  options.stopping = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  };
  // Every page that asked for it has gone: free the core for the next run.
  options.abandoned = [&task](std::size_t) { return *task.waiters == 0; };
  SpawnExecutor executor(std::move(options));
  TaskEnd end;
  executor.run({replication}, [&](std::size_t, const TaskEnd& e) { end = e; });
  switch (end.kind) {
    case TaskEnd::Kind::finished:
      break;
    case TaskEnd::Kind::stopped:
      throw std::runtime_error("the server is stopping");
    case TaskEnd::Kind::abandoned:
      throw std::runtime_error("cancelled: no page waits for it any more");
    case TaskEnd::Kind::timed_out:
      throw std::runtime_error("replication " + std::to_string(task.replication.replication + 1) +
                               " ran for more than " + std::to_string(timeout_.count()) + " seconds and was stopped");
    case TaskEnd::Kind::failed: {
      if (end.status == 0) throw std::runtime_error(end.message);  // it never started
      // The first lines say what went wrong (SimGrid, say, goes on to list every setting it knows).
      std::string why = end.message;
      std::size_t cut = 0;
      for (int line = 0; line < 3 && cut != std::string::npos; ++line) cut = why.find('\n', cut == 0 ? 0 : cut + 1);
      if (cut != std::string::npos) why = why.substr(0, cut) + " ...";
      if (why.size() > 600) why = why.substr(0, 600) + " ...";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      throw std::runtime_error("replication " + std::to_string(task.replication.replication + 1) + " failed (" +
                               describe_exit(end.status) + ")" + (why.empty() ? "" : ": " + why));
    }
  }
  ReplicationResult result = replication_from_json(json::parse(read_text(replication.out)));
  fs::remove(replication.out);
  return result;
}

}  // namespace frontdoor
