#pragma once
// The pathway: services (vertices) and the routes between them (edges), held as a Boost.Graph adjacency_list.
// A scenario declares it as data ([service.<id>] and [route.<id>] tables, usually in a shared pathway file), so
// that a council's own front door, early-help hub or family-safeguarding model needs no code change.
#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/ages.hpp"
#include "models/distribution.hpp"
#include "models/need.hpp"
#include "models/sources.hpp"

namespace frontdoor {

enum class ServiceKind {
  screening_queue,  ///< served first come, first served by whole screeners, one item each at a time
  caseload_team,    ///< holds cases: workers share their time among allocated cases, up to a caseload cap
  decision_point,   ///< routes at once, or after a delay (a conference date, say), without a team
  exit,             ///< the child leaves the pathway here
};
const char* kind_name(ServiceKind kind);

/// From day `from_day`, the team has `fte` (until the next change).
struct StaffChange {
  double from_day = 0.0;  ///< days from the start
  double fte = 0.0;       ///< FTE; whole screeners for a screening queue
};

struct TeamSpec {
  double fte = 0.0;                   ///< FTE at day 0: screeners (whole) or social workers, range (0, 10000]
  double caseload_cap = 0.0;          ///< cases per FTE before new cases wait unallocated; 0 = no cap
  std::vector<StaffChange> schedule;  ///< later changes, increasing days
  // Workforce. `fte` (and the schedule) is the establishment: funded posts. Permanent staff leave at
  // `turnover_per_year`; each vacancy takes `recruitment_days` on average to fill; meanwhile agency staff cover
  // `agency_cover` of the vacant FTE, at the agency premium. Without turnover the team is always at establishment.
  double turnover_per_year = 0.0;  ///< share of permanent staff leaving a year, [0, 5]
  double recruitment_days = 90.0;  ///< mean days to fill a vacancy, (0, 3650]
  double agency_cover = 0.0;       ///< share of vacant FTE covered by agency staff, [0, 1]
  /// Caseload teams: overwork drives staff out. Leavers come at turnover x (1 + pressure x overload), where
  /// overload is how far the team's allocated work exceeds its staff (demand / FTE - 1, at least 0). [0, 20]
  double turnover_pressure = 0.0;
  double budget_gbp = 0.0;  ///< caseload teams: a budget in pounds a year that sets `fte` (0: `fte` as given)
  /// Caseload teams: every case is allocated at once, beyond the caseload cap (a statutory duty: section 47,
  /// child protection, looked after); workers' caseloads rise instead of cases waiting.
  bool always_allocate = false;
  /// Caseload teams: the share of the team's FTE in case-holding roles (managers and senior practitioners hold
  /// none), for the DfE's caseload per case-holding social worker; it changes nothing else. (0, 1]
  double case_holding_share = 1.0;

  /// Vacant share of the establishment at equilibrium: turnover x recruitment time / (1 + the same).
  double equilibrium_vacancy() const {
    const double tr = turnover_per_year * recruitment_days / 365.25;
    return tr / (1.0 + tr);
  }

  /// FTE on duty at time `day`.
  double fte_at(double day) const;
  /// Largest FTE ever on duty.
  double max_fte() const;
};

/// One outcome a service decides, with its share of cases (the shares of a service sum to 1).
struct DecisionShare {
  std::string name;
  double share = 0.0;
};

/// What a service costs, in pounds (docs/MODEL.md, "Costs"). Its own staff are the establishment (per_fte_year);
/// the activity costs are what its cases cost besides them.
struct CostSpec {
  double per_fte_year = 0.0;   ///< a permanent worker's employed cost a year (an agency worker costs more)
  double per_case = 0.0;       ///< per case started (an early-help package, say)
  double per_week_open = 0.0;  ///< per case per week open (a placement, say)
  /// Professional hours per case started from outside the service's own team (a conference chair and minute-taker,
  /// partner agencies' time), at [costs] hourly_rate.
  double hours_per_case = 0.0;
  /// A review of every open case each `review_every_days` on average (0: none), taking `review_hours` of
  /// professional time from outside the team (an independent chair, partner agencies), at [costs] hourly_rate.
  double review_every_days = 0.0;
  double review_hours = 0.0;
};

/// A kind of placement of a caseload team's cases (looked after: foster care, residential, ...), drawn when a
/// case is allocated, with its own weekly cost.
struct PlacementSpec {
  std::string name;
  double share = 0.0;     ///< of the cases allocated, (0, 1]; the shares sum to 1
  double per_week = 0.0;  ///< pounds a week while the case is allocated
  /// Reference model: the share by the child's DfE age band instead (each band's shares sum to 1), when given.
  std::optional<AgeBands> by_age;
  double moves_per_year = 0.0;  ///< a child in this placement moves to another at this rate, [0, 50]
};

/// One way out of care (reference model): a hazard by the child's age band, zero before `not_before_days` in
/// care (an adoption order takes time), and `first_year_factor` times as high in the first year (most children who
/// go home go early). A child's career in care is drawn from these competing hazards as it ages.
struct CareExitSpec {
  int decision = -1;  ///< the service's decision this exit takes
  AgeBands per_year{};
  double not_before_days = 0.0;
  double first_year_factor = 1.0;
};

struct ServiceSpec {
  std::string id;     ///< key of [service.<id>], used in routes and output measure names
  std::string label;  ///< a name for people ("Child and family assessment")
  ServiceKind kind = ServiceKind::exit;
  bool entry = false;  ///< contacts from the referral sources arrive here
  TeamSpec team;
  Distribution work = Distribution::fixed(0.0);      ///< screening: days per item; caseload: worker-days per case
  Distribution duration = Distribution::fixed(0.0);  ///< caseload team: days a case stays open with full attention
  std::optional<Distribution> delay;                 ///< decision point: days before it decides (none: at once)
  std::vector<DecisionShare> decisions;              ///< empty: the routes' probabilities decide alone
  CostSpec cost;
  // The reference model (with a [need] table): decisions on observed need, help given, family group conferences.
  NeedRule need_rule;  ///< active when the service declares `thresholds`
  HelpSpec help;       ///< caseload teams: what allocation does to the child's need and harm
  int fgc_from = -1;   ///< decision a family group conference can turn into `fgc_to` (care, say); -1: none
  int fgc_to = -1;
  bool child_leaves = false;  ///< exits: the child leaves the council's population (moves away, turns 18)
  /// Caseload teams (reference model): children already allocated when the simulation starts, at need level
  /// `initial_need`, each with a share of its duration still to run (the council's caseload on the first day).
  int initial_cases = 0;
  int initial_need = 0;
  std::vector<PlacementSpec> placements;  ///< caseload teams: placement types (empty: none)
  /// Caseload teams (reference model): how children leave, when given (else `duration` and the decisions' shares).
  std::vector<CareExitSpec> care_exits;
  /// Caseload teams (reference model): the decision taken at once when a child allocated here turns 18 (-1: none;
  /// the child stays to the end of its case and then leaves).
  int leave_at_18 = -1;
  /// The starting caseload's ages by DfE band (none: the population's).
  std::optional<AgeBands> initial_by_age;
  std::string where;  ///< "file:line" of its declaration

  /// True when a case can pass through in zero time (for the zero-time-cycle check).
  bool can_take_zero_time() const;
  /// What one more FTE costs a year: employment, plus the per-case cost of the cases a full caseload starts in a
  /// year (for budgets in pounds). 0 when the service has no costs.
  double cost_per_fte_year() const;
};

struct RouteSpec {
  std::string id;                   ///< key of [route.<id>]
  std::string from;                 ///< service id
  std::string to;                   ///< service id
  std::string when;                 ///< decision at `from` this route applies to; empty: every decision
  std::vector<SourceKind> sources;  ///< only cases from these referral sources; empty: every source
  double probability = 1.0;         ///< share of the applicable cases that take this route, (0, 1]
  std::string where;                ///< "file:line"

  /// The rule in words, for DOT labels ("referral, police, p=0.15").
  std::string rule_text() const;
};

struct PathwayVertex {
  int service = 0;
};
struct PathwayEdge {
  int route = 0;
};
using PathwayGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, PathwayVertex, PathwayEdge>;

class Pathway {
 public:
  Pathway() = default;
  /// Builds the graph. Routes naming unknown services are left out of the graph (validate() reports them).
  Pathway(std::vector<ServiceSpec> services, std::vector<RouteSpec> routes);

  const std::vector<ServiceSpec>& services() const { return services_; }
  const std::vector<RouteSpec>& routes() const { return routes_; }
  const PathwayGraph& graph() const { return graph_; }
  /// Index of the service with this id, or -1.
  int find(const std::string& id) const;
  /// Index of the entry service, or -1 when there is none (or several).
  int entry() const { return entry_; }
  /// Indices of the routes out of service `s`, in declaration order.
  const std::vector<int>& routes_from(int s) const { return routes_from_[s]; }
  /// Index in `services()` of the target of route `r` (-1 if unknown).
  int route_target(int r) const { return route_to_[r]; }

  /// Every problem in the pathway, each starting with "file:line: ": unknown services in routes, no single
  /// entry, unreachable services, services from which no exit can be reached, probabilities that do not sum to
  /// 1 or leave a case uncovered, decisions without routes, routes on unknown decisions, and cycles that can be
  /// travelled in zero time. Empty when the pathway is valid.
  std::vector<std::string> validate() const;

 private:
  std::vector<ServiceSpec> services_;
  std::vector<RouteSpec> routes_;
  PathwayGraph graph_;
  std::map<std::string, int> index_;
  std::vector<std::vector<int>> routes_from_;
  std::vector<int> route_to_;
  int entry_ = -1;
};

/// Expected cases a day arriving at each service (exits included), from the traffic equations
/// lambda = gamma + lambda P, solved once per referral source because routes may depend on the source.
/// `contacts_per_day[s]` is the mean daily rate of source s into the entry. Services a case can never leave give
/// infinite rates; an invalid pathway gives an empty result.
std::vector<double> expected_arrival_rates(const Pathway& pathway, const std::array<double, 6>& contacts_per_day);

/// What a finished run observed, to annotate a drawing: per route, flow per year; per service, mean open cases
/// and mean waiting list.
struct PathwayObservations {
  std::map<std::string, double> route_flow_per_year;
  std::map<std::string, double> service_open_mean;
  std::map<std::string, double> service_waiting_mean;
};

/// The pathway in Graphviz DOT (through boost::write_graphviz), labelled with services, teams, FTE and route
/// rules, and with observed flows when `observed` is given.
std::string pathway_dot(const Pathway& pathway, const PathwayObservations* observed = nullptr);

}  // namespace frontdoor
