#pragma once
// The warm-up check: MSER-5 (White 1997; White, Cobb and Spratt 2000; Hoad, Robinson and Davies 2010 found it the
// most reliable of the automatic methods they compared) on a run's monthly series. It picks the truncation that
// minimises the standard error of the mean of what is left: a start still settling inflates that error, and a
// cut deep into a settled series leaves too little. Plain C++, unit-tested on series with a known transient.
#include <string>
#include <vector>

#include "sim/replication_result.hpp"

namespace frontdoor {

/// MSER-m: the series is averaged in batches of `batch` (m; 5 for MSER-5; a last, incomplete batch is dropped),
/// and the truncation d (in batches) minimising  sum over the batches after d of (b_i - mean)^2 / (n - d)^2  is
/// searched over the first half of the batches (past that the statistic is known to be unstable). Returns the
/// truncation in observations (d * batch), or -1 when the series has fewer than 4 batches.
int mser_truncation(const std::vector<double>& series, int batch = 5);

/// A series' MSER-5 truncation, in months.
struct WarmupFinding {
  std::string series;
  int months = 0;
  bool at_limit = false;  ///< the cut is the last MSER searches (half the series): it may still be drifting
};

/// MSER-5 on the mean over replications of every monthly series that counts cases open at a service
/// ("<id>_open_mean"): the stocks settle slowest. Sorted longest first; series shorter than 20 months are left out.
std::vector<WarmupFinding> warmup_check(const std::vector<ReplicationResult>& replications);

}  // namespace frontdoor
