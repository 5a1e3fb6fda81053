#include "analysis/calibration.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "common/statistics.hpp"
#include "models/input_file.hpp"

namespace frontdoor {

std::vector<CalibrationTarget> read_targets(const std::filesystem::path& path) {
  std::istringstream in;
  try {
    in.str(read_input_file(path.string(), "targets file", largest_input_table));
  } catch (const InputFileError& e) {
    throw RunReadError(e.what());
  }
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
    CalibrationTarget t{
        cells[0], cells[1], csv_number(cells[2], where), csv_number(cells[3], where), csv_number(cells[4], where), ""};
    for (std::size_t i = 5; i < cells.size(); ++i) t.source += (i > 5 ? "," : "") + cells[i];
    targets.push_back(t);
  }
  return targets;
}

std::vector<CalibrationRow> compare_with_targets(const std::filesystem::path& run_dir,
                                                 const std::vector<CalibrationTarget>& targets, int first_year,
                                                 int last_year) {
  const AnnualTable table = read_annual_table(run_dir);
  std::vector<CalibrationRow> rows;
  for (const auto& target : targets) {
    CalibrationRow row;
    row.target = target;
    auto it = table.values.find({target.measure, target.unit});
    if (it != table.values.end()) {
      std::map<int, std::vector<double>> years_of;  // replication -> its values over the years kept
      for (const auto& [year, by_replication] : it->second) {
        if (year < first_year || year > last_year) continue;
        for (const auto& [replication, value] : by_replication) years_of[replication].push_back(value);
      }
      std::vector<double> per_replication;
      for (const auto& [replication, years] : years_of) per_replication.push_back(mean(years));
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
