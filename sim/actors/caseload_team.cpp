// A caseload team's actor. It sleeps on its waker until its next case falls due on the team's caseload clock
// (models/caseload_clock), or until another actor hands it a case or a child's need escalates.
#include <array>

#include "models/care_career.hpp"
#include "sim/actors/actors.hpp"
#include "sim/case_flow.hpp"

namespace frontdoor::engine {

namespace {

// Cases open at a random moment are the long ones more often (length bias): draws 16 durations and keeps one with
// probability proportional to its length (sampling-importance resampling).
double length_biased_duration(const Distribution& duration, RandomStream& rng) {
  std::array<double, 16> draws{};
  double total = 0.0;
  for (double& d : draws) total += (d = duration.sample(rng));
  double u = rng.uniform01() * total;
  for (double d : draws) {
    if (u < d) return d;
    u -= d;
  }
  return draws.back();
}

// A worker takes the case. An initial case (open on the first day) has a length-biased duration, of which a
// uniform share is still to run. A team whose ways out are hazards by age (a care career) draws the child's career
// instead: how long it stays and how it leaves; its work then asks the same share of a worker whatever the career's
// length (a looked-after child's social worker visits and reviews while it is in care).
void allocate(Context& ctx, ServiceState& st, const ServiceSpec& spec, const Case& item, double t,
              bool initial = false) {
  ctx.recorder.started(t, st.index, item.arrival_day);
  // A child's case draws from the child's stream (common random numbers across scenarios), others from the team's.
  Child* child = item.child ? &ctx.children[*item.child] : nullptr;
  RandomStream* own = child ? &child->cases : nullptr;
  RandomStream& work_rng = own ? *own : st.work_rng;
  RandomStream& duration_rng = own ? *own : st.duration_rng;
  const double work = spec.work.sample(work_rng);
  Case held = item;
  double duration = 0.0;
  double remaining = 0.0;
  double demand = 0.0;
  if (child && !spec.care_exits.empty()) {
    const double age_days = t - child->birth_day;
    // The starting caseload has been in care a while: up to three years, and never longer than the child's life.
    const double in_care = initial ? duration_rng.uniform01() * std::min(age_days, 3.0 * days_per_year) : 0.0;
    const CareerEnd end = draw_career(spec.care_exits, spec.leave_at_18, age_days, in_care, duration_rng);
    duration = remaining = std::max(end.days, 1e-6);
    held.planned_decision = end.decision;
    demand = spec.duration.mean() > 0.0 ? work / spec.duration.mean() : 0.0;
  } else {
    duration = spec.duration.sample(duration_rng);
    remaining = duration;
    if (initial) {
      duration = length_biased_duration(spec.duration, duration_rng);
      remaining = duration * (1.0 - duration_rng.uniform01());
    }
    demand = duration > 0.0 ? work / duration : 0.0;
  }
  std::optional<int> placement;
  if (!spec.placements.empty()) {
    placement = draw_placement_type(spec.placements, child ? child->band : 0, own ? *own : st.placement_rng);
    ctx.recorder.placement_changed(t, st.index, *placement, +1.0);
  }
  const std::uint64_t sequence = st.team->clock.allocate(remaining, demand, held, placement);
  ctx.recorder.team_demand(t, st.index, st.team->clock.demand());  // for the cost of work over the norm
  if (child) {
    child_allocated(ctx, held, st, sequence, demand, placement, t);
    if (placement) child_placed(ctx, *item.child, st, *placement, false, t);
  }
}

// An allocated case ends: its worker time goes back to the others, and its placement ends.
void end_case(Context& ctx, ServiceState& st, double demand, std::optional<int> placement, double t) {
  st.team->clock.end(demand);
  ctx.recorder.team_demand(t, st.index, st.team->clock.demand());
  if (placement) ctx.recorder.placement_changed(t, st.index, *placement, -1.0);
}

}  // namespace

namespace {
// A case joins the team's waiting list, in triage order.
void wait_unallocated(Context& ctx, ServiceState& st, const Case& item) {
  const TriageKey key = triage_key(item);
  st.team->unallocated.emplace(key, item);
  if (item.child) ctx.children[*item.child].waiting = Child::Waiting{st.index, key};
}

// The child's allocated case ends before its time (its need escalated, or it turned 18) with `decision` (a copy:
// moving the case on resets the child's allocation).
void end_early(Context& ctx, ServiceState& st, const Child::Allocation allocation, int decision, double t) {
  st.team->clock.cancel(allocation.sequence);
  end_case(ctx, st, allocation.demand, allocation.placement, t);
  move_on(ctx, st, allocation.item, t, decision);
}

// The case at `at` leaves the team's waiting list (allocated, escalated or withdrawn).
Case take_from_waiting(Context& ctx, ServiceState& st, std::map<TriageKey, Case>::iterator at) {
  const Case item = at->second;
  st.team->unallocated.erase(at);
  if (item.child) ctx.children[*item.child].waiting.reset();
  return item;
}
}  // namespace

void run_caseload_team(Context& ctx, ServiceState& st) {
  CaseloadTeam& team = *st.team;
  for (;;) {
    const double t = ctx.now();
    team.clock.advance(t);
    while (const std::optional<AllocatedCase> due = team.clock.pop_due()) {
      // A child's placement may have moved since it was allocated: the one it is in now ends.
      const std::optional<int> placement = due->item.child && ctx.children[*due->item.child].allocated
                                               ? ctx.children[*due->item.child].allocated->placement
                                               : due->placement;
      end_case(ctx, st, due->demand, placement, t);
      std::optional<int> planned;  // a career's drawn ending (choose_route clears it from the case)
      if (due->item.planned_decision >= 0) planned = due->item.planned_decision;
      move_on(ctx, st, due->item, t, planned);
    }
    // Children whose need rose past the escalation level while allocated here leave at once.
    for (const int c : team.escalations) {
      const Child& child = ctx.children[c];
      if (!child.allocated || child.allocated->service != st.index ||
          child.need < st.at(t).spec->need_rule.escalate_at) {
        continue;
      }
      end_early(ctx, st, *child.allocated, st.at(t).spec->need_rule.escalate_decision, t);
    }
    team.escalations.clear();
    // Children who turned 18 while allocated here leave with the team's decision for that.
    for (const int c : team.turned_18) {
      const Child& child = ctx.children[c];
      const int decision = st.at(t).spec->leave_at_18;
      if (!child.alive || !child.allocated || child.allocated->service != st.index || decision < 0) continue;
      end_early(ctx, st, *child.allocated, decision, t);
    }
    team.turned_18.clear();
    // Waiting children who escalate (a contact showed need past the line) or whose family withdraws.
    for (const CaseloadTeam::WaitingExit& exit : team.waiting_exits) {
      Child& child = ctx.children[exit.child];
      if (!child.waiting || child.waiting->service != st.index) continue;  // allocated or gone meanwhile
      const Case item = take_from_waiting(ctx, st, team.unallocated.find(child.waiting->key));
      ctx.recorder.started(t, st.index, item.arrival_day);
      move_on(ctx, st, item, t, exit.decision);
    }
    team.waiting_exits.clear();
    const ServiceSpec& spec = *st.at(t).spec;
    for (const Case& item : team.inbox) {
      // A family may decline help on arrival.
      if (item.child && spec.need_rule.consent < 1.0 &&
          ctx.children[*item.child].luck.uniform01() >= spec.need_rule.consent) {
        ctx.recorder.started(t, st.index, item.arrival_day);
        move_on(ctx, st, item, t, spec.need_rule.declined_decision);
        continue;
      }
      wait_unallocated(ctx, st, item);
    }
    team.inbox.clear();
    while (!team.unallocated.empty() && (team.clock.has_room() || spec.team.always_allocate)) {
      const Case item = take_from_waiting(ctx, st, team.unallocated.begin());
      allocate(ctx, st, spec, item, t);
    }
    if (!team.inbox.empty() || !team.escalations.empty() || !team.waiting_exits.empty() || !team.turned_18.empty())
      continue;  // routed back
    ctx.sleep_until_due_or_signalled(team.waker, team.clock.next_due(t));
  }
}

void seed_initial_cases(Context& ctx, ServiceState& st) {
  const ServiceSpec& spec = st.spec;
  // Ages as the service's starting caseload has them (weights over the population's shares), else the population's.
  AgeBands weights{1.0, 1.0, 1.0, 1.0, 1.0};
  if (spec.initial_by_age) {
    for (int b = 0; b < age_bands; ++b)
      weights[b] = ctx.scenario.age_shares[b] > 0.0 ? (*spec.initial_by_age)[b] / ctx.scenario.age_shares[b] : 0.0;
  }
  const double chronic = starting_need_by_family(ctx.scenario).chronic_probability(spec.initial_need);
  for (int i = 0; i < spec.initial_cases; ++i) {
    const int c = ctx.children.add(spec.initial_need, 0.0, weights, chronic);
    Child& child = ctx.children[c];
    child.in_pathway = true;
    child.need_at_start = spec.initial_need;
    Case item{ctx.next_case_id++, 0.0, SourceKind::other, 0};
    item.child = c;
    item.observed_need = spec.initial_need;
    ctx.recorder.initial_case(0.0, st.index, item.id);
    child_seeded(ctx, c, st.index);
    if (st.team->clock.has_room() || spec.team.always_allocate) {
      allocate(ctx, st, spec, item, 0.0, /*initial=*/true);
    } else {
      wait_unallocated(ctx, st, item);
      ctx.reschedule(c, 0.0);
    }
  }
}

}  // namespace frontdoor::engine
