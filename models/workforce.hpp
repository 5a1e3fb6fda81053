#pragma once
// A team's staff over time (the workforce process). The establishment (funded posts) follows the team's schedule
// and any [[change]]; with turnover, permanent staff leave and vacancies are filled after a recruitment time, agency
// staff covering part of the gap meanwhile. Leavers and hires are a birth-death process, started at its equilibrium
// vacancy rate. With turnover_pressure, an overworked caseload team loses staff faster; the rate is read afresh at
// least every `recheck_days`, so that it follows the caseload (piecewise constant, which is exact for the
// exponential clocks). Plain C++ with no engine: the staffing actor sleeps until each step's day and applies it.
#include <limits>
#include <vector>

#include "models/pathway.hpp"
#include "models/random.hpp"

namespace frontdoor {

/// Staff on duty: permanent staff, agency cover of part of the vacancies, and staff bought by a reinvestment rule.
struct StaffInPost {
  double fte = 0.0;
  double agency_fte = 0.0;
};
StaffInPost staff_in_post(const TeamSpec& team, double permanent, double establishment, double bought_fte);

/// Permanent staff on the first day: every post filled without turnover (FTE may be fractional), whole workers at
/// the equilibrium vacancy rate with it.
double initial_permanent_staff(const TeamSpec& team);

class WorkforceProcess {
 public:
  static constexpr double recheck_days = 30.0;

  /// What happens next, and when.
  struct Step {
    enum class Kind {
      none,      ///< nothing ever again: no turnover and no scheduled change left
      recheck,   ///< nothing happened by `at`: read the caseload's pressure again
      schedule,  ///< the establishment changes as scheduled
      turnover,  ///< a leaver or a hire (drawn when applied)
    };
    Kind kind = Kind::none;
    double at = std::numeric_limits<double>::infinity();
    double leave_rate = 0.0;  ///< per day, when the step was drawn
    double total_rate = 0.0;  ///< leavers and hires per day, when the step was drawn
  };

  /// `establishment_changes`: the establishment's changes after day 0 in increasing days (each [[change]]'s first
  /// day among them, so that a step falls on it).
  WorkforceProcess(const TeamSpec& team, std::vector<StaffChange> establishment_changes);

  /// From now on, leavers, hires and the caseload's pressure follow `in_force` (the team as a [[change]] has it:
  /// turnover_per_year, turnover_pressure, recruitment_days); it must outlive the process's use of it.
  void follow(const TeamSpec& in_force) { team_ = &in_force; }

  /// The next step after day `t`, for a team whose allocated work exceeds its staff by `overload` (demand / FTE - 1,
  /// at least 0). Draws the time of the next leaver or hire from `rng`.
  Step next(double t, double overload, RandomStream& rng) const;
  /// Applies a schedule or turnover step (a turnover step draws whether it is a leaver or a hire from `rng`).
  /// Returns the permanent FTE that left: a leaver (1), or the staff a cut of the establishment removed.
  double apply(const Step& step, RandomStream& rng);

  double permanent() const { return permanent_; }
  double establishment() const { return establishment_; }

 private:
  const TeamSpec* team_;
  std::vector<StaffChange> changes_;
  std::size_t next_change_ = 0;
  double establishment_;
  double permanent_;
};

}  // namespace frontdoor
