#pragma once
// Lays a run's yearly table (annual.csv) beside published targets (calibration/england_targets.csv): for each
// target, the simulated mean over replications of each replication's mean over the years after the warm-up, with
// its 95% interval, and whether it lies inside the target's low-high band.
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "models/calendar.hpp"  // first_year_after_warmup

namespace frontdoor {

struct CalibrationTarget {
  std::string measure;
  std::string unit;
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  std::string source;
};

/// Reads a targets file with header measure,unit,value,low,high,source. Throws RunReadError with file:line.
std::vector<CalibrationTarget> read_targets(const std::filesystem::path& path);

struct CalibrationRow {
  CalibrationTarget target;
  bool simulated = false;  ///< the run reports this measure in this unit
  double mean = 0.0;
  double ci95_low = 0.0;
  double ci95_high = 0.0;
  std::size_t replications = 0;
  bool inside = false;  ///< simulated and low <= mean <= high
};

/// Compares annual.csv of `run_dir` over years `first_year` to `last_year` with the targets.
std::vector<CalibrationRow> compare_with_targets(const std::filesystem::path& run_dir,
                                                 const std::vector<CalibrationTarget>& targets, int first_year,
                                                 int last_year = std::numeric_limits<int>::max());

}  // namespace frontdoor
