#pragma once
// Arrival times of one referral source: a Poisson process whose rate may follow the school calendar (a
// non-homogeneous Poisson process, simulated exactly by inverting its integrated rate), or evenly spaced
// deterministic arrivals for validation cases.
#include <cstdint>
#include <utility>
#include <vector>

#include "models/calendar.hpp"
#include "models/random.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

class ArrivalProcess {
 public:
  ArrivalProcess(const SourceSpec& spec, const SimCalendar& calendar);
  /// A source whose rate changes over time: `segments` are (from day, spec) pairs, the first from day 0 and the
  /// others on whole days, increasing. Deterministic arrivals take the first segment only.
  ArrivalProcess(std::vector<std::pair<double, SourceSpec>> segments, const SimCalendar& calendar);

  /// Time (days) of the next contact strictly after the previous one, given the current time `now`;
  /// +infinity when no contact arrives before the horizon. Draws one Exp(1) value per call from `stream`
  /// (Poisson only).
  double next_after(double now, RandomStream& stream);

  /// Expected number of contacts over the whole horizon (the integral of the rate).
  double expected_total() const;

 private:
  double rate_on_day(int day) const;

  const SourceSpec& spec_on_day(int day) const;

  std::vector<std::pair<double, SourceSpec>> segments_;
  SourceSpec spec_;  // the first segment
  const SimCalendar& calendar_;
  std::uint64_t emitted_ = 0;  // deterministic pattern only
};

}  // namespace frontdoor
