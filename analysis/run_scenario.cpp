#include "analysis/run_scenario.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/run_reader.hpp"
#include "common/hash.hpp"
#include "models/scenario_loader.hpp"

namespace frontdoor {

std::string read_scenario_copy(const std::filesystem::path& dir, const std::string& expected_hash,
                               const std::string& recorded_in) {
  const std::filesystem::path path = dir / "scenario.toml";
  std::string text = read_output_file(path);
  const std::string hash = content_hash(text);
  if (hash != expected_hash) {
    throw RunReadError(path.string() + " has been altered since frontdoor wrote it (its hash is " + hash + ", " +
                       (dir / recorded_in).string() + " recorded " + expected_hash + ")");
  }
  return text;
}

Scenario scenario_of_run(const std::filesystem::path& run_dir) {
  const nlohmann::json manifest = read_manifest(run_dir);
  const nlohmann::json& recorded = manifest.at("scenario");
  if (recorded.contains("copy_hash")) {
    std::string text;
    try {
      text = read_scenario_copy(run_dir, recorded.at("copy_hash").get<std::string>(), "manifest.json");
    } catch (const RunReadError& e) {
      throw RunReadError(std::string(e.what()) + "; the results in " + run_dir.string() +
                         " are of the scenario as it was");
    }
    return load_scenario_text(text, (run_dir / "scenario.toml").string());
  }
  // A run from before runs carried their scenario: its source file, with its overrides, unchanged since.
  std::vector<Override> overrides;
  for (const auto& o : manifest.at("overrides")) {
    const std::string edit = o.value("edit", "set");
    overrides.push_back({o.at("key"), o.at("value"),
                         edit == "multiply" ? Edit::multiply
                         : edit == "add"    ? Edit::add
                                            : Edit::set});
  }
  const std::string path = recorded.value("path_absolute", recorded.at("file").get<std::string>());
  Scenario scenario = load_scenario(path, overrides);
  char hash[32];
  std::snprintf(hash, sizeof hash, "fnv1a64:%016llx", static_cast<unsigned long long>(scenario.file_hash));
  if (recorded.at("file_hash") != hash) {
    throw RunReadError(path + " has changed since the run in " + run_dir.string() + "; the drawing would not match it");
  }
  return scenario;
}

}  // namespace frontdoor
