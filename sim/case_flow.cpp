#include "sim/case_flow.hpp"

#include <string>

#include "models/decision_rule.hpp"
#include "sim/actors/actors.hpp"
#include "sim/pathway_sim.hpp"

namespace frontdoor::engine {

namespace {

// The service's decision. Decisions about a child draw from the child's own stream, so that across scenarios run
// on the same seeds the same child meets the same luck wherever its path leads (common random numbers); other
// cases draw from the service's.
int decide_for(Context& ctx, ServiceState& st, const ServiceSpec& spec, Case& item, double t) {
  if (spec.decisions.empty()) return -1;
  const Scenario& in_force = ctx.scenario.at(t);
  if (!item.child) return decide(spec, in_force.need, std::nullopt, st.decision_rng, t);
  Child& child = ctx.children[*item.child];
  std::optional<ChildInView> view;
  view.emplace();
  view->need = child.need;
  view->band = child.band;
  if (spec.need_rule.active) {
    const double quality = spec.kind == ServiceKind::caseload_team ? ctx.quality_of(st) : 1.0;
    view->observation_sd = observation_sd(spec, in_force.need, quality, in_force.sources, item.source);
  }
  DecisionNotes notes;
  const int decision = decide(spec, in_force.need, view, child.luck, t, &notes);
  item.observed_need = notes.observed;
  if (notes.conference_held) ctx.recorder.fgc_held(t, st.index);  // priced in the service's activity cost
  return decision;
}

}  // namespace

void carry_on(Context& ctx, Case item, int s, double t) {
  for (int hops = 0; hops < 1000000; ++hops) {
    ServiceState& st = *ctx.services[s];
    ctx.recorder.entered(t, s, item.id);
    if (item.child) child_entered(ctx, *item.child, s, t, item.source);
    item.arrival_day = t;
    switch (st.spec.kind) {
      case ServiceKind::exit:
        return;
      case ServiceKind::screening_queue:
        enqueue(st, item);
        return;
      case ServiceKind::caseload_team:
        deliver(st, item);
        return;
      case ServiceKind::decision_point:
        if (st.timer) {
          deliver(st, item);
          return;
        }
        ctx.recorder.started(t, s, t);
        s = choose_route(ctx, st, item, t);
        continue;
    }
  }
  throw SimulationError("a case went round a zero-time cycle a million times at day " + std::to_string(ctx.now()));
}

void move_on(Context& ctx, ServiceState& st, Case item, double t, std::optional<int> forced) {
  const int next = choose_route(ctx, st, item, t, forced);
  carry_on(ctx, item, next, t);
}

int choose_route(Context& ctx, ServiceState& st, Case& item, double t, std::optional<int> forced) {
  const ServicePeriod& period = st.at(t);
  const int decision = forced ? *forced : decide_for(ctx, st, *period.spec, item, t);
  item.planned_decision = -1;  // a team's drawn ending is its own, never the next service's
  const int route = pick_route(period.routing.options(decision, item.source), st.decision_rng);
  ctx.recorder.finished(t, st.index, decision, item.arrival_day, item.source, item.id);
  ctx.recorder.routed(t, route);
  if (item.child) child_finished(ctx, *item.child, st, t, decision);
  return ctx.pathway.route_target(route);
}

void deliver(ServiceState& st, const Case& item) {
  st.inbox().push_back(item);
  st.waker().signal();
}

}  // namespace frontdoor::engine
