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

std::vector<ReplicationResult> run_replications(const Scenario& scenario, const RunOptions& options,
                                                const std::filesystem::path& scratch) {
  using clock = std::chrono::steady_clock;
  const std::vector<std::uint64_t> seeds = replication_seeds(options.base_seed, options.replications);
  std::map<pid_t, std::pair<int, clock::time_point>> running;
  std::vector<double> wall(options.replications, 0.0);
  std::vector<std::string> failures;
  int next = 0;
  int finished = 0;
  while (next < options.replications || !running.empty()) {
    while (next < options.replications && static_cast<int>(running.size()) < options.jobs) {
      std::fflush(nullptr);  // nothing buffered may be written twice
      const pid_t pid = fork();
      if (pid < 0) throw RunError(std::string("cannot start a replication process: ") + std::strerror(errno));
      if (pid == 0) run_child(scenario, options, next, seeds[next], scratch);
      running[pid] = {next, clock::now()};
      ++next;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw RunError(std::string("waiting for replications failed: ") + std::strerror(errno));
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const auto [r, started] = it->second;
    running.erase(it);
    wall[r] = std::chrono::duration<double>(clock::now() - started).count();
    if (WIFSIGNALED(status)) {
      failures.push_back("replication " + std::to_string(r) + " (seed " + std::to_string(seeds[r]) +
                         ") was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                         strsignal(WTERMSIG(status)) + ")");
    } else if (WEXITSTATUS(status) != 0) {
      std::string why = read_text(error_path(scratch, r));
      if (why.empty()) why = "exit code " + std::to_string(WEXITSTATUS(status));
      failures.push_back("replication " + std::to_string(r) + " (seed " + std::to_string(seeds[r]) + ") failed: " + why);
    }
    ++finished;
    if (options.on_progress) options.on_progress(finished, options.replications);
  }
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
