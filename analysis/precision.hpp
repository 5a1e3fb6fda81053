#pragma once
// Replications to a stated precision (the replication/deletion approach of Law 2015, as automated by Hoad, Robinson
// and Davies 2010): keep adding replications until the 95% interval of every headline measure's mean is within a
// relative half-width of that mean, or a cap is reached. Plain C++, unit-tested.
#include <string>
#include <vector>

#include "sim/replication_result.hpp"

namespace frontdoor {

/// A headline measure's mean over the replications (each replication's mean over the years from `first_year`),
/// and its 95% interval's half-width, absolute and over |mean|.
struct PrecisionFinding {
  std::string measure;
  double mean = 0.0;
  double half_width = 0.0;
  double relative = 0.0;
  int replications = 0;
};

/// One annual.csv measure's value in each replication, in replication order: its mean over the years from
/// `first_year` (the rate or share, not its count row); NaN in a replication that does not report it.
std::vector<double> measured_mean_by_replication(const std::vector<ReplicationResult>& results,
                                                 const std::string& measure, int first_year);

/// The headline measures a council reads first, where the run reports them (annual.csv): contacts, referrals,
/// section 47 enquiries, plan and care starts, children in need and looked after at 31 March, caseloads and the
/// total cost. A scenario reporting none of them (a queueing-theory validation) is judged on its summary's
/// contacts a year and every service's cases a year. Measures with a mean of zero are left out. Sorted by
/// relative half-width, widest first.
std::vector<PrecisionFinding> headline_precision(const std::vector<ReplicationResult>& results, int first_year);

/// Sorts findings by relative half-width, widest first (stable: ties keep their order).
void sort_widest_first(std::vector<PrecisionFinding>& found);

/// For a comparison on common random numbers: each headline measure's paired difference ALT - BASE (replication r
/// of each), its 95% interval's half-width, and that over the base's |mean| (a difference near zero is judged
/// against the level it changes).
std::vector<PrecisionFinding> difference_precision(const std::vector<ReplicationResult>& base,
                                                   const std::vector<ReplicationResult>& alternative, int first_year);

/// The next number of replications after `n` fell short: the widest relative half-width shrinks as 1 / sqrt(n), so
/// n (widest / target)^2, rounded up to whole rounds of `jobs`, at least one round more, at most `cap`.
int next_replications(int n, double widest, double target, int jobs, int cap);

}  // namespace frontdoor
