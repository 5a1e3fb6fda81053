#include "sim/pathway_recorder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "common/statistics.hpp"
#include "models/calendar.hpp"
#include "models/measures.hpp"

namespace frontdoor {

TimeWeightedLevel::TimeWeightedLevel(const SimCalendar& calendar, double warmup_days)
    : calendar_(&calendar), warmup_days_(warmup_days), month_area_(calendar.month_count(), 0.0) {}

void TimeWeightedLevel::set(double t, double level) {
  if (t > last_t_) {
    if (t > warmup_days_) area_after_warmup_ += level_ * (t - std::max(last_t_, warmup_days_));
    // Split the interval [last_t_, t) at month boundaries.
    double from = last_t_;
    while (month_ < calendar_->month_count()) {
      const double month_end = calendar_->month_start(month_ + 1);
      const double to = std::min(t, month_end);
      month_area_[month_] += level_ * (to - from);
      if (t < month_end) break;
      from = month_end;
      ++month_;
    }
    last_t_ = t;
  }
  level_ = level;
}

namespace {
constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
}

PathwayRecorder::PathwayRecorder(const Pathway& pathway, const SimCalendar& calendar, double warmup_days)
    : pathway_(pathway),
      calendar_(calendar),
      warmup_days_(warmup_days),
      contacts_by_source_(all_sources.size(), std::vector<double>(calendar.month_count(), 0.0)),
      route_flows_(pathway.routes().size(), std::vector<double>(calendar.month_count(), 0.0)),
      route_flows_after_warmup_(pathway.routes().size(), 0) {
  const int months = calendar.month_count();
  for (const ServiceSpec& spec : pathway.services()) {
    ServiceRecord rec{TimeWeightedLevel(calendar, warmup_days),
                      TimeWeightedLevel(calendar, warmup_days),
                      TimeWeightedLevel(calendar, warmup_days),
                      TimeWeightedLevel(calendar, warmup_days),
                      TimeWeightedLevel(calendar, warmup_days),
                      TimeWeightedLevel(calendar, warmup_days),
                      0.0,
                      std::vector<double>(months, 0.0),
                      std::vector<double>(months, 0.0),
                      std::vector<double>(months, 0.0),
                      std::vector<std::vector<double>>(spec.decisions.size(), std::vector<double>(months, 0.0)),
                      {},
                      0,
                      std::vector<std::uint64_t>(spec.decisions.size(), 0),
                      {}};
    rec.staff.set(0.0, spec.team.fte);
    rec.placements.assign(spec.placements.size(), TimeWeightedLevel(calendar, warmup_days));
    services_.push_back(std::move(rec));
  }
}

PathwayRecorder::PathwayRecorder(const Scenario& scenario, const SimCalendar& calendar)
    : PathwayRecorder(scenario.pathway, calendar, scenario.simulation.warmup_days) {
  scenario_ = &scenario;
  years_ = calendar.month_count() / 12;
  working_days_ = std::make_unique<WorkingDays>(calendar.start(), calendar.horizon_days() + 1);
  const std::size_t n = pathway_.services().size();
  auto grid = [&](std::size_t rows) {
    return std::vector<std::vector<double>>(rows, std::vector<double>(years_, 0.0));
  };
  yearly_.entries = yearly_.finished = yearly_.started = yearly_.open_at_end = yearly_.waiting_at_end = grid(n);
  yearly_.leavers = yearly_.fgc = grid(n);
  for (const auto& spec : pathway_.services()) {
    yearly_.decisions.emplace_back(
        spec.decisions.size(), std::vector<std::vector<double>>(all_sources.size(), std::vector<double>(years_, 0.0)));
  }
  for (const auto& spec : pathway_.services()) yearly_.placed_at_end.push_back(grid(spec.placements.size()));
  yearly_.age_at_end.assign(n, grid(age_bands));
  yearly_.age_entries.assign(n, grid(age_bands));
  yearly_.stable_at_end = grid(n);
  age_level_.assign(n, std::array<double, age_bands>{});
  unstable_level_.assign(n, 0.0);
  yearly_.flows = grid(pathway_.routes().size());
  yearly_.contacts = grid(all_sources.size());
  yearly_.durations_wd.assign(n, std::vector<std::vector<double>>(years_));
  yearly_.within = yearly_.within_of = grid(scenario.reporting.size());
  yearly_.from_entries.resize(scenario.reporting.size());
  // Reserve the post-warm-up waits each service will collect (traffic equations, plus a margin), so that a
  // decade's 250,000 waits are not copied again and again as the vector grows.
  std::array<double, 6> per_day{};
  for (const auto& src : scenario.sources) per_day[static_cast<int>(src.kind)] = src.contacts_per_day;
  const std::vector<double> rates = expected_arrival_rates(pathway_, per_day);
  for (std::size_t s = 0; s < n && s < rates.size(); ++s) {
    const double expected = rates[s] * (calendar.horizon_days() - scenario.simulation.warmup_days);
    if (std::isfinite(expected) && expected < 5e7)
      services_[s].waits_after_warmup.reserve(static_cast<std::size_t>(1.05 * expected));
  }
  need_enabled_ = scenario.need.enabled;
  plan_service_ = scenario.need.plan;
  children_monthly_.assign(child_count_kinds, std::vector<double>(calendar.month_count(), 0.0));
  children_yearly_.assign(child_count_kinds, std::vector<double>(years_, 0.0));
  contacts_by_need_.assign(need_levels, std::vector<double>(calendar.month_count(), 0.0));
  contacts_by_need_after_warmup_.assign(need_levels, 0);
  if (scenario.reinvestment.share > 0.0) reinvested_.assign(calendar.month_count(), 0.0);
  yearly_.keeps_durations.assign(n, 0);
  yearly_.within_ending_at.resize(n);
  yearly_.within_starting_at.resize(n);
  for (std::size_t i = 0; i < scenario.reporting.size(); ++i) {
    const ReportMeasure& m = scenario.reporting[i];
    if (m.type == ReportMeasure::Type::median_wd) yearly_.keeps_durations[m.service] = 1;
    if (m.type == ReportMeasure::Type::within_wd) {
      yearly_.within_ending_at[m.service].push_back(static_cast<int>(i));
      if (m.from >= 0) yearly_.within_starting_at[m.from].push_back(static_cast<int>(i));
    }
  }
}

int PathwayRecorder::advance_month(double t) {
  // Times never decrease, so the cursor only moves forward; the levels just before the first event of a new
  // year are those at the year's end.
  while (month_cursor_ + 1 < calendar_.month_count() && t >= calendar_.month_start(month_cursor_ + 1)) {
    ++month_cursor_;
    if (month_cursor_ % 12 == 0) snapshot_year_end(month_cursor_ / 12 - 1);
  }
  // The same holds for the last year, whose end is the horizon.
  if (!final_snapshot_taken_ && t >= calendar_.horizon_days()) {
    snapshot_year_end(years_ - 1);
    final_snapshot_taken_ = true;
  }
  next_boundary_ = month_cursor_ + 1 < calendar_.month_count() ? calendar_.month_start(month_cursor_ + 1)
                                                               : static_cast<double>(calendar_.horizon_days());
  if (final_snapshot_taken_) next_boundary_ = std::numeric_limits<double>::infinity();
  return month_cursor_;
}

void PathwayRecorder::snapshot_year_end(int year) {
  if (scenario_ == nullptr || year < 0 || year >= years_) return;
  for (std::size_t s = 0; s < services_.size(); ++s) {
    yearly_.open_at_end[s][year] = services_[s].waiting.level() + services_[s].active.level();
    yearly_.waiting_at_end[s][year] = services_[s].waiting.level();
    for (std::size_t p = 0; p < services_[s].placements.size(); ++p) {
      yearly_.placed_at_end[s][p][year] = services_[s].placements[p].level();
    }
    for (int b = 0; b < age_bands; ++b) yearly_.age_at_end[s][b][year] = age_level_[s][b];
    yearly_.stable_at_end[s][year] = unstable_level_[s];
    unstable_level_[s] = 0.0;  // a new year: every child's placements are counted afresh
  }
}

void PathwayRecorder::child_at_service(double t, int service, int band, double delta) {
  month_of(t);  // a year's end passed first takes its snapshot before the change
  age_level_[service][band] += delta;
}

void PathwayRecorder::child_arrived_aged(double t, int service, int band) {
  const int m = month_of(t);
  if (scenario_ != nullptr) yearly_.age_entries[service][band][m / 12] += 1.0;
}

void PathwayRecorder::placement_stability(double t, int service, double delta) {
  month_of(t);
  unstable_level_[service] += delta;
}

void PathwayRecorder::contact_arrived(double t, SourceKind source, int need) {
  const int m = month_of(t);
  if (need >= 0) {
    contacts_by_need_[need][m] += 1.0;
    if (t >= warmup_days_) ++contacts_by_need_after_warmup_[need];
  }
  contacts_by_source_[static_cast<int>(source)][m] += 1.0;
  if (scenario_ != nullptr) yearly_.contacts[static_cast<int>(source)][m / 12] += 1.0;
  ++balance_.arrived;
  if (t >= warmup_days_) ++contacts_after_warmup_;
}

void PathwayRecorder::entered(double t, int service, std::uint64_t case_id) {
  ServiceRecord& rec = services_[service];
  const int m = month_of(t);
  rec.entries[m] += 1.0;
  if (scenario_ != nullptr) {
    yearly_.entries[service][m / 12] += 1.0;
    // A timescale counts from the latest entry (the DfE: from the strategy discussion of the enquiry that led to
    // the conference), so a re-entry restarts the clock.
    for (int i : yearly_.within_starting_at[service]) yearly_.from_entries[i].insert_or_assign(case_id, t);
  }
  if (t >= warmup_days_) ++rec.entries_after_warmup;
  if (pathway_.services()[service].kind == ServiceKind::exit) {
    ++balance_.left;
    return;
  }
  rec.waiting.add(t, +1.0);
  ++balance_.waiting;
}

void PathwayRecorder::initial_case(double t, int service, std::uint64_t case_id) {
  (void)case_id;
  services_[service].waiting.add(t, +1.0);
  ++balance_.initial;
  ++balance_.waiting;
}

void PathwayRecorder::started(double t, int service, double entered_at) {
  ServiceRecord& rec = services_[service];
  const int m = month_of(t);
  const double wait = t - entered_at;
  rec.wait_sum[m] += wait;
  rec.starts[m] += 1.0;
  rec.waiting.add(t, -1.0);
  rec.active.add(t, +1.0);
  if (scenario_ != nullptr) yearly_.started[service][m / 12] += 1.0;
  --balance_.waiting;
  ++balance_.in_progress;
  if (entered_at >= warmup_days_) rec.waits_after_warmup.push_back(wait);
}

void PathwayRecorder::finished(double t, int service, int decision, double entered_at, SourceKind source,
                               std::uint64_t case_id) {
  ServiceRecord& rec = services_[service];
  const int m = month_of(t);
  if (scenario_ != nullptr) {
    const int y = m / 12;
    yearly_.finished[service][y] += 1.0;
    if (decision >= 0) yearly_.decisions[service][decision][static_cast<int>(source)][y] += 1.0;
    const bool wants = yearly_.keeps_durations[service] || !yearly_.within_ending_at[service].empty();
    const double wd = wants ? working_days_->between(entered_at, t) : 0.0;
    if (yearly_.keeps_durations[service]) yearly_.durations_wd[service][y].push_back(wd);
    for (int i : yearly_.within_ending_at[service]) {
      const ReportMeasure& measure = scenario_->reporting[i];
      double elapsed = wd;
      if (measure.from >= 0) {
        auto it = yearly_.from_entries[i].find(case_id);
        if (it == yearly_.from_entries[i].end()) continue;  // this case never went through `from`
        elapsed = working_days_->between(it->second, t);
        yearly_.from_entries[i].erase(it);
      }
      yearly_.within_of[i][y] += 1.0;
      if (elapsed <= measure.working_days) yearly_.within[i][y] += 1.0;
    }
  }
  if (service == plan_service_) {
    child_event(t, ChildCount::plans_ended);
    if (t - entered_at >= 730.0) child_event(t, ChildCount::plans_ended_after_2y);
  }
  rec.active.add(t, -1.0);
  --balance_.in_progress;
  if (decision >= 0) {
    rec.decisions[decision][m] += 1.0;
    if (t >= warmup_days_) ++rec.decisions_after_warmup[decision];
  }
}

void PathwayRecorder::child_event(double t, ChildCount what, double closure_day) {
  const int m = month_of(t);
  const int c = static_cast<int>(what);
  const bool closure_based = what == ChildCount::closures || what == ChildCount::closures_improved ||
                             what == ChildCount::closures_improved_rereferred;
  if (closure_based) {
    // Counted in the closure's year, and only when the run follows the closure for 12 months.
    if (closure_day + 365.0 > calendar_.horizon_days()) return;
    const int closure_month = calendar_.month_containing(closure_day);
    children_monthly_[c][closure_month] += 1.0;
    if (!children_yearly_[c].empty()) children_yearly_[c][closure_month / 12] += 1.0;
    return;
  }
  children_monthly_[c][m] += 1.0;
  if (!children_yearly_[c].empty()) children_yearly_[c][m / 12] += 1.0;
}

void PathwayRecorder::routed(double t, int route) {
  const int m = month_of(t);
  route_flows_[route][m] += 1.0;
  if (scenario_ != nullptr) yearly_.flows[route][m / 12] += 1.0;
  if (t >= warmup_days_) ++route_flows_after_warmup_[route];
}

void PathwayRecorder::staff_changed(double t, int service, double fte, double agency_fte, double vacant_fte) {
  month_of(t);
  ServiceRecord& rec = services_[service];
  rec.staff.set(t, fte);
  rec.agency.set(t, agency_fte);
  rec.vacant.set(t, vacant_fte);
  rec.excess.set(t, std::max(0.0, rec.demand - fte));
}

void PathwayRecorder::staff_left(double t, int service, double fte) {
  const int m = month_of(t);
  if (scenario_ != nullptr) yearly_.leavers[service][m / 12] += fte;
}

void PathwayRecorder::team_demand(double t, int service, double demand) {
  month_of(t);
  ServiceRecord& rec = services_[service];
  rec.demand = demand;
  rec.excess.set(t, std::max(0.0, demand - rec.staff.level()));
}

void PathwayRecorder::fgc_held(double t, int service) {
  const int m = month_of(t);
  if (scenario_ != nullptr) yearly_.fgc[service][m / 12] += 1.0;
}

double PathwayRecorder::area_of_year(const TimeWeightedLevel& level, int y) const {
  double area = 0.0;
  for (int m = 12 * y; m < 12 * (y + 1); ++m) area += level.month_area(m);
  return area;
}

double PathwayRecorder::CostParts::part(Selector::CostPart p) const {
  switch (p) {
    case Selector::CostPart::all:
      return total();
    case Selector::CostPart::staff:
      return staff;
    case Selector::CostPart::cover:
      return cover;
    case Selector::CostPart::activity:
      return activity;
    case Selector::CostPart::placements:
      return placements;
  }
  return total();
}

// A service's year in pounds (docs/MODEL.md, "Costs"): its staff in post (agency staff at the premium); the share
// of the work beyond them that is bought as overtime or agency cover, at the agency rate; what its cases cost
// besides staff (per case, per week open, professional time from outside the team, reviews, family group
// conferences); and its placements by type. Nothing is counted twice: the team's own social-work time is in `staff`.
double PathwayRecorder::price_factor(double rate, int y) const {
  return scenario_->inflation.factor(rate, static_cast<int>(scenario_->simulation.start_date.year()), y);
}

PathwayRecorder::CostParts PathwayRecorder::service_cost(int s, int y) const {
  const ServiceSpec& spec = pathway_.services()[s];
  const CostSpec& cost = spec.cost;
  const ServiceRecord& rec = services_[s];
  const double fte_years = area_of_year(rec.staff, y) / 365.25;
  const double agency_years = area_of_year(rec.agency, y) / 365.25;
  const double excess_years = area_of_year(rec.excess, y) / 365.25;
  const double open_days = area_of_year(rec.waiting, y) + area_of_year(rec.active, y);
  const double started = yearly_.started[s][y];
  const double agency_rate = cost.per_fte_year * (1.0 + scenario_->agency_premium);
  CostParts parts;
  parts.staff = (fte_years + agency_years * scenario_->agency_premium) * cost.per_fte_year;
  parts.cover = scenario_->overload_cover * excess_years * agency_rate;
  const double reviews = cost.review_every_days > 0.0 ? open_days / cost.review_every_days : 0.0;
  parts.activity = started * cost.per_case + open_days / 7.0 * cost.per_week_open +
                   (started * cost.hours_per_case + reviews * cost.review_hours) * scenario_->hourly_rate +
                   yearly_.fgc[s][y] * scenario_->need.fgc.cost;
  for (std::size_t p = 0; p < spec.placements.size(); ++p) {  // placement-weeks by type, at their weekly costs
    parts.placements += area_of_year(rec.placements[p], y) / 7.0 * spec.placements[p].per_week;
  }
  // In cash: each part by its own inflation index, from the prices the costs are written in.
  const double pay = price_factor(scenario_->inflation.pay, y);
  parts.staff *= pay;
  parts.cover *= pay;
  parts.activity *= pay;
  parts.placements *= price_factor(scenario_->inflation.placements, y);
  return parts;
}

void PathwayRecorder::close_levels(ServiceRecord& rec, double t) {
  for (TimeWeightedLevel* level : {&rec.staff, &rec.agency, &rec.vacant, &rec.excess, &rec.waiting, &rec.active})
    level->set(t, level->level());
  for (TimeWeightedLevel& level : rec.placements) level.set(t, level.level());
}

void PathwayRecorder::placement_changed(double t, int service, int placement, double delta) {
  month_of(t);
  services_[service].placements[placement].add(t, delta);
}

void PathwayRecorder::reinvested(double t, double pounds) {
  const int m = month_of(t);
  if (!reinvested_.empty() && m < static_cast<int>(reinvested_.size())) reinvested_[m] += pounds;
}

double PathwayRecorder::cost_so_far(const std::vector<int>& services, int year, double t) {
  month_of(t);
  double total = 0.0;
  for (int s : services) {
    close_levels(services_[s], t);
    total += service_cost(s, year).total();
  }
  return total;
}

double PathwayRecorder::evaluate(const Selector& sel, int y) const {
  auto months_of_year = [&](const TimeWeightedLevel& level) { return area_of_year(level, y); };
  const double year_days = calendar_.month_start(12 * (y + 1)) - calendar_.month_start(12 * y);
  double total = 0.0;
  switch (sel.kind) {
    case Selector::Kind::contacts:
      for (SourceKind s : all_sources) {
        if (!sel.source || *sel.source == s) total += yearly_.contacts[static_cast<int>(s)][y];
      }
      break;
    case Selector::Kind::entries:
      for (int s : sel.services) total += yearly_.entries[s][y];
      break;
    case Selector::Kind::finished:
      for (int s : sel.services) total += yearly_.finished[s][y];
      break;
    case Selector::Kind::decision:
      for (SourceKind s : all_sources) {
        if (!sel.source || *sel.source == s)
          total += yearly_.decisions[sel.service][sel.decision][static_cast<int>(s)][y];
      }
      break;
    case Selector::Kind::flow:
      for (int r : sel.routes) total += yearly_.flows[r][y];
      break;
    case Selector::Kind::open:
      for (int s : sel.services) total += yearly_.open_at_end[s][y];
      break;
    case Selector::Kind::wait: {  // mean wait (days) of the cases that started in the year
      double waited = 0.0, started = 0.0;
      for (int s : sel.services) {
        for (int m = 12 * y; m < 12 * (y + 1); ++m) {
          waited += services_[s].wait_sum[m];
          started += services_[s].starts[m];
        }
      }
      total = started > 0.0 ? waited / started : std::numeric_limits<double>::quiet_NaN();
      break;
    }
    case Selector::Kind::placement:
      total = yearly_.placed_at_end[sel.service][sel.placement][y];
      break;
    case Selector::Kind::ages:
      total = yearly_.age_at_end[sel.service][sel.band][y];
      break;
    case Selector::Kind::age_entries:
      total = yearly_.age_entries[sel.service][sel.band][y];
      break;
    case Selector::Kind::stability:
      for (int s : sel.services) total += yearly_.stable_at_end[s][y];
      break;
    case Selector::Kind::unallocated:
      for (int s : sel.services) total += yearly_.waiting_at_end[s][y];
      break;
    case Selector::Kind::fte:
      for (int s : sel.services) total += months_of_year(services_[s].staff) / year_days;
      break;
    case Selector::Kind::children:
      if (sel.child_count == child_count_kinds - 1) {  // sustained: improved and not re-referred within 12 months
        total = children_yearly_[static_cast<int>(ChildCount::closures_improved)][y] -
                children_yearly_[static_cast<int>(ChildCount::closures_improved_rereferred)][y];
      } else {
        total = children_yearly_[sel.child_count][y];
      }
      break;
    case Selector::Kind::cost:
      if (sel.placement >= 0) {  // one placement type
        total = area_of_year(services_[sel.service].placements[sel.placement], y) / 7.0 *
                pathway_.services()[sel.service].placements[sel.placement].per_week *
                price_factor(scenario_->inflation.placements, y);
      } else if (sel.services.empty()) {
        for (int s = 0; s < static_cast<int>(services_.size()); ++s) total += service_cost(s, y).part(sel.cost_part);
      } else {
        for (int s : sel.services) total += service_cost(s, y).part(sel.cost_part);
      }
      break;
    case Selector::Kind::fgc:
      for (int s : sel.services) total += yearly_.fgc[s][y];
      break;
    case Selector::Kind::turnover:
    case Selector::Kind::vacancy:
    case Selector::Kind::agency:
    case Selector::Kind::caseload: {
      // DfE definitions, on the year's time-averaged staff: turnover = leavers / permanent FTE; vacancy = vacant /
      // (permanent + vacant); agency = agency / FTE in post; caseload = allocated cases / case-holding FTE.
      double in_post = 0.0, agency = 0.0, vacant = 0.0, leavers = 0.0, held = 0.0, case_holding = 0.0;
      for (int s : sel.services) {
        const ServiceRecord& rec = services_[s];
        const double staff = months_of_year(rec.staff) / year_days;
        in_post += staff;
        agency += months_of_year(rec.agency) / year_days;
        vacant += months_of_year(rec.vacant) / year_days;
        leavers += yearly_.leavers[s][y];
        held += months_of_year(rec.active) / year_days;
        case_holding += staff * pathway_.services()[s].team.case_holding_share;
      }
      const double permanent = in_post - agency;
      double num = 0.0, den = 0.0;
      if (sel.kind == Selector::Kind::turnover) num = leavers, den = permanent;
      if (sel.kind == Selector::Kind::vacancy) num = vacant, den = permanent + vacant;
      if (sel.kind == Selector::Kind::agency) num = agency, den = in_post;
      if (sel.kind == Selector::Kind::caseload) num = held, den = case_holding;
      total = den > 0.0 ? num / den : nan_value;
      break;
    }
  }
  return total;
}

std::vector<AnnualValue> PathwayRecorder::annual_values() const {
  std::vector<AnnualValue> rows;
  if (scenario_ == nullptr) return rows;
  const double per_10k = 10000.0 / scenario_->children;
  // The whole council's cost summed over the measured years, cash and real (the totals over the horizon).
  const int first_measured = first_year_after_warmup(warmup_days_);
  std::vector<double> to_date(scenario_->reporting.size(), 0.0);
  std::vector<double> to_date_real(scenario_->reporting.size(), 0.0);
  for (int y = 0; y < years_; ++y) {
    for (std::size_t i = 0; i < scenario_->reporting.size(); ++i) {
      const ReportMeasure& m = scenario_->reporting[i];
      double value = nan_value;
      switch (m.type) {
        case ReportMeasure::Type::rate: {
          const double count = evaluate(m.numerator, y);
          value = count * per_10k;
          rows.push_back({y + 1, measure_name::reported_count(m.name), std::string(unit_text(Unit::count)), count});
          break;
        }
        case ReportMeasure::Type::share:
        case ReportMeasure::Type::ratio: {
          const double den = evaluate(m.denominator, y);
          if (den > 0) value = evaluate(m.numerator, y) / den;
          break;
        }
        case ReportMeasure::Type::median_wd:
          value = quantile(yearly_.durations_wd[m.service][y], 0.5);
          break;
        case ReportMeasure::Type::within_wd:
          if (yearly_.within_of[i][y] > 0) value = yearly_.within[i][y] / yearly_.within_of[i][y];
          break;
        case ReportMeasure::Type::total:
          value = evaluate(m.numerator, y);
          break;
      }
      if (std::isfinite(value)) rows.push_back({y + 1, m.name, m.unit, value});
      // A cost in cash is also given in the prices of costs.price_year (deflated by the prices index).
      if (std::isfinite(value) && m.unit == unit_text(Unit::pounds)) {
        rows.push_back({y + 1, measure_name::reported_real(m.name), std::string(unit_text(Unit::pounds_real)),
                        value / price_factor(scenario_->inflation.prices, y)});
      }
      if (std::isfinite(value) && is_whole_cost(m) && y + 1 >= first_measured) {
        to_date[i] += value;
        to_date_real[i] += value / price_factor(scenario_->inflation.prices, y);
        const std::string name = measure_name::reported_to_date(m.name);
        rows.push_back({y + 1, name, std::string(unit_text(Unit::pounds)), to_date[i]});
        rows.push_back(
            {y + 1, measure_name::reported_real(name), std::string(unit_text(Unit::pounds_real)), to_date_real[i]});
      }
    }
  }
  return rows;
}

ReplicationResult PathwayRecorder::finish(double horizon_days) {
  namespace name = measure_name;  // every name is made there, and MeasureCatalogue lists them in this order
  month_of(horizon_days);         // takes the last year's snapshot if no event came at the horizon
  const int months = calendar_.month_count();
  const double measured_days = horizon_days - warmup_days_;
  const double years = measured_days / 365.25;
  ReplicationResult r;

  std::vector<double> contacts(months, 0.0);
  for (const auto& by_month : contacts_by_source_) {
    for (int m = 0; m < months; ++m) contacts[m] += by_month[m];
  }
  r.monthly.push_back({name::contacts_per_month(), contacts});
  for (SourceKind s : all_sources) {
    r.monthly.push_back({name::contacts_from(s), contacts_by_source_[static_cast<int>(s)]});
  }
  r.summary.push_back({name::contacts_per_year(), static_cast<double>(contacts_after_warmup_) / years});

  for (std::size_t s = 0; s < services_.size(); ++s) {
    const ServiceSpec& spec = pathway_.services()[s];
    ServiceRecord& rec = services_[s];
    const std::string& id = spec.id;
    if (spec.kind == ServiceKind::exit) {
      r.monthly.push_back({name::exits(id), rec.entries});
      r.summary.push_back({name::exits_per_year(id), static_cast<double>(rec.entries_after_warmup) / years});
      continue;
    }
    close_levels(rec, horizon_days);
    std::vector<double> wait_mean(months), waiting_mean(months), open_mean(months), load(months), staff(months);
    for (int m = 0; m < months; ++m) {
      const double days = calendar_.month_start(m + 1) - calendar_.month_start(m);
      wait_mean[m] = rec.starts[m] > 0 ? rec.wait_sum[m] / rec.starts[m] : nan_value;
      waiting_mean[m] = rec.waiting.month_area(m) / days;
      open_mean[m] = (rec.waiting.month_area(m) + rec.active.month_area(m)) / days;
      staff[m] = rec.staff.month_area(m) / days;
      load[m] = rec.staff.month_area(m) > 0 ? rec.active.month_area(m) / rec.staff.month_area(m) : nan_value;
    }
    const bool has_team = spec.kind == ServiceKind::screening_queue || spec.kind == ServiceKind::caseload_team;
    r.monthly.push_back({name::entries(id), rec.entries});
    r.monthly.push_back({name::wait_days_mean(id), wait_mean});
    r.monthly.push_back({name::queue_mean(id), waiting_mean});
    r.monthly.push_back({name::open_mean(id), open_mean});
    if (has_team) {
      r.monthly.push_back({name::load(spec), load});
      r.monthly.push_back({name::staff_fte(id), staff});
      std::vector<double> agency(months);
      for (int m = 0; m < months; ++m) {
        agency[m] = rec.agency.month_area(m) / (calendar_.month_start(m + 1) - calendar_.month_start(m));
      }
      r.monthly.push_back({name::agency_fte(id), agency});
    }
    for (std::size_t d = 0; d < spec.decisions.size(); ++d) {
      r.monthly.push_back({name::decisions(id, spec.decisions[d].name), rec.decisions[d]});
    }
    for (std::size_t p = 0; p < spec.placements.size(); ++p) {
      std::vector<double> placed(months);
      for (int m = 0; m < months; ++m) {
        placed[m] = rec.placements[p].month_area(m) / (calendar_.month_start(m + 1) - calendar_.month_start(m));
      }
      r.monthly.push_back({name::placement_mean(id, spec.placements[p].name), placed});
      r.summary.push_back(
          {name::placement_mean(id, spec.placements[p].name), rec.placements[p].area_after_warmup() / measured_days});
    }

    r.summary.push_back({name::entries_per_year(id), static_cast<double>(rec.entries_after_warmup) / years});
    r.summary.push_back({name::wait_days_mean(id), mean(rec.waits_after_warmup)});
    r.summary.push_back({name::wait_days_p90(id), quantile(rec.waits_after_warmup, 0.9)});
    r.summary.push_back({name::queue_mean(id), rec.waiting.area_after_warmup() / measured_days});
    r.summary.push_back(
        {name::open_mean(id), (rec.waiting.area_after_warmup() + rec.active.area_after_warmup()) / measured_days});
    if (has_team) {
      const double staff_area = rec.staff.area_after_warmup();
      r.summary.push_back({name::load(spec), staff_area > 0 ? rec.active.area_after_warmup() / staff_area : nan_value});
      r.summary.push_back({name::staff_fte_mean(id), staff_area / measured_days});
      r.summary.push_back({name::agency_fte_mean(id), rec.agency.area_after_warmup() / measured_days});
    }
    std::uint64_t decided = 0;
    for (auto n : rec.decisions_after_warmup) decided += n;
    for (std::size_t d = 0; d < spec.decisions.size(); ++d) {
      r.summary.push_back({name::decision_share(id, spec.decisions[d].name),
                           decided > 0
                               ? static_cast<double>(rec.decisions_after_warmup[d]) / static_cast<double>(decided)
                               : nan_value});
    }
  }

  for (std::size_t route = 0; route < route_flows_.size(); ++route) {
    const std::string& id = pathway_.routes()[route].id;
    r.monthly.push_back({name::flow(id), route_flows_[route]});
    r.summary.push_back({name::flow_per_year(id), static_cast<double>(route_flows_after_warmup_[route]) / years});
  }
  if (need_enabled_) {
    for (int k = 0; k < need_levels; ++k) {
      r.monthly.push_back({name::contacts_at_need(k), contacts_by_need_[k]});
      r.summary.push_back(
          {name::contacts_at_need_per_year(k), static_cast<double>(contacts_by_need_after_warmup_[k]) / years});
    }
    for (ChildCount count : reported_child_counts()) {
      const auto& by_month = children_monthly_[static_cast<int>(count)];
      r.monthly.push_back({name::child_count_per_month(count), by_month});
      double after = 0.0;
      for (int m = 0; m < months; ++m) {
        if (calendar_.month_start(m) >= warmup_days_) after += by_month[m];
      }
      r.summary.push_back({name::child_count_per_year(count), after / years});
    }
  }
  // Reinvestment: the pounds moved into prevention, in the first month of the year they pay for.
  if (!reinvested_.empty()) r.monthly.push_back({name::reinvested(), reinvested_});
  r.annual = annual_values();
  r.balance = balance_;
  r.simulated_days = horizon_days;
  return r;
}

}  // namespace frontdoor
