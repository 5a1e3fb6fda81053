#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/executor.hpp"
#include "sim/output_files.hpp"

namespace frontdoor {

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Running {
  std::size_t task = 0;
  pid_t pid = 0;
  std::chrono::steady_clock::time_point started;
  std::filesystem::path scenario, err;
};

}  // namespace

void SpawnExecutor::run(const std::vector<ReplicationTask>& tasks,
                        const std::function<void(std::size_t, const TaskEnd&)>& ended) {
  using clock = std::chrono::steady_clock;
  static std::atomic<std::uint64_t> sequence{0};  // names each replication's files, unique in this process
  auto stopping = [&] { return options_.stopping && options_.stopping(); };
  auto abandoned = [&](std::size_t i) { return options_.abandoned && options_.abandoned(i); };
  std::vector<Running> running;
  std::size_t next = 0;
  while (next < tasks.size() || !running.empty()) {
    while (next < tasks.size() && static_cast<int>(running.size()) < options_.jobs) {
      const std::size_t i = next++;
      const ReplicationTask& task = tasks[i];
      if (stopping() || abandoned(i)) {
        TaskEnd end;
        end.kind = stopping() ? TaskEnd::Kind::stopped : TaskEnd::Kind::abandoned;
        ended(i, end);
        continue;
      }
      const std::string stem = "replication-" + std::to_string(sequence++);
      Running r{i, 0, clock::now(), options_.workdir / (stem + ".toml"), options_.workdir / (stem + ".err")};
      try {
        if (task.scenario_toml == nullptr) throw std::runtime_error("a spawned replication needs its scenario's text");
        write_file_atomically(r.scenario, *task.scenario_toml);
      } catch (const std::exception& e) {
        TaskEnd end;
        end.kind = TaskEnd::Kind::failed;
        end.message = e.what();
        ended(i, end);
        continue;
      }
      std::vector<std::string> args{options_.program,
                                    "replicate",
                                    r.scenario.string(),
                                    "--replication-seed",
                                    std::to_string(task.seed),
                                    "--replication",
                                    std::to_string(task.replication),
                                    "--out",
                                    task.out.string()};
      for (const auto& o : task.overrides) args.push_back("--set=" + o.text());
      if (task.run_id) args.push_back("--run-id=" + std::to_string(*task.run_id));
      if (!task.keep_monthly) args.push_back("--no-monthly");
      for (const auto& e : options_.engine_args) args.push_back(e);
      std::vector<std::string> environment = options_.environment;
      std::vector<char*> argv, envp;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      for (auto& e : environment) envp.push_back(e.data());
      envp.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, r.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      // None of this process's other descriptors: a server's listening socket and its pages' connections
      // (cpp-httplib does not open them close-on-exec) would otherwise stay open as long as a replication runs.
      posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
      // A server blocks SIGINT and SIGTERM (a thread waits for them) and ignores SIGPIPE; a replication does not.
      posix_spawnattr_t attributes;
      posix_spawnattr_init(&attributes);
      sigset_t none, defaults;
      sigemptyset(&none);
      sigemptyset(&defaults);
      sigaddset(&defaults, SIGPIPE);
      posix_spawnattr_setsigmask(&attributes, &none);
      posix_spawnattr_setsigdefault(&attributes, &defaults);
      posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
      // This thread waits for the replication to end, so the replication's parent-death signal (sent when the
      // thread that started it ends) fires only if the whole process dies.
      const int spawned =
          posix_spawn(&r.pid, options_.program.c_str(), &actions, &attributes, argv.data(), envp.data());
      posix_spawn_file_actions_destroy(&actions);
      posix_spawnattr_destroy(&attributes);
      if (spawned != 0) {
        std::error_code ignored;
        std::filesystem::remove(r.scenario, ignored);
        std::filesystem::remove(r.err, ignored);
        TaskEnd end;
        end.kind = TaskEnd::Kind::failed;
        end.message = "cannot start a replication process: " + std::string(std::strerror(spawned));
        ended(i, end);
        continue;
      }
      running.push_back(r);
    }
    if (running.empty()) continue;
    // Each running replication: ended, or to be killed (a stop, the time limit, nobody waiting for it).
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      TaskEnd end;
      const pid_t waited = waitpid(it->pid, &status, WNOHANG);
      const bool lost = waited < 0 && errno != EINTR;  // the process cannot be waited for: not a success
      const std::string lost_reason = lost ? std::string(std::strerror(errno)) : std::string();
      bool over = waited == it->pid || lost;
      if (lost) {
        end.kind = TaskEnd::Kind::failed;
        end.message = "cannot wait for a replication process: " + lost_reason;
      } else if (!over) {
        const bool stop = stopping(), gone = abandoned(it->task);
        const bool late = clock::now() - it->started > options_.timeout;
        if (stop || gone || late) {
          kill(it->pid, SIGKILL);
          waitpid(it->pid, &status, 0);
          end.kind = stop ? TaskEnd::Kind::stopped : gone ? TaskEnd::Kind::abandoned : TaskEnd::Kind::timed_out;
          over = true;
        }
      } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        end.kind = TaskEnd::Kind::failed;
      }
      if (!over) {
        ++it;
        continue;
      }
      end.status = status;
      end.wall_seconds = std::chrono::duration<double>(clock::now() - it->started).count();
      std::error_code ignored;
      if (end.kind == TaskEnd::Kind::failed && end.message.empty()) end.message = read_text(it->err);
      if (!end.ok()) std::filesystem::remove(tasks[it->task].out, ignored);
      std::filesystem::remove(it->err, ignored);
      std::filesystem::remove(it->scenario, ignored);
      const std::size_t task = it->task;
      it = running.erase(it);
      ended(task, end);
    }
    if (!running.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace frontdoor
