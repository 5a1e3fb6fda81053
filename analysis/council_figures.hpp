#pragma once
// A council's published figures (calibration/council_template.csv; docs/COUNCIL_FIGURES.md): the columns of
// calibration/england_targets.csv with the council's name, its population aged 0-17 and the year, one row per
// measure and year. `check-calibration --council` compares a run with one year of them; `fit` (to come) fits a
// scenario to them.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/calibration.hpp"

namespace frontdoor {

struct CouncilFigure {
  int year = 0;
  CalibrationTarget target;  ///< measure, unit, value, band and source
  int line = 0;              ///< in the file
};

struct CouncilFigures {
  std::string council;
  std::map<int, long> population;  ///< children aged 0-17, by year
  std::vector<CouncilFigure> rows;

  /// The years with figures, in order.
  std::vector<int> years() const;
  /// The targets of one year.
  std::vector<CalibrationTarget> targets(int year) const;
};

/// Reads a council's figures file and checks it against `known` (England's targets: the measures a run reports
/// and their units). Every problem is found, one message each naming the file, the row (line) and the column:
/// a wrong header, no council or more than one, no population or one out of range, a bad year, an unknown measure
/// (with the nearest known name), a unit that is not the measure's, a value that is not a number, a band with low
/// above high, a value outside its own band, a measure given twice for a year. Throws RunReadError with them all.
CouncilFigures read_council_figures(const std::filesystem::path& path, const std::vector<CalibrationTarget>& known);

}  // namespace frontdoor
