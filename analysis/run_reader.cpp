#include "analysis/run_reader.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "models/input_file.hpp"

namespace frontdoor {

namespace {
// A run's output file, whole (a FIFO or a directory in its place is refused, not waited on).
std::istringstream open_in(const std::filesystem::path& run_dir, const char* name) {
  const std::filesystem::path path = run_dir / name;
  try {
    return std::istringstream(read_input_file(path.string(), "run's " + std::string(name), largest_run_file));
  } catch (const InputFileError& e) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      throw RunReadError(run_dir.string() + " is not a frontdoor run directory (no readable " + name + ")");
    }
    throw RunReadError(e.what());
  }
}
}  // namespace

std::string read_output_file(const std::filesystem::path& path) {
  try {
    return read_input_file(path.string(), "file", largest_run_file);
  } catch (const InputFileError& e) {
    throw RunReadError(e.what());
  }
}

nlohmann::json read_manifest(const std::filesystem::path& run_dir) {
  std::istringstream in = open_in(run_dir, "manifest.json");
  try {
    nlohmann::json manifest = nlohmann::json::parse(in);
    if (!manifest.contains("scenario") || !manifest.contains("program")) throw RunReadError("");
    return manifest;
  } catch (const std::exception&) {
    throw RunReadError((run_dir / "manifest.json").string() + " is not a frontdoor manifest");
  }
}

std::map<std::string, double> read_summary_means(const std::filesystem::path& run_dir) {
  std::istringstream in = open_in(run_dir, "summary.csv");
  std::map<std::string, double> means;
  std::string line;
  std::getline(in, line);
  if (line.rfind("measure,mean,", 0) != 0)
    throw RunReadError((run_dir / "summary.csv").string() + " has an unexpected header");
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    std::istringstream row(line);
    std::string measure, mean;
    if (!std::getline(row, measure, ',') || !std::getline(row, mean, ',')) {
      throw RunReadError((run_dir / "summary.csv").string() + ":" + std::to_string(line_number) + ": malformed row");
    }
    if (!mean.empty()) means[measure] = std::stod(mean);
  }
  return means;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

std::optional<double> parse_number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

double csv_number(const std::string& text, const std::string& where) {
  if (const std::optional<double> v = parse_number(text)) return *v;
  throw RunReadError(where + ": \"" + text + "\" is not a number");
}

namespace {
// Calls `row(cells, where)` for every data line of DIR/NAME, after checking its header; `where` is "file:line".
template <typename Row>
void for_each_row(const std::filesystem::path& run_dir, const char* name, const std::string& header,
                  std::size_t columns, Row row) {
  std::istringstream in = open_in(run_dir, name);
  const std::string path = (run_dir / name).string();
  std::string line;
  std::getline(in, line);
  if (line != header) throw RunReadError(path + ":1: unexpected header");
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    const std::string where = path + ":" + std::to_string(number);
    if (cells.size() != columns) throw RunReadError(where + ": expected " + std::to_string(columns) + " columns");
    row(cells, where);
  }
}
}  // namespace

AnnualTable read_annual_table(const std::filesystem::path& run_dir) {
  AnnualTable table;
  for_each_row(run_dir, "annual.csv", "replication,seed,year,measure,unit,value", 6,
               [&](const std::vector<std::string>& cells, const std::string& where) {
                 const int replication = static_cast<int>(csv_number(cells[0], where));
                 const int year = static_cast<int>(csv_number(cells[2], where));
                 table.values[{cells[3], cells[4]}][year][replication] =
                     cells[5] == "nan" || cells[5].empty() ? std::nan("") : csv_number(cells[5], where);
               });
  return table;
}

MonthlyTable read_monthly_table(const std::filesystem::path& run_dir) {
  MonthlyTable table;
  for_each_row(
      run_dir, "timeseries.csv", "replication,seed,month,measure,value", 5,
      [&](const std::vector<std::string>& cells, const std::string& where) {
        table[cells[3]][static_cast<int>(csv_number(cells[2], where))][static_cast<int>(csv_number(cells[0], where))] =
            csv_number(cells[4], where);
      });
  return table;
}

}  // namespace frontdoor
