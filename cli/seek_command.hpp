#pragma once
// `frontdoor seek`: the lever value that hits a target, on common random numbers. The response (a measure's
// mean over chosen years, or an after-warm-up summary measure) is found at the range's ends, then the range is
// halved around the target until it is narrow enough; the answer comes with a 95% interval.
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor {

struct SeekOptions {
  std::string scenario;
  std::vector<std::string> sets;  ///< KEY=VALUE overrides, applied at every lever value
  std::string lever;              ///< KEY=LO:HI
  std::string target;             ///< MEASURE=VALUE or MEASURE:UNIT=VALUE
  std::string years;              ///< "A-B" or "A" (empty: from the first year after the warm-up to the last)
  std::uint64_t seed = 1;
  int replications = 8;
  int jobs = 1;
  int max_evaluations = 16;
  double tolerance = 0.0;  ///< width of the final range in the lever's units (0: a 200th of LO:HI; whole: 1)
  bool quiet = false;
  std::vector<std::string> engine_args;
};

/// Returns the exit code: 0 found, 1 not found (the target is not reached in the range, or the evaluations ran
/// out: the best point is printed with its miss) or a simulation failed, 2 bad input.
int command_seek(const SeekOptions& options);

}  // namespace frontdoor
