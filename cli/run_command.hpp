#pragma once
// `frontdoor run`, `frontdoor validate` and `frontdoor check-calibration`.
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor {

/// A scenario as the command line names it: a file and its --set overrides.
struct CommonScenarioArgs {
  std::string scenario;
  std::vector<std::string> sets;  ///< KEY=VALUE
};

/// Runs the scenario (`years` > 0 overrides simulation.years) and writes its files into `out`. Returns the exit
/// code: 0, 1 (a replication failed) or 2 (bad input: nothing is written).
/// `frontdoor run`. `returns_replication` (1-based, checked by the caller): the replication whose statutory returns
/// go in returns/; 0: none.
/// --precision: replications are added until every headline interval's half-width is within `relative` of its
/// mean (analysis/precision.hpp), from the --replications asked (at least 3) up to `cap`; 0: off.
struct Precision {
  double relative = 0.0;
  int cap = 200;
};

int command_run(const CommonScenarioArgs& scenario_args, const std::string& out, std::uint64_t seed, int replications,
                int jobs, int years, bool force, bool quiet, bool verbose, const std::vector<std::string>& engine_args,
                const std::vector<std::string>& command_line, int returns_replication = 0,
                const Precision& precision = {});

/// Checks the scenario and prints what it describes. Returns 0 or 2.
int command_validate(const CommonScenarioArgs& scenario_args);

/// Lays a run's yearly table beside the targets in `targets_path`, from `first_year` (<= 0: the first year after
/// the warm-up of the scenario the run carries). Returns 0 (every target inside its band), 1 or 2 (bad input).
/// `council_path` (not empty): compare with that council's figures of `council_year` (0: its latest year) instead
/// of `targets_path`, whose measures and units the council's are checked against.
int command_check_calibration(const std::string& run_dir, const std::string& targets_path, int first_year,
                              const std::string& council_path = "", int council_year = 0);

}  // namespace frontdoor
