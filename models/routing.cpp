#include "models/routing.hpp"

#include <algorithm>

namespace frontdoor {

RoutingTable::RoutingTable(const Pathway& pathway, int service) {
  const ServiceSpec& spec = pathway.services()[service];
  const std::size_t decisions = std::max<std::size_t>(spec.decisions.size(), 1);
  table_.resize(decisions);
  for (std::size_t d = 0; d < decisions; ++d) {
    for (SourceKind source : all_sources) {
      double cumulative = 0.0;
      for (int r : pathway.routes_from(service)) {
        const RouteSpec& route = pathway.routes()[r];
        const bool decision_ok =
            route.when.empty() || (!spec.decisions.empty() && route.when == spec.decisions[d].name);
        const bool source_ok = route.sources.empty() ||
                               std::find(route.sources.begin(), route.sources.end(), source) != route.sources.end();
        if (!decision_ok || !source_ok) continue;
        cumulative += route.probability;
        table_[d][static_cast<int>(source)].push_back({cumulative, r});
      }
    }
  }
}

int pick_route(const RouteOptions& options, RandomStream& rng) {
  int route = options.back().second;
  if (options.size() > 1) {
    const double u = rng.uniform01() * options.back().first;
    for (const auto& [cumulative, r] : options) {
      if (u < cumulative) {
        route = r;
        break;
      }
    }
  }
  return route;
}

}  // namespace frontdoor
