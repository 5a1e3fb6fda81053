#include "models/event_heap.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <vector>

#include "models/random.hpp"

namespace frontdoor {
namespace {

// A plain reference: each child's (day, sequence), the earliest found by a scan.
struct Reference {
  std::map<int, std::pair<double, std::uint64_t>> events;
  std::optional<int> earliest() const {
    std::optional<int> best;
    for (const auto& [child, key] : events) {
      if (!best || key < events.at(*best)) best = child;
    }
    return best;
  }
};

TEST(ChildEventHeap, MovesRemovesAndPopsInTheOrderOfDayThenSequence) {
  ChildEventHeap heap;
  Reference reference;
  RandomStream rng(7);
  std::uint64_t sequence = 0;
  for (int step = 0; step < 20000; ++step) {
    const int child = static_cast<int>(rng.uniform01() * 300.0);
    const double u = rng.uniform01();
    if (u < 0.6) {
      // Days on a coarse grid, so that ties on the day are common and the sequence decides them.
      const double at = static_cast<double>(static_cast<int>(rng.uniform01() * 50.0));
      heap.set(child, at, sequence);
      reference.events[child] = {at, sequence};
      ++sequence;
    } else if (u < 0.8) {
      heap.erase(child);
      reference.events.erase(child);
    } else if (!heap.empty()) {
      const std::optional<int> expected = reference.earliest();
      ASSERT_TRUE(expected.has_value());
      EXPECT_EQ(heap.top().child, *expected) << "at step " << step;
      EXPECT_EQ(heap.top().at, reference.events[*expected].first);
      heap.pop();
      reference.events.erase(*expected);
    }
    ASSERT_EQ(heap.size(), reference.events.size()) << "at step " << step;
  }
  // Drained, the heap gives every remaining child once, in order.
  double last = -1.0;
  while (!heap.empty()) {
    EXPECT_GE(heap.top().at, last);
    last = heap.top().at;
    EXPECT_EQ(reference.events.erase(heap.top().child), 1U);
    heap.pop();
  }
  EXPECT_TRUE(reference.events.empty());
}

TEST(ChildEventHeap, ErasingAChildWithNoEventChangesNothing) {
  ChildEventHeap heap;
  heap.erase(5);
  heap.set(2, 3.0, 0);
  heap.erase(9);
  heap.erase(1);
  ASSERT_EQ(heap.size(), 1U);
  EXPECT_EQ(heap.top().child, 2);
}

}  // namespace
}  // namespace frontdoor
