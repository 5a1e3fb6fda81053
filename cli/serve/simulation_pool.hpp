#pragma once
// Trainer mode's replications: a pool of threads, each running one replication at a time through sim's
// SpawnExecutor (`frontdoor replicate`, never a fork: the server has threads), with priorities, and results kept
// in sim's ResultCache between requests.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <queue>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "sim/executor.hpp"
#include "sim/replication_result.hpp"
#include "sim/result_cache.hpp"

namespace frontdoor {

/// A claim on one replication's result. While any claim on a replication is held it stays queued or running; when
/// the last is dropped (the page went away) before it has finished, it is not started, or is stopped.
class Lease {
 public:
  Lease(std::shared_future<ReplicationResult> future, std::shared_ptr<std::atomic<int>> waiters)
      : future_(std::move(future)), waiters_(std::move(waiters)) {
    ++*waiters_;
  }
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (waiters_) --*waiters_;
  }
  bool ready() const { return future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
  const ReplicationResult& get() const { return future_.get(); }  // throws the replication's failure

 private:
  std::shared_future<ReplicationResult> future_;
  std::shared_ptr<std::atomic<int>> waiters_;
};

/// Replications run as `frontdoor replicate` processes, at most `jobs` at once, lowest priority first (then in
/// order of request). Results are kept by (scenario text, seed, replication): the same settings asked for again,
/// by this run or a later one, are not simulated twice. A replication that runs longer than `timeout` is killed.
/// Each replication's scenario file, result and stderr in the working folder live as long as it runs
/// (sim/executor.hpp: SpawnExecutor).
class SimulationPool {
 public:
  SimulationPool(std::string program, std::filesystem::path workdir, int jobs, std::size_t cache_size,
                 std::vector<std::string> engine_args, std::chrono::seconds timeout);
  ~SimulationPool();

  /// Fails every queued replication and kills those running (each within 10 ms), so that a stopping server's
  /// pages get their answer at once instead of after the runs.
  void stop();

  Lease get(const std::string& scenario_text, std::uint64_t seed, int replication, int priority);

  /// Replications waiting, running, and finished results kept.
  nlohmann::json status();

 private:
  struct Task {
    int priority;
    std::uint64_t sequence;
    std::string key;
    ReplicationTask replication;  ///< without its output file yet
    std::shared_ptr<std::promise<ReplicationResult>> promise;
    std::shared_ptr<std::atomic<int>> waiters;
    bool operator<(const Task& o) const {  // std::priority_queue puts the greatest first
      return std::tie(priority, sequence) > std::tie(o.priority, o.sequence);
    }
  };

  void work();

  // One replication as a `frontdoor replicate` process; killed if the server stops, nobody waits for it any more,
  // or it runs past the time limit.
  ReplicationResult run(const Task& task);

  std::string program_;
  std::filesystem::path workdir_;
  std::vector<std::string> engine_args_;
  std::vector<std::string> environment_;  ///< this process's, with FRONTDOOR_PARENT_PID set to it
  std::chrono::seconds timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Task> queue_;
  ResultCache cache_;
  std::uint64_t next_sequence_ = 0;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace frontdoor
