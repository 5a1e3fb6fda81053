#include "models/need.hpp"

namespace frontdoor {

NeedRates untreated_equilibrium(const NeedSpec& spec) {
  NeedRates pi{};
  pi[0] = 1.0;
  double total = 1.0;
  for (int k = 0; k + 1 < need_levels; ++k) {
    const double down = spec.down_per_year[k + 1];
    pi[k + 1] = down > 0.0 ? pi[k] * spec.up_per_year[k] / down : 0.0;
    total += pi[k + 1];
  }
  for (double& p : pi) p /= total;
  return pi;
}

int decide_on_need(const NeedRule& rule, double observed, double shift) {
  int chosen = -1;
  int lowest = -1;
  for (int d = 0; d < static_cast<int>(rule.thresholds.size()); ++d) {
    const double threshold = rule.thresholds[d];
    if (std::isnan(threshold)) continue;
    if (lowest < 0 || threshold < rule.thresholds[lowest]) lowest = d;
    if (observed >= threshold + shift && (chosen < 0 || threshold > rule.thresholds[chosen])) chosen = d;
  }
  return chosen >= 0 ? chosen : lowest;
}

}  // namespace frontdoor
