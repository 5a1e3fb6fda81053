// The children (reference model, with a [need] table): every child's need, contacts and harm from one heap of next
// events (models/children), run in the engine's timers, and the bookkeeping of a child's path through the services.
#include <algorithm>
#include <cmath>

#include "models/care_career.hpp"
#include "models/decision_rule.hpp"
#include "sim/actors/actors.hpp"
#include "sim/case_flow.hpp"

namespace frontdoor::engine {

namespace {

int year_of(const Context& ctx, double t) { return ctx.calendar.month_containing(t) / 12; }

// Child `child` is now at service `s` (-1: none): the stock by age, and DfE's placement stability, follow it.
void place_at(Context& ctx, Child& child, int s, double t) {
  if (child.at_service >= 0) {
    ctx.recorder.child_at_service(t, child.at_service, child.band, -1.0);
    if (child.unstable_year >= 0 && child.unstable_year == year_of(ctx, t))
      ctx.recorder.placement_stability(t, child.at_service, -1.0);
    child.unstable_year = -1;
  }
  child.at_service = s;
  if (s >= 0) ctx.recorder.child_at_service(t, s, child.band, +1.0);
}

// The child's row in the run's records, the first time it is known to the services.
void record_child(Context& ctx, Child& child) {
  if (ctx.records == nullptr || child.recorded) return;
  child.recorded = true;
  ctx.records->children.push_back({child.serial, child.sex, child.birth_day, child.family, child.prior_plans,
                                   child.prior_care, child.unaccompanied});
}

// Opens the child's spell at service `s` in the run's records (the statutory returns).
void open_spell(Context& ctx, Child& child, int s, double t, SourceKind source, bool initial) {
  ChildRecords::Spell spell;
  spell.child = child.serial;
  spell.service = ctx.pathway.services()[s].id;
  spell.start_day = t;
  spell.source = source;
  spell.initial = initial;
  child.open_spell = static_cast<int>(ctx.records->spells.size());
  ctx.records->spells.push_back(spell);
}

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
    case ChildOutcome::Kind::moved:
      if (child.allocated && child.allocated->placement) {
        // A placement move: the next placement is drawn for the child's age now.
        ServiceState& st = *ctx.services[child.allocated->service];
        const ServiceSpec& spec = *st.at(t).spec;
        Child& moving = ctx.children[c];
        const int from = *moving.allocated->placement;
        const int to = draw_placement_type(spec.placements, moving.band, moving.cases);
        ctx.recorder.placement_changed(t, st.index, from, -1.0);
        ctx.recorder.placement_changed(t, st.index, to, +1.0);
        moving.allocated->placement = to;
        child_placed(ctx, c, st, to, true, t);
      }
      break;
    case ChildOutcome::Kind::aged:
      if (child.at_service >= 0) {
        ctx.recorder.child_at_service(t, child.at_service, child.band - 1, -1.0);
        ctx.recorder.child_at_service(t, child.at_service, child.band, +1.0);
      }
      break;
    case ChildOutcome::Kind::turned_18:
      if (!child.alive) return;  // outside the pathway: it has left the council's children
      if (child.allocated) {
        ServiceState& st = *ctx.services[child.allocated->service];
        if (st.at(t).spec->leave_at_18 >= 0) {
          st.team->turned_18.push_back(c);
          st.waker().signal();
        }
      }
      break;
    case ChildOutcome::Kind::unnoticed:
      break;
  }
  ctx.reschedule(c, t);
}

}  // namespace

void start_population(Context& ctx) {
  PopulationTimer& timer = ctx.population;
  timer.running = true;
  // Each family group's children by age band and need level; the children of a band are drawn within it.
  // Each cell (group, band, level) has a block of serials of its own, so that a scenario whose front door starts a
  // cell with a child more or less shifts no other child's streams.
  const StartingNeed start = starting_need_by_family(ctx.scenario);
  const std::uint64_t first = ctx.children.next_serial();
  const std::uint64_t block = static_cast<std::uint64_t>(std::max(0, ctx.scenario.children)) + 1;
  std::uint64_t cell = 0;
  for (const bool chronic : {false, true}) {
    const NeedByAge& group = chronic ? start.chronic : start.ordinary;
    for (int b = 0; b < age_bands; ++b) {
      AgeBands in_band{};
      in_band[b] = 1.0;
      for (int k = 1; k < need_levels; ++k) {
        ctx.children.skip_serials_to(first + cell++ * block);
        const long count = std::lround(group[b][k]);
        for (long i = 0; i < count; ++i) ctx.reschedule(ctx.children.add(k, 0.0, in_band, chronic ? 1.0 : 0.0), 0.0);
      }
    }
  }
  ctx.children.skip_serials_to(first + cell * block);
  timer.next_pool = ctx.children.draw_pool_event(0.0, ctx.scenario.at(0.0));
  // A [[change]] may change need or notice rates, and a fading notice boost changes them month by month: every
  // pending draw is made afresh from its day (the exponential clocks restart at the new rates, which is exact for a
  // Markov chain).
  timer.change_days = ctx.scenario.rate_change_days(ctx.calendar);
  timer.running = false;
  ctx.arm_population(std::min(timer.next_pool, ctx.children.next_event_day()));
  if (!timer.change_days.empty()) ctx.arm_population(timer.change_days.front());
}

void population_step(Context& ctx) {
  PopulationTimer& timer = ctx.population;
  timer.running = true;
  ++ctx.events;
  const double t = ctx.now();
  if (timer.next_change < timer.change_days.size() && timer.change_days[timer.next_change] <= t) {
    while (timer.next_change < timer.change_days.size() && timer.change_days[timer.next_change] <= t)
      ++timer.next_change;
    for (int c = 0; c < ctx.children.slots(); ++c) {
      if (ctx.children[c].alive) ctx.reschedule(c, t);
    }
    timer.next_pool = ctx.children.draw_pool_event(t, ctx.scenario.at(t));
  }
  while (timer.next_pool <= t) {
    pool_event(ctx, t);
    timer.next_pool = ctx.children.draw_pool_event(t, ctx.scenario.at(t));
  }
  while (const std::optional<int> c = ctx.children.pop_due(t)) child_event(ctx, *c, t);
  double wake_at = std::min(timer.next_pool, ctx.children.next_event_day());
  if (timer.next_change < timer.change_days.size()) wake_at = std::min(wake_at, timer.change_days[timer.next_change]);
  timer.running = false;
  ctx.arm_population(wake_at);
}

namespace {
// Child `c` arrives at service `s` (care): its brothers and sisters may come with it, each a case of its own
// arriving there at once (sibling groups). A geometric number: one with probability `share`, another with the same
// probability again, at most four; the draws are the child's own luck.
void bring_siblings(Context& ctx, int c, int s, double t, SourceKind source) {
  const SiblingSpec& siblings = ctx.scenario.need.siblings;
  ctx.bringing_siblings = true;
  for (int n = 0; n < 4 && ctx.children[c].luck.uniform01() < siblings.share; ++n) {
    const int b = ctx.children.add_sibling(c, t, siblings.age_gap_years);
    Child& sibling = ctx.children[b];
    sibling.in_pathway = true;
    sibling.need_at_start = sibling.need;
    ctx.reschedule(b, t);
    Case item{ctx.next_case_id++, t, source, 0};
    item.child = b;
    item.observed_need = ctx.children[c].need;
    ctx.recorder.case_arrived_without_contact();
    ctx.recorder.child_event(t, ChildCount::siblings);
    carry_on(ctx, item, s, t);
  }
  ctx.bringing_siblings = false;
}
}  // namespace

namespace {
// Unaccompanied children arriving a day, in the scenario `s` (none without a team to arrive at).
double unaccompanied_per_day(const Scenario& s) {
  const UnaccompaniedSpec& u = s.need.unaccompanied;
  if (!s.need.enabled || u.index < 0) return 0.0;
  return u.per_10k_per_year * static_cast<double>(s.children) / 10000.0 / days_per_year;
}

double peak_unaccompanied_per_day(const Scenario& scenario) {
  double peak = unaccompanied_per_day(scenario);
  for (const auto& change : scenario.changes) peak = std::max(peak, unaccompanied_per_day(*change.scenario));
  return peak;
}
}  // namespace

bool has_unaccompanied(const Scenario& scenario) { return peak_unaccompanied_per_day(scenario) > 0.0; }

void run_unaccompanied(Context& ctx) {
  RandomStream stream(ctx.seed, StreamPurpose::unaccompanied_arrivals);
  const double peak = peak_unaccompanied_per_day(ctx.scenario);
  const double horizon = ctx.calendar.horizon_days();
  double t = ctx.now();
  for (;;) {
    // Candidates at the highest rate, each kept with the rate in force over it (thinning: exact for a rate that
    // steps at the changes). Every draw is made whatever happens, so that the stream stays in step.
    t += stream.exponential(1.0 / peak);
    const double keep = stream.uniform01();
    const double age = stream.uniform01();
    if (t >= horizon) return;
    const Scenario& in_force = ctx.scenario.at(t);
    if (keep * peak >= unaccompanied_per_day(in_force)) continue;
    if (t - ctx.now() >= 1e-9) sg4::this_actor::sleep_until(t);
    ++ctx.events;
    const UnaccompaniedSpec& u = in_force.need.unaccompanied;
    const int c = ctx.children.add_arrival(u.need, t, u.from_age + age * (u.to_age - u.from_age));
    Child& child = ctx.children[c];
    child.in_pathway = true;
    child.need_at_start = child.need;
    ctx.reschedule(c, t);
    Case item{ctx.next_case_id++, t, SourceKind::other, 0};
    item.child = c;
    item.observed_need = child.need;
    ctx.recorder.case_arrived_without_contact();
    ctx.recorder.child_event(t, ChildCount::unaccompanied);
    ctx.bringing_siblings = true;  // unaccompanied: no brothers or sisters come with it
    carry_on(ctx, item, u.index, t);
    ctx.bringing_siblings = false;
  }
}

void child_seeded(Context& ctx, int c, int s) {
  Child& child = ctx.children[c];
  place_at(ctx, child, s, 0.0);
  if (ctx.records == nullptr) return;
  record_child(ctx, child);
  open_spell(ctx, child, s, 0.0, SourceKind::other, /*initial=*/true);
}

void child_placed(Context& ctx, int c, const ServiceState& st, int placement, bool move, double t) {
  Child& child = ctx.children[c];
  const int y = year_of(ctx, t);
  if (child.placements_year != y) {
    // A new year: a move counts the placement the child was already in as the year's first.
    child.placements_year = y;
    child.placements_in_year = move ? 1 : 0;
  }
  ++child.placements_in_year;
  if (child.placements_in_year >= 3 && child.unstable_year != y && child.at_service == st.index) {
    ctx.recorder.placement_stability(t, st.index, +1.0);
    child.unstable_year = y;
  }
  if (ctx.records != nullptr) {
    ctx.records->placements.push_back({child.serial, t, st.spec.placements[placement].name, move});
  }
}

void child_entered(Context& ctx, int c, int s, double t, SourceKind source) {
  Child& child = ctx.children[c];
  const NeedSpec& need = ctx.scenario.need;
  const ServiceKind kind = ctx.pathway.services()[s].kind;
  ctx.recorder.child_arrived_aged(t, s, child.band);
  place_at(ctx, child, kind == ServiceKind::exit ? -1 : s, t);
  if (ctx.records != nullptr) {
    record_child(ctx, child);
    if (kind != ServiceKind::exit) open_spell(ctx, child, s, t, source, /*initial=*/false);
  }
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
    if (child.chronic) ctx.recorder.child_event(t, ChildCount::chronic_plans);
    ++child.plans;
  }
  const ServiceSpec& spec = ctx.pathway.services()[s];
  if (spec.kind != ServiceKind::exit) {
    if (s == need.siblings.index && !ctx.bringing_siblings) bring_siblings(ctx, c, s, t, source);
    return;
  }
  child.in_pathway = false;
  child.last_exit = t;
  if (child.helped) {
    ctx.recorder.child_event(t, ChildCount::closures, t);
    if (child.need < child.need_at_start) {
      ctx.recorder.child_event(t, ChildCount::closures_improved, t);
      child.pending_closure = t;
    }
  }
  if (spec.child_leaves || (child.need == 0 && !ctx.children.remembered(c)) || child.adult) {
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
  if (ctx.records != nullptr && child.open_spell >= 0) ctx.records->spells[child.open_spell].allocated_day = t;
  ctx.reschedule(*item.child, t);
}

void child_finished(Context& ctx, int c, const ServiceState& st, double t, int decision) {
  Child& child = ctx.children[c];
  if (ctx.records != nullptr && child.open_spell >= 0) {
    ChildRecords::Spell& spell = ctx.records->spells[child.open_spell];
    spell.end_day = t;
    if (decision >= 0) spell.decision = st.at(t).spec->decisions[decision].name;
    if (st.index == ctx.pathway.entry())
      ctx.records->contacts.push_back({child.serial, spell.start_day, spell.source, spell.decision});
    child.open_spell = -1;
  }
  if (!child.allocated || child.allocated->service != st.index) return;
  child.allocated.reset();
  ctx.reschedule(c, t);
}

}  // namespace frontdoor::engine
