#include "sim/front_door_sim.hpp"

#include <limits>
#include <memory>
#include <set>
#include <simgrid/s4u.hpp>

#include "models/arrivals.hpp"
#include "models/screening_queue.hpp"
#include "sim/front_door_recorder.hpp"

XBT_LOG_NEW_DEFAULT_CATEGORY(frontdoor_sim, "frontdoor: the front-door simulation");

namespace sg4 = simgrid::s4u;

namespace frontdoor {

namespace {

// The front door as S4U actors: one arrival actor per referral source, one long-lived actor per screener, and a
// roster actor that applies the screener schedule. Screeners pull from our own ScreeningQueue; an idle screener
// waits on its own semaphore and is handed the next contact directly, so a busy front door costs one engine
// wait per arrival and one per screening, and no actor is created per contact.
class FrontDoorModel {
 public:
  FrontDoorModel(const Scenario& scenario, std::uint64_t seed)
      : scenario_(scenario),
        calendar_(scenario.make_calendar()),
        recorder_(calendar_, scenario.simulation.warmup_days, scenario.front_door.screeners),
        screening_rng_(seed, StreamPurpose::screening_duration),
        decision_rng_(seed, StreamPurpose::front_door_decision),
        seed_(seed),
        on_duty_(scenario.front_door.screeners) {}

  void start(sg4::Host* host) {
    const double horizon = calendar_.horizon_days();
    // The only non-daemon actor: the simulation ends when it returns, at the horizon.
    sg4::Actor::create("horizon", host, [horizon] { sg4::this_actor::sleep_until(horizon); });
    for (const SourceSpec& source : scenario_.sources) {
      if (source.contacts_per_day <= 0.0) continue;
      sg4::Actor::create(std::string("source_") + source_name(source.kind), host, [this, source] { arrivals(source); })
          ->daemonize();
    }
    screeners_.resize(scenario_.front_door.max_screeners());
    for (int i = 0; i < static_cast<int>(screeners_.size()); ++i) {
      screeners_[i].wake = sg4::Semaphore::create(0);
      sg4::Actor::create("screener_" + std::to_string(i), host, [this, i] { screen(i); })->daemonize();
    }
    if (!scenario_.front_door.schedule.empty()) {
      sg4::Actor::create("roster", host, [this] { roster(); })->daemonize();
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
  };

  void arrivals(const SourceSpec& source) {
    RandomStream stream(seed_, arrival_stream(source.kind));
    ArrivalProcess process(source, calendar_);
    double t = sg4::Engine::get_clock();
    for (;;) {
      t = process.next_after(t, stream);
      if (t == std::numeric_limits<double>::infinity()) return;
      sg4::this_actor::sleep_until(t);
      ++events_;
      arrive(Contact{next_contact_id_++, t, source.kind, 0});
    }
  }

  void arrive(const Contact& contact) {
    recorder_.contact_arrived(contact.arrival_day, contact);
    // The lowest-numbered idle screener on duty takes it; otherwise it waits its turn.
    auto idle = idle_.begin();
    if (idle != idle_.end() && *idle < on_duty_) {
      hand_over(*idle, contact);
    } else {
      queue_.push(contact);
    }
  }

  void hand_over(int screener, const Contact& contact) {
    idle_.erase(screener);
    screeners_[screener].handed = contact;
    screeners_[screener].wake->release();
  }

  void screen(int i) {
    Screener& self = screeners_[i];
    for (;;) {
      if (i >= on_duty_) {
        // Off duty: come back when the roster next needs this screener (a busy screener always finishes the
        // contact in hand first; nobody is interrupted).
        const double back = next_on_duty_time(i);
        if (back == std::numeric_limits<double>::infinity()) return;
        sg4::this_actor::sleep_until(back);
        continue;
      }
      Contact contact;
      if (!queue_.empty()) {
        contact = queue_.pop();
      } else {
        idle_.insert(i);
        self.wake->acquire();
        ++events_;
        contact = self.handed;
      }
      const double now = sg4::Engine::get_clock();
      recorder_.screening_started(now, contact);
      sg4::this_actor::sleep_for(scenario_.front_door.screening_time.sample(screening_rng_));
      ++events_;
      recorder_.screening_finished(sg4::Engine::get_clock(), contact, decide());
    }
  }

  Decision decide() {
    const DecisionShares& shares = scenario_.front_door.decision;
    const double u = decision_rng_.uniform01();
    if (u < shares.referral) return Decision::referral;
    if (u < shares.referral + shares.early_help) return Decision::early_help;
    return Decision::no_further_action;
  }

  double next_on_duty_time(int i) const {
    const double now = sg4::Engine::get_clock();
    for (const auto& change : scenario_.front_door.schedule) {
      if (change.from_day > now && i < change.screeners) return change.from_day;
    }
    return std::numeric_limits<double>::infinity();
  }

  void roster() {
    for (const auto& change : scenario_.front_door.schedule) {
      sg4::this_actor::sleep_until(change.from_day);
      ++events_;
      const int before = on_duty_;
      on_duty_ = change.screeners;
      recorder_.screeners_changed(change.from_day, on_duty_);
      // Screeners who come on duty while idle take waiting contacts at once.
      for (int i = before; i < on_duty_ && !queue_.empty(); ++i) {
        if (idle_.count(i) != 0) hand_over(i, queue_.pop());
      }
    }
  }

  const Scenario& scenario_;
  SimCalendar calendar_;
  FrontDoorRecorder recorder_;
  RandomStream screening_rng_;
  RandomStream decision_rng_;
  std::uint64_t seed_;
  int on_duty_;
  ScreeningQueue queue_;
  std::vector<Screener> screeners_;
  std::set<int> idle_;
  std::uint64_t next_contact_id_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace

std::vector<std::string> default_engine_args() {
  return {"--cfg=contexts/stack-size:64", "--cfg=contexts/guard-size:0", "--log=xbt_cfg.thresh:warning"};
}

ReplicationResult simulate_front_door(const Scenario& scenario, int replication, std::uint64_t seed,
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
  auto* zone = sg4::create_full_zone("council");
  sg4::Host* host = zone->create_host("front_door", 1.0);
  zone->seal();

  auto model = std::make_unique<FrontDoorModel>(scenario, seed);
  model->start(host);
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
