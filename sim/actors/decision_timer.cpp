// A decision point with a delay (a conference date, say): one actor holds its cases until each falls due.
#include "sim/actors/actors.hpp"
#include "sim/case_flow.hpp"

namespace frontdoor::engine {

void run_decision_timer(Context& ctx, ServiceState& st) {
  DecisionTimer& timer = *st.timer;
  for (;;) {
    const double t = ctx.now();
    while (!timer.held.empty() && timer.held.top().due <= t) {
      const Case item = timer.held.top().item;
      timer.held.pop();
      move_on(ctx, st, item, t);
    }
    for (const Case& item : timer.inbox) {
      ctx.recorder.started(t, st.index, item.arrival_day);
      timer.held.push({t + st.at(t).spec->delay->sample(st.duration_rng), timer.next_sequence++, item});
    }
    timer.inbox.clear();
    ctx.sleep_until_due_or_signalled(timer.waker, timer.held.empty() ? never : timer.held.top().due);
  }
}

}  // namespace frontdoor::engine
