#include "sim/runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "models/random.hpp"
#include "sim/pathway_sim.hpp"
#include "sim/output_files.hpp"

namespace frontdoor {

namespace {

std::filesystem::path result_path(const std::filesystem::path& scratch, int r) {
  return scratch / ("replication_" + std::to_string(r) + ".json");
}
std::filesystem::path error_path(const std::filesystem::path& scratch, int r) {
  return scratch / ("replication_" + std::to_string(r) + ".error");
}

// Runs in the child: never returns.
[[noreturn]] void run_child(const Scenario& scenario, const RunOptions& options, int r, std::uint64_t seed,
                            const std::filesystem::path& scratch) {
  int code = 0;
  try {
    const ReplicationResult result = simulate(scenario, r, seed, options.engine_args);
    write_file_atomically(result_path(scratch, r), to_json(result).dump());
  } catch (const std::exception& e) {
    try {
      write_file_atomically(error_path(scratch, r), e.what());
    } catch (...) {
    }
    code = 3;
  }
  std::fflush(nullptr);
  _exit(code);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::vector<std::uint64_t> replication_seeds(std::uint64_t base_seed, int replications) {
  std::vector<std::uint64_t> seeds;
  for (int r = 0; r < replications; ++r) seeds.push_back(replication_seed(base_seed, static_cast<std::uint64_t>(r)));
  return seeds;
}

void run_in_processes(int count, int jobs, const std::function<int(int)>& child,
                      const std::function<void(int, int, double)>& ended) {
  using clock = std::chrono::steady_clock;
  std::map<pid_t, std::pair<int, clock::time_point>> running;
  int next = 0;
  while (next < count || !running.empty()) {
    while (next < count && static_cast<int>(running.size()) < jobs) {
      std::fflush(nullptr);  // nothing buffered may be written twice
      const pid_t pid = fork();
      if (pid < 0) throw RunError(std::string("cannot start a process: ") + std::strerror(errno));
      if (pid == 0) {
        int code = 3;
        try {
          code = child(next);
        } catch (...) {
        }
        std::fflush(nullptr);
        _exit(code);
      }
      running[pid] = {next, clock::now()};
      ++next;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw RunError(std::string("waiting for child processes failed: ") + std::strerror(errno));
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const auto [task, started] = it->second;
    running.erase(it);
    ended(task, status, std::chrono::duration<double>(clock::now() - started).count());
  }
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "exit code " + std::to_string(WEXITSTATUS(status));
}

std::vector<ReplicationResult> run_replications(const Scenario& scenario, const RunOptions& options,
                                                const std::filesystem::path& scratch) {
  const std::vector<std::uint64_t> seeds = replication_seeds(options.base_seed, options.replications);
  std::vector<double> wall(options.replications, 0.0);
  std::vector<std::string> failures;
  int finished = 0;
  run_in_processes(
      options.replications, options.jobs,
      [&](int r) { run_child(scenario, options, r, seeds[r], scratch); return 0; },
      [&](int r, int status, double seconds) {
        wall[r] = seconds;
        if (WIFSIGNALED(status)) {
          failures.push_back("replication " + std::to_string(r) + " (seed " + std::to_string(seeds[r]) + ") was " +
                             describe_exit(status));
        } else if (WEXITSTATUS(status) != 0) {
          std::string why = read_text(error_path(scratch, r));
          if (why.empty()) why = describe_exit(status);
          failures.push_back("replication " + std::to_string(r) + " (seed " + std::to_string(seeds[r]) + ") failed: " + why);
        }
        ++finished;
        if (options.on_progress) options.on_progress(finished, options.replications);
      });
  if (!failures.empty()) {
    std::string message;
    for (const auto& f : failures) message += (message.empty() ? "" : "\n") + f;
    throw RunError(message);
  }
  std::vector<ReplicationResult> results;
  for (int r = 0; r < options.replications; ++r) {
    ReplicationResult result = replication_from_json(nlohmann::json::parse(read_text(result_path(scratch, r))));
    result.wall_seconds = wall[r];
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace frontdoor
