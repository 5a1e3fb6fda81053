// A caseload team's actor. It sleeps on its waker until its next case falls due on the team's caseload clock
// (models/caseload_clock), or until another actor hands it a case or a child's need escalates.
#include <array>

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

// The placement type of a case just allocated (none where the team has none).
std::optional<int> draw_placement(Context& ctx, const ServiceState& st, const ServiceSpec& spec, RandomStream& rng,
                                  double t) {
  if (spec.placements.empty()) return std::nullopt;
  double u = rng.uniform01();
  int p = 0;
  while (p + 1 < static_cast<int>(spec.placements.size()) && u >= spec.placements[p].share) {
    u -= spec.placements[p++].share;
  }
  ctx.recorder.placement_changed(t, st.index, p, +1.0);
  return p;
}

// A worker takes the case. An initial case (open on the first day) has a length-biased duration, of which a
// uniform share is still to run.
void allocate(Context& ctx, ServiceState& st, const ServiceSpec& spec, const Case& item, double t,
              bool initial = false) {
  ctx.recorder.started(t, st.index, item.arrival_day);
  // A child's case draws from the child's stream (common random numbers across scenarios), others from the team's.
  RandomStream* own = item.child ? &ctx.children[*item.child].cases : nullptr;
  RandomStream& work_rng = own ? *own : st.work_rng;
  RandomStream& duration_rng = own ? *own : st.duration_rng;
  const double work = spec.work.sample(work_rng);
  double duration = spec.duration.sample(duration_rng);
  double remaining = duration;
  if (initial) {
    duration = length_biased_duration(spec.duration, duration_rng);
    remaining = duration * (1.0 - duration_rng.uniform01());
  }
  const double demand = duration > 0.0 ? work / duration : 0.0;
  const std::optional<int> placement = draw_placement(ctx, st, spec, own ? *own : st.placement_rng, t);
  const std::uint64_t sequence = st.team->clock.allocate(remaining, demand, item, placement);
  ctx.recorder.team_demand(t, st.index, st.team->clock.demand());  // for the cost of work over the norm
  if (item.child) child_allocated(ctx, item, st, sequence, demand, placement, t);
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
      end_case(ctx, st, due->demand, due->placement, t);
      move_on(ctx, st, due->item, t);
    }
    // Children whose need rose past the escalation level while allocated here leave at once.
    for (const int c : team.escalations) {
      const Child& child = ctx.children[c];
      if (!child.allocated || child.allocated->service != st.index ||
          child.need < st.at(t).spec->need_rule.escalate_at) {
        continue;
      }
      const Child::Allocation allocation = *child.allocated;
      team.clock.cancel(allocation.sequence);
      end_case(ctx, st, allocation.demand, allocation.placement, t);
      move_on(ctx, st, allocation.item, t, st.at(t).spec->need_rule.escalate_decision);
    }
    team.escalations.clear();
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
    if (!team.inbox.empty() || !team.escalations.empty() || !team.waiting_exits.empty()) continue;  // routed back
    ctx.sleep_until_due_or_signalled(team.waker, team.clock.next_due(t));
  }
}

void seed_initial_cases(Context& ctx, ServiceState& st) {
  const ServiceSpec& spec = st.spec;
  for (int i = 0; i < spec.initial_cases; ++i) {
    const int c = ctx.children.add(spec.initial_need);
    Child& child = ctx.children[c];
    child.in_pathway = true;
    child.need_at_start = spec.initial_need;
    Case item{ctx.next_case_id++, 0.0, SourceKind::other, 0};
    item.child = c;
    item.observed_need = spec.initial_need;
    ctx.recorder.initial_case(0.0, st.index, item.id);
    if (st.team->clock.has_room() || spec.team.always_allocate) {
      allocate(ctx, st, spec, item, 0.0, /*initial=*/true);
    } else {
      wait_unallocated(ctx, st, item);
      ctx.reschedule(c, 0.0);
    }
  }
}

}  // namespace frontdoor::engine
