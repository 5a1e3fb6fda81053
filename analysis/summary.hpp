#pragma once
// A run's summary over its replications (summary.csv): each measure's mean with its Student-t 95% interval.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/replication_result.hpp"

namespace frontdoor {

/// A measure's mean over replications with its 95% interval, as in summary.csv.
struct SummaryRow {
  std::string measure;
  double mean = 0.0;
  double ci95_low = 0.0;   ///< NaN with one replication
  double ci95_high = 0.0;  ///< NaN with one replication
  std::size_t replications = 0;
};

/// Aggregates the replications' summaries, in the order the first replication lists them.
std::vector<SummaryRow> summarise(const std::vector<ReplicationResult>& results);

/// summary.csv: measure,mean,ci95_low,ci95_high,replications (an interval needs two replications; with one
/// its bounds are empty).
std::string summary_csv(const std::vector<SummaryRow>& rows);

}  // namespace frontdoor
