#pragma once
// The front door's queue of cases waiting for a screener, served by the ordering rule of models/case.hpp.
#include <algorithm>
#include <deque>

#include "models/case.hpp"

namespace frontdoor {

/// First come, first served queue of contacts ordered by Case::key(). Kept as a sorted deque: contacts join in
/// nondecreasing time, so a push is almost always an append (O(1)); an out-of-order key is inserted in place.
class ScreeningQueue {
 public:
  void push(const Case& contact) {
    if (items_.empty() || !(contact.key() < items_.back().key())) {
      items_.push_back(contact);
      return;
    }
    const auto at = std::upper_bound(items_.begin(), items_.end(), contact,
                                     [](const Case& a, const Case& b) { return a.key() < b.key(); });
    items_.insert(at, contact);
  }
  /// Removes and returns the case with the smallest key. Precondition: !empty().
  Case pop() {
    Case next = items_.front();
    items_.pop_front();
    return next;
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

 private:
  std::deque<Case> items_;
};

}  // namespace frontdoor
