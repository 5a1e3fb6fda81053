#pragma once
// A child's career in a caseload team whose ways out are hazards by age (looked after: docs/MODEL.md, "Care
// careers"): competing exits whose rates change as the child ages and as its time in care passes its milestones
// (the first year, the earliest day an adoption can come), and turning 18. Plain C++, no engine.
#include <vector>

#include "models/pathway.hpp"
#include "models/random.hpp"

namespace frontdoor {

/// How long a career lasts from now and how it ends.
struct CareerEnd {
  double days = 0.0;  ///< from now
  int decision = -1;  ///< the exit's decision; `leave_at_18` when the child turns 18 first
};

/// Draws the rest of a career for a child aged `age_days` now that has been in care `in_care_days` already, from
/// the competing hazards `exits` (piecewise constant between birthdays that change its band and its time in care's
/// milestones). A child still in care at 18 leaves then with `leave_at_18`. Draws one exponential and one uniform
/// from `rng`, in that order, whatever happens.
CareerEnd draw_career(const std::vector<CareExitSpec>& exits, int leave_at_18, double age_days, double in_care_days,
                      RandomStream& rng);

/// The placement type (an index into `placements`) of a child in age band `band`: by the types' shares by age when
/// they have them, else by their shares. One uniform from `rng`.
int draw_placement_type(const std::vector<PlacementSpec>& placements, int band, RandomStream& rng);

}  // namespace frontdoor
