#include "models/care_career.hpp"

#include <algorithm>
#include <limits>

namespace frontdoor {

namespace {
// The hazard a day of leaving by `exit` for a child in band `band` that has been in care `in_care` days.
double hazard(const CareExitSpec& exit, int band, double in_care) {
  if (in_care < exit.not_before_days) return 0.0;
  const double factor = in_care < days_per_year ? exit.first_year_factor : 1.0;
  return exit.per_year[band] * factor / days_per_year;
}
}  // namespace

CareerEnd draw_career(const std::vector<CareExitSpec>& exits, int leave_at_18, double age_days, double in_care_days,
                      RandomStream& rng) {
  double left = rng.exponential(1.0);  // hazard to run before the exit
  const double pick = rng.uniform01();
  const double adult_day = adult_age_years * days_per_year;
  double age = age_days;
  double in_care = in_care_days;
  while (age < adult_day) {
    const int band = age_band_of(age / days_per_year);
    // The segment runs to the next change of any rate: a birthday into the next band, the end of the first year
    // in care, or an exit's earliest day.
    double length = std::min(age_band_upper_years[band] * days_per_year, adult_day) - age;
    if (in_care < days_per_year) length = std::min(length, days_per_year - in_care);
    double total = 0.0;
    for (const CareExitSpec& exit : exits) {
      if (in_care < exit.not_before_days) length = std::min(length, exit.not_before_days - in_care);
      total += hazard(exit, band, in_care);
    }
    length = std::max(length, 1e-9);
    if (total * length > left) {
      const double at = left / total;
      // Which exit: in proportion to the hazards in force.
      double u = pick * total;
      int decision = exits.back().decision;
      for (const CareExitSpec& exit : exits) {
        const double h = hazard(exit, band, in_care);
        if (u < h) {
          decision = exit.decision;
          break;
        }
        u -= h;
      }
      return {in_care + at - in_care_days, decision};
    }
    left -= total * length;
    age += length;
    in_care += length;
  }
  return {std::max(0.0, in_care - in_care_days), leave_at_18};
}

int draw_placement_type(const std::vector<PlacementSpec>& placements, int band, RandomStream& rng) {
  double u = rng.uniform01();
  const int last = static_cast<int>(placements.size()) - 1;
  int p = 0;
  for (; p < last; ++p) {
    const double share = placements[p].by_age ? (*placements[p].by_age)[band] : placements[p].share;
    if (u < share) break;
    u -= share;
  }
  return p;
}

}  // namespace frontdoor
