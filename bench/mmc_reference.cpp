// bench_mmc_reference: the hand-written S4U M/M/c reference (mmc_reference.hpp) as a standalone program, so that
// SimGrid's own cost for an M/M/c can be measured apart from anything frontdoor adds. Prints one line of JSON:
//   {"contacts": N, "events": E, "mean_wait_days": W, "sim_seconds": S}
// where S is the wall time of engine.run() and E counts the actors' sleeps and semaphore waits.
//
// Options: --rate CONTACTS_PER_DAY (70), --mean SCREENING_DAYS (0.1), --servers C (8), --days HORIZON (3652),
// --warmup DAYS (365), --seed N (1), --shared-semaphore (one counting semaphore instead of per-screener hand-off).
// Any --cfg=... or --log=... argument goes to the SimGrid engine.
#include "bench/mmc_reference.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_mmc_reference: %s\n"
               "usage: bench_mmc_reference [--rate R] [--mean M] [--servers C] [--days D] [--warmup W] [--seed N]\n"
               "                           [--shared-semaphore] [--cfg=...] [--log=...]\n",
               why);
  std::exit(2);
}

double parse_double(const std::string& option, const char* text) {
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (end == text || *end != '\0') usage(("bad value for " + option + ": " + text).c_str());
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  frontdoor_bench::MmcParams params;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--cfg=", 0) == 0 || arg.rfind("--log=", 0) == 0) {
      params.engine_args.push_back(arg);
      continue;
    }
    if (arg == "--shared-semaphore") {
      params.wake_up = frontdoor_bench::MmcWakeUp::shared_semaphore;
      continue;
    }
    if (arg == "--help" || arg == "-h") usage("an M/M/c queue on SimGrid S4U, written by hand");
    if (i + 1 >= argc) usage(("unknown option or missing value: " + arg).c_str());
    const char* value = argv[++i];
    if (arg == "--rate") {
      params.contacts_per_day = parse_double(arg, value);
    } else if (arg == "--mean") {
      params.mean_days = parse_double(arg, value);
    } else if (arg == "--servers") {
      params.servers = static_cast<int>(parse_double(arg, value));
    } else if (arg == "--days") {
      params.days = parse_double(arg, value);
    } else if (arg == "--warmup") {
      params.warmup_days = parse_double(arg, value);
    } else if (arg == "--seed") {
      params.seed = static_cast<std::uint64_t>(parse_double(arg, value));
    } else {
      usage(("unknown option: " + arg).c_str());
    }
  }
  if (params.contacts_per_day <= 0.0 || params.mean_days <= 0.0 || params.servers < 1 || params.days <= 0.0) {
    usage("--rate, --mean and --days must be > 0 and --servers >= 1");
  }

  const frontdoor_bench::MmcResult r = frontdoor_bench::run_mmc_reference(params);
  std::printf("{\"contacts\": %llu, \"events\": %llu, \"mean_wait_days\": %.6g, \"sim_seconds\": %.6f}\n",
              static_cast<unsigned long long>(r.contacts), static_cast<unsigned long long>(r.events), r.mean_wait_days,
              r.run_seconds);
  return 0;
}
