#pragma once
// Records what happens at the front door, as it happens, into monthly series and post-warm-up statistics.
// Plain C++ (no SimGrid), so it is unit-testable; the simulation calls it with nondecreasing times.
#include <cstdint>
#include <vector>

#include "models/calendar.hpp"
#include "models/scenario.hpp"
#include "models/screening_queue.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// The time integral of a piecewise-constant level (queue length, busy screeners), split by calendar month and
/// accumulated separately after the warm-up.
class TimeWeightedLevel {
 public:
  TimeWeightedLevel(const SimCalendar& calendar, double warmup_days);
  /// The level becomes `level` at time `t` (days). Times must not decrease.
  void set(double t, double level);
  void add(double t, double delta) { set(t, level_ + delta); }
  double level() const { return level_; }
  /// Integral over month `m` (level x days).
  double month_area(int m) const { return month_area_[m]; }
  /// Integral from the warm-up to the last update.
  double area_after_warmup() const { return area_after_warmup_; }

 private:
  const SimCalendar& calendar_;
  double warmup_days_;
  double level_ = 0.0;
  double last_t_ = 0.0;
  int month_ = 0;
  std::vector<double> month_area_;
  double area_after_warmup_ = 0.0;
};

class FrontDoorRecorder {
 public:
  FrontDoorRecorder(const SimCalendar& calendar, double warmup_days, int initial_screeners);

  void contact_arrived(double t, const Contact& contact);
  void screening_started(double t, const Contact& contact);
  void screening_finished(double t, const Contact& contact, Decision decision);
  void screeners_changed(double t, int on_duty);

  /// Closes every open interval at the horizon and returns the series, the summary and the balance.
  ReplicationResult finish(double horizon_days);

 private:
  int month_of(double t);

  const SimCalendar& calendar_;
  double warmup_days_;
  int month_cursor_ = 0;
  TimeWeightedLevel queue_;
  TimeWeightedLevel busy_;
  TimeWeightedLevel on_duty_;
  // Monthly counts.
  std::vector<std::vector<double>> contacts_by_source_;  // [source][month]
  std::vector<std::vector<double>> decisions_;           // [decision][month]
  std::vector<double> wait_sum_;
  std::vector<double> starts_;
  std::vector<double> queue_at_month_end_;
  // After the warm-up.
  std::vector<double> waits_after_warmup_;
  std::uint64_t arrivals_after_warmup_ = 0;
  std::uint64_t decisions_after_warmup_[3] = {0, 0, 0};
  ContactBalance balance_;
};

}  // namespace frontdoor
