#pragma once
// Where a case goes after a service has decided: the routes out of the service that apply to its decision and its
// referral source, drawn by their probabilities. Plain C++ with no engine.
#include <array>
#include <utility>
#include <vector>

#include "models/pathway.hpp"
#include "models/random.hpp"
#include "models/sources.hpp"

namespace frontdoor {

/// The routes open to one (decision, source) pair: (cumulative probability, route index), in declaration order.
using RouteOptions = std::vector<std::pair<double, int>>;

/// For each decision of a service (or the single "any decision" of a service that makes none) and each referral
/// source, the routes that apply, with their cumulative probabilities.
class RoutingTable {
 public:
  RoutingTable() = default;
  RoutingTable(const Pathway& pathway, int service);

  /// The routes for decision `decision` (-1: the service makes none) of a case from `source`.
  const RouteOptions& options(int decision, SourceKind source) const {
    return table_[decision < 0 ? 0 : decision][static_cast<int>(source)];
  }

 private:
  std::vector<std::array<RouteOptions, all_sources.size()>> table_;
};

/// Draws one of `options` (never empty on a valid pathway) by its probability. A single option takes no draw, so
/// that a service with one way out leaves the stream where it was.
int pick_route(const RouteOptions& options, RandomStream& rng);

}  // namespace frontdoor
