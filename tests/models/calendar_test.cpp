// SimCalendar: months, dates and school holidays.
#include "models/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>

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
  EXPECT_TRUE(c.is_school_holiday(day_of(2024, 8, 1)));    // summer
  EXPECT_TRUE(c.is_school_holiday(day_of(2024, 12, 25)));  // Christmas, before the year end
  EXPECT_TRUE(c.is_school_holiday(day_of(2025, 1, 2)));    // Christmas, after it
  EXPECT_FALSE(c.is_school_holiday(day_of(2025, 1, 6)));   // spring term
  EXPECT_FALSE(c.is_school_holiday(day_of(2024, 10, 1)));  // autumn term
  int holidays = 0;
  for (int d = 0; d < c.horizon_days(); ++d) holidays += c.is_school_holiday(d) ? 1 : 0;
  EXPECT_GE(holidays, 13 * 7 - 3);  // about 13 weeks
  EXPECT_LE(holidays, 13 * 7 + 7);
}

TEST(Calendar, EnglishBankHolidays) {
  // 2024: 1 Jan, Good Friday 29 Mar, Easter Monday 1 Apr, 6 May, 27 May, 26 Aug, 25 and 26 Dec.
  const auto h2024 = english_bank_holidays(2024);
  ASSERT_EQ(h2024.size(), 8u);
  EXPECT_EQ(h2024[1], date(2024, 3, 29));
  EXPECT_EQ(h2024[2], date(2024, 4, 1));
  EXPECT_EQ(h2024[3], date(2024, 5, 6));
  EXPECT_EQ(h2024[4], date(2024, 5, 27));
  EXPECT_EQ(h2024[5], date(2024, 8, 26));
  // 2022: Christmas on a Sunday and Boxing Day on a Monday: the substitute for Christmas is Tuesday 27th.
  const auto h2022 = english_bank_holidays(2022);
  EXPECT_EQ(std::min(h2022[6], h2022[7]), date(2022, 12, 26));
  EXPECT_EQ(std::max(h2022[6], h2022[7]), date(2022, 12, 27));
  // 2021: Christmas on Saturday, Boxing Day on Sunday: Monday 27th and Tuesday 28th. New Year 2022 on Saturday:
  // Monday 3 January.
  const auto h2021 = english_bank_holidays(2021);
  EXPECT_EQ(h2021[6], date(2021, 12, 27));
  EXPECT_EQ(h2021[7], date(2021, 12, 28));
  EXPECT_EQ(h2022[0], date(2022, 1, 3));
  EXPECT_EQ(english_bank_holidays(2025)[1], date(2025, 4, 18));  // Good Friday 2025
}

TEST(Calendar, WorkingDays) {
  // From Monday 1 April 2024 (Easter Monday, a bank holiday).
  const WorkingDays wd(date(2024, 4, 1), 400);
  EXPECT_FALSE(wd.is_working_day(0));
  EXPECT_TRUE(wd.is_working_day(1));
  EXPECT_FALSE(wd.is_working_day(5));       // Saturday 6 April
  EXPECT_DOUBLE_EQ(wd.between(0, 7), 4.0);  // Tue to Fri
  EXPECT_DOUBLE_EQ(wd.between(1.5, 2.0), 0.5);
  EXPECT_DOUBLE_EQ(wd.between(5.0, 7.0), 0.0);  // a weekend
  // 2024-04-01 to 2025-03-31: 365 days, 52 weeks and a day: 261 weekdays less 7 bank holidays inside.
  EXPECT_DOUBLE_EQ(wd.between(0, 365), 261.0 - 7.0 + 0.0);
}
