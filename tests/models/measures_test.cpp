// The catalogue of measures: one unit per name, one name per measure, on every shipped scenario.
#include "models/measures.hpp"

#include <gtest/gtest.h>

#include <set>

#include "models/scenario_loader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using frontdoor::test_support::source_path;

namespace {
const Scenario& baseline() { return test_support::england_baseline(); }
const std::vector<Unit> all_units{
    Unit::count, Unit::count_per_year, Unit::cases, Unit::per_10k, Unit::per_10k_per_year, Unit::share, Unit::ratio,
    Unit::days,  Unit::working_days,   Unit::fte,   Unit::pounds};
}  // namespace

TEST(Measures, EveryUnitHasItsOwnWordAndReadsBack) {
  std::set<std::string_view> words;
  for (Unit u : all_units) {
    EXPECT_FALSE(unit_text(u).empty());
    EXPECT_TRUE(words.insert(unit_text(u)).second) << unit_text(u);
    EXPECT_EQ(unit_from_text(unit_text(u)), u);
  }
  // Words annual.csv has always written, which golden outputs and calibration targets hold.
  EXPECT_EQ(unit_text(Unit::pounds), "gbp");
  EXPECT_EQ(unit_text(Unit::per_10k_per_year), "per_10k_per_year");
  // A scenario's own words name no unit of the catalogue.
  EXPECT_FALSE(unit_from_text("share_of_referrals").has_value());
  EXPECT_FALSE(unit_from_text("").has_value());
}

TEST(Measures, NoShippedScenarioGivesOneNameTwoMeasures) {
  const std::vector<std::string> paths = test_support::shipped_scenarios();
  ASSERT_GE(paths.size(), 17u);  // baseline, fixed shares, 3 alternatives, 9 policies, 3 validation
  for (const std::string& path : paths) {
    const MeasureCatalogue catalogue(load_scenario(path));
    EXPECT_GT(catalogue.measures().size(), 10u) << path;
    const std::vector<MeasureClash> clashes = catalogue.clashes();
    EXPECT_TRUE(clashes.empty()) << path << ": " << (clashes.empty() ? "" : clashes.front().message);
  }
}

TEST(Measures, ANameFindsItsMeasureAndUnitInItsFile) {
  const MeasureCatalogue catalogue(baseline());
  const Measure* wait = catalogue.find("front_door_wait_days_mean", OutputFile::summary);
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->kind, MeasureKind::wait_days_mean);
  EXPECT_EQ(wait->unit, Unit::days);
  EXPECT_EQ(wait->subject, "front_door");
  // The [reporting] table's "contacts" is a rate a year; the monthly count has a name of its own.
  const Measure* contacts = catalogue.find("contacts", OutputFile::annual);
  ASSERT_NE(contacts, nullptr);
  EXPECT_EQ(contacts->unit, Unit::per_10k_per_year);
  EXPECT_EQ(catalogue.find("contacts", OutputFile::timeseries), nullptr);
  EXPECT_EQ(catalogue.find(measure_name::contacts_per_month(), OutputFile::timeseries)->unit, Unit::count);
  // So with harm: a rate per 10,000 in annual.csv, a count beside it, a count a month, a count a year.
  EXPECT_EQ(catalogue.find("harm_events", OutputFile::annual)->unit, Unit::per_10k_per_year);
  EXPECT_EQ(catalogue.find("harm_events_count", OutputFile::annual)->unit, Unit::count);
  EXPECT_EQ(catalogue.find("harm_events_count", OutputFile::annual)->kind, MeasureKind::reported_count);
  EXPECT_EQ(catalogue.find("harm_events_per_month", OutputFile::timeseries)->unit, Unit::count);
  EXPECT_EQ(catalogue.find("harm_events_per_year", OutputFile::summary)->unit, Unit::count_per_year);
  EXPECT_EQ(catalogue.find("harm_events", OutputFile::timeseries), nullptr);
  // A stock is per 10,000 children at the year's end; costs are pounds; shares have no count beside them.
  EXPECT_EQ(catalogue.find("looked_after_at_31_march", OutputFile::annual)->unit, Unit::per_10k);
  EXPECT_EQ(catalogue.find("total_cost_gbp", OutputFile::annual)->unit, Unit::pounds);
  EXPECT_EQ(catalogue.find("referral_nfa", OutputFile::annual)->unit, Unit::share);
  EXPECT_EQ(catalogue.find("referral_nfa_count", OutputFile::annual), nullptr);
  EXPECT_EQ(catalogue.find("assessment_duration_median", OutputFile::annual)->unit, Unit::working_days);
  EXPECT_EQ(catalogue.find("caseload_per_sw_fte", OutputFile::annual)->unit, Unit::ratio);
  // Each caseload team's load, by kind, in pathway order; the front door's load is its utilisation.
  const auto loads = catalogue.of_kind(MeasureKind::caseload_per_fte, OutputFile::timeseries);
  ASSERT_FALSE(loads.empty());
  for (const Measure* m : loads) EXPECT_EQ(m->name, measure_name::caseload_per_fte(m->subject));
  EXPECT_EQ(catalogue.find("front_door_utilisation", OutputFile::summary)->unit, Unit::share);
  EXPECT_EQ(catalogue.find("front_door_caseload_per_fte", OutputFile::summary), nullptr);
}

TEST(Measures, TheLoadersUnitWordsAreTheCataloguesForRatesAndTotals) {
  int workforce = 0;
  for (const ReportMeasure& m : baseline().reporting) {
    if (m.type != ReportMeasure::Type::rate && m.type != ReportMeasure::Type::total) continue;
    const Selector::Kind kind = m.numerator.kind;
    if (kind == Selector::Kind::turnover || kind == Selector::Kind::vacancy || kind == Selector::Kind::agency ||
        kind == Selector::Kind::caseload) {
      // The workforce's shares and caseload, like the share measures, carry the DfE's own words for their unit.
      EXPECT_EQ(m.unit, total_unit_text(kind)) << m.name;
      EXPECT_EQ(reporting_unit(m), kind == Selector::Kind::caseload ? Unit::ratio : Unit::share) << m.name;
      ++workforce;
      continue;
    }
    EXPECT_EQ(m.unit, unit_text(reporting_unit(m))) << m.name;
  }
  EXPECT_EQ(workforce, 4);
}

TEST(Measures, AReportingMeasureNamedLikeASeriesIsAClash) {
  Scenario s = baseline();
  ReportMeasure count_as_rate = s.reporting.front();  // "contacts": a rate per 10,000 a year
  count_as_rate.name = measure_name::contacts_per_month();
  s.reporting.push_back(count_as_rate);
  ReportMeasure twice = s.reporting.front();
  s.reporting.push_back(twice);
  const std::vector<MeasureClash> clashes = MeasureCatalogue(s).clashes();
  ASSERT_EQ(clashes.size(), 3u);  // contacts_per_month; contacts and contacts_count declared twice
  EXPECT_EQ(clashes[0].message,
            "contacts_per_month names two measures: one in timeseries.csv (count), another in "
            "annual.csv (per_10k_per_year)");
  EXPECT_EQ(clashes[0].second.kind, MeasureKind::reported);
  EXPECT_EQ(clashes[1].second.name, "contacts_count");
  EXPECT_EQ(clashes[1].second.subject, "contacts");
  EXPECT_NE(clashes[2].message.find("contacts names two measures: one in annual.csv"), std::string::npos);
}

TEST(Measures, TheLoaderRefusesAReportingMeasureNamedLikeASeries) {
  try {
    load_scenario(source_path("scenarios/england_baseline.toml"),
                  {{"reporting.harm_events_per_month", "children:harm"}});
    FAIL() << "a rate took the name of the monthly count";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("--set reporting.harm_events_per_month=children:harm: "
                                         "reporting.harm_events_per_month: harm_events_per_month names two measures: "
                                         "one in timeseries.csv (count), another in annual.csv (per_10k_per_year)"),
              std::string::npos)
        << e.what();
  }
  // The count beside a rate has its name too.
  EXPECT_THROW(
      load_scenario(source_path("scenarios/england_baseline.toml"), {{"reporting.referrals_count", "entries:icpc"}}),
      ScenarioError);
}

TEST(Measures, ChildCountsHaveOneBaseNameEach) {
  std::set<std::string_view> seen;
  for (ChildCount c : reported_child_counts()) {
    EXPECT_TRUE(seen.insert(child_count_base_name(c)).second);
    EXPECT_EQ(measure_name::child_count_per_month(c), std::string(child_count_base_name(c)) + "_per_month");
  }
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(child_count_base_name(ChildCount::harm), "harm_events");
}
