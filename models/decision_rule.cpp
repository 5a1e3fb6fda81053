#include "models/decision_rule.hpp"

#include <cmath>

namespace frontdoor {

double observation_sd(const ServiceSpec& spec, const NeedSpec& need, double quality,
                      const std::vector<SourceSpec>& sources, SourceKind source) {
  double variance = std::pow(spec.need_rule.noise_sd * (1.0 + need.quality_noise * (1.0 - quality)), 2);
  if (spec.entry) {
    for (const auto& declared : sources) {
      if (declared.kind != source) continue;
      variance += std::pow(declared.accuracy_sd * (declared.co_located ? need.co_location_factor : 1.0), 2);
    }
  }
  return std::sqrt(variance);
}

int decide(const ServiceSpec& spec, const NeedSpec& need, const std::optional<ChildInView>& child, RandomStream& rng,
           double day) {
  const auto& decisions = spec.decisions;
  if (decisions.empty()) return -1;
  const double u = rng.uniform01();
  int decision = -1;
  double cumulative = 0.0;
  const bool on_need = spec.need_rule.active && child.has_value();
  for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
    if (on_need && !std::isnan(spec.need_rule.thresholds[d])) continue;  // a threshold decides this one
    cumulative += decisions[d].share;
    if (u < cumulative) {
      decision = d;
      break;
    }
  }
  if (decision < 0) {
    if (on_need) {
      const double observed = child->need + child->observation_sd * rng.standard_normal();
      decision = decide_on_need(spec.need_rule, observed, need.threshold_shift_at(day));
    } else {
      decision = static_cast<int>(decisions.size()) - 1;
    }
  }
  if (decision == spec.fgc_from && child.has_value()) {
    const FgcSpec& fgc = need.fgc;
    if (fgc.coverage * fgc.diverted > 0.0 && rng.uniform01() < fgc.coverage * fgc.diverted) decision = spec.fgc_to;
  }
  return decision;
}

}  // namespace frontdoor
