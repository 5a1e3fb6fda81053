#include "sim/result_cache.hpp"

#include "common/hash.hpp"

namespace frontdoor {

std::string replication_key(const ReplicationTask& task) {
  if (task.scenario_toml == nullptr) return "";
  std::string key = content_hash(*task.scenario_toml) + "-" + std::to_string(task.scenario_toml->size());
  for (const auto& o : task.overrides) key += "\n" + o.text();
  key += "\nseed " + std::to_string(task.seed) + " replication " + std::to_string(task.replication);
  if (!task.keep_monthly) key += " without monthly series";
  return key;
}

std::optional<ResultCache::Entry> ResultCache::find(const std::string& key) {
  auto it = entries_.find(key);
  if (key.empty() || it == entries_.end()) return std::nullopt;
  order_.remove(key);
  order_.push_back(key);
  return it->second;
}

void ResultCache::insert(const std::string& key, Entry entry) {
  if (key.empty()) return;
  entries_[key] = std::move(entry);
  order_.remove(key);
  order_.push_back(key);
}

void ResultCache::insert(const std::string& key, ReplicationResult result) {
  std::promise<ReplicationResult> done;
  done.set_value(std::move(result));
  Entry entry;
  entry.future = done.get_future().share();
  insert(key, std::move(entry));
}

void ResultCache::forget(const std::string& key) {
  entries_.erase(key);
  order_.remove(key);
}

void ResultCache::evict() {
  for (auto it = order_.begin(); entries_.size() > capacity_ && it != order_.end();) {
    auto entry = entries_.find(*it);
    if (entry != entries_.end() && entry->second.ready()) {
      entries_.erase(entry);
      it = order_.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t ResultCache::finished() const {
  std::size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry.ready();
  return n;
}

}  // namespace frontdoor
