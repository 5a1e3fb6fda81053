#pragma once
// The children's next events: a min-heap with at most one entry per child that moves or removes a child's entry in
// place (an indexed 4-ary heap). A child's event is drawn afresh whenever its rates change, often to a later day:
// the libraries at hand either keep superseded entries until they reach the top (std::priority_queue, which then
// needs a check of the child's record for each, a cache miss) or can only bring an entry forward
// (boost::d_ary_heap_indirect). Ties on the day go to the entry set first (`sequence`).
#include <cstdint>
#include <vector>

namespace frontdoor {

class ChildEventHeap {
 public:
  struct Entry {
    double at = 0.0;
    std::uint64_t sequence = 0;
    int child = -1;
  };

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  /// The earliest entry (the heap must not be empty).
  const Entry& top() const { return entries_.front(); }
  /// Child `child`'s event is at day `at` (set in the order `sequence`): a new entry, or its entry moved.
  void set(int child, double at, std::uint64_t sequence);
  /// Child `child` has no event (nothing if it has none already).
  void erase(int child);
  /// Removes the earliest entry.
  void pop() { erase(entries_.front().child); }

 private:
  static bool before(const Entry& a, const Entry& b) { return a.at != b.at ? a.at < b.at : a.sequence < b.sequence; }
  /// Puts `entry` at slot `i` and records where its child is.
  void put(std::size_t i, const Entry& entry) {
    entries_[i] = entry;
    position_[static_cast<std::size_t>(entry.child)] = static_cast<std::ptrdiff_t>(i);
  }
  void sift_up(std::size_t i, Entry entry);
  void sift_down(std::size_t i, Entry entry);

  std::vector<Entry> entries_;
  std::vector<std::ptrdiff_t> position_;  ///< by child: its entry's slot, or -1
};

}  // namespace frontdoor
