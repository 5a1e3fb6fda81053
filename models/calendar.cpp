#include "models/calendar.hpp"

#include <cstdio>

namespace frontdoor {

namespace chr = std::chrono;

bool HolidayRange::contains(MonthDay d) const {
  if (first <= last) return first <= d && d <= last;
  return d >= first || d <= last;  // wraps the year end
}

bool parse_month_day(const std::string& text, MonthDay& out) {
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 5 || std::sscanf(text.c_str(), "%2u-%2u%c", &m, &d, &tail) != 2) return false;
  // Check against a leap year so that 02-29 is accepted.
  if (!chr::year_month_day{chr::year{2024}, chr::month{m}, chr::day{d}}.ok()) return false;
  out = MonthDay{m, d};
  return true;
}

bool parse_date(const std::string& text, chr::year_month_day& out) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return false;
  const chr::year_month_day date{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!date.ok()) return false;
  out = date;
  return true;
}

std::string format_date(chr::year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::vector<HolidayRange> default_school_holidays() {
  return {
      {{10, 26}, {11, 1}},  // autumn half-term
      {{12, 21}, {1, 4}},   // Christmas
      {{2, 15}, {2, 21}},   // February half-term
      {{3, 29}, {4, 12}},   // Easter
      {{5, 24}, {5, 31}},   // May half-term
      {{7, 23}, {8, 31}},   // summer
  };
}

SimCalendar::SimCalendar(chr::year_month_day start, int years, std::vector<HolidayRange> school_holidays)
    : start_(start) {
  const chr::sys_days first{start};
  for (int m = 0; m <= 12 * years; ++m) {
    const chr::sys_days month_first{start + chr::months{m}};
    month_starts_.push_back(static_cast<int>((month_first - first).count()));
  }
  day_is_holiday_.resize(month_starts_.back(), 0);
  for (int day = 0; day < horizon_days(); ++day) {
    const chr::year_month_day date{first + chr::days{day}};
    const MonthDay md{static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day())};
    for (const auto& range : school_holidays) {
      if (range.contains(md)) {
        day_is_holiday_[day] = 1;
        break;
      }
    }
  }
}

chr::year_month_day SimCalendar::date_of(int day) const { return chr::year_month_day{chr::sys_days{start_} + chr::days{day}}; }

}  // namespace frontdoor
