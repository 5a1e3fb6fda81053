#include "models/event_heap.hpp"

namespace frontdoor {

namespace {
constexpr std::size_t arity = 4;
}

void ChildEventHeap::set(int child, double at, std::uint64_t sequence) {
  const auto c = static_cast<std::size_t>(child);
  if (c >= position_.size()) position_.resize(c + 1, -1);
  const Entry entry{at, sequence, child};
  if (position_[c] < 0) {
    entries_.push_back(entry);
    sift_up(entries_.size() - 1, entry);
    return;
  }
  const auto i = static_cast<std::size_t>(position_[c]);
  if (before(entry, entries_[i])) {
    sift_up(i, entry);
  } else {
    sift_down(i, entry);
  }
}

void ChildEventHeap::erase(int child) {
  const auto c = static_cast<std::size_t>(child);
  if (c >= position_.size() || position_[c] < 0) return;
  const auto i = static_cast<std::size_t>(position_[c]);
  position_[c] = -1;
  const Entry last = entries_.back();
  entries_.pop_back();
  if (i == entries_.size()) return;  // it was the last entry
  if (i > 0 && before(last, entries_[(i - 1) / arity])) {
    sift_up(i, last);
  } else {
    sift_down(i, last);
  }
}

void ChildEventHeap::sift_up(std::size_t i, Entry entry) {
  while (i > 0) {
    const std::size_t parent = (i - 1) / arity;
    if (!before(entry, entries_[parent])) break;
    put(i, entries_[parent]);
    i = parent;
  }
  put(i, entry);
}

void ChildEventHeap::sift_down(std::size_t i, Entry entry) {
  const std::size_t n = entries_.size();
  for (;;) {
    const std::size_t first = arity * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = first + arity < n ? first + arity : n;
    for (std::size_t k = first + 1; k < end; ++k) {
      if (before(entries_[k], entries_[best])) best = k;
    }
    if (!before(entries_[best], entry)) break;
    put(i, entries_[best]);
    i = best;
  }
  put(i, entry);
}

}  // namespace frontdoor
