#include "sim/runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "models/random.hpp"
#include "sim/executor.hpp"
#include "sim/run_plan.hpp"
#include "sim/stop.hpp"

namespace frontdoor {

namespace {

// A child's error message, as much as a pipe takes without blocking the child at its end.
constexpr std::size_t message_limit = 4000;

// Stops the running children (SIGTERM, then SIGKILL after two seconds) and waits for every one.
void stop_children(const std::map<pid_t, std::pair<int, std::chrono::steady_clock::time_point>>& running) {
  for (const auto& [pid, task] : running) ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::size_t left = running.size();
  while (left > 0) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      if (running.count(pid) != 0) --left;
      continue;
    }
    if (pid < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      for (const auto& [p, task] : running) ::kill(p, SIGKILL);
    }
    ::usleep(10000);
  }
}

std::string read_message(int fd) {
  std::string message;
  char buffer[1024];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) message.append(buffer, static_cast<std::size_t>(n));
  return message;
}

}  // namespace

std::vector<std::uint64_t> replication_seeds(std::uint64_t base_seed, int replications) {
  std::vector<std::uint64_t> seeds;
  for (int r = 0; r < replications; ++r) seeds.push_back(replication_seed(base_seed, static_cast<std::uint64_t>(r)));
  return seeds;
}

void run_in_processes(int count, int jobs, const std::function<int(int)>& child,
                      const std::function<void(int, int, double, const std::string&)>& ended) {
  using clock = std::chrono::steady_clock;
  std::map<pid_t, std::pair<int, clock::time_point>> running;
  std::map<pid_t, int> messages;  // the read end of each child's message pipe
  auto close_all = [&] {
    for (const auto& [pid, fd] : messages) ::close(fd);
    messages.clear();
  };
  const pid_t parent = ::getpid();
  int next = 0;
  try {
    while (next < count || !running.empty()) {
      throw_if_stopped();
      while (next < count && static_cast<int>(running.size()) < jobs) {
        int pipe_fds[2];
        if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
          throw RunError(std::string("cannot start a process: ") + std::strerror(errno));
        }
        std::fflush(nullptr);  // nothing buffered may be written twice
        const pid_t pid = fork();
        if (pid < 0) {
          ::close(pipe_fds[0]);
          ::close(pipe_fds[1]);
          throw RunError(std::string("cannot start a process: ") + std::strerror(errno));
        }
        if (pid == 0) {
          become_child_of(parent);
          ::close(pipe_fds[0]);
          int code = 3;
          std::string message;
          try {
            code = child(next);
          } catch (const std::exception& e) {
            message = e.what();
          } catch (...) {
            message = "an unknown error";
          }
          if (!message.empty()) {
            message.resize(std::min(message.size(), message_limit));
            [[maybe_unused]] const ssize_t n = ::write(pipe_fds[1], message.data(), message.size());
          }
          std::fflush(nullptr);
          _exit(code);
        }
        ::close(pipe_fds[1]);
        running[pid] = {next, clock::now()};
        messages[pid] = pipe_fds[0];
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
      std::string message = read_message(messages[pid]);
      ::close(messages[pid]);
      messages.erase(pid);
      // Ctrl-C reaches the children too: one that it ended is stopped, not failed.
      if (WIFSIGNALED(status) && stop_signal() != 0) continue;
      ended(task, status, std::chrono::duration<double>(clock::now() - started).count(), message);
    }
  } catch (...) {
    stop_children(running);
    close_all();
    throw;
  }
  close_all();
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "exit code " + std::to_string(WEXITSTATUS(status));
}

std::vector<ReplicationResult> run_replications(const Scenario& scenario, const RunOptions& options,
                                                const std::filesystem::path& scratch) {
  ForkExecutor executor(options.jobs, options.engine_args);
  const RunPlan plan{std::make_shared<const Scenario>(scenario), nullptr, options.base_seed, options.replications};
  return execute(plan, executor, scratch, options.on_progress);
}

}  // namespace frontdoor
