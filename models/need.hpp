#pragma once
// Children and their latent need: the reference model's population layer (docs/MODEL.md, "Children and need").
// Need is a level 0 (none) to 4 (significant harm) that the system cannot see. It moves one level at a time, up
// or down, as a continuous-time Markov chain whose rates depend on the help the child gets and its quality.
// Agencies notice a child at a rate that rises with need, and describe the need with their own accuracy; a
// decision compares *observed* need (true need plus noise) with thresholds. Harm events occur at a rate that
// rises with need and falls with effective protection. Plain C++ (no SimGrid), so it is unit-testable.
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "models/ages.hpp"

namespace frontdoor {

inline constexpr int need_levels = 5;  ///< 0 none, 1 emerging, 2 moderate, 3 complex, 4 significant harm
using NeedRates = std::array<double, need_levels>;

/// Help a caseload team gives the children it has allocated (unallocated children get none).
struct HelpSpec {
  double effect = 0.0;      ///< need falls this many times faster again (x (1 + effect x quality)), [0, 100]
  double protection = 0.0;  ///< share of harm, and of rises in need, prevented at full quality, [0, 1]
};

/// How a service decides on observed need, where its decisions are `thresholds` rather than shares.
struct NeedRule {
  bool active = false;
  /// Per decision of the service (same order): the lowest observed need at which it is taken, or NaN for a
  /// chance decision (a share drawn first: a family moving away, say). The highest threshold met wins; below
  /// every threshold, the lowest one's decision.
  std::vector<double> thresholds;
  double noise_sd = 0.0;  ///< this service's own decision noise (its threshold consistency), levels, [0, 5]
  /// While a child is allocated here and its need reaches `escalate_at`, the case ends at once with decision
  /// `escalate_decision` (a step-up from early help, say). -1: never.
  int escalate_at = -1;
  int escalate_decision = -1;
  /// Share of families who accept the service; the others decline on arrival, with decision `declined_decision`.
  double consent = 1.0;
  int declined_decision = -1;
  /// Per decision (same order): a chance decision's share by the child's DfE age band instead of its share, when
  /// given (a section 47 on a baby ends in care at once far more often). Empty: none.
  std::vector<std::optional<AgeBands>> share_by_age;
  /// A family waiting unallocated whose need falls below this level withdraws, with `declined_decision` (its
  /// difficulties have eased and it no longer takes up the offer). -1: never.
  int withdraw_below = -1;
};

/// Family group conferencing: before a decision for care, a conference finds a family solution for a share of
/// the children it reaches.
struct FgcSpec {
  double coverage = 0.0;  ///< share of children facing a care decision offered a conference, [0, 1]
  double diverted = 0.0;  ///< share of those conferenced who avoid care, [0, 1]
  double cost = 0.0;      ///< pounds per conference held, [0, 1e6]
};

/// Families with a persistent risk (chronicity): their children's need rises faster and falls more slowly, so that
/// help that closes a case leaves them likelier to come back (repeat referrals and second plans emerge).
struct ChronicSpec {
  double share = 0.0;  ///< share of children in such families, [0, 1]
  double up = 1.0;     ///< their rises in need (onset included) and crises are this many times as frequent, [0, 100]
  double down = 1.0;   ///< their falls in need are this many times as frequent (below 1: slower), [0, 100]
};

/// The starting population's history before day 0 (docs/MODEL.md, "A history at the start"): events per child-year
/// lived before the run, by family (ordinary or chronic), so that measures that look back (second or later plans,
/// re-referrals) are right from the first year. Set from the model's own long-run rates (tests/sim check them).
struct HistorySpec {
  double plans_per_year = 0.0;          ///< child protection plans started, ordinary families
  double plans_per_year_chronic = 0.0;  ///< the same, chronic families
  double referrals_per_year = 0.0;      ///< referrals, ordinary families
  double referrals_per_year_chronic = 0.0;
  double care_per_year = 0.0;  ///< episodes of care started, ordinary families
  double care_per_year_chronic = 0.0;
};

/// Brothers and sisters who come into a service together (sibling groups into care): when a child arrives at
/// `service`, a sibling comes with it with probability `share`, and another with the same probability again (a
/// geometric number), each of the same family, with the same need, aged within `age_gap_years` of it.
struct SiblingSpec {
  double share = 0.0;          ///< [0, 0.9]
  double age_gap_years = 3.0;  ///< [0, 17]
  std::string service;         ///< the service's id (empty: none)
  int index = -1;              ///< resolved
};

/// Unaccompanied asylum-seeking children: they arrive in the council's care directly (the National Transfer Scheme,
/// or a child found at a port), not through the front door. A Poisson stream of `per_10k_per_year` children per
/// 10,000 of the council's children, each aged uniformly between `from_age` and `to_age` years on arrival, with need
/// `need`, starting a case at `service` (the looked-after team); most stay to 18.
struct UnaccompaniedSpec {
  double per_10k_per_year = 0.0;  ///< [0, 100]
  double from_age = 15.0;         ///< [0, 18)
  double to_age = 18.0;           ///< (from_age, 18]
  int need = 3;                   ///< [1, 4]
  std::string service;            ///< the service's id (empty: none)
  int index = -1;                 ///< resolved
};

struct NeedSpec {
  bool enabled = false;
  NeedRates up_per_year{};          ///< rate at which need rises one level, without help, per child-year ([0]: onset)
  NeedRates down_per_year{};        ///< rate at which need falls one level, without help, per child-year
  NeedRates crisis_per_year{};      ///< rate of a sudden jump to level 4 (an acute crisis), per child-year
  NeedRates harm_per_year{};        ///< harm events per child-year at each level, without protection
  double co_location_factor = 0.5;  ///< a co-located source's noise is multiplied by this, [0, 1]
  /// Added to every threshold (negative: risk-averse drift), levels: its value on the day it was set. With
  /// drift_half_life_days it fades towards 0 from then on (threshold_shift_at).
  double threshold_shift = 0.0;
  /// Every agency notices children (1 + notice_boost) times as often, at every level: its value on the day it was
  /// set, fading towards 0 with the same half-life (notice_factor_at). [-0.9, 10]
  double notice_boost = 0.0;
  /// Half-life of the drift, days: threshold_shift and notice_boost fall by half every this many days after the
  /// day they were set. 0: they hold until a [[change]] sets them again. [0, 36525]
  double drift_half_life_days = 0.0;
  double shift_set_day = 0.0;       ///< the day threshold_shift was set: 0, or the start of the change that set it last
  double boost_set_day = 0.0;       ///< the day notice_boost was set: 0, or the start of the change that set it last
  double quality_elasticity = 1.0;  ///< quality = pace ^ elasticity (pace: share of the time a case needs)
  double quality_noise = 1.0;       ///< decision noise is multiplied by 1 + quality_noise x (1 - quality)
  /// How a caseload team's pace falls with its load u = work asked for / FTE: pace = (1 + u^k)^(-1/k). 0: the hard
  /// bend min(1, 1/u) (no slowing until the team is full). A finite k slows work gradually as caseloads rise.
  double pace_curve = 0.0;
  /// Cases progress at least this fast however overloaded the team (quality still falls with the time share), [0, 1].
  double pace_floor = 0.0;
  /// The starting state only: the share of the children whom contacts take past the front door that it treats
  /// as gone from the community. Most come back with need still there, so the true net removal is well below 1;
  /// the warm-up settles what this approximation leaves. [0, 1]
  double start_removal = 1.0;
  FgcSpec fgc;
  /// Ages: relative factors by DfE age band (as written; models/ages.hpp), for the onset of need, its rises,
  /// crises and harm. The rates a child meets use them normalised over the population (the `*_age` below), so
  /// that they shape which children a rate falls on, not its total.
  AgeBands onset_by_age{1.0, 1.0, 1.0, 1.0, 1.0};
  AgeBands up_by_age{1.0, 1.0, 1.0, 1.0, 1.0};
  AgeBands crisis_by_age{1.0, 1.0, 1.0, 1.0, 1.0};
  AgeBands harm_by_age{1.0, 1.0, 1.0, 1.0, 1.0};
  AgeBands onset_age{1.0, 1.0, 1.0, 1.0, 1.0};  ///< normalised (prepare_ages)
  AgeBands up_age{1.0, 1.0, 1.0, 1.0, 1.0};
  AgeBands crisis_age{1.0, 1.0, 1.0, 1.0, 1.0};
  AgeBands harm_age{1.0, 1.0, 1.0, 1.0, 1.0};
  /// Of the crises that fall on babies (under 1) in the pool, the share present at birth: a need known before
  /// birth (a pre-birth assessment), so the child is a newborn. [0, 1]
  double crisis_at_birth = 0.0;
  ChronicSpec chronic;
  HistorySpec history;
  SiblingSpec siblings;
  UnaccompaniedSpec unaccompanied;
  std::string referral_service;  ///< id of the service whose entries are referrals (for re-referrals)
  std::string plan_service;      ///< id of the child protection plan service (for repeat plans)
  int referral = -1;             ///< resolved index of referral_service
  int plan = -1;                 ///< resolved index of plan_service

  /// The threshold shift in force on day `day` (on or after shift_set_day).
  double threshold_shift_at(double day) const {
    return threshold_shift * drift_remaining(day - shift_set_day, drift_half_life_days);
  }
  /// How many times as often agencies notice children on day `day`: 1 + the boost in force.
  double notice_factor_at(double day) const {
    return 1.0 + notice_boost * drift_remaining(day - boost_set_day, drift_half_life_days);
  }
  /// Whether the notice rates change between changes (a boost that fades), so that children's next events must
  /// be drawn again from time to time.
  bool notice_fading() const { return notice_boost != 0.0 && drift_half_life_days > 0.0; }

  /// The share of a drift left `elapsed_days` after it was set: 2^(-elapsed / half-life), exponential decay
  /// towards 0; 1 when half_life_days is 0 (no decay) or nothing has elapsed.
  static double drift_remaining(double elapsed_days, double half_life_days) {
    if (half_life_days <= 0.0 || elapsed_days <= 0.0) return 1.0;
    return std::exp2(-elapsed_days / half_life_days);
  }
};

/// The stationary distribution of need without any help: the birth-death chain's product form,
/// pi(k+1) / pi(k) = up(k) / down(k+1) (crises left out).
NeedRates untreated_equilibrium(const NeedSpec& spec);

/// Quality of a team's work, in (0, 1]: its pace (1 while it has the time its cases need, FTE / demand beyond)
/// raised to the elasticity.
inline double quality_from_pace(double pace, double elasticity) { return std::pow(std::max(pace, 1e-6), elasticity); }

/// The decision a need rule takes for observed need `observed` (chance decisions are drawn before), with every
/// threshold shifted by `shift`. Returns an index into the service's decisions.
int decide_on_need(const NeedRule& rule, double observed, double shift);

}  // namespace frontdoor
