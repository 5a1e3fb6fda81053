#include "models/scenario_loader.hpp"


#include <algorithm>
#include <cctype>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <toml++/toml.h>

#include "models/input_file.hpp"
#include "models/measures.hpp"
#include "models/utf8.hpp"

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

std::string format_number(double value) {
  std::ostringstream out;
  out.precision(12);
  out << value;
  return out.str();
}

std::string describe_node(const toml::node& node) {
  std::ostringstream out;
  switch (node.type()) {
    case toml::node_type::string:
      out << "the text \"" << node.as_string()->get() << "\"";
      break;
    case toml::node_type::integer:
      out << "the whole number " << node.as_integer()->get();
      break;
    case toml::node_type::floating_point:
      out << "the number " << format_number(node.as_floating_point()->get());
      break;
    case toml::node_type::boolean:
      out << (node.as_boolean()->get() ? "true" : "false");
      break;
    case toml::node_type::table:
      out << "a table";
      break;
    case toml::node_type::array:
      out << "an array";
      break;
    default:
      out << "a date or time";
  }
  return out.str();
}

// How messages name an override: as it was given on the command line.
std::string set_text(const Override& o) { return "--set " + o.key + "=" + o.value; }

// Shared state of one load: where messages point and what has gone wrong so far.
struct LoadContext {
  std::string file;
  std::vector<Override> overrides;
  std::vector<std::string> problems;
  std::vector<ParameterRecord> parameters;
  std::vector<std::string> file_order;  // included files, then the scenario
  const Pathway* order_like = nullptr;   // a change's pathway keeps its scenario's order (its copy has no lines)
  // Each `thresholds` table's decisions from the lowest threshold to the highest, as the scenario's files set
  // them (before any --set): overrides must keep that order.
  std::map<std::string, std::vector<std::string>> threshold_ladders;

  // The override that set `key` or one of its parents/children, if any.
  const Override* override_for(const std::string& key) const {
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
      if (it->key == key || it->key.rfind(key + ".", 0) == 0 || key.rfind(it->key + ".", 0) == 0 ||
          key.rfind(it->key + "[", 0) == 0) {
        return &*it;
      }
    }
    return nullptr;
  }

  std::string where(const toml::node* node, const std::string& key) const {
    if (node != nullptr && node->source().begin.line > 0) {
      const std::string& in = node->source().path ? *node->source().path : file;
      if (in.rfind("--set ", 0) == 0) return in;  // a value an override wrote (see apply_override)
      return in + ":" + std::to_string(node->source().begin.line);
    }
    if (const Override* o = override_for(key)) return set_text(*o);
    return file;
  }

  void problem(const toml::node* node, const std::string& key, const std::string& message) {
    problems.push_back(where(node, key) + ": " + (key.empty() ? "" : key + ": ") + message);
  }
};

std::string join_key(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

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

// Reads one TOML table against the schema: each accessor consumes a key, checks its type and range and records
// it; finish() reports every key nobody asked for.
class TableReader {
 public:
  TableReader(LoadContext& ctx, const toml::table* table, std::string prefix)
      : ctx_(ctx), table_(table), prefix_(std::move(prefix)) {}

  bool present() const { return table_ != nullptr; }
  bool has(std::string_view key) const { return table_ != nullptr && table_->contains(key); }

  double number(std::string_view key, double fallback, double lo, double hi, const std::string& unit,
                bool lo_open = false) {
    const std::string full = join_key(prefix_, key);
    const toml::node* node = take(key);
    if (node == nullptr) return record_default(full, format_number(fallback), unit, range_text(lo, hi, lo_open), fallback);
    double value = 0.0;
    if (auto i = node->as_integer()) {
      value = static_cast<double>(i->get());
    } else if (auto f = node->as_floating_point()) {
      value = f->get();
    } else {
      ctx_.problem(node, full, "expected a number (" + unit + "), got " + describe_node(*node));
      return fallback;
    }
    if (!std::isfinite(value) || value < lo || value > hi || (lo_open && value == lo)) {
      ctx_.problem(node, full,
                   format_number(value) + " is out of range: must be in " + range_text(lo, hi, lo_open) + " " + unit);
      return fallback;
    }
    record(full, format_number(value), unit, range_text(lo, hi, lo_open), ctx_.where(node, full));
    return value;
  }

  int integer(std::string_view key, int fallback, int lo, int hi, const std::string& unit) {
    const std::string full = join_key(prefix_, key);
    const toml::node* node = take(key);
    const std::string range = range_text(lo, hi, false);
    if (node == nullptr) return static_cast<int>(record_default(full, std::to_string(fallback), unit, range, fallback));
    std::int64_t value = 0;
    if (auto i = node->as_integer()) {
      value = i->get();
    } else if (auto f = node->as_floating_point(); f && std::floor(f->get()) == f->get() && std::abs(f->get()) < 1e15) {
      value = static_cast<std::int64_t>(f->get());
    } else {
      ctx_.problem(node, full, "expected a whole number (" + unit + "), got " + describe_node(*node));
      return fallback;
    }
    if (value < lo || value > hi) {
      ctx_.problem(node, full, std::to_string(value) + " is out of range: must be in " + range + " " + unit);
      return fallback;
    }
    record(full, std::to_string(value), unit, range, ctx_.where(node, full));
    return static_cast<int>(value);
  }

  bool boolean(std::string_view key, bool fallback) {
    const std::string full = join_key(prefix_, key);
    const toml::node* node = take(key);
    if (node == nullptr) {
      record(full, fallback ? "true" : "false", "", "true or false", "default");
      return fallback;
    }
    auto b = node->as_boolean();
    if (!b) {
      ctx_.problem(node, full, "expected true or false, got " + describe_node(*node));
      return fallback;
    }
    record(full, b->get() ? "true" : "false", "", "true or false", ctx_.where(node, full));
    return b->get();
  }

  // A string; when `allowed` is not empty the value must be one of them. `required` strings have no default.
  std::string text(std::string_view key, const std::string& fallback, const std::vector<std::string>& allowed = {},
                   bool required = false) {
    const std::string full = join_key(prefix_, key);
    const toml::node* node = take(key);
    std::string choices;
    for (const auto& a : allowed) choices += (choices.empty() ? "" : ", ") + a;
    if (node == nullptr) {
      if (required) {
        ctx_.problem(table_, full, "is required but missing");
        return fallback;
      }
      record(full, fallback, "", choices.empty() ? "" : "one of " + choices, "default");
      return fallback;
    }
    auto s = node->as_string();
    if (!s) {
      ctx_.problem(node, full, "expected text, got " + describe_node(*node));
      return fallback;
    }
    const std::string value = s->get();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      ctx_.problem(node, full, "\"" + value + "\" is not allowed: use one of " + choices);
      return fallback;
    }
    if (required && value.empty()) ctx_.problem(node, full, "must not be empty");
    record(full, value, "", choices.empty() ? "" : "one of " + choices, ctx_.where(node, full));
    return value;
  }

  // A sub-table (nullptr reader if absent). Anything else under that key is a type error.
  TableReader table(std::string_view key) {
    const std::string full = join_key(prefix_, key);
    const toml::node* node = take(key);
    if (node == nullptr) return TableReader(ctx_, nullptr, full);
    if (!node->is_table()) {
      ctx_.problem(node, full, "expected a table, got " + describe_node(*node));
      return TableReader(ctx_, nullptr, full);
    }
    return TableReader(ctx_, node->as_table(), full);
  }

  const toml::array* array(std::string_view key) {
    const std::string full = join_key(prefix_, key);
    const toml::node* node = take(key);
    if (node == nullptr) return nullptr;
    if (!node->is_array()) {
      ctx_.problem(node, full, "expected an array, got " + describe_node(*node));
      return nullptr;
    }
    return node->as_array();
  }

  // Records a value read by the caller's own code (an array, say).
  void record_external(const std::string& key, const std::string& value, const std::string& unit,
                       const std::string& range, const std::string& origin) {
    record(key, value, unit, range, origin);
  }

  // Marks a key as read by the caller's own code.
  void consume(std::string_view key) { used_.insert(std::string(key)); }

  // Keys present in the table.
  std::vector<std::string> keys() const {
    std::vector<std::string> names;
    if (table_ != nullptr) {
      for (const auto& [k, v] : *table_) names.emplace_back(k.str());
    }
    return names;
  }

  void finish() {
    if (table_ == nullptr) return;
    for (const auto& [k, v] : *table_) {
      if (used_.count(std::string(k.str())) == 0) {
        const std::string full = join_key(prefix_, k.str());
        ctx_.problem(&v, full, "unknown key");
      }
    }
  }

  const std::string& prefix() const { return prefix_; }
  const toml::table* node() const { return table_; }
  LoadContext& context() { return ctx_; }

 private:
  const toml::node* take(std::string_view key) {
    used_.insert(std::string(key));
    return table_ == nullptr ? nullptr : table_->get(key);
  }

  static std::string range_text(double lo, double hi, bool lo_open) {
    return std::string(lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) + "]";
  }

  void record(const std::string& key, const std::string& value, const std::string& unit, const std::string& range,
              const std::string& origin) {
    ctx_.parameters.push_back(ParameterRecord{key, value, unit, range, origin});
  }

  double record_default(const std::string& key, const std::string& value, const std::string& unit,
                        const std::string& range, double fallback) {
    record(key, value, unit, range, "default");
    return fallback;
  }

  LoadContext& ctx_;
  const toml::table* table_;
  std::string prefix_;
  std::set<std::string> used_;
};

// Applies one override to the parsed document, creating tables along the path as needed.
// Sets the dotted `key` of the document to `value`, creating tables along the path as needed. Returns an empty
// string, or why it cannot.
std::string set_dotted(toml::table& root, const std::string& key, const toml::node& value) {
  std::vector<std::string> parts;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* next = table->get(parts[i]);
    if (next == nullptr) {
      table->insert(parts[i], toml::table{});
      next = table->get(parts[i]);
    }
    if (!next->is_table()) return key + ": cannot be set, because " + parts[i] + " is " + describe_node(*next) + ", not a table";
    table = next->as_table();
  }
  value.visit([&](auto&& v) { table->insert_or_assign(parts.back(), v); });
  return "";
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
  const std::string error = set_dotted(root, o.key, *parsed.get("v"));
  if (!error.empty()) ctx.problems.push_back(set_text(o) + ": " + error);
}

// An array of one number per need level (0 to 4), each in [lo, hi].
std::array<double, need_levels> need_levels_array(TableReader& t, std::string_view key, double lo, double hi,
                                                  const std::string& unit, bool required) {
  std::array<double, need_levels> out{};
  const std::string full = join_key(t.prefix(), key);
  const toml::array* list = t.array(key);
  if (list == nullptr) {
    if (required && t.present()) t.context().problem(t.node(), full, "is required but missing: one number per need level 0 to 4");
    return out;
  }
  if (list->size() != static_cast<std::size_t>(need_levels)) {
    t.context().problem(list, full, "expected 5 numbers (need levels 0 to 4), got " + std::to_string(list->size()));
    return out;
  }
  for (int k = 0; k < need_levels; ++k) {
    const toml::node* node = list->get(static_cast<std::size_t>(k));
    const std::string item = full + "[" + std::to_string(k) + "]";
    std::optional<double> value;
    if (auto i = node->as_integer()) value = static_cast<double>(i->get());
    if (auto f = node->as_floating_point()) value = f->get();
    if (!value) {
      t.context().problem(node, item, "expected a number (" + unit + "), got " + describe_node(*node));
    } else if (!std::isfinite(*value) || *value < lo || *value > hi) {
      t.context().problem(node, item, format_number(*value) + " is out of range: must be in [" + format_number(lo) + ", " +
                                          format_number(hi) + "] " + unit);
    } else {
      out[k] = *value;
    }
  }
  std::string text;
  for (double v : out) text += (text.empty() ? "" : ", ") + format_number(v);
  t.record_external(full, "[" + text + "]", unit, "[" + format_number(lo) + ", " + format_number(hi) + "] each",
                    t.context().where(list, full));
  return out;
}

void read_sources(TableReader sources, Scenario& scenario) {
  LoadContext& ctx = sources.context();
  for (const auto& key : sources.keys()) {
    SourceKind kind;
    if (!source_from_name(key, kind)) {
      sources.table(key);  // consumed, so that finish() does not report it a second time
      ctx.problem(sources.node()->get(key), join_key(sources.prefix(), key),
                  "unknown referral source: use police, schools, health, local_authority, individuals or other");
    }
  }
  for (SourceKind kind : all_sources) {
    if (!sources.has(source_name(kind))) continue;
    TableReader t = sources.table(source_name(kind));
    if (!t.present()) continue;
    SourceSpec spec;
    spec.kind = kind;
    if (scenario.need.enabled) {
      // Contacts come from children: each source notices need at its own rate and describes it with its own noise.
      spec.notice_per_year = need_levels_array(t, "notice_per_year", 0.0, 1000.0, "contacts per child-year", true);
      spec.accuracy_sd = t.number("accuracy_sd", 0.0, 0.0, 5.0, "need levels");
      spec.co_located = t.boolean("co_located", false);
      if (t.has("contacts_per_day")) {
        ctx.problem(t.node()->get("contacts_per_day"), t.prefix() + ".contacts_per_day",
                    "with a [need] table, contacts come from children: use notice_per_year");
        t.consume("contacts_per_day");
      }
    } else {
      spec.contacts_per_day = t.number("contacts_per_day", 0.0, 0.0, 100000.0, "contacts/day");
    }
    const std::string pattern = t.text("arrivals", "poisson", {"poisson", "deterministic"});
    spec.pattern = pattern == "deterministic" ? ArrivalPattern::deterministic : ArrivalPattern::poisson;
    const std::string calendar = t.text("calendar", kind == SourceKind::schools ? "school" : "none", {"none", "school"});
    spec.follows_school_calendar = calendar == "school";
    spec.holiday_factor = t.number("holiday_factor", 1.0, 0.0, 1.0, "x term-time rate");
    if (spec.pattern == ArrivalPattern::deterministic && spec.follows_school_calendar) {
      ctx.problem(t.node(), t.prefix(), "deterministic arrivals cannot follow the school calendar: set calendar = \"none\"");
    }
    t.finish();
    scenario.sources.push_back(spec);
  }
  sources.finish();
}

// A distribution table { distribution = ..., mean_days = ..., sd_days (lognormal) | shape (gamma) }.
Distribution read_distribution(TableReader t, const std::string& unit) {
  const std::string family = t.text("distribution", "exponential", {"exponential", "lognormal", "gamma", "fixed"});
  const double mean = t.number("mean_days", 1.0, 0.0, 36500.0, unit, /*lo_open=*/family != "fixed");
  if (family == "lognormal") {
    const double sd = t.number("sd_days", mean, 0.0, 36500.0, unit);
    t.finish();
    return Distribution::lognormal(mean, sd);
  }
  if (family == "gamma") {
    const double shape = t.number("shape", 1.0, 0.0, 1e6, "", /*lo_open=*/true);
    t.finish();
    return Distribution::gamma(mean, shape);
  }
  t.finish();
  return family == "fixed" ? Distribution::fixed(mean) : Distribution::exponential(mean);
}

std::optional<Distribution> optional_distribution(TableReader& parent, std::string_view key, const std::string& unit,
                                                  bool required) {
  TableReader t = parent.table(key);
  if (!t.present()) {
    if (required) parent.context().problem(parent.node(), join_key(parent.prefix(), key), "is required but missing");
    return std::nullopt;
  }
  return read_distribution(t, unit);
}

TeamSpec read_team(TableReader& service, ServiceKind kind, double horizon_days) {
  LoadContext& ctx = service.context();
  TeamSpec team;
  TableReader t = service.table("team");
  if (!t.present()) {
    ctx.problem(service.node(), service.prefix() + ".team", "is required but missing: { fte = ... }");
    return team;
  }
  const bool whole = kind == ServiceKind::screening_queue;
  const std::string unit = whole ? "screeners" : "FTE";
  auto read_fte = [&](TableReader& r, double fallback) {
    return whole ? static_cast<double>(r.integer("fte", static_cast<int>(fallback), 1, 10000, unit))
                 : r.number("fte", fallback, 0.0, 10000.0, unit, /*lo_open=*/true);
  };
  if (kind == ServiceKind::caseload_team && t.has("budget_gbp")) {
    // A prevention budget in pounds sets the FTE (read_service converts it once the costs are known); it wins
    // over `fte`, so that a [[change]] can move a team from FTE to a budget.
    team.budget_gbp = t.number("budget_gbp", 0.0, 0.0, 1e10, "pounds a year", /*lo_open=*/true);
    t.consume("fte");
  } else {
    if (!t.has("fte")) ctx.problem(t.node(), t.prefix() + ".fte", "is required but missing (or budget_gbp)");
    team.fte = read_fte(t, 1.0);
  }
  if (kind == ServiceKind::caseload_team) team.caseload_cap = t.number("caseload_cap", 0.0, 0.0, 1000.0, "cases/FTE");
  team.turnover_per_year = t.number("turnover_per_year", 0.0, 0.0, 5.0, "share of staff a year");
  team.recruitment_days = t.number("recruitment_days", 90.0, 0.0, 3650.0, "days", /*lo_open=*/true);
  team.agency_cover = t.number("agency_cover", 0.0, 0.0, 1.0, "share of vacant FTE");
  if (kind == ServiceKind::caseload_team) {
    team.turnover_pressure = t.number("turnover_pressure", 0.0, 0.0, 20.0, "x turnover per unit of overload");
  }
  if (const toml::array* schedule = t.array("schedule")) {
    double previous = 0.0;
    for (std::size_t i = 0; i < schedule->size(); ++i) {
      const std::string key = t.prefix() + ".schedule[" + std::to_string(i) + "]";
      const toml::node& entry = *schedule->get(i);
      if (!entry.is_table()) {
        ctx.problem(&entry, key, "expected a table {from_day = ..., fte = ...}, got " + describe_node(entry));
        continue;
      }
      TableReader e(ctx, entry.as_table(), key);
      if (!e.has("from_day") || !e.has("fte")) ctx.problem(&entry, key, "needs both from_day and fte");
      StaffChange change;
      change.from_day = e.number("from_day", 1.0, 0.0, horizon_days, "days", /*lo_open=*/true);
      change.fte = read_fte(e, team.fte);
      if (i > 0 && change.from_day <= previous) ctx.problem(&entry, key, "from_day must increase from one change to the next");
      previous = change.from_day;
      e.finish();
      team.schedule.push_back(change);
    }
  }
  t.finish();
  return team;
}

int decision_index(const std::vector<DecisionShare>& decisions, const std::string& name);

// The service's decisions: `decisions` gives shares (chance outcomes), `thresholds` (with a [need] table) gives the
// lowest observed need for each of the others. Without thresholds the shares sum to 1; with them, to less.
std::vector<DecisionShare> read_decisions(TableReader& service, bool need_enabled, NeedRule& rule) {
  LoadContext& ctx = service.context();
  std::vector<DecisionShare> decisions;
  TableReader t = service.table("decisions");
  double total = 0.0;
  for (const auto& name : t.keys()) {
    const double share = t.number(name, 0.0, 0.0, 1.0, "share");
    decisions.push_back({name, share});
    total += share;
  }
  t.finish();
  TableReader th = service.table("thresholds");
  if (th.present() && !need_enabled) {
    ctx.problem(th.node(), th.prefix(), "decisions on observed need need a [need] table (children and their need)");
  }
  if (!th.present()) {
    if (t.present() && std::abs(total - 1.0) > 1e-9) {
      ctx.problem(t.node(), t.prefix(), "shares must sum to 1, but sum to " + format_number(total));
    }
    return decisions;
  }
  rule.active = true;
  rule.thresholds.assign(decisions.size(), std::nan(""));
  for (const auto& name : th.keys()) {
    const double threshold = th.number(name, 0.0, -5.0, 10.0, "need level");
    for (const auto& d : decisions) {
      if (d.name == name) ctx.problem(th.node()->get(name), th.prefix() + "." + name, "is both a share and a threshold");
    }
    decisions.push_back({name, 0.0});
    rule.thresholds.push_back(threshold);
  }
  th.finish();
  // A --set may move a threshold, not reorder them: the early-help line above the referral line, say, would send
  // the neediest children to early help.
  if (auto ladder = ctx.threshold_ladders.find(th.prefix()); ladder != ctx.threshold_ladders.end()) {
    const std::string* lower = nullptr;
    double lower_value = 0.0;
    for (const auto& name : ladder->second) {
      const int d = decision_index(decisions, name);
      if (d < 0 || std::isnan(rule.thresholds[d])) continue;
      const double value = rule.thresholds[d];
      if (lower != nullptr && value < lower_value) {
        const std::string& blamed = ctx.override_for(th.prefix() + "." + name) != nullptr ? name : *lower;
        std::string order;
        for (const auto& n : ladder->second) order += (order.empty() ? "" : ", ") + n;
        ctx.problem(th.node()->get(blamed), th.prefix() + "." + blamed,
                    *lower + " (" + format_number(lower_value) + ") would be above " + name + " (" + format_number(value) +
                        "): a service's thresholds keep the order its scenario gives them, lowest need first (" + order +
                        "), or the neediest children would get the lesser decision");
        break;
      }
      lower = &name;
      lower_value = value;
    }
  }
  if (total >= 1.0 - 1e-9) {
    ctx.problem(t.node(), t.prefix(), "chance shares must leave room for the decisions on need: they sum to " + format_number(total));
  }
  rule.noise_sd = service.number("noise_sd", 0.0, 0.0, 5.0, "need levels");
  return decisions;
}

int decision_index(const std::vector<DecisionShare>& decisions, const std::string& name) {
  for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
    if (decisions[d].name == name) return d;
  }
  return -1;
}

// The reference model's per-service settings: escalation, consent, help and family group conferences.
void read_need_settings(TableReader& t, ServiceSpec& s, bool need_enabled) {
  LoadContext& ctx = t.context();
  const std::vector<std::string> keys{"escalate", "consent", "help", "fgc", "initial"};
  for (const auto& key : keys) {
    if (t.has(key) && !need_enabled) {
      ctx.problem(t.node()->get(key), t.prefix() + "." + key, "needs a [need] table (children and their need)");
    }
  }
  auto decision = [&](TableReader& r, const char* key) {
    const std::string name = r.text(key, "", {}, true);
    const int d = decision_index(s.decisions, name);
    if (d < 0 && !name.empty()) ctx.problem(r.node(), r.prefix() + "." + key, "\"" + name + "\" is not a decision of " + s.id);
    return d;
  };
  if (TableReader e = t.table("escalate"); e.present()) {
    if (s.kind != ServiceKind::caseload_team) ctx.problem(e.node(), e.prefix(), "only a caseload team can escalate a case");
    s.need_rule.escalate_at = e.integer("at_need", 4, 1, need_levels - 1, "need level");
    s.need_rule.escalate_decision = decision(e, "decision");
    e.finish();
  }
  if (TableReader c = t.table("consent"); c.present()) {
    if (s.kind != ServiceKind::caseload_team) ctx.problem(c.node(), c.prefix(), "only a caseload team asks for consent");
    s.need_rule.consent = c.number("accept", 1.0, 0.0, 1.0, "share of families");
    s.need_rule.declined_decision = decision(c, "declined");
    c.finish();
  }
  if (TableReader h = t.table("help"); h.present()) {
    if (s.kind != ServiceKind::caseload_team) ctx.problem(h.node(), h.prefix(), "only a caseload team helps");
    s.help.effect = h.number("effect", 0.0, 0.0, 100.0, "x faster fall in need");
    s.help.protection = h.number("protection", 0.0, 0.0, 1.0, "share of harm prevented");
    h.finish();
  }
  if (TableReader i = t.table("initial"); i.present()) {
    if (s.kind != ServiceKind::caseload_team) ctx.problem(i.node(), i.prefix(), "only a caseload team starts with cases");
    s.initial_cases = static_cast<int>(i.integer("cases", 0, 0, 10000000, "children"));
    s.initial_need = static_cast<int>(i.integer("need", 3, 1, need_levels - 1, "need level"));
    i.finish();
  }
  if (TableReader f = t.table("fgc"); f.present()) {
    s.fgc_from = decision(f, "instead_of");
    s.fgc_to = decision(f, "decide");
    f.finish();
  }
}

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

ServiceSpec read_service(TableReader t, const std::string& id, double horizon_days, bool need_enabled) {
  LoadContext& ctx = t.context();
  ServiceSpec s;
  s.id = id;
  s.where = ctx.where(t.node(), t.prefix());
  if (!valid_id(id)) ctx.problem(t.node(), t.prefix(), "service ids are lower-case letters, digits and _");
  const std::string kind = t.text("kind", "exit", {"screening_queue", "caseload_team", "decision_point", "exit"}, true);
  s.kind = kind == "screening_queue"  ? ServiceKind::screening_queue
           : kind == "caseload_team"  ? ServiceKind::caseload_team
           : kind == "decision_point" ? ServiceKind::decision_point
                                      : ServiceKind::exit;
  s.label = t.text("label", id);
  s.entry = t.boolean("entry", false);
  switch (s.kind) {
    case ServiceKind::screening_queue:
      s.team = read_team(t, s.kind, horizon_days);
      s.work = optional_distribution(t, "work", "days per item", true).value_or(Distribution::fixed(1.0));
      break;
    case ServiceKind::caseload_team:
      s.team = read_team(t, s.kind, horizon_days);
      s.work = optional_distribution(t, "work", "worker-days per case", false).value_or(Distribution::fixed(0.0));
      s.duration = optional_distribution(t, "duration", "days", true).value_or(Distribution::fixed(1.0));
      break;
    case ServiceKind::decision_point:
      s.delay = optional_distribution(t, "delay", "days", false);
      break;
    case ServiceKind::exit:
      s.child_leaves = t.boolean("leaves_population", false);
      break;
  }
  if (s.kind != ServiceKind::exit) {
    s.decisions = read_decisions(t, need_enabled, s.need_rule);
    read_need_settings(t, s, need_enabled);
  }
  if (TableReader p = t.table("placements"); p.present()) {
    if (s.kind != ServiceKind::caseload_team) ctx.problem(p.node(), p.prefix(), "only a caseload team places children");
    double total = 0.0;
    for (const auto& name : p.keys()) {
      TableReader one = p.table(name);
      PlacementSpec placement{name, one.number("share", 0.0, 0.0, 1.0, "share of cases", /*lo_open=*/true),
                              one.number("per_week", 0.0, 0.0, 1e6, "pounds a week")};
      if (!valid_id(name)) ctx.problem(one.node(), one.prefix(), "placement names are lower-case letters, digits and _");
      one.finish();
      total += placement.share;
      s.placements.push_back(placement);
    }
    if (std::abs(total - 1.0) > 1e-9) ctx.problem(p.node(), p.prefix(), "shares must sum to 1, but sum to " + format_number(total));
    p.finish();
  }
  if (s.kind != ServiceKind::exit) {
    TableReader c = t.table("cost");
    if (s.kind == ServiceKind::screening_queue || s.kind == ServiceKind::caseload_team) {
      s.cost.per_fte_year = c.number("per_fte_year", 0.0, 0.0, 1e6, "pounds a year per FTE");
    }
    s.cost.per_case = c.number("per_case", 0.0, 0.0, 1e7, "pounds per case");
    s.cost.per_week_open = c.number("per_week_open", 0.0, 0.0, 1e6, "pounds per case per week");
    c.finish();
  }
  if (s.team.budget_gbp > 0.0) {
    // A budget buys whole workers' time: each FTE costs its employment plus the per-case cost of the families a
    // full caseload sees in a year.
    const double per_fte = s.cost_per_fte_year();
    if (per_fte <= 0.0) {
      ctx.problem(t.node(), t.prefix() + ".team.budget_gbp", "a budget needs cost.per_fte_year or cost.per_case");
    } else {
      s.team.fte = s.team.budget_gbp / per_fte;
    }
  }
  t.finish();
  return s;
}

RouteSpec read_route(TableReader t, const std::string& id) {
  LoadContext& ctx = t.context();
  RouteSpec r;
  r.id = id;
  r.where = ctx.where(t.node(), t.prefix());
  if (!valid_id(id)) ctx.problem(t.node(), t.prefix(), "route ids are lower-case letters, digits and _");
  r.from = t.text("from", "", {}, true);
  r.to = t.text("to", "", {}, true);
  r.when = t.text("when", "");
  if (t.has("source")) {
    const toml::node* node = t.node()->get("source");
    std::vector<std::string> names;
    if (auto one = node->as_string()) {
      names.push_back(one->get());
    } else if (auto many = node->as_array(); many && many->is_homogeneous(toml::node_type::string) && !many->empty()) {
      for (const auto& n : *many) names.push_back(n.as_string()->get());
    } else {
      ctx.problem(node, t.prefix() + ".source", "expected a referral source or a list of them");
    }
    for (const auto& name : names) {
      SourceKind kind;
      if (source_from_name(name, kind)) {
        r.sources.push_back(kind);
      } else {
        ctx.problem(node, t.prefix() + ".source", "\"" + name + "\" is not a referral source");
      }
    }
    t.consume("source");
  }
  r.probability = t.number("probability", 1.0, 0.0, 1.0, "share", /*lo_open=*/true);
  t.finish();
  return r;
}

Pathway read_pathway(TableReader& top, double horizon_days, bool need_enabled) {
  LoadContext& ctx = top.context();
  std::vector<ServiceSpec> services;
  std::vector<RouteSpec> routes;
  TableReader service_tables = top.table("service");
  if (!service_tables.present()) ctx.problem(top.node(), "service", "is required but missing: declare [service.<id>] tables");
  for (const auto& id : service_tables.keys()) {
    TableReader t = service_tables.table(id);
    if (t.present()) services.push_back(read_service(t, id, horizon_days, need_enabled));
  }
  service_tables.finish();
  TableReader route_tables = top.table("route");
  for (const auto& id : route_tables.keys()) {
    TableReader t = route_tables.table(id);
    if (t.present()) routes.push_back(read_route(t, id));
  }
  route_tables.finish();
  // Declaration order (file by file, in the order they were merged, then by line), not TOML's key order.
  auto order = [&](const std::string& where) {
    const auto colon = where.rfind(':');
    const std::string file = where.substr(0, colon);
    const auto rank = std::find(ctx.file_order.begin(), ctx.file_order.end(), file) - ctx.file_order.begin();
    return std::make_pair(rank, colon == std::string::npos ? 0L : std::atol(where.c_str() + colon + 1));
  };
  if (const Pathway* like = ctx.order_like) {
    auto route_index = [&](const std::string& id) {
      for (std::size_t r = 0; r < like->routes().size(); ++r) {
        if (like->routes()[r].id == id) return r;
      }
      return like->routes().size();
    };
    std::stable_sort(services.begin(), services.end(),
                     [&](const ServiceSpec& a, const ServiceSpec& b) { return like->find(a.id) < like->find(b.id); });
    std::stable_sort(routes.begin(), routes.end(),
                     [&](const RouteSpec& a, const RouteSpec& b) { return route_index(a.id) < route_index(b.id); });
  } else {
    std::stable_sort(services.begin(), services.end(),
                     [&](const ServiceSpec& a, const ServiceSpec& b) { return order(a.where) < order(b.where); });
    std::stable_sort(routes.begin(), routes.end(),
                     [&](const RouteSpec& a, const RouteSpec& b) { return order(a.where) < order(b.where); });
  }
  return Pathway(std::move(services), std::move(routes));
}

std::vector<ReportMeasure> read_reporting(TableReader t, const Pathway& pathway) {
  LoadContext& ctx = t.context();
  std::vector<ReportMeasure> measures;
  if (!t.present()) return measures;
  auto selector = [&](const toml::node* node, const std::string& key, const std::string& text, Selector& out) {
    const std::string error = parse_selector(text, pathway, out);
    if (!error.empty()) ctx.problem(node, key, "\"" + text + "\": " + error);
  };
  std::map<std::string, std::string> rate_selectors;  // measure name -> its selector, for `of = "<measure>"`
  for (const auto& name : t.keys()) {
    const toml::node* node = t.node()->get(name);
    if (auto s = node->as_string()) rate_selectors[name] = s->get();
  }
  for (const auto& name : t.keys()) {
    const toml::node* node = t.node()->get(name);
    const std::string key = t.prefix() + "." + name;
    ReportMeasure m;
    m.name = name;
    if (auto s = node->as_string()) {
      t.consume(name);
      selector(node, key, s->get(), m.numerator);
      const Selector::Kind kind = m.numerator.kind;
      m.type = kind == Selector::Kind::cost || kind == Selector::Kind::wait ? ReportMeasure::Type::total : ReportMeasure::Type::rate;
      m.unit = kind == Selector::Kind::cost   ? "gbp"
               : kind == Selector::Kind::wait ? "days"
               : m.numerator.is_stock()       ? "per_10k"
                                              : "per_10k_per_year";
      measures.push_back(m);
      continue;
    }
    TableReader r = t.table(name);
    if (!r.present()) continue;
    if (r.has("share") || r.has("ratio")) {
      const bool share = r.has("share");
      m.type = share ? ReportMeasure::Type::share : ReportMeasure::Type::ratio;
      const std::string top = r.text(share ? "share" : "ratio", "", {}, true);
      const std::string bottom = r.text(share ? "of" : "per", "", {}, true);
      selector(r.node(), key, top, m.numerator);
      auto named = rate_selectors.find(bottom);
      selector(r.node(), key, named != rate_selectors.end() ? named->second : bottom, m.denominator);
      m.unit = r.text("unit", share ? (named != rate_selectors.end() ? "share_of_" + bottom : "share") : "ratio");
    } else if (r.has("median_working_days")) {
      m.type = ReportMeasure::Type::median_wd;
      m.service = pathway.find(r.text("median_working_days", "", {}, true));
      if (m.service < 0) ctx.problem(r.node(), key, "median_working_days names an unknown service");
      m.unit = r.text("unit", "working_days");
    } else if (r.has("within_working_days")) {
      m.type = ReportMeasure::Type::within_wd;
      m.working_days = r.number("within_working_days", 45.0, 0.0, 10000.0, "working days", true);
      m.service = pathway.find(r.text("service", "", {}, true));
      if (m.service < 0) ctx.problem(r.node(), key, "service names an unknown service");
      if (r.has("from")) {
        m.from = pathway.find(r.text("from", ""));
        if (m.from < 0) ctx.problem(r.node(), key, "from names an unknown service");
      }
      m.unit = r.text("unit", "share");
    } else {
      ctx.problem(r.node(), key,
                  "expected a selector, or a table with share/of, ratio/per, median_working_days, or "
                  "within_working_days/service");
      for (const auto& k : r.keys()) r.consume(k);  // reported once, above
    }
    r.finish();
    measures.push_back(m);
  }
  t.finish();
  // Declaration order, not TOML's alphabetical key order.
  auto line = [&](const std::string& name) { return t.node()->get(name)->source().begin.line; };
  std::stable_sort(measures.begin(), measures.end(),
                   [&](const ReportMeasure& a, const ReportMeasure& b) { return line(a.name) < line(b.name); });
  return measures;
}

std::vector<HolidayRange> read_holidays(TableReader& calendar) {
  LoadContext& ctx = calendar.context();
  const toml::array* list = calendar.array("school_holidays");
  if (list == nullptr) return default_school_holidays();
  std::vector<HolidayRange> ranges;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const toml::node& entry = *list->get(i);
    const std::string key = calendar.prefix() + ".school_holidays[" + std::to_string(i) + "]";
    const toml::array* pair = entry.as_array();
    HolidayRange range;
    if (pair == nullptr || pair->size() != 2 || !pair->get(0)->is_string() || !pair->get(1)->is_string() ||
        !parse_month_day(pair->get(0)->as_string()->get(), range.first) ||
        !parse_month_day(pair->get(1)->as_string()->get(), range.last)) {
      ctx.problem(&entry, key, "expected [\"MM-DD\", \"MM-DD\"] (first and last day of a holiday)");
      continue;
    }
    ranges.push_back(range);
  }
  return ranges;
}

// [reinvestment]: a share of the savings on late intervention moves into prevention each year.
ReinvestmentSpec read_reinvestment(TableReader t, const Scenario& scenario) {
  ReinvestmentSpec r;
  if (!t.present()) return r;
  LoadContext& ctx = t.context();
  r.where = ctx.where(t.node(), t.prefix());
  r.share = t.number("share", 0.0, 0.0, 1.0, "share of each pound saved");
  r.from_year = t.integer("from_year", 2, 2, 100, "year of the run (a year after the run: never)");
  const std::string into = t.text("into", "", {}, true);
  r.into = scenario.pathway.find(into);
  if (!into.empty() && (r.into < 0 || scenario.pathway.services()[r.into].kind != ServiceKind::caseload_team)) {
    ctx.problem(t.node()->get("into"), t.prefix() + ".into", "\"" + into + "\" is not a caseload team");
  } else if (r.into >= 0 && scenario.pathway.services()[r.into].cost_per_fte_year() <= 0.0) {
    ctx.problem(t.node()->get("into"), t.prefix() + ".into", "\"" + into + "\" has no costs, so money cannot buy its staff");
  }
  const toml::node* watch = t.node()->get("watch");
  const toml::array* list = watch != nullptr ? watch->as_array() : nullptr;
  if (list == nullptr || list->empty() || !list->is_homogeneous(toml::node_type::string)) {
    ctx.problem(watch != nullptr ? watch : t.node(), t.prefix() + ".watch", "expected a list of the late-intervention services whose cost is watched");
  } else {
    for (const auto& n : *list) {
      const int s = scenario.pathway.find(n.as_string()->get());
      if (s < 0 || scenario.pathway.services()[s].kind == ServiceKind::exit) {
        ctx.problem(&n, t.prefix() + ".watch", "\"" + n.as_string()->get() + "\" is not a service with costs");
      } else {
        r.watch.push_back(s);
      }
    }
  }
  t.consume("watch");
  t.finish();
  return r;
}

// [need]: children and their latent need. Absent: the reference model is off and decisions are fixed shares.
NeedSpec read_need(TableReader t) {
  NeedSpec need;
  if (!t.present()) return need;
  need.enabled = true;
  need.up_per_year = need_levels_array(t, "up_per_year", 0.0, 100.0, "per child-year", true);
  need.down_per_year = need_levels_array(t, "down_per_year", 0.0, 100.0, "per child-year", true);
  need.crisis_per_year = need_levels_array(t, "crisis_per_year", 0.0, 100.0, "per child-year", false);
  need.harm_per_year = need_levels_array(t, "harm_per_year", 0.0, 100.0, "harm events per child-year", true);
  if (need.up_per_year[need_levels - 1] != 0.0 || need.down_per_year[0] != 0.0 || need.crisis_per_year[need_levels - 1] != 0.0) {
    t.context().problem(t.node(), t.prefix(), "need cannot rise above level 4 or fall below 0: up_per_year[4], crisis_per_year[4] and down_per_year[0] must be 0");
  }
  need.co_location_factor = t.number("co_location_factor", 0.5, 0.0, 1.0, "x a source's noise");
  need.threshold_shift = t.number("threshold_shift", 0.0, -5.0, 5.0, "need levels");
  need.quality_elasticity = t.number("quality_elasticity", 1.0, 0.0, 10.0, "");
  need.quality_noise = t.number("quality_noise", 1.0, 0.0, 20.0, "x noise per unit of lost quality");
  need.start_removal = t.number("start_removal", 1.0, 0.0, 1.0, "share of children passing the front door");
  need.referral_service = t.text("referral_service", "referral");
  need.plan_service = t.text("plan_service", "cp_plan");
  TableReader fgc = t.table("fgc");
  need.fgc.coverage = fgc.number("coverage", 0.0, 0.0, 1.0, "share of care decisions");
  need.fgc.diverted = fgc.number("diverted", 0.0, 0.0, 1.0, "share of conferences");
  fgc.finish();
  t.finish();
  return need;
}

Scenario read_scenario(const toml::table& root, LoadContext& ctx) {
  Scenario scenario;
  TableReader top(ctx, &root, "");
  scenario.name = top.text("name", "", {}, true);
  scenario.version = top.text("version", "", {}, true);
  scenario.description = top.text("description", "", {}, true);

  TableReader sim = top.table("simulation");
  scenario.simulation.years = sim.integer("years", 10, 1, 100, "years");
  const std::string start = sim.text("start_date", "2024-04-01");
  if (!parse_date(start, scenario.simulation.start_date) ||
      static_cast<unsigned>(scenario.simulation.start_date.day()) > 28) {
    ctx.problem(sim.node() ? sim.node()->get("start_date") : nullptr, "simulation.start_date",
                "\"" + start + "\" is not a date YYYY-MM-DD with a day of the month from 1 to 28");
    parse_date("2024-04-01", scenario.simulation.start_date);
  }
  const int horizon = SimCalendar(scenario.simulation.start_date, scenario.simulation.years, {}).horizon_days();
  scenario.simulation.warmup_days = sim.number("warmup_days", 365.0, 0.0, static_cast<double>(horizon - 1), "days");
  sim.finish();

  TableReader population = top.table("population");
  scenario.children = population.integer("children", 100000, 1000, 20000000, "children aged 0-17");
  population.finish();

  TableReader calendar = top.table("calendar");
  scenario.school_holidays = read_holidays(calendar);
  calendar.finish();

  scenario.need = read_need(top.table("need"));
  TableReader sources = top.table("sources");
  if (!sources.present()) ctx.problem(&root, "sources", "is required but missing: declare at least one source");
  read_sources(sources, scenario);
  double total_rate = 0.0;
  for (const auto& s : scenario.sources) {
    total_rate += s.contacts_per_day;
    for (double rate : s.notice_per_year) total_rate += rate;
  }
  if (sources.present() && total_rate <= 0.0) {
    ctx.problem(sources.node(), "sources", "no contacts would arrive: every source's rate is 0");
  }

  top.consume("change");  // read by read_scenario_with_changes
  scenario.pathway = read_pathway(top, horizon, scenario.need.enabled);
  if (scenario.need.enabled) {
    scenario.need.referral = scenario.pathway.find(scenario.need.referral_service);
    scenario.need.plan = scenario.pathway.find(scenario.need.plan_service);
    if (scenario.need.referral < 0) ctx.problem(root.get("need"), "need.referral_service", "\"" + scenario.need.referral_service + "\" is not a service");
    if (scenario.need.plan < 0) ctx.problem(root.get("need"), "need.plan_service", "\"" + scenario.need.plan_service + "\" is not a service");
  }
  TableReader costs = top.table("costs");
  scenario.agency_premium = costs.number("agency_premium", 0.0, 0.0, 5.0, "extra share over a permanent worker");
  costs.finish();
  scenario.reinvestment = read_reinvestment(top.table("reinvestment"), scenario);
  if (ctx.problems.empty()) scenario.reporting = read_reporting(top.table("reporting"), scenario.pathway);
  else top.consume("reporting");
  top.finish();
  if (ctx.problems.empty()) {
    // The structure is checked once every value is known to be well-formed.
    for (auto& problem : scenario.pathway.validate()) ctx.problems.push_back(problem);
  }
  if (ctx.problems.empty()) {
    // One name, one measure (models/measures.hpp): a [reporting] measure may not take a series' name.
    const toml::table* reporting = root.get("reporting") ? root.get("reporting")->as_table() : nullptr;
    for (const MeasureClash& clash : MeasureCatalogue(scenario).clashes()) {
      const std::string& name = clash.second.subject.empty() ? clash.second.name : clash.second.subject;
      ctx.problem(reporting ? reporting->get(name) : nullptr, "reporting." + name, clash.message);
    }
  }
  return scenario;
}

// One [[change]] as declared.
struct ChangeDecl {
  double from_day = 0.0;
  std::string label;
  std::string where;
  std::vector<std::pair<std::string, const toml::node*>> sets;
};

// Only these may change over time: the rest would change the shape of the run, not a lever.
bool changeable(const std::string& key) {
  std::vector<std::string> parts;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  if (parts.size() >= 3 && parts[0] == "sources") return true;
  if (parts.size() >= 2 && parts[0] == "need") {
    return parts[1] != "referral_service" && parts[1] != "plan_service" && parts[1] != "start_removal";
  }
  if (parts.size() >= 3 && parts[0] == "service") {
    return parts[2] == "team" || parts[2] == "work" || parts[2] == "duration" || parts[2] == "delay" ||
           parts[2] == "decisions" || parts[2] == "thresholds" || parts[2] == "noise_sd" || parts[2] == "help" ||
           parts[2] == "consent" || parts[2] == "escalate" || parts[2] == "fgc";
  }
  return parts.size() == 3 && parts[0] == "route" && parts[2] == "probability";
}

std::vector<ChangeDecl> read_changes(const toml::table& root, LoadContext& ctx, const Scenario& base) {
  std::vector<ChangeDecl> changes;
  const toml::node* node = root.get("change");
  if (node == nullptr) return changes;
  const toml::array* list = node->as_array();
  if (list == nullptr) {
    ctx.problem(node, "change", "expected [[change]] tables");
    return changes;
  }
  const SimCalendar calendar(base.simulation.start_date, base.simulation.years, {});
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string key = "change[" + std::to_string(i) + "]";
    const toml::node& entry = *list->get(i);
    if (!entry.is_table()) {
      ctx.problem(&entry, key, "expected a table { from_year = ..., set = { ... } }");
      continue;
    }
    TableReader t(ctx, entry.as_table(), key);
    ChangeDecl change;
    change.where = ctx.where(&entry, key);
    change.label = t.text("label", "");
    if (t.has("from_year") == t.has("from_day")) {
      ctx.problem(&entry, key, "needs exactly one of from_year and from_day");
    } else if (t.has("from_year")) {
      const int year = t.integer("from_year", 2, 2, base.simulation.years, "year of the run");
      change.from_day = calendar.month_start(12 * (year - 1));
    } else {
      change.from_day = t.integer("from_day", 1, 1, calendar.horizon_days() - 1, "days");
    }
    if (!changes.empty() && change.from_day <= changes.back().from_day) {
      ctx.problem(&entry, key, "changes must start on increasing days");
    }
    const toml::node* set = entry.as_table()->get("set");
    t.consume("set");
    if (set == nullptr || !set->is_table() || set->as_table()->empty()) {
      ctx.problem(&entry, key + ".set", "expected a table of \"dotted.key\" = value");
    } else {
      for (const auto& [k, v] : *set->as_table()) {
        const std::string dotted(k.str());
        if (!changeable(dotted)) {
          ctx.problem(&v, key + ".set." + dotted,
                      "cannot change over time: only sources, need, a service's team, work, duration, delay, "
                      "decisions, thresholds, noise_sd, help, consent, escalate and fgc, and route probabilities can");
        }
        change.sets.emplace_back(dotted, &v);
      }
    }
    t.finish();
    changes.push_back(change);
  }
  return changes;
}

// A change may alter values, never the pathway's shape.
std::string same_shape(const Pathway& a, const Pathway& b) {
  if (a.services().size() != b.services().size() || a.routes().size() != b.routes().size()) return "changes the pathway";
  for (std::size_t s = 0; s < a.services().size(); ++s) {
    const ServiceSpec& x = a.services()[s];
    const ServiceSpec& y = b.services()[s];
    if (x.id != y.id || x.kind != y.kind || x.decisions.size() != y.decisions.size() ||
        x.delay.has_value() != y.delay.has_value()) {
      return "changes service " + x.id;
    }
    for (std::size_t d = 0; d < x.decisions.size(); ++d) {
      if (x.decisions[d].name != y.decisions[d].name) return "changes the decisions of " + x.id;
    }
  }
  return "";
}

// The scenario, then each [[change]]: the document with every change so far applied, read and checked again.
Scenario read_scenario_with_changes(const toml::table& root, LoadContext& ctx) {
  Scenario scenario = read_scenario(root, ctx);
  if (!ctx.problems.empty()) return scenario;
  const std::vector<ChangeDecl> changes = read_changes(root, ctx, scenario);
  if (!ctx.problems.empty()) return scenario;
  toml::table current = root;
  current.erase("change");
  for (const ChangeDecl& change : changes) {
    for (const auto& [key, value] : change.sets) {
      const std::string error = set_dotted(current, key, *value);
      if (!error.empty()) ctx.problems.push_back(change.where + ": set: " + error);
    }
    LoadContext epoch_ctx;
    epoch_ctx.file = ctx.file;
    epoch_ctx.order_like = &scenario.pathway;
    auto epoch = std::make_shared<Scenario>(read_scenario(current, epoch_ctx));
    const std::string prefix = change.where + ": in the change from day " + std::to_string(static_cast<int>(change.from_day)) + ": ";
    for (const auto& problem : epoch_ctx.problems) ctx.problems.push_back(prefix + problem);
    if (epoch_ctx.problems.empty()) {
      const std::string shape = same_shape(scenario.pathway, epoch->pathway);
      if (!shape.empty()) ctx.problems.push_back(prefix + shape);
    }
    scenario.changes.push_back({change.from_day, change.label, epoch});
  }
  return scenario;
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

// Only regular files, and only up to a size no scenario comes near: a FIFO, a device (/dev/zero) or a directory
// named as a scenario, a base or an include is an error, never a hang or an endless read.
constexpr std::size_t largest_scenario_file = 16u << 20;

std::string read_whole_file(const std::string& path, const std::string& what) {
  try {
    return read_input_file(path, what, largest_scenario_file);
  } catch (const InputFileError& e) {
    throw ScenarioError({e.what()});
  }
}

toml::table parse_toml(const std::string& text, const std::string& display_name) {
  try {
    return toml::parse(text, display_name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError({display_name + ":" + std::to_string(e.source().begin.line) + ":" +
                         std::to_string(e.source().begin.column) + ": TOML syntax error: " +
                         std::string(e.description())});
  }
}

// Resolves `include = "file"` or `include = ["a", "b"]`: each file (relative to the including file) is merged in
// order, and the including file is merged over them.
toml::table resolve_includes(toml::table root, const std::string& display_name, Scenario& scenario,
                             std::uint64_t& hash) {
  const toml::node* include = root.get("include");
  if (include == nullptr) return root;
  const std::string at = (include->source().begin.line > 0 ? display_name + ":" + std::to_string(include->source().begin.line)
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
    scenario.includes.push_back(path);
  }
  if (!problems.empty()) throw ScenarioError(problems);
  root.erase("include");
  merge_into(merged, root);
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
                         ": is not a key of the base scenario (" + base_file + "); a scenario on a base changes its keys");
      continue;
    }
    if (node.is_table() && there->is_table()) {
      check_keys_in_base(*node.as_table(), *there->as_table(), full, file, base_file, problems);
    }
  }
}

// Resolves `base = "file"`: the base scenario (with its own base and includes, recursively) is loaded, and this
// file's keys, which must all exist in it, are merged over it.
toml::table resolve_base(toml::table root, const std::string& display_name, Scenario& scenario, std::uint64_t& hash,
                         int depth = 0) {
  const toml::node* base = root.get("base");
  if (base == nullptr) return resolve_includes(std::move(root), display_name, scenario, hash);
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
  toml::table merged = resolve_base(parse_toml(text, path), path, scenario, hash, depth + 1);
  scenario.includes.push_back(path);
  root.erase("base");
  std::vector<std::string> problems;
  check_keys_in_base(root, merged, "", display_name, path, problems);
  if (!problems.empty()) throw ScenarioError(problems);
  merge_into(merged, root);
  return merged;
}

// ---- Flattening: one TOML text in declaration order -----------------------------------------------------------

// Where a key was declared: the rank of its file in the merge order, then line and column. A table sits where its
// first declared key (or its own header) does; keys set by an override or appended text come after every file.
struct DeclaredAt {
  std::size_t rank = 0;
  std::int64_t line = 0;
  std::int64_t column = 0;
  bool operator<(const DeclaredAt& o) const { return std::tie(rank, line, column) < std::tie(o.rank, o.line, o.column); }
};

DeclaredAt declared_at(const toml::node& node, const std::vector<std::string>& file_order) {
  DeclaredAt best{file_order.size() + 1, std::numeric_limits<std::int64_t>::max(), 0};
  const auto& source = node.source();
  if (source.begin.line > 0) {
    std::size_t rank = file_order.size();
    if (source.path) {
      rank = static_cast<std::size_t>(std::find(file_order.begin(), file_order.end(), *source.path) - file_order.begin());
    }
    best = {rank, static_cast<std::int64_t>(source.begin.line), static_cast<std::int64_t>(source.begin.column)};
  }
  auto consider = [&](const toml::node& child) { best = std::min(best, declared_at(child, file_order)); };
  if (const auto* table = node.as_table()) {
    for (auto&& [key, child] : *table) consider(child);
  } else if (const auto* array = node.as_array()) {
    for (const auto& child : *array) consider(child);
  }
  return best;
}

std::string toml_key(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (bare) return std::string(key);
  std::ostringstream out;
  out << toml::toml_formatter{toml::value<std::string>(std::string(key))};
  return out.str();
}

// A value as TOML, numbers in their shortest exact form (toml++ writes 0.6 as 0.59999999999999998).
void write_value(std::ostream& out, const toml::node& node) {
  if (const auto* f = node.as_floating_point()) {
    const double v = f->get();
    if (!std::isfinite(v)) {
      out << toml::toml_formatter{*f};
      return;
    }
    char text[64];
    const auto end = std::to_chars(text, text + sizeof text, v).ptr;
    std::string number(text, end);
    if (number.find_first_of(".eEn") == std::string::npos) number += ".0";
    out << number;
  } else if (const auto* a = node.as_array()) {
    out << "[";
    for (std::size_t i = 0; i < a->size(); ++i) {
      out << (i ? ", " : "");
      write_value(out, *a->get(i));
    }
    out << "]";
  } else if (const auto* t = node.as_table()) {
    out << "{";
    bool first = true;
    for (auto&& [key, child] : *t) {
      out << (first ? " " : ", ") << toml_key(key.str()) << " = ";
      write_value(out, child);
      first = false;
    }
    out << (first ? "}" : " }");
  } else {
    node.visit([&](auto&& value) { out << toml::toml_formatter{value}; });
  }
}

bool is_section(const toml::node& node) {
  if (const auto* table = node.as_table()) return !table->is_inline();
  return false;
}
bool is_array_of_sections(const toml::node& node) {
  const auto* array = node.as_array();
  if (array == nullptr || array->empty()) return false;
  return std::all_of(array->begin(), array->end(), [](const toml::node& n) { return is_section(n); });
}

void write_table(std::ostream& out, const toml::table& table, const std::string& path,
                 const std::vector<std::string>& file_order) {
  std::vector<std::pair<DeclaredAt, std::string>> keys;
  for (auto&& [key, node] : table) keys.emplace_back(declared_at(node, file_order), std::string(key.str()));
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (path.empty()) {  // a scenario opens with its name, version and description
    auto rank = [](const std::string& key) { return key == "name" ? 0 : key == "version" ? 1 : key == "description" ? 2 : 3; };
    std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) { return rank(a.second) < rank(b.second); });
  }
  // Plain keys first (they belong to this table's header), then sub-tables and arrays of tables.
  for (const auto& [at, key] : keys) {
    const toml::node& node = *table.get(key);
    if (is_section(node) || is_array_of_sections(node)) continue;
    out << toml_key(key) << " = ";
    write_value(out, node);
    out << '\n';
  }
  for (const auto& [at, key] : keys) {
    const toml::node& node = *table.get(key);
    const std::string inner = path.empty() ? toml_key(key) : path + "." + toml_key(key);
    if (is_section(node)) {
      out << "\n[" << inner << "]\n";
      write_table(out, *node.as_table(), inner, file_order);
    } else if (is_array_of_sections(node)) {
      for (const auto& element : *node.as_array()) {
        out << "\n[[" << inner << "]]\n";
        write_table(out, *element.as_table(), inner, file_order);
      }
    }
  }
}

}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Override parse_override(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ScenarioError({"--set " + text + ": expected KEY=VALUE, for example --set service.front_door.team.fte=10"});
  }
  Override o{text.substr(0, eq), text.substr(eq + 1)};
  bool ok = o.key.front() != '.' && o.key.back() != '.' && o.key.find("..") == std::string::npos;
  for (char c : o.key) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
  if (!ok) throw ScenarioError({"--set " + text + ": the key must be dotted words, for example service.front_door.team.fte"});
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

namespace {

// A scenario's text with its base and included files resolved and the overrides applied (problems with them are
// left in ctx). ctx.file_order is the order its files were merged in.
struct Resolved {
  toml::table root;
  Scenario included;  ///< only .includes is set
  std::uint64_t hash = 0;
};
Resolved resolve_scenario(const std::string& text, const std::string& display_name,
                          const std::vector<Override>& overrides, LoadContext& ctx) {
  ctx.file = display_name;
  ctx.overrides = overrides;
  Resolved r;
  r.hash = fnv1a64(text);
  r.root = resolve_base(parse_toml(text, display_name), display_name, r.included, r.hash);
  ctx.file_order = r.included.includes;
  ctx.file_order.push_back(display_name);
  record_threshold_ladders(r.root, "", ctx);
  for (const auto& o : overrides) apply_override(r.root, o, ctx);
  return r;
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                            const std::vector<Override>& overrides) {
  LoadContext ctx;
  Resolved r = resolve_scenario(text, display_name, overrides, ctx);
  Scenario scenario = read_scenario_with_changes(r.root, ctx);
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  scenario.file = display_name;
  scenario.file_hash = r.hash;
  scenario.includes = r.included.includes;
  scenario.overrides = overrides;
  scenario.parameters = std::move(ctx.parameters);
  return scenario;
}

std::string flatten_scenario_text(const std::string& text, const std::string& display_name,
                                  const std::vector<Override>& overrides, const std::string& appended,
                                  const std::string& header, Scenario* loaded) {
  LoadContext ctx;
  toml::table root = resolve_scenario(text, display_name, overrides, ctx).root;
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  const std::vector<std::string> file_order = ctx.file_order;
  if (!appended.empty()) {
    toml::table extra = parse_toml(appended, "appended settings");
    // Appended [[change]] tables join the scenario's own timeline, in order of their first year.
    toml::array* own = root.get_as<toml::array>("change");
    toml::array* more = extra.get_as<toml::array>("change");
    if (own != nullptr && more != nullptr) {
      for (auto& change : *more) own->push_back(std::move(change));
      std::vector<std::pair<std::int64_t, std::size_t>> order;
      for (std::size_t i = 0; i < own->size(); ++i) {
        std::int64_t year = 0;
        if (const toml::table* t = own->get(i)->as_table(); t != nullptr && t->get_as<std::int64_t>("from_year") != nullptr) {
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
    merge_into(root, extra);
  }
  // A change that would start after the run ends never takes effect: it is left out (a shorter run of a scenario
  // with a timeline, say), rather than refused as `frontdoor run` refuses it.
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
  std::ostringstream out;
  out << header;
  write_table(out, root, "", file_order);
  const std::string flat = out.str();
  Scenario scenario = load_scenario_text(flat, display_name + " (flattened)");  // throws if it is not valid
  if (loaded != nullptr) *loaded = std::move(scenario);
  return flat;
}

std::string flatten_scenario(const std::string& path, const std::vector<Override>& overrides,
                             const std::string& appended, const std::string& header) {
  return flatten_scenario_text(read_whole_file(path, "scenario file"), path, overrides, appended, header);
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  return load_scenario_text(read_whole_file(path, "scenario file"), path, overrides);
}

}  // namespace frontdoor
