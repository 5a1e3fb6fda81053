// Scenario loading: a valid file, every error path (each message names file, line and key), overrides.
#include "models/scenario_loader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

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

[service.front_door]
kind = "screening_queue"
entry = true
team = { fte = 3, schedule = [ { from_day = 100, fte = 2 }, { from_day = 200, fte = 4 } ] }
work = { distribution = "gamma", mean_days = 0.2, shape = 2.0 }
decisions = { no_further_action = 0.6, early_help = 0.1, referral = 0.3 }

[service.team]
kind = "caseload_team"
team = { fte = 5, caseload_cap = 10 }
work = { distribution = "exponential", mean_days = 2 }
duration = { distribution = "fixed", mean_days = 30 }

[service.done]
kind = "exit"

[route.nfa]
from = "front_door"
to = "done"
when = "no_further_action"

[route.help]
from = "front_door"
to = "team"
when = "early_help"

[route.referral]
from = "front_door"
to = "team"
when = "referral"

[route.team_done]
from = "team"
to = "done"
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
  const Pathway& p = s.pathway;
  ASSERT_EQ(p.services().size(), 3u);
  EXPECT_EQ(p.services()[0].id, "front_door");  // declaration order, not alphabetical
  EXPECT_EQ(p.entry(), 0);
  const ServiceSpec& fd = p.services()[0];
  EXPECT_EQ(fd.kind, ServiceKind::screening_queue);
  EXPECT_EQ(fd.team.fte, 3.0);
  EXPECT_EQ(fd.work.family(), DistributionFamily::gamma);
  EXPECT_EQ(fd.work.shape(), 2.0);
  EXPECT_EQ(fd.team.fte_at(50), 3.0);
  EXPECT_EQ(fd.team.fte_at(150), 2.0);
  EXPECT_EQ(fd.team.fte_at(250), 4.0);
  EXPECT_EQ(fd.team.max_fte(), 4.0);
  ASSERT_EQ(fd.decisions.size(), 3u);
  const ServiceSpec& team = p.services()[p.find("team")];
  EXPECT_EQ(team.team.caseload_cap, 10.0);
  EXPECT_EQ(team.duration.mean(), 30.0);
  EXPECT_EQ(p.routes().size(), 4u);
  EXPECT_TRUE(p.validate().empty());
  EXPECT_NE(s.file_hash, 0u);
}

TEST(ScenarioLoader, EveryShippedScenarioLoads) {
  const std::vector<std::string> paths = test_support::shipped_scenarios();
  EXPECT_GE(paths.size(), 17u);  // baseline, fixed shares, 3 alternatives, 3 validation, 9 policies
  for (const auto& path : paths) EXPECT_NO_THROW(load_scenario(path)) << path;
}

// A policy scenario starts from a base (`base = "..."`) and changes keys that exist there; chains work, and
// every error names the file and line in the chain where it occurs.
TEST(ScenarioLoader, PolicyScenariosInheritFromTheirBase) {
  const Scenario base = load_scenario(test_support::source_path("scenarios/england_baseline.toml"));
  const Scenario strict = load_scenario(test_support::source_path("scenarios/policies/raise_threshold.toml"));
  EXPECT_EQ(strict.name, "raise_threshold");
  const auto& fd = strict.pathway.services()[strict.pathway.find("front_door")];
  const auto& fd_base = base.pathway.services()[base.pathway.find("front_door")];
  ASSERT_EQ(fd.decisions.size(), fd_base.decisions.size());
  for (std::size_t d = 0; d < fd.decisions.size(); ++d) {
    const double expected = fd.decisions[d].name == "referral"     ? 3.0
                            : fd.decisions[d].name == "early_help" ? 2.6
                                                                   : fd_base.need_rule.thresholds[d];
    EXPECT_EQ(fd.need_rule.thresholds[d], expected) << fd.decisions[d].name;
  }
  EXPECT_EQ(fd.need_rule.noise_sd, fd_base.need_rule.noise_sd);  // untouched keys keep the base's values
  EXPECT_EQ(strict.children, base.children);
  EXPECT_EQ(strict.reporting.size(), base.reporting.size());
  // A chain: Essex is early_help_2m (itself on the baseline) plus reinvestment.
  const Scenario essex = load_scenario(test_support::source_path("scenarios/policies/essex_reinvestment.toml"));
  EXPECT_EQ(essex.reinvestment.share, 0.33);
  EXPECT_EQ(essex.pathway.services()[essex.pathway.find("early_help")].team.budget_gbp, 6600000.0);

  test_support::TempDir dir;
  const std::string baseline = test_support::source_path("scenarios/england_baseline.toml");
  auto error_in = [&](const std::string& text) {
    test_support::write_file(dir.path() / "policy.toml", "name = \"p\"\nversion = \"1\"\ndescription = \"d\"\n" + text);
    try {
      load_scenario((dir.path() / "policy.toml").string());
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string unknown = error_in("base = \"" + baseline + "\"\n[service.front_door]\nnoise_sdx = 0.2\n");
  EXPECT_NE(unknown.find("policy.toml:6: service.front_door.noise_sdx: is not a key of the base scenario"),
            std::string::npos)
      << unknown;
  const std::string missing = error_in("base = \"nowhere.toml\"\n");
  EXPECT_NE(missing.find("cannot open the base scenario (named at "), std::string::npos) << missing;
  EXPECT_NE(missing.find("policy.toml:4"), std::string::npos) << missing;
  const std::string type = error_in("base = \"" + baseline + "\"\n[service.front_door]\nnoise_sd = \"high\"\n");
  EXPECT_NE(type.find("policy.toml:6: service.front_door.noise_sd: expected a number"), std::string::npos) << type;
  const std::string cycle = error_in("base = \"policy.toml\"\n");
  EXPECT_NE(cycle.find("more than 16 bases"), std::string::npos) << cycle;
}

// A policy's [[change]] timeline adds to its base's, ordered by first year: a council fitted with a trend (one
// change a year) and a policy from a later year keep both.
TEST(ScenarioLoader, APolicysChangesAddToItsBasesTimeline) {
  test_support::TempDir dir;
  const std::string baseline = test_support::source_path("scenarios/england_baseline.toml");
  test_support::write_file(dir.path() / "council.toml",
                           "name = \"c\"\nversion = \"1\"\ndescription = \"d\"\nbase = \"" + baseline +
                               "\"\n[[change]]\nfrom_year = 2\nset = { \"service.front_door.noise_sd\" = 0.5 }\n"
                               "[[change]]\nfrom_year = 6\nset = { \"service.front_door.noise_sd\" = 0.7 }\n");
  test_support::write_file(dir.path() / "policy.toml",
                           "name = \"p\"\nversion = \"1\"\ndescription = \"d\"\nbase = \"council.toml\"\n"
                           "[[change]]\nfrom_year = 4\nadd = { \"service.early_help.team.budget_gbp\" = 1000000 }\n");
  const Scenario policy = load_scenario((dir.path() / "policy.toml").string());
  ASSERT_EQ(policy.changes.size(), 3u);
  const auto noise = [&](double day) {
    return policy.at(day).pathway.services()[policy.pathway.find("front_door")].need_rule.noise_sd;
  };
  const auto budget = [&](double day) {
    return policy.at(day).pathway.services()[policy.pathway.find("early_help")].team.budget_gbp;
  };
  const double year = 365.25;
  EXPECT_DOUBLE_EQ(noise(2.5 * year), 0.5);  // the base's changes are kept
  EXPECT_DOUBLE_EQ(noise(6.5 * year), 0.7);
  EXPECT_DOUBLE_EQ(budget(2.5 * year), budget(0.0));
  EXPECT_DOUBLE_EQ(budget(4.5 * year), budget(0.0) + 1000000.0);  // and the policy's added from its year
  EXPECT_DOUBLE_EQ(budget(6.5 * year), budget(0.0) + 1000000.0);  // through the base's later change
}

// A caseload team's staff are its FTE or its budget: setting one replaces the other (it used to sit beside the
// budget unread, so --set service.early_help.team.fte=180 changed nothing), and a relative edit of the FTE of a
// budgeted team says to change the budget.
TEST(ScenarioLoader, SettingATeamsFteReplacesItsBudget) {
  const std::string baseline = test_support::source_path("scenarios/england_baseline.toml");
  const auto early_help = [](const Scenario& s) { return s.pathway.services()[s.pathway.find("early_help")].team; };
  const Scenario budgeted = load_scenario(baseline);
  EXPECT_GT(early_help(budgeted).budget_gbp, 0.0);
  const Scenario staffed = load_scenario(baseline, {{"service.early_help.team.fte", "180"}});
  EXPECT_DOUBLE_EQ(early_help(staffed).fte, 180.0);
  EXPECT_DOUBLE_EQ(early_help(staffed).budget_gbp, 0.0);
  // And back, in a [[change]]: from year 2 the team is a budget again.
  const Scenario back = load_scenario_text(
      "name = \"b\"\nversion = \"1\"\ndescription = \"d\"\nbase = \"" + baseline +
          "\"\n[[change]]\nfrom_year = 2\nset = { \"service.early_help.team.budget_gbp\" = 2300000 }\n",
      "back.toml", {{"service.early_help.team.fte", "180"}});
  EXPECT_DOUBLE_EQ(early_help(back.at(1.0)).fte, 180.0);
  EXPECT_DOUBLE_EQ(early_help(back.at(400.0)).budget_gbp, 2300000.0);
  EXPECT_DOUBLE_EQ(early_help(back.at(400.0)).fte, early_help(budgeted).fte / 2.0);
  try {
    load_scenario(baseline, {{"service.early_help.team.fte", "1.1", Edit::multiply}});
    ADD_FAILURE() << "a relative edit of a budgeted team's FTE was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("--set service.early_help.team.fte*=1.1: this team's staff are set by its "
                                         "budget: multiply service.early_help.team.budget_gbp instead"),
              std::string::npos)
        << e.what();
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
  const std::string e = error_of(variant("entry = true", "entry = = true"));
  EXPECT_NE(e.find("bad.toml:18:"), std::string::npos) << e;
  EXPECT_NE(e.find("TOML syntax error"), std::string::npos) << e;
}

TEST(ScenarioLoader, UnknownKeyNamesFileLineAndKey) {
  const std::string e = error_of(variant("entry = true", "entry = true\nscreenrs = 4"));
  EXPECT_NE(e.find("bad.toml:19: service.front_door.screenrs: unknown key"), std::string::npos) << e;
}

TEST(ScenarioLoader, UnknownSourceAndSection) {
  EXPECT_NE(error_of(variant("[sources.police]", "[sources.polise]")).find("sources.polise: unknown referral source"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(valid) + "\n[extra]\nx = 1\n").find("extra: unknown key"), std::string::npos);
}

TEST(ScenarioLoader, WrongType) {
  const std::string e = error_of(variant("fte = 3,", "fte = \"three\","));
  EXPECT_NE(e.find("bad.toml:19: service.front_door.team.fte: expected a whole number"), std::string::npos) << e;
  EXPECT_NE(error_of(variant("contacts_per_day = 5.0", "contacts_per_day = true")).find("expected a number"),
            std::string::npos);
}

TEST(ScenarioLoader, NegativeRate) {
  const std::string e = error_of(variant("contacts_per_day = 5.0", "contacts_per_day = -5.0"));
  EXPECT_NE(e.find("bad.toml:10: sources.police.contacts_per_day: -5 is out of range"), std::string::npos) << e;
}

TEST(ScenarioLoader, ProbabilityOverOne) {
  const std::string e = error_of(variant("referral = 0.3", "referral = 1.3"));
  EXPECT_NE(e.find("service.front_door.decisions.referral: 1.3 is out of range"), std::string::npos) << e;
}

TEST(ScenarioLoader, SharesMustSumToOne) {
  const std::string e = error_of(variant("referral = 0.3", "referral = 0.35"));
  EXPECT_NE(e.find("service.front_door.decisions: shares must sum to 1"), std::string::npos) << e;
}

TEST(ScenarioLoader, ZeroScreeners) {
  const std::string e = error_of(variant("fte = 3,", "fte = 0,"));
  EXPECT_NE(e.find("service.front_door.team.fte: 0 is out of range"), std::string::npos) << e;
}

TEST(ScenarioLoader, DistributionKeysDependOnTheFamily) {
  // sd_days belongs to lognormal only.
  const std::string e = error_of(variant("shape = 2.0", "sd_days = 2.0"));
  EXPECT_NE(e.find("service.front_door.work.sd_days: unknown key"), std::string::npos) << e;
  EXPECT_NE(error_of(variant("\"gamma\"", "\"weibull\"")).find("\"weibull\" is not allowed"), std::string::npos);
}

TEST(ScenarioLoader, ScheduleMustIncrease) {
  const std::string e = error_of(variant("from_day = 200", "from_day = 50"));
  EXPECT_NE(e.find("service.front_door.team.schedule[1]: from_day must increase"), std::string::npos) << e;
}

TEST(ScenarioLoader, MissingRequiredKeys) {
  const std::string e = error_of(variant("name = \"test\"\n", ""));
  EXPECT_NE(e.find("name: is required but missing"), std::string::npos) << e;
}

TEST(ScenarioLoader, ReportsEveryProblemNotJustTheFirst) {
  std::string text = variant("fte = 3,", "fte = 0,");
  text.replace(text.find("referral = 0.3"), 14, "referral = 2.0");
  const std::string e = error_of(text);
  EXPECT_NE(e.find("service.front_door.team.fte"), std::string::npos) << e;
  EXPECT_NE(e.find("service.front_door.decisions.referral"), std::string::npos) << e;
}

TEST(ScenarioLoader, OverridesAreAppliedAndRecorded) {
  const Scenario s = load_scenario_text(valid, "good.toml",
                                        {{"service.front_door.team.fte", "7"},
                                         {"service.front_door.work.mean_days", "0.3"},
                                         {"service.front_door.work.shape", "4"}});
  const ServiceSpec& fd = s.pathway.services()[0];
  EXPECT_EQ(fd.team.fte, 7.0);
  EXPECT_EQ(fd.team.max_fte(), 7.0);
  EXPECT_EQ(fd.work.mean(), 0.3);
  EXPECT_EQ(fd.work.shape(), 4.0);
  ASSERT_EQ(s.overrides.size(), 3u);
  EXPECT_EQ(s.overrides[0].key, "service.front_door.team.fte");
  // The file's shape stays a problem when the family changes: shape is not a lognormal key.
  EXPECT_NE(error_of(valid, {{"service.front_door.work.distribution", "lognormal"}}).find("shape: unknown key"),
            std::string::npos);
}

TEST(ScenarioLoader, OverrideMayAddADeclaredSource) {
  const Scenario s = load_scenario_text(valid, "good.toml", {{"sources.health.contacts_per_day", "2.5"}});
  ASSERT_EQ(s.sources.size(), 3u);
  EXPECT_EQ(s.sources[2].kind, SourceKind::health);
  EXPECT_EQ(s.sources[2].contacts_per_day, 2.5);
}

TEST(ScenarioLoader, BadOverridesNameTheOverride) {
  const std::string unknown = error_of(valid, {{"service.front_door.screenrs", "4"}});
  EXPECT_NE(unknown.find("--set service.front_door.screenrs=4: service.front_door.screenrs: unknown key"),
            std::string::npos)
      << unknown;
  const std::string range = error_of(valid, {{"service.front_door.team.fte", "0"}});
  EXPECT_NE(range.find("--set service.front_door.team.fte=0: service.front_door.team.fte: 0 is out of range"),
            std::string::npos)
      << range;
  const std::string type = error_of(valid, {{"service.front_door.team.fte", "many"}});
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

TEST(ScenarioLoader, RelativeOverridesMultiplyOrAddToTheValueInTheFile) {
  const Override times = parse_override("sources.police.contacts_per_day*=1.5");
  EXPECT_EQ(times.key, "sources.police.contacts_per_day");
  EXPECT_EQ(times.edit, Edit::multiply);
  EXPECT_EQ(times.text(), "sources.police.contacts_per_day*=1.5");
  EXPECT_EQ(parse_override("service.team.team.fte+=-1").edit, Edit::add);
  EXPECT_THROW(parse_override("*=2"), ScenarioError);

  const Scenario s = load_scenario_text(
      valid, "good.toml",
      {times, parse_override("sources.schools.contacts_per_day+=0.5"), parse_override("service.team.team.fte*=1.1"),
       parse_override("service.front_door.team.fte*=1.4"), parse_override("service.front_door.work.mean_days*=2")});
  EXPECT_DOUBLE_EQ(s.sources[0].contacts_per_day, 7.5);  // 5 x 1.5
  EXPECT_DOUBLE_EQ(s.sources[1].contacts_per_day, 4.5);  // 4 + 0.5
  EXPECT_DOUBLE_EQ(s.pathway.services()[1].team.fte, 5.5);
  // Screeners are whole: 3 x 1.4 = 4.2 is rounded to 4.
  EXPECT_EQ(s.pathway.services()[0].team.fte, 4.0);
  EXPECT_DOUBLE_EQ(s.pathway.services()[0].work.mean(), 0.4);
  // Edits apply in order, each to the value the one before left.
  const Scenario twice =
      load_scenario_text(valid, "good.toml", {parse_override("sources.police.contacts_per_day+=1"), times});
  EXPECT_DOUBLE_EQ(twice.sources[0].contacts_per_day, 9.0);  // (5 + 1) x 1.5
  // A key the file leaves at its default starts from the default (holiday_factor of police: 1).
  const Scenario from_default =
      load_scenario_text(valid, "good.toml", {parse_override("sources.police.holiday_factor*=0.5")});
  EXPECT_DOUBLE_EQ(from_default.sources[0].holiday_factor, 0.5);
}

TEST(ScenarioLoader, RelativeOverridesOfListsAndTheirErrors) {
  const std::string baseline = test_support::source_path("scenarios/england_baseline.toml");
  auto with = [&](const std::string& set) { return load_scenario(baseline, {parse_override(set)}); };
  const NeedRates file = test_support::england_baseline().need.up_per_year;
  auto up = [](const Scenario& s) { return s.need.up_per_year; };
  // A list changes element by element: by one number, or by as many.
  const NeedRates scaled = up(with("need.up_per_year*=2"));
  const NeedRates each = up(with("need.up_per_year+=[0, 0.1, 0, 0, 0]"));
  for (int k = 0; k < need_levels; ++k) {
    EXPECT_DOUBLE_EQ(scaled[k], 2 * file[k]);
    EXPECT_DOUBLE_EQ(each[k], file[k] + (k == 1 ? 0.1 : 0.0));
  }

  auto error = [&](const std::string& set) {
    try {
      with(set);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("need.up_per_year*=[1, 2]").find("--set need.up_per_year*=[1, 2]: the value has 5 numbers, and 2"),
            std::string::npos);
  EXPECT_NE(error("service.front_door.kind*=2").find("cannot multiply the text"), std::string::npos);
  EXPECT_NE(error("service.front_door.team.fte*=many").find("expected a number"), std::string::npos);
  EXPECT_NE(error("service.front_door.thresholds*=2").find("cannot multiply a table"), std::string::npos)
      << error("service.front_door.thresholds*=2");
  EXPECT_NE(error("need.up_per_yeer*=2").find("not a key a scenario may hold"), std::string::npos);
  // The result is checked like any value, and blamed on the override.
  EXPECT_NE(error("service.assessment.team.fte*=-1")
                .find("--set service.assessment.team.fte*=-1: service.assessment.team.fte: "),
            std::string::npos)
      << error("service.assessment.team.fte*=-1");
}

TEST(ScenarioLoader, ChangesMayMultiplyOrAddToTheValuesInForce) {
  std::string text = valid;
  text += R"(
[[change]]
from_year = 2
multiply = { "sources.police.contacts_per_day" = 2.0 }

[[change]]
from_day = 500
multiply = { "sources.police.contacts_per_day" = 1.5 }
add = { "service.team.team.fte" = 2 }
)";
  const Scenario s = load_scenario_text(text, "changes.toml");
  ASSERT_EQ(s.changes.size(), 2u);
  EXPECT_DOUBLE_EQ(s.changes[0].scenario->sources[0].contacts_per_day, 10.0);
  EXPECT_DOUBLE_EQ(s.changes[1].scenario->sources[0].contacts_per_day, 15.0);  // on the change before
  EXPECT_DOUBLE_EQ(s.changes[1].scenario->pathway.services()[1].team.fte, 7.0);
  const std::string e =
      error_of(std::string(valid) + "\n[[change]]\nfrom_year = 2\nadd = { \"service.front_door.label\" = 1 }\n");
  EXPECT_NE(e.find("cannot change over time"), std::string::npos) << e;
  const std::string none = error_of(std::string(valid) + "\n[[change]]\nfrom_year = 2\nlabel = \"nothing\"\n");
  EXPECT_NE(none.find("needs a set, multiply or add table"), std::string::npos) << none;
  // A bad amount is blamed on its own line of the file.
  const std::string amount = error_of(
      std::string(valid) + "\n[[change]]\nfrom_year = 2\nmultiply = { \"sources.police.contacts_per_day\" = -1.0 }\n");
  EXPECT_NE(amount.find("out of range"), std::string::npos) << amount;
}

// The team of service `id` in `s`.
const ServiceSpec& service(const Scenario& s, const std::string& id) {
  for (const auto& sv : s.pathway.services()) {
    if (sv.id == id) return sv;
  }
  throw std::runtime_error("no service " + id);
}

TEST(ScenarioScaling, ASmallerCouncilScalesEveryPerChildValueWrittenForTheBase) {
  const std::string baseline = test_support::source_path("scenarios/england_baseline.toml");
  const Scenario& england = test_support::england_baseline();
  const Scenario council = load_scenario(baseline, {parse_override("population.children=60000")});
  EXPECT_EQ(council.children, 60000);
  EXPECT_DOUBLE_EQ(service(council, "assessment").team.fte, 0.6 * service(england, "assessment").team.fte);
  EXPECT_EQ(service(council, "assessment").initial_cases, 450);  // 750 x 0.6
  EXPECT_DOUBLE_EQ(service(council, "early_help").team.budget_gbp,
                   0.6 * service(england, "early_help").team.budget_gbp);
  EXPECT_EQ(service(council, "front_door").team.fte, 12.0);  // whole screeners: 20 x 0.6
  EXPECT_EQ(council.scaled_from, 100000);
  EXPECT_EQ(council.scaled.size(), 12u);
  // Rates per child are not scaled: they are per child already.
  EXPECT_EQ(council.sources[0].notice_per_year, england.sources[0].notice_per_year);

  // Held as written with population.scale = "absolute".
  const Scenario held = load_scenario(
      baseline, {parse_override("population.children=60000"), parse_override("population.scale=absolute")});
  EXPECT_EQ(service(held, "assessment").team.fte, service(england, "assessment").team.fte);
  EXPECT_TRUE(held.scaled.empty());
  // A --set is the user's own figure for this council: not scaled.
  const Scenario own = load_scenario(
      baseline, {parse_override("population.children=60000"), parse_override("service.assessment.team.fte=40")});
  EXPECT_EQ(service(own, "assessment").team.fte, 40.0);
  // ... and a relative edit changes the scaled value.
  const Scenario more = load_scenario(
      baseline, {parse_override("population.children=60000"), parse_override("service.assessment.team.fte*=1.5")});
  EXPECT_DOUBLE_EQ(service(more, "assessment").team.fte, 54.0);
  EXPECT_THROW(load_scenario(baseline, {parse_override("population.scale=per_head")}), ScenarioError);
}

TEST(ScenarioScaling, ACouncilFileOnABaseKeepsItsOwnFiguresAndScalesTheBases) {
  test_support::TempDir dir;
  const std::string baseline = test_support::source_path("scenarios/england_baseline.toml");
  const std::filesystem::path file = dir.path() / "council.toml";
  test_support::write_file(file, "name = \"council\"\nversion = \"1\"\ndescription = \"a council\"\nbase = \"" +
                                     baseline +
                                     "\"\n\n[population]\nchildren = 50000\n\n"
                                     "[service.assessment]\nteam = { fte = 33 }\n");
  const Scenario council = load_scenario(file.string());
  EXPECT_EQ(service(council, "assessment").team.fte, 33.0);      // the council's own establishment
  EXPECT_DOUBLE_EQ(service(council, "cp_plan").team.fte, 17.5);  // the base's 35, for half the children
  EXPECT_EQ(service(council, "cp_plan").initial_cases, 215);
  // Flattened (as a run carries it) and read again, nothing is scaled twice.
  const std::string flat = flatten_scenario(file.string(), {});
  const Scenario again = load_scenario_text(flat, "flat.toml");
  EXPECT_DOUBLE_EQ(service(again, "cp_plan").team.fte, 17.5);
  EXPECT_EQ(service(again, "assessment").team.fte, 33.0);
  EXPECT_TRUE(again.scaled.empty());
}

TEST(ScenarioLoader, DeterministicArrivalsCannotFollowTheSchoolCalendar) {
  const std::string e =
      error_of(valid, {{"sources.schools.arrivals", "deterministic"}});  // schools follow the calendar
  EXPECT_NE(e.find("deterministic arrivals cannot follow the school calendar"), std::string::npos) << e;
}

TEST(ScenarioLoader, IncludesMergeInOrderAndKeepTheirLines) {
  test_support::TempDir dir;
  test_support::write_file(dir.path() / "demand.toml", "[sources.police]\ncontacts_per_day = 3.0\n");
  std::string text = valid;
  text.replace(text.find("[simulation]"), 12, "include = [\"demand.toml\"]\n\n[simulation]");
  // The scenario's own police rate wins over the included one.
  test_support::write_file(dir.path() / "s.toml", text);
  const Scenario s = load_scenario((dir.path() / "s.toml").string());
  ASSERT_EQ(s.includes.size(), 1u);
  EXPECT_EQ(s.sources[0].contacts_per_day, 5.0);
  // A problem inside an included file is reported with that file's name and line.
  test_support::write_file(dir.path() / "demand.toml", "[sources.police]\n\ncontacts_per_dy = 3.0\n");
  try {
    load_scenario((dir.path() / "s.toml").string());
    FAIL();
  } catch (const ScenarioError& e) {
    const std::string expected =
        (dir.path() / "demand.toml").string() + ":3: sources.police.contacts_per_dy: unknown key";
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
  test_support::write_file(dir.path() / "demand.toml", "name = \"x\"\n");
  EXPECT_THROW(load_scenario((dir.path() / "s.toml").string()), ScenarioError);
  std::filesystem::remove(dir.path() / "demand.toml");
  EXPECT_THROW(load_scenario((dir.path() / "s.toml").string()), ScenarioError);
}

TEST(ScenarioLoader, ChangesFromAGivenYearAreCumulative) {
  std::string text = valid;
  text += R"(
[[change]]
from_year = 2
label = "more police contacts"
set = { "sources.police.contacts_per_day" = 8.0, "service.front_door.decisions.referral" = 0.4, "service.front_door.decisions.no_further_action" = 0.5 }

[[change]]
from_day = 500
set = { "service.team.team.fte" = 7 }
)";
  const Scenario s = load_scenario_text(text, "changes.toml");
  ASSERT_EQ(s.changes.size(), 2u);
  EXPECT_EQ(s.changes[0].from_day, 365.0);  // 1 April 2025
  EXPECT_EQ(s.changes[0].label, "more police contacts");
  EXPECT_EQ(s.changes[0].scenario->sources[0].contacts_per_day, 8.0);
  EXPECT_EQ(s.changes[1].scenario->sources[0].contacts_per_day, 8.0);  // the first change still holds
  EXPECT_EQ(s.changes[1].scenario->pathway.services()[1].team.fte, 7.0);
  EXPECT_EQ(&s.at(100), &s);
  EXPECT_EQ(&s.at(400), s.changes[0].scenario.get());
  EXPECT_EQ(&s.at(600), s.changes[1].scenario.get());
}

TEST(ScenarioLoader, ChangeErrors) {
  auto with_change = [](const std::string& change) { return error_of(std::string(valid) + "\n[[change]]\n" + change); };
  EXPECT_NE(with_change("from_year = 2\nset = { \"service.front_door.cost.per_fte_year\" = 1 }")
                .find("cannot change over time"),
            std::string::npos);
  EXPECT_NE(with_change("from_year = 2\nfrom_day = 3\nset = { \"sources.police.contacts_per_day\" = 1 }")
                .find("exactly one of from_year and from_day"),
            std::string::npos);
  EXPECT_NE(with_change("from_year = 9\nset = { \"sources.police.contacts_per_day\" = 1 }").find("out of range"),
            std::string::npos);
  // The changed scenario is validated like any other: shares that no longer sum to 1 are named.
  const std::string e = with_change("from_year = 2\nset = { \"service.front_door.decisions.referral\" = 0.5 }");
  EXPECT_NE(e.find("in the change from day 365"), std::string::npos) << e;
  EXPECT_NE(e.find("shares must sum to 1"), std::string::npos) << e;
  // A new decision would change the pathway's shape: it is refused (here for having no route).
  const std::string added = with_change("from_year = 2\nset = { \"service.front_door.decisions.other\" = 0.0 }");
  EXPECT_NE(added.find("in the change from day 365"), std::string::npos) << added;
  EXPECT_NE(added.find("\"other\""), std::string::npos) << added;
}

TEST(ScenarioLoader, ReferenceModelSettingsAreCheckedWithFileLineAndKey) {
  using test_support::source_path;
  // The reference scenario loads, with need-based decisions and a budget-free early-help team.
  const Scenario s = load_scenario(test_support::source_path("scenarios/england_baseline.toml"));
  EXPECT_TRUE(s.need.enabled);
  EXPECT_TRUE(s.pathway.services()[s.pathway.find("front_door")].need_rule.active);
  EXPECT_GE(s.need.referral, 0);
  // Wrong values are reported with the key; a budget sets the FTE from the costs.
  auto error = [&](const std::vector<Override>& o) {
    try {
      load_scenario(test_support::source_path("scenarios/england_baseline.toml"), o);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error({{"need.up_per_year", "[0.1, 0.2]"}}).find("need.up_per_year: expected 5 numbers"),
            std::string::npos);
  EXPECT_NE(error({{"need.down_per_year", "[0.0, 1.0, -1.0, 0.3, 0.3]"}}).find("need.down_per_year[2]"),
            std::string::npos);
  EXPECT_NE(error({{"service.early_help.escalate.decision", "\"nowhere\""}}).find("not a decision of early_help"),
            std::string::npos);
  EXPECT_NE(error({{"sources.police.contacts_per_day", "3"}}).find("use notice_per_year"), std::string::npos);
  EXPECT_NE(error({{"need.referral_service", "\"nope\""}}).find("is not a service"), std::string::npos);
  // Reviews need both their frequency and their hours; the case-holding share is a share of the FTE.
  EXPECT_NE(error({{"service.cp_plan.cost.review_hours", "0"}})
                .find("service.cp_plan.cost.review_every_days: review_every_days and review_hours go together"),
            std::string::npos);
  EXPECT_NE(error({{"service.assessment.team.case_holding_share", "0"}}).find("case_holding_share"), std::string::npos);
  EXPECT_NE(error({{"costs.overload_cover", "1.5"}}).find("costs.overload_cover"), std::string::npos);
  // Unaccompanied children: ages on arrival in order, a caseload team to arrive at, a rate in range.
  EXPECT_NE(error({{"need.unaccompanied.from_age", "17"}, {"need.unaccompanied.to_age", "16"}})
                .find("need.unaccompanied.to_age: must be above from_age"),
            std::string::npos);
  EXPECT_NE(error({{"need.unaccompanied.service", "\"front_door\""}})
                .find("need.unaccompanied.service: \"front_door\" is not a caseload team"),
            std::string::npos);
  EXPECT_NE(error({{"need.unaccompanied.per_10k_per_year", "-1"}}).find("need.unaccompanied.per_10k_per_year"),
            std::string::npos);
  EXPECT_NE(error({{"need.unaccompanied.need", "0"}}).find("need.unaccompanied.need"), std::string::npos);
  const Scenario budget = load_scenario(test_support::source_path("scenarios/england_baseline.toml"),
                                        {{"service.early_help.team.budget_gbp", "4000000"}});
  const ServiceSpec& eh = budget.pathway.services()[budget.pathway.find("early_help")];
  const double per_fte = eh.cost.per_fte_year + eh.cost.per_case * eh.team.caseload_cap * 365.25 / eh.duration.mean();
  EXPECT_NEAR(eh.team.fte, 4000000.0 / per_fte, 1e-9);
}

TEST(ScenarioLoader, ThresholdsNeedANeedTable) {
  EXPECT_NE(error_of(variant("decisions = {", "thresholds = { a = 1.0 }\ndecisions = {")).find("need a [need] table"),
            std::string::npos);
}

TEST(ScenarioLoader, ReinvestmentNamesItsServices) {
  const std::string rule =
      "\n[reinvestment]\nshare = 0.33\nwatch = [\"nowhere\"]\ninto = \"front_door\"\nfrom_year = 2\n";
  const std::string error = error_of(std::string(valid) + rule);
  EXPECT_NE(error.find("reinvestment.watch"), std::string::npos) << error;
  EXPECT_NE(error.find("\"nowhere\" is not a service"), std::string::npos) << error;
  EXPECT_NE(error.find("reinvestment.into"), std::string::npos) << error;  // a screening queue has no caseload
  EXPECT_NE(error.find("bad.toml:"), std::string::npos) << error;
  EXPECT_NE(error_of(std::string(valid) + "\n[reinvestment]\nshare = 1.5\nwatch = [\"front_door\"]\n")
                .find("reinvestment.share"),
            std::string::npos);
}

TEST(ScenarioLoader, InitialCaseloadsBelongToCaseloadTeamsWithNeed) {
  const Scenario s = load_scenario(test_support::source_path("scenarios/england_baseline.toml"),
                                   {{"service.looked_after.initial.cases", "900"}});
  const ServiceSpec& lac = s.pathway.services()[s.pathway.find("looked_after")];
  EXPECT_EQ(lac.initial_cases, 900);
  EXPECT_EQ(lac.initial_need, 3);
  std::string error;
  try {
    load_scenario(test_support::source_path("scenarios/england_baseline.toml"),
                  {{"service.referral.initial", "{ cases = 10, need = 3 }"}});
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("only a caseload team starts with cases"), std::string::npos) << error;
  EXPECT_NE(error.find("service.referral.initial"), std::string::npos) << error;
}

TEST(ScenarioLoader, PlacementSharesSumToOneOnACaseloadTeam) {
  const std::string bad =
      variant("duration = { distribution = \"fixed\", mean_days = 30 }",
              "duration = { distribution = \"fixed\", mean_days = 30 }\n"
              "placements = { foster = { share = 0.6, per_week = 650 }, home = { share = 0.3, per_week = 4500 } }");
  const std::string error = error_of(bad);
  EXPECT_NE(error.find("service.team.placements"), std::string::npos) << error;
  EXPECT_NE(error.find("sum to 0.9"), std::string::npos) << error;
  EXPECT_NE(error_of(variant("decisions = { no_further_action",
                             "placements = { x = { share = 1, per_week = 1 } }\ndecisions = { no_further_action"))
                .find("only a caseload team places children"),
            std::string::npos);
}

// Flattening: a scenario on a base, with included files and [[change]] tables, becomes one TOML text that loads
// as the same scenario (the trainer's "save as scenario" and frontdoor run rely on it).
TEST(ScenarioFlatten, EveryShippedScenarioLoadsAsItself) {
  for (const char* file : {"scenarios/england_baseline.toml", "scenarios/policies/raise_threshold.toml",
                           "scenarios/policies/child_death_shock.toml", "scenarios/policies/workforce_cut_agency.toml",
                           "scenarios/policies/essex_reinvestment.toml", "scenarios/england_fixed_shares.toml"}) {
    SCOPED_TRACE(file);
    const std::string path = test_support::source_path(file);
    const Scenario original = load_scenario(path);
    const std::string text = flatten_scenario(path, {});
    EXPECT_EQ(text.find("include"), std::string::npos);
    EXPECT_EQ(text.find("\nbase ="), std::string::npos);
    EXPECT_EQ(text.rfind("name = ", 0), 0u) << "a flattened scenario opens with its name";
    const Scenario flat = load_scenario_text(text, "flat.toml");
    ASSERT_EQ(flat.parameters.size(), original.parameters.size());
    for (std::size_t i = 0; i < flat.parameters.size(); ++i) {
      EXPECT_EQ(flat.parameters[i].key, original.parameters[i].key);
      EXPECT_EQ(flat.parameters[i].value, original.parameters[i].value) << flat.parameters[i].key;
    }
    ASSERT_EQ(flat.pathway.services().size(), original.pathway.services().size());
    for (std::size_t s = 0; s < flat.pathway.services().size(); ++s) {
      EXPECT_EQ(flat.pathway.services()[s].id, original.pathway.services()[s].id) << "services keep their order";
    }
    ASSERT_EQ(flat.pathway.routes().size(), original.pathway.routes().size());
    for (std::size_t r = 0; r < flat.pathway.routes().size(); ++r) {
      EXPECT_EQ(flat.pathway.routes()[r].id, original.pathway.routes()[r].id) << "routes keep their order";
    }
    ASSERT_EQ(flat.reporting.size(), original.reporting.size());
    for (std::size_t m = 0; m < flat.reporting.size(); ++m)
      EXPECT_EQ(flat.reporting[m].name, original.reporting[m].name);
    ASSERT_EQ(flat.changes.size(), original.changes.size());
    for (std::size_t c = 0; c < flat.changes.size(); ++c)
      EXPECT_EQ(flat.changes[c].from_day, original.changes[c].from_day);
    EXPECT_EQ(text.find("0.59999999999999998"), std::string::npos) << "numbers are written in their shortest form";
  }
}

TEST(ScenarioFlatten, OverridesAndAppendedTablesAreMergedAndChecked) {
  const std::string path = test_support::source_path("scenarios/england_baseline.toml");
  const std::string text =
      flatten_scenario(path, {{"service.front_door.thresholds.referral", "3.4"}, {"simulation.years", "5"}},
                       "[[change]]\nfrom_year = 4\nset = { \"need.threshold_shift\" = -0.3 }\n", "# a header\n");
  EXPECT_EQ(text.rfind("# a header\n", 0), 0u);
  const Scenario flat = load_scenario_text(text, "flat.toml");
  EXPECT_EQ(flat.simulation.years, 5);
  ASSERT_EQ(flat.changes.size(), 1u);
  bool found = false;
  for (const auto& p : flat.parameters) {
    if (p.key == "service.front_door.thresholds.referral") {
      EXPECT_EQ(p.value, "3.4");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  // What would not load is refused, with the loader's own message.
  try {
    flatten_scenario(path, {{"service.front_door.noise_sd", "-1"}});
    FAIL() << "a negative noise was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("service.front_door.noise_sd"), std::string::npos) << e.what();
  }
}

TEST(ScenarioFlatten, ChangesAfterTheLastYearAreLeftOutAndAppendedOnesJoinTheTimeline) {
  const std::string path =
      test_support::source_path("scenarios/policies/child_death_shock.toml");  // changes in years 4, 5, 6
  const Scenario shorter = load_scenario_text(flatten_scenario(path, {{"simulation.years", "5"}}), "flat.toml");
  ASSERT_EQ(shorter.changes.size(), 2u) << "the change of year 6 never starts in a 5-year run";
  const Scenario longer =
      load_scenario_text(flatten_scenario(path, {},
                                          "[[change]]\nfrom_year = 8\nset = { \"need.threshold_shift\" = 0.1 }\n\n"
                                          "[[change]]\nfrom_year = 2\nset = { \"need.threshold_shift\" = 0.05 }\n"),
                         "flat.toml");
  ASSERT_EQ(longer.changes.size(), 5u);
  for (std::size_t c = 1; c < longer.changes.size(); ++c) {
    EXPECT_LT(longer.changes[c - 1].from_day, longer.changes[c].from_day) << "in order of their first day";
  }
}

// A scenario, a base or an include that is not a regular file (a FIFO, a device, a directory) or is absurdly large
// is refused at once with a clear message: never a hang, never memory eaten, never "an empty file".
TEST(ScenarioLoader, OnlyRegularFilesOfASaneSizeAreRead) {
  test_support::TempDir dir;
  const auto path = [&](const std::string& name) { return (dir.path() / name).string(); };
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  const auto with = [&](const std::string& line) {
    std::string t = valid;
    t.replace(t.find("[simulation]"), 12, line + "\n\n[simulation]");
    return t;
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {with("include = \"fifo\""), "it is a pipe (FIFO), not a regular file"},
      {with("include = \"/dev/zero\""), "it is a device, not a regular file"},
      {with("include = \".\""), "it is a directory, not a regular file"},
      {"base = \"fifo\"\nname = \"x\"\n", "it is a pipe (FIFO), not a regular file"},
      {"base = \"/dev/zero\"\nname = \"x\"\n", "it is a device, not a regular file"},
  };
  for (const auto& [scenario, expected] : cases) {
    test_support::write_file(path("s.toml"), scenario);
    try {
      load_scenario(path("s.toml"));
      ADD_FAILURE() << scenario;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("s.toml:"), std::string::npos) << "names where it was named: " << e.what();
    }
  }
  for (const std::string& direct : {path("fifo"), std::string("/dev/zero"), dir.path().string()}) {
    EXPECT_THROW(load_scenario(direct), ScenarioError) << direct;
    EXPECT_THROW(flatten_scenario(direct, {}), ScenarioError) << direct;
  }
  test_support::write_file(path("huge.toml"), std::string(17u << 20, '#'));
  try {
    load_scenario(path("huge.toml"));
    ADD_FAILURE();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("larger than 16 MiB"), std::string::npos) << e.what();
  }
}

// A problem anywhere inside an override's value is the override's, not a line of the file's.
TEST(ScenarioLoader, ProblemsInsideAnOverridesValueAreBlamedOnIt) {
  const std::string in_array =
      error_of(valid, {{"service.front_door.team.schedule", "[{from_day = 100, fte = \"x\"}]"}});
  EXPECT_NE(in_array.find("--set service.front_door.team.schedule=[{from_day = 100, fte = \"x\"}]: "
                          "service.front_door.team.schedule[0].fte"),
            std::string::npos)
      << in_array;
  EXPECT_EQ(in_array.find("bad.toml"), std::string::npos) << in_array;
  const std::string in_table = error_of(valid, {{"service.front_door.team", "{fte = -1}"}});
  EXPECT_NE(in_table.find("--set service.front_door.team={fte = -1}: service.front_door.team.fte"), std::string::npos)
      << in_table;
}

TEST(ScenarioLoader, OverrideTextMustBeOneLineOfUtf8) {
  EXPECT_THROW(parse_override("description=\"x\"\n[evil]\nk=1"), ScenarioError);
  EXPECT_THROW(parse_override("description=a\rb"), ScenarioError);
  EXPECT_THROW(parse_override("description=caf\xe9"), ScenarioError);
  EXPECT_THROW(parse_override("description=\xed\xa0\x80"), ScenarioError);  // a UTF-16 surrogate
  EXPECT_EQ(parse_override("description=caf\xc3\xa9").value, "caf\xc3\xa9");
}

// Thresholds may move, but an override may not reorder them: the early-help line above the referral line would
// send the neediest children to early help.
TEST(ScenarioLoader, OverridesKeepAServicesThresholdsInOrder) {
  const std::string england = test_support::source_path("scenarios/england_baseline.toml");
  const auto error = [&](const std::vector<Override>& overrides) {
    try {
      load_scenario(england, overrides);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string crossed = error({{"service.front_door.thresholds.early_help", "3.5"}});
  EXPECT_NE(
      crossed.find("--set service.front_door.thresholds.early_help=3.5: service.front_door.thresholds.early_help: "
                   "early_help (3.5) would be above referral (2.7)"),
      std::string::npos)
      << crossed;
  EXPECT_NE(
      error({{"service.child_in_need.thresholds.review", "3.6"}}).find("review (3.6) would be above escalate (3.5)"),
      std::string::npos);
  EXPECT_EQ(error({{"service.front_door.thresholds.early_help", "2.7"}}), "");  // equal is allowed
  EXPECT_EQ(error({{"service.front_door.thresholds", "{ no_further_action = 0.0, early_help = 2.1, referral = 2.4 }"}}),
            "");
  // The shipped policies move them together and load (EveryShippedScenarioLoads covers the files).
  EXPECT_EQ(
      error({{"service.front_door.thresholds.referral", "3.0"}, {"service.front_door.thresholds.early_help", "2.6"}}),
      "");
}
