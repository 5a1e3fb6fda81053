#include "models/calendar.hpp"

#include <algorithm>
#include <cmath>
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

chr::year_month_day SimCalendar::date_of(int day) const {
  return chr::year_month_day{chr::sys_days{start_} + chr::days{day}};
}

namespace {

// Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus).
chr::year_month_day easter_sunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
  return {chr::year{year}, chr::month{static_cast<unsigned>(month)}, chr::day{static_cast<unsigned>(day)}};
}

chr::sys_days nth_weekday(int year, unsigned month, chr::weekday wd, int n) {
  if (n > 0) return chr::sys_days{chr::year{year} / chr::month{month} / wd[static_cast<unsigned>(n)]};
  return chr::sys_days{chr::year{year} / chr::month{month} / wd[chr::last]};
}

bool weekend(chr::sys_days d) {
  const chr::weekday wd{d};
  return wd == chr::Saturday || wd == chr::Sunday;
}

}  // namespace

std::vector<chr::year_month_day> english_bank_holidays(int year) {
  std::vector<chr::sys_days> days;
  // New Year's Day, moved to Monday from a weekend.
  chr::sys_days new_year{chr::year{year} / chr::January / 1};
  while (weekend(new_year)) new_year += chr::days{1};
  days.push_back(new_year);
  const chr::sys_days easter{easter_sunday(year)};
  days.push_back(easter - chr::days{2});
  days.push_back(easter + chr::days{1});
  days.push_back(nth_weekday(year, 5, chr::Monday, 1));
  days.push_back(nth_weekday(year, 5, chr::Monday, -1));
  days.push_back(nth_weekday(year, 8, chr::Monday, -1));
  // Christmas and Boxing Day; a holiday at a weekend moves to the next free weekday.
  chr::sys_days christmas{chr::year{year} / chr::December / 25};
  chr::sys_days boxing = christmas + chr::days{1};
  while (weekend(christmas)) christmas += chr::days{1};
  if (boxing <= christmas) boxing = christmas + chr::days{1};
  while (weekend(boxing)) boxing += chr::days{1};
  days.push_back(christmas);
  days.push_back(boxing);
  std::vector<chr::year_month_day> result;
  for (auto d : days) result.emplace_back(d);
  return result;
}

WorkingDays::WorkingDays(chr::year_month_day start, int days) {
  const chr::sys_days first{start};
  std::vector<chr::sys_days> holidays;
  const int first_year = static_cast<int>(start.year());
  for (int y = first_year; y <= first_year + days / 365 + 1; ++y) {
    for (auto h : english_bank_holidays(y)) holidays.emplace_back(h);
  }
  cumulative_.push_back(0);
  for (int d = 0; d < days; ++d) {
    const chr::sys_days date = first + chr::days{d};
    const bool works = !weekend(date) && std::find(holidays.begin(), holidays.end(), date) == holidays.end();
    working_.push_back(works ? 1 : 0);
    cumulative_.push_back(cumulative_.back() + (works ? 1 : 0));
  }
}

bool WorkingDays::is_working_day(int day) const {
  return day >= 0 && day < static_cast<int>(working_.size()) && working_[day];
}

double WorkingDays::at(double t) const {
  if (t <= 0.0) return 0.0;
  const int last = static_cast<int>(working_.size());
  if (t >= last) return cumulative_.back() + (t - last) * 5.0 / 7.0;  // beyond the table: the average week
  const int day = static_cast<int>(t);
  return cumulative_[day] + (working_[day] ? t - day : 0.0);
}

int first_year_after_warmup(double warmup_days) { return static_cast<int>(std::ceil(warmup_days / 365.25 - 1e-9)) + 1; }

}  // namespace frontdoor
