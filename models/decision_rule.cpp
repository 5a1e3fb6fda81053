#include "models/decision_rule.hpp"

#include <cmath>

namespace frontdoor {

namespace {
double source_variance(const NeedSpec& need, const std::vector<SourceSpec>& sources, SourceKind source) {
  for (const auto& declared : sources) {
    if (declared.kind == source)
      return std::pow(declared.accuracy_sd * (declared.co_located ? need.co_location_factor : 1.0), 2);
  }
  return 0.0;
}
}  // namespace

double observation_sd(const ServiceSpec& spec, const NeedSpec& need, double quality,
                      const std::vector<SourceSpec>& sources, SourceKind source) {
  double variance = std::pow(spec.need_rule.noise_sd * (1.0 + need.quality_noise * (1.0 - quality)), 2);
  if (spec.entry) variance += source_variance(need, sources, source);
  return std::sqrt(variance);
}

double contact_observation_sd(const ServiceSpec& spec, const NeedSpec& need, const std::vector<SourceSpec>& sources,
                              SourceKind source) {
  return std::sqrt(std::pow(spec.need_rule.noise_sd, 2) + source_variance(need, sources, source));
}

int decide(const ServiceSpec& spec, const NeedSpec& need, const std::optional<ChildInView>& child, RandomStream& rng,
           double day, DecisionNotes* notes) {
  if (notes != nullptr) *notes = DecisionNotes{};
  const auto& decisions = spec.decisions;
  if (decisions.empty()) return -1;
  const double u = rng.uniform01();
  int decision = -1;
  double cumulative = 0.0;
  const bool on_need = spec.need_rule.active && child.has_value();
  for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
    if (on_need && !std::isnan(spec.need_rule.thresholds[d])) continue;  // a threshold decides this one
    const auto& by_age = spec.need_rule.share_by_age;
    const bool aged = on_need && child->band >= 0 && d < static_cast<int>(by_age.size()) && by_age[d].has_value();
    cumulative += aged ? (*by_age[d])[child->band] : decisions[d].share;
    if (u < cumulative) {
      decision = d;
      break;
    }
  }
  if (decision < 0) {
    if (on_need) {
      const double observed = child->need + child->observation_sd * rng.standard_normal();
      decision = decide_on_need(spec.need_rule, observed, need.threshold_shift_at(day));
      if (notes != nullptr) notes->observed = observed;
    } else {
      decision = static_cast<int>(decisions.size()) - 1;
    }
  }
  if (decision == spec.fgc_from && child.has_value() && need.fgc.coverage > 0.0) {
    // One draw: a conference is held below `coverage`, and diverts the child below coverage x diverted.
    const FgcSpec& fgc = need.fgc;
    const double v = rng.uniform01();
    if (v < fgc.coverage && notes != nullptr) notes->conference_held = true;
    if (v < fgc.coverage * fgc.diverted) decision = spec.fgc_to;
  }
  return decision;
}

}  // namespace frontdoor
