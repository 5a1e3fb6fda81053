// The hand-written S4U M/M/c reference (see mmc_reference.hpp): as little as an M/M/c needs on SimGrid, written
// the fast way (tuned contexts, persistent screener actors, no per-contact actor), so that the gap between it
// and frontdoor's engine measures frontdoor's own layers and nothing else.
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <simgrid/s4u.hpp>

#include "bench/mmc_reference.hpp"

namespace sg4 = simgrid::s4u;

namespace frontdoor_bench {

namespace {

// xoshiro256** seeded through splitmix64: no <random> distributions, the same numbers everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform on the open interval (0, 1).
  double uniform01() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  double exponential(double mean) { return -mean * std::log(uniform01()); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

struct Screener {
  sg4::SemaphorePtr wake;  // hand_off only
  double handed = 0.0;     // arrival day of the contact handed over
};

struct Model {
  explicit Model(const MmcParams& p) : params(p), arrival_rng(p.seed), service_rng(p.seed ^ 0xD1B54A32D192ED03ULL) {}

  const MmcParams& params;
  Rng arrival_rng;
  Rng service_rng;
  std::deque<double> queue;  // arrival days of waiting contacts, first come first served
  std::vector<Screener> screeners;
  std::vector<int> idle;     // hand_off: screeners waiting on their own semaphore
  sg4::SemaphorePtr queued;  // shared_semaphore: counts queued contacts
  std::uint64_t contacts = 0;
  std::uint64_t screened = 0;
  std::uint64_t events = 0;
  double wait_sum = 0.0;

  void arrivals() {
    const double mean_gap = 1.0 / params.contacts_per_day;
    double t = 0.0;
    for (;;) {
      t += arrival_rng.exponential(mean_gap);
      if (t >= params.days) break;
      sg4::this_actor::sleep_until(t);
      ++events;
      ++contacts;
      if (params.wake_up == MmcWakeUp::shared_semaphore) {
        queue.push_back(t);
        queued->release();
      } else if (!idle.empty()) {
        const int i = idle.back();
        idle.pop_back();
        screeners[static_cast<std::size_t>(i)].handed = t;
        screeners[static_cast<std::size_t>(i)].wake->release();
      } else {
        queue.push_back(t);
      }
    }
    // The only non-daemon actor: the simulation ends when it does, at the horizon.
    sg4::this_actor::sleep_until(params.days);
  }

  void screen(int i) {
    Screener& self = screeners[static_cast<std::size_t>(i)];
    for (;;) {
      double arrived = 0.0;
      if (params.wake_up == MmcWakeUp::shared_semaphore) {
        queued->acquire();
        ++events;
        arrived = queue.front();
        queue.pop_front();
      } else if (!queue.empty()) {
        arrived = queue.front();
        queue.pop_front();
      } else {
        idle.push_back(i);
        self.wake->acquire();
        ++events;
        arrived = self.handed;
      }
      const double now = sg4::Engine::get_clock();
      if (now >= params.warmup_days) {
        wait_sum += now - arrived;
        ++screened;
      }
      sg4::this_actor::sleep_for(service_rng.exponential(params.mean_days));
      ++events;
    }
  }
};

}  // namespace

MmcResult run_mmc_reference(const MmcParams& params) {
  using clock = std::chrono::steady_clock;
  const clock::time_point started = clock::now();

  std::vector<std::string> args{"mmc_reference", "--cfg=contexts/stack-size:64", "--cfg=contexts/guard-size:0",
                                "--log=xbt_cfg.thresh:warning"};
  for (const auto& a : params.engine_args) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  sg4::Engine engine(&argc, argv.data());

  auto* zone = sg4::create_full_zone("z");
  auto* host = zone->create_host("h", 1.0);
  zone->seal();

  auto model = std::make_unique<Model>(params);
  model->screeners.resize(static_cast<std::size_t>(params.servers));
  if (params.wake_up == MmcWakeUp::shared_semaphore) {
    model->queued = sg4::Semaphore::create(0);
  } else {
    for (auto& s : model->screeners) s.wake = sg4::Semaphore::create(0);
  }
  Model* m = model.get();
  sg4::Actor::create("arrivals", host, [m] { m->arrivals(); });
  for (int i = 0; i < params.servers; ++i) {
    sg4::Actor::create("screener", host, [m, i] { m->screen(i); })->daemonize();
  }

  const clock::time_point run_started = clock::now();
  engine.run();
  const clock::time_point ended = clock::now();

  MmcResult result;
  result.contacts = m->contacts;
  result.screened = m->screened;
  result.events = m->events;
  result.mean_wait_days = m->screened > 0 ? m->wait_sum / static_cast<double>(m->screened) : 0.0;
  result.run_seconds = std::chrono::duration<double>(ended - run_started).count();
  result.total_seconds = std::chrono::duration<double>(ended - started).count();
  return result;
}

double erlang_c_mean_wait(double contacts_per_day, double mean_days, int servers) {
  const double a = contacts_per_day * mean_days;  // offered load (Erlangs)
  const double c = static_cast<double>(servers);
  if (a >= c) return std::numeric_limits<double>::infinity();
  // Erlang B by the stable recurrence, then Erlang C from it.
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = a * b / (static_cast<double>(k) + a * b);
  const double rho = a / c;
  const double prob_wait = b / (1.0 - rho + rho * b);
  return prob_wait * mean_days / (c - a);
}

}  // namespace frontdoor_bench
