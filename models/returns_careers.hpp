#pragma once
// A replication's child-level records (models/child_records.hpp) read the way the statutory returns see them:
// each child's periods of care cut into SSDA903 episodes (a new one at every placement move), and its spells at
// the statutory services grouped into CIN census episodes (from a referral, or a step up from early help, to the
// case's closure). The writers of each return (models/returns.cpp, returns_cin.cpp, returns_annex_a.cpp) read
// only this.
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "models/child_records.hpp"

namespace frontdoor {

/// The service that plays each part of the statutory pathway, by its id in the scenario; the defaults are the
/// England pathway's (scenarios/pathways/england_need.toml). An empty id, or an id the scenario does not have,
/// means the role is absent: it gives no rows.
struct ReturnRoles {
  std::string front_door = "front_door";  ///< contacts (Annex A list 1)
  std::string early_help = "early_help";  ///< early help assessments (list 2); a step up from it opens a CIN episode
  std::string referral = "referral";      ///< referrals to children's social care
  std::string assessment = "assessment";  ///< child and family assessments
  std::string strategy_discussion = "strategy_discussion";  ///< section 47 enquiries
  std::string icpc = "icpc";  ///< initial child protection conferences (held when the service decides)
  std::string child_in_need = "child_in_need";  ///< child in need plans (back-to-back spells are one plan)
  std::string cp_plan = "cp_plan";              ///< child protection plans
  std::string looked_after = "looked_after";    ///< periods of care

  enum class Role {
    none,
    front_door,
    early_help,
    referral,
    assessment,
    strategy_discussion,
    icpc,
    child_in_need,
    cp_plan,
    looked_after
  };
  /// The role of the service `id` (none if it plays none).
  Role role_of(const std::string& id) const;
};

/// "Not yet": an end that had not come by the end of the run.
inline constexpr double open_end = std::numeric_limits<double>::quiet_NaN();

/// One SSDA903 episode of care.
struct CareEpisode {
  std::int64_t child = 0;
  double decom = 0.0;               ///< day it began
  char rne = 'S';                   ///< S: started to be looked after; P: change of placement and carer(s)
  std::string ls;                   ///< legal status code
  std::string cin;                  ///< category of need code
  std::string placement;            ///< the placement type's name in the scenario ("" while none is known)
  double dec = open_end;            ///< day it ceased; NaN while open at the end of the run
  std::string rec;                  ///< REC code once ceased: X1 at a move, else the period's ceasing code
  std::string reason_place_change;  ///< at a move: OTHER (the model does not say why placements end)
  std::string decision;             ///< the looked-after service's decision that ended the period (the last episode)
};

/// One CIN census episode (CINdetails): its spells at the statutory services, back to back.
struct CinEpisode {
  std::int64_t child = 0;
  double referral_day = 0.0;
  std::string source;         ///< ReferralSource code
  bool referral = false;      ///< began at the referral service (else a step up, or the starting caseload)
  bool referral_nfa = false;  ///< the referral ended in no further action (no other spell followed)
  double closure_day = open_end;
  std::string closure_reason;                      ///< RC code once closed
  bool through_protection = false;                 ///< had a section 47 enquiry, a conference or a plan
  std::vector<const ChildRecords::Spell*> spells;  ///< in order of start
};

/// Everything the writers read. Points into the ChildRecords it was built from, which must outlive it.
struct ChildCareers {
  std::chrono::year_month_day start;  ///< the date of day 0
  ReturnRoles roles;
  std::map<std::int64_t, ChildRecords::ChildRow> children;
  std::map<std::int64_t, std::vector<const ChildRecords::Spell*>> spells;  ///< by child, in order of start
  std::vector<const ChildRecords::Contact*> contacts;                      ///< in order of day, then child
  std::vector<CareEpisode> episodes;                                       ///< by child, then start
  std::vector<CinEpisode> cin;                                             ///< by child, then referral

  /// The child's row: a default one (born on day 0, no history, no flags) for a child the records do not hold.
  const ChildRecords::ChildRow& row(std::int64_t child) const;
};

/// Builds the careers of every child in `records`, whose day 0 is `start`.
ChildCareers build_careers(const ChildRecords& records, std::chrono::year_month_day start, const ReturnRoles& roles);

/// Back-to-back spells at one service (a child in need plan reviewed, say) as one plan: [start, end).
struct Plan {
  double start = 0.0;
  double end = open_end;  ///< NaN while open at the end of the run
  const ChildRecords::Spell* last = nullptr;
};
/// The plans of `episode` at the service playing `role`, in order.
std::vector<Plan> plans_of(const CinEpisode& episode, const ReturnRoles& roles, ReturnRoles::Role role);
/// The spell that follows `spell` in its episode back to back (null if none).
const ChildRecords::Spell* next_in(const CinEpisode& episode, const ChildRecords::Spell* spell);
/// Child protection plans a child had before one starting on `day`: its starting history and those in the run.
int previous_plans(const ChildCareers& careers, std::int64_t child, double day);

/// One line of CSV: fields joined by commas, those holding a comma, a quote or a line break quoted (RFC 4180).
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace frontdoor
