#pragma once
// The catalogue of measures: every name a run writes to timeseries.csv, summary.csv and annual.csv is made here,
// with its unit, and every reader finds a measure through the same functions, never by taking a name apart.
// One name has one unit: a measure that is a monthly count in one file is not a rate in another (hence
// "contacts_per_month" beside the [reporting] table's "contacts", a rate per 10,000 children a year).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/pathway.hpp"
#include "models/reporting.hpp"
#include "models/sources.hpp"

namespace frontdoor {

struct Scenario;

/// What a measure's number is in. Its period comes from the file: a month in timeseries.csv, a year in annual.csv,
/// the years after the warm-up in summary.csv.
enum class Unit {
  count,             ///< events or cases counted over the row's period (a month, a year)
  count_per_year,    ///< events a year, averaged over the years after the warm-up
  cases,             ///< a time-averaged number of cases (waiting, open, placed)
  per_10k,           ///< per 10,000 children, at the year's end (stocks)
  per_10k_per_year,  ///< per 10,000 children a year (flows)
  share,             ///< a fraction, [0, 1]
  ratio,             ///< one quantity over another (cases per FTE, ...)
  days,              ///< calendar days
  working_days,      ///< working days: weekends and English bank holidays excluded
  fte,               ///< full-time-equivalent staff
  pounds,            ///< pounds sterling, in cash (each year's own prices)
  pounds_real,       ///< pounds sterling in the prices of costs.price_year (cash deflated by costs.inflation.prices)
};

/// The unit as written in annual.csv's unit column and in the documentation: "count", "per_10k_per_year",
/// "gbp", ... (one word per unit, never shared).
std::string_view unit_text(Unit unit);
/// The unit written `text`, if it is one of unit_text()'s words. A [reporting] measure may carry its own words
/// ("share_of_referrals", "cases_per_case_holding_fte"), which name no unit here.
std::optional<Unit> unit_from_text(std::string_view text);

/// The output file a measure is written to.
enum class OutputFile { timeseries, summary, annual };
std::string_view output_file_name(OutputFile file);  ///< "timeseries.csv", ...

/// How a measure is made: one kind per name-making function below.
enum class MeasureKind {
  contacts,            ///< contacts from every source
  contacts_by_source,  ///< subject: the source
  contacts_by_need,    ///< subject: the need level, "0" to "4"
  exits,               ///< cases reaching an exit; subject: the exit
  entries,             ///< cases arriving at a service; subject: the service (so for every kind down to placement)
  wait_days_mean,
  wait_days_p90,
  queue_mean,
  open_mean,
  utilisation,       ///< screening queues
  caseload_per_fte,  ///< caseload teams
  staff_fte,
  agency_fte,
  decisions,         ///< subject: the service; detail: the decision
  decision_share,    ///< subject: the service; detail: the decision
  placement_mean,    ///< subject: the service; detail: the placement type
  flow,              ///< cases taking a route; subject: the route
  child_count,       ///< what happened to children (with a [need] table); subject: the count's base name
  reinvested,        ///< pounds moved into prevention
  reported,          ///< a [reporting] measure; subject: its name
  reported_count,    ///< the count beside a [reporting] rate; subject: the rate's name
  reported_real,     ///< a [reporting] cost in real terms beside its cash figure; subject: the cost's name
  reported_to_date,  ///< a whole-council [reporting] cost summed over the measured years to the year's end
};

/// One measure of one output file.
struct Measure {
  std::string name;
  OutputFile file = OutputFile::timeseries;
  MeasureKind kind = MeasureKind::contacts;
  Unit unit = Unit::count;
  std::string subject;  ///< the service, route, source, need level or [reporting] measure it is about
  std::string detail;   ///< the decision or placement type
};

/// The names, one function per kind of measure. "m:" is timeseries.csv (per month), "s:" summary.csv (after the
/// warm-up), "a:" annual.csv (per year).
namespace measure_name {
std::string contacts_per_month();                          ///< m: "contacts_per_month"
std::string contacts_per_year();                           ///< s: "contacts_per_year"
std::string contacts_from(SourceKind source);              ///< m: "contacts_<source>"
std::string contacts_at_need(int level);                   ///< m: "contacts_need_<level>"
std::string contacts_at_need_per_year(int level);          ///< s: "contacts_need_<level>_per_year"
std::string exits(const std::string& exit);                ///< m: "<exit>_exits"
std::string exits_per_year(const std::string& exit);       ///< s: "<exit>_per_year"
std::string entries(const std::string& service);           ///< m: "<id>_entries"
std::string entries_per_year(const std::string& service);  ///< s: "<id>_entries_per_year"
std::string wait_days_mean(const std::string& service);    ///< m, s: "<id>_wait_days_mean"
std::string wait_days_p90(const std::string& service);     ///< s: "<id>_wait_days_p90"
std::string queue_mean(const std::string& service);        ///< m, s: "<id>_queue_mean"
std::string open_mean(const std::string& service);         ///< m, s: "<id>_open_mean"
std::string utilisation(const std::string& service);       ///< m, s: "<id>_utilisation" (screening queues)
std::string caseload_per_fte(const std::string& service);  ///< m, s: "<id>_caseload_per_fte" (caseload teams)
/// m, s: a team's load: utilisation() for a screening queue, caseload_per_fte() for a caseload team.
std::string load(const ServiceSpec& service);
std::string staff_fte(const std::string& service);                                    ///< m: "<id>_staff_fte"
std::string staff_fte_mean(const std::string& service);                               ///< s: "<id>_staff_fte_mean"
std::string agency_fte(const std::string& service);                                   ///< m: "<id>_agency_fte"
std::string agency_fte_mean(const std::string& service);                              ///< s: "<id>_agency_fte_mean"
std::string decisions(const std::string& service, const std::string& decision);       ///< m: "<id>_decision_<d>"
std::string decision_share(const std::string& service, const std::string& decision);  ///< s: "<id>_<d>_share"
std::string placement_mean(const std::string& service,
                           const std::string& placement);  ///< m, s: "<id>_placement_<p>_mean"
std::string flow(const std::string& route);                ///< m: "flow_<route>"
std::string flow_per_year(const std::string& route);       ///< s: "flow_<route>_per_year"
std::string child_count_per_month(ChildCount count);       ///< m: e.g. "harm_events_per_month"
std::string child_count_per_year(ChildCount count);        ///< s: e.g. "harm_events_per_year"
std::string reinvested();                                  ///< m: "reinvested_gbp"
std::string reported_count(const std::string& rate);       ///< a: "<rate>_count", the count beside a rate
std::string reported_real(const std::string& cost);        ///< a: "<cost>_real", a cost in price-year prices
std::string reported_to_date(const std::string& cost);     ///< a: "<cost>_to_date", summed from the warm-up's end
}  // namespace measure_name

/// Whether a [reporting] measure is the whole council's cost (every service, every part), the one whose sum over
/// the measured years annual.csv carries as "<cost>_to_date" (cash) and "<cost>_to_date_real".
bool is_whole_cost(const ReportMeasure& measure);

/// What the reference model's monthly and summary series count about children, in output order: harm,
/// harm_after_exit, rereferrals, repeat_plans, repeat_contacts.
const std::vector<ChildCount>& reported_child_counts();
/// The base name of a reported child count ("harm_events", ...), to which the series add their period.
std::string_view child_count_base_name(ChildCount count);

/// The unit of a [reporting] measure's own row in annual.csv (its count row, if a rate, is Unit::count).
Unit reporting_unit(const ReportMeasure& measure);

/// One name given to two measures.
struct MeasureClash {
  Measure second;       ///< the later of the two in output order (a [reporting] measure's, when one is involved)
  std::string message;  ///< "<name> names two measures: one in timeseries.csv (count), another in annual.csv (...)"
};

/// Every measure a run of a scenario writes, and the way back from a name to its measure.
class MeasureCatalogue {
 public:
  explicit MeasureCatalogue(const Scenario& scenario);

  const std::vector<Measure>& measures() const { return measures_; }
  /// The measure `name` of `file`, or nullptr when a run of this scenario does not write it.
  const Measure* find(std::string_view name, OutputFile file) const;
  /// The measures of `file` of one kind, in output order.
  std::vector<const Measure*> of_kind(MeasureKind kind, OutputFile file) const;
  /// Names that stand for two measures: the same name twice in one file, or with two units in two files (a
  /// [reporting] measure named like a series). Empty for a sound scenario; the loader refuses the others.
  std::vector<MeasureClash> clashes() const;

 private:
  std::vector<Measure> measures_;
};

}  // namespace frontdoor
