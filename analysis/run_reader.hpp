#pragma once
// Reads a finished run directory (manifest.json, summary.csv). Never reruns a model.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace frontdoor {

/// The directory is not a frontdoor run, or a file in it is unreadable or malformed.
class RunReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// manifest.json of a run directory.
nlohmann::json read_manifest(const std::filesystem::path& run_dir);
/// summary.csv of a run directory: measure -> mean.
std::map<std::string, double> read_summary_means(const std::filesystem::path& run_dir);

}  // namespace frontdoor
