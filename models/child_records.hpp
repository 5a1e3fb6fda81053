#pragma once
// What one replication's children went through, child by child: the raw material of the statutory returns
// (SSDA903, the CIN census and Ofsted's Annex A lists) that `frontdoor run --returns` writes. The simulation fills
// it only when returns are asked for (it costs memory); the returns writer (models/returns) turns it into files.
// Plain data, no engine. Days are simulated days from the scenario's start date (day 0); a child born before the
// run has a negative date of birth.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/sources.hpp"

namespace frontdoor {

struct ChildRecords {
  /// A child known to the services at some point in the run (it had a contact), with its fixed characteristics.
  struct ChildRow {
    std::int64_t id = 0;         ///< unique within the replication, stable across its spells
    char sex = 'M';              ///< 'M' or 'F'
    double birth_day = 0.0;      ///< simulated day of birth (negative: before the run)
    std::int64_t family = 0;     ///< household: children with the same value are siblings
    int prior_plans = 0;         ///< child protection plans before the run started (its starting history)
    int prior_care = 0;          ///< episodes of care before the run started
    bool unaccompanied = false;  ///< an unaccompanied asylum-seeking child (came into care directly)
  };
  /// A spell of a child at one service: from the day its case arrived there to the day the service decided.
  struct Spell {
    std::int64_t child = 0;
    std::string service;     ///< the service's id ("assessment", "cp_plan", ...)
    double start_day = 0.0;  ///< day the case arrived at the service
    double allocated_day = std::numeric_limits<double>::quiet_NaN();  ///< caseload teams: day a worker took it
    double end_day = std::numeric_limits<double>::quiet_NaN();        ///< day the service decided; NaN: open at the end
    std::string decision;                                             ///< the decision's name; empty while open
    SourceKind source = SourceKind::other;                            ///< the agency whose contact began the case
    bool initial = false;  ///< open on the first day (part of the council's starting caseload)
  };
  /// A placement of a looked-after child: it starts on `start_day` and lasts until the child's next placement or
  /// the end of its spell in care.
  struct Placement {
    std::int64_t child = 0;
    double start_day = 0.0;
    std::string type;   ///< the placement type's name in the scenario ("foster_care", "residential", ...)
    bool move = false;  ///< a change of placement within the same spell of care (not its first placement)
  };
  /// A contact to the front door and the front door's decision about it.
  struct Contact {
    std::int64_t child = 0;
    double day = 0.0;
    SourceKind source = SourceKind::other;
    std::string decision;  ///< the front door's decision ("referral", "early_help", "no_further_action", ...)
  };

  std::vector<ChildRow> children;
  std::vector<Spell> spells;
  std::vector<Placement> placements;
  std::vector<Contact> contacts;
};

}  // namespace frontdoor
