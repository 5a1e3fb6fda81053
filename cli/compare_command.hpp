#pragma once
// `frontdoor compare`: runs a base scenario and alternatives on the same seeds (common random numbers) and
// reports, measure by measure and year by year, the paired difference ALT - BASE with its 95% interval.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/run_command.hpp"  // Precision

namespace frontdoor {

/// --select: ranking and selection of the best scenario on one measure (analysis/selection.hpp).
struct SelectOptions {
  std::string measure;  ///< a [reporting] measure (annual.csv); empty: off
  double delta = 0.0;   ///< the indifference zone, in the measure's unit
  double pcs = 0.95;    ///< the probability of correct selection
  bool maximise = false;
  int cap = 200;  ///< replications of a system at most
};

struct CompareOptions {
  std::vector<std::string> scenarios;  ///< the base first, then the alternatives
  std::string out;
  std::uint64_t seed = 1;
  int replications = 10;
  int jobs = 1;
  int years = 0;                  ///< 0: each scenario's own
  std::vector<std::string> sets;  ///< KEY=VALUE (or KEY*=F, KEY+=A) applied to the base and every alternative
  Precision precision;            ///< --precision: pairs until every headline difference is that precise
  SelectOptions select;
  bool force = false;
  bool quiet = false;
  int returns_replication = 0;  ///< 1-based: that replication's statutory returns in returns/<scenario>/; 0: none
  std::vector<std::string> engine_args;
  std::vector<std::string> command_line;
};

/// Returns the exit code: 0, 1 (a simulation failed) or 2 (bad input; nothing written).
int command_compare(const CompareOptions& options);

}  // namespace frontdoor
