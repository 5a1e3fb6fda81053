// The pathway's sections: [service.<id>] (team, work and durations, decisions and thresholds, the reference
// model's per-service settings, placements, costs) and [route.<id>].
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "models/scenario_sections.hpp"

namespace frontdoor::loader {

namespace {

// A distribution table { distribution = ..., mean_days = ..., sd_days (lognormal) | shape (gamma) }.
Distribution read_distribution(TableReader t, std::string_view variant) {
  const std::string family = t.text("distribution");
  const double mean = t.number("mean_days", {.variant = variant, .lo_open = family != "fixed"});
  if (family == "lognormal") {
    const double sd = t.number("sd_days", {.variant = variant, .fallback = mean});
    t.finish();
    return Distribution::lognormal(mean, sd);
  }
  if (family == "gamma") {
    const double shape = t.number("shape");
    t.finish();
    return Distribution::gamma(mean, shape);
  }
  t.finish();
  return family == "fixed" ? Distribution::fixed(mean) : Distribution::exponential(mean);
}

std::optional<Distribution> optional_distribution(TableReader& parent, std::string_view key, std::string_view variant,
                                                  bool required) {
  TableReader t = parent.table(key);
  if (!t.present()) {
    if (required) parent.context().problem(parent.node(), join_key(parent.prefix(), key), "is required but missing");
    return std::nullopt;
  }
  return read_distribution(t, variant);
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
  const std::string_view variant = whole ? "screening_queue" : "caseload_team";  // the schema's row of fte
  auto read_fte = [&](TableReader& r, double fallback) {
    return whole ? static_cast<double>(r.integer("fte", {.variant = variant, .fallback = fallback}))
                 : r.number("fte", {.variant = variant, .fallback = fallback});
  };
  if (kind == ServiceKind::caseload_team && t.has("budget_gbp")) {
    // A prevention budget in pounds sets the FTE (read_service converts it once the costs are known). It wins
    // over an `fte` merged beside it from an included file; --set and [[change]] drop the other key themselves.
    team.budget_gbp = t.number("budget_gbp");
    t.consume("fte");
  } else {
    if (!t.has("fte")) ctx.problem(t.node(), t.prefix() + ".fte", "is required but missing (or budget_gbp)");
    team.fte = read_fte(t, 1.0);
  }
  if (kind == ServiceKind::caseload_team) team.caseload_cap = t.number("caseload_cap");
  team.turnover_per_year = t.number("turnover_per_year");
  team.recruitment_days = t.number("recruitment_days");
  team.agency_cover = t.number("agency_cover");
  if (kind == ServiceKind::caseload_team) {
    team.turnover_pressure = t.number("turnover_pressure");
    team.always_allocate = t.boolean("always_allocate");
    team.case_holding_share = t.number("case_holding_share");
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
      TableReader e = t.element("schedule", i, entry.as_table());
      if (!e.has("from_day") || !e.has("fte")) ctx.problem(&entry, key, "needs both from_day and fte");
      StaffChange change;
      change.from_day = e.number("from_day", {.hi = horizon_days});
      change.fte = read_fte(e, team.fte);
      if (i > 0 && change.from_day <= previous)
        ctx.problem(&entry, key, "from_day must increase from one change to the next");
      previous = change.from_day;
      e.finish();
      team.schedule.push_back(change);
    }
  }
  t.finish();
  return team;
}

int decision_index(const std::vector<DecisionShare>& decisions, const std::string& name) {
  for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
    if (decisions[d].name == name) return d;
  }
  return -1;
}

// The service's decisions: `decisions` gives shares (chance outcomes), `thresholds` (with a [need] table) gives the
// lowest observed need for each of the others. Without thresholds the shares sum to 1; with them, to less.
std::vector<DecisionShare> read_decisions(TableReader& service, bool need_enabled, NeedRule& rule) {
  LoadContext& ctx = service.context();
  std::vector<DecisionShare> decisions;
  TableReader t = service.table("decisions");
  double total = 0.0;
  for (const auto& name : t.keys()) {
    const double share = t.number(name);
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
    const double threshold = th.number(name);
    for (const auto& d : decisions) {
      if (d.name == name)
        ctx.problem(th.node()->get(name), th.prefix() + "." + name, "is both a share and a threshold");
    }
    decisions.push_back({name, 0.0});
    rule.thresholds.push_back(threshold);
  }
  th.finish();
  // Chance shares by age: each names a chance decision; in every band they leave room for the decisions on need.
  if (TableReader a = service.table("share_by_age"); a.present()) {
    rule.share_by_age.assign(decisions.size(), std::nullopt);
    for (const auto& name : a.keys()) {
      const int d = decision_index(decisions, name);
      const AgeBands shares = a.age_bands_array(name);
      if (d < 0 || !std::isnan(rule.thresholds[d])) {
        ctx.problem(a.node()->get(name), a.prefix() + "." + name, "is not a chance decision (a share) of this service");
        continue;
      }
      rule.share_by_age[d] = shares;
    }
    a.finish();
    for (int b = 0; b < age_bands; ++b) {
      double band_total = 0.0;
      for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
        if (!std::isnan(rule.thresholds[d])) continue;
        band_total += rule.share_by_age[d] ? (*rule.share_by_age[d])[b] : decisions[d].share;
      }
      if (band_total >= 1.0 - 1e-9) {
        ctx.problem(a.node(), a.prefix(),
                    "chance shares must leave room for the decisions on need in every band: they sum to " +
                        format_number(band_total) + " in band " + std::string(age_band_names[b]));
      }
    }
  }
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
                    *lower + " (" + format_number(lower_value) + ") would be above " + name + " (" +
                        format_number(value) +
                        "): a service's thresholds keep the order its scenario gives them, lowest need first (" +
                        order + "), or the neediest children would get the lesser decision");
        break;
      }
      lower = &name;
      lower_value = value;
    }
  }
  if (total >= 1.0 - 1e-9) {
    ctx.problem(t.node(), t.prefix(),
                "chance shares must leave room for the decisions on need: they sum to " + format_number(total));
  }
  rule.noise_sd = service.number("noise_sd");
  return decisions;
}

// The reference model's per-service settings: escalation, consent, help and family group conferences.
void read_need_settings(TableReader& t, ServiceSpec& s, bool need_enabled) {
  LoadContext& ctx = t.context();
  const std::vector<std::string> keys{"escalate", "consent", "help", "fgc", "initial", "exits", "leave_at_18"};
  for (const auto& key : keys) {
    if (t.has(key) && !need_enabled) {
      ctx.problem(t.node()->get(key), t.prefix() + "." + key, "needs a [need] table (children and their need)");
    }
  }
  auto decision = [&](TableReader& r, const char* key) {
    const std::string name = r.text(key);
    const int d = decision_index(s.decisions, name);
    if (d < 0 && !name.empty())
      ctx.problem(r.node(), r.prefix() + "." + key, "\"" + name + "\" is not a decision of " + s.id);
    return d;
  };
  if (TableReader e = t.table("escalate"); e.present()) {
    if (s.kind != ServiceKind::caseload_team)
      ctx.problem(e.node(), e.prefix(), "only a caseload team can escalate a case");
    s.need_rule.escalate_at = e.integer("at_need");
    s.need_rule.escalate_decision = decision(e, "decision");
    e.finish();
  }
  if (TableReader c = t.table("consent"); c.present()) {
    if (s.kind != ServiceKind::caseload_team)
      ctx.problem(c.node(), c.prefix(), "only a caseload team asks for consent");
    s.need_rule.consent = c.number("accept");
    s.need_rule.declined_decision = decision(c, "declined");
    if (c.has("withdraw_below")) s.need_rule.withdraw_below = c.integer("withdraw_below");
    c.finish();
  }
  if (TableReader h = t.table("help"); h.present()) {
    if (s.kind != ServiceKind::caseload_team) ctx.problem(h.node(), h.prefix(), "only a caseload team helps");
    s.help.effect = h.number("effect");
    s.help.protection = h.number("protection");
    h.finish();
  }
  if (TableReader i = t.table("initial"); i.present()) {
    if (s.kind != ServiceKind::caseload_team)
      ctx.problem(i.node(), i.prefix(), "only a caseload team starts with cases");
    s.initial_cases = i.integer("cases");
    s.initial_need = i.integer("need");
    if (i.has("by_age")) {
      s.initial_by_age = i.age_bands_array("by_age");
      const AgeBands& b = *s.initial_by_age;
      if (std::abs(b[0] + b[1] + b[2] + b[3] + b[4] - 1.0) > 1e-6)
        ctx.problem(i.node()->get("by_age"), i.prefix() + ".by_age", "shares must sum to 1");
    }
    i.finish();
  }
  if (TableReader f = t.table("fgc"); f.present()) {
    s.fgc_from = decision(f, "instead_of");
    s.fgc_to = decision(f, "decide");
    f.finish();
  }
  if (t.has("leave_at_18")) {
    if (s.kind != ServiceKind::caseload_team)
      ctx.problem(t.node()->get("leave_at_18"), t.prefix() + ".leave_at_18", "only a caseload team holds children");
    s.leave_at_18 = decision(t, "leave_at_18");
  }
  if (TableReader x = t.table("exits"); x.present()) {
    if (s.kind != ServiceKind::caseload_team)
      ctx.problem(x.node(), x.prefix(), "only a caseload team's cases leave by hazards");
    for (const auto& name : x.keys()) {
      TableReader one = x.table(name);
      CareExitSpec exit;
      exit.decision = decision_index(s.decisions, name);
      if (exit.decision < 0) ctx.problem(one.node(), one.prefix(), "\"" + name + "\" is not a decision of " + s.id);
      exit.per_year = one.age_bands_array("per_year");
      exit.not_before_days = one.number("not_before_days");
      exit.first_year_factor = one.number("first_year_factor");
      one.finish();
      s.care_exits.push_back(exit);
    }
    x.finish();
  }
}

bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  }
  return true;
}

ServiceSpec read_service(TableReader t, const std::string& id, double horizon_days, bool need_enabled) {
  LoadContext& ctx = t.context();
  ServiceSpec s;
  s.id = id;
  s.where = ctx.where(t.node(), t.prefix());
  if (!valid_id(id)) ctx.problem(t.node(), t.prefix(), "service ids are lower-case letters, digits and _");
  const std::string kind = t.text("kind");
  s.kind = kind == "screening_queue"  ? ServiceKind::screening_queue
           : kind == "caseload_team"  ? ServiceKind::caseload_team
           : kind == "decision_point" ? ServiceKind::decision_point
                                      : ServiceKind::exit;
  s.label = t.text("label", {.fallback_text = id});
  s.entry = t.boolean("entry");
  switch (s.kind) {
    case ServiceKind::screening_queue:
      s.team = read_team(t, s.kind, horizon_days);
      s.work = optional_distribution(t, "work", "screening_queue", true).value_or(Distribution::fixed(1.0));
      break;
    case ServiceKind::caseload_team:
      s.team = read_team(t, s.kind, horizon_days);
      s.work = optional_distribution(t, "work", "caseload_team", false).value_or(Distribution::fixed(0.0));
      s.duration = optional_distribution(t, "duration", "", true).value_or(Distribution::fixed(1.0));
      break;
    case ServiceKind::decision_point:
      s.delay = optional_distribution(t, "delay", "", false);
      break;
    case ServiceKind::exit:
      s.child_leaves = t.boolean("leaves_population", {.variant = "exit"});
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
      PlacementSpec placement;
      placement.name = name;
      placement.share = one.number("share");
      placement.per_week = one.number("per_week");
      if (one.has("by_age")) {
        if (!need_enabled) ctx.problem(one.node()->get("by_age"), one.prefix() + ".by_age", "needs a [need] table");
        placement.by_age = one.age_bands_array("by_age");
      }
      placement.moves_per_year = one.number("moves_per_year");
      if (!valid_id(name))
        ctx.problem(one.node(), one.prefix(), "placement names are lower-case letters, digits and _");
      one.finish();
      total += placement.share;
      s.placements.push_back(placement);
    }
    if (std::abs(total - 1.0) > 1e-9)
      ctx.problem(p.node(), p.prefix(), "shares must sum to 1, but sum to " + format_number(total));
    // Shares by age: all types or none, and each band's shares sum to 1.
    int with_age = 0;
    for (const auto& placement : s.placements) with_age += placement.by_age ? 1 : 0;
    if (with_age > 0 && with_age < static_cast<int>(s.placements.size())) {
      ctx.problem(p.node(), p.prefix(), "by_age is given for some placement types but not all");
    } else if (with_age > 0) {
      for (int b = 0; b < age_bands; ++b) {
        double band_total = 0.0;
        for (const auto& placement : s.placements) band_total += (*placement.by_age)[b];
        if (std::abs(band_total - 1.0) > 1e-6) {
          ctx.problem(p.node(), p.prefix(),
                      "by_age shares must sum to 1 in every band, but sum to " + format_number(band_total) +
                          " in band " + std::string(age_band_names[b]));
        }
      }
    }
    p.finish();
  }
  if (s.kind != ServiceKind::exit) {
    TableReader c = t.table("cost");
    if (s.kind == ServiceKind::screening_queue || s.kind == ServiceKind::caseload_team) {
      s.cost.per_fte_year = c.number("per_fte_year");
    }
    s.cost.per_case = c.number("per_case");
    s.cost.per_week_open = c.number("per_week_open");
    s.cost.hours_per_case = c.number("hours_per_case");
    s.cost.review_every_days = c.number("review_every_days");
    s.cost.review_hours = c.number("review_hours");
    if ((s.cost.review_every_days > 0.0) != (s.cost.review_hours > 0.0))
      ctx.problem(c.node(), c.prefix() + ".review_every_days", "review_every_days and review_hours go together");
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
  r.from = t.text("from");
  r.to = t.text("to");
  r.when = t.text("when");
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
  r.probability = t.number("probability");
  t.finish();
  return r;
}

}  // namespace

Pathway read_pathway(TableReader& top, double horizon_days, bool need_enabled) {
  LoadContext& ctx = top.context();
  std::vector<ServiceSpec> services;
  std::vector<RouteSpec> routes;
  TableReader service_tables = top.table("service");
  if (!service_tables.present())
    ctx.problem(top.node(), "service", "is required but missing: declare [service.<id>] tables");
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

}  // namespace frontdoor::loader
