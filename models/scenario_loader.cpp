#include "models/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <toml++/toml.h>

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

// Shared state of one load: where messages point and what has gone wrong so far.
struct LoadContext {
  std::string file;
  std::vector<Override> overrides;
  std::vector<std::string> problems;
  std::vector<ParameterRecord> parameters;

  // The override that set `key` or one of its parents/children, if any.
  const Override* override_for(const std::string& key) const {
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
      if (it->key == key || it->key.rfind(key + ".", 0) == 0 || key.rfind(it->key + ".", 0) == 0) return &*it;
    }
    return nullptr;
  }

  std::string where(const toml::node* node, const std::string& key) const {
    if (node != nullptr && node->source().begin.line > 0) {
      return file + ":" + std::to_string(node->source().begin.line);
    }
    if (const Override* o = override_for(key)) return "--set " + o->key + "=" + o->value;
    return file;
  }

  void problem(const toml::node* node, const std::string& key, const std::string& message) {
    problems.push_back(where(node, key) + ": " + (key.empty() ? "" : key + ": ") + message);
  }
};

std::string join_key(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
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

  // Keys present in the table, in file order.
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
void apply_override(toml::table& root, const Override& o, LoadContext& ctx) {
  std::vector<std::string> parts;
  std::stringstream in(o.key);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* next = table->get(parts[i]);
    if (next == nullptr) {
      table->insert(parts[i], toml::table{});
      next = table->get(parts[i]);
    }
    if (!next->is_table()) {
      ctx.problems.push_back("--set " + o.key + "=" + o.value + ": " + o.key + ": cannot be set, because " +
                             parts[i] + " is " + describe_node(*next) + ", not a table");
      return;
    }
    table = next->as_table();
  }
  // The value is read as TOML (numbers, booleans, quoted strings, arrays); anything else is taken as text.
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + o.value);
  } catch (const toml::parse_error&) {
    parsed = toml::table{};
    parsed.insert("v", o.value);
  }
  parsed.get("v")->visit([&](auto&& value) { table->insert_or_assign(parts.back(), value); });
}

void read_sources(TableReader sources, Scenario& scenario) {
  LoadContext& ctx = sources.context();
  for (const auto& key : sources.keys()) {
    bool known = false;
    for (SourceKind kind : all_sources) known = known || key == source_name(kind);
    if (!known) sources.table(key);  // consumed so that finish() does not report it twice
    if (!known) {
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
    spec.contacts_per_day = t.number("contacts_per_day", 0.0, 0.0, 100000.0, "contacts/day");
    const std::string pattern = t.text("arrivals", "poisson", {"poisson", "deterministic"});
    spec.pattern = pattern == "deterministic" ? ArrivalPattern::deterministic : ArrivalPattern::poisson;
    const std::string calendar =
        t.text("calendar", kind == SourceKind::schools ? "school" : "none", {"none", "school"});
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

Distribution read_distribution(TableReader t) {
  LoadContext& ctx = t.context();
  if (!t.present()) {
    ctx.problem(nullptr, t.prefix(), "is required but missing (a table with distribution and mean_days)");
    return Distribution::exponential(1.0);
  }
  const std::string family = t.text("distribution", "exponential", {"exponential", "lognormal", "gamma", "fixed"});
  const double mean = t.number("mean_days", 0.1, 0.0, 365.0, "days", /*lo_open=*/family != "fixed");
  if (family == "lognormal") {
    const double sd = t.number("sd_days", mean, 0.0, 3650.0, "days");
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

void read_front_door(TableReader t, Scenario& scenario, int horizon_days) {
  LoadContext& ctx = t.context();
  FrontDoorSpec& fd = scenario.front_door;
  fd.screeners = t.integer("screeners", 8, 1, 10000, "screeners");
  fd.screening_time = read_distribution(t.table("screening_time"));
  if (const toml::array* schedule = t.array("schedule")) {
    double previous = 0.0;
    for (std::size_t i = 0; i < schedule->size(); ++i) {
      const std::string key = t.prefix() + ".schedule[" + std::to_string(i) + "]";
      const toml::node& entry = *schedule->get(i);
      if (!entry.is_table()) {
        ctx.problem(&entry, key, "expected a table {from_day = ..., screeners = ...}, got " + describe_node(entry));
        continue;
      }
      TableReader e(ctx, entry.as_table(), key);
      ScreenerChange change;
      change.from_day = e.number("from_day", 0.0, 0.0, static_cast<double>(horizon_days), "days", true);
      change.screeners = e.integer("screeners", fd.screeners, 1, 10000, "screeners");
      if (!e.has("from_day") || !e.has("screeners")) ctx.problem(&entry, key, "needs both from_day and screeners");
      if (change.from_day <= previous && i > 0) {
        ctx.problem(&entry, key, "from_day must increase from one change to the next");
      }
      previous = change.from_day;
      e.finish();
      fd.schedule.push_back(change);
    }
  }
  TableReader d = t.table("decision");
  if (!d.present()) ctx.problem(t.node(), t.prefix() + ".decision", "is required but missing");
  fd.decision.no_further_action = d.number("no_further_action", 0.0, 0.0, 1.0, "share");
  fd.decision.early_help = d.number("early_help", 0.0, 0.0, 1.0, "share");
  fd.decision.referral = d.number("referral", 0.0, 0.0, 1.0, "share");
  const double total = fd.decision.no_further_action + fd.decision.early_help + fd.decision.referral;
  if (d.present() && std::abs(total - 1.0) > 1e-9) {
    ctx.problem(d.node(), d.prefix(), "shares must sum to 1, but sum to " + format_number(total));
  }
  d.finish();
  t.finish();
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
  scenario.simulation.warmup_days =
      sim.number("warmup_days", 365.0, 0.0, static_cast<double>(horizon - 1), "days");
  sim.finish();

  TableReader population = top.table("population");
  scenario.children = population.integer("children", 100000, 1000, 20000000, "children aged 0-17");
  population.finish();

  TableReader calendar = top.table("calendar");
  scenario.school_holidays = read_holidays(calendar);
  calendar.finish();

  TableReader sources = top.table("sources");
  if (!sources.present()) ctx.problem(&root, "sources", "is required but missing: declare at least one source");
  read_sources(sources, scenario);
  double total_rate = 0.0;
  for (const auto& s : scenario.sources) total_rate += s.contacts_per_day;
  if (sources.present() && total_rate <= 0.0) {
    ctx.problem(sources.node(), "sources", "no contacts would arrive: every source has contacts_per_day 0");
  }

  TableReader front_door = top.table("front_door");
  if (!front_door.present()) ctx.problem(&root, "front_door", "is required but missing");
  read_front_door(front_door, scenario, horizon);
  top.finish();
  return scenario;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Override parse_override(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ScenarioError({"--set " + text + ": expected KEY=VALUE, for example --set front_door.screeners=10"});
  }
  Override o{text.substr(0, eq), text.substr(eq + 1)};
  bool ok = o.key.front() != '.' && o.key.back() != '.' && o.key.find("..") == std::string::npos;
  for (char c : o.key) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
  if (!ok) throw ScenarioError({"--set " + text + ": the key must be dotted words, for example front_door.screeners"});
  if (o.value.empty()) throw ScenarioError({"--set " + text + ": the value is empty"});
  return o;
}

Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                            const std::vector<Override>& overrides) {
  LoadContext ctx;
  ctx.file = display_name;
  ctx.overrides = overrides;
  toml::table root;
  try {
    root = toml::parse(text, display_name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError({display_name + ":" + std::to_string(e.source().begin.line) + ":" +
                         std::to_string(e.source().begin.column) + ": TOML syntax error: " +
                         std::string(e.description())});
  }
  for (const auto& o : overrides) apply_override(root, o, ctx);
  Scenario scenario = read_scenario(root, ctx);
  if (!ctx.problems.empty()) throw ScenarioError(ctx.problems);
  scenario.file = display_name;
  scenario.file_hash = fnv1a64(text);
  scenario.overrides = overrides;
  scenario.parameters = std::move(ctx.parameters);
  return scenario;
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError({path + ": cannot open the scenario file (" + std::string(std::strerror(errno)) + ")"});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return load_scenario_text(buffer.str(), path, overrides);
}

}  // namespace frontdoor
