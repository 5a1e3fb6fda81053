#pragma once
// `frontdoor fit`: a scenario on a base fitted to a council's published figures (analysis/council_figures.hpp).
// A documented set of levers (the agencies' noticing and its yearly trend, the thresholds of each decision, the
// lengths of plans and care, early help's capacity) is fitted on common random numbers (Gauss-Newton steps on the
// misses, their linear model minimised by NLopt, then NLopt's BOBYQA),
// minimising the mean squared miss of every figure, each scaled by its own band; the social workers'
// establishments are taken from the council's workforce figure. Writes the scenario (each fitted value commented)
// and a fit report (every figure, its band, the simulated value with its 95% interval); with --until, the years
// after are forecast and the forecast's error is reported per measure (a back-test).
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor {

struct FitOptions {
  std::string council;     ///< the council's figures (calibration/council_template.csv)
  std::string base;        ///< the scenario fitted on
  std::string out;         ///< the fitted scenario (TOML); the report goes beside it as <stem>_fit.csv
  std::string parameters;  ///< the levers to fit, comma-separated (empty: every lever the base has)
  int until = 0;           ///< fit the years up to this one and forecast the rest (0: fit every year)
  std::uint64_t seed = 1;
  int replications = 4;        ///< at each evaluation (the same seeds at every one)
  int check_replications = 8;  ///< for the report of the best point
  int jobs = 1;
  int max_evaluations = 140;
  std::string optimiser = "bobyqa";  ///< NLopt's: bobyqa, sbplx, neldermead or cobyla
  int warmup_years = 6;              ///< the fitted scenario's warm-up: the council's first year follows it
  bool force = false;
  bool quiet = false;
  std::vector<std::string> engine_args;
};

/// Returns the exit code: 0 fitted, 1 the optimiser did not converge in --max-evaluations (the best point is
/// written with its misfit) or a simulation failed, 2 bad input (nothing written).
int command_fit(const FitOptions& options);

/// The levers `fit` can fit, one line each (name, range, what it is, what it moves), for --help and the README.
std::string fit_lever_table();

}  // namespace frontdoor
