// ScreeningQueue: the documented rule for same-time events, (time, priority, sequence).
#include "models/screening_queue.hpp"

#include <gtest/gtest.h>

using namespace frontdoor;

TEST(ScreeningQueue, FirstComeFirstServed) {
  ScreeningQueue q;
  q.push({0, 1.0, SourceKind::police, 0});
  q.push({1, 2.0, SourceKind::schools, 0});
  q.push({2, 3.0, SourceKind::health, 0});
  EXPECT_EQ(q.pop().id, 0u);
  EXPECT_EQ(q.pop().id, 1u);
  EXPECT_EQ(q.pop().id, 2u);
  EXPECT_TRUE(q.empty());
}

TEST(ScreeningQueue, SameTimeTiesBreakByPriorityThenSequence) {
  ScreeningQueue q;
  q.push({5, 1.0, SourceKind::other, 1});
  q.push({3, 1.0, SourceKind::other, 1});
  q.push({9, 1.0, SourceKind::police, 0});
  q.push({1, 0.5, SourceKind::other, 7});  // earlier time wins whatever its priority
  EXPECT_EQ(q.pop().id, 1u);
  EXPECT_EQ(q.pop().id, 9u);  // same time: priority 0 before 1
  EXPECT_EQ(q.pop().id, 3u);  // same time and priority: lower sequence first
  EXPECT_EQ(q.pop().id, 5u);
}

TEST(ScreeningQueue, EventKeyOrderIsLexicographic) {
  EXPECT_LT((EventKey{1.0, 5, 9}), (EventKey{2.0, 0, 0}));
  EXPECT_LT((EventKey{1.0, 0, 9}), (EventKey{1.0, 1, 0}));
  EXPECT_LT((EventKey{1.0, 1, 2}), (EventKey{1.0, 1, 3}));
}
