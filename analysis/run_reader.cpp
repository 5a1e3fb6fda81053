#include "analysis/run_reader.hpp"

#include <fstream>
#include <sstream>

namespace frontdoor {

namespace {
std::ifstream open_in(const std::filesystem::path& run_dir, const char* name) {
  const std::filesystem::path path = run_dir / name;
  std::ifstream in(path);
  if (!in) throw RunReadError(run_dir.string() + " is not a frontdoor run directory (no readable " + name + ")");
  return in;
}
}  // namespace

nlohmann::json read_manifest(const std::filesystem::path& run_dir) {
  std::ifstream in = open_in(run_dir, "manifest.json");
  try {
    nlohmann::json manifest = nlohmann::json::parse(in);
    if (!manifest.contains("scenario") || !manifest.contains("program")) throw RunReadError("");
    return manifest;
  } catch (const std::exception&) {
    throw RunReadError((run_dir / "manifest.json").string() + " is not a frontdoor manifest");
  }
}

std::map<std::string, double> read_summary_means(const std::filesystem::path& run_dir) {
  std::ifstream in = open_in(run_dir, "summary.csv");
  std::map<std::string, double> means;
  std::string line;
  std::getline(in, line);
  if (line.rfind("measure,mean,", 0) != 0) throw RunReadError((run_dir / "summary.csv").string() + " has an unexpected header");
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

}  // namespace frontdoor
