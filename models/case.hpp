#pragma once
// A case and the key that orders same-time events in our own queues.
//
// Ordering rule for same-time events: entries are served by (time, priority, sequence), smallest first. `time` is
// the day the case arrived; `priority` breaks ties between cases that arrived at the same instant (lower is served
// first; all cases have priority 0 today); `sequence` is the order in which the case was created, so that ties of
// both are first come, first served and the order never depends on memory addresses or hash order.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "models/sources.hpp"

namespace frontdoor {

/// The key that orders same-time events: (time, priority, sequence), compared lexicographically.
struct EventKey {
  double time = 0.0;           ///< days since the start
  int priority = 0;            ///< lower first
  std::uint64_t sequence = 0;  ///< creation order
  auto operator<=>(const EventKey&) const = default;
};

/// A case: a contact made to the front door, and what becomes of it as it moves through the pathway.
struct Case {
  std::uint64_t id = 0;      ///< creation order, unique within a run
  double arrival_day = 0.0;  ///< days since the start
  SourceKind source = SourceKind::other;
  int priority = 0;
  std::optional<std::int32_t> child = std::nullopt;  ///< the child it is about (reference model only)
  /// The need observed at the decision that sent the case on (or by the last contact about it while it waits),
  /// levels; NaN where no threshold decided (fixed shares). A team's waiting list is triaged on it.
  double observed_need = std::nan("");
  /// The decision its caseload team has already drawn for the case's end (a care career's exit); -1: none.
  int planned_decision = -1;

  EventKey key() const { return EventKey{arrival_day, priority, id}; }
};

/// The order of a caseload team's waiting list (triage): the need level observed (rounded to a whole level),
/// highest first, then first come, first served by (time, priority, sequence). Cases with no observed need (fixed
/// shares) are all level 0, so their list stays first come, first served.
struct TriageKey {
  int minus_level = 0;
  EventKey arrival;
  auto operator<=>(const TriageKey&) const = default;
};
inline TriageKey triage_key(const Case& c) {
  const int level =
      std::isnan(c.observed_need) ? 0 : static_cast<int>(std::lround(std::clamp(c.observed_need, 0.0, 4.0)));
  return TriageKey{-level, c.key()};
}

}  // namespace frontdoor
