#include "sim/context.hpp"

#include <algorithm>
#include <simgrid/simix.hpp>

#include "sim/actors/actors.hpp"

namespace frontdoor::engine {

namespace {
// Keyed by the service's id, so adding a service never shifts the streams of the others.
std::uint64_t stream_purpose(const std::string& id, const char* what) { return fnv1a64("service:" + id + ":" + what); }
}  // namespace

ServiceState::ServiceState(const Scenario& scenario, int s, std::uint64_t seed)
    : index(s),
      spec(scenario.pathway.services()[s]),
      work_rng(seed, stream_purpose(spec.id, "work")),
      duration_rng(seed, stream_purpose(spec.id, "duration")),
      decision_rng(seed, stream_purpose(spec.id, "decision")),
      workforce_rng(seed, stream_purpose(spec.id, "workforce")),
      placement_rng(seed, stream_purpose(spec.id, "placement")) {
  periods.push_back(ServicePeriod{0.0, &spec, RoutingTable(scenario.pathway, s)});
  for (const auto& change : scenario.changes) {
    periods.push_back(ServicePeriod{change.from_day, &change.scenario->pathway.services()[s],
                                    RoutingTable(change.scenario->pathway, s)});
  }
  // The establishment over time: each period's own schedule within its span, and its FTE when it starts.
  for (std::size_t e = 0; e < periods.size(); ++e) {
    const double begin = periods[e].from_day;
    const double end = e + 1 < periods.size() ? periods[e + 1].from_day : never;
    if (e > 0) establishment_changes.push_back({begin, periods[e].spec->team.fte_at(begin)});
    for (const auto& change : periods[e].spec->team.schedule) {
      if (change.from_day > begin && change.from_day < end) establishment_changes.push_back(change);
    }
    max_fte = std::max(max_fte, periods[e].spec->team.max_fte());
  }
}

Context::Context(const Scenario& scenario_in, std::uint64_t seed_in)
    : scenario(scenario_in),
      pathway(scenario_in.pathway),
      calendar(scenario_in.make_calendar()),
      recorder(scenario_in, calendar),
      seed(seed_in),
      children(scenario_in.children, seed_in) {
  children.set_population(scenario_in.age_shares, scenario_in.need.chronic.share, scenario_in.need.history);
}

void Context::sleep_until_due_or_signalled(Waker& w, double wake_at) {
  w.sleeping = true;
  if (wake_at == never) {
    w.wake->acquire();
  } else {
    w.wake->acquire_timeout(std::max(0.0, wake_at - now()));
  }
  w.sleeping = false;
  w.signalled = false;
  ++events;
}

double Context::quality_of(const ServiceState& st) const {
  return quality_from_pace(st.team ? st.team->clock.time_share() : 1.0, scenario.need.quality_elasticity);
}

HelpNow Context::help_for(const Child& child, double t) const {
  if (!child.allocated) return {};
  const ServiceState& st = *services[child.allocated->service];
  const ServiceSpec& spec = *st.at(t).spec;
  const HelpSpec& help = spec.help;
  const std::optional<int>& placement = child.allocated->placement;
  const double moves = placement && *placement < static_cast<int>(spec.placements.size())
                           ? spec.placements[*placement].moves_per_year
                           : 0.0;
  return {help.effect, help.protection, quality_of(st), moves};
}

void Context::reschedule(int c, double t) {
  const Child& child = children[c];
  // Waking another actor is a simcall: it may run first and see the child leave (turn 18 in care, say). A child
  // whose record is gone has no next event. (Should its slot have been taken meanwhile by a sibling coming into care,
  // the new child's next event is only drawn again from the hazard it has left, which changes nothing.)
  if (!child.alive) return;
  const double at = children.reschedule(c, t, child_rates(child, scenario.at(t), help_for(child, t), t).total);
  if (!population.running) arm_population(at);
}

void Context::arm_population(double at) {
  if (at >= population.armed_at || at >= calendar.horizon_days()) return;
  population.armed_at = at;
  // The engine's timers are its kernel's state: an actor changes them through a simcall (maestro runs it at once).
  simgrid::kernel::actor::simcall_answered([this, at] {
    if (population.pending != nullptr) population.pending->remove();
    population.pending = simgrid::kernel::timer::Timer::set(std::max(at, now()), [this] {
      population.pending = nullptr;
      population.armed_at = never;
      population_step(*this);
    });
  });
}

}  // namespace frontdoor::engine
