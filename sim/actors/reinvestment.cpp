// The reinvestment rule: at the end of each year from `from_year`, the late-intervention services' cost is set
// against their cost in the year before the rule, and a share of the saving buys the prevention team staff for the
// year that follows (an overspend buys nothing, and takes nothing away).
#include <algorithm>

#include "sim/actors/actors.hpp"

namespace frontdoor::engine {

void run_reinvestment(Context& ctx) {
  const ReinvestmentSpec& rule = ctx.scenario.reinvestment;
  ServiceState& into = *ctx.services[rule.into];
  double reference = 0.0;
  for (int year = rule.from_year - 1; year < ctx.scenario.simulation.years; ++year) {
    sg4::this_actor::sleep_until(ctx.calendar.month_start(12 * year));  // the end of year `year` (1 = the first)
    ++ctx.events;
    const double t = ctx.now();
    const double cost = ctx.recorder.cost_so_far(rule.watch, year - 1, t);
    if (year == rule.from_year - 1) {
      reference = cost;
      continue;
    }
    const double saved = std::max(0.0, reference - cost);
    into.bought_fte = rule.share * saved / into.spec.cost_per_fte_year();
    ctx.recorder.reinvested(t, rule.share * saved);
    set_staff(ctx, into, into.permanent, into.establishment_now);
  }
}

}  // namespace frontdoor::engine
