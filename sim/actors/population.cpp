// The children's actor (reference model, with a [need] table): every child's need, contacts and harm from one heap
// of next events (models/children), and the bookkeeping of a child's path through the services.
#include <cmath>

#include "models/decision_rule.hpp"
#include "sim/actors/actors.hpp"
#include "sim/case_flow.hpp"

namespace frontdoor::engine {

namespace {

// Child `c` leaves the waiting list of team `st` with `decision`: the team's actor takes it off and routes it.
void leave_waiting_list(ServiceState& st, int c, int decision) {
  st.team->waiting_exits.push_back({c, decision});
  st.waker().signal();
}

// An agency makes a contact about a child already in the pathway: the front door passes it to the team that holds
// the child. A team reads it for a child on its waiting list: the child's place follows the latest need seen (up
// the list if it looks worse), and it escalates at once if its observed need crosses the team's escalation line.
void contact_about_open_case(Context& ctx, int c, SourceKind source, double t) {
  ctx.recorder.child_event(t, ChildCount::open_case_contacts);
  Child& child = ctx.children[c];
  if (child.waiting) {
    ServiceState& st = *ctx.services[child.waiting->service];
    const ServiceSpec& spec = *st.at(t).spec;
    const Scenario& in_force = ctx.scenario.at(t);
    const double sd = contact_observation_sd(spec, in_force.need, in_force.sources, source);
    const double observed = child.need + sd * child.luck.standard_normal();
    auto node = st.team->unallocated.extract(child.waiting->key);
    node.mapped().observed_need = observed;
    node.key() = triage_key(node.mapped());
    child.waiting->key = node.key();
    st.team->unallocated.insert(std::move(node));
    const NeedRule& rule = spec.need_rule;
    if (rule.escalate_at >= 0 && rule.escalate_decision >= 0 &&
        observed >= rule.escalate_at + in_force.need.threshold_shift_at(t)) {
      leave_waiting_list(st, c, rule.escalate_decision);
    }
  }
  ctx.reschedule(c, t);
}

// An agency makes a contact about child `c`: it enters the pathway at the entry.
void make_contact(Context& ctx, int c, SourceKind source, double t) {
  Child& child = ctx.children[c];
  if (child.in_pathway) {
    contact_about_open_case(ctx, c, source, t);
    return;
  }
  child.in_pathway = true;
  child.helped = false;
  child.need_at_start = child.need;
  ctx.reschedule(c, t);
  ctx.recorder.contact_arrived(t, source, child.need);
  if (t - child.last_contact <= 365.0) ctx.recorder.child_event(t, ChildCount::repeat_contacts);
  child.last_contact = t;
  Case item{ctx.next_case_id++, t, source, 0};
  item.child = c;
  carry_on(ctx, item, ctx.pathway.entry(), t);
}

void pool_event(Context& ctx, double t) {
  ++ctx.events;
  const PoolOutcome outcome = ctx.children.pool_event(t, ctx.scenario.at(t), ctx.calendar);
  switch (outcome.kind) {
    case PoolOutcome::Kind::onset:
    case PoolOutcome::Kind::crisis:
      ctx.reschedule(outcome.child, t);
      break;
    case PoolOutcome::Kind::contact:
      make_contact(ctx, outcome.child, outcome.source, t);
      break;
    case PoolOutcome::Kind::unnoticed:
      break;
  }
}

void child_event(Context& ctx, int c, double t) {
  ++ctx.events;
  const Child& child = ctx.children[c];
  const ChildRates rates = child_rates(child, ctx.scenario.at(t), ctx.help_for(child, t), t);
  const ChildOutcome outcome = ctx.children.child_event(c, t, rates, ctx.scenario.at(t), ctx.calendar);
  switch (outcome.kind) {
    case ChildOutcome::Kind::rose:
      if (child.allocated) {
        // Need rose past the team's escalation level while allocated: the team ends the case at once.
        ServiceState& st = *ctx.services[child.allocated->service];
        const NeedRule& rule = st.at(t).spec->need_rule;
        if (rule.escalate_at >= 0 && child.need >= rule.escalate_at && rule.escalate_decision >= 0) {
          st.team->escalations.push_back(c);
          st.waker().signal();
        }
      }
      break;
    case ChildOutcome::Kind::left:
      return;
    case ChildOutcome::Kind::harmed:
      ctx.recorder.child_event(t, ChildCount::harm);
      if (outcome.within_year_of_exit) ctx.recorder.child_event(t, ChildCount::harm_after_exit);
      break;
    case ChildOutcome::Kind::contact:
      make_contact(ctx, c, outcome.source, t);
      return;
    case ChildOutcome::Kind::fell:
      if (child.waiting) {
        // A family waiting whose difficulties have eased may withdraw from the list.
        ServiceState& st = *ctx.services[child.waiting->service];
        const NeedRule& rule = st.at(t).spec->need_rule;
        if (rule.withdraw_below >= 0 && child.need < rule.withdraw_below && rule.declined_decision >= 0) {
          leave_waiting_list(st, c, rule.declined_decision);
        }
      }
      break;
    case ChildOutcome::Kind::unnoticed:
      break;
  }
  ctx.reschedule(c, t);
}

}  // namespace

void run_population(Context& ctx) {
  const NeedRates start = starting_need(ctx.scenario);
  for (int k = 1; k < need_levels; ++k) {
    const long count = std::lround(start[k]);
    for (long i = 0; i < count; ++i) ctx.reschedule(ctx.children.add(k), 0.0);
  }
  double next_pool = ctx.children.draw_pool_event(0.0, ctx.scenario.at(0.0));
  // A [[change]] may change need or notice rates, and a fading notice boost changes them month by month: every
  // pending draw is made afresh from its day (the exponential clocks restart at the new rates, which is exact for a
  // Markov chain).
  const std::vector<double> change_days = ctx.scenario.rate_change_days(ctx.calendar);
  std::size_t next_change = 0;
  for (;;) {
    const double t = ctx.now();
    if (next_change < change_days.size() && change_days[next_change] <= t) {
      while (next_change < change_days.size() && change_days[next_change] <= t) ++next_change;
      for (int c = 0; c < ctx.children.slots(); ++c) {
        if (ctx.children[c].alive) ctx.reschedule(c, t);
      }
      next_pool = ctx.children.draw_pool_event(t, ctx.scenario.at(t));
    }
    while (next_pool <= t) {
      pool_event(ctx, t);
      next_pool = ctx.children.draw_pool_event(t, ctx.scenario.at(t));
    }
    while (const std::optional<int> c = ctx.children.pop_due(t)) child_event(ctx, *c, t);
    ctx.population_wake_at = std::min(next_pool, ctx.children.next_event_day());
    if (next_change < change_days.size())
      ctx.population_wake_at = std::min(ctx.population_wake_at, change_days[next_change]);
    ctx.sleep_until_due_or_signalled(ctx.population, ctx.population_wake_at);
    ctx.population_wake_at = never;
  }
}

void child_entered(Context& ctx, int c, int s, double t) {
  Child& child = ctx.children[c];
  const NeedSpec& need = ctx.scenario.need;
  if (s == need.referral) {
    if (t - child.last_referral <= 365.0) ctx.recorder.child_event(t, ChildCount::rereferrals);
    if (t - child.pending_closure <= 365.0) {
      ctx.recorder.child_event(t, ChildCount::closures_improved_rereferred, child.pending_closure);
    }
    child.pending_closure = -never;
    child.last_referral = t;
  }
  if (s == need.plan) {
    if (child.plans > 0) ctx.recorder.child_event(t, ChildCount::repeat_plans);
    ++child.plans;
  }
  const ServiceSpec& spec = ctx.pathway.services()[s];
  if (spec.kind != ServiceKind::exit) return;
  child.in_pathway = false;
  child.last_exit = t;
  if (child.helped) {
    ctx.recorder.child_event(t, ChildCount::closures, t);
    if (child.need < child.need_at_start) {
      ctx.recorder.child_event(t, ChildCount::closures_improved, t);
      child.pending_closure = t;
    }
  }
  if (spec.child_leaves || child.need == 0) {
    ctx.children.release(c);
  } else {
    ctx.reschedule(c, t);
  }
}

void child_allocated(Context& ctx, const Case& item, const ServiceState& st, std::uint64_t sequence, double demand,
                     std::optional<int> placement, double t) {
  Child& child = ctx.children[*item.child];
  child.allocated = Child::Allocation{st.index, sequence, demand, placement, item};
  child.helped = true;
  ctx.reschedule(*item.child, t);
}

void child_finished(Context& ctx, int c, const ServiceState& st, double t) {
  Child& child = ctx.children[c];
  if (!child.allocated || child.allocated->service != st.index) return;
  child.allocated.reset();
  ctx.reschedule(c, t);
}

}  // namespace frontdoor::engine
