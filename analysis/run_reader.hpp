#pragma once
// Reads a finished run directory (manifest.json, summary.csv). Never reruns a model.
#include <cstddef>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace frontdoor {

/// The largest run output file read (a run of many replications writes a large timeseries.csv).
constexpr std::size_t largest_run_file = std::size_t{4} << 30;

/// The directory is not a frontdoor run, or a file in it is unreadable or malformed.
class RunReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file frontdoor wrote (a run's, a comparison's or a sweep's), whole. Throws RunReadError when it cannot be
/// read, or is not a regular file (see models/input_file.hpp).
std::string read_output_file(const std::filesystem::path& path);

/// manifest.json of a run directory.
nlohmann::json read_manifest(const std::filesystem::path& run_dir);
/// summary.csv of a run directory: measure -> mean.
std::map<std::string, double> read_summary_means(const std::filesystem::path& run_dir);

/// A run's yearly table (annual.csv): per (measure, unit), per year, the value of each replication.
struct AnnualTable {
  using Key = std::pair<std::string, std::string>;             ///< measure, unit
  std::map<Key, std::map<int, std::map<int, double>>> values;  ///< -> year -> replication -> value
};
/// Reads DIR/annual.csv; a malformed line is an error naming the file and line.
AnnualTable read_annual_table(const std::filesystem::path& run_dir);

/// A run's monthly series (timeseries.csv): measure -> month (1 = the first) -> replication -> value.
using MonthlyTable = std::map<std::string, std::map<int, std::map<int, double>>>;
MonthlyTable read_monthly_table(const std::filesystem::path& run_dir);

/// A comma-separated line's cells (no quoting: frontdoor's own files never need it).
std::vector<std::string> split_csv_line(const std::string& line);
/// `text`, the whole of it, as a number ("nan" and "inf" included), or nothing.
std::optional<double> parse_number(const std::string& text);
/// `text` as a number, or RunReadError naming `where`.
double csv_number(const std::string& text, const std::string& where);

}  // namespace frontdoor
