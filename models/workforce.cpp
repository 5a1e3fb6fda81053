#include "models/workforce.hpp"

#include <algorithm>
#include <cmath>

namespace frontdoor {

StaffInPost staff_in_post(const TeamSpec& team, double permanent, double establishment, double bought_fte) {
  const double agency = team.agency_cover * std::max(0.0, establishment - permanent);
  return {permanent + agency + bought_fte, agency};
}

double initial_permanent_staff(const TeamSpec& team) {
  return team.turnover_per_year > 0.0 ? std::round(team.fte * (1.0 - team.equilibrium_vacancy())) : team.fte;
}

WorkforceProcess::WorkforceProcess(const TeamSpec& team, std::vector<StaffChange> establishment_changes)
    : team_(&team),
      changes_(std::move(establishment_changes)),
      establishment_(team.fte),
      permanent_(initial_permanent_staff(team)) {}

WorkforceProcess::Step WorkforceProcess::next(double t, double overload, RandomStream& rng) const {
  constexpr double never = std::numeric_limits<double>::infinity();
  Step step;
  const double vacant = std::max(0.0, establishment_ - permanent_);
  step.leave_rate = permanent_ * team_->turnover_per_year * (1.0 + team_->turnover_pressure * overload) / 365.25;
  const double hire_rate = vacant > 0.0 ? std::max(1.0, vacant) / team_->recruitment_days : 0.0;
  step.total_rate = step.leave_rate + hire_rate;
  const double next_turnover = step.total_rate > 0.0 ? t + rng.exponential(1.0 / step.total_rate) : never;
  const double next_schedule = next_change_ < changes_.size() ? changes_[next_change_].from_day : never;
  if (next_turnover == never && next_schedule == never) return step;
  if (team_->turnover_pressure > 0.0 && std::min(next_turnover, next_schedule) > t + recheck_days) {
    step.kind = Step::Kind::recheck;
    step.at = t + recheck_days;
  } else if (next_schedule <= next_turnover) {
    step.kind = Step::Kind::schedule;
    step.at = next_schedule;
  } else {
    step.kind = Step::Kind::turnover;
    step.at = next_turnover;
  }
  return step;
}

double WorkforceProcess::apply(const Step& step, RandomStream& rng) {
  const double before = permanent_;
  if (step.kind == Step::Kind::schedule) {
    establishment_ = changes_[next_change_++].fte;
    // A cut removes posts at once; without turnover every post is filled.
    permanent_ = team_->turnover_per_year > 0.0 ? std::min(permanent_, establishment_) : establishment_;
  } else if (step.kind == Step::Kind::turnover) {
    const double vacant = std::max(0.0, establishment_ - permanent_);
    if (rng.uniform01() * step.total_rate < step.leave_rate) {
      permanent_ -= 1.0;
    } else {
      permanent_ += std::min(1.0, vacant);
    }
  }
  return std::max(0.0, before - permanent_);
}

}  // namespace frontdoor
