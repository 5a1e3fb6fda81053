// The screeners of a screening queue: each is an actor that takes the next case, screens it for a sampled time
// and sends it on; an idle screener waits on its own semaphore and is handed the next case directly.
#include "sim/actors/actors.hpp"
#include "sim/case_flow.hpp"

namespace frontdoor::engine {

namespace {
void hand_over(ScreeningDesk& desk, int screener, const Case& item) {
  desk.screeners[screener].idle = false;
  desk.screeners[screener].handed = item;
  desk.screeners[screener].wake->release();
}
}  // namespace

void enqueue(ServiceState& st, const Case& item) {
  ScreeningDesk& desk = *st.screening;
  // The lowest-numbered idle screener on duty takes it (screener counts are small: a scan is cheapest).
  for (int i = 0; i < desk.on_duty; ++i) {
    if (desk.screeners[i].idle) {
      hand_over(desk, i, item);
      return;
    }
  }
  desk.queue.push(item);
}

void set_screeners_on_duty(ServiceState& st, int on_duty) {
  ScreeningDesk& desk = *st.screening;
  const int before = desk.on_duty;
  desk.on_duty = on_duty;
  for (int i = before; i < desk.on_duty; ++i) {
    if (desk.screeners[i].off_duty) {
      desk.screeners[i].wake->release();
    } else if (desk.screeners[i].idle && !desk.queue.empty()) {
      hand_over(desk, i, desk.queue.pop());
    }
  }
}

void run_screener(Context& ctx, ServiceState& st, int i) {
  ScreeningDesk& desk = *st.screening;
  ScreeningDesk::Screener& self = desk.screeners[i];
  for (;;) {
    if (i >= desk.on_duty) {
      // Off duty until the staffing actor needs this screener again (a screener always finishes the case in hand
      // first; nobody is interrupted).
      self.off_duty = true;
      self.wake->acquire();
      ++ctx.events;
      self.off_duty = false;
      continue;
    }
    Case item;
    if (!desk.queue.empty()) {
      item = desk.queue.pop();
    } else {
      self.idle = true;
      self.wake->acquire();
      ++ctx.events;
      item = self.handed;
    }
    ctx.recorder.started(ctx.now(), st.index, item.arrival_day);
    const double work = st.at(ctx.now()).spec->work.sample(st.work_rng);
    if (work >= 1e-9) sg4::this_actor::sleep_for(work);  // below SimGrid's precision: done at once
    ++ctx.events;
    const double t = ctx.now();
    move_on(ctx, st, item, t);
  }
}

}  // namespace frontdoor::engine
