// ArrivalProcess: Poisson counts match the integrated rate, holidays lower school contacts, deterministic
// arrivals are exact.
#include "models/arrivals.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace frontdoor;
namespace chr = std::chrono;

namespace {
const SimCalendar& calendar() {
  static const SimCalendar c(chr::year_month_day{chr::year{2024}, chr::month{4}, chr::day{1}}, 10,
                             default_school_holidays());
  return c;
}

int count_arrivals(const SourceSpec& spec, std::uint64_t seed, std::vector<int>* per_day = nullptr) {
  ArrivalProcess process(spec, calendar());
  RandomStream stream(seed);
  int n = 0;
  double previous = 0.0;
  for (double t = process.next_after(0.0, stream); std::isfinite(t); t = process.next_after(t, stream)) {
    EXPECT_GE(t, previous);
    previous = t;
    if (per_day != nullptr) (*per_day)[static_cast<int>(t)] += 1;
    ++n;
  }
  return n;
}
}  // namespace

TEST(Arrivals, PoissonCountMatchesRate) {
  SourceSpec spec;
  spec.contacts_per_day = 20.0;
  const double expected = 20.0 * calendar().horizon_days();
  // Poisson: sd = sqrt(mean) = 270; allow 5 sd.
  EXPECT_NEAR(count_arrivals(spec, 1), expected, 5 * std::sqrt(expected));
  ArrivalProcess process(spec, calendar());
  EXPECT_DOUBLE_EQ(process.expected_total(), expected);
}

TEST(Arrivals, SchoolHolidaysLowerTheRate) {
  SourceSpec spec;
  spec.kind = SourceKind::schools;
  spec.contacts_per_day = 15.0;
  spec.follows_school_calendar = true;
  spec.holiday_factor = 0.3;
  std::vector<int> per_day(calendar().horizon_days(), 0);
  const int total = count_arrivals(spec, 2, &per_day);
  double term = 0, holiday = 0, term_days = 0, holiday_days = 0;
  for (int d = 0; d < calendar().horizon_days(); ++d) {
    if (calendar().is_school_holiday(d)) {
      holiday += per_day[d];
      ++holiday_days;
    } else {
      term += per_day[d];
      ++term_days;
    }
  }
  EXPECT_NEAR(term / term_days, 15.0, 5 * std::sqrt(15.0 / term_days));
  EXPECT_NEAR(holiday / holiday_days, 4.5, 5 * std::sqrt(4.5 / holiday_days));
  const double expected = ArrivalProcess(spec, calendar()).expected_total();
  EXPECT_NEAR(total, expected, 5 * std::sqrt(expected));
}

TEST(Arrivals, DeterministicArrivalsAreExact) {
  SourceSpec spec;
  spec.contacts_per_day = 10.0;
  spec.pattern = ArrivalPattern::deterministic;
  ArrivalProcess process(spec, calendar());
  RandomStream stream(3);
  EXPECT_EQ(process.next_after(0.0, stream), 0.0);
  EXPECT_EQ(process.next_after(0.0, stream), 0.1);
  EXPECT_EQ(process.next_after(0.1, stream), 0.2);
  EXPECT_EQ(count_arrivals(spec, 3), 10 * calendar().horizon_days());
}

TEST(Arrivals, SilentSourceNeverArrives) {
  SourceSpec spec;
  spec.contacts_per_day = 0.0;
  ArrivalProcess process(spec, calendar());
  RandomStream stream(4);
  EXPECT_EQ(process.next_after(0.0, stream), std::numeric_limits<double>::infinity());
}
