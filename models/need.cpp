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

NeedRates community_equilibrium(const NeedSpec& spec, double children, const NeedRates& removal_per_year) {
  // Gauss-Seidel on the balance equations of levels 1..4; the pool (level 0) is every other child.
  NeedRates stock{};
  for (int sweep = 0; sweep < 2000; ++sweep) {
    const double pool = std::max(0.0, children - stock[1] - stock[2] - stock[3] - stock[4]);
    double change = 0.0;
    for (int k = 1; k < need_levels; ++k) {
      const double below = k == 1 ? pool : stock[k - 1];
      double inflow =
          below * spec.up_per_year[k - 1] + (k + 1 < need_levels ? stock[k + 1] * spec.down_per_year[k + 1] : 0.0);
      if (k == need_levels - 1) {
        inflow += pool * spec.crisis_per_year[0];
        for (int j = 1; j + 1 < need_levels; ++j) inflow += stock[j] * spec.crisis_per_year[j];
      }
      const double crisis = k + 1 < need_levels ? spec.crisis_per_year[k] : 0.0;
      const double out = spec.up_per_year[k] + spec.down_per_year[k] + crisis + removal_per_year[k];
      const double next = out > 0.0 ? inflow / out : 0.0;
      change = std::max(change, std::abs(next - stock[k]));
      stock[k] = next;
    }
    if (change < 1e-9) break;
  }
  return stock;
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
