#pragma once
// `frontdoor report COMPARE_DIR --xlsx FILE`: the comparison as an Excel workbook for a council's finance team,
// written with libxlsxwriter. Four sheets: the answer (each alternative's description, what it changes and its
// headline figures with 95% intervals), every measure's difference (the measured years pooled, then each year),
// costs by service and placement type, and the scenarios' parameters side by side. Numbers are cells, not text;
// the workbook carries no clock date, so the same comparison gives the same bytes.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

struct WorkbookAlternative {
  std::string name;
  std::string description;
  std::vector<std::string> changes;  ///< what it changes from the base, in words
  nlohmann::json headline;           ///< the report's headline cards (title, unit, year, means, difference, interval)
  Comparison comparison;
  std::optional<Scenario> scenario;  ///< its copy as run (none when it could not be read)
};

struct WorkbookInput {
  std::string title;
  std::string subtitle;
  std::string base_name;
  std::optional<Scenario> base;  ///< the base's copy as run (none when it could not be read)
  std::vector<WorkbookAlternative> alternatives;
};

/// The workbook's bytes (an .xlsx file). Throws std::runtime_error if libxlsxwriter fails.
std::string comparison_workbook(const WorkbookInput& input);

}  // namespace frontdoor
