#include "sim/pathway_sim.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <functional>
#include <memory>
#include <queue>
#include <simgrid/s4u.hpp>

#include "models/arrivals.hpp"
#include "models/screening_queue.hpp"
#include "sim/pathway_recorder.hpp"

XBT_LOG_NEW_DEFAULT_CATEGORY(frontdoor_sim, "frontdoor: the pathway simulation");

namespace sg4 = simgrid::s4u;

namespace frontdoor {

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

// How the engine maps the pathway onto S4U. Every service with a team is one or more long-lived actors, and cases
// are data handed between them; no actor is ever created per case.
// - One arrival actor per referral source, and a horizon actor (the only non-daemon) that ends the run.
// - A screening queue is our own FCFS ScreeningQueue served by one actor per screener; an idle screener waits on
//   its own semaphore and is handed the next item directly.
// - A caseload team is one actor. Cases beyond the caseload cap (FTE x cases per FTE) wait unallocated, first come
//   first served. An allocated case needs `work` worker-days over a nominal `duration`, so it asks for
//   work / duration FTE; while the team's cases ask for more FTE than it has, every case progresses at the same
//   slower pace FTE / demand (caseload dilution). The actor keeps a virtual clock that runs at that pace, and a
//   case ends when the virtual clock has advanced by its nominal duration: one heap operation per case, where
//   an Exec per case would make SimGrid's max-min solver cost grow with the square of the caseload.
//   It sleeps on a semaphore with a timeout until its next case ends, or until another actor hands it a case.
// - A decision point routes at once, inside whichever actor carries the case; one with a delay is a timer actor
//   built the same way.
class PathwayModel {
 public:
  PathwayModel(const Scenario& scenario, std::uint64_t seed)
      : scenario_(scenario),
        pathway_(scenario.pathway),
        calendar_(scenario.make_calendar()),
        recorder_(scenario, calendar_),
        seed_(seed) {}

  void start(sg4::NetZone* zone) {
    council_host_ = zone->create_host("council", 1.0);
    zone->seal();
    for (int s = 0; s < static_cast<int>(pathway_.services().size()); ++s) {
      services_.push_back(std::make_unique<ServiceRuntime>(scenario_, s, seed_));
    }

    const double horizon = calendar_.horizon_days();
    sg4::Actor::create("horizon", council_host_, [horizon] { sg4::this_actor::sleep_until(horizon); });
    for (SourceKind kind : all_sources) {
      // The source's rate in the scenario and in each change (0 where it is not declared).
      std::vector<std::pair<double, SourceSpec>> segments;
      bool any = false;
      auto add = [&](double from_day, const Scenario& s) {
        SourceSpec spec;
        spec.kind = kind;
        spec.contacts_per_day = 0.0;
        for (const auto& declared : s.sources) {
          if (declared.kind == kind) spec = declared;
        }
        any = any || spec.contacts_per_day > 0.0;
        segments.emplace_back(from_day, spec);
      };
      add(0.0, scenario_);
      for (const auto& change : scenario_.changes) add(change.from_day, *change.scenario);
      if (!any) continue;
      sg4::Actor::create(std::string("source_") + source_name(kind), council_host_,
                         [this, segments] { arrivals(segments); })
          ->daemonize();
    }
    for (auto& service : services_) {
      ServiceRuntime& st = *service;
      st.fte = st.spec.team.fte;
      st.wake = sg4::Semaphore::create(0);
      switch (st.spec.kind) {
        case ServiceKind::screening_queue:
          st.on_duty = static_cast<int>(st.spec.team.fte);
          st.screeners.resize(static_cast<std::size_t>(st.max_fte));
          st.idle.assign(st.screeners.size(), 0);
          for (int i = 0; i < static_cast<int>(st.screeners.size()); ++i) {
            st.screeners[i].wake = sg4::Semaphore::create(0);
            sg4::Actor::create("screener_" + st.spec.id, council_host_, [this, &st, i] { screen(st, i); })->daemonize();
          }
          break;
        case ServiceKind::caseload_team:
          st.capacity = caseload_capacity(st.spec, st.fte);
          sg4::Actor::create("team_" + st.spec.id, council_host_, [this, &st] { run_team(st); })->daemonize();
          break;
        case ServiceKind::decision_point:
          if (!st.spec.can_take_zero_time()) {
            sg4::Actor::create("timer_" + st.spec.id, council_host_, [this, &st] { run_timer(st); })->daemonize();
          }
          break;
        case ServiceKind::exit:
          break;
      }
      const TeamSpec& team = st.spec.team;
      if (!st.establishment.empty() || team.turnover_per_year > 0.0) {
        // Without turnover every post is filled (FTE may be fractional); with it, whole workers at equilibrium.
        st.permanent = team.turnover_per_year > 0.0 ? std::round(team.fte * (1.0 - team.equilibrium_vacancy())) : team.fte;
        set_staff(st, st.permanent, team.fte);
        sg4::Actor::create("staffing_" + st.spec.id, council_host_, [this, &st] { staffing(st); })->daemonize();
      }
    }
  }

  ReplicationResult finish() {
    ReplicationResult result = recorder_.finish(calendar_.horizon_days());
    result.seed = seed_;
    result.engine_events = events_;
    return result;
  }

 private:
  struct Screener {
    sg4::SemaphorePtr wake;
    Contact handed;
    bool off_duty = false;
  };

  struct ServiceRuntime {
    ServiceRuntime(const Scenario& scenario, int s, std::uint64_t seed)
        : index(s),
          spec(scenario.pathway.services()[s]),
          work_rng(seed, stream_purpose(spec.id, "work")),
          duration_rng(seed, stream_purpose(spec.id, "duration")),
          decision_rng(seed, stream_purpose(spec.id, "decision")),
          workforce_rng(seed, stream_purpose(spec.id, "workforce")) {
      // The service as each [[change]] leaves it, from day 0 on.
      epochs.push_back(Epoch{0.0, &spec, routing_table(scenario.pathway, s)});
      for (const auto& change : scenario.changes) {
        epochs.push_back(
            Epoch{change.from_day, &change.scenario->pathway.services()[s], routing_table(change.scenario->pathway, s)});
      }
      // The establishment over time: each epoch's own schedule within its span, and its FTE when it starts.
      for (std::size_t e = 0; e < epochs.size(); ++e) {
        const double begin = epochs[e].from_day;
        const double end = e + 1 < epochs.size() ? epochs[e + 1].from_day : never;
        if (e > 0) establishment.push_back({begin, epochs[e].spec->team.fte_at(begin)});
        for (const auto& change : epochs[e].spec->team.schedule) {
          if (change.from_day > begin && change.from_day < end) establishment.push_back(change);
        }
        max_fte = std::max(max_fte, epochs[e].spec->team.max_fte());
      }
    }

    using RoutingTable = std::vector<std::array<std::vector<std::pair<double, int>>, all_sources.size()>>;
    struct Epoch {
      double from_day;
      const ServiceSpec* spec;
      RoutingTable routing;
    };

    // The service as it stands at time `t`.
    const Epoch& at(double t) const {
      if (epochs.size() == 1) return epochs.front();
      for (auto it = epochs.rbegin(); it != epochs.rend(); ++it) {
        if (t >= it->from_day) return *it;
      }
      return epochs.front();
    }

    // For each decision (or the single "any decision") and each source, the applicable routes with their
    // cumulative probabilities.
    static RoutingTable routing_table(const Pathway& pathway, int s) {
      const ServiceSpec& spec = pathway.services()[s];
      RoutingTable routing;
      const std::size_t decisions = std::max<std::size_t>(spec.decisions.size(), 1);
      routing.resize(decisions);
      for (std::size_t d = 0; d < decisions; ++d) {
        for (SourceKind source : all_sources) {
          double cumulative = 0.0;
          for (int r : pathway.routes_from(s)) {
            const RouteSpec& route = pathway.routes()[r];
            const bool decision_ok =
                route.when.empty() || (!spec.decisions.empty() && route.when == spec.decisions[d].name);
            const bool source_ok = route.sources.empty() ||
                                   std::find(route.sources.begin(), route.sources.end(), source) != route.sources.end();
            if (!decision_ok || !source_ok) continue;
            cumulative += route.probability;
            routing[d][static_cast<int>(source)].push_back({cumulative, r});
          }
        }
      }
      return routing;
    }

    static std::uint64_t stream_purpose(const std::string& id, const char* what) {
      // Keyed by the service's id, so adding a service never shifts the streams of the others.
      return fnv1a64("service:" + id + ":" + what);
    }

    int index;
    const ServiceSpec& spec;
    RandomStream work_rng;
    RandomStream duration_rng;
    RandomStream decision_rng;
    RandomStream workforce_rng;
    double permanent = 0.0;  // permanent staff in post
    std::vector<Epoch> epochs;
    std::vector<StaffChange> establishment;  // changes after day 0
    double max_fte = 0.0;
    // Screening queue.
    ScreeningQueue queue;
    std::vector<Screener> screeners;
    std::vector<char> idle;  // per screener: waiting for work on its semaphore
    int on_duty = 0;
    // Caseload teams and timed decision points: one actor, woken by deliveries or by its next due case.
    sg4::SemaphorePtr wake;
    bool sleeping = false;
    bool signalled = false;
    std::vector<Contact> inbox;
    double fte = 0.0;
    long capacity = 0;
    std::deque<Contact> unallocated;
    struct Due {
      double at;  // virtual time (caseload team) or real time (timer)
      std::uint64_t sequence;
      double demand;  // FTE the case asks for
      Contact item;
      bool operator>(const Due& other) const {
        return at != other.at ? at > other.at : sequence > other.sequence;
      }
    };
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due;
    std::uint64_t next_sequence = 0;
    double virtual_time = 0.0;
    double last_update = 0.0;
    double demand = 0.0;  // FTE asked for by the allocated cases
  };

  static long caseload_capacity(const ServiceSpec& spec, double fte) {
    if (spec.team.caseload_cap <= 0.0) return std::numeric_limits<long>::max();
    return static_cast<long>(fte * spec.team.caseload_cap);
  }

  double now() const { return sg4::Engine::get_clock(); }

  void arrivals(const std::vector<std::pair<double, SourceSpec>>& segments) {
    const SourceSpec& source = segments.front().second;
    RandomStream stream(seed_, arrival_stream(source.kind));
    ArrivalProcess process(segments, calendar_);
    double t = now();
    for (;;) {
      t = process.next_after(t, stream);
      if (t == never) return;
      // SimGrid cannot time a wait shorter than its precision (1e-9 day); such a contact arrives at once.
      if (t - now() >= 1e-9) sg4::this_actor::sleep_until(t);
      ++events_;
      recorder_.contact_arrived(t, source.kind);
      carry_on(Contact{next_case_id_++, t, source.kind, 0}, pathway_.entry(), t);
    }
  }

  // Moves a case that has just arrived at service `s` on through zero-time services, until it joins a queue,
  // leaves, or needs an actor of its own to be held.
  // `t` is the current time: nothing here blocks, so it stays the same throughout.
  void carry_on(Contact item, int s, double t) {
    for (int hops = 0; hops < 1000000; ++hops) {
      ServiceRuntime& st = *services_[s];
      recorder_.entered(t, s, item.id);
      switch (st.spec.kind) {
        case ServiceKind::exit:
          return;
        case ServiceKind::screening_queue:
          item.arrival_day = t;
          enqueue(st, item);
          return;
        case ServiceKind::caseload_team:
          item.arrival_day = t;
          deliver(st, item);
          return;
        case ServiceKind::decision_point:
          if (!st.spec.can_take_zero_time()) {
            item.arrival_day = t;
            deliver(st, item);
            return;
          }
          item.arrival_day = t;
          recorder_.started(t, s, t);
          s = choose_route(st, item, t);
          continue;
      }
    }
    throw SimulationError("a case went round a zero-time cycle a million times at day " + std::to_string(now()));
  }

  // Draws the decision (if the service makes any) and the route, records both, and returns the next service.
  int choose_route(ServiceRuntime& st, const Contact& item, double t) {
    const auto& epoch = st.at(t);
    const auto& decisions = epoch.spec->decisions;
    int decision = -1;
    if (!decisions.empty()) {
      const double u = st.decision_rng.uniform01();
      double cumulative = 0.0;
      decision = static_cast<int>(decisions.size()) - 1;
      for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
        cumulative += decisions[d].share;
        if (u < cumulative) {
          decision = d;
          break;
        }
      }
    }
    const auto& options = epoch.routing[std::max(decision, 0)][static_cast<int>(item.source)];
    int route = options.back().second;
    if (options.size() > 1) {
      const double u = st.decision_rng.uniform01() * options.back().first;
      for (const auto& [cumulative, r] : options) {
        if (u < cumulative) {
          route = r;
          break;
        }
      }
    }
    recorder_.finished(t, st.index, decision, item.arrival_day, item.source, item.id);
    recorder_.routed(t, route);
    return pathway_.route_target(route);
  }

  void enqueue(ServiceRuntime& st, const Contact& item) {
    // The lowest-numbered idle screener on duty takes it (screener counts are small: a scan is cheapest).
    int idle = -1;
    for (int i = 0; i < st.on_duty; ++i) {
      if (st.idle[i]) {
        idle = i;
        break;
      }
    }
    if (idle >= 0) {
      hand_over(st, idle, item);
    } else {
      st.queue.push(item);
    }
  }

  void hand_over(ServiceRuntime& st, int screener, const Contact& item) {
    st.idle[screener] = 0;
    st.screeners[screener].handed = item;
    st.screeners[screener].wake->release();
  }

  void screen(ServiceRuntime& st, int i) {
    Screener& self = st.screeners[i];
    for (;;) {
      if (i >= st.on_duty) {
        // Off duty until the staffing actor needs this screener again (a screener always finishes the item in
        // hand first; nobody is interrupted).
        self.off_duty = true;
        self.wake->acquire();
        ++events_;
        self.off_duty = false;
        continue;
      }
      Contact item;
      if (!st.queue.empty()) {
        item = st.queue.pop();
      } else {
        st.idle[i] = 1;
        self.wake->acquire();
        ++events_;
        item = self.handed;
      }
      recorder_.started(now(), st.index, item.arrival_day);
      const double work = st.at(now()).spec->work.sample(st.work_rng);
      if (work >= 1e-9) sg4::this_actor::sleep_for(work);  // below SimGrid's precision: done at once
      ++events_;
      const double t = now();
      carry_on(item, choose_route(st, item, t), t);
    }
  }

  // Hands a case to a team or timer actor, waking it if it sleeps.
  void deliver(ServiceRuntime& st, const Contact& item) {
    st.inbox.push_back(item);
    signal(st);
  }

  void signal(ServiceRuntime& st) {
    if (st.sleeping && !st.signalled) {
      st.signalled = true;
      st.wake->release();
    }
  }

  // Sleeps until `wake_at` (real time; infinity: until signalled) or a signal, whichever comes first.
  void sleep_until_due_or_signalled(ServiceRuntime& st, double wake_at) {
    st.sleeping = true;
    if (wake_at == never) {
      st.wake->acquire();
    } else {
      st.wake->acquire_timeout(std::max(0.0, wake_at - now()));
    }
    st.sleeping = false;
    st.signalled = false;
    ++events_;
  }

  // The pace of a caseload team's cases: 1 while it has the FTE they ask for, FTE / demand beyond that.
  static double pace(const ServiceRuntime& st) { return st.demand > st.fte ? st.fte / st.demand : 1.0; }

  void run_team(ServiceRuntime& st) {
    for (;;) {
      const double t = now();
      st.virtual_time += pace(st) * (t - st.last_update);
      st.last_update = t;
      // Cases whose nominal duration has elapsed on the virtual clock end (a relative tolerance absorbs the
      // rounding of the timeout that woke us).
      while (!st.due.empty() && st.due.top().at <= st.virtual_time + 1e-9 * std::max(1.0, st.virtual_time)) {
        const double demand = st.due.top().demand;
        const Contact item = st.due.top().item;
        st.due.pop();
        st.demand = st.due.empty() ? 0.0 : st.demand - demand;
        carry_on(item, choose_route(st, item, t), t);
      }
      for (const Contact& item : st.inbox) st.unallocated.push_back(item);
      st.inbox.clear();
      while (!st.unallocated.empty() && static_cast<long>(st.due.size()) < st.capacity) {
        const Contact item = st.unallocated.front();
        st.unallocated.pop_front();
        recorder_.started(t, st.index, item.arrival_day);
        const ServiceSpec& spec = *st.at(t).spec;
        const double work = spec.work.sample(st.work_rng);
        const double duration = spec.duration.sample(st.duration_rng);
        const double demand = duration > 0.0 ? work / duration : 0.0;
        st.due.push({st.virtual_time + duration, st.next_sequence++, demand, item});
        st.demand += demand;
      }
      if (!st.inbox.empty()) continue;  // a case routed back to this team while we worked
      const double wake_at = st.due.empty() ? never : t + (st.due.top().at - st.virtual_time) / pace(st);
      sleep_until_due_or_signalled(st, wake_at);
    }
  }

  void run_timer(ServiceRuntime& st) {
    for (;;) {
      const double t = now();
      while (!st.due.empty() && st.due.top().at <= t) {
        const Contact item = st.due.top().item;
        st.due.pop();
        carry_on(item, choose_route(st, item, t), t);
      }
      for (const Contact& item : st.inbox) {
        recorder_.started(t, st.index, item.arrival_day);
        st.due.push({t + st.at(t).spec->delay->sample(st.duration_rng), st.next_sequence++, 0.0, item});
      }
      st.inbox.clear();
      sleep_until_due_or_signalled(st, st.due.empty() ? never : st.due.top().at);
    }
  }

  // The team's staff over time: the establishment follows the schedule; with turnover, permanent staff leave
  // and vacancies are filled after a recruitment time, agency staff covering part of the gap meanwhile. Leavers
  // and hires are a birth-death process, started at its equilibrium vacancy rate.
  void staffing(ServiceRuntime& st) {
    const TeamSpec& team = st.spec.team;
    double establishment = team.fte;
    double permanent = st.permanent;
    std::size_t next_change = 0;
    for (;;) {
      const double t = now();
      const double vacant = std::max(0.0, establishment - permanent);
      const double leave_rate = permanent * team.turnover_per_year / 365.25;
      const double hire_rate = vacant > 0.0 ? std::max(1.0, vacant) / team.recruitment_days : 0.0;
      const double total = leave_rate + hire_rate;
      const double next_turnover = total > 0.0 ? t + st.workforce_rng.exponential(1.0 / total) : never;
      const double next_schedule = next_change < st.establishment.size() ? st.establishment[next_change].from_day : never;
      if (next_turnover == never && next_schedule == never) return;
      if (next_schedule <= next_turnover) {
        sg4::this_actor::sleep_until(next_schedule);
        establishment = st.establishment[next_change++].fte;
        // A cut removes posts at once; without turnover every post is filled.
        permanent = team.turnover_per_year > 0.0 ? std::min(permanent, establishment) : establishment;
      } else {
        sg4::this_actor::sleep_until(next_turnover);
        if (st.workforce_rng.uniform01() * total < leave_rate) {
          permanent -= 1.0;
        } else {
          permanent += std::min(1.0, vacant);
        }
      }
      ++events_;
      set_staff(st, permanent, establishment);
    }
  }

  // Staff in post: the permanent staff plus agency cover of part of the vacancies.
  void set_staff(ServiceRuntime& st, double permanent, double establishment) {
    const double t = now();
    st.permanent = permanent;
    const double agency = st.spec.team.agency_cover * std::max(0.0, establishment - permanent);
    const double fte = permanent + agency;
    recorder_.staff_changed(t, st.index, fte, agency);
    if (st.spec.kind == ServiceKind::screening_queue) {
      const int before = st.on_duty;
      st.on_duty = std::min(static_cast<int>(std::lround(fte)), static_cast<int>(st.screeners.size()));
      // Screeners coming on duty wake up; idle ones take waiting items at once.
      for (int i = before; i < st.on_duty; ++i) {
        if (st.screeners[i].off_duty) {
          st.screeners[i].wake->release();
        } else if (st.idle[i] && !st.queue.empty()) {
          hand_over(st, i, st.queue.pop());
        }
      }
    } else if (st.spec.kind == ServiceKind::caseload_team) {
      // Bring the team's virtual clock up to now at the old pace, then wake it to work at the new one.
      st.virtual_time += pace(st) * (t - st.last_update);
      st.last_update = t;
      st.fte = fte;
      st.capacity = caseload_capacity(*st.at(t).spec, fte);
      signal(st);
    }
  }


  const Scenario& scenario_;
  const Pathway& pathway_;
  SimCalendar calendar_;
  PathwayRecorder recorder_;
  std::uint64_t seed_;
  sg4::Host* council_host_ = nullptr;
  std::vector<std::unique_ptr<ServiceRuntime>> services_;
  std::uint64_t next_case_id_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace

std::vector<std::string> default_engine_args() {
  return {"--cfg=contexts/stack-size:64", "--cfg=contexts/guard-size:0", "--log=xbt_cfg.thresh:warning"};
}

ReplicationResult simulate(const Scenario& scenario, int replication, std::uint64_t seed,
                           const std::vector<std::string>& engine_args) {
  std::vector<std::string> args{"frontdoor"};
  for (const auto& a : default_engine_args()) args.push_back(a);
  for (const auto& a : engine_args) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());

  sg4::Engine engine(&argc, argv.data());
  bool deadlocked = false;
  sg4::Engine::on_deadlock_cb([&deadlocked] { deadlocked = true; });
  auto model = std::make_unique<PathwayModel>(scenario, seed);
  model->start(sg4::create_full_zone("council"));
  engine.run();
  if (deadlocked) {
    throw SimulationError("the simulation deadlocked at day " + std::to_string(sg4::Engine::get_clock()) +
                          ": every actor is waiting for another");
  }
  ReplicationResult result = model->finish();
  result.replication = replication;
  XBT_DEBUG("replication %d done: %llu events", replication, static_cast<unsigned long long>(result.engine_events));
  return result;
}

}  // namespace frontdoor
