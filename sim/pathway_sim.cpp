#include "sim/pathway_sim.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <simgrid/s4u.hpp>

#include "models/workforce.hpp"
#include "sim/actors/actors.hpp"
#include "sim/context.hpp"
#include "sim/runner.hpp"
#include "sim/stop.hpp"

XBT_LOG_NEW_DEFAULT_CATEGORY(frontdoor_sim, "frontdoor: the pathway simulation");

namespace sg4 = simgrid::s4u;

namespace frontdoor {

namespace {

using namespace engine;

// Maps the pathway onto long-lived actors (sim/actors/actors.hpp lists them): one per referral source (or, with a
// [need] table, the children's events in the engine's timers), the actors of each service's kind, a staffing actor per
// team whose staff change, the reinvestment rule's actor, and a horizon actor (the only non-daemon) that ends the run.
void start(Context& ctx, sg4::NetZone* zone, ReinvestmentLink* reinvestment) {
  ctx.host = zone->create_host("council", 1.0);
  zone->seal();
  const Scenario& scenario = ctx.scenario;
  for (int s = 0; s < static_cast<int>(ctx.pathway.services().size()); ++s) {
    ctx.services.push_back(std::make_unique<ServiceState>(scenario, s, ctx.seed));
  }

  const double horizon = ctx.calendar.horizon_days();
  sg4::Actor::create("horizon", ctx.host, [horizon] { sg4::this_actor::sleep_until(horizon); });
  if (!scenario.need.enabled) {
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
      add(0.0, scenario);
      for (const auto& change : scenario.changes) add(change.from_day, *change.scenario);
      if (!any) continue;
      sg4::Actor::create(std::string("source_") + source_name(kind), ctx.host, [&ctx, segments] {
        run_arrivals(ctx, segments);
      })->daemonize();
    }
  }
  for (auto& service : ctx.services) {
    ServiceState& st = *service;
    const TeamSpec& team = st.spec.team;
    st.permanent = team.fte;
    st.establishment_now = team.fte;
    switch (st.spec.kind) {
      case ServiceKind::screening_queue: {
        ScreeningDesk& desk = st.screening.emplace();
        desk.on_duty = static_cast<int>(team.fte);
        desk.screeners.resize(static_cast<std::size_t>(st.max_fte));
        for (int i = 0; i < static_cast<int>(desk.screeners.size()); ++i) {
          desk.screeners[i].wake = sg4::Semaphore::create(0);
          sg4::Actor::create("screener_" + st.spec.id, ctx.host, [&ctx, &st, i] {
            run_screener(ctx, st, i);
          })->daemonize();
        }
        break;
      }
      case ServiceKind::caseload_team:
        st.team.emplace().waker.wake = sg4::Semaphore::create(0);
        st.team->clock.set_staff(0.0, team.fte, team.caseload_cap);
        st.team->clock.set_pace_curve(scenario.need.pace_curve, scenario.need.pace_floor);
        sg4::Actor::create("team_" + st.spec.id, ctx.host, [&ctx, &st] { run_caseload_team(ctx, st); })->daemonize();
        break;
      case ServiceKind::decision_point:
        if (!st.spec.can_take_zero_time()) {
          st.timer.emplace().waker.wake = sg4::Semaphore::create(0);
          sg4::Actor::create("timer_" + st.spec.id, ctx.host, [&ctx, &st] {
            run_decision_timer(ctx, st);
          })->daemonize();
        }
        break;
      case ServiceKind::exit:
        break;
    }
    if (!st.establishment_changes.empty() || team.turnover_per_year > 0.0) {
      set_staff(ctx, st, initial_permanent_staff(team), team.fte);
      sg4::Actor::create("staffing_" + st.spec.id, ctx.host, [&ctx, &st] { run_staffing(ctx, st); })->daemonize();
    }
    if (scenario.need.enabled && st.spec.initial_cases > 0) seed_initial_cases(ctx, st);
  }
  // The children's events run in the engine's timers, after the starting caseload's children are known.
  if (scenario.need.enabled) start_population(ctx);
  if (has_unaccompanied(scenario)) {
    sg4::Actor::create("unaccompanied", ctx.host, [&ctx] { run_unaccompanied(ctx); })->daemonize();
  }
  if (reinvestment != nullptr) {
    sg4::Actor::create("reinvestment", ctx.host, [&ctx, reinvestment] {
      run_reinvestment(ctx, *reinvestment);
    })->daemonize();
  }
}

// One replication on an engine of this process's own (the first and only one it makes), with a reinvestment rule's
// end of the pairing if it has one.
ReplicationResult run_engine(const Scenario& scenario, int replication, std::uint64_t seed,
                             const std::vector<std::string>& engine_args, ReinvestmentLink* reinvestment,
                             ChildRecords* records = nullptr) {
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
  auto ctx = std::make_unique<Context>(scenario, seed);
  ctx->records = records;
  start(*ctx, sg4::create_full_zone("council"), reinvestment);
  engine.run();
  if (reinvestment != nullptr && !reinvestment->error.empty()) throw SimulationError(reinvestment->error);
  if (deadlocked) {
    throw SimulationError("the simulation deadlocked at day " + std::to_string(sg4::Engine::get_clock()) +
                          ": every actor is waiting for another");
  }
  ReplicationResult result = ctx->recorder.finish(ctx->calendar.horizon_days());
  result.seed = seed;
  result.engine_events = ctx->events;
  result.replication = replication;
  XBT_DEBUG("replication %d done: %llu events", replication, static_cast<unsigned long long>(result.engine_events));
  return result;
}

// A reinvestment rule's counterfactual: the scenario it names, run on the same seed in a child process forked
// before this one makes its engine (one engine per process), side by side with it. It writes its watched costs,
// year by year, into a pipe that the paired run's rule reads; it dies with this process (PR_SET_PDEATHSIG), and
// what it says when it fails comes back through a second pipe.
class CounterfactualProcess {
 public:
  CounterfactualProcess(const Scenario& scenario, std::uint64_t seed, const std::vector<std::string>& engine_args) {
    const ReinvestmentSpec& rule = scenario.reinvestment;
    int costs[2];
    int message[2];
    if (::pipe2(costs, O_CLOEXEC) != 0) fail_to_start();
    if (::pipe2(message, O_CLOEXEC) != 0) {
      ::close(costs[0]);
      ::close(costs[1]);
      fail_to_start();
    }
    const pid_t parent = ::getpid();
    std::fflush(nullptr);  // nothing buffered may be written twice
    pid_ = ::fork();
    if (pid_ == 0) {
      become_child_of(parent);
      ::close(costs[0]);
      ::close(message[0]);
      std::string error;
      try {
        ReinvestmentLink link;
        link.counterfactual = true;
        link.fd = costs[1];
        link.watch = rule.counterfactual_watch;
        link.from_year = rule.from_year;
        run_engine(*rule.counterfactual, 0, seed, engine_args, &link);
      } catch (const std::exception& e) {
        error = e.what();
      } catch (...) {
        error = "an unknown error";
      }
      if (!error.empty()) {
        error.resize(std::min<std::size_t>(error.size(), 4000));
        [[maybe_unused]] const ssize_t n = ::write(message[1], error.data(), error.size());
      }
      std::fflush(nullptr);
      ::_exit(error.empty() ? 0 : 3);
    }
    ::close(costs[1]);
    ::close(message[1]);
    if (pid_ < 0) {
      ::close(costs[0]);
      ::close(message[0]);
      fail_to_start();
    }
    costs_ = costs[0];
    message_ = message[0];
  }
  CounterfactualProcess(const CounterfactualProcess&) = delete;
  CounterfactualProcess& operator=(const CounterfactualProcess&) = delete;
  ~CounterfactualProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    ::close(costs_);
    ::close(message_);
  }

  int costs() const { return costs_; }

  /// Waits for the process to end; "" when it succeeded, else what went wrong.
  std::string outcome() {
    if (pid_ <= 0) return failure_;
    const int status = wait();
    std::string said;
    char buffer[1024];
    for (ssize_t n; (n = ::read(message_, buffer, sizeof buffer)) > 0;)
      said.append(buffer, static_cast<std::size_t>(n));
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    failure_ = ok ? "" : !said.empty() ? said : describe_exit(status);
    return failure_;
  }

 private:
  [[noreturn]] static void fail_to_start() {
    throw SimulationError(std::string("cannot start the reinvestment rule's counterfactual run: ") +
                          std::strerror(errno));
  }
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  pid_t pid_ = -1;
  int costs_ = -1;
  int message_ = -1;
  std::string failure_;
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
                           const std::vector<std::string>& engine_args, ChildRecords* records) {
  const ReinvestmentSpec& rule = scenario.reinvestment;
  if (rule.share <= 0.0 || rule.from_year >= scenario.simulation.years) {
    return run_engine(scenario, replication, seed, engine_args, nullptr,
                      records);  // no rule, or no year it could act on
  }
  if (rule.counterfactual == nullptr) {
    throw SimulationError("the reinvestment rule has no counterfactual to measure its savings against");
  }
  CounterfactualProcess counterfactual(scenario, seed, engine_args);
  ReinvestmentLink link;
  link.fd = counterfactual.costs();
  link.watch = rule.watch;
  link.from_year = rule.from_year;
  link.failure = [&counterfactual] { return counterfactual.outcome(); };
  // Once this run is over, every figure it needed has come; the counterfactual is stopped where it is.
  return run_engine(scenario, replication, seed, engine_args, &link, records);
}

}  // namespace frontdoor
