#pragma once
// Simulated time is in days (1 simulated second = 1 day). Day 0 starts at the scenario's start date, 00:00.
// The calendar maps days to dates, to calendar months (the unit of the monthly time series) and to school
// holidays (schools refer fewer contacts outside term).
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace frontdoor {

/// A day of the year without the year, as written in scenario files: "MM-DD".
struct MonthDay {
  unsigned month = 1;  ///< 1..12
  unsigned day = 1;    ///< 1..31
  auto operator<=>(const MonthDay&) const = default;
};

/// School holiday from `first` to `last` inclusive. A range may wrap the year end ("12-20" to "01-04").
struct HolidayRange {
  MonthDay first;
  MonthDay last;
  bool contains(MonthDay d) const;
};

/// Parses "MM-DD"; returns false on malformed text or an impossible date (Feb 29 is allowed).
bool parse_month_day(const std::string& text, MonthDay& out);
/// Parses "YYYY-MM-DD"; returns false on malformed text or an impossible date.
bool parse_date(const std::string& text, std::chrono::year_month_day& out);
/// "YYYY-MM-DD".
std::string format_date(std::chrono::year_month_day date);

/// England's usual school holidays, roughly: summer, Christmas, Easter and the three half-terms (13 weeks).
std::vector<HolidayRange> default_school_holidays();

class SimCalendar {
 public:
  /// `years` whole years from `start` (day of month 1..28); `school_holidays` as above.
  SimCalendar(std::chrono::year_month_day start, int years, std::vector<HolidayRange> school_holidays);

  /// Length of the simulation in days (whole years from the start date, so 365 or 366 a year).
  int horizon_days() const { return static_cast<int>(day_is_holiday_.size()); }
  /// Calendar months covered: 12 per year.
  int month_count() const { return static_cast<int>(month_starts_.size()) - 1; }
  /// First day of month `m` (0-based); month_start(month_count()) is the horizon.
  int month_start(int m) const { return month_starts_[m]; }
  /// The month (0-based) containing time `t` (days); the last month for times at or after the horizon.
  int month_containing(double t) const {
    const auto it = std::upper_bound(month_starts_.begin(), month_starts_.end() - 1, t);
    return std::max(0, static_cast<int>(it - month_starts_.begin()) - 1);
  }
  /// Whether schools are on holiday on day `day` (0 <= day < horizon_days()).
  bool is_school_holiday(int day) const { return day_is_holiday_[day] != 0; }
  /// Date of day `day`.
  std::chrono::year_month_day date_of(int day) const;
  std::chrono::year_month_day start() const { return start_; }

 private:
  std::chrono::year_month_day start_;
  std::vector<int> month_starts_;
  std::vector<char> day_is_holiday_;
};

}  // namespace frontdoor

namespace frontdoor {

/// England and Wales bank holidays of `year`: New Year's Day, Good Friday, Easter Monday, the early May, spring
/// and summer bank holidays, Christmas Day and Boxing Day, with the usual substitute days when they fall at a
/// weekend. One-off holidays (coronations, jubilees) are not included.
std::vector<std::chrono::year_month_day> english_bank_holidays(int year);

/// Working days (Monday to Friday, not bank holidays) in England, counted over simulated days from a start date.
class WorkingDays {
 public:
  /// Covers `days` days from `start` (more are computed on demand).
  WorkingDays(std::chrono::year_month_day start, int days);
  /// Working days from the start of day 0 to simulated time `t` (days, fractional): each working day counts
  /// fully once it is over and in proportion while it runs.
  double at(double t) const;
  /// Working days between simulated times `from` and `to`; the statutory timescales (45 working days for an
  /// assessment, 15 from strategy discussion to conference) are measured this way.
  double between(double from, double to) const { return at(to) - at(from); }
  bool is_working_day(int day) const;

 private:
  std::vector<int> cumulative_;  // working days before day d
  std::vector<char> working_;
};

/// The first year after a warm-up of `warmup_days` (years of 365.25 days, counted from 1).
int first_year_after_warmup(double warmup_days);

}  // namespace frontdoor
