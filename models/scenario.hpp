#pragma once
// The typed, validated description of a scenario. It is built only by load_scenario() (scenario_loader.hpp),
// which checks every value's type and range; code downstream may trust it.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "models/calendar.hpp"
#include "models/distribution.hpp"
#include "models/random.hpp"

namespace frontdoor {

/// The agencies that make contacts, in the order of the DfE's referral-source categories.
enum class SourceKind { police, schools, health, local_authority, individuals, other };
inline constexpr std::array<SourceKind, 6> all_sources{SourceKind::police,          SourceKind::schools,
                                                        SourceKind::health,          SourceKind::local_authority,
                                                        SourceKind::individuals,     SourceKind::other};
/// Scenario-file name of a source ("police", "schools", "health", "local_authority", "individuals", "other").
const char* source_name(SourceKind kind);
/// The random stream that drives this source's arrivals.
StreamPurpose arrival_stream(SourceKind kind);

enum class ArrivalPattern {
  poisson,        ///< a Poisson process (non-homogeneous when a calendar applies)
  deterministic,  ///< evenly spaced, first contact at day 0 (for exact validation cases such as D/D/1)
};

/// One referral source.
struct SourceSpec {
  SourceKind kind = SourceKind::other;
  double contacts_per_day = 0.0;   ///< contacts a day in term time, range [0, 100000]
  ArrivalPattern pattern = ArrivalPattern::poisson;
  bool follows_school_calendar = false;  ///< rate is multiplied by holiday_factor on school holidays
  double holiday_factor = 1.0;           ///< range [0, 1]
};

/// From day `from_day` on, the front door has `screeners` screeners (until the next change).
struct ScreenerChange {
  double from_day = 0.0;  ///< days from the start, range [0, horizon)
  int screeners = 1;      ///< range [0, 10000]
};

/// Shares of screened contacts by outcome; they sum to 1 within 1e-9.
struct DecisionShares {
  double no_further_action = 0.0;
  double early_help = 0.0;
  double referral = 0.0;
};

enum class Decision { no_further_action, early_help, referral };
inline constexpr std::array<Decision, 3> all_decisions{Decision::no_further_action, Decision::early_help,
                                                       Decision::referral};
const char* decision_name(Decision decision);

/// The multi-agency front door: a queue served first come, first served by screeners, one contact each at a time.
struct FrontDoorSpec {
  int screeners = 1;                     ///< screeners (whole FTE) at day 0, range [1, 10000]
  std::vector<ScreenerChange> schedule;  ///< later changes, sorted by from_day
  Distribution screening_time = Distribution::exponential(0.1);  ///< days of screening per contact
  DecisionShares decision;

  /// Screeners on duty at time `day`.
  int screeners_at(double day) const;
  /// Largest number of screeners ever on duty.
  int max_screeners() const;
};

struct SimulationSpec {
  int years = 10;                          ///< simulated years, range [1, 100]
  double warmup_days = 365.0;              ///< excluded from summary statistics, range [0, horizon)
  std::chrono::year_month_day start_date;  ///< day 0; day of month 1..28
};

/// A `--set KEY=VALUE` override, as the user typed it.
struct Override {
  std::string key;
  std::string value;
};

/// One parameter as loaded, for `frontdoor validate` and the documentation.
struct ParameterRecord {
  std::string key;    ///< dotted path, e.g. "front_door.screeners"
  std::string value;  ///< as loaded
  std::string unit;
  std::string range;       ///< valid range, e.g. "[1, 10000]"
  std::string origin;      ///< "file:line", "--set" or "default"
};

struct Scenario {
  std::string name;
  std::string version;
  std::string description;
  std::string file;            ///< path as given
  std::uint64_t file_hash = 0;  ///< FNV-1a 64 of the file's bytes
  int children = 100000;        ///< children aged 0-17 in the council area, range [1000, 20000000]
  SimulationSpec simulation;
  std::vector<HolidayRange> school_holidays;
  std::vector<SourceSpec> sources;  ///< only sources declared in the file, in all_sources order
  FrontDoorSpec front_door;
  std::vector<Override> overrides;
  std::vector<ParameterRecord> parameters;

  SimCalendar make_calendar() const { return SimCalendar(simulation.start_date, simulation.years, school_holidays); }
};

/// FNV-1a 64-bit hash of a byte string.
std::uint64_t fnv1a64(const std::string& bytes);

}  // namespace frontdoor
