#include "sim/pathway_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "analysis/statistics.hpp"

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
    ServiceRecord rec{TimeWeightedLevel(calendar, warmup_days), TimeWeightedLevel(calendar, warmup_days),
                      TimeWeightedLevel(calendar, warmup_days),
                      std::vector<double>(months, 0.0),
                      std::vector<double>(months, 0.0),
                      std::vector<double>(months, 0.0),
                      std::vector<std::vector<double>>(spec.decisions.size(), std::vector<double>(months, 0.0)),
                      {},
                      0,
                      std::vector<std::uint64_t>(spec.decisions.size(), 0)};
    rec.staff.set(0.0, spec.team.fte);
    services_.push_back(std::move(rec));
  }
}

int PathwayRecorder::month_of(double t) {
  // Times never decrease, so the cursor only moves forward.
  while (month_cursor_ + 1 < calendar_.month_count() && t >= calendar_.month_start(month_cursor_ + 1)) ++month_cursor_;
  return month_cursor_;
}

void PathwayRecorder::contact_arrived(double t, SourceKind source) {
  contacts_by_source_[static_cast<int>(source)][month_of(t)] += 1.0;
  ++balance_.arrived;
  if (t >= warmup_days_) ++contacts_after_warmup_;
}

void PathwayRecorder::entered(double t, int service) {
  ServiceRecord& rec = services_[service];
  rec.entries[month_of(t)] += 1.0;
  if (t >= warmup_days_) ++rec.entries_after_warmup;
  if (pathway_.services()[service].kind == ServiceKind::exit) {
    ++balance_.left;
    return;
  }
  rec.waiting.add(t, +1.0);
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
  --balance_.waiting;
  ++balance_.in_progress;
  if (entered_at >= warmup_days_) rec.waits_after_warmup.push_back(wait);
}

void PathwayRecorder::finished(double t, int service, int decision) {
  ServiceRecord& rec = services_[service];
  const int m = month_of(t);
  rec.active.add(t, -1.0);
  --balance_.in_progress;
  if (decision >= 0) {
    rec.decisions[decision][m] += 1.0;
    if (t >= warmup_days_) ++rec.decisions_after_warmup[decision];
  }
}

void PathwayRecorder::routed(double t, int route) {
  route_flows_[route][month_of(t)] += 1.0;
  if (t >= warmup_days_) ++route_flows_after_warmup_[route];
}

void PathwayRecorder::staff_changed(double t, int service, double fte) {
  month_of(t);
  services_[service].staff.set(t, fte);
}

ReplicationResult PathwayRecorder::finish(double horizon_days) {
  const int months = calendar_.month_count();
  const double measured_days = horizon_days - warmup_days_;
  const double years = measured_days / 365.25;
  ReplicationResult r;

  std::vector<double> contacts(months, 0.0);
  for (const auto& by_month : contacts_by_source_) {
    for (int m = 0; m < months; ++m) contacts[m] += by_month[m];
  }
  r.monthly.push_back({"contacts", contacts});
  for (SourceKind s : all_sources) {
    r.monthly.push_back({std::string("contacts_") + source_name(s), contacts_by_source_[static_cast<int>(s)]});
  }
  r.summary.push_back({"contacts_per_year", static_cast<double>(contacts_after_warmup_) / years});

  for (std::size_t s = 0; s < services_.size(); ++s) {
    const ServiceSpec& spec = pathway_.services()[s];
    ServiceRecord& rec = services_[s];
    const std::string& id = spec.id;
    if (spec.kind == ServiceKind::exit) {
      r.monthly.push_back({id + "_exits", rec.entries});
      r.summary.push_back({id + "_per_year", static_cast<double>(rec.entries_after_warmup) / years});
      continue;
    }
    rec.waiting.set(horizon_days, rec.waiting.level());
    rec.active.set(horizon_days, rec.active.level());
    rec.staff.set(horizon_days, rec.staff.level());
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
    const std::string load_name = spec.kind == ServiceKind::screening_queue ? "_utilisation" : "_caseload_per_fte";
    r.monthly.push_back({id + "_entries", rec.entries});
    r.monthly.push_back({id + "_wait_days_mean", wait_mean});
    r.monthly.push_back({id + "_queue_mean", waiting_mean});
    r.monthly.push_back({id + "_open_mean", open_mean});
    if (has_team) {
      r.monthly.push_back({id + load_name, load});
      r.monthly.push_back({id + "_staff_fte", staff});
    }
    for (std::size_t d = 0; d < spec.decisions.size(); ++d) {
      r.monthly.push_back({id + "_decision_" + spec.decisions[d].name, rec.decisions[d]});
    }

    r.summary.push_back({id + "_entries_per_year", static_cast<double>(rec.entries_after_warmup) / years});
    r.summary.push_back({id + "_wait_days_mean", mean(rec.waits_after_warmup)});
    r.summary.push_back({id + "_wait_days_p90", quantile(rec.waits_after_warmup, 0.9)});
    r.summary.push_back({id + "_queue_mean", rec.waiting.area_after_warmup() / measured_days});
    r.summary.push_back({id + "_open_mean", (rec.waiting.area_after_warmup() + rec.active.area_after_warmup()) / measured_days});
    if (has_team) {
      const double staff_area = rec.staff.area_after_warmup();
      r.summary.push_back({id + load_name, staff_area > 0 ? rec.active.area_after_warmup() / staff_area : nan_value});
      r.summary.push_back({id + "_staff_fte_mean", staff_area / measured_days});
    }
    std::uint64_t decided = 0;
    for (auto n : rec.decisions_after_warmup) decided += n;
    for (std::size_t d = 0; d < spec.decisions.size(); ++d) {
      r.summary.push_back({id + "_" + spec.decisions[d].name + "_share",
                           decided > 0 ? static_cast<double>(rec.decisions_after_warmup[d]) / static_cast<double>(decided) : nan_value});
    }
  }

  for (std::size_t route = 0; route < route_flows_.size(); ++route) {
    const std::string name = "flow_" + pathway_.routes()[route].id;
    r.monthly.push_back({name, route_flows_[route]});
    r.summary.push_back({name + "_per_year", static_cast<double>(route_flows_after_warmup_[route]) / years});
  }
  r.balance = balance_;
  r.simulated_days = horizon_days;
  return r;
}

}  // namespace frontdoor
