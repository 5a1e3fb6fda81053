#pragma once
// Runs one replication of a scenario on SimGrid S4U, driving cases through whatever pathway graph the scenario
// declares. Call it only in a process that has never made an sg4::Engine (the runner forks one process per
// replication for that reason).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/child_records.hpp"
#include "models/scenario.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// A simulation that cannot go on: a deadlock, or a case caught in a zero-time loop.
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// SimGrid settings applied before the user's own --cfg= arguments (which take precedence): small actor stacks
/// without guard pages (our actors are shallow), and quiet configuration logging.
std::vector<std::string> default_engine_args();

/// Simulates replication `replication` with seed `seed`. `engine_args` are passed to the sg4::Engine after
/// default_engine_args() (only --cfg=... and --log=... are meaningful). A scenario with a reinvestment rule first
/// forks a child process that runs the rule's counterfactual on the same seed beside it (and is stopped when this
/// run ends): the caller's process must be able to fork. `records`, when given, receives what every child known
/// to the services went through (for the statutory returns); recording draws no random numbers, so the run is the
/// same with or without it. Throws SimulationError.
ReplicationResult simulate(const Scenario& scenario, int replication, std::uint64_t seed,
                           const std::vector<std::string>& engine_args, ChildRecords* records = nullptr);

}  // namespace frontdoor
