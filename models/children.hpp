#pragma once
// The reference model's children and their latent need, as plain C++ with no engine (docs/MODEL.md, "Children and
// need"): each child's rates, the pool of children with no need, and the council's children on the first day.
//
// Children are simulated lazily: those with no need who are not in the pathway are a count (the pool), not
// records. A child gets a record when need first appears (onset) or when an agency makes a contact about it, and
// loses it when need is back to 0 outside the pathway or when it leaves the population. Every child's next event
// sits in one heap (models/event_heap), one entry a child; a status change (a contact, an allocation, an end of
// help) draws a fresh next event, which moves the child's entry.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "models/ages.hpp"
#include "models/calendar.hpp"
#include "models/case.hpp"
#include "models/event_heap.hpp"
#include "models/need.hpp"
#include "models/random.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

/// A child with a record: need, where it is in the pathway, and its history.
struct Child {
  int need = 0;
  double birth_day = 0.0;      ///< simulated day of birth (negative: before the run)
  int band = 0;                ///< DfE age band now (models/ages.hpp)
  bool birthday_next = false;  ///< the child's next event in the heap is a birthday that changes its band
  bool adult = false;          ///< turned 18 while in the pathway: it leaves when its case ends
  bool chronic = false;        ///< its family has a persistent risk (NeedSpec::chronic)
  std::int64_t serial = 0;     ///< unique within the replication, in the order children were known
  std::int64_t family = 0;     ///< its household (siblings share it)
  int prior_plans = 0;         ///< child protection plans before the run (its starting history)
  int prior_care = 0;          ///< episodes of care before the run
  int placements_year = -1;    ///< the year (0-based) its placements are counted for
  int placements_in_year = 0;  ///< placements it had in that year (DfE's placement stability measure)
  int unstable_year = -1;      ///< the year in which it was counted with 3 or more placements (-1: none)
  char sex = 'M';              ///< 'M' or 'F'
  int at_service = -1;         ///< the service whose stock by age counts it now (-1: none)
  int open_spell = -1;         ///< its open spell in the run's child records (statutory returns), or -1
  bool recorded = false;       ///< its row is in the run's child records
  bool unaccompanied = false;  ///< an unaccompanied asylum-seeking child (need.unaccompanied)
  int need_at_start = 0;       ///< when the current episode began
  bool alive = false;
  bool in_pathway = false;
  bool helped = false;  ///< allocated to a caseload team during the current episode
  /// The case this child has allocated to a caseload team now (the team's index, and the case as allocated).
  struct Allocation {
    int service = 0;
    std::uint64_t sequence = 0;
    double demand = 0.0;
    std::optional<int> placement;
    Case item;
  };
  std::optional<Allocation> allocated;
  /// The caseload team whose waiting list holds this child, unallocated, and its place in the list.
  struct Waiting {
    int service = 0;
    TriageKey key;
  };
  std::optional<Waiting> waiting;
  int plans = 0;
  double last_referral = -std::numeric_limits<double>::infinity();
  double last_contact = -std::numeric_limits<double>::infinity();
  double last_exit = -std::numeric_limits<double>::infinity();
  double pending_closure = -std::numeric_limits<double>::infinity();  ///< an improved closure inside its follow-up
  // The child's own streams, so that a decision that differs between scenarios shifts only what it must: `rng` its
  // need, contacts and harm; `luck` the noise and chances of decisions about it; `cases` the work, durations and
  // placements of its cases.
  RandomStream rng{0};
  RandomStream luck{0};
  RandomStream cases{0};
  // The child's next event as a unit-exponential amount of hazard still to run (none: not drawn yet), spent at
  // `clock_rate` a day since `clock_from`. A change of rates rescales what is left instead of drawing afresh, which
  // is exact for a Markov chain and keeps the child's luck the same across scenarios.
  std::optional<double> residual;
  double clock_from = 0.0;
  double clock_rate = 0.0;
};

/// The help a child gets now from the caseload team it is allocated to (none: all zero, quality 1).
struct HelpNow {
  double effect = 0.0;
  double protection = 0.0;
  double quality = 1.0;
  double moves_per_year = 0.0;  ///< placement moves, when the team has placed the child
};

/// Rates per day of each thing that can happen next to a child: need up, a crisis, need down, harm, and a contact
/// from each source (at term-time rate; the school calendar thins them).
struct ChildRates {
  double up = 0.0, down = 0.0, crisis = 0.0, harm = 0.0, move = 0.0;
  std::array<double, all_sources.size()> notice{};
  double total = 0.0;
};
/// Child `child`'s rates on day `day` under scenario `in_force` (the one in force then) with `help`; agencies'
/// noticing is scaled by the notice boost in force that day (NeedSpec::notice_factor_at).
ChildRates child_rates(const Child& child, const Scenario& in_force, const HelpNow& help, double day);

/// Whether a contact drawn at day `t` goes ahead: a school-calendar source's contact in a holiday goes ahead with
/// the holiday factor. The uniform is drawn whatever the day, so that the stream stays in step across scenarios
/// whose events fall on slightly different days (common random numbers).
bool noticed_today(const SourceSpec& source, double t, const SimCalendar& calendar, RandomStream& rng);

/// Children by age band and need level (level 0: those with no need).
using NeedByAge = std::array<NeedRates, age_bands>;

/// The council's children on the first day, by family group, age band and need level: each group (ordinary and
/// chronic families, NeedSpec::chronic) at the balance of its own chain (a chronic family's need rises chronic.up
/// times as fast and falls chronic.down times as fast), with children born with no need and ageing through the
/// bands at the rates of their age (so that an adolescent has had years for need to build up, a baby has not), and
/// children leaving it when a contact about them passes the front door's lowest threshold above its default
/// decision, need.start_removal of them staying away. The services' own balance is left to the warm-up.
struct StartingNeed {
  NeedByAge ordinary{};
  NeedByAge chronic{};
  /// Both groups and every age band together, by need level.
  [[nodiscard]] NeedRates total() const;
  /// The chance that a child at need level `level` on the first day is in a chronic family.
  [[nodiscard]] double chronic_probability(int level) const;
};
StartingNeed starting_need_by_family(const Scenario& scenario);
/// One family group's children (`children` of them) by age band and need level at the balance of their chain, need
/// rising (and crises) `up` times and falling `down` times as fast as the scenario's, children born with no need
/// and ageing through the bands, a child at level k in band b also leaving at `removal[b][k]` a year.
NeedByAge community_balance_by_age(const Scenario& scenario, double children, double up, double down,
                                   const NeedByAge& removal);
/// Children at each need level on the first day, both family groups and every age band together.
NeedRates starting_need(const Scenario& scenario);

/// What a child's event turned out to be.
struct ChildOutcome {
  enum class Kind {
    rose,       ///< need rose a level, or jumped to 4 in a crisis
    fell,       ///< need fell a level
    left,       ///< need fell to 0 outside the pathway: the child's record is gone
    harmed,     ///< a harm event
    contact,    ///< an agency makes a contact about the child (`source`)
    unnoticed,  ///< a contact that a school holiday took away
    moved,      ///< a looked-after child's placement ended and another began
    aged,       ///< a birthday moved the child into the next age band
    turned_18,  ///< the child turned 18 (outside the pathway its record is gone)
  };
  Kind kind = Kind::unnoticed;
  SourceKind source = SourceKind::other;
  bool within_year_of_exit = false;  ///< harmed: outside the pathway, within 365 days of leaving it
};

/// What an event of the pool (children with no need, outside the pathway) turned out to be.
struct PoolOutcome {
  enum class Kind {
    onset,      ///< need appeared: `child` at level 1
    crisis,     ///< `child` at level 4
    contact,    ///< an agency makes a contact about `child`, at level 0
    unnoticed,  ///< a contact that a school holiday took away (no record made)
  };
  Kind kind = Kind::unnoticed;
  int child = -1;
  SourceKind source = SourceKind::other;
};

class ChildPopulation {
 public:
  /// `children`: the children in the council's area; `seed`: the replication's seed.
  ChildPopulation(long children, std::uint64_t seed);
  /// The council's children by age band, its share of chronic families and their history before the run (from
  /// the scenario).
  void set_population(const AgeBands& age_shares, double chronic_share, const HistorySpec& history = {});

  /// A new record for a child at `need` on day `t`, with its own streams: children are numbered in the order they
  /// appear, which scenarios on the same seeds share. Its age is drawn from the population weighted by
  /// `age_weights` (the age factors of the event that brought it to notice), and its family is chronic with
  /// probability `chronic_probability`, both from its own stream.
  /// A child drawn under 1 is a newborn (age 0) with probability `at_birth` (a need known before birth).
  int add(int need, double t = 0.0, const AgeBands& age_weights = AgeBands{1.0, 1.0, 1.0, 1.0, 1.0},
          double chronic_probability = 0.0, double at_birth = 0.0);
  /// A new record for a brother or sister of child `of` on day `t`: the same family (and chronic risk) and need,
  /// aged within `age_gap_years` of it (from 0 to just under 18), its own streams and history.
  int add_sibling(int of, double t, double age_gap_years);
  /// A child who arrives in the council at day `t` aged `age_years`, with need `need` and no history here (an
  /// unaccompanied asylum-seeking child).
  int add_arrival(int need, double t, double age_years);
  /// The child's record is gone (need back to 0 outside the pathway, or it left the population).
  void release(int c);
  /// The serial the next child gets; `skip_serials_to` moves it on (never back), so that a group of children can
  /// have serials, and so streams, of its own whatever the size of the groups before it (common random numbers).
  [[nodiscard]] std::uint64_t next_serial() const { return next_serial_; }
  void skip_serials_to(std::uint64_t serial) { next_serial_ = std::max(next_serial_, serial); }
  /// Whether the council's records hold something of child `c` that a later episode needs: a child protection plan
  /// (a later plan is a second plan). Such a child keeps its record when its need is back to 0 outside the pathway,
  /// at the pool's rates, instead of rejoining the pool as a stranger.
  [[nodiscard]] bool remembered(int c) const;
  Child& operator[](int c) { return children_[c]; }
  const Child& operator[](int c) const { return children_[c]; }
  /// Number of records, alive or free (indices run from 0 to this).
  int slots() const { return static_cast<int>(children_.size()); }
  long known() const { return known_; }

  /// Draws child `c`'s next event afresh at day `t` now that its rates total `total_rate` a day: the hazard left
  /// over from its last draw is rescaled, not redrawn. Returns the day of the event (infinity: none).
  double reschedule(int c, double t, double total_rate);
  /// The next child whose event falls by day `t`.
  std::optional<int> pop_due(double t);
  /// Day of the next child event (infinity: none).
  double next_event_day() const;
  /// Child `c`'s event at day `t`, with its rates `r` now: draws what happens and changes its need.
  ChildOutcome child_event(int c, double t, const ChildRates& r, const Scenario& in_force, const SimCalendar& calendar);

  /// Events a day in the pool on day `day` under scenario `in_force`: onsets, crises and level-0 contacts.
  double pool_rate(const Scenario& in_force, double day) const;
  /// Day of the pool's next event after `t` (infinity: none).
  double draw_pool_event(double t, const Scenario& in_force);
  /// The pool's event at day `t`.
  PoolOutcome pool_event(double t, const Scenario& in_force, const SimCalendar& calendar);

 private:
  /// Children with no record in each family group: ordinary and chronic.
  double pool_children(bool chronic) const;

  long children_in_area_;
  std::uint64_t seed_;
  AgeBands age_shares_ = england_age_shares;
  double chronic_share_ = 0.0;
  HistorySpec history_;
  long known_chronic_ = 0;
  std::vector<Child> children_;
  std::vector<int> free_;
  long known_ = 0;
  ChildEventHeap events_;
  std::uint64_t next_event_ = 0;
  RandomStream pool_rng_;  // the pool: onset, crises, level-0 contacts
  std::uint64_t child_streams_;
  std::uint64_t next_serial_ = 0;
};

}  // namespace frontdoor
