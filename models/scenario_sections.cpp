#include "models/scenario_sections.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "models/calendar.hpp"
#include "models/measures.hpp"

namespace frontdoor::loader {

SimulationSpec read_simulation(TableReader sim) {
  LoadContext& ctx = sim.context();
  SimulationSpec out;
  out.years = sim.integer("years");
  const std::string start = sim.text("start_date");
  if (!parse_date(start, out.start_date) || static_cast<unsigned>(out.start_date.day()) > 28) {
    ctx.problem(sim.node() ? sim.node()->get("start_date") : nullptr, "simulation.start_date",
                "\"" + start + "\" is not a date YYYY-MM-DD with a day of the month from 1 to 28");
    parse_date("2024-04-01", out.start_date);
  }
  const int horizon = SimCalendar(out.start_date, out.years, {}).horizon_days();
  out.warmup_days = sim.number("warmup_days", {.hi = 1e9});
  if (out.warmup_days >= horizon) {
    // In words a strategist reads: the years asked for against the warm-up's.
    const int warmup_years = static_cast<int>(std::ceil(out.warmup_days / 365.25 - 1e-9));
    char text[320];
    std::snprintf(text, sizeof text,
                  "%g is out of range: must be in [0, %d] days: the first %d year%s (%g days) %s warm-up, left out "
                  "of the results, so a run of %d year%s measures nothing: ask for at least %d years "
                  "(simulation.years or --years)",
                  out.warmup_days, horizon - 1, warmup_years, warmup_years == 1 ? "" : "s", out.warmup_days,
                  warmup_years == 1 ? "is" : "are", out.years, out.years == 1 ? "" : "s", warmup_years + 1);
    ctx.problem(sim.node() ? sim.node()->get("warmup_days") : nullptr, "simulation.warmup_days", text);
    out.warmup_days = 0;
  }
  sim.finish();
  return out;
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

// [need]: children and their latent need. Absent: the reference model is off and decisions are fixed shares.
NeedSpec read_need(TableReader t) {
  NeedSpec need;
  if (!t.present()) return need;
  need.enabled = true;
  need.up_per_year = t.need_levels_array("up_per_year");
  need.down_per_year = t.need_levels_array("down_per_year");
  need.crisis_per_year = t.need_levels_array("crisis_per_year");
  need.harm_per_year = t.need_levels_array("harm_per_year");
  if (need.up_per_year[need_levels - 1] != 0.0 || need.down_per_year[0] != 0.0 ||
      need.crisis_per_year[need_levels - 1] != 0.0) {
    t.context().problem(t.node(), t.prefix(),
                        "need cannot rise above level 4 or fall below 0: up_per_year[4], crisis_per_year[4] and "
                        "down_per_year[0] must be 0");
  }
  need.co_location_factor = t.number("co_location_factor");
  need.threshold_shift = t.number("threshold_shift");
  need.notice_boost = t.number("notice_boost");
  need.drift_half_life_days = t.number("drift_half_life_days");
  need.quality_elasticity = t.number("quality_elasticity");
  need.quality_noise = t.number("quality_noise");
  need.pace_curve = t.number("pace_curve");
  need.pace_floor = t.number("pace_floor");
  need.start_removal = t.number("start_removal");
  need.referral_service = t.text("referral_service");
  need.plan_service = t.text("plan_service");
  TableReader fgc = t.table("fgc");
  need.fgc.coverage = fgc.number("coverage");
  need.fgc.diverted = fgc.number("diverted");
  need.fgc.cost = fgc.number("cost");
  fgc.finish();
  need.onset_by_age = t.age_bands_array("onset_by_age");
  need.up_by_age = t.age_bands_array("up_by_age");
  need.crisis_by_age = t.age_bands_array("crisis_by_age");
  need.harm_by_age = t.age_bands_array("harm_by_age");
  need.crisis_at_birth = t.number("crisis_at_birth");
  TableReader chronic = t.table("chronic");
  need.chronic.share = chronic.number("share");
  need.chronic.up = chronic.number("up");
  need.chronic.down = chronic.number("down");
  chronic.finish();
  TableReader siblings = t.table("siblings");
  need.siblings.share = siblings.number("share");
  need.siblings.age_gap_years = siblings.number("age_gap_years");
  need.siblings.service = siblings.text("service");
  siblings.finish();
  TableReader unaccompanied = t.table("unaccompanied");
  need.unaccompanied.per_10k_per_year = unaccompanied.number("per_10k_per_year");
  need.unaccompanied.from_age = unaccompanied.number("from_age");
  need.unaccompanied.to_age = unaccompanied.number("to_age");
  need.unaccompanied.need = unaccompanied.integer("need");
  need.unaccompanied.service = unaccompanied.text("service");
  if (unaccompanied.present() && !(need.unaccompanied.from_age < need.unaccompanied.to_age)) {
    unaccompanied.context().problem(unaccompanied.node(), "need.unaccompanied.to_age",
                                    "must be above from_age (the ages on arrival run from from_age to to_age)");
  }
  unaccompanied.finish();
  TableReader history = t.table("history");
  need.history.plans_per_year = history.number("plans_per_year");
  need.history.plans_per_year_chronic = history.number("plans_per_year_chronic");
  need.history.referrals_per_year = history.number("referrals_per_year");
  need.history.referrals_per_year_chronic = history.number("referrals_per_year_chronic");
  need.history.care_per_year = history.number("care_per_year");
  need.history.care_per_year_chronic = history.number("care_per_year_chronic");
  history.finish();
  t.finish();
  return need;
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
      spec.notice_per_year = t.need_levels_array("notice_per_year");
      spec.accuracy_sd = t.number("accuracy_sd");
      spec.co_located = t.boolean("co_located");
      spec.notice_by_age = t.age_bands_array("notice_by_age");
      if (t.has("contacts_per_day")) {
        ctx.problem(t.node()->get("contacts_per_day"), t.prefix() + ".contacts_per_day",
                    "with a [need] table, contacts come from children: use notice_per_year");
        t.consume("contacts_per_day");
      }
    } else {
      spec.contacts_per_day = t.number("contacts_per_day");
    }
    const std::string pattern = t.text("arrivals");
    spec.pattern = pattern == "deterministic" ? ArrivalPattern::deterministic : ArrivalPattern::poisson;
    const std::string calendar = t.text("calendar", {.fallback_text = kind == SourceKind::schools ? "school" : "none"});
    spec.follows_school_calendar = calendar == "school";
    spec.holiday_factor = t.number("holiday_factor");
    if (spec.pattern == ArrivalPattern::deterministic && spec.follows_school_calendar) {
      ctx.problem(t.node(), t.prefix(),
                  "deterministic arrivals cannot follow the school calendar: set calendar = \"none\"");
    }
    t.finish();
    scenario.sources.push_back(spec);
  }
  sources.finish();
}

// [reinvestment]: a share of the savings on late intervention moves into prevention each year.
ReinvestmentSpec read_reinvestment(TableReader t, const Scenario& scenario) {
  ReinvestmentSpec r;
  if (!t.present()) return r;
  LoadContext& ctx = t.context();
  r.where = ctx.where(t.node(), t.prefix());
  r.share = t.number("share");
  r.from_year = t.integer("from_year");
  const std::string into = t.text("into");
  r.into = scenario.pathway.find(into);
  if (!into.empty() && (r.into < 0 || scenario.pathway.services()[r.into].kind != ServiceKind::caseload_team)) {
    ctx.problem(t.node()->get("into"), t.prefix() + ".into", "\"" + into + "\" is not a caseload team");
  } else if (r.into >= 0 && scenario.pathway.services()[r.into].cost_per_fte_year() <= 0.0) {
    ctx.problem(t.node()->get("into"), t.prefix() + ".into",
                "\"" + into + "\" has no costs, so money cannot buy its staff");
  }
  const toml::node* watch = t.node()->get("watch");
  const toml::array* list = watch != nullptr ? watch->as_array() : nullptr;
  if (list == nullptr || list->empty() || !list->is_homogeneous(toml::node_type::string)) {
    ctx.problem(watch != nullptr ? watch : t.node(), t.prefix() + ".watch",
                "expected a list of the late-intervention services whose cost is watched");
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
  // The counterfactual: the file named by `against`, which the document's composition embeds as `counterfactual`
  // (scenario_document: embed_counterfactual); a run's copy carries it so.
  r.against = t.text("against");
  if (const toml::node* embedded = t.node()->get("counterfactual")) {
    t.consume("counterfactual");
    if (const auto* text = embedded->as_string()) {
      r.counterfactual_toml = text->get();
      const auto lines = std::count(r.counterfactual_toml.begin(), r.counterfactual_toml.end(), '\n');
      t.record_external(t.prefix() + ".counterfactual",
                        "the flattened counterfactual, " + std::to_string(lines) + " lines", "", "",
                        ctx.where(embedded, t.prefix() + ".counterfactual"));
    } else {
      ctx.problem(embedded, t.prefix() + ".counterfactual", "expected text, got " + describe_node(*embedded));
    }
  }
  if (r.share > 0.0 && r.counterfactual_toml.empty() && r.against.empty()) {
    ctx.problem(t.node(), t.prefix() + ".against",
                "is required with a share above 0: name the scenario whose late-intervention costs the savings are "
                "measured against (run on the same seeds, so that an unchanged scenario saves nothing)");
  }
  t.finish();
  return r;
}

// The age factors as the model uses them: normalised over the council's children (models/ages.hpp).
void prepare_ages(Scenario& scenario) {
  NeedSpec& need = scenario.need;
  need.onset_age = normalised_by_population(need.onset_by_age, scenario.age_shares);
  need.up_age = normalised_by_population(need.up_by_age, scenario.age_shares);
  need.crisis_age = normalised_by_population(need.crisis_by_age, scenario.age_shares);
  need.harm_age = normalised_by_population(need.harm_by_age, scenario.age_shares);
  for (SourceSpec& source : scenario.sources)
    source.notice_age = normalised_by_population(source.notice_by_age, scenario.age_shares);
}

Scenario read_scenario(const toml::table& root, LoadContext& ctx) {
  Scenario scenario;
  TableReader top(ctx, &root, "");
  scenario.name = top.text("name");
  scenario.version = top.text("version");
  scenario.description = top.text("description");

  scenario.simulation = read_simulation(top.table("simulation"));
  const int horizon = SimCalendar(scenario.simulation.start_date, scenario.simulation.years, {}).horizon_days();

  TableReader population = top.table("population");
  scenario.children = population.integer("children");
  population.text("scale");  // applied to the document before it is read (models/scenario_document.cpp)
  scenario.age_shares = population.age_bands_array("age_shares", {}, england_age_shares);
  if (double sum = scenario.age_shares[0] + scenario.age_shares[1] + scenario.age_shares[2] + scenario.age_shares[3] +
                   scenario.age_shares[4];
      std::abs(sum - 1.0) > 1e-6) {
    ctx.problem(population.node() ? population.node()->get("age_shares") : nullptr, "population.age_shares",
                "shares must sum to 1, but sum to " + format_number(sum));
  }
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
    if (scenario.need.referral < 0)
      ctx.problem(root.get("need"), "need.referral_service",
                  "\"" + scenario.need.referral_service + "\" is not a service");
    // Siblings and unaccompanied children come into a caseload team (the looked-after team) directly.
    const auto resolve_team = [&](const std::string& service, int& index, const std::string& key) {
      index = scenario.pathway.find(service);
      if (index < 0 || scenario.pathway.services()[index].kind != ServiceKind::caseload_team)
        ctx.problem(root.get("need"), key, "\"" + service + "\" is not a caseload team");
    };
    if (!scenario.need.siblings.service.empty()) {
      resolve_team(scenario.need.siblings.service, scenario.need.siblings.index, "need.siblings.service");
    }
    if (!scenario.need.unaccompanied.service.empty()) {
      resolve_team(scenario.need.unaccompanied.service, scenario.need.unaccompanied.index,
                   "need.unaccompanied.service");
    } else if (scenario.need.unaccompanied.per_10k_per_year > 0.0) {
      ctx.problem(root.get("need"), "need.unaccompanied.service",
                  "unaccompanied children arrive at a service: name the looked-after team");
    }
    if (scenario.need.plan < 0)
      ctx.problem(root.get("need"), "need.plan_service", "\"" + scenario.need.plan_service + "\" is not a service");
  }
  TableReader costs = top.table("costs");
  scenario.agency_premium = costs.number("agency_premium");
  scenario.hourly_rate = costs.number("hourly_rate");
  scenario.overload_cover = costs.number("overload_cover");
  scenario.inflation.price_year =
      costs.integer("price_year", {.fallback = static_cast<int>(scenario.simulation.start_date.year())});
  TableReader inflation = costs.table("inflation");
  scenario.inflation.pay = inflation.number("pay");
  scenario.inflation.placements = inflation.number("placements");
  scenario.inflation.prices = inflation.number("prices");
  inflation.finish();
  costs.finish();
  scenario.reinvestment = read_reinvestment(top.table("reinvestment"), scenario);
  if (ctx.problems.empty())
    scenario.reporting = read_reporting(top.table("reporting"), scenario.pathway);
  else
    top.consume("reporting");
  top.finish();
  prepare_ages(scenario);
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

}  // namespace frontdoor::loader
