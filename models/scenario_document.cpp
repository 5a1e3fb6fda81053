#include "models/scenario_document.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "models/parameter_schema.hpp"
#include "models/scenario_loader.hpp"
#include "models/utf8.hpp"

namespace frontdoor {

std::string set_text(const Override& o) { return "--set " + o.text(); }

Override parse_override(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ScenarioError({"--set " + text +
                         ": expected KEY=VALUE, KEY*=FACTOR or KEY+=AMOUNT, for example --set "
                         "service.front_door.team.fte=10 or --set sources.police.notice_per_year*=1.1"});
  }
  Override o{text.substr(0, eq), text.substr(eq + 1)};
  if (o.key.back() == '*' || o.key.back() == '+') {
    o.edit = o.key.back() == '*' ? Edit::multiply : Edit::add;
    o.key.pop_back();
    if (o.key.empty()) throw ScenarioError({"--set " + text + ": the key is empty"});
  }
  bool ok = o.key.front() != '.' && o.key.back() != '.' && o.key.find("..") == std::string::npos;
  for (char c : o.key) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
  if (!ok)
    throw ScenarioError({"--set " + text + ": the key must be dotted words, for example service.front_door.team.fte"});
  if (o.value.empty()) throw ScenarioError({"--set " + text + ": the value is empty"});
  if (const auto at = first_invalid_utf8(text)) {
    throw ScenarioError({"--set: the override is not valid UTF-8 text (" + describe_invalid_utf8(text, *at) + ")"});
  }
  // One value, one key: a line break would let the rest of the text be read as more TOML, or be cut off.
  if (o.value.find_first_of("\n\r") != std::string::npos) {
    throw ScenarioError({"--set " + o.key + "=...: the value holds a line break; a --set value is one line"});
  }
  return o;
}

namespace loader {

namespace {

// Records every `thresholds` table's order, lowest threshold first (see LoadContext::threshold_ladders).
void record_threshold_ladders(const toml::table& table, const std::string& prefix, LoadContext& ctx) {
  for (auto&& [key, node] : table) {
    const toml::table* inner = node.as_table();
    if (inner == nullptr) continue;
    const std::string full = join_key(prefix, key.str());
    if (key.str() != "thresholds") {
      record_threshold_ladders(*inner, full, ctx);
      continue;
    }
    std::vector<std::pair<double, std::string>> rungs;
    for (auto&& [name, value] : *inner) {
      if (auto v = value.value<double>()) rungs.emplace_back(*v, std::string(name.str()));
    }
    std::stable_sort(rungs.begin(), rungs.end());
    std::vector<std::string>& ladder = ctx.threshold_ladders[full];
    for (const auto& rung : rungs) ladder.push_back(rung.second);
  }
}

void apply_override(toml::table& root, const Override& o, LoadContext& ctx) {
  // The value is read as TOML (numbers, booleans, quoted strings, arrays); anything else is taken as text.
  toml::table parsed;
  try {
    // Parsed under the override's own name, so that a problem anywhere inside the value (an array's element,
    // say) is blamed on the --set and not on a line of the scenario file.
    parsed = toml::parse("v = " + o.value, set_text(o));
  } catch (const toml::parse_error&) {
    parsed = toml::table{};
    parsed.insert("v", o.value);
  }
  const std::string error = o.edit == Edit::set
                                ? set_dotted(root, o.key, *parsed.get("v"))
                                : edit_dotted(root, o.key, o.edit, *parsed.get("v"), parsed.get("v")->source());
  if (!error.empty()) ctx.problems.push_back(set_text(o) + ": " + error);
}

// The number of children a composed document is written for (population.children, or its default).
double children_of(const toml::table& root) {
  if (auto n = root.at_path("population.children").value<double>()) return *n;
  const ParameterSpec* row = find_parameter("population.children");
  return row != nullptr ? row->fallback : 100000.0;
}

// Resolves `include = "file"` or `include = ["a", "b"]`: each file (relative to the including file) is merged in
// order, and the including file is merged over them.

toml::table resolve_includes(toml::table root, const std::string& display_name, std::vector<std::string>& includes,
                             std::uint64_t& hash, std::map<std::string, double>& written_for) {
  const toml::node* include = root.get("include");
  if (include == nullptr) {
    written_for[display_name] = children_of(root);
    return root;
  }
  const std::string at =
      (include->source().begin.line > 0 ? display_name + ":" + std::to_string(include->source().begin.line)
                                        : display_name);
  std::vector<std::string> names;
  if (auto s = include->as_string()) {
    names.push_back(s->get());
  } else if (auto a = include->as_array(); a && a->is_homogeneous(toml::node_type::string)) {
    for (const auto& n : *a) names.push_back(n.as_string()->get());
  } else {
    throw ScenarioError({at + ": include: expected a file name or a list of file names"});
  }
  const std::filesystem::path base = std::filesystem::path(display_name).parent_path();
  toml::table merged;
  std::vector<std::string> problems;
  for (const auto& name : names) {
    const std::string path = (base / name).lexically_normal().string();
    const std::string text = read_whole_file(path, "included file (named at " + at + ")");
    hash = fnv1a64(text, hash);
    toml::table part = parse_toml(text, path);
    for (const char* reserved : {"name", "version", "description", "include"}) {
      if (const toml::node* n = part.get(reserved)) {
        problems.push_back(path + ":" + std::to_string(n->source().begin.line) + ": " + reserved +
                           ": belongs in the scenario, not in an included file");
      }
    }
    merge_into(merged, part);
    includes.push_back(path);
  }
  if (!problems.empty()) throw ScenarioError(problems);
  root.erase("include");
  merge_into(merged, root);
  // Each included file is written for the children of the scenario that includes it.
  for (const auto& name : names) written_for[(base / name).lexically_normal().string()] = children_of(merged);
  written_for[display_name] = children_of(merged);
  return merged;
}

// Every key `derived` sets must exist in `base` (a policy changes the base, it does not add to it); the scenario's
// own name, version, description and [[change]] timeline are exempt at the top.
void check_keys_in_base(const toml::table& derived, const toml::table& base, const std::string& prefix,
                        const std::string& file, const std::string& base_file, std::vector<std::string>& problems) {
  for (auto&& [key, node] : derived) {
    const std::string name(key.str());
    if (prefix.empty() && (name == "name" || name == "version" || name == "description" || name == "change")) continue;
    const std::string full = prefix.empty() ? name : prefix + "." + name;
    const toml::node* there = base.get(name);
    if (there == nullptr) {
      problems.push_back(file + ":" + std::to_string(node.source().begin.line) + ": " + full +
                         ": is not a key of the base scenario (" + base_file +
                         "); a scenario on a base changes its keys");
      continue;
    }
    if (node.is_table() && there->is_table()) {
      check_keys_in_base(*node.as_table(), *there->as_table(), full, file, base_file, problems);
    }
  }
}

// Resolves `base = "file"`: the base scenario (with its own base and includes, recursively) is loaded, and this
// file's keys, which must all exist in it, are merged over it.
toml::table resolve_base(toml::table root, const std::string& display_name, std::vector<std::string>& includes,
                         std::uint64_t& hash, std::map<std::string, double>& written_for, int depth = 0) {
  const toml::node* base = root.get("base");
  if (base == nullptr) return resolve_includes(std::move(root), display_name, includes, hash, written_for);
  const std::string at = display_name + ":" + std::to_string(base->source().begin.line);
  const auto* name = base->as_string();
  if (name == nullptr) throw ScenarioError({at + ": base: expected the file name of the base scenario"});
  if (root.get("include") != nullptr) {
    throw ScenarioError({at + ": base: a scenario on a base may not include files too (the base does that)"});
  }
  if (depth >= 16) throw ScenarioError({at + ": base: more than 16 bases in a chain (is there a cycle?)"});
  const std::string path =
      (std::filesystem::path(display_name).parent_path() / name->get()).lexically_normal().string();
  const std::string text = read_whole_file(path, "base scenario (named at " + at + ")");
  hash = fnv1a64(text, hash);
  toml::table merged = resolve_base(parse_toml(text, path), path, includes, hash, written_for, depth + 1);
  includes.push_back(path);
  root.erase("base");
  std::vector<std::string> problems;
  check_keys_in_base(root, merged, "", display_name, path, problems);
  if (!problems.empty()) throw ScenarioError(problems);
  join_changes(merged, root);  // a policy's timeline adds to its base's
  merge_into(merged, root);
  written_for[display_name] = children_of(merged);
  return merged;
}

}  // namespace

namespace {
// A dotted key's parts.
std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

// The table that holds the dotted `key`'s last part, made along the path as needed (null: `error` says why).
toml::table* table_for(toml::table& root, const std::string& key, std::string& last, std::string& error) {
  const std::vector<std::string> parts = split_key(key);
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* next = table->get(parts[i]);
    if (next == nullptr) {
      table->insert(parts[i], toml::table{});
      next = table->get(parts[i]);
    }
    if (!next->is_table()) {
      error = key + ": cannot be set, because " + parts[i] + " is " + describe_node(*next) + ", not a table";
      return nullptr;
    }
    table = next->as_table();
  }
  last = parts.back();
  return table;
}

// A caseload team's staff are its FTE or its budget (which sets the FTE): setting one drops the other, so the last
// written wins. A [[change]] may move a team from one to the other, and `--set service.early_help.team.fte=180`
// replaces that team's budget instead of sitting beside it unread.
void drop_alternative(toml::table& table, const std::string& key, const std::string& last) {
  const std::vector<std::string> parts = split_key(key);
  if (parts.size() != 4 || parts[0] != "service" || parts[2] != "team") return;
  if (last == "fte") table.erase("budget_gbp");
  if (last == "budget_gbp") table.erase("fte");
}

// Whether `key` is the FTE of a team whose staff its budget sets (its budget is the value to change).
bool fte_of_budgeted_team(const toml::table& root, const std::string& key) {
  const std::vector<std::string> parts = split_key(key);
  return parts.size() == 4 && parts[0] == "service" && parts[2] == "team" && parts[3] == "fte" &&
         root.at_path("service." + parts[1] + ".team.budget_gbp").node() != nullptr;
}

// Sets the dotted `key` to `value`, moved in so that it keeps its file and line.
std::string move_dotted(toml::table& root, const std::string& key, toml::node&& value) {
  std::string last;
  std::string error;
  toml::table* table = table_for(root, key, last, error);
  if (table == nullptr) return error;
  std::move(value).visit([&](auto&& v) { table->insert_or_assign(last, std::move(v)); });
  drop_alternative(*table, key, last);
  return "";
}
}  // namespace

std::string set_dotted(toml::table& root, const std::string& key, const toml::node& value) {
  std::string last;
  std::string error;
  toml::table* table = table_for(root, key, last, error);
  if (table == nullptr) return error;
  value.visit([&](auto&& v) { table->insert_or_assign(last, v); });
  drop_alternative(*table, key, last);
  return "";
}

namespace {

// The numbers of a number or a list of numbers (none: it is neither).
std::optional<std::vector<double>> numbers_of(const toml::node& node) {
  if (auto v = node.value<double>(); v && (node.is_integer() || node.is_floating_point())) {
    return std::vector<double>{*v};
  }
  const toml::array* list = node.as_array();
  if (list == nullptr || list->empty()) return std::nullopt;
  std::vector<double> out;
  for (const auto& element : *list) {
    if (!element.is_integer() && !element.is_floating_point()) return std::nullopt;
    out.push_back(*element.value<double>());
  }
  return out;
}

// The schema's row for `key` in the document `root`: a service's key by the service's kind where that matters.
const ParameterSpec* schema_row(const toml::table& root, const std::string& key) {
  return find_parameter_of(key, [&](std::string_view id) {
    const toml::table* services = root.get_as<toml::table>("service");
    const toml::table* s = services != nullptr ? services->get_as<toml::table>(id) : nullptr;
    return s != nullptr ? (*s)["kind"].value_or(std::string()) : std::string();
  });
}

// The schema's default for `row` as numbers (none: it has no plain numeric default).
std::optional<std::vector<double>> schema_default(const ParameterSpec& row) {
  if (row.required || !row.default_note.empty()) return std::nullopt;
  switch (row.type) {
    case ParameterType::number:
    case ParameterType::whole_number:
      return std::vector<double>{row.fallback};
    case ParameterType::per_need_level:
    case ParameterType::per_age_band:
      return std::vector<double>(5, row.fallback);
    default:
      return std::nullopt;
  }
}

// A value's TOML text read as if written at `source` (its file and line), so that messages about it point there.
toml::table read_at(const std::string& text, const toml::source_region& source) {
  const std::string path = source.path ? *source.path : std::string("--set");
  const std::size_t line = source.begin.line > 0 ? source.begin.line : 1;
  return toml::parse(std::string(line - 1, '\n') + "v = " + text, path);
}

std::string number_text(double v, bool whole) {
  if (whole) return std::to_string(std::llround(v));
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  std::string text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // a float in TOML ("inf" and "nan" refused)
  return text;
}

}  // namespace

std::string edit_dotted(toml::table& root, const std::string& key, Edit edit, const toml::node& amount,
                        const toml::source_region& source) {
  const char* verb = edit == Edit::multiply ? "multiply" : "add to";
  const std::optional<std::vector<double>> by = numbers_of(amount);
  if (!by) return std::string("expected a number, or a list of numbers, to ") + verb + " the value by";
  const toml::node* current = root.at_path(key).node();
  const ParameterSpec* row = schema_row(root, key);
  std::optional<std::vector<double>> values;
  if (current != nullptr) {
    values = numbers_of(*current);
    if (!values) {
      return std::string("cannot ") + verb + " " + describe_node(*current) + ": only a number or a list of numbers";
    }
  } else {
    if (row == nullptr) return "not a key a scenario may hold (frontdoor validate --schema lists them)";
    if (fte_of_budgeted_team(root, key)) {
      const std::string team = key.substr(0, key.size() - std::string(".fte").size());
      return std::string("this team's staff are set by its budget: ") + verb + " " + team +
             ".budget_gbp instead, or set " + key + "=VALUE to replace the budget";
    }
    values = schema_default(*row);
    if (!values) return "not in the scenario, and it has no numeric default to change: set it with " + key + "=VALUE";
  }
  if (by->size() != 1 && by->size() != values->size()) {
    return "the value has " + std::to_string(values->size()) + " numbers, and " + std::to_string(by->size()) +
           " were given to " + verb + " it by (give one, or as many)";
  }
  const bool whole = row != nullptr && row->type == ParameterType::whole_number;
  const bool list = current != nullptr ? current->is_array() : values->size() > 1;
  std::string text;
  for (std::size_t i = 0; i < values->size(); ++i) {
    const double b = (*by)[by->size() == 1 ? 0 : i];
    const double v = edit == Edit::multiply ? (*values)[i] * b : (*values)[i] + b;
    if (!std::isfinite(v)) return "the result is not a finite number";
    text += (i > 0 ? ", " : "") + number_text(v, whole);
  }
  if (list) text = "[" + text + "]";
  toml::table parsed = read_at(text, source);
  return move_dotted(root, key, std::move(*parsed.get("v")));
}

// Moves every key of `from` into `into`; tables present in both are merged key by key, and for anything else
// `from` wins. Moving keeps each node's source file and line, so messages still point at the right file.
void merge_into(toml::table& into, toml::table& from) {
  for (auto&& [key, node] : from) {
    toml::node* existing = into.get(key.str());
    if (existing != nullptr && existing->is_table() && node.is_table()) {
      merge_into(*existing->as_table(), *node.as_table());
      continue;
    }
    node.visit([&, k = std::string(key.str())](auto&& value) { into.insert_or_assign(k, std::move(value)); });
  }
}

void join_changes(toml::table& into, toml::table& extra) {
  toml::array* own = into.get_as<toml::array>("change");
  toml::array* more = extra.get_as<toml::array>("change");
  if (own == nullptr || more == nullptr) return;
  for (auto& change : *more) own->push_back(std::move(change));
  std::vector<std::pair<std::int64_t, std::size_t>> order;
  for (std::size_t i = 0; i < own->size(); ++i) {
    std::int64_t year = 0;
    if (const toml::table* t = own->get(i)->as_table();
        t != nullptr && t->get_as<std::int64_t>("from_year") != nullptr) {
      year = t->get_as<std::int64_t>("from_year")->get();
    }
    order.emplace_back(year, i);
  }
  std::stable_sort(order.begin(), order.end());
  toml::array sorted;
  for (const auto& [year, i] : order) sorted.push_back(*own->get(i));
  *own = std::move(sorted);
  extra.erase("change");
}

namespace {

// Whether `key` (dotted, of a service or a source) holds a value per child of the council: an establishment, a
// budget, a starting caseload, a fixed-share source's contacts.
bool per_child_key(const std::vector<std::string>& parts) {
  const std::size_t n = parts.size();
  if (n == 3 && parts[0] == "sources") return parts[2] == "contacts_per_day";
  if (parts.empty() || parts[0] != "service") return false;
  if (n == 4 && parts[2] == "team") return parts[3] == "fte" || parts[3] == "budget_gbp";
  if (n == 4 && parts[2] == "initial") return parts[3] == "cases";
  return n == 5 && parts[2] == "team" && parts[3] == "schedule" && parts[4] == "fte";
}

struct Scaling {
  const toml::table& root;
  const std::map<std::string, double>& written_for;
  double children;
  LoadContext& ctx;

  // Scales the number `node`, held at `key` under `parent`, by the children it was written for: its file's.
  void scale(toml::table& parent, const std::string& name, const std::string& key) {
    const toml::node* node = parent.get(name);
    if (node == nullptr || !(node->is_integer() || node->is_floating_point()) || !node->source().path) return;
    const auto from = written_for.find(*node->source().path);
    if (from == written_for.end() || from->second == children || from->second <= 0.0) return;
    const double value = *node->value<double>();
    const ParameterSpec* row = schema_row(root, key);
    const bool whole = row != nullptr && row->type == ParameterType::whole_number;
    double scaled = value * children / from->second;
    if (whole) scaled = std::max(value > 0.0 ? 1.0 : 0.0, std::round(scaled));
    if (scaled == value) return;
    toml::table parsed = read_at(number_text(scaled, whole), node->source());
    const std::string where = *node->source().path + ":" + std::to_string(node->source().begin.line);
    ctx.scaled.push_back(key + ": " + format_number(value) + " -> " + format_number(scaled) + " (" + where + ")");
    if (ctx.scaled_from == 0) ctx.scaled_from = static_cast<int>(from->second);
    std::move(*parsed.get("v")).visit([&](auto&& v) { parent.insert_or_assign(name, std::move(v)); });
  }
};

// Scales every per-child value written for another number of children than the scenario's (population.scale):
// each value by the children of the file it was written in, so that a council's own figures on a base stay as
// they are, and the base's are scaled to the council. --set values are the user's own, for this council.
void scale_per_child(toml::table& root, const std::map<std::string, double>& written_for,
                     const std::vector<Override>& overrides, LoadContext& ctx) {
  // The number of children and the switch as the overrides leave them.
  toml::table probe;
  if (const toml::table* population = root.get_as<toml::table>("population")) probe.insert("population", *population);
  LoadContext ignored;  // their problems are reported when the overrides are applied to the document
  for (const auto& o : overrides) {
    if (o.key.rfind("population.", 0) == 0) apply_override(probe, o, ignored);
  }
  if (probe.at_path("population.scale").value_or(std::string("per_child")) != "per_child") return;
  const double children = children_of(probe);
  Scaling scaling{root, written_for, children, ctx};
  if (toml::table* sources = root.get_as<toml::table>("sources")) {
    for (auto&& [name, source] : *sources) {
      if (toml::table* t = source.as_table()) {
        scaling.scale(*t, "contacts_per_day", "sources." + std::string(name.str()) + ".contacts_per_day");
      }
    }
  }
  if (toml::table* services = root.get_as<toml::table>("service")) {
    for (auto&& [id, service] : *services) {
      toml::table* s = service.as_table();
      if (s == nullptr) continue;
      const std::string prefix = "service." + std::string(id.str());
      if (toml::table* team = s->get_as<toml::table>("team")) {
        scaling.scale(*team, "fte", prefix + ".team.fte");
        scaling.scale(*team, "budget_gbp", prefix + ".team.budget_gbp");
        if (toml::array* schedule = team->get_as<toml::array>("schedule")) {
          for (auto& step : *schedule) {
            if (toml::table* t = step.as_table()) scaling.scale(*t, "fte", prefix + ".team.schedule.fte");
          }
        }
      }
      if (toml::table* initial = s->get_as<toml::table>("initial")) {
        scaling.scale(*initial, "cases", prefix + ".initial.cases");
      }
    }
  }
  // A [[change]] that sets or adds to such a value, from a file written for other children.
  if (toml::array* changes = root.get_as<toml::array>("change")) {
    for (auto& change : *changes) {
      toml::table* c = change.as_table();
      if (c == nullptr) continue;
      for (const char* edit : {"set", "add"}) {
        toml::table* entries = c->get_as<toml::table>(edit);
        if (entries == nullptr) continue;
        std::vector<std::string> keys;
        for (auto&& [k, v] : *entries) keys.emplace_back(k.str());
        for (const auto& k : keys) {
          if (per_child_key(split_key(k))) scaling.scale(*entries, k, k);
        }
      }
    }
  }
}

}  // namespace

ScenarioDocument compose_scenario(const std::string& text, const std::string& display_name,
                                  const std::vector<Override>& overrides, LoadContext& ctx) {
  ctx.file = display_name;
  ctx.overrides = overrides;
  ScenarioDocument doc;
  doc.hash = fnv1a64(text);
  std::map<std::string, double> written_for;
  doc.root = resolve_base(parse_toml(text, display_name), display_name, doc.includes, doc.hash, written_for);
  ctx.file_order = doc.includes;
  ctx.file_order.push_back(display_name);
  record_threshold_ladders(doc.root, "", ctx);
  scale_per_child(doc.root, written_for, overrides, ctx);
  for (const auto& o : overrides) apply_override(doc.root, o, ctx);
  return doc;
}

void merge_appended(toml::table& root, const std::string& appended) {
  if (appended.empty()) return;
  toml::table extra = parse_toml(appended, "appended settings");
  join_changes(root, extra);
  merge_into(root, extra);
}

// A change that would start after the run ends never takes effect: it is left out (a shorter run of a scenario
// with a timeline, say), rather than refused as `frontdoor run` refuses it.
void drop_changes_after_run(toml::table& root) {
  if (toml::array* changes = root.get_as<toml::array>("change")) {
    const auto* years = root.at_path("simulation.years").as_integer();
    if (years != nullptr) {
      toml::array kept;
      for (auto& change : *changes) {
        const toml::table* t = change.as_table();
        const auto* from = t != nullptr ? t->get_as<std::int64_t>("from_year") : nullptr;
        if (from == nullptr || from->get() <= years->get()) kept.push_back(std::move(change));
      }
      if (kept.empty()) {
        root.erase("change");
      } else {
        *changes = std::move(kept);
      }
    }
  }
}

}  // namespace loader
}  // namespace frontdoor
