#pragma once
// The typed, validated description of a scenario. It is built only by load_scenario() (scenario_loader.hpp),
// which checks every value's type and range and the pathway's structure; code downstream may trust it.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/calendar.hpp"
#include "models/pathway.hpp"
#include "models/reporting.hpp"
#include "models/sources.hpp"

namespace frontdoor {

struct SimulationSpec {
  int years = 10;                          ///< simulated years, range [1, 100]
  double warmup_days = 365.0;              ///< excluded from summary statistics, range [0, horizon)
  std::chrono::year_month_day start_date;  ///< day 0; day of month 1..28
};

/// How an override or a [[change]] entry changes a value: sets it, multiplies it or adds to it.
enum class Edit { set, multiply, add };

/// A `--set KEY=VALUE` override (or `KEY*=FACTOR`, `KEY+=AMOUNT`), as the user typed it.
struct Override {
  std::string key;
  std::string value;
  Edit edit = Edit::set;
  /// As typed after --set: "key=value", "key*=value" or "key+=value".
  std::string text() const { return key + (edit == Edit::multiply ? "*=" : edit == Edit::add ? "+=" : "=") + value; }
};

/// One parameter as loaded, for `frontdoor validate` and the documentation.
struct ParameterRecord {
  std::string key;    ///< dotted path, e.g. "service.front_door.team.fte"
  std::string value;  ///< as loaded
  std::string unit;
  std::string range;   ///< valid range, e.g. "[1, 10000]"
  std::string origin;  ///< "file:line", "--set ..." or "default"
};

struct Scenario;

/// A reinvestment rule ([reinvestment]): at the end of each year from `from_year`, a share of what the
/// late-intervention services cost less than in a counterfactual run (the scenario `against`, run on the same seed:
/// common random numbers) is spent on more staff for a prevention team in the following year. A scenario run
/// against itself saves exactly nothing.
struct ReinvestmentSpec {
  double share = 0.0;      ///< of each pound saved, [0, 1]; 0: no rule
  std::vector<int> watch;  ///< late-intervention services whose cost is watched
  int into = -1;           ///< the prevention caseload team that gets the money
  int from_year = 0;       ///< first year whose savings count, [1, years]
  std::string where;       ///< "file:line"
  std::string against;     ///< the counterfactual's file as written (relative to the file that names it)
  /// The counterfactual as one flattened TOML text (its base and includes merged, its own [reinvestment] left out,
  /// this scenario's [simulation] applied); a run's scenario.toml carries it as `counterfactual`.
  std::string counterfactual_toml;
  /// With share > 0: the counterfactual, loaded from counterfactual_toml, and the watched services' indices in its
  /// pathway (the same services by id).
  std::shared_ptr<const Scenario> counterfactual;
  std::vector<int> counterfactual_watch;
};

/// A change of policy or demand from a given day: the scenario as it stands from then on (cumulative with the
/// earlier changes). Declared as [[change]] tables; only rates, staffing, caseload caps, durations, decision
/// shares and route probabilities may change, never the pathway's shape, the costs or the reporting.
struct ScenarioChange {
  double from_day = 0.0;  ///< a whole day, after day 0
  std::string label;
  std::shared_ptr<const Scenario> scenario;
};

struct Scenario {
  std::string name;
  std::string version;
  std::string description;
  std::string file;                          ///< path as given
  std::uint64_t file_hash = 0;               ///< FNV-1a 64 of the file's bytes and of every included file's
  std::vector<std::string> includes;         ///< included files, in the order they were merged
  int children = 100000;                     ///< children aged 0-17 in the council area, range [1000, 20000000]
  AgeBands age_shares = england_age_shares;  ///< its children by DfE age band (population.age_shares)
  SimulationSpec simulation;
  std::vector<HolidayRange> school_holidays;
  std::vector<SourceSpec> sources;  ///< only sources declared, in all_sources order
  Pathway pathway;
  NeedSpec need;                ///< children and latent need ([need]); without it, decisions are fixed shares
  double agency_premium = 0.0;  ///< extra cost of an agency worker over a permanent one, as a share, [0, 5]
  /// Costs are written in the prices of `price_year`; each run year is priced by its own inflation index from there
  /// ([costs.inflation]: pay for staff, cover and activities, placements for placements, prices to deflate).
  struct Inflation {
    int price_year = 0;                                ///< 0: the year of simulation.start_date
    double pay = 0.0, placements = 0.0, prices = 0.0;  ///< a year
    /// Factors of run year `year` (0 = the first), which starts in calendar year `start_year`.
    double factor(double rate, int start_year, int year) const {
      return std::pow(1.0 + rate, (start_year + year) - (price_year > 0 ? price_year : start_year));
    }
  } inflation;
  double hourly_rate = 0.0;  ///< pounds an hour of professional time from outside a team (activity costs)
  /// Share of the work a caseload team's cases ask beyond its staff in post that is bought as overtime or agency
  /// cover, at the team's cost per FTE with the agency premium; a cost only (pace is not changed). [0, 1]
  double overload_cover = 0.0;
  ReinvestmentSpec reinvestment;
  std::vector<ReportMeasure> reporting;  ///< the yearly measures of annual.csv, in declaration order
  std::vector<Override> overrides;
  std::vector<ParameterRecord> parameters;
  /// Per-child values scaled from the children they were written for to `children` (population.scale), as
  /// "key: from -> to (file:line)"; `scaled_from` the children of the first (0: none scaled).
  std::vector<std::string> scaled;
  int scaled_from = 0;
  std::vector<ScenarioChange> changes;  ///< in increasing from_day

  /// The scenario in force at time `day`: this one, or the last change that has started.
  const Scenario& at(double day) const {
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
      if (day >= it->from_day) return *it->scenario;
    }
    return *this;
  }

  SimCalendar make_calendar() const { return SimCalendar(simulation.start_date, simulation.years, school_holidays); }

  /// The days on which children's rates change other than through their own path: each change's first day, and,
  /// while a notice boost fades (NeedSpec::notice_fading), the first day of every month, on which the fading rates
  /// are taken afresh (they are held for the month: a month of a drift with a half-life of a year or more moves
  /// them by at most 6%). In increasing order, after day 0 and before the horizon.
  std::vector<double> rate_change_days(const SimCalendar& calendar) const;
};

/// FNV-1a 64-bit hash of a byte string, continuing from `hash`.
std::uint64_t fnv1a64(const std::string& bytes, std::uint64_t hash = 0xcbf29ce484222325ULL);

}  // namespace frontdoor
