#pragma once
// Referral sources: the agencies that make contacts to the front door, each an arrival process of its own.
#include <array>
#include <string>

#include "models/random.hpp"

namespace frontdoor {

/// The agencies that make contacts, in the order of the DfE's referral-source categories.
enum class SourceKind { police, schools, health, local_authority, individuals, other };
inline constexpr std::array<SourceKind, 6> all_sources{SourceKind::police,      SourceKind::schools,
                                                       SourceKind::health,      SourceKind::local_authority,
                                                       SourceKind::individuals, SourceKind::other};
/// Scenario-file name of a source ("police", "schools", "health", "local_authority", "individuals", "other").
const char* source_name(SourceKind kind);
/// The source with this scenario-file name; false if there is none.
bool source_from_name(const std::string& name, SourceKind& out);
/// The random stream that drives this source's arrivals.
StreamPurpose arrival_stream(SourceKind kind);

enum class ArrivalPattern {
  poisson,        ///< a Poisson process (non-homogeneous when a calendar applies)
  deterministic,  ///< evenly spaced, first contact at day 0 (for exact validation cases such as D/D/1)
};

/// One referral source.
struct SourceSpec {
  SourceKind kind = SourceKind::other;
  double contacts_per_day = 0.0;  ///< contacts a day in term time, range [0, 100000]
  ArrivalPattern pattern = ArrivalPattern::poisson;
  bool follows_school_calendar = false;  ///< rate is multiplied by holiday_factor on school holidays
  double holiday_factor = 1.0;           ///< range [0, 1]
  // With a [need] table, contacts come from children instead of `contacts_per_day`: the source notices a child
  // at level k at notice_per_year[k] (term time), and describes its need with noise of sd `accuracy_sd`
  // (multiplied by the co-location factor while it is co-located in the front door).
  std::array<double, 5> notice_per_year{};  ///< contacts per child-year by need level 0..4
  double accuracy_sd = 0.0;                 ///< levels, [0, 5]
  bool co_located = false;
  /// Relative noticing by DfE age band (health sees babies, schools the school-aged, police adolescents), as
  /// written, and normalised over the population (`notice_age`, used by the model).
  std::array<double, 5> notice_by_age{1.0, 1.0, 1.0, 1.0, 1.0};
  std::array<double, 5> notice_age{1.0, 1.0, 1.0, 1.0, 1.0};
};

}  // namespace frontdoor
