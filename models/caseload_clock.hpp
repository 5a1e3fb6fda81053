#pragma once
// The caseload clock of a caseload team. An allocated case needs `work` worker-days over a nominal `duration`, so
// it asks for work / duration FTE. While the team's cases ask for more FTE than it has, every case progresses at the
// same slower pace, FTE / demand (caseload dilution). The clock is a virtual time that runs at that pace: a case
// ends when the virtual clock has advanced by its nominal duration. That is one heap operation per case, where an
// engine activity per case would make SimGrid's max-min solver cost grow with the square of the caseload.
// Plain C++ with no engine: the team's actor asks it when to wake and which cases are due.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_set>
#include <vector>

#include "models/case.hpp"

namespace frontdoor {

/// An allocated case on a team's caseload.
struct AllocatedCase {
  double due = 0.0;            ///< on the team's virtual clock
  std::uint64_t sequence = 0;  ///< allocation order: ties on `due` end first allocated, first ended
  double demand = 0.0;         ///< FTE the case asks for
  Case item;
  std::optional<int> placement;  ///< placement type, where the team places children

  bool operator>(const AllocatedCase& other) const {
    return due != other.due ? due > other.due : sequence > other.sequence;
  }
};

class CaseloadClock {
 public:
  /// Cases a team with `fte` can hold at `caseload_cap` cases per FTE (0: no cap).
  static long capacity_of(double caseload_cap, double fte);

  /// The pace of the cases: 1 while the team has the FTE they ask for, FTE / demand beyond that.
  /// With a pace curve k > 0, (1 + u^k)^(-1/k) for the load u = demand / FTE: work slows gradually as caseloads rise.
  /// This is the share of the time its cases need that each case gets (what quality follows).
  double time_share() const { return share_; }
  /// The pace at which cases progress: their time share, but never below the pace floor (statutory reviews and
  /// court dates keep cases moving however thin the workers are spread; quality is what gives).
  double pace() const { return std::max(floor_, time_share()); }
  /// The pace curve's exponent k (0: the hard bend; see NeedSpec::pace_curve) and the pace floor, [0, 1].
  void set_pace_curve(double k, double floor) {
    curve_ = k;
    floor_ = floor;
    share_ = share_now();
  }
  /// Brings the virtual clock up to real day `t` at the current pace.
  void advance(double t);
  /// New staffing from day `t`: the clock runs at the old pace up to `t`, at the new one after.
  void set_staff(double t, double fte, double caseload_cap);

  bool has_room() const { return live_ < capacity_; }
  /// Allocates a case with `remaining` nominal days still to run (its whole duration, or less for a case open on
  /// the first day) that asks for `demand` FTE. Returns its sequence (to end it early with cancel()).
  std::uint64_t allocate(double remaining, double demand, const Case& item, std::optional<int> placement);
  /// The next case whose nominal duration has elapsed on the virtual clock (a relative tolerance absorbs the
  /// rounding of the timeout that woke the team), skipping those ended early; it stays allocated until end().
  std::optional<AllocatedCase> pop_due();
  /// Ends case `sequence` early (an escalation): pop_due() will skip it. The caller calls end() for it.
  void cancel(std::uint64_t sequence) { cancelled_.insert(sequence); }
  /// A case asking for `demand` FTE leaves the caseload: its worker time goes back to the others.
  void end(double demand);
  /// The real day at which the next case falls due from day `t` at the current pace (infinity: none allocated).
  double next_due(double t) const;

  double fte() const { return fte_; }
  double demand() const { return demand_; }
  long live() const { return live_; }
  long capacity() const { return capacity_; }

 private:
  std::priority_queue<AllocatedCase, std::vector<AllocatedCase>, std::greater<>> due_;
  std::unordered_set<std::uint64_t> cancelled_;
  std::uint64_t next_sequence_ = 0;
  long live_ = 0;      // allocated cases (due entries not cancelled)
  long capacity_ = 0;  // caseload cap x FTE
  double fte_ = 0.0;
  double demand_ = 0.0;  // FTE asked for by the allocated cases
  double curve_ = 0.0;
  double floor_ = 0.0;
  double share_ = 1.0;  // time_share(), recomputed whenever demand or FTE change

  double share_now() const;
  double virtual_time_ = 0.0;
  double last_update_ = 0.0;
};

}  // namespace frontdoor
