#include "models/measures.hpp"

#include <array>
#include <map>
#include <utility>

#include "models/need.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

namespace {

struct UnitWord {
  Unit unit;
  std::string_view text;
};
// annual.csv has always written these words; a golden output would notice a change.
constexpr std::array<UnitWord, 12> unit_words{{{Unit::count, "count"},
                                               {Unit::count_per_year, "count_per_year"},
                                               {Unit::cases, "cases"},
                                               {Unit::per_10k, "per_10k"},
                                               {Unit::per_10k_per_year, "per_10k_per_year"},
                                               {Unit::share, "share"},
                                               {Unit::ratio, "ratio"},
                                               {Unit::days, "days"},
                                               {Unit::working_days, "working_days"},
                                               {Unit::fte, "fte"},
                                               {Unit::pounds, "gbp"},
                                               {Unit::pounds_real, "gbp_real"}}};

struct ChildSeries {
  ChildCount count;
  std::string_view base;
};
constexpr std::array<ChildSeries, 6> child_series{
    {{ChildCount::harm, "harm_events"},
     {ChildCount::harm_after_exit, "harm_events_after_nfa_or_closure_12m"},
     {ChildCount::rereferrals, "rereferrals_within_12m"},
     {ChildCount::repeat_plans, "second_or_later_cp_plans"},
     {ChildCount::repeat_contacts, "repeat_contacts_within_12m"},
     {ChildCount::open_case_contacts, "contacts_about_open_cases"}}};

}  // namespace

std::string_view unit_text(Unit unit) {
  for (const auto& w : unit_words) {
    if (w.unit == unit) return w.text;
  }
  return "";
}

std::optional<Unit> unit_from_text(std::string_view text) {
  for (const auto& w : unit_words) {
    if (w.text == text) return w.unit;
  }
  return std::nullopt;
}

std::string_view output_file_name(OutputFile file) {
  switch (file) {
    case OutputFile::timeseries:
      return "timeseries.csv";
    case OutputFile::summary:
      return "summary.csv";
    case OutputFile::annual:
      return "annual.csv";
  }
  return "";
}

namespace measure_name {
std::string contacts_per_month() { return "contacts_per_month"; }
std::string contacts_per_year() { return "contacts_per_year"; }
std::string contacts_from(SourceKind source) { return std::string("contacts_") + source_name(source); }
std::string contacts_at_need(int level) { return "contacts_need_" + std::to_string(level); }
std::string contacts_at_need_per_year(int level) { return contacts_at_need(level) + "_per_year"; }
std::string exits(const std::string& exit) { return exit + "_exits"; }
std::string exits_per_year(const std::string& exit) { return exit + "_per_year"; }
std::string entries(const std::string& service) { return service + "_entries"; }
std::string entries_per_year(const std::string& service) { return service + "_entries_per_year"; }
std::string wait_days_mean(const std::string& service) { return service + "_wait_days_mean"; }
std::string wait_days_p90(const std::string& service) { return service + "_wait_days_p90"; }
std::string queue_mean(const std::string& service) { return service + "_queue_mean"; }
std::string open_mean(const std::string& service) { return service + "_open_mean"; }
std::string utilisation(const std::string& service) { return service + "_utilisation"; }
std::string caseload_per_fte(const std::string& service) { return service + "_caseload_per_fte"; }
std::string load(const ServiceSpec& service) {
  return service.kind == ServiceKind::screening_queue ? utilisation(service.id) : caseload_per_fte(service.id);
}
std::string staff_fte(const std::string& service) { return service + "_staff_fte"; }
std::string staff_fte_mean(const std::string& service) { return service + "_staff_fte_mean"; }
std::string agency_fte(const std::string& service) { return service + "_agency_fte"; }
std::string agency_fte_mean(const std::string& service) { return service + "_agency_fte_mean"; }
std::string decisions(const std::string& service, const std::string& decision) {
  return service + "_decision_" + decision;
}
std::string decision_share(const std::string& service, const std::string& decision) {
  return service + "_" + decision + "_share";
}
std::string placement_mean(const std::string& service, const std::string& placement) {
  return service + "_placement_" + placement + "_mean";
}
std::string flow(const std::string& route) { return "flow_" + route; }
std::string flow_per_year(const std::string& route) { return flow(route) + "_per_year"; }
std::string child_count_per_month(ChildCount count) { return std::string(child_count_base_name(count)) + "_per_month"; }
std::string child_count_per_year(ChildCount count) { return std::string(child_count_base_name(count)) + "_per_year"; }
std::string reinvested() { return "reinvested_gbp"; }
std::string reported_count(const std::string& rate) { return rate + "_count"; }
std::string reported_real(const std::string& cost) { return cost + "_real"; }
std::string reported_to_date(const std::string& cost) { return cost + "_to_date"; }
}  // namespace measure_name

bool is_whole_cost(const ReportMeasure& measure) {
  return measure.type == ReportMeasure::Type::total && measure.numerator.kind == Selector::Kind::cost &&
         measure.numerator.services.empty() && measure.numerator.cost_part == Selector::CostPart::all &&
         measure.unit == unit_text(Unit::pounds);
}

const std::vector<ChildCount>& reported_child_counts() {
  static const std::vector<ChildCount> counts = [] {
    std::vector<ChildCount> v;
    for (const auto& s : child_series) v.push_back(s.count);
    return v;
  }();
  return counts;
}

std::string_view child_count_base_name(ChildCount count) {
  for (const auto& s : child_series) {
    if (s.count == count) return s.base;
  }
  return "";
}

Unit reporting_unit(const ReportMeasure& m) {
  switch (m.type) {
    case ReportMeasure::Type::rate:
      return m.numerator.is_stock() ? Unit::per_10k : Unit::per_10k_per_year;
    case ReportMeasure::Type::share:
      return Unit::share;
    case ReportMeasure::Type::ratio:
      return Unit::ratio;
    case ReportMeasure::Type::median_wd:
      return Unit::working_days;
    case ReportMeasure::Type::within_wd:
      return Unit::share;
    case ReportMeasure::Type::total:
      switch (m.numerator.kind) {
        case Selector::Kind::cost:
          return Unit::pounds;
        case Selector::Kind::turnover:
        case Selector::Kind::vacancy:
        case Selector::Kind::agency:
          return Unit::share;
        case Selector::Kind::caseload:
          return Unit::ratio;
        default:
          return Unit::days;
      }
  }
  return Unit::count;
}

// In the order the recorder writes them (PathwayRecorder::finish), file by file.
MeasureCatalogue::MeasureCatalogue(const Scenario& scenario) {
  namespace n = measure_name;
  using K = MeasureKind;
  auto add = [&](std::string name, OutputFile file, K kind, Unit unit, std::string subject = "",
                 std::string detail = "") {
    measures_.push_back({std::move(name), file, kind, unit, std::move(subject), std::move(detail)});
  };
  constexpr OutputFile m = OutputFile::timeseries, s = OutputFile::summary, a = OutputFile::annual;
  add(n::contacts_per_month(), m, K::contacts, Unit::count);
  for (SourceKind source : all_sources)
    add(n::contacts_from(source), m, K::contacts_by_source, Unit::count, source_name(source));
  add(n::contacts_per_year(), s, K::contacts, Unit::count_per_year);
  for (const ServiceSpec& spec : scenario.pathway.services()) {
    const std::string& id = spec.id;
    if (spec.kind == ServiceKind::exit) {
      add(n::exits(id), m, K::exits, Unit::count, id);
      add(n::exits_per_year(id), s, K::exits, Unit::count_per_year, id);
      continue;
    }
    const bool has_team = spec.kind == ServiceKind::screening_queue || spec.kind == ServiceKind::caseload_team;
    const K load_kind = spec.kind == ServiceKind::screening_queue ? K::utilisation : K::caseload_per_fte;
    const Unit load_unit = spec.kind == ServiceKind::screening_queue ? Unit::share : Unit::ratio;
    add(n::entries(id), m, K::entries, Unit::count, id);
    add(n::wait_days_mean(id), m, K::wait_days_mean, Unit::days, id);
    add(n::queue_mean(id), m, K::queue_mean, Unit::cases, id);
    add(n::open_mean(id), m, K::open_mean, Unit::cases, id);
    if (has_team) {
      add(n::load(spec), m, load_kind, load_unit, id);
      add(n::staff_fte(id), m, K::staff_fte, Unit::fte, id);
      add(n::agency_fte(id), m, K::agency_fte, Unit::fte, id);
    }
    for (const auto& d : spec.decisions) add(n::decisions(id, d.name), m, K::decisions, Unit::count, id, d.name);
    for (const auto& p : spec.placements) {
      add(n::placement_mean(id, p.name), m, K::placement_mean, Unit::cases, id, p.name);
      add(n::placement_mean(id, p.name), s, K::placement_mean, Unit::cases, id, p.name);
    }
    add(n::entries_per_year(id), s, K::entries, Unit::count_per_year, id);
    add(n::wait_days_mean(id), s, K::wait_days_mean, Unit::days, id);
    add(n::wait_days_p90(id), s, K::wait_days_p90, Unit::days, id);
    add(n::queue_mean(id), s, K::queue_mean, Unit::cases, id);
    add(n::open_mean(id), s, K::open_mean, Unit::cases, id);
    if (has_team) {
      add(n::load(spec), s, load_kind, load_unit, id);
      add(n::staff_fte_mean(id), s, K::staff_fte, Unit::fte, id);
      add(n::agency_fte_mean(id), s, K::agency_fte, Unit::fte, id);
    }
    for (const auto& d : spec.decisions)
      add(n::decision_share(id, d.name), s, K::decision_share, Unit::share, id, d.name);
  }
  for (const RouteSpec& route : scenario.pathway.routes()) {
    add(n::flow(route.id), m, K::flow, Unit::count, route.id);
    add(n::flow_per_year(route.id), s, K::flow, Unit::count_per_year, route.id);
  }
  if (scenario.need.enabled) {
    for (int k = 0; k < need_levels; ++k) {
      add(n::contacts_at_need(k), m, K::contacts_by_need, Unit::count, std::to_string(k));
      add(n::contacts_at_need_per_year(k), s, K::contacts_by_need, Unit::count_per_year, std::to_string(k));
    }
    for (ChildCount c : reported_child_counts()) {
      const std::string base(child_count_base_name(c));
      add(n::child_count_per_month(c), m, K::child_count, Unit::count, base);
      add(n::child_count_per_year(c), s, K::child_count, Unit::count_per_year, base);
    }
  }
  if (scenario.reinvestment.share > 0.0) add(n::reinvested(), m, K::reinvested, Unit::pounds);
  for (const ReportMeasure& r : scenario.reporting) {
    if (r.type == ReportMeasure::Type::rate) add(n::reported_count(r.name), a, K::reported_count, Unit::count, r.name);
    add(r.name, a, K::reported, reporting_unit(r), r.name);
    if (r.unit == unit_text(Unit::pounds))
      add(n::reported_real(r.name), a, K::reported_real, Unit::pounds_real, r.name);
    if (is_whole_cost(r)) {
      add(n::reported_to_date(r.name), a, K::reported_to_date, Unit::pounds, r.name);
      add(n::reported_real(n::reported_to_date(r.name)), a, K::reported_to_date, Unit::pounds_real, r.name);
    }
  }
}

const Measure* MeasureCatalogue::find(std::string_view name, OutputFile file) const {
  for (const Measure& m : measures_) {
    if (m.file == file && m.name == name) return &m;
  }
  return nullptr;
}

std::vector<const Measure*> MeasureCatalogue::of_kind(MeasureKind kind, OutputFile file) const {
  std::vector<const Measure*> found;
  for (const Measure& m : measures_) {
    if (m.kind == kind && m.file == file) found.push_back(&m);
  }
  return found;
}

std::vector<MeasureClash> MeasureCatalogue::clashes() const {
  std::vector<MeasureClash> found;
  std::map<std::string_view, std::vector<const Measure*>> earlier;  // name -> the measures so named so far
  auto describe = [](const Measure& m) {
    return std::string(output_file_name(m.file)) + " (" + std::string(unit_text(m.unit)) + ")";
  };
  for (const Measure& m : measures_) {
    std::vector<const Measure*>& same_name = earlier[m.name];
    for (const Measure* e : same_name) {
      if (e->file == m.file || e->unit != m.unit) {
        found.push_back({m, m.name + " names two measures: one in " + describe(*e) + ", another in " + describe(m)});
        break;
      }
    }
    same_name.push_back(&m);
  }
  return found;
}

}  // namespace frontdoor
