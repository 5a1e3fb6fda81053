#pragma once
// The front door's queue of contacts waiting for a screener.
//
// Ordering rule for same-time events in our own queues: entries are served by (time, priority, sequence),
// smallest first. `time` is the day the contact arrived; `priority` breaks ties between contacts that arrived at
// the same instant (lower is served first; all contacts have priority 0 today); `sequence` is the order in which
// the contact was created, so that ties of both are first come, first served and the order never depends on
// memory addresses or hash order.
#include <cstdint>
#include <algorithm>
#include <deque>
#include <vector>

#include "models/scenario.hpp"

namespace frontdoor {

/// The key that orders same-time events: (time, priority, sequence), compared lexicographically.
struct EventKey {
  double time = 0.0;           ///< days since the start
  int priority = 0;            ///< lower first
  std::uint64_t sequence = 0;  ///< creation order
  auto operator<=>(const EventKey&) const = default;
};

/// A contact made to the front door.
struct Contact {
  std::uint64_t id = 0;       ///< creation order, unique within a run
  double arrival_day = 0.0;   ///< days since the start
  SourceKind source = SourceKind::other;
  int priority = 0;
  std::int32_t child = -1;    ///< the child it is about (reference model), or -1

  EventKey key() const { return EventKey{arrival_day, priority, id}; }
};

/// First come, first served queue of contacts ordered by Contact::key(). Kept as a sorted deque: contacts join in
/// nondecreasing time, so a push is almost always an append (O(1)); an out-of-order key is inserted in place.
class ScreeningQueue {
 public:
  void push(const Contact& contact) {
    if (items_.empty() || !(contact.key() < items_.back().key())) {
      items_.push_back(contact);
      return;
    }
    const auto at = std::upper_bound(items_.begin(), items_.end(), contact,
                                     [](const Contact& a, const Contact& b) { return a.key() < b.key(); });
    items_.insert(at, contact);
  }
  /// Removes and returns the contact with the smallest key. Precondition: !empty().
  Contact pop() {
    Contact next = items_.front();
    items_.pop_front();
    return next;
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

 private:
  std::deque<Contact> items_;
};

}  // namespace frontdoor
