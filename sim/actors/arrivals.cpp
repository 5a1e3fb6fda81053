// The arrival actor of one referral source (scenarios without a [need] table).
#include "models/arrivals.hpp"

#include "sim/actors/actors.hpp"
#include "sim/case_flow.hpp"

namespace frontdoor::engine {

void run_arrivals(Context& ctx, const std::vector<std::pair<double, SourceSpec>>& segments) {
  const SourceSpec& source = segments.front().second;
  RandomStream stream(ctx.seed, arrival_stream(source.kind));
  ArrivalProcess process(segments, ctx.calendar);
  double t = ctx.now();
  for (;;) {
    t = process.next_after(t, stream);
    if (t == never) return;
    // SimGrid cannot time a wait shorter than its precision (1e-9 day); such a contact arrives at once.
    if (t - ctx.now() >= 1e-9) sg4::this_actor::sleep_until(t);
    ++ctx.events;
    ctx.recorder.contact_arrived(t, source.kind);
    carry_on(ctx, Case{ctx.next_case_id++, t, source.kind, 0}, ctx.pathway.entry(), t);
  }
}

}  // namespace frontdoor::engine
