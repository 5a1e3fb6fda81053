#include "models/scenario_timeline.hpp"

#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "models/calendar.hpp"
#include "models/parameter_schema.hpp"
#include "models/scenario_document.hpp"
#include "models/scenario_sections.hpp"

namespace frontdoor::loader {

namespace {

// One [[change]] as declared.
struct DeclaredChange {
  double from_day = 0.0;
  std::string label;
  std::string where;
  struct Entry {
    std::string key;
    const toml::node* value;
    Edit edit;
  };
  std::vector<Entry> sets;  ///< in the order set, multiply, add
};

std::vector<DeclaredChange> read_changes(const toml::table& root, LoadContext& ctx, const Scenario& base) {
  std::vector<DeclaredChange> changes;
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
    DeclaredChange change;
    change.where = ctx.where(&entry, key);
    change.label = t.text("label");
    if (t.has("from_year") == t.has("from_day")) {
      ctx.problem(&entry, key, "needs exactly one of from_year and from_day");
    } else if (t.has("from_year")) {
      const int year = t.integer("from_year", {.hi = base.simulation.years});
      change.from_day = calendar.month_start(12 * (year - 1));
    } else {
      change.from_day = t.integer("from_day", {.hi = calendar.horizon_days() - 1});
    }
    if (!changes.empty() && change.from_day <= changes.back().from_day) {
      ctx.problem(&entry, key, "changes must start on increasing days");
    }
    // `set` gives values; `multiply` and `add` change the values in force (the scenario's, or an earlier change's).
    bool any = false;
    for (const auto& [name, edit] :
         {std::pair{"set", Edit::set}, std::pair{"multiply", Edit::multiply}, std::pair{"add", Edit::add}}) {
      const toml::node* table = entry.as_table()->get(name);
      t.consume(name);
      if (table == nullptr) continue;
      if (!table->is_table() || table->as_table()->empty()) {
        ctx.problem(table, key + "." + name, "expected a table of \"dotted.key\" = value");
        any = true;  // reported
        continue;
      }
      any = true;
      for (const auto& [k, v] : *table->as_table()) {
        const std::string dotted(k.str());
        if (!may_change_over_time(dotted)) {  // the schema says
          ctx.problem(&v, key + "." + name + "." + dotted,
                      "cannot change over time: only sources, need, a service's team, work, duration, delay, "
                      "decisions, thresholds, noise_sd, help, consent, escalate and fgc, and route probabilities can");
        }
        change.sets.push_back({dotted, &v, edit});
      }
    }
    if (!any) ctx.problem(&entry, key, "needs a set, multiply or add table of \"dotted.key\" = value");
    t.finish();
    changes.push_back(change);
  }
  return changes;
}

// A change may alter values, never the pathway's shape.
std::string same_shape(const Pathway& a, const Pathway& b) {
  if (a.services().size() != b.services().size() || a.routes().size() != b.routes().size())
    return "changes the pathway";
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
}  // namespace

Scenario read_scenario_with_changes(const toml::table& root, LoadContext& ctx) {
  Scenario scenario = read_scenario(root, ctx);
  if (!ctx.problems.empty()) return scenario;
  const std::vector<DeclaredChange> changes = read_changes(root, ctx, scenario);
  if (!ctx.problems.empty()) return scenario;
  toml::table current = root;
  current.erase("change");
  // A drift (need.threshold_shift, need.notice_boost) fades from the day it was set: the start of the change that
  // set it last, or day 0; a change that sets something else leaves it fading from where it was.
  double shift_set_day = 0.0;
  double boost_set_day = 0.0;
  for (const DeclaredChange& change : changes) {
    for (const auto& [key, value, edit] : change.sets) {
      if (edit == Edit::set) {
        const std::string error = set_dotted(current, key, *value);
        if (!error.empty()) ctx.problems.push_back(change.where + ": set: " + error);
      } else {
        const std::string error = edit_dotted(current, key, edit, *value, value->source());
        if (!error.empty()) {
          ctx.problems.push_back(change.where + ": " + (edit == Edit::multiply ? "multiply: " : "add: ") + key + ": " +
                                 error);
        }
      }
      if (key == "need.threshold_shift") shift_set_day = change.from_day;
      if (key == "need.notice_boost") boost_set_day = change.from_day;
    }
    LoadContext change_ctx;
    change_ctx.file = ctx.file;
    change_ctx.order_like = &scenario.pathway;
    auto changed = std::make_shared<Scenario>(read_scenario(current, change_ctx));
    changed->need.shift_set_day = shift_set_day;
    changed->need.boost_set_day = boost_set_day;
    const std::string prefix =
        change.where + ": in the change from day " + std::to_string(static_cast<int>(change.from_day)) + ": ";
    for (const auto& problem : change_ctx.problems) ctx.problems.push_back(prefix + problem);
    if (change_ctx.problems.empty()) {
      const std::string shape = same_shape(scenario.pathway, changed->pathway);
      if (!shape.empty()) ctx.problems.push_back(prefix + shape);
    }
    scenario.changes.push_back({change.from_day, change.label, changed});
  }
  return scenario;
}

}  // namespace frontdoor::loader
