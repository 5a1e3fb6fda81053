// A council's figures file: the shipped example and template against England's measures, and every kind of bad
// row named by its line and column.
#include "analysis/council_figures.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using test_support::source_path;

namespace {

std::vector<CalibrationTarget> england() { return read_targets(source_path("calibration/england_targets.csv")); }

const std::string header = "council,population_0_17,year,measure,unit,value,low,high,source\n";

std::string error_of(const std::string& text) {
  test_support::TempDir dir;
  const auto path = dir.path() / "council.csv";
  test_support::write_file(path, text);
  try {
    read_council_figures(path, england());
  } catch (const RunReadError& e) {
    return e.what();
  }
  return "";
}

TEST(CouncilFigures, TheFictionalExampleReadsAsFourYearsOfOneCouncil) {
  const CouncilFigures c = read_council_figures(source_path("calibration/example_council_fictional.csv"), england());
  EXPECT_EQ(c.council, "Northbrook (fictional)");
  EXPECT_EQ(c.years(), (std::vector<int>{2021, 2022, 2023, 2024}));
  EXPECT_EQ(c.population.at(2024), 60400);
  const std::vector<CalibrationTarget> latest = c.targets(2024);
  EXPECT_EQ(latest.size(), 32u);
  for (const auto& t : latest) {
    EXPECT_LE(t.low, t.value) << t.measure;
    EXPECT_LE(t.value, t.high) << t.measure;
  }
}

TEST(CouncilFigures, TheTemplateNamesOnlyEnglandsMeasuresInTheirUnits) {
  std::map<std::string, std::string> unit_of;
  for (const auto& t : england()) unit_of[t.measure] = t.unit;
  std::istringstream in(test_support::read_file(source_path("calibration/council_template.csv")));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line + "\n", header);
  int rows = 0;
  for (; std::getline(in, line); ++rows) {
    const auto cells = split_csv_line(line);
    ASSERT_GE(cells.size(), 9u) << line;
    ASSERT_TRUE(unit_of.count(cells[3])) << cells[3];
    EXPECT_EQ(cells[4], unit_of[cells[3]]) << cells[3];
    EXPECT_FALSE(cells[8].empty()) << cells[3] << ": no source";
  }
  EXPECT_GE(rows, 25);
}

TEST(CouncilFigures, EveryProblemIsNamedByItsRowAndColumn) {
  const std::string e = error_of(header +
                                 "Ashby,60000,2024,referrals,per_10k_per_year,520,480,560,DfE\n"
                                 "Ashby,60000,2024,refferals,per_10k_per_year,520,480,560,DfE\n"
                                 "Ashby,,2024,assessments,per_10k_per_year,540,490,590,DfE\n"
                                 "Ashby,60000,2024,section47,per_10k_per_year,190,215,165,DfE\n"
                                 "Ashby,60000,2024,icpc,per_10k_per_year,90,54,70,DfE\n"
                                 "Ashby,60000,2024,cp_plan_starts,per_10k,52,45,59,DfE\n"
                                 "Barton,60000,2024,contacts,per_10k_per_year,2500,2100,2900,DfE\n"
                                 "Ashby,60000,2024,referrals,per_10k_per_year,520,480,560,DfE\n"
                                 "Ashby,60000,24.5,looked_after_starts,per_10k_per_year,many,23,31,DfE\n");
  const std::vector<std::string> expected = {
      "council.csv:3: measure: unknown measure \"refferals\" (did you mean \"referrals\"?)",
      "council.csv:4: population_0_17: is empty",
      "council.csv:5: low: the band's low 215 is above its high 165",
      "council.csv:6: value: 90 is outside its own band (54 to 70)",
      "council.csv:7: unit: \"per_10k\" is not the unit of cp_plan_starts (per_10k_per_year)",
      "council.csv:8: council: \"Barton\" is not \"Ashby\": a file holds one council",
      "council.csv:9: measure: referrals is given twice for 2024",
      "council.csv:10: year: 24.5 is not a year",
      "council.csv:10: value: \"many\" is not a number",
  };
  for (const auto& message : expected) EXPECT_NE(e.find(message), std::string::npos) << message << "\nin:\n" << e;
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n') + 1, static_cast<long>(expected.size())) << e;
  EXPECT_NE(error_of("measure,unit,value,low,high,source\n").find("council.csv:1: expected the header"),
            std::string::npos);
  EXPECT_NE(error_of(header).find("has no figures"), std::string::npos);
  EXPECT_NE(error_of(header + "Ashby,60000,2024,referrals\n").find("council.csv:2: expected 9 columns"),
            std::string::npos);
}

}  // namespace
