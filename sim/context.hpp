#pragma once
// The small context the engine's actors share: the scenario, the recorder, one state per service (its periods of
// [[change]], its streams, its staff, and the part its kind needs), the children, and the wakers that let one actor
// hand work to another. The model's rules live in models/ (decision_rule, routing, children, caseload_clock,
// workforce); this layer only holds state between SimGrid's events and moves cases along.
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <vector>

#include "models/calendar.hpp"
#include "models/case.hpp"
#include "models/caseload_clock.hpp"
#include "models/child_records.hpp"
#include "models/children.hpp"
#include "models/routing.hpp"
#include "models/scenario.hpp"
#include "models/screening_queue.hpp"
#include "sim/pathway_recorder.hpp"

namespace frontdoor::engine {

namespace sg4 = simgrid::s4u;

inline constexpr double never = std::numeric_limits<double>::infinity();

/// Wakes an actor that sleeps until its next due time or until another actor hands it something.
struct Waker {
  sg4::SemaphorePtr wake;
  bool sleeping = false;
  bool signalled = false;

  void signal() {
    if (sleeping && !signalled) {
      signalled = true;
      wake->release();
    }
  }
};

/// The children's events run in the engine's own timers (in SimGrid's maestro), not in an actor: most of a run's
/// events are children's, and a timer costs a heap entry where an actor's wait costs two context switches and a
/// timed action in SimGrid's solver. One timer is pending at a time, at the population's next due day.
struct PopulationTimer {
  simgrid::kernel::timer::Timer* pending = nullptr;
  double armed_at = never;          ///< day of the pending timer (infinity: none)
  bool running = false;             ///< its events are being handled now (the timer is set again when they are done)
  double next_pool = never;         ///< day of the pool's next event
  std::vector<double> change_days;  ///< days on which rates change (Scenario::rate_change_days)
  std::size_t next_change = 0;
};

/// The service as one [[change]] leaves it, from `from_day` on.
struct ServicePeriod {
  double from_day = 0.0;
  const ServiceSpec* spec = nullptr;
  RoutingTable routing;
};

/// A screening queue: our own FCFS queue served by one actor per screener. An idle screener waits on its own
/// semaphore and is handed the next case directly.
struct ScreeningDesk {
  struct Screener {
    sg4::SemaphorePtr wake;
    Case handed;
    bool idle = false;      // waiting for work on its semaphore
    bool off_duty = false;  // waiting to be called on duty
  };
  ScreeningQueue queue;
  std::vector<Screener> screeners;
  int on_duty = 0;
};

/// A caseload team: one actor, woken by deliveries or by its next due case. Cases beyond the caseload cap wait
/// unallocated, in triage order (the need level observed, then first come, first served); a team that must
/// allocate every case (a statutory duty) takes them all at once.
struct CaseloadTeam {
  /// A waiting child leaves the list with `decision`: its observed need crossed the escalation line, or its need
  /// fell so far that the family withdrew.
  struct WaitingExit {
    int child;
    int decision;
  };
  Waker waker;
  std::vector<Case> inbox;
  std::vector<int> escalations;  // children whose need rose past the escalation level while allocated here
  std::vector<WaitingExit> waiting_exits;
  std::vector<int> turned_18;  // children allocated here who turned 18 (the team's leave_at_18 decision)
  CaseloadClock clock;
  std::map<TriageKey, Case> unallocated;
};

/// A decision point with a delay: one timer actor holding its cases until they fall due.
struct DecisionTimer {
  struct Held {
    double due;
    std::uint64_t sequence;
    Case item;
    bool operator>(const Held& other) const { return due != other.due ? due > other.due : sequence > other.sequence; }
  };
  Waker waker;
  std::vector<Case> inbox;
  std::priority_queue<Held, std::vector<Held>, std::greater<>> held;
  std::uint64_t next_sequence = 0;
};

struct ServiceState {
  ServiceState(const Scenario& scenario, int s, std::uint64_t seed);

  /// The service as it stands at day `t`.
  const ServicePeriod& at(double t) const {
    if (periods.size() == 1) return periods.front();
    for (auto it = periods.rbegin(); it != periods.rend(); ++it) {
      if (t >= it->from_day) return *it;
    }
    return periods.front();
  }
  /// The woken actor's waker (caseload team or timer).
  Waker& waker() { return team ? team->waker : timer->waker; }
  std::vector<Case>& inbox() { return team ? team->inbox : timer->inbox; }

  int index;
  const ServiceSpec& spec;
  RandomStream work_rng;
  RandomStream duration_rng;
  RandomStream decision_rng;
  RandomStream workforce_rng;
  RandomStream placement_rng;
  std::vector<ServicePeriod> periods;
  std::vector<StaffChange> establishment_changes;  // after day 0
  double max_fte = 0.0;
  // Staff now.
  double permanent = 0.0;          // permanent staff in post
  double establishment_now = 0.0;  // posts in the establishment
  double bought_fte = 0.0;         // staff bought by a reinvestment rule
  // The part of its kind (exits have none, and decision points that take no time have none).
  std::optional<ScreeningDesk> screening;
  std::optional<CaseloadTeam> team;
  std::optional<DecisionTimer> timer;
};

struct Context {
  Context(const Scenario& scenario, std::uint64_t seed);

  double now() const { return sg4::Engine::get_clock(); }
  /// Sleeps until `wake_at` (real time; infinity: until signalled) or a signal, whichever comes first.
  void sleep_until_due_or_signalled(Waker& w, double wake_at);
  /// Quality of a caseload team's work now, from its pace.
  double quality_of(const ServiceState& st) const;
  /// The help child `child` gets at day `t`.
  HelpNow help_for(const Child& child, double t) const;
  /// Draws child `c`'s next event afresh (its status or rates changed), bringing the population's timer forward if
  /// need be; nothing for a child whose record is gone.
  void reschedule(int c, double t);
  /// The population's timer goes off at day `at` if that is sooner than the one pending (none at or after the
  /// horizon: the run ends there).
  void arm_population(double at);

  const Scenario& scenario;
  const Pathway& pathway;
  SimCalendar calendar;
  PathwayRecorder recorder;
  std::uint64_t seed;
  sg4::Host* host = nullptr;
  std::vector<std::unique_ptr<ServiceState>> services;
  std::uint64_t next_case_id = 0;
  std::uint64_t events = 0;
  // Reference model (a [need] table).
  ChildPopulation children;
  PopulationTimer population;
  bool bringing_siblings = false;  ///< a child's brothers and sisters are arriving with it (they bring no more)
  /// What each child goes through, when the statutory returns are asked for (else null).
  ChildRecords* records = nullptr;
};

}  // namespace frontdoor::engine
