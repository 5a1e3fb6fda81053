// SimCalendar: months, dates and school holidays.
#include "models/calendar.hpp"

#include <gtest/gtest.h>

using namespace frontdoor;
namespace chr = std::chrono;

namespace {
chr::year_month_day date(int y, unsigned m, unsigned d) { return {chr::year{y}, chr::month{m}, chr::day{d}}; }
}  // namespace

TEST(Calendar, ParsesDates) {
  chr::year_month_day d;
  EXPECT_TRUE(parse_date("2024-04-01", d));
  EXPECT_EQ(d, date(2024, 4, 1));
  EXPECT_FALSE(parse_date("2024-02-30", d));
  EXPECT_FALSE(parse_date("2024-4-1", d));
  EXPECT_FALSE(parse_date("2024-04-01x", d));
  MonthDay md;
  EXPECT_TRUE(parse_month_day("02-29", md));
  EXPECT_FALSE(parse_month_day("13-01", md));
  EXPECT_FALSE(parse_month_day("1-1", md));
  EXPECT_EQ(format_date(date(2025, 3, 31)), "2025-03-31");
}

TEST(Calendar, YearsAndMonthsFollowTheRealCalendar) {
  const SimCalendar c(date(2024, 4, 1), 2, {});
  EXPECT_EQ(c.horizon_days(), 365 + 365);  // 2024-04-01 to 2026-04-01 (no 29 February inside)
  EXPECT_EQ(c.month_count(), 24);
  EXPECT_EQ(c.month_start(0), 0);
  EXPECT_EQ(c.month_start(1), 30);  // April has 30 days
  EXPECT_EQ(c.month_start(2), 61);  // May 31
  EXPECT_EQ(c.date_of(c.month_start(12)), date(2025, 4, 1));
  const SimCalendar leap(date(2023, 4, 1), 1, {});
  EXPECT_EQ(leap.horizon_days(), 366);  // contains 29 February 2024
}

TEST(Calendar, SchoolHolidaysIncludingRangesAcrossTheYearEnd) {
  const SimCalendar c(date(2024, 4, 1), 1, default_school_holidays());
  auto day_of = [&](int y, unsigned m, unsigned d) {
    return static_cast<int>((chr::sys_days{date(y, m, d)} - chr::sys_days{date(2024, 4, 1)}).count());
  };
  EXPECT_TRUE(c.is_school_holiday(day_of(2024, 8, 1)));     // summer
  EXPECT_TRUE(c.is_school_holiday(day_of(2024, 12, 25)));   // Christmas, before the year end
  EXPECT_TRUE(c.is_school_holiday(day_of(2025, 1, 2)));     // Christmas, after it
  EXPECT_FALSE(c.is_school_holiday(day_of(2025, 1, 6)));    // spring term
  EXPECT_FALSE(c.is_school_holiday(day_of(2024, 10, 1)));   // autumn term
  int holidays = 0;
  for (int d = 0; d < c.horizon_days(); ++d) holidays += c.is_school_holiday(d) ? 1 : 0;
  EXPECT_GE(holidays, 13 * 7 - 3);  // about 13 weeks
  EXPECT_LE(holidays, 13 * 7 + 7);
}
