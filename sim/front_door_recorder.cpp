#include "sim/front_door_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/statistics.hpp"

namespace frontdoor {

TimeWeightedLevel::TimeWeightedLevel(const SimCalendar& calendar, double warmup_days)
    : calendar_(calendar), warmup_days_(warmup_days), month_area_(calendar.month_count(), 0.0) {}

void TimeWeightedLevel::set(double t, double level) {
  if (t > last_t_) {
    if (t > warmup_days_) area_after_warmup_ += level_ * (t - std::max(last_t_, warmup_days_));
    // Split the interval [last_t_, t) at month boundaries.
    double from = last_t_;
    while (month_ < calendar_.month_count()) {
      const double month_end = calendar_.month_start(month_ + 1);
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

FrontDoorRecorder::FrontDoorRecorder(const SimCalendar& calendar, double warmup_days, int initial_screeners)
    : calendar_(calendar),
      warmup_days_(warmup_days),
      queue_(calendar, warmup_days),
      busy_(calendar, warmup_days),
      on_duty_(calendar, warmup_days),
      contacts_by_source_(all_sources.size(), std::vector<double>(calendar.month_count(), 0.0)),
      decisions_(all_decisions.size(), std::vector<double>(calendar.month_count(), 0.0)),
      wait_sum_(calendar.month_count(), 0.0),
      starts_(calendar.month_count(), 0.0),
      queue_at_month_end_(calendar.month_count(), std::numeric_limits<double>::quiet_NaN()) {
  on_duty_.set(0.0, initial_screeners);
}

int FrontDoorRecorder::month_of(double t) {
  // Times never decrease, so the cursor only moves forward; the queue length at each month end is the level
  // just before the first event of a later month.
  while (month_cursor_ + 1 < calendar_.month_count() && t >= calendar_.month_start(month_cursor_ + 1)) {
    queue_at_month_end_[month_cursor_] = queue_.level();
    ++month_cursor_;
  }
  return month_cursor_;
}

void FrontDoorRecorder::contact_arrived(double t, const Contact& contact) {
  const int m = month_of(t);
  contacts_by_source_[static_cast<int>(contact.source)][m] += 1.0;
  queue_.add(t, +1.0);
  ++balance_.arrived;
  ++balance_.waiting;
  if (t >= warmup_days_) ++arrivals_after_warmup_;
}

void FrontDoorRecorder::screening_started(double t, const Contact& contact) {
  const int m = month_of(t);
  const double wait = t - contact.arrival_day;
  wait_sum_[m] += wait;
  starts_[m] += 1.0;
  queue_.add(t, -1.0);
  busy_.add(t, +1.0);
  --balance_.waiting;
  ++balance_.in_screening;
  if (contact.arrival_day >= warmup_days_) waits_after_warmup_.push_back(wait);
}

void FrontDoorRecorder::screening_finished(double t, const Contact& contact, Decision decision) {
  const int m = month_of(t);
  decisions_[static_cast<int>(decision)][m] += 1.0;
  busy_.add(t, -1.0);
  --balance_.in_screening;
  ++balance_.decided;
  if (contact.arrival_day >= warmup_days_) ++decisions_after_warmup_[static_cast<int>(decision)];
}

void FrontDoorRecorder::screeners_changed(double t, int on_duty) {
  month_of(t);
  on_duty_.set(t, on_duty);
}

ReplicationResult FrontDoorRecorder::finish(double horizon_days) {
  month_of(horizon_days);
  queue_at_month_end_[month_cursor_] = queue_.level();
  for (int m = month_cursor_ + 1; m < calendar_.month_count(); ++m) queue_at_month_end_[m] = queue_.level();
  queue_.set(horizon_days, queue_.level());
  busy_.set(horizon_days, busy_.level());
  on_duty_.set(horizon_days, on_duty_.level());

  const int months = calendar_.month_count();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ReplicationResult r;
  std::vector<double> contacts(months, 0.0);
  for (const auto& by_month : contacts_by_source_) {
    for (int m = 0; m < months; ++m) contacts[m] += by_month[m];
  }
  r.monthly.push_back({"contacts", contacts});
  for (SourceKind s : all_sources) {
    r.monthly.push_back({std::string("contacts_") + source_name(s), contacts_by_source_[static_cast<int>(s)]});
  }
  std::vector<double> screened(months, 0.0);
  for (const auto& by_month : decisions_) {
    for (int m = 0; m < months; ++m) screened[m] += by_month[m];
  }
  r.monthly.push_back({"screened", screened});
  for (Decision d : all_decisions) {
    r.monthly.push_back({std::string("decisions_") + decision_name(d), decisions_[static_cast<int>(d)]});
  }
  std::vector<double> wait_mean(months), queue_mean(months), utilisation(months), screeners(months);
  for (int m = 0; m < months; ++m) {
    const double days = calendar_.month_start(m + 1) - calendar_.month_start(m);
    wait_mean[m] = starts_[m] > 0 ? wait_sum_[m] / starts_[m] : nan;
    queue_mean[m] = queue_.month_area(m) / days;
    screeners[m] = on_duty_.month_area(m) / days;
    utilisation[m] = on_duty_.month_area(m) > 0 ? busy_.month_area(m) / on_duty_.month_area(m) : nan;
  }
  r.monthly.push_back({"front_door_wait_days_mean", wait_mean});
  r.monthly.push_back({"front_door_queue_mean", queue_mean});
  r.monthly.push_back({"front_door_queue_end", queue_at_month_end_});
  r.monthly.push_back({"front_door_utilisation", utilisation});
  r.monthly.push_back({"front_door_screeners", screeners});

  const double measured_days = horizon_days - warmup_days_;
  const double years = measured_days / 365.25;
  const double decided = static_cast<double>(decisions_after_warmup_[0] + decisions_after_warmup_[1] +
                                             decisions_after_warmup_[2]);
  auto share = [&](Decision d) {
    return decided > 0 ? static_cast<double>(decisions_after_warmup_[static_cast<int>(d)]) / decided : nan;
  };
  r.summary = {
      {"contacts_per_year", static_cast<double>(arrivals_after_warmup_) / years},
      {"referrals_per_year", static_cast<double>(decisions_after_warmup_[static_cast<int>(Decision::referral)]) / years},
      {"front_door_wait_days_mean", mean(waits_after_warmup_)},
      {"front_door_wait_days_p90", quantile(waits_after_warmup_, 0.9)},
      {"front_door_utilisation",
       on_duty_.area_after_warmup() > 0 ? busy_.area_after_warmup() / on_duty_.area_after_warmup() : nan},
      {"front_door_queue_mean", queue_.area_after_warmup() / measured_days},
      {"front_door_screeners_mean", on_duty_.area_after_warmup() / measured_days},
      {"no_further_action_share", share(Decision::no_further_action)},
      {"early_help_share", share(Decision::early_help)},
      {"referral_share", share(Decision::referral)},
  };
  r.balance = balance_;
  r.simulated_days = horizon_days;
  return r;
}

}  // namespace frontdoor
