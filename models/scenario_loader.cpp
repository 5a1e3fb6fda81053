// Puts the loader's parts together: the document is composed (scenario_document), read section by section with
// its timeline (scenario_timeline, scenario_sections, over toml_reader), and for flattening written back
// (scenario_writer).
#include "models/scenario_loader.hpp"

#include <sstream>
#include <utility>

#include "models/scenario_document.hpp"
#include "models/scenario_timeline.hpp"
#include "models/scenario_writer.hpp"
#include "models/toml_reader.hpp"

namespace frontdoor {

namespace {

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) text += '\n';
    text += line;
  }
  return text;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                            const std::vector<Override>& overrides) {
  loader::LoadContext ctx;
  loader::ScenarioDocument doc = loader::compose_scenario(text, display_name, overrides, ctx);
  Scenario scenario = loader::read_scenario_with_changes(doc.root, ctx);
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  scenario.file = display_name;
  scenario.file_hash = doc.hash;
  scenario.includes = std::move(doc.includes);
  scenario.overrides = overrides;
  scenario.parameters = std::move(ctx.parameters);
  return scenario;
}

std::string flatten_scenario_text(const std::string& text, const std::string& display_name,
                                  const std::vector<Override>& overrides, const std::string& appended,
                                  const std::string& header, Scenario* loaded) {
  loader::LoadContext ctx;
  toml::table root = loader::compose_scenario(text, display_name, overrides, ctx).root;
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  loader::merge_appended(root, appended);
  loader::drop_changes_after_run(root);
  std::ostringstream out;
  out << header;
  loader::write_scenario_toml(out, root, ctx.file_order);
  const std::string flat = out.str();
  Scenario scenario = load_scenario_text(flat, display_name + " (flattened)");  // throws if it is not valid
  if (loaded != nullptr) *loaded = std::move(scenario);
  return flat;
}

std::string flatten_scenario(const std::string& path, const std::vector<Override>& overrides,
                             const std::string& appended, const std::string& header, Scenario* loaded) {
  return flatten_scenario_text(loader::read_whole_file(path, "scenario file"), path, overrides, appended, header,
                               loaded);
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  return load_scenario_text(loader::read_whole_file(path, "scenario file"), path, overrides);
}

}  // namespace frontdoor
