#pragma once
// `frontdoor serve`: trainer mode. A local web server (cpp-httplib) with one page: levers, a Run button, progress
// streamed as the replications finish, and the baseline beside the changed scenario. Every replication runs in
// a process of its own (`frontdoor replicate`, started with posix_spawn), since SimGrid allows one engine per
// process and the server, with its threads, must never make one or fork.
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor {

struct ServeOptions {
  std::string scenario;  ///< the baseline the levers change
  std::string host = "127.0.0.1";
  int port = 8080;         ///< 0: any free port (printed)
  std::uint64_t seed = 1;  ///< base seed of every run: the same children and events in each
  int jobs = 2;            ///< replications (processes) at once
  int max_runs = 2;        ///< runs served at once; more get 503 with Retry-After
  int cache = 256;         ///< replication results kept, by scenario text, seed and replication
  bool quiet = false;
  bool prestart = true;                  ///< start the default run's baseline at once, so the first Run waits less
  std::string program;                   ///< this program's path, for the replication processes
  std::vector<std::string> engine_args;  ///< --cfg=/--log=, passed to each replication
};

/// Serves until SIGINT or SIGTERM, which end it within a second or two: replications running are killed and the
/// pages watching runs are told. At start, removes the working folders of servers that died without tidying up
/// (frontdoor-serve-PID-XXXXXX in the temporary directory, whose process is gone). Returns 0, or 2 (a bad
/// scenario, a port that cannot be bound, no usable temporary directory).
int command_serve(const ServeOptions& options);

}  // namespace frontdoor
