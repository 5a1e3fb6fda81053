// Puts the loader's parts together: the document is composed (scenario_document), read section by section with
// its timeline (scenario_timeline, scenario_sections, over toml_reader), and for flattening written back
// (scenario_writer).
#include "models/scenario_loader.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>
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

// The document of the scenario at `path` as a counterfactual: composed with `overrides`, its own [reinvestment]
// left out (a counterfactual has no rule of its own, so none has a counterfactual in turn), flattened and checked
// by loading it.
std::string flatten_counterfactual(const std::string& path, const std::vector<Override>& overrides) {
  loader::LoadContext ctx;
  toml::table root =
      loader::compose_scenario(loader::read_whole_file(path, "scenario file"), path, overrides, ctx).root;
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  root.erase("reinvestment");
  loader::drop_changes_after_run(root);
  std::ostringstream out;
  loader::write_scenario_toml(out, root, ctx.file_order);
  const std::string flat = out.str();
  load_scenario_text(flat, path + " (flattened)");  // throws if it is not valid
  return flat;
}

// A reinvestment rule's counterfactual, embedded in the document as [reinvestment] counterfactual: the file that
// `against` names (relative to the file that names it; for a --set, to the scenario), run for this document's
// [simulation], flattened. A scenario that names a counterfactual carries it, whatever its share (a sweep may vary
// the share of a run's copy); nothing to do where `against` is empty or the text is there already (a run's copy).
void embed_counterfactual(toml::table& root, loader::LoadContext& ctx) {
  toml::table* rule = root.get_as<toml::table>("reinvestment");
  if (rule == nullptr || rule->contains("counterfactual")) return;
  const toml::node* against = rule->get("against");
  if (against == nullptr || !against->is_string() || against->as_string()->get().empty()) return;
  const std::string name = against->as_string()->get();
  std::string naming = ctx.file;
  if (const auto& in = against->source().path;
      in && std::find(ctx.file_order.begin(), ctx.file_order.end(), *in) != ctx.file_order.end()) {
    naming = *in;
  }
  const std::string path = (std::filesystem::path(naming).parent_path() / name).lexically_normal().string();
  std::vector<Override> simulation;
  if (const toml::table* sim = root.get_as<toml::table>("simulation")) {
    for (auto&& [key, value] : *sim) {
      std::ostringstream text;
      value.visit([&](auto&& v) { text << toml::toml_formatter{v}; });
      simulation.push_back({"simulation." + std::string(key.str()), text.str()});
    }
  }
  try {
    rule->insert("counterfactual", flatten_counterfactual(path, simulation));
  } catch (const ScenarioError& e) {
    for (const auto& problem : e.problems()) {
      ctx.problem(against, "reinvestment.against",
                  "the counterfactual \"" + name + "\" (" + path + ") cannot run: " + problem);
    }
  }
}

// With a rule (share > 0), the counterfactual the document carries, loaded, and the watched services found in it.
void attach_counterfactual(Scenario& scenario) {
  ReinvestmentSpec& rule = scenario.reinvestment;
  if (rule.share <= 0.0 || rule.counterfactual_toml.empty()) return;
  const std::string at = rule.where + ": reinvestment.counterfactual: ";
  std::vector<std::string> problems;
  try {
    // For this scenario's [simulation] as it stands (a sweep's row may have changed it since the text was made).
    const SimulationSpec& sim = scenario.simulation;
    char date[32];
    std::snprintf(date, sizeof date, "\"%04d-%02u-%02u\"", static_cast<int>(sim.start_date.year()),
                  static_cast<unsigned>(sim.start_date.month()), static_cast<unsigned>(sim.start_date.day()));
    char warmup[32];
    *std::to_chars(warmup, warmup + sizeof warmup - 1, sim.warmup_days).ptr = '\0';
    const std::vector<Override> simulation{{"simulation.years", std::to_string(sim.years)},
                                           {"simulation.start_date", date},
                                           {"simulation.warmup_days", warmup}};
    auto counterfactual = std::make_shared<Scenario>(
        load_scenario_text(rule.counterfactual_toml,
                           (rule.against.empty() ? std::string("the") : rule.against) + " counterfactual", simulation));
    rule.counterfactual_watch.clear();
    for (int s : rule.watch) {
      const std::string& id = scenario.pathway.services()[s].id;
      const int there = counterfactual->pathway.find(id);
      if (there < 0) {
        problems.push_back(at + "the counterfactual has no service \"" + id + "\" to watch");
      } else {
        rule.counterfactual_watch.push_back(there);
      }
    }
    rule.counterfactual = std::move(counterfactual);
  } catch (const ScenarioError& e) {
    for (const auto& problem : e.problems()) problems.push_back(at + problem);
  }
  if (!problems.empty()) throw ScenarioError(problems);
}

}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                            const std::vector<Override>& overrides) {
  loader::LoadContext ctx;
  loader::ScenarioDocument doc = loader::compose_scenario(text, display_name, overrides, ctx);
  embed_counterfactual(doc.root, ctx);
  Scenario scenario = loader::read_scenario_with_changes(doc.root, ctx);
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  attach_counterfactual(scenario);
  scenario.file = display_name;
  scenario.file_hash = doc.hash;
  scenario.includes = std::move(doc.includes);
  scenario.overrides = overrides;
  scenario.parameters = std::move(ctx.parameters);
  scenario.scaled = std::move(ctx.scaled);
  scenario.scaled_from = ctx.scaled_from;
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
  embed_counterfactual(root, ctx);
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
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
