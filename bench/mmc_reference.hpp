#pragma once
// A minimal, hand-written M/M/c queue on SimGrid S4U: the honest reference that frontdoor's own engine is
// measured against. It holds only what an M/M/c needs (one arrival actor, c persistent screener actors, a
// std::deque of waiting contacts, a hand-rolled RNG), so whatever frontdoor costs beyond it is the price of our
// own layers (scenario-driven routing, recording, monthly series). Shared by bench_mmc_reference (a standalone
// program) and bench_front_door (which runs it in a forked child, next to frontdoor's engine).
//
// Call run_mmc_reference() only in a process that has never made an sg4::Engine: it makes one.
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor_bench {

/// How idle screeners learn of new contacts.
enum class MmcWakeUp {
  /// Each screener waits on its own semaphore and the arrival actor hands it the contact directly (what
  /// frontdoor's engine does). A screener only blocks when the queue is empty.
  hand_off,
  /// One counting semaphore of queued contacts; every screener acquires it before each contact, so every
  /// contact costs a semaphore simcall even when the queue is long.
  shared_semaphore,
};

struct MmcParams {
  double contacts_per_day = 70.0;  ///< arrival rate (Poisson)
  double mean_days = 0.1;          ///< mean of the exponential screening time
  int servers = 8;                 ///< persistent screener actors
  double days = 3652.0;            ///< horizon: 10 years
  double warmup_days = 365.0;      ///< waits of contacts screened before this day are not averaged
  std::uint64_t seed = 1;
  MmcWakeUp wake_up = MmcWakeUp::hand_off;
  std::vector<std::string> engine_args;  ///< extra --cfg=/--log= arguments, after the tuned defaults
};

struct MmcResult {
  std::uint64_t contacts = 0;   ///< arrivals before the horizon
  std::uint64_t screened = 0;   ///< contacts whose screening started after the warm-up
  std::uint64_t events = 0;     ///< sleeps and semaphore waits the actors made
  double mean_wait_days = 0.0;  ///< mean wait of `screened`
  double run_seconds = 0.0;     ///< wall time of engine.run() alone (steady_clock)
  double total_seconds = 0.0;   ///< wall time from before the engine is made to after run() (steady_clock)
};

/// Builds the engine (with --cfg=contexts/stack-size:64 --cfg=contexts/guard-size:0 --log=xbt_cfg.thresh:warning,
/// then params.engine_args), one host, the actors, and runs to the horizon.
MmcResult run_mmc_reference(const MmcParams& params);

/// Erlang C mean wait in queue (days) of an M/M/c; +infinity when the queue is unstable.
double erlang_c_mean_wait(double contacts_per_day, double mean_days, int servers);

}  // namespace frontdoor_bench
