// Routing without an engine: which routes apply to a decision and a source, and how one is drawn.
#include "models/routing.hpp"

#include <gtest/gtest.h>

namespace frontdoor {
namespace {

Pathway front_door() {
  std::vector<ServiceSpec> services(4);
  services[0].id = "mash";
  services[0].kind = ServiceKind::screening_queue;
  services[0].entry = true;
  services[0].decisions = {{"nfa", 0.5}, {"referral", 0.5}};
  services[1].id = "assessment";
  services[1].kind = ServiceKind::caseload_team;
  services[2].id = "police_triage";
  services[2].kind = ServiceKind::decision_point;
  services[3].id = "closed";
  services[3].kind = ServiceKind::exit;
  std::vector<RouteSpec> routes(4);
  routes[0] = {"nfa", "mash", "closed", "nfa", {}, 1.0, ""};
  routes[1] = {"police_referral", "mash", "police_triage", "referral", {SourceKind::police}, 1.0, ""};
  routes[2] = {
      "referral_assessed", "mash", "assessment", "referral", {SourceKind::schools, SourceKind::health}, 0.75, ""};
  routes[3] = {"referral_closed", "mash", "closed", "referral", {SourceKind::schools, SourceKind::health}, 0.25, ""};
  return Pathway(std::move(services), std::move(routes));
}

TEST(Routing, TheTableHoldsTheRoutesOfEachDecisionAndSourceWithCumulativeProbabilities) {
  const Pathway pathway = front_door();
  const RoutingTable table(pathway, 0);
  ASSERT_EQ(table.options(0, SourceKind::police).size(), 1u);
  EXPECT_EQ(table.options(0, SourceKind::police)[0].second, 0);
  EXPECT_EQ(table.options(1, SourceKind::police), (RouteOptions{{1.0, 1}}));
  EXPECT_EQ(table.options(1, SourceKind::schools), (RouteOptions{{0.75, 2}, {1.0, 3}}));
  EXPECT_TRUE(table.options(1, SourceKind::other).empty());  // no route: the pathway's validation reports it
}

TEST(Routing, ASingleRouteTakesNoDraw) {
  RandomStream used(3), fresh(3);
  EXPECT_EQ(pick_route({{1.0, 7}}, used), 7);
  EXPECT_EQ(used.next_u64(), fresh.next_u64());
}

TEST(Routing, RoutesAreDrawnByTheirProbabilities) {
  const RoutingTable table(front_door(), 0);
  RandomStream rng(4);
  int assessed = 0;
  constexpr int draws = 100000;
  for (int i = 0; i < draws; ++i) assessed += pick_route(table.options(1, SourceKind::health), rng) == 2 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(assessed) / draws, 0.75, 5.0 * std::sqrt(0.75 * 0.25 / draws));
}

}  // namespace
}  // namespace frontdoor
