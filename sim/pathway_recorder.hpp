#pragma once
// Records what happens in the pathway, as it happens, into monthly series and post-warm-up statistics.
// Plain C++ (no SimGrid), so it is unit-testable; the simulation calls it with nondecreasing times.
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "models/calendar.hpp"
#include "models/scenario.hpp"
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
  const SimCalendar* calendar_;
  double warmup_days_;
  double level_ = 0.0;
  double last_t_ = 0.0;
  int month_ = 0;
  std::vector<double> month_area_;
  double area_after_warmup_ = 0.0;
};

class PathwayRecorder {
 public:
  PathwayRecorder(const Pathway& pathway, const SimCalendar& calendar, double warmup_days);
  /// Also computes the scenario's [reporting] measures year by year, and its costs.
  PathwayRecorder(const Scenario& scenario, const SimCalendar& calendar);

  /// A contact from `source` arrived from outside (at the entry), about a child at need level `need` (-1: unknown).
  void contact_arrived(double t, SourceKind source, int need = -1);
  /// A case arrived at `service` and waits (in the queue, or unallocated); exits count it as leaving.
  void entered(double t, int service, std::uint64_t case_id = 0);
  /// A case was already open at `service` on the first day (an initial caseload): it waits, then starts.
  void initial_case(double t, int service, std::uint64_t case_id = 0);
  /// Work on a case began at `service` after it waited since `entered_at`.
  void started(double t, int service, double entered_at);
  /// Work on a case at `service` ended with decision `decision` (index into its decisions; -1 for none);
  /// `entered_at` is when the case arrived at the service.
  void finished(double t, int service, int decision, double entered_at = 0.0, SourceKind source = SourceKind::other,
                std::uint64_t case_id = 0);
  /// A case took route `route`.
  void routed(double t, int route);
  /// Something happened to a child (reference model): see ChildCount. `closure_day` dates a closure-based count
  /// (closures are counted in their own year, and only when 12 months of the run follow them).
  void child_event(double t, ChildCount what, double closure_day = 0.0);

  /// The staff in post at `service` changed to `fte`, of which `agency_fte` are agency staff, with `vacant_fte` of
  /// its establishment not filled by permanent staff (vacancies, whether agency staff cover them or not).
  void staff_changed(double t, int service, double fte, double agency_fte = 0.0, double vacant_fte = 0.0);
  /// `fte` permanent staff left `service` (turnover, or posts cut).
  void staff_left(double t, int service, double fte = 1.0);
  /// The cases allocated at caseload team `service` now ask for `demand` FTE (work / duration, summed): what they
  /// ask beyond the staff in post is the work over the norm that [costs] overload_cover buys.
  void team_demand(double t, int service, double demand);
  /// A family group conference was held before a care decision at `service`.
  void fgc_held(double t, int service);

  /// What `services` have cost in pounds in year `year` (0 = the first) up to time `t`, which must not be before
  /// the last event recorded (for a rule that acts on costs as the run goes, such as reinvestment).
  double cost_so_far(const std::vector<int>& services, int year, double t);

  /// `delta` cases (+1 or -1) of placement type `placement` at `service` (looked after: foster care, ...).
  void placement_changed(double t, int service, int placement, double delta);

  /// A reinvestment rule moved `pounds` into prevention for the year starting at `t`.
  void reinvested(double t, double pounds);

  /// A case began without a contact (a sibling coming into care with a brother or sister): it counts in the
  /// balance of cases as one that arrived.
  void case_arrived_without_contact() { ++balance_.arrived; }
  /// A child of DfE age band `band` is now at (delta +1) or no longer at (delta -1) service `service`: the stock
  /// of children there by age at each year's end (selector ages:).
  void child_at_service(double t, int service, int band, double delta);
  /// A child of age band `band` arrived at service `service` (selector age_entries:).
  void child_arrived_aged(double t, int service, int band);
  /// A child at service `service` now has had 3 or more placements this year (+1), or has left it (-1): the stock
  /// at the year's end is DfE's placement stability measure (selector stability:). Every year starts from none.
  void placement_stability(double t, int service, double delta);

  /// Closes every open interval at the horizon and returns the series, the summary and the balance.
  ReplicationResult finish(double horizon_days);

 private:
  struct ServiceRecord {
    TimeWeightedLevel waiting, active, staff, agency, vacant;
    TimeWeightedLevel excess;  // FTE the allocated cases ask beyond the staff in post (caseload teams)
    double demand = 0.0;       // FTE the allocated cases ask (caseload teams)
    std::vector<double> entries, wait_sum, starts;
    std::vector<std::vector<double>> decisions;  // [decision][month]
    std::vector<double> waits_after_warmup;
    std::uint64_t entries_after_warmup = 0;
    std::vector<std::uint64_t> decisions_after_warmup;
    std::vector<TimeWeightedLevel> placements;  // open cases by placement type
  };

  // The calendar month of time `t`; every event calls it, so the common case (same month) is inline.
  int month_of(double t) { return t < next_boundary_ ? month_cursor_ : advance_month(t); }
  int advance_month(double t);
  void snapshot_year_end(int year);
  double evaluate(const Selector& selector, int year) const;
  double area_of_year(const TimeWeightedLevel& level, int year) const;
  /// What a service cost in a year, in pounds, by part (docs/MODEL.md, "Costs").
  struct CostParts {
    double staff = 0.0;       // the establishment: permanent staff, agency staff at the premium
    double cover = 0.0;       // work beyond the staff in post bought as overtime or agency cover
    double activity = 0.0;    // per case, per week open, outside professionals' time, reviews, conferences
    double placements = 0.0;  // placements by type
    double total() const { return staff + cover + activity + placements; }
    double part(Selector::CostPart p) const;
  };
  CostParts service_cost(int service, int year) const;
  /// How many times its price-year cost a cost inflating at `rate` a year has in run year `year` (0 = the first).
  double price_factor(double rate, int year) const;
  /// Closes the open intervals of `service`'s levels at time `t` (so that a year's areas are complete to `t`).
  void close_levels(ServiceRecord& rec, double t);
  std::vector<AnnualValue> annual_values() const;

  // Per year (index 0 = year 1), for the [reporting] measures and costs.
  struct Yearly {
    std::vector<std::vector<double>> entries, finished, started, open_at_end, waiting_at_end;  // [service][year]
    std::vector<std::vector<std::vector<double>>> placed_at_end;            // [service][placement][year]
    std::vector<std::vector<std::vector<std::vector<double>>>> decisions;   // [service][decision][source][year]
    std::vector<std::vector<double>> leavers, fgc;                          // [service][year]
    std::vector<std::vector<std::vector<double>>> age_at_end, age_entries;  // [service][band][year]
    std::vector<std::vector<double>> stable_at_end;                         // [service][year]: 3+ placements
    std::vector<std::vector<double>> flows;                                 // [route][year]
    std::vector<std::vector<double>> contacts;                              // [source][year]
    std::vector<std::vector<std::vector<double>>> durations_wd;             // [service][year][case]
    std::vector<std::vector<double>> within, within_of;                     // [measure][year]: cases within, cases
    std::vector<std::unordered_map<std::uint64_t, double>> from_entries;    // [measure]: case -> entered `from`
    // Precomputed per service, so that an event touches only the measures that need it.
    std::vector<char> keeps_durations;                 // [service]: a median_wd measure reads its durations
    std::vector<std::vector<int>> within_ending_at;    // [service]: within_wd measures whose work ends there
    std::vector<std::vector<int>> within_starting_at;  // [service]: within_wd measures measured from there
  };
  const Scenario* scenario_ = nullptr;
  std::vector<std::array<double, age_bands>> age_level_;  // [service][band]: children there now
  std::vector<double> unstable_level_;                    // [service]: children there with 3+ placements this year
  std::unique_ptr<WorkingDays> working_days_;
  int years_ = 0;
  bool final_snapshot_taken_ = false;
  Yearly yearly_;

  const Pathway& pathway_;
  const SimCalendar& calendar_;
  double warmup_days_;
  int month_cursor_ = 0;
  double next_boundary_ = 0.0;  // start of the month after the cursor's (or the horizon)
  std::vector<ServiceRecord> services_;
  std::vector<std::vector<double>> contacts_by_source_;  // [source][month]
  std::uint64_t contacts_after_warmup_ = 0;
  std::vector<std::vector<double>> route_flows_;  // [route][month]
  std::vector<std::uint64_t> route_flows_after_warmup_;
  CaseBalance balance_;
  // Reference model: [count][month] and [count][year].
  std::vector<std::vector<double>> children_monthly_;
  std::vector<std::vector<double>> children_yearly_;
  std::vector<std::vector<double>> contacts_by_need_;  // [level][month]
  std::vector<double> reinvested_;                     // [month]: pounds moved into prevention
  std::vector<std::uint64_t> contacts_by_need_after_warmup_;
  int plan_service_ = -1;
  bool need_enabled_ = false;
};

}  // namespace frontdoor
