// The reinvestment rule: at the end of each year from `from_year`, the late-intervention services' cost is set
// against what they cost in the counterfactual run (the scenario the rule names, run on the same seed in a process
// of its own: sim/pathway_sim.cpp), and a share of the saving buys the prevention team staff for the year that
// follows (an overspend buys nothing, and takes nothing away). In the counterfactual the same actor only reports
// its cost, computed the same way at the same moment, so that an unchanged scenario saves exactly nothing.
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "sim/actors/actors.hpp"

namespace frontdoor::engine {

namespace {

// Moves exactly `size` bytes through the pipe; false at its end or on an error.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void run_reinvestment(Context& ctx, ReinvestmentLink& link) {
  for (int year = link.from_year; year < ctx.scenario.simulation.years; ++year) {
    sg4::this_actor::sleep_until(ctx.calendar.month_start(12 * year));  // the end of year `year` (1 = the first)
    ++ctx.events;
    const double t = ctx.now();
    const double cost = ctx.recorder.cost_so_far(link.watch, year - 1, t);
    // A broken pairing ends the run here (an exception would not leave an actor in one piece): the error is
    // kept for simulate() to throw once the engine has stopped.
    if (link.counterfactual) {
      if (!write_all(link.fd, reinterpret_cast<const char*>(&cost), sizeof cost)) {
        link.error = "the counterfactual could not hand its costs back: the paired run is gone";
        sg4::Actor::kill_all();
        return;
      }
      continue;
    }
    double theirs = 0.0;
    if (!read_all(link.fd, reinterpret_cast<char*>(&theirs), sizeof theirs)) {
      link.error = "the reinvestment rule's counterfactual run failed before the end of year " + std::to_string(year) +
                   ": " + (link.failure ? link.failure() : std::string("it is gone"));
      sg4::Actor::kill_all();
      return;
    }
    const ReinvestmentSpec& rule = ctx.scenario.reinvestment;
    ServiceState& into = *ctx.services[rule.into];
    const double saved = std::max(0.0, theirs - cost);
    ctx.recorder.reinvested(t, rule.share * saved);
    const double bought = rule.share * saved / into.spec.cost_per_fte_year();
    if (bought != into.bought_fte) {  // nothing saved, nothing bought: the run goes on untouched
      into.bought_fte = bought;
      set_staff(ctx, into, into.permanent, into.establishment_now);
    }
  }
}

}  // namespace frontdoor::engine
