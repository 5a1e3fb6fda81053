// Reporting selectors and the [reporting] table: what parses, and what is an error with file, line and key.
#include "models/reporting.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "models/scenario_loader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::source_path;

namespace {
const Scenario& baseline() { return test_support::england_baseline(); }
std::string error_of(const std::string& text) {
  Selector sel;
  return parse_selector(text, baseline().pathway, sel);
}
}  // namespace

TEST(Reporting, SelectorsParse) {
  const Pathway& p = baseline().pathway;
  Selector sel;
  EXPECT_EQ(parse_selector("contacts@police", p, sel), "");
  EXPECT_EQ(sel.kind, Selector::Kind::contacts);
  EXPECT_EQ(*sel.source, SourceKind::police);
  EXPECT_EQ(parse_selector("open:cp_plan,looked_after", p, sel), "");
  EXPECT_EQ(sel.services.size(), 2u);
  EXPECT_TRUE(sel.is_stock());
  EXPECT_EQ(parse_selector("decision:front_door.referral@schools", p, sel), "");
  EXPECT_EQ(sel.service, p.find("front_door"));
  EXPECT_GE(sel.decision, 0);
  EXPECT_EQ(parse_selector("flow:plan_to_care,cin_to_care", p, sel), "");
  EXPECT_EQ(sel.routes.size(), 2u);
  EXPECT_EQ(parse_selector("cost", p, sel), "");
  EXPECT_FALSE(sel.is_stock());
  EXPECT_TRUE(sel.is_total());
  EXPECT_EQ(sel.cost_part, Selector::CostPart::all);
  EXPECT_EQ(parse_selector("cost.cover:assessment,cp_plan", p, sel), "");
  EXPECT_EQ(sel.cost_part, Selector::CostPart::cover);
  EXPECT_EQ(sel.services.size(), 2u);
  EXPECT_EQ(parse_selector("cost.activity", p, sel), "");
  EXPECT_EQ(sel.cost_part, Selector::CostPart::activity);
  EXPECT_TRUE(sel.services.empty());
  EXPECT_EQ(parse_selector("cost:looked_after.residential", p, sel), "");
  EXPECT_EQ(sel.service, p.find("looked_after"));
  EXPECT_EQ(p.services()[sel.service].placements[sel.placement].name, "residential");
  EXPECT_EQ(parse_selector("fgc:cp_plan,child_in_need", p, sel), "");
  EXPECT_FALSE(sel.is_total());  // a count: a rate per 10,000 a year
  for (const char* kind : {"turnover", "vacancy", "agency", "caseload"}) {
    EXPECT_EQ(parse_selector(std::string(kind) + ":assessment,looked_after", p, sel), "") << kind;
    EXPECT_TRUE(sel.is_total()) << kind;
  }
  EXPECT_EQ(std::string(total_unit_text(Selector::Kind::turnover)), "share_of_fte_per_year");
  EXPECT_EQ(std::string(total_unit_text(Selector::Kind::vacancy)), "share_of_establishment");
  EXPECT_EQ(std::string(total_unit_text(Selector::Kind::agency)), "share_of_fte");
  EXPECT_EQ(std::string(total_unit_text(Selector::Kind::caseload)), "cases_per_case_holding_fte");
}

TEST(Reporting, SelectorErrors) {
  EXPECT_NE(error_of("entries:nowhere").find("unknown service \"nowhere\""), std::string::npos);
  EXPECT_NE(error_of("decision:front_door.refer").find("is not a decision of front_door"), std::string::npos);
  EXPECT_NE(error_of("flow:nope").find("unknown route"), std::string::npos);
  EXPECT_NE(error_of("open:cp_plan@police").find("only contacts and decision"), std::string::npos);
  EXPECT_NE(error_of("contacts@martians").find("not a referral source"), std::string::npos);
  EXPECT_NE(error_of("stock:cp_plan").find("unknown selector kind"), std::string::npos);
  EXPECT_NE(error_of("entries").find("expected kind:targets"), std::string::npos);
  EXPECT_NE(error_of("cost.overtime").find("is not a part of the cost"), std::string::npos);
  EXPECT_NE(error_of("cost.staff:looked_after.residential").find("only the placements part"), std::string::npos);
  EXPECT_NE(error_of("cost:looked_after.castle").find("is not a placement of looked_after"), std::string::npos);
  EXPECT_NE(error_of("caseload:front_door").find("is not a caseload team"), std::string::npos);
  EXPECT_NE(error_of("turnover:icpc").find("has no team"), std::string::npos);
}

TEST(Reporting, BaselineDeclaresEveryTargetMeasure) {
  std::vector<std::string> names;
  for (const auto& m : baseline().reporting) names.push_back(m.name);
  for (const char* target : {"contacts", "referrals", "referral_nfa", "assessments", "assessment_duration_median",
                             "section47", "icpc", "cp_plan_starts", "cp_plans_at_31_march", "looked_after_at_31_march",
                             "children_in_need_at_31_march_incl_cp_and_lac", "looked_after_starts",
                             "early_help_assessments", "social_worker_fte", "total_cost_gbp"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), target), names.end()) << target;
  }
  EXPECT_EQ(names.front(), "contacts");  // declaration order is kept
}

// check-calibration pairs a target with a measure by name and unit, so a unit that differs leaves the target "not
// reported". Every published target but the looked-after ages (children have no ages yet) must be reported, in
// the targets file's own unit.
TEST(Reporting, BaselineReportsEveryTargetInTheTargetsUnit) {
  std::istringstream targets(test_support::read_file(source_path("calibration/england_targets.csv")));
  std::string line;
  std::getline(targets, line);  // the header
  int checked = 0;
  while (std::getline(targets, line)) {
    const std::string measure = line.substr(0, line.find(','));
    const std::string unit = line.substr(measure.size() + 1, line.find(',', measure.size() + 1) - measure.size() - 1);
    if (measure.rfind("looked_after_aged_", 0) == 0) continue;
    const auto& reporting = baseline().reporting;
    const auto found =
        std::find_if(reporting.begin(), reporting.end(), [&](const auto& m) { return m.name == measure; });
    ASSERT_NE(found, reporting.end()) << measure;
    EXPECT_EQ(found->unit, unit) << measure;
    ++checked;
  }
  EXPECT_EQ(checked, 27);
}

TEST(Reporting, BadMeasureNamesFileLineAndKey) {
  try {
    load_scenario(source_path("scenarios/england_baseline.toml"), {{"reporting.referrals", "entries:referal"}});
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("--set reporting.referrals=entries:referal: reporting.referrals: "
                                         "\"entries:referal\": unknown service \"referal\""),
              std::string::npos)
        << e.what();
  }
  try {
    load_scenario(source_path("scenarios/england_baseline.toml"), {{"reporting.odd", "{ median = 3 }"}});
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("reporting.odd: expected a selector"), std::string::npos) << e.what();
  }
}
