#pragma once
// How a case moves between the engine's actors: through zero-time services at once, into a screening queue, or
// into a caseload team's or a timer's inbox; and how a service's decision picks the next service.
#include <optional>

#include "sim/context.hpp"

namespace frontdoor::engine {

/// Moves a case that has just arrived at service `s` on through zero-time services, until it joins a queue,
/// leaves, or needs an actor of its own to hold it. `t` is the current time: nothing here blocks.
void carry_on(Context& ctx, Case item, int s, double t);

/// The service `st` has finished with `item` at day `t`: draws its decision (unless `forced` imposes one; -1 is
/// "no decision") and its route, records both, and returns the next service.
/// Stamps the need the service observed on `item` (for the next team's triage).
int choose_route(Context& ctx, ServiceState& st, Case& item, double t, std::optional<int> forced = std::nullopt);
/// choose_route, then carry_on to the service it chose.
void move_on(Context& ctx, ServiceState& st, Case item, double t, std::optional<int> forced = std::nullopt);

/// Hands a case to a caseload team or a timer, waking it if it sleeps.
void deliver(ServiceState& st, const Case& item);

}  // namespace frontdoor::engine
