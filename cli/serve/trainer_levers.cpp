#include "cli/serve/trainer_levers.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "models/parameter_schema.hpp"
#include "models/scenario_loader.hpp"
#include "models/toml_reader.hpp"

namespace frontdoor {

namespace {

// Reads one [[lever]] table, collecting problems as "file:line: lever[i].key: message".
class LeverReader {
 public:
  LeverReader(const std::string& file, const toml::table& table, std::size_t index, std::vector<std::string>& problems)
      : file_(file), table_(table), prefix_("lever[" + std::to_string(index) + "]"), problems_(problems) {}

  std::string where(const toml::node* node) const {
    const toml::node* at = node != nullptr ? node : &table_;
    return file_ + ":" + std::to_string(at->source().begin.line);
  }
  void problem(const toml::node* node, const std::string& key, const std::string& message) {
    problems_.push_back(where(node) + ": " + prefix_ + (key.empty() ? "" : "." + key) + ": " + message);
  }

  std::string text(const char* key, bool required) {
    used_.push_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) problem(nullptr, key, "is required but missing");
      return "";
    }
    if (!node->is_string()) {
      problem(node, key, "expected text, got " + loader::describe_node(*node));
      return "";
    }
    return node->as_string()->get();
  }

  double number(const char* key, double fallback) {
    used_.push_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return fallback;
    if (auto v = node->value<double>(); v && (node->is_integer() || node->is_floating_point())) return *v;
    problem(node, key, "expected a number, got " + loader::describe_node(*node));
    return fallback;
  }

  std::vector<std::string> texts(const char* key) {
    used_.push_back(key);
    std::vector<std::string> out;
    const toml::node* node = table_.get(key);
    if (node == nullptr) return out;
    const toml::array* list = node->as_array();
    if (list == nullptr || !list->is_homogeneous(toml::node_type::string)) {
      problem(node, key, "expected a list of scenario keys");
      return out;
    }
    for (const auto& n : *list) out.push_back(n.as_string()->get());
    return out;
  }

  const toml::node* node(const char* key) {
    used_.push_back(key);
    return table_.get(key);
  }

  void finish() {
    for (auto&& [key, value] : table_) {
      if (std::find(used_.begin(), used_.end(), key.str()) == used_.end())
        problem(&value, std::string(key.str()), "unknown key");
    }
  }

 private:
  const std::string& file_;
  const toml::table& table_;
  std::string prefix_;
  std::vector<std::string>& problems_;
  std::vector<std::string_view> used_;
};

// The schema's row for a concrete key, whichever service kind or family it applies to.
const ParameterSpec* schema_row(const std::string& key) {
  for (const ParameterSpec& p : parameter_schema()) {
    if (find_parameter(key, p.applies_to) == &p) return &p;
  }
  return nullptr;
}

}  // namespace

std::string default_levers_path() {
  if (const char* dir = std::getenv("FRONTDOOR_SCENARIOS")) return std::string(dir) + "/trainer/levers.toml";
  return std::string(FRONTDOOR_SCENARIO_DIR) + "/trainer/levers.toml";
}

std::vector<LeverSpec> read_levers(const std::string& path) {
  const toml::table root = loader::parse_toml(loader::read_whole_file(path, "levers file"), path);
  std::vector<std::string> problems;
  const toml::array* list = root.get_as<toml::array>("lever");
  if (list == nullptr || list->empty()) throw ScenarioError({path + ": expected [[lever]] tables"});
  for (auto&& [key, value] : root) {
    if (key.str() != "lever")
      problems.push_back(path + ":" + std::to_string(value.source().begin.line) + ": " + std::string(key.str()) +
                         ": unknown key");
  }
  std::vector<LeverSpec> levers;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const toml::table* table = list->get(i)->as_table();
    if (table == nullptr) {
      problems.push_back(path + ": lever[" + std::to_string(i) + "]: expected a table");
      continue;
    }
    LeverReader r(path, *table, i, problems);
    LeverSpec s;
    s.where = r.where(nullptr);
    Lever& l = s.lever;
    l.id = r.text("id", true);
    s.kind = r.text("kind", true);
    l.label = r.text("label", true);
    l.unit = r.text("unit", true);
    l.help = r.text("help", true);
    l.group = s.kind == "run" ? "run" : "lever";
    l.type = s.kind == "run" ? "integer" : s.kind == "switch" || s.kind == "policy" ? "switch" : "number";
    if (s.kind != "value" && s.kind != "percent" && s.kind != "switch" && s.kind != "policy" && s.kind != "run") {
      r.problem(table->get("kind"), "kind",
                "\"" + s.kind + "\" is not a kind of lever: use value, percent, switch, policy or run");
    }
    if (l.type == "switch") {
      l.min = 0.0;
      l.max = l.step = 1.0;
    } else {
      const toml::node* range = r.node("range");
      const toml::array* pair = range != nullptr ? range->as_array() : nullptr;
      if (pair == nullptr || pair->size() != 2 || !pair->get(0)->value<double>() || !pair->get(1)->value<double>() ||
          !(*pair->get(0)->value<double>() < *pair->get(1)->value<double>())) {
        r.problem(range, "range", "expected [lowest, highest], two numbers in increasing order");
      } else {
        l.min = *pair->get(0)->value<double>();
        l.max = *pair->get(1)->value<double>();
      }
      l.step = r.number("step", 0.0);
      if (!(l.step > 0.0)) r.problem(table->get("step"), "step", "is required: a number above 0");
    }
    s.sets = r.texts("sets");
    s.scale = r.number("scale", 1.0);
    s.round = r.number("round", 0.0);
    s.at_least = r.number("at_least", s.at_least);
    s.at_most = r.text("at_most", false);
    s.at_most_note = r.text("at_most_note", false);
    if (s.kind == "run") l.value = r.number("value", l.min);
    if (const toml::node* on = r.node("when_on")) {
      if (!on->is_table()) r.problem(on, "when_on", "expected a table of \"scenario.key\" = highest value");
      if (on->is_table()) {
        for (auto&& [key, value] : *on->as_table()) {
          if (auto v = value.value<double>(); v && !value.is_boolean()) {
            s.when_on.emplace_back(std::string(key.str()), *v);
          } else {
            r.problem(&value, "when_on." + std::string(key.str()), "expected a number");
          }
        }
      }
    }
    if (s.kind == "policy") {
      const std::string policy = r.text("policy", true);
      if (!policy.empty()) {
        s.policy = (std::filesystem::path(path).parent_path() / policy).lexically_normal().string();
      }
    } else {
      r.node("policy");
    }
    if ((s.kind == "value" || s.kind == "percent" || s.kind == "switch") && s.sets.empty()) {
      r.problem(nullptr, "sets", "is required: the scenario keys the lever moves");
    }
    // Every key, resolved through the schema: it must be a scenario key of the right type, and a value lever's
    // range must be one its keys can take.
    std::vector<std::string> keys = s.sets;
    for (const auto& [key, cap] : s.when_on) keys.push_back(key);
    for (const std::string& key : keys) {
      const ParameterSpec* row = schema_row(key);
      if (row == nullptr) {
        r.problem(table->get("sets"), "sets", key + " is not a scenario key (frontdoor validate --schema lists them)");
        continue;
      }
      const bool is_bool = row->type == ParameterType::boolean;
      const bool is_number = row->type == ParameterType::number || row->type == ParameterType::whole_number;
      const bool in_sets = std::find(s.sets.begin(), s.sets.end(), key) != s.sets.end();
      if (in_sets && s.kind == "switch" && !is_bool) {
        r.problem(table->get("sets"), "sets", key + " is not true or false, so a switch cannot set it");
      } else if ((!in_sets || s.kind != "switch") && !is_number) {
        r.problem(table->get("sets"), "sets", key + " is not a number (" + type_name(row->type) + ")");
      } else if (in_sets && s.kind == "value" && row->hi_text.empty() &&
                 (l.min * s.scale < row->lo || l.max * s.scale > row->hi ||
                  (row->lo_open && l.min * s.scale <= row->lo))) {
        r.problem(table->get("range"), "range",
                  key + " must be in " + range_text(row->lo, row->hi, row->lo_open) + " " + std::string(row->unit) +
                      "; the lever's range x scale is not");
      }
    }
    r.finish();
    levers.push_back(std::move(s));
  }
  for (const LeverSpec& s : levers) {
    if (s.at_most.empty()) continue;
    const bool known =
        std::any_of(levers.begin(), levers.end(), [&](const LeverSpec& o) { return o.lever.id == s.at_most; });
    if (!known) problems.push_back(s.where + ": " + s.lever.id + ": at_most: \"" + s.at_most + "\" is not a lever");
  }
  if (!problems.empty()) throw ScenarioError(problems);
  return levers;
}

void resolve_levers(std::vector<LeverSpec>& levers, const Scenario& scenario, const std::string& flattened,
                    int warmup_years) {
  const toml::table doc = loader::parse_toml(flattened, scenario.file);
  // A key the scenario reads: it has a record, its own value or its default.
  auto present = [&](const std::string& key) {
    return std::any_of(scenario.parameters.begin(), scenario.parameters.end(),
                       [&](const ParameterRecord& p) { return p.key == key; });
  };
  // Its value, typed: from the flattened document, else the schema's default.
  auto value_of = [&](const std::string& key) {
    const auto node = doc.at_path(key);
    if (node.is_boolean()) return *node.value<bool>() ? 1.0 : 0.0;
    if (node.is_number()) return *node.value<double>();
    const ParameterSpec* row = schema_row(key);
    return row != nullptr ? row->fallback : 0.0;
  };
  for (LeverSpec& s : levers) {
    std::vector<std::string> kept;
    for (const std::string& key : s.sets) {
      if (present(key)) {
        kept.push_back(key);
        s.own.push_back(value_of(key));
      } else if (s.kind == "value" && kept.empty()) {
        throw ScenarioError({scenario.file + ": " + key + ": the trainer's levers need it, and the scenario has none"});
      }
    }
    if (s.kind == "percent" && kept.empty()) {
      std::string keys;
      for (const auto& key : s.sets) keys += (keys.empty() ? "" : ", ") + key;
      throw ScenarioError({scenario.file + ": the trainer's lever " + s.lever.id + " needs one of " + keys});
    }
    s.sets = std::move(kept);
    for (const auto& [key, cap] : s.when_on) s.when_on_own.push_back(value_of(key));
    if (s.kind == "value") s.lever.value = s.own.front() / s.scale;
    if (s.kind == "percent") s.lever.value = 100.0;
    if (s.kind == "switch") s.lever.value = !s.own.empty() && s.own.front() > 0.5 ? 1.0 : 0.0;
    if (s.kind == "policy") {
      s.lever.value = 0.0;
      s.appended = policy_changes_from(s.policy, warmup_years + 1);
    }
  }
}

std::string policy_changes_from(const std::string& path, int first_year) {
  toml::table policy = loader::parse_toml(loader::read_whole_file(path, "policy file of a lever"), path);
  toml::array* changes = policy.get_as<toml::array>("change");
  if (changes == nullptr || changes->empty())
    throw ScenarioError({path + ": the lever's policy has no [[change]] tables"});
  std::int64_t first = 0;
  toml::array moved;
  for (auto& node : *changes) {
    toml::table* change = node.as_table();
    const auto* year = change != nullptr ? change->get_as<std::int64_t>("from_year") : nullptr;
    if (year == nullptr) {
      throw ScenarioError({path + ":" + std::to_string(node.source().begin.line) +
                           ": change: a lever's policy must start each change with from_year"});
    }
    if (first == 0) first = year->get();
    change->insert_or_assign("from_year", year->get() - first + first_year);
    moved.push_back(std::move(*change));
  }
  toml::table appended;
  appended.insert("change", std::move(moved));
  std::ostringstream out;
  out << toml::toml_formatter{appended} << "\n";
  return out.str();
}

}  // namespace frontdoor
