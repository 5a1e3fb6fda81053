// The pathway graph: every validation rule against a failing fixture, the drawing, and the traffic equations.
#include "models/pathway.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/routing.hpp"
#include "models/scenario_loader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::source_path;

namespace {
// The "# expect: ..." lines at the top of a fixture.
std::vector<std::string> expectations(const std::filesystem::path& fixture) {
  std::ifstream in(fixture);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# expect: ", 0) == 0) lines.push_back(line.substr(10));
  }
  return lines;
}
}  // namespace

TEST(Pathway, EveryInvalidFixtureFailsWithItsMessageAndLine) {
  int fixtures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("tests/fixtures/invalid_pathways"))) {
    ++fixtures;
    const auto expected = expectations(entry.path());
    ASSERT_FALSE(expected.empty()) << entry.path();
    try {
      load_scenario(entry.path().string());
      ADD_FAILURE() << entry.path() << " loaded, but it is invalid";
    } catch (const ScenarioError& e) {
      for (const auto& text : expected) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << entry.path() << "\n" << e.what();
      }
      // Every problem names a file and a line.
      for (const auto& problem : e.problems()) {
        EXPECT_NE(problem.find(entry.path().filename().string() + ":"), std::string::npos) << problem;
      }
    }
  }
  EXPECT_GE(fixtures, 10);
}

TEST(Pathway, CyclesWithDelaysAreAllowed) {
  // The England pathway has step-up, step-down and escalation cycles; each goes through a team with a duration.
  const Scenario s = load_scenario(source_path("scenarios/england_baseline.toml"));
  EXPECT_TRUE(s.pathway.validate().empty());
  const auto& p = s.pathway;
  EXPECT_GE(p.find("child_in_need"), 0);
  bool cin_to_strategy = false, strategy_to_cin = false;
  for (const auto& r : p.routes()) {
    cin_to_strategy = cin_to_strategy || (r.from == "child_in_need" && r.to == "strategy_discussion");
    strategy_to_cin = strategy_to_cin || (r.from == "strategy_discussion" && r.to == "child_in_need");
  }
  EXPECT_TRUE(cin_to_strategy && strategy_to_cin);
}

TEST(Pathway, DotHasEveryServiceAndRoute) {
  for (const char* path :
       {"scenarios/england_baseline.toml", "scenarios/alternatives/early_help_hub.toml",
        "scenarios/alternatives/direct_strategy.toml", "scenarios/alternatives/family_safeguarding.toml"}) {
    const Scenario s = load_scenario(source_path(path));
    const std::string dot = pathway_dot(s.pathway);
    EXPECT_EQ(dot.rfind("digraph", 0), 0u) << path;
    for (const auto& service : s.pathway.services()) {
      EXPECT_NE(dot.find(service.label), std::string::npos) << path << " " << service.id;
    }
    std::size_t edges = 0;
    for (auto at = dot.find("->"); at != std::string::npos; at = dot.find("->", at + 2)) ++edges;
    EXPECT_EQ(edges, s.pathway.routes().size()) << path;
    for (const auto& route : s.pathway.routes()) {
      const int from = s.pathway.find(route.from), to = s.pathway.find(route.to);
      EXPECT_NE(dot.find(std::to_string(from) + "->" + std::to_string(to)), std::string::npos) << route.id;
      if (!route.rule_text().empty()) {
        EXPECT_NE(dot.find(route.rule_text()), std::string::npos) << route.id;
      }
    }
  }
}

TEST(Pathway, DotShowsObservedFlows) {
  const Scenario s = load_scenario(source_path("scenarios/validation/jackson_network.toml"));
  PathwayObservations seen;
  seen.route_flow_per_year["c_feedback"] = 4567.0;
  seen.service_open_mean["station_b"] = 3.04;
  const std::string dot = pathway_dot(s.pathway, &seen);
  EXPECT_NE(dot.find("4567/yr"), std::string::npos);
  EXPECT_NE(dot.find("open 3.0"), std::string::npos);
}

TEST(Pathway, TrafficEquationsOfAJacksonNetwork) {
  const Scenario s = load_scenario(source_path("scenarios/validation/jackson_network.toml"));
  std::array<double, 6> gamma{};
  gamma[static_cast<int>(SourceKind::other)] = 50.0;
  const auto rates = expected_arrival_rates(s.pathway, gamma);
  ASSERT_EQ(rates.size(), 4u);
  for (const char* station : {"station_a", "station_b", "station_c"}) {
    EXPECT_NEAR(rates[s.pathway.find(station)], 62.5, 1e-9) << station;  // 50 / (1 - 0.2)
  }
  EXPECT_NEAR(rates[s.pathway.find("done")], 50.0, 1e-9);
}

TEST(Pathway, SourceSpecificRoutesSplitByProbability) {
  // Fixed-share mode: a fifth of police referrals go straight to a strategy discussion; other sources' referrals
  // go to the referral point as before. The traffic equations follow each source's routes.
  test_support::TempDir dir;
  const std::string scenario = (dir.path() / "police_direct.toml").string();
  test_support::write_file(scenario,
                           "name = \"police_direct\"\nversion = \"1\"\ndescription = \"d\"\n"
                           "include = [\"" +
                               source_path("scenarios/demand/england_council.toml") + "\", \"" +
                               source_path("scenarios/pathways/england.toml") +
                               "\"]\n"
                               "[route.front_door_to_referral]\n"
                               "source = [\"schools\", \"health\", \"local_authority\", "
                               "\"individuals\", \"other\"]\n"
                               "[route.police_referral_usual]\n"
                               "from = \"front_door\"\nto = \"referral\"\nwhen = \"referral\"\n"
                               "source = \"police\"\nprobability = 0.8\n"
                               "[route.police_referral_to_strategy]\n"
                               "from = \"front_door\"\nto = \"strategy_discussion\"\n"
                               "when = \"referral\"\nsource = \"police\"\nprobability = 0.2\n");
  const Scenario s = load_scenario(scenario);
  std::array<double, 6> gamma{};
  gamma[static_cast<int>(SourceKind::police)] = 10.0;  // police only: 21% referred, a fifth of them direct
  const auto rates = expected_arrival_rates(s.pathway, gamma);
  double direct = 0.0;
  for (const auto& r : s.pathway.routes()) {
    if (r.id == "police_referral_to_strategy") direct = r.probability;
  }
  EXPECT_DOUBLE_EQ(direct, 0.2);
  EXPECT_NEAR(rates[s.pathway.find("referral")], 10.0 * 0.21 * 0.8, 1e-9);
  EXPECT_GT(rates[s.pathway.find("strategy_discussion")], 10.0 * 0.21 * 0.2);
}

// The direct-strategy alternative on the reference model: the referral point's top band ("strategy") goes to a
// strategy discussion for police referrals and to assessment for every other source.
TEST(Pathway, DirectStrategyRoutesTheTopBandByPolice) {
  const Scenario s = load_scenario(source_path("scenarios/alternatives/direct_strategy.toml"));
  EXPECT_TRUE(s.pathway.validate().empty());
  const int referral = s.pathway.find("referral");
  const auto& decisions = s.pathway.services()[referral].decisions;
  int strategy = -1, assessment = -1;
  for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
    if (decisions[d].name == "strategy") strategy = d;
    if (decisions[d].name == "assessment") assessment = d;
  }
  ASSERT_GE(strategy, 0);
  ASSERT_GE(assessment, 0);
  const RoutingTable table(s.pathway, referral);
  auto destination = [&](int decision, SourceKind source) {
    const RouteOptions& options = table.options(decision, source);
    EXPECT_EQ(options.size(), 1u);
    return s.pathway.routes()[options.at(0).second].to;
  };
  for (SourceKind source : all_sources) {
    EXPECT_EQ(destination(strategy, source), source == SourceKind::police ? "strategy_discussion" : "assessment");
    EXPECT_EQ(destination(assessment, source), "assessment");
  }
}
