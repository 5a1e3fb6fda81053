#pragma once
// The decision a service takes about a case: by fixed shares or, in the reference model, chance outcomes first and
// then thresholds on the child's observed need; a family group conference may then turn a decision for care into
// another. Plain C++ with no engine, so every branch is unit-tested in microseconds.
#include <cmath>
#include <optional>
#include <vector>

#include "models/need.hpp"
#include "models/pathway.hpp"
#include "models/random.hpp"
#include "models/sources.hpp"

namespace frontdoor {

/// The child a decision is about (reference model): its true need, and how far the service's view of it is off.
struct ChildInView {
  int need = 0;
  double observation_sd = 0.0;  ///< standard deviation of the noise on the need the service observes, levels
  int band = -1;                ///< its DfE age band (-1: not known), for chance shares by age
};

/// What a decision saw and did besides its outcome.
struct DecisionNotes {
  double observed = std::nan("");  ///< the need observed, when a threshold decided (levels)
  bool conference_held = false;    ///< a family group conference was held
};

/// The noise on a child's need as service `spec` observes it: the service's own inconsistency, worse as its
/// caseload dilutes its time (`quality` < 1; caseload teams only), and, at the entry, the way the referring
/// agency described the child (`sources` in force, the case's `source`).
double observation_sd(const ServiceSpec& spec, const NeedSpec& need, double quality,
                      const std::vector<SourceSpec>& sources, SourceKind source);

/// The noise on a child's need as caseload team `spec` reads an agency's contact about a child on its waiting
/// list: the team's own inconsistency and the way the agency (`source`) describes the child.
double contact_observation_sd(const ServiceSpec& spec, const NeedSpec& need, const std::vector<SourceSpec>& sources,
                              SourceKind source);

/// The service's decision on day `day`, an index into spec.decisions, or -1 where it makes none. `child` is set for
/// a case about a child (reference model); `need` is the [need] table in force, whose threshold shift is taken as
/// it stands on `day` (a drift fades). Every draw comes from `rng` in a fixed order:
/// the chance outcome, then the observation noise (only when a threshold decides), then the conference (only
/// when the decision is the one a conference can change, and conferences are offered). `notes`, when given,
/// receives the need observed (when a threshold decides) and whether a family group conference was held (a share
/// `coverage` of the decisions it can change; a share `diverted` of those turn into the conference's decision).
int decide(const ServiceSpec& spec, const NeedSpec& need, const std::optional<ChildInView>& child, RandomStream& rng,
           double day, DecisionNotes* notes = nullptr);

}  // namespace frontdoor
