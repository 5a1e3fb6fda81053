#include "models/arrivals.hpp"

#include <cmath>
#include <limits>

namespace frontdoor {

ArrivalProcess::ArrivalProcess(const SourceSpec& spec, const SimCalendar& calendar)
    : ArrivalProcess(std::vector<std::pair<double, SourceSpec>>{{0.0, spec}}, calendar) {}

ArrivalProcess::ArrivalProcess(std::vector<std::pair<double, SourceSpec>> segments, const SimCalendar& calendar)
    : segments_(std::move(segments)), spec_(segments_.front().second), calendar_(calendar) {}

const SourceSpec& ArrivalProcess::spec_on_day(int day) const {
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (day >= it->first) return it->second;
  }
  return spec_;
}

double ArrivalProcess::rate_on_day(int day) const {
  const SourceSpec& spec = segments_.size() == 1 ? spec_ : spec_on_day(day);
  if (spec.follows_school_calendar && calendar_.is_school_holiday(day))
    return spec.contacts_per_day * spec.holiday_factor;
  return spec.contacts_per_day;
}

double ArrivalProcess::next_after(double now, RandomStream& stream) {
  constexpr double never = std::numeric_limits<double>::infinity();
  const double horizon = calendar_.horizon_days();
  if (segments_.size() == 1 && spec_.contacts_per_day <= 0.0) return never;
  double remaining = 1.0;  // in units of the integrated rate
  if (spec_.pattern == ArrivalPattern::deterministic) {
    if (segments_.size() == 1 && !spec_.follows_school_calendar) {
      // Computed from the count rather than accumulated, so that arrival k is exactly k / rate.
      const double t = static_cast<double>(emitted_++) / spec_.contacts_per_day;
      return t < horizon ? t : never;
    }
    // A rate that changes: one arrival at the start, then one each time the integrated rate gains 1.
    if (emitted_++ == 0 && rate_on_day(0) > 0.0) return 0.0;
  } else {
    remaining = stream.exponential(1.0);
  }
  if (segments_.size() == 1 && !spec_.follows_school_calendar) {
    const double t = now + remaining / spec_.contacts_per_day;
    return t < horizon ? t : never;
  }
  // Walk day by day through a piecewise-constant rate until the integrated rate reaches the Exp(1) draw.
  double t = now;
  while (t < horizon) {
    const int day = static_cast<int>(std::floor(t));
    const double rate = rate_on_day(day);
    const double day_end = day + 1.0;
    const double mass = rate * (day_end - t);
    if (rate > 0.0 && remaining <= mass) return t + remaining / rate;
    remaining -= mass;
    t = day_end;
  }
  return never;
}

double ArrivalProcess::expected_total() const {
  double total = 0.0;
  for (int day = 0; day < calendar_.horizon_days(); ++day) total += rate_on_day(day);
  return total;
}

}  // namespace frontdoor
