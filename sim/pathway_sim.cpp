#include "sim/pathway_sim.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_set>
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
    if (scenario_.need.enabled) {
      population_.wake = sg4::Semaphore::create(0);
      sg4::Actor::create("children", council_host_, [this] { run_population(); })->daemonize();
    }
    for (SourceKind kind : all_sources) {
      if (scenario_.need.enabled) break;  // contacts come from the children
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
      st.permanent = st.spec.team.fte;
      st.establishment_now = st.spec.team.fte;
      st.waker.wake = sg4::Semaphore::create(0);
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
      if (scenario_.need.enabled && st.spec.initial_cases > 0) seed_initial_cases(st);
    }
    if (scenario_.reinvestment.share > 0.0) {
      sg4::Actor::create("reinvestment", council_host_, [this] { reinvest(); })->daemonize();
    }
  }

  ReplicationResult finish() {
    ReplicationResult result = recorder_.finish(calendar_.horizon_days());
    result.seed = seed_;
    result.engine_events = events_;
    return result;
  }

 private:
  // Wakes an actor that sleeps until its next due time or until another actor hands it something.
  struct Waker {
    sg4::SemaphorePtr wake;
    bool sleeping = false;
    bool signalled = false;
  };

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
          workforce_rng(seed, stream_purpose(spec.id, "workforce")),
          placement_rng(seed, stream_purpose(spec.id, "placement")) {
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
    RandomStream placement_rng;
    double permanent = 0.0;  // permanent staff in post
    double establishment_now = 0.0;  // posts in the establishment now
    double extra_fte = 0.0;          // staff bought by a reinvestment rule
    std::vector<Epoch> epochs;
    std::vector<StaffChange> establishment;  // changes after day 0
    double max_fte = 0.0;
    // Screening queue.
    ScreeningQueue queue;
    std::vector<Screener> screeners;
    std::vector<char> idle;  // per screener: waiting for work on its semaphore
    int on_duty = 0;
    // Caseload teams and timed decision points: one actor, woken by deliveries or by its next due case.
    Waker waker;
    std::vector<Contact> inbox;
    std::vector<int> escalations;  // children whose need rose past the escalation level while allocated here
    std::unordered_set<std::uint64_t> cancelled;  // sequences of due cases that ended early (escalated)
    double fte = 0.0;
    long capacity = 0;
    std::deque<Contact> unallocated;
    struct Due {
      double at;  // virtual time (caseload team) or real time (timer)
      std::uint64_t sequence;
      double demand;  // FTE the case asks for
      Contact item;
      int placement = -1;  // placement type, where the team places children
      bool operator>(const Due& other) const {
        return at != other.at ? at > other.at : sequence > other.sequence;
      }
    };
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due;
    std::uint64_t next_sequence = 0;
    long live = 0;  // allocated cases (due entries not cancelled)
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
      if (item.child >= 0) child_entered(item.child, s, t);
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

  // Draws the decision (if the service makes any; `forced` >= -1 imposes one) and the route, records both, and
  // returns the next service.
  int choose_route(ServiceRuntime& st, const Contact& item, double t, int forced = -2) {
    const auto& epoch = st.at(t);
    const int decision = forced >= -1 ? forced : decide(st, *epoch.spec, item, t);
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
    if (item.child >= 0) child_finished(item.child, st, t);
    return pathway_.route_target(route);
  }

  // The service's decision: by fixed shares, or (reference model) chance outcomes first and then thresholds on the
  // child's observed need; a family group conference may then turn a decision for care into another.
  int decide(ServiceRuntime& st, const ServiceSpec& spec, const Contact& item, double t) {
    const auto& decisions = spec.decisions;
    if (decisions.empty()) return -1;
    RandomStream& rng = draws_for(st, item);
    const double u = rng.uniform01();
    int decision = -1;
    double cumulative = 0.0;
    const bool on_need = spec.need_rule.active && item.child >= 0;
    for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
      if (on_need && !std::isnan(spec.need_rule.thresholds[d])) continue;
      cumulative += decisions[d].share;
      if (u < cumulative) {
        decision = d;
        break;
      }
    }
    if (decision < 0) {
      decision = on_need ? decide_on_need(spec.need_rule, observe(st, spec, item, t), need_at(t).threshold_shift)
                         : static_cast<int>(decisions.size()) - 1;
    }
    if (decision == spec.fgc_from && item.child >= 0) {
      const FgcSpec& fgc = need_at(t).fgc;
      if (fgc.coverage * fgc.diverted > 0.0 && rng.uniform01() < fgc.coverage * fgc.diverted) {
        decision = spec.fgc_to;
      }
    }
    return decision;
  }

  // The child's need as the service sees it: true need plus noise from the service's own inconsistency (worse as
  // its caseload dilutes its time) and, at the entry, from the way the referring agency described it.
  double observe(ServiceRuntime& st, const ServiceSpec& spec, const Contact& item, double t) {
    const NeedSpec& need = need_at(t);
    const double quality = spec.kind == ServiceKind::caseload_team ? quality_of(st) : 1.0;
    double variance = std::pow(spec.need_rule.noise_sd * (1.0 + need.quality_noise * (1.0 - quality)), 2);
    if (spec.entry) {
      for (const auto& source : scenario_.at(t).sources) {
        if (source.kind != item.source) continue;
        variance += std::pow(source.accuracy_sd * (source.co_located ? need.co_location_factor : 1.0), 2);
      }
    }
    return children_[item.child].need + std::sqrt(variance) * children_[item.child].luck.standard_normal();
  }

  // Decisions about a child draw from the child's own stream, so that across scenarios run on the same seeds the
  // same child meets the same luck wherever its path leads (common random numbers); other cases use the service's.
  RandomStream& draws_for(ServiceRuntime& st, const Contact& item) {
    return item.child >= 0 ? children_[item.child].luck : st.decision_rng;
  }


  // ---- Children and latent need (the reference model; only with a [need] table) -------------------------------
  // Children are simulated lazily: those with no need who are not in the pathway are a count (the pool), not
  // records. A child gets a record when need first appears (onset) or when an agency makes a contact about it,
  // and loses it when need is back to 0 outside the pathway or when it leaves the population. One actor runs every
  // child's need, contacts and harm from a heap of next events; a status change (a contact, an allocation, an end
  // of help) bumps the child's version and draws a fresh next event, so that stale ones are skipped.
  struct Child {
    int need = 0;
    int need_at_start = 0;  // when the current episode began
    bool alive = false;
    bool in_pathway = false;
    bool helped = false;    // allocated to a caseload team during the current episode
    int help_service = -1;  // allocated to this caseload team now
    std::uint64_t case_sequence = 0;
    double case_demand = 0.0;
    int case_placement = -1;
    Contact case_item;
    std::uint32_t version = 0;
    int plans = 0;
    double last_referral = -never;
    double last_contact = -never;
    double last_exit = -never;
    double pending_closure = -never;  // an improved closure still inside its 12-month follow-up
    // The child's own streams, so that a decision that differs between scenarios shifts only what it must:
    // `rng` its need, contacts and harm; `luck` the noise and chances of decisions about it; `cases` the work,
    // durations and placements of its cases.
    RandomStream rng{0};
    RandomStream luck{0};
    RandomStream cases{0};
    // The child's next event as a unit-exponential amount of hazard still to run (-1: none drawn), spent at
    // `clock_rate` a day since `clock_from`. A change of rates rescales what is left instead of drawing afresh,
    // which is exact for a Markov chain and keeps the child's luck the same across scenarios.
    double residual = -1.0;
    double clock_from = 0.0;
    double clock_rate = 0.0;
  };
  struct ChildEvent {
    double at;
    std::uint64_t sequence;
    int child;
    std::uint32_t version;
    bool operator>(const ChildEvent& other) const { return at != other.at ? at > other.at : sequence > other.sequence; }
  };

  const NeedSpec& need_at(double t) const { return scenario_.at(t).need; }
  double quality_of(const ServiceRuntime& st) const { return quality_from_pace(pace(st), scenario_.need.quality_elasticity); }

  int new_child(int need) {
    int c;
    if (!free_children_.empty()) {
      c = free_children_.back();
      free_children_.pop_back();
    } else {
      c = static_cast<int>(children_.size());
      children_.emplace_back();
    }
    const std::uint32_t version = children_[c].version + 1;
    children_[c] = Child{};
    children_[c].version = version;
    // Children are numbered in the order they appear, which scenarios on the same seeds share.
    const std::uint64_t serial = next_child_serial_++;
    children_[c].rng = RandomStream(seed_, child_streams_ + 3 * serial);
    children_[c].luck = RandomStream(seed_, child_streams_ + 3 * serial + 1);
    children_[c].cases = RandomStream(seed_, child_streams_ + 3 * serial + 2);
    children_[c].alive = true;
    children_[c].need = need;
    ++known_children_;
    return c;
  }

  void release_child(int c) {
    Child& child = children_[c];
    child.alive = false;
    ++child.version;
    free_children_.push_back(c);
    --known_children_;
  }

  // Rates per day of each thing that can happen next to child `c` at time `t`: need up, need down, harm, and a
  // contact from each source (schools at term-time rate; the holiday factor thins them).
  struct ChildRates {
    double up = 0.0, down = 0.0, crisis = 0.0, harm = 0.0;
    std::array<double, all_sources.size()> notice{};
    double total = 0.0;
  };
  ChildRates child_rates(const Child& child, double t) const {
    const Scenario& sc = scenario_.at(t);
    const NeedSpec& need = sc.need;
    double effect = 0.0, protection = 0.0, quality = 1.0;
    if (child.help_service >= 0) {
      const ServiceRuntime& st = *services_[child.help_service];
      effect = st.at(t).spec->help.effect;
      protection = st.at(t).spec->help.protection;
      quality = quality_of(st);
    }
    ChildRates r;
    const int k = child.need;
    r.up = need.up_per_year[k] * (1.0 - protection * quality) / 365.25;
    r.down = need.down_per_year[k] * (1.0 + effect * quality) / 365.25;
    r.crisis = need.crisis_per_year[k] * (1.0 - protection * quality) / 365.25;
    r.harm = need.harm_per_year[k] * (1.0 - protection * quality) / 365.25;
    r.total = r.up + r.down + r.crisis + r.harm;
    if (!child.in_pathway) {
      for (const auto& source : sc.sources) {
        r.notice[static_cast<int>(source.kind)] = source.notice_per_year[k] / 365.25;
        r.total += source.notice_per_year[k] / 365.25;
      }
    }
    return r;
  }

  // Draws child `c`'s next event afresh (its status or rates changed), waking the population actor if need be.
  void reschedule(int c, double t) {
    Child& child = children_[c];
    ++child.version;
    const double total = child_rates(child, t).total;
    if (child.residual < 0.0) {
      child.residual = child.rng.exponential(1.0);
    } else {
      child.residual = std::max(0.0, child.residual - child.clock_rate * (t - child.clock_from));
    }
    child.clock_from = t;
    child.clock_rate = total;
    if (total <= 0.0) return;
    const double at = t + child.residual / total;
    child_events_.push({at, next_child_event_++, c, child.version});
    if (at < population_wake_at_) signal(population_);
  }

  void run_population() {
    // Start near the community's balance: children leave it when a contact about them passes the front door's
    // lowest threshold above its default decision, and need.start_removal of them stay away (the warm-up lets
    // the services and the children who come back reach their own balance).
    NeedRates removal{};
    const ServiceSpec& entry = pathway_.services()[pathway_.entry()];
    double bar = never;
    if (entry.need_rule.active) {
      double lowest = never;
      for (double threshold : entry.need_rule.thresholds) {
        if (!std::isnan(threshold)) lowest = std::min(lowest, threshold);
      }
      for (double threshold : entry.need_rule.thresholds) {
        if (!std::isnan(threshold) && threshold > lowest) bar = std::min(bar, threshold + scenario_.need.threshold_shift);
      }
    }
    for (const auto& source : scenario_.sources) {
      const double sd = std::hypot(entry.need_rule.noise_sd,
                                   source.accuracy_sd * (source.co_located ? scenario_.need.co_location_factor : 1.0));
      for (int k = 1; k < need_levels; ++k) {
        const double passes = bar == never ? 1.0 : sd > 0.0 ? 0.5 * std::erfc((bar - k) / (sd * std::sqrt(2.0))) : (k >= bar ? 1.0 : 0.0);
        removal[k] += source.notice_per_year[k] * passes * scenario_.need.start_removal;
      }
    }
    const NeedRates start = community_equilibrium(scenario_.need, scenario_.children, removal);
    for (int k = 1; k < need_levels; ++k) {
      const long count = std::lround(start[k]);
      for (long i = 0; i < count; ++i) reschedule(new_child(k), 0.0);
    }
    double next_pool = draw_pool_event(0.0);
    // A [[change]] may change need or notice rates: every pending draw is made afresh from its day (the
    // exponential clocks restart at the new rates, which is exact for a Markov chain).
    std::vector<double> change_days;
    for (const auto& change : scenario_.changes) change_days.push_back(change.from_day);
    std::size_t next_change = 0;
    for (;;) {
      const double t = now();
      if (next_change < change_days.size() && change_days[next_change] <= t) {
        while (next_change < change_days.size() && change_days[next_change] <= t) ++next_change;
        for (int c = 0; c < static_cast<int>(children_.size()); ++c) {
          if (children_[c].alive) reschedule(c, t);
        }
        next_pool = draw_pool_event(t);
      }
      while (next_pool <= t) {
        pool_event(t);
        next_pool = draw_pool_event(t);
      }
      while (!child_events_.empty() && child_events_.top().at <= t) {
        const ChildEvent e = child_events_.top();
        child_events_.pop();
        if (children_[e.child].version != e.version) continue;  // superseded
        child_event(e.child, t);
      }
      population_wake_at_ = std::min(next_pool, child_events_.empty() ? never : child_events_.top().at);
      if (next_change < change_days.size()) population_wake_at_ = std::min(population_wake_at_, change_days[next_change]);
      sleep_until_due_or_signalled(population_, population_wake_at_);
      population_wake_at_ = never;
    }
  }

  // Children with no need outside the pathway: need appears at the onset rate, and agencies make contacts about
  // some of them anyway (level-0 contacts, most of which end in no further action).
  // Per child-year, for a child in the pool: onset, crisis and a contact from any source.
  static double pool_rate_per_child(const Scenario& sc) {
    double rate = sc.need.up_per_year[0] + sc.need.crisis_per_year[0];
    for (const auto& source : sc.sources) rate += source.notice_per_year[0];
    return rate;
  }
  double pool_rate(double t) const {
    const double rate = pool_rate_per_child(scenario_.at(t));
    return std::max(0.0, static_cast<double>(scenario_.children - known_children_)) * rate / 365.25;
  }
  double draw_pool_event(double t) {
    const double rate = pool_rate(t);
    return rate > 0.0 ? t + need_rng_.exponential(1.0 / rate) : never;
  }
  void pool_event(double t) {
    const Scenario& sc = scenario_.at(t);
    double u = need_rng_.uniform01() * pool_rate_per_child(sc);
    ++events_;
    if (u < sc.need.up_per_year[0]) {
      reschedule(new_child(1), t);
      return;
    }
    u -= sc.need.up_per_year[0];
    if (u < sc.need.crisis_per_year[0]) {
      reschedule(new_child(need_levels - 1), t);
      return;
    }
    u -= sc.need.crisis_per_year[0];
    for (const auto& source : sc.sources) {
      if (u < source.notice_per_year[0]) {
        if (noticed_today(source, t, need_rng_)) make_contact(new_child(0), source.kind, t);
        return;
      }
      u -= source.notice_per_year[0];
    }
  }

  // Thinning for the school calendar: a term-time contact that falls in a holiday goes ahead with the holiday factor.
  // The uniform is drawn whatever the day, so that the stream stays in step across scenarios whose events fall
  // on slightly different days (common random numbers).
  bool noticed_today(const SourceSpec& source, double t, RandomStream& rng) {
    const double u = rng.uniform01();
    if (!source.follows_school_calendar) return true;
    const int day = std::min(static_cast<int>(t), calendar_.horizon_days() - 1);
    return !calendar_.is_school_holiday(day) || u < source.holiday_factor;
  }

  void child_event(int c, double t) {
    ++events_;
    Child& child = children_[c];
    child.residual = -1.0;  // spent: the next event gets a fresh draw
    const ChildRates r = child_rates(child, t);
    double u = child.rng.uniform01() * r.total;
    const bool rises = u < r.up + r.crisis;
    if (rises) {
      child.need = u < r.up ? child.need + 1 : need_levels - 1;
      const int hs = child.help_service;
      if (hs >= 0) {
        ServiceRuntime& st = *services_[hs];
        const NeedRule& rule = st.at(t).spec->need_rule;
        if (rule.escalate_at >= 0 && child.need >= rule.escalate_at && rule.escalate_decision >= 0) {
          st.escalations.push_back(c);
          signal(st);
        }
      }
    } else if ((u -= r.up + r.crisis) < r.down) {
      --child.need;
      if (child.need == 0 && !child.in_pathway) {
        release_child(c);
        return;
      }
    } else if ((u -= r.down) < r.harm) {
      recorder_.child_event(t, ChildCount::harm);
      if (!child.in_pathway && t - child.last_exit <= 365.0) recorder_.child_event(t, ChildCount::harm_after_exit);
    } else {
      u -= r.harm;
      for (const auto& source : scenario_.at(t).sources) {
        const double rate = r.notice[static_cast<int>(source.kind)];
        if (u < rate) {
          if (noticed_today(source, t, child.rng)) {
            make_contact(c, source.kind, t);
            return;
          }
          break;
        }
        u -= rate;
      }
    }
    reschedule(c, t);
  }

  void make_contact(int c, SourceKind source, double t) {
    Child& child = children_[c];
    child.in_pathway = true;
    child.helped = false;
    child.need_at_start = child.need;
    reschedule(c, t);  // no more contacts while the child is in the pathway
    recorder_.contact_arrived(t, source, child.need);
    if (t - child.last_contact <= 365.0) recorder_.child_event(t, ChildCount::repeat_contacts);
    child.last_contact = t;
    Contact item{next_case_id_++, t, source, 0};
    item.child = c;
    carry_on(item, pathway_.entry(), t);
  }

  // A child's case reached service `s` (reference model): re-referrals, repeat plans, and leaving the pathway.
  void child_entered(int c, int s, double t) {
    Child& child = children_[c];
    const NeedSpec& need = scenario_.need;
    if (s == need.referral) {
      if (t - child.last_referral <= 365.0) recorder_.child_event(t, ChildCount::rereferrals);
      if (t - child.pending_closure <= 365.0) {
        recorder_.child_event(t, ChildCount::closures_improved_rereferred, child.pending_closure);
      }
      child.pending_closure = -never;
      child.last_referral = t;
    }
    if (s == need.plan) {
      if (child.plans > 0) recorder_.child_event(t, ChildCount::repeat_plans);
      ++child.plans;
    }
    const ServiceSpec& spec = pathway_.services()[s];
    if (spec.kind != ServiceKind::exit) return;
    child.in_pathway = false;
    child.last_exit = t;
    if (child.helped) {
      recorder_.child_event(t, ChildCount::closures, t);
      if (child.need < child.need_at_start) {
        recorder_.child_event(t, ChildCount::closures_improved, t);
        child.pending_closure = t;
      }
    }
    if (spec.child_leaves || child.need == 0) {
      release_child(c);
    } else {
      reschedule(c, t);
    }
  }

  void child_allocated(const Contact& item, ServiceRuntime& st, std::uint64_t sequence, double demand, int placement,
                       double t) {
    Child& child = children_[item.child];
    child.case_placement = placement;
    child.help_service = st.index;
    child.helped = true;
    child.case_sequence = sequence;
    child.case_demand = demand;
    child.case_item = item;
    reschedule(item.child, t);
  }

  void child_finished(int c, const ServiceRuntime& st, double t) {
    Child& child = children_[c];
    if (child.help_service != st.index) return;
    child.help_service = -1;
    reschedule(c, t);
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

  void signal(ServiceRuntime& st) { signal(st.waker); }
  static void signal(Waker& w) {
    if (w.sleeping && !w.signalled) {
      w.signalled = true;
      w.wake->release();
    }
  }

  // Sleeps until `wake_at` (real time; infinity: until signalled) or a signal, whichever comes first.
  void sleep_until_due_or_signalled(Waker& w, double wake_at) {
    w.sleeping = true;
    if (wake_at == never) {
      w.wake->acquire();
    } else {
      w.wake->acquire_timeout(std::max(0.0, wake_at - now()));
    }
    w.sleeping = false;
    w.signalled = false;
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
        const ServiceRuntime::Due due = st.due.top();
        st.due.pop();
        if (!st.cancelled.empty() && st.cancelled.erase(due.sequence) > 0) continue;  // ended early
        end_case(st, due.demand, due.placement, t);
        carry_on(due.item, choose_route(st, due.item, t), t);
      }
      // Children whose need rose past the escalation level while allocated here leave at once.
      for (const int c : st.escalations) {
        Child& child = children_[c];
        if (child.help_service != st.index || child.need < st.at(t).spec->need_rule.escalate_at) continue;
        st.cancelled.insert(child.case_sequence);
        end_case(st, child.case_demand, child.case_placement, t);
        const Contact item = child.case_item;
        carry_on(item, choose_route(st, item, t, st.at(t).spec->need_rule.escalate_decision), t);
      }
      st.escalations.clear();
      const ServiceSpec& spec = *st.at(t).spec;
      for (const Contact& item : st.inbox) {
        // A family may decline help on arrival.
        if (item.child >= 0 && spec.need_rule.consent < 1.0 && children_[item.child].luck.uniform01() >= spec.need_rule.consent) {
          recorder_.started(t, st.index, item.arrival_day);
          carry_on(item, choose_route(st, item, t, spec.need_rule.declined_decision), t);
          continue;
        }
        st.unallocated.push_back(item);
      }
      st.inbox.clear();
      while (!st.unallocated.empty() && st.live < st.capacity) {
        const Contact item = st.unallocated.front();
        st.unallocated.pop_front();
        allocate(st, spec, item, t);
      }
      if (!st.inbox.empty() || !st.escalations.empty()) continue;  // routed back to this team while we worked
      const double wake_at = st.due.empty() ? never : t + (st.due.top().at - st.virtual_time) / pace(st);
      sleep_until_due_or_signalled(st.waker, wake_at);
    }
  }

  // A worker takes the case; `remaining` (0, 1] is the share of its duration still to run.
  // A worker takes the case. An initial case (open on the first day) has a length-biased duration, of which a
  // uniform share is still to run.
  void allocate(ServiceRuntime& st, const ServiceSpec& spec, const Contact& item, double t, bool initial = false) {
    recorder_.started(t, st.index, item.arrival_day);
    // A child's case draws from the child's stream (common random numbers across scenarios), others from the team's.
    RandomStream& work_rng = item.child >= 0 ? children_[item.child].cases : st.work_rng;
    RandomStream& duration_rng = item.child >= 0 ? children_[item.child].cases : st.duration_rng;
    const double work = spec.work.sample(work_rng);
    double duration = spec.duration.sample(duration_rng);
    double remaining = duration;
    if (initial) {
      duration = length_biased_duration(spec.duration, duration_rng);
      remaining = duration * (1.0 - duration_rng.uniform01());
    }
    const double demand = duration > 0.0 ? work / duration : 0.0;
    const std::uint64_t sequence = st.next_sequence++;
    const int placement = draw_placement(st, spec, item.child >= 0 ? children_[item.child].cases : st.placement_rng, t);
    st.due.push({st.virtual_time + remaining, sequence, demand, item, placement});
    st.demand += demand;
    ++st.live;
    if (item.child >= 0) child_allocated(item, st, sequence, demand, placement, t);
  }

  // Cases open at a random moment are the long ones more often (length bias): draws 16 durations and keeps one
  // with probability proportional to its length (sampling-importance resampling).
  static double length_biased_duration(const Distribution& duration, RandomStream& rng) {
    std::array<double, 16> draws{};
    double total = 0.0;
    for (double& d : draws) total += (d = duration.sample(rng));
    double u = rng.uniform01() * total;
    for (double d : draws) {
      if (u < d) return d;
      u -= d;
    }
    return draws.back();
  }

  // The council's caseload on the first day (reference model): children already allocated, each at a uniform
  // point of a length-biased case, as a team in its steady state would hold them. Cases beyond capacity wait
  // unallocated.
  void seed_initial_cases(ServiceRuntime& st) {
    const ServiceSpec& spec = st.spec;
    for (int i = 0; i < spec.initial_cases; ++i) {
      const int c = new_child(spec.initial_need);
      Child& child = children_[c];
      child.in_pathway = true;
      child.need_at_start = spec.initial_need;
      Contact item{next_case_id_++, 0.0, SourceKind::other, 0};
      item.child = c;
      recorder_.initial_case(0.0, st.index, item.id);
      if (st.live < st.capacity) {
        allocate(st, spec, item, 0.0, /*initial=*/true);
      } else {
        st.unallocated.push_back(item);
        reschedule(c, 0.0);
      }
    }
  }

  // The placement type of a case just allocated (-1 where the team has none).
  int draw_placement(ServiceRuntime& st, const ServiceSpec& spec, RandomStream& rng, double t) {
    if (spec.placements.empty()) return -1;
    double u = rng.uniform01();
    int p = 0;
    while (p + 1 < static_cast<int>(spec.placements.size()) && u >= spec.placements[p].share) u -= spec.placements[p++].share;
    recorder_.placement_changed(t, st.index, p, +1.0);
    return p;
  }

  // An allocated case ends: its worker time goes back to the others, and its placement ends.
  void end_case(ServiceRuntime& st, double demand, int placement, double t) {
    --st.live;
    st.demand = st.live == 0 ? 0.0 : st.demand - demand;
    if (placement >= 0) recorder_.placement_changed(t, st.index, placement, -1.0);
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
      sleep_until_due_or_signalled(st.waker, st.due.empty() ? never : st.due.top().at);
    }
  }

  // The team's staff over time: the establishment follows the schedule; with turnover, permanent staff leave
  // and vacancies are filled after a recruitment time, agency staff covering part of the gap meanwhile. Leavers
  // and hires are a birth-death process, started at its equilibrium vacancy rate. With turnover_pressure, an
  // overworked caseload team loses staff faster; the rate is read afresh at least every `recheck` days, so it
  // follows the caseload (piecewise constant, which is exact for the exponential clocks).
  void staffing(ServiceRuntime& st) {
    const TeamSpec& team = st.spec.team;
    double establishment = team.fte;
    double permanent = st.permanent;
    std::size_t next_change = 0;
    for (;;) {
      const double t = now();
      const double vacant = std::max(0.0, establishment - permanent);
      const double overload = st.fte > 0.0 ? std::max(0.0, st.demand / st.fte - 1.0) : 0.0;
      const double leave_rate = permanent * team.turnover_per_year * (1.0 + team.turnover_pressure * overload) / 365.25;
      const double hire_rate = vacant > 0.0 ? std::max(1.0, vacant) / team.recruitment_days : 0.0;
      const double total = leave_rate + hire_rate;
      const double next_turnover = total > 0.0 ? t + st.workforce_rng.exponential(1.0 / total) : never;
      const double next_schedule = next_change < st.establishment.size() ? st.establishment[next_change].from_day : never;
      if (next_turnover == never && next_schedule == never) return;
      constexpr double recheck = 30.0;
      if (team.turnover_pressure > 0.0 && std::min(next_turnover, next_schedule) > t + recheck) {
        sg4::this_actor::sleep_until(t + recheck);  // nothing happened: read the caseload again
        ++events_;
        continue;
      }
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

  // The reinvestment rule: at the end of each year from `from_year`, the late-intervention services' cost is set
  // against their cost in the year before the rule, and a share of the saving buys the prevention team staff for
  // the year that follows (an overspend buys nothing, and takes nothing away).
  void reinvest() {
    const ReinvestmentSpec& rule = scenario_.reinvestment;
    ServiceRuntime& into = *services_[rule.into];
    double reference = 0.0;
    for (int year = rule.from_year - 1; year < scenario_.simulation.years; ++year) {
      sg4::this_actor::sleep_until(calendar_.month_start(12 * year));  // the end of year `year` (1 = the first)
      ++events_;
      const double t = now();
      const double cost = recorder_.cost_so_far(rule.watch, year - 1, t);
      if (year == rule.from_year - 1) {
        reference = cost;
        continue;
      }
      const double saved = std::max(0.0, reference - cost);
      into.extra_fte = rule.share * saved / into.spec.cost_per_fte_year();
      recorder_.reinvested(t, rule.share * saved);
      set_staff(into, into.permanent, into.establishment_now);
    }
  }

  // Staff in post: the permanent staff plus agency cover of part of the vacancies, plus any staff a reinvestment
  // rule has bought.
  void set_staff(ServiceRuntime& st, double permanent, double establishment) {
    const double t = now();
    st.permanent = permanent;
    st.establishment_now = establishment;
    const double agency = st.spec.team.agency_cover * std::max(0.0, establishment - permanent);
    const double fte = permanent + agency + st.extra_fte;
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
  // Reference model.
  std::vector<Child> children_;
  std::vector<int> free_children_;
  long known_children_ = 0;
  std::priority_queue<ChildEvent, std::vector<ChildEvent>, std::greater<>> child_events_;
  std::uint64_t next_child_event_ = 0;
  Waker population_;
  double population_wake_at_ = never;
  RandomStream need_rng_{seed_, fnv1a64("children:need")};  // the pool: onset, crises, level-0 contacts
  const std::uint64_t child_streams_ = fnv1a64("children:child");
  std::uint64_t next_child_serial_ = 0;
};

}  // namespace

// AddressSanitizer cannot follow SimGrid's own context switching (it reports stack errors that are not there):
// a sanitizer build runs each actor on a thread of its own instead, at the default stack size.
#if defined(__SANITIZE_ADDRESS__)
#define FRONTDOOR_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FRONTDOOR_ADDRESS_SANITIZER 1
#endif
#endif

std::vector<std::string> default_engine_args() {
#ifdef FRONTDOOR_ADDRESS_SANITIZER
  return {"--cfg=contexts/factory:thread", "--log=xbt_cfg.thresh:warning"};
#else
  return {"--cfg=contexts/stack-size:64", "--cfg=contexts/guard-size:0", "--log=xbt_cfg.thresh:warning"};
#endif
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
