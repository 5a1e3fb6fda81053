// Scenario loading: a valid file, every error path (each message names file, line and key), overrides.
#include "models/scenario_loader.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace frontdoor;

namespace {

const char* const valid = R"(name = "test"
version = "1"
description = "a small valid scenario"

[simulation]
years = 2
warmup_days = 30

[sources.police]
contacts_per_day = 5.0

[sources.schools]
contacts_per_day = 4
holiday_factor = 0.5

[front_door]
screeners = 3
screening_time = { distribution = "gamma", mean_days = 0.2, shape = 2.0 }
schedule = [ { from_day = 100, screeners = 2 }, { from_day = 200, screeners = 4 } ]

[front_door.decision]
no_further_action = 0.6
early_help = 0.1
referral = 0.3
)";

// Replaces the first occurrence of `from` in the valid scenario.
std::string variant(const std::string& from, const std::string& to) {
  std::string text = valid;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

// Loads and returns the error text (empty if it loaded).
std::string error_of(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    load_scenario_text(text, "bad.toml", overrides);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ScenarioLoader, LoadsAValidScenario) {
  const Scenario s = load_scenario_text(valid, "good.toml");
  EXPECT_EQ(s.name, "test");
  EXPECT_EQ(s.simulation.years, 2);
  EXPECT_EQ(s.simulation.warmup_days, 30.0);
  ASSERT_EQ(s.sources.size(), 2u);
  EXPECT_EQ(s.sources[0].kind, SourceKind::police);
  EXPECT_FALSE(s.sources[0].follows_school_calendar);
  EXPECT_EQ(s.sources[1].kind, SourceKind::schools);
  EXPECT_TRUE(s.sources[1].follows_school_calendar);  // schools follow the school calendar by default
  EXPECT_EQ(s.sources[1].holiday_factor, 0.5);
  EXPECT_EQ(s.front_door.screeners, 3);
  EXPECT_EQ(s.front_door.screening_time.family(), DistributionFamily::gamma);
  EXPECT_EQ(s.front_door.screening_time.shape(), 2.0);
  EXPECT_EQ(s.front_door.screeners_at(50), 3);
  EXPECT_EQ(s.front_door.screeners_at(150), 2);
  EXPECT_EQ(s.front_door.screeners_at(250), 4);
  EXPECT_EQ(s.front_door.max_screeners(), 4);
  EXPECT_EQ(s.front_door.decision.referral, 0.3);
  EXPECT_NE(s.file_hash, 0u);
}

TEST(ScenarioLoader, EveryShippedScenarioLoads) {
  for (const char* path : {"scenarios/england_baseline.toml", "scenarios/validation/mmc_front_door.toml",
                           "scenarios/validation/dd1_front_door.toml"}) {
    EXPECT_NO_THROW(load_scenario(test_support::source_path(path))) << path;
  }
}

TEST(ScenarioLoader, MissingFile) {
  try {
    load_scenario("/nonexistent/scenario.toml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/scenario.toml: cannot open"), std::string::npos) << e.what();
  }
}

TEST(ScenarioLoader, SyntaxErrorNamesFileAndLine) {
  const std::string e = error_of(variant("screeners = 3", "screeners = = 3"));
  EXPECT_NE(e.find("bad.toml:17:"), std::string::npos) << e;
  EXPECT_NE(e.find("TOML syntax error"), std::string::npos) << e;
}

TEST(ScenarioLoader, UnknownKeyNamesFileLineAndKey) {
  const std::string e = error_of(variant("screeners = 3", "screeners = 3\nscreenrs = 4"));
  EXPECT_NE(e.find("bad.toml:18: front_door.screenrs: unknown key"), std::string::npos) << e;
}

TEST(ScenarioLoader, UnknownSourceAndSection) {
  EXPECT_NE(error_of(variant("[sources.police]", "[sources.polise]")).find("sources.polise: unknown referral source"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(valid) + "\n[extra]\nx = 1\n").find("extra: unknown key"), std::string::npos);
}

TEST(ScenarioLoader, WrongType) {
  const std::string e = error_of(variant("screeners = 3", "screeners = \"three\""));
  EXPECT_NE(e.find("bad.toml:17: front_door.screeners: expected a whole number"), std::string::npos) << e;
  EXPECT_NE(error_of(variant("contacts_per_day = 5.0", "contacts_per_day = true")).find("expected a number"),
            std::string::npos);
}

TEST(ScenarioLoader, NegativeRate) {
  const std::string e = error_of(variant("contacts_per_day = 5.0", "contacts_per_day = -5.0"));
  EXPECT_NE(e.find("bad.toml:10: sources.police.contacts_per_day: -5 is out of range"), std::string::npos) << e;
}

TEST(ScenarioLoader, ProbabilityOverOne) {
  const std::string e = error_of(variant("referral = 0.3", "referral = 1.3"));
  EXPECT_NE(e.find("front_door.decision.referral: 1.3 is out of range"), std::string::npos) << e;
}

TEST(ScenarioLoader, SharesMustSumToOne) {
  const std::string e = error_of(variant("referral = 0.3", "referral = 0.35"));
  EXPECT_NE(e.find("front_door.decision: shares must sum to 1"), std::string::npos) << e;
}

TEST(ScenarioLoader, ZeroScreeners) {
  const std::string e = error_of(variant("screeners = 3", "screeners = 0"));
  EXPECT_NE(e.find("front_door.screeners: 0 is out of range"), std::string::npos) << e;
}

TEST(ScenarioLoader, DistributionKeysDependOnTheFamily) {
  // sd_days belongs to lognormal only.
  const std::string e = error_of(variant("shape = 2.0", "sd_days = 2.0"));
  EXPECT_NE(e.find("front_door.screening_time.sd_days: unknown key"), std::string::npos) << e;
  EXPECT_NE(error_of(variant("\"gamma\"", "\"weibull\"")).find("\"weibull\" is not allowed"), std::string::npos);
}

TEST(ScenarioLoader, ScheduleMustIncrease) {
  const std::string e = error_of(variant("from_day = 200", "from_day = 50"));
  EXPECT_NE(e.find("front_door.schedule[1]: from_day must increase"), std::string::npos) << e;
}

TEST(ScenarioLoader, MissingRequiredKeys) {
  const std::string e = error_of(variant("name = \"test\"\n", ""));
  EXPECT_NE(e.find("name: is required but missing"), std::string::npos) << e;
}

TEST(ScenarioLoader, ReportsEveryProblemNotJustTheFirst) {
  std::string text = variant("screeners = 3", "screeners = 0");
  text.replace(text.find("referral = 0.3"), 14, "referral = 2.0");
  const std::string e = error_of(text);
  EXPECT_NE(e.find("front_door.screeners"), std::string::npos) << e;
  EXPECT_NE(e.find("front_door.decision.referral"), std::string::npos) << e;
}

TEST(ScenarioLoader, OverridesAreAppliedAndRecorded) {
  const Scenario s = load_scenario_text(valid, "good.toml",
                                        {{"front_door.screeners", "7"},
                                         {"front_door.screening_time.mean_days", "0.3"},
                                         {"front_door.screening_time.shape", "4"}});
  EXPECT_EQ(s.front_door.screeners, 7);
  EXPECT_EQ(s.front_door.screening_time.mean(), 0.3);
  EXPECT_EQ(s.front_door.screening_time.shape(), 4.0);
  ASSERT_EQ(s.overrides.size(), 3u);
  EXPECT_EQ(s.overrides[0].key, "front_door.screeners");
  // The replaced value of shape stays a problem: shape is not a lognormal key.
  EXPECT_NE(error_of(valid, {{"front_door.screening_time.distribution", "lognormal"}}).find("shape: unknown key"),
            std::string::npos);
}

TEST(ScenarioLoader, OverrideMayAddADeclaredSource) {
  const Scenario s = load_scenario_text(valid, "good.toml", {{"sources.health.contacts_per_day", "2.5"}});
  ASSERT_EQ(s.sources.size(), 3u);
  EXPECT_EQ(s.sources[2].kind, SourceKind::health);
  EXPECT_EQ(s.sources[2].contacts_per_day, 2.5);
}

TEST(ScenarioLoader, BadOverridesNameTheOverride) {
  const std::string unknown = error_of(valid, {{"front_door.screenrs", "4"}});
  EXPECT_NE(unknown.find("--set front_door.screenrs=4: front_door.screenrs: unknown key"), std::string::npos) << unknown;
  const std::string range = error_of(valid, {{"front_door.screeners", "0"}});
  EXPECT_NE(range.find("--set front_door.screeners=0: front_door.screeners: 0 is out of range"), std::string::npos)
      << range;
  const std::string type = error_of(valid, {{"front_door.screeners", "many"}});
  EXPECT_NE(type.find("expected a whole number"), std::string::npos) << type;
  const std::string through_value = error_of(valid, {{"simulation.years.x", "1"}});
  EXPECT_NE(through_value.find("cannot be set"), std::string::npos) << through_value;
}

TEST(ScenarioLoader, MalformedOverrideText) {
  EXPECT_THROW(parse_override("front_door.screeners"), ScenarioError);
  EXPECT_THROW(parse_override("=3"), ScenarioError);
  EXPECT_THROW(parse_override("front_door..screeners=3"), ScenarioError);
  EXPECT_THROW(parse_override("front_door.screeners="), ScenarioError);
  const Override o = parse_override("front_door.screeners=12");
  EXPECT_EQ(o.key, "front_door.screeners");
  EXPECT_EQ(o.value, "12");
}

TEST(ScenarioLoader, DeterministicArrivalsCannotFollowTheSchoolCalendar) {
  const std::string e = error_of(valid, {{"sources.schools.arrivals", "deterministic"}});
  EXPECT_NE(e.find("deterministic arrivals cannot follow the school calendar"), std::string::npos) << e;
}
