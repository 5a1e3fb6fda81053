#pragma once
// What a run reports each year, in the shape of the DfE's statistics: each measure of a scenario's [reporting]
// table says how to compute it from what happened in the pathway, so that a council with its own pathway can
// still lay its output beside the published figures (years to 31 March when the run starts on 1 April).
#include <optional>
#include <string>
#include <vector>

#include "models/pathway.hpp"
#include "models/sources.hpp"

namespace frontdoor {

/// One series a measure is built from, written "kind:targets@source" in scenario files:
///   contacts[@source]                       contacts received in the year
///   entries:svc[,svc...]                    cases arriving at the services in the year
///   finished:svc[,svc...]                   cases whose work at the services ended in the year
///   decision:svc.decision[@source]          cases so decided in the year (optionally from one source)
///   flow:route[,route...]                   cases that took the routes in the year
///   open:svc[,svc...]                       cases open (waiting or in progress) at the year's end
///   unallocated:svc[,svc...]                cases waiting (unallocated or queued) at the year's end
///   fte:svc[,svc...]                        mean staff FTE over the year
///   cost[.part][:svc,...]                   cost in pounds over the year (every service without targets); part
///                                           is one of cost_part_names (staff, cover, activity, placements)
///   cost:svc.placement                      the cost of one placement type of a service over the year
///   fgc:svc[,svc...]                        family group conferences held before the services' care decisions
///   turnover:svc[,svc...]                   leavers in the year / mean permanent FTE in post (DfE turnover rate)
///   vacancy:svc[,svc...]                    mean vacant FTE / (mean permanent FTE + vacant FTE) (DfE vacancy rate;
///                                           posts covered by agency staff are vacancies)
///   agency:svc[,svc...]                     mean agency FTE / mean FTE in post (DfE agency rate)
///   caseload:svc[,svc...]                   mean allocated cases / mean case-holding FTE (the team's FTE x its
///                                           case_holding_share; DfE caseload per case-holding social worker)
///   ages:svc.band                           children at the service at the year's end in a DfE age band (under_1,
///                                           1_4, 5_9, 10_15, 16_17; reference model)
///   age_entries:svc.band                    children of that age band arriving at the service in the year
///   stability:svc[,svc...]                  children at the services at the year's end who had 3 or more
///                                           placements in the year (DfE's placement stability measure)
///   children:count                          what happened to children in the year (with a [need] table): one of
///                                           child_count_names (harm, rereferrals, sustained, ...)
struct Selector {
  enum class Kind {
    contacts,
    entries,
    finished,
    decision,
    flow,
    open,
    unallocated,
    fte,
    cost,
    children,
    placement,
    wait,
    fgc,
    turnover,
    vacancy,
    agency,
    caseload,
    ages,
    age_entries,
    stability
  };
  /// The part of a cost selector: everything, or one of its parts (docs/MODEL.md, "Costs").
  enum class CostPart { all, staff, cover, activity, placements };
  Kind kind = Kind::contacts;
  std::vector<int> services;           ///< entries, finished, open, unallocated, fte, wait, cost (empty: every service)
  int service = -1;                    ///< decision
  int decision = -1;                   ///< decision
  int placement = -1;                  ///< placement (with `service`): open cases of that type at the year's end;
                                       ///< cost (with `service`): that type's cost
  CostPart cost_part = CostPart::all;  ///< cost
  std::vector<int> routes;             ///< flow
  std::optional<SourceKind> source;    ///< contacts, decision
  int child_count = -1;                ///< children: index into child_count_names
  int band = -1;                       ///< ages, age_entries (with `service`): the DfE age band
  std::string text;                    ///< as written

  /// True for stocks at the year's end (open, unallocated, fte), false for flows over the year.
  bool is_stock() const {
    return kind == Kind::open || kind == Kind::unallocated || kind == Kind::fte || kind == Kind::placement ||
           kind == Kind::ages || kind == Kind::stability;
  }
  /// True for the kinds a [reporting] measure writes as they are (pounds, days, the workforce's shares and
  /// caseload) rather than per 10,000 children.
  bool is_total() const {
    return kind == Kind::cost || kind == Kind::wait || kind == Kind::turnover || kind == Kind::vacancy ||
           kind == Kind::agency || kind == Kind::caseload;
  }
};

/// The unit a [reporting] measure of one selector of a total kind writes to annual.csv, in the words of
/// calibration/england_targets.csv: "gbp", "days", "share_of_fte_per_year" (turnover), "share_of_establishment"
/// (vacancy), "share_of_fte" (agency), "cases_per_case_holding_fte" (caseload).
const char* total_unit_text(Selector::Kind kind);

/// The parts of a cost ("cost.<part>"), in CostPart's order after `all`: staff (the establishment: permanent and
/// agency staff in post), cover (work beyond the staff in post bought as overtime or agency cover), activity (per
/// case, per week open, professional time outside the team, reviews, family group conferences), placements.
inline constexpr const char* cost_part_names[] = {"staff", "cover", "activity", "placements"};

/// What the reference model counts about children, year by year (selector "children:<name>"):
///   rereferrals           referrals of a child referred in the previous 12 months
///   repeat_plans          child protection plans started for a child who had one before (in the run)
///   plans_ended           child protection plans that ended; plans_ended_after_2y: of those, open 2 years or more
///   harm                  harm events; harm_after_exit: to a child screened out or closed in the previous 12
///                         months and not open since
///   closures              episodes closed after help (counted in the year of closure, if 12 months remain in the run)
///   closures_improved     of those, closed with need lower than when the episode began
///   repeat_contacts       contacts about a child who was the subject of a contact in the previous 12 months
///   chronic_plans         child protection plans started for a child in a family with a persistent risk
///   siblings              brothers and sisters who came into care with a child (need.siblings)
///   unaccompanied         unaccompanied asylum-seeking children who came into care directly (need.unaccompanied)
///   sustained             of closures_improved, not re-referred within 12 months (sustained improvement)
enum class ChildCount {
  rereferrals,
  repeat_plans,
  plans_ended,
  plans_ended_after_2y,
  harm,
  harm_after_exit,
  closures,
  closures_improved,
  repeat_contacts,
  open_case_contacts,  ///< contacts about a child already in the pathway (waiting or allocated), passed to its team
  chronic_plans,       ///< child protection plans started for a child in a chronic family
  siblings,            ///< brothers and sisters who came into care with a child (cases begun without a contact)
  unaccompanied,       ///< unaccompanied asylum-seeking children who came into care directly (need.unaccompanied)
  closures_improved_rereferred
};
inline constexpr int child_count_kinds = 14;  // the last name, "sustained", is computed (improved - rereferred)
inline constexpr const char* child_count_names[] = {
    "rereferrals",   "repeat_plans",      "plans_ended",     "plans_ended_after_2y", "harm",          "harm_after_exit",
    "closures",      "closures_improved", "repeat_contacts", "open_case_contacts",   "chronic_plans", "siblings",
    "unaccompanied", "sustained"};

/// Parses a selector against a pathway; returns an error message, or an empty string when it parsed.
std::string parse_selector(const std::string& text, const Pathway& pathway, Selector& out);

struct ReportMeasure {
  enum class Type {
    rate,       ///< a selector per 10,000 children (a year for flows), plus a count row (models/measures.hpp)
    share,      ///< numerator / denominator
    ratio,      ///< numerator / denominator, unit "ratio"
    median_wd,  ///< median working days from entering a service to the end of its work, over the year
    within_wd,  ///< share of cases whose work at `service` ended within `working_days` of entering it, or of
                ///< entering `from`
    total,      ///< a selector as it is (pounds for cost)
  };
  std::string name;
  Type type = Type::rate;
  Selector numerator;
  Selector denominator;       ///< share, ratio
  std::string unit;           ///< as written to annual.csv
  int service = -1;           ///< median_wd, within_wd: the service whose work ends
  int from = -1;              ///< within_wd: measured from entering this service (-1: from entering `service`)
  double working_days = 0.0;  ///< within_wd
};

}  // namespace frontdoor
