// A team's staffing actor: sleeps until the workforce process's next step (models/workforce) and applies it.
#include <algorithm>
#include <cmath>

#include "models/workforce.hpp"
#include "sim/actors/actors.hpp"

namespace frontdoor::engine {

void run_staffing(Context& ctx, ServiceState& st) {
  WorkforceProcess workforce(st.spec.team, st.establishment_changes);
  for (;;) {
    const double t = ctx.now();
    workforce.follow(st.at(t).spec->team);  // a [[change]] may change turnover, pressure and recruitment
    double overload = 0.0;
    if (st.team && st.team->clock.fte() > 0.0)
      overload = std::max(0.0, st.team->clock.demand() / st.team->clock.fte() - 1.0);
    const WorkforceProcess::Step step = workforce.next(t, overload, st.workforce_rng);
    if (step.kind == WorkforceProcess::Step::Kind::none) return;
    sg4::this_actor::sleep_until(step.at);
    ++ctx.events;
    if (step.kind == WorkforceProcess::Step::Kind::recheck) continue;  // nothing happened: read the caseload again
    const double left = workforce.apply(step, st.workforce_rng);
    if (left > 0.0) ctx.recorder.staff_left(ctx.now(), st.index, left);
    set_staff(ctx, st, workforce.permanent(), workforce.establishment());
  }
}

void set_staff(Context& ctx, ServiceState& st, double permanent, double establishment) {
  const double t = ctx.now();
  st.permanent = permanent;
  st.establishment_now = establishment;
  const StaffInPost staff = staff_in_post(st.at(t).spec->team, permanent, establishment, st.bought_fte);
  ctx.recorder.staff_changed(t, st.index, staff.fte, staff.agency_fte, std::max(0.0, establishment - permanent));
  if (st.screening) {
    set_screeners_on_duty(
        st, std::min(static_cast<int>(std::lround(staff.fte)), static_cast<int>(st.screening->screeners.size())));
  } else if (st.team) {
    st.team->clock.set_staff(t, staff.fte, st.at(t).spec->team.caseload_cap);
    st.team->waker.signal();
  }
}

}  // namespace frontdoor::engine
