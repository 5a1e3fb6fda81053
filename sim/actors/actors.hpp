#pragma once
// The engine's actors, one kind per file. Every service with a team is one or more long-lived actors, and cases
// are data handed between them; no actor is ever created per case.
// - arrivals.cpp: one actor per referral source (without a [need] table), drawing contacts from its process.
// - population.cpp: every child's need, contacts and harm (with a [need] table), run in the engine's timers rather
//   than an actor (Context::PopulationTimer), and the bookkeeping of a child's path (contacts, re-referrals, plans,
//   closures).
// - screening.cpp: one actor per screener of a screening queue.
// - caseload_team.cpp: one actor per caseload team, on the team's caseload clock (models/caseload_clock).
// - decision_timer.cpp: one actor per decision point with a delay.
// - staffing.cpp: one actor per team with a schedule or turnover (models/workforce), and set_staff().
// - reinvestment.cpp: the reinvestment rule's yearly actor, in the paired run and in its counterfactual.
// The horizon actor, the only one that is not a daemon, is made in pathway_sim.cpp.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/context.hpp"

namespace frontdoor::engine {

// arrivals.cpp
/// Contacts from one source: `segments` are its specification from each day on (the scenario, then each change).
void run_arrivals(Context& ctx, const std::vector<std::pair<double, SourceSpec>>& segments);

// population.cpp
/// The children on the first day, and the population's first timer.
void start_population(Context& ctx);
/// The population's timer went off: every child and pool event due now, then the timer for the next.
void population_step(Context& ctx);
/// A child's case, begun by a contact from `source`, reached service `s`: re-referrals, repeat plans, the stock
/// by age, the child's records, and leaving the pathway.
void child_entered(Context& ctx, int c, int s, double t, SourceKind source = SourceKind::other);
/// A child of the starting caseload is at service `s` on the first day (its stock by age and its records).
void child_seeded(Context& ctx, int c, int s);
/// A child's case was allocated to caseload team `st`.
void child_allocated(Context& ctx, const Case& item, const ServiceState& st, std::uint64_t sequence, double demand,
                     std::optional<int> placement, double t);
/// Service `st` finished with a child's case with `decision` (-1: none): help from it ends.
void child_finished(Context& ctx, int c, const ServiceState& st, double t, int decision = -1);
/// Child `c` (allocated to `st`) is placed in placement type `placement` at `t`: its first placement in this
/// spell, or a move (DfE's placement stability counts placements in the year).
void child_placed(Context& ctx, int c, const ServiceState& st, int placement, bool move, double t);
/// Unaccompanied asylum-seeking children (need.unaccompanied): a Poisson stream, at the rate of the scenario in force
/// (thinned from the highest rate of any change), of children who start a case at the looked-after team directly.
bool has_unaccompanied(const Scenario& scenario);
void run_unaccompanied(Context& ctx);

// screening.cpp
void run_screener(Context& ctx, ServiceState& st, int i);
/// A case joins the screening queue, or goes straight to an idle screener on duty.
void enqueue(ServiceState& st, const Case& item);
/// Screeners on duty become `on_duty`: those coming on duty wake up, and idle ones take waiting cases at once.
void set_screeners_on_duty(ServiceState& st, int on_duty);

// caseload_team.cpp
void run_caseload_team(Context& ctx, ServiceState& st);
/// The council's caseload on the first day (reference model).
void seed_initial_cases(Context& ctx, ServiceState& st);

// decision_timer.cpp
void run_decision_timer(Context& ctx, ServiceState& st);

// staffing.cpp
void run_staffing(Context& ctx, ServiceState& st);
/// Staff in post from now: `permanent` staff in an establishment of `establishment` posts, with agency cover and
/// any staff bought by a reinvestment rule.
void set_staff(Context& ctx, ServiceState& st, double permanent, double establishment);

// reinvestment.cpp
/// The two ends of a reinvestment rule's pairing (sim/pathway_sim.cpp): the counterfactual's process writes its
/// watched services' cost at the end of each year from the rule's first, and the paired run reads it at the same
/// moment of its own run. Both compute the cost the same way at the same simulated time, so that a scenario run
/// against itself finds exactly the same figures and saves nothing.
struct ReinvestmentLink {
  bool counterfactual = false;  ///< true: this run is the counterfactual, and writes; false: the paired run, reads
  int fd = -1;                  ///< the pipe's end
  std::vector<int> watch;       ///< the watched services, as this run's pathway numbers them
  int from_year = 0;            ///< the first year whose cost counts (1 = the first year of the run)
  /// The paired run: why the counterfactual's figures stopped coming (waits for its process).
  std::function<std::string()> failure;
  std::string error;  ///< set when the pairing broke: the actor stopped the run
};
/// The rule's yearly actor, at either end of `link`.
void run_reinvestment(Context& ctx, ReinvestmentLink& link);

}  // namespace frontdoor::engine
