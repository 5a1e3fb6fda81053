#include "analysis/calibration.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "analysis/statistics.hpp"

namespace frontdoor {

namespace {
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

double to_number(const std::string& text, const std::string& where) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw RunReadError(where + ": \"" + text + "\" is not a number");
}
}  // namespace

std::vector<CalibrationTarget> read_targets(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw RunReadError(path.string() + ": cannot open the targets file");
  std::string line;
  std::getline(in, line);
  if (line.rfind("measure,unit,value,low,high", 0) != 0) {
    throw RunReadError(path.string() + ":1: expected the header measure,unit,value,low,high,source");
  }
  std::vector<CalibrationTarget> targets;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(number);
    const auto cells = split_csv_line(line);
    if (cells.size() < 5) throw RunReadError(where + ": expected at least 5 columns");
    CalibrationTarget t{cells[0], cells[1], to_number(cells[2], where), to_number(cells[3], where),
                        to_number(cells[4], where), ""};
    for (std::size_t i = 5; i < cells.size(); ++i) t.source += (i > 5 ? "," : "") + cells[i];
    targets.push_back(t);
  }
  return targets;
}

int first_year_after_warmup(double warmup_days) {
  return static_cast<int>(std::ceil(warmup_days / 365.25 - 1e-9)) + 1;
}

std::vector<CalibrationRow> compare_with_targets(const std::filesystem::path& run_dir,
                                                 const std::vector<CalibrationTarget>& targets, int first_year) {
  const std::filesystem::path path = run_dir / "annual.csv";
  std::ifstream in(path);
  if (!in) throw RunReadError(run_dir.string() + " is not a frontdoor run directory (no readable annual.csv)");
  std::string line;
  std::getline(in, line);
  if (line != "replication,seed,year,measure,unit,value") throw RunReadError(path.string() + ":1: unexpected header");
  // (measure, unit) -> replication -> values over the years kept
  std::map<std::pair<std::string, std::string>, std::map<int, std::vector<double>>> values;
  for (int number = 2; std::getline(in, line); ++number) {
    const auto cells = split_csv_line(line);
    const std::string where = path.string() + ":" + std::to_string(number);
    if (cells.size() != 6) throw RunReadError(where + ": expected 6 columns");
    const int year = static_cast<int>(to_number(cells[2], where));
    if (year < first_year) continue;
    values[{cells[3], cells[4]}][static_cast<int>(to_number(cells[0], where))].push_back(to_number(cells[5], where));
  }
  std::vector<CalibrationRow> rows;
  for (const auto& target : targets) {
    CalibrationRow row;
    row.target = target;
    auto it = values.find({target.measure, target.unit});
    if (it != values.end()) {
      std::vector<double> per_replication;
      for (const auto& [replication, years] : it->second) per_replication.push_back(mean(years));
      const MeanInterval ci = mean_ci95(per_replication);
      row.simulated = true;
      row.mean = ci.mean;
      row.ci95_low = ci.low;
      row.ci95_high = ci.high;
      row.replications = ci.n;
      row.inside = target.low <= ci.mean && ci.mean <= target.high;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace frontdoor
