// The parameter schema: well-formed rows, agreement with what the loader records for every shipped scenario, the
// rule for what may change over time, and its Markdown and CSV forms.
#include "models/parameter_schema.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "models/scenario_loader.hpp"
#include "models/toml_reader.hpp"
#include "test_support.hpp"

using namespace frontdoor;

namespace {

std::vector<std::string> shipped_scenarios() { return test_support::shipped_scenarios(); }

bool is_number(ParameterType t) {
  return t == ParameterType::number || t == ParameterType::whole_number || t == ParameterType::per_need_level ||
         t == ParameterType::per_age_band;
}

}  // namespace

TEST(ParameterSchema, RowsAreWellFormed) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const ParameterSpec& p : parameter_schema()) {
    SCOPED_TRACE(std::string(p.key) + " " + std::string(p.applies_to));
    EXPECT_TRUE(seen.insert({p.key, p.applies_to}).second) << "twice";
    EXPECT_FALSE(p.description.empty());
    if (is_number(p.type) && p.hi_text.empty()) {
      EXPECT_LT(p.lo, p.hi);
    }
    if ((p.type == ParameterType::number || p.type == ParameterType::whole_number) && !p.required &&
        p.default_note.empty()) {
      EXPECT_GE(p.fallback, p.lo);
      if (p.hi_text.empty()) {
        EXPECT_LE(p.fallback, p.hi);
      }
    }
    if (!p.choices.empty() && !p.fallback_text.empty()) {
      EXPECT_NE(
          std::string(", ").append(p.choices).append(", ").find(std::string(", ").append(p.fallback_text).append(", ")),
          std::string::npos);
    }
    // Every dotted key sits in a table or list the schema has (a key must be reachable to be read).
    const auto dot = p.key.rfind('.');
    if (dot != std::string_view::npos) {
      bool parent = false;
      for (const ParameterSpec& q : parameter_schema()) {
        parent = parent ||
                 (q.key == p.key.substr(0, dot) && (q.type == ParameterType::table || q.type == ParameterType::list ||
                                                    q.type == ParameterType::selector));
      }
      EXPECT_TRUE(parent) << "no row for its table";
    }
  }
}

TEST(ParameterSchema, FindsRowsByConcreteKeyAndVariant) {
  const ParameterSpec* fte = find_parameter("service.front_door.team.fte", "screening_queue");
  ASSERT_NE(fte, nullptr);
  EXPECT_EQ(fte->type, ParameterType::whole_number);
  EXPECT_EQ(fte->unit, "screeners");
  const ParameterSpec* caseload = find_parameter("service.assessment.team.fte", "caseload_team");
  ASSERT_NE(caseload, nullptr);
  EXPECT_EQ(caseload->type, ParameterType::number);
  EXPECT_TRUE(caseload->lo_open);
  EXPECT_EQ(find_parameter("service.assessment.team.fte"), nullptr);  // the key has variants: one must be named
  EXPECT_NE(find_parameter("change[3].from_year"), nullptr);          // array indices are not part of a key
  EXPECT_NE(find_parameter("service.x.team.schedule[0].from_day"), nullptr);
  EXPECT_NE(find_parameter(std::vector<std::string>{"service", "a.b", "decisions", "c.d"}), nullptr);
  EXPECT_EQ(find_parameter("service.front_door.decisions.referral.extra"), nullptr);
  EXPECT_EQ(find_parameter("simulation.yeers"), nullptr);
}

// The loader takes units and ranges from the schema, so what it records for every shipped scenario must be found
// there, with the same unit and (where the bound does not depend on the scenario) the same range.
TEST(ParameterSchema, EveryRecordedParameterOfEveryShippedScenarioIsInTheSchema) {
  const auto paths = shipped_scenarios();
  ASSERT_GE(paths.size(), 17u);
  std::set<std::string_view> used;
  for (const auto& path : paths) {
    const Scenario scenario = load_scenario(path);
    for (const ParameterRecord& record : scenario.parameters) {
      SCOPED_TRACE(path + ": " + record.key);
      bool found = false;
      for (const ParameterSpec& p : parameter_schema()) {
        if (find_parameter(record.key, p.applies_to) != &p || p.unit != record.unit) continue;
        if (is_number(p.type) && p.hi_text.empty()) {
          // A reader may close the lower bound (a fixed distribution's mean may be 0), never move it.
          std::string range = range_text(p.lo, p.hi, p.lo_open);
          if (p.type == ParameterType::per_need_level || p.type == ParameterType::per_age_band) range += " each";
          if (range != record.range && !(p.lo_open && range_text(p.lo, p.hi, false) == record.range)) continue;
        }
        found = true;
        used.insert(p.key);
      }
      EXPECT_TRUE(found);
    }
  }
  // The England baseline alone touches most of the schema.
  EXPECT_GE(used.size(), 60u);
}

TEST(ParameterSchema, SaysWhatMayChangeOverTime) {
  for (const char* key :
       {"sources.police.contacts_per_day", "sources.schools.notice_per_year", "need.threshold_shift", "need.fgc",
        "need.fgc.coverage", "service.front_door.team", "service.x.team.fte", "service.x.team.schedule",
        "service.x.thresholds", "service.x.thresholds.referral", "service.x.decisions.new_one", "service.x.noise_sd",
        "service.x.work.mean_days", "service.x.escalate.at_need", "route.r.probability"}) {
    EXPECT_TRUE(may_change_over_time(key)) << key;
  }
  for (const char* key :
       {"need", "need.start_removal", "need.referral_service", "sources", "sources.police", "service.x",
        "service.x.kind", "service.x.cost.per_case", "service.x.placements", "service.x.initial.cases", "route.r",
        "route.r.from", "simulation.years", "reporting.x", "reinvestment.share", "service.x.bogus", "bogus"}) {
    EXPECT_FALSE(may_change_over_time(key)) << key;
  }
}

TEST(ParameterSchema, MarkdownHasEverySectionAndCsvOneLinePerRow) {
  std::ostringstream md;
  write_schema(md, SchemaFormat::markdown);
  for (const char* heading :
       {"**The scenario**", "**[simulation]**", "**[need]**", "**[sources]**", "**[service]**", "**[route]**",
        "**[reinvestment]**", "**[reporting]**", "**[[change]]**", "**Rules across keys**"}) {
    EXPECT_NE(md.str().find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(md.str().find("| `service.<id>.team.fte` (caseload_team) | number | FTE | (0, 10000] | 1 | yes |"),
            std::string::npos);
  EXPECT_NE(md.str().find("[service.&lt;id>]"), std::string::npos);  // outside code, <id> is not an HTML tag

  std::ostringstream csv;
  write_schema(csv, SchemaFormat::csv);
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "key,applies_to,type,unit,range,default,changes_over_time,description");
  std::size_t rows = 0;
  while (std::getline(lines, line)) ++rows;
  EXPECT_EQ(rows, parameter_schema().size());
  EXPECT_NE(csv.str().find("\nsimulation.warmup_days,,number,days,\"[0, horizon - 1]\",365,no,"), std::string::npos);
}

TEST(ParameterSchema, CrossKeyRulesAreListed) {
  EXPECT_GE(cross_key_rules().size(), 10u);
  for (const CrossKeyRule& r : cross_key_rules()) {
    EXPECT_FALSE(r.keys.empty());
    EXPECT_FALSE(r.rule.empty());
  }
}
