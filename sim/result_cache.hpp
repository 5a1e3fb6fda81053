#pragma once
// One cache of replication results, by what determines them: the scenario's text, the overrides on it, the
// replication's seed and number. `serve` keeps results between requests in it (and shares a replication still
// running between the pages that ask for it); `run`, `compare` and `sweep exec` skip a replication whose result
// they already hold (a scenario compared with itself, a design point met twice). Not thread-safe: a caller with
// threads holds its own lock around every call.
#include <atomic>
#include <cstddef>
#include <future>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sim/executor.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// What identifies a task's result: the hash and length of its scenario's text, its overrides, its seed and its
/// replication (the result records the replication's number). Empty for a task without its text (a scenario made
/// in memory), which is never cached.
std::string replication_key(const ReplicationTask& task);

class ResultCache {
 public:
  /// A result, finished or to come, and how many are waiting for it (serve stops a replication nobody waits for).
  struct Entry {
    std::shared_future<ReplicationResult> future;
    std::shared_ptr<std::atomic<int>> waiters = std::make_shared<std::atomic<int>>(0);
    bool ready() const { return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
  };

  /// Keeps at most `capacity` results once they are finished (results to come are never dropped).
  explicit ResultCache(std::size_t capacity = std::numeric_limits<std::size_t>::max()) : capacity_(capacity) {}

  /// The entry for `key`, now the most recently used; nothing for an empty key.
  std::optional<Entry> find(const std::string& key);
  /// Adds (or replaces) `key`'s entry as the most recently used; an empty key is not kept.
  void insert(const std::string& key, Entry entry);
  /// Adds a finished result.
  void insert(const std::string& key, ReplicationResult result);
  /// Drops `key` (a failure is not kept: asking again tries again).
  void forget(const std::string& key);
  /// Drops the least recently used finished results beyond the capacity.
  void evict();
  /// Finished results held.
  std::size_t finished() const;

 private:
  std::size_t capacity_;
  std::map<std::string, Entry> entries_;
  std::list<std::string> order_;  ///< least recently used first
};

}  // namespace frontdoor
