#include "cli/serve_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <list>
#include <map>
#include <mutex>
#include <queue>
#include <sstream>
#include <thread>
#include <tuple>

#include "build_info.hpp"
#include "cli/report_assets.hpp"
#include "cli/trainer.hpp"
#include "models/random.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"
#include "sim/pathway_sim.hpp"
#include "sim/runner.hpp"

extern char** environ;

namespace fs = std::filesystem;
using nlohmann::json;

namespace frontdoor {

namespace {

constexpr std::size_t max_request_bytes = 16 * 1024;
constexpr int retry_after_seconds = 5;
constexpr std::chrono::seconds replication_timeout{300};  // a replication of at most 8 years takes seconds

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string hex64(std::uint64_t v) {
  char text[20];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

// A claim on one replication's result. While any claim on a replication is held it stays queued or running; when
// the last is dropped (the page went away) before it has finished, it is not started, or is stopped.
class Lease {
 public:
  Lease(std::shared_future<ReplicationResult> future, std::shared_ptr<std::atomic<int>> waiters)
      : future_(std::move(future)), waiters_(std::move(waiters)) {
    ++*waiters_;
  }
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (waiters_) --*waiters_;
  }
  bool ready() const { return future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
  const ReplicationResult& get() const { return future_.get(); }  // throws the replication's failure

 private:
  std::shared_future<ReplicationResult> future_;
  std::shared_ptr<std::atomic<int>> waiters_;
};

// Replications run as `frontdoor replicate` processes, at most `jobs` at once, lowest priority first (then in
// order of request). Results are kept by (scenario text, seed, replication): the same settings asked for again,
// by this run or a later one, are not simulated twice. A replication that runs longer than `timeout` is killed.
class SimulationPool {
 public:
  SimulationPool(std::string program, fs::path workdir, int jobs, std::size_t cache_size,
                 std::vector<std::string> engine_args, std::chrono::seconds timeout)
      : program_(std::move(program)), workdir_(std::move(workdir)), cache_size_(cache_size),
        engine_args_(std::move(engine_args)), timeout_(timeout) {
    for (int i = 0; i < jobs; ++i) threads_.emplace_back([this] { work(); });
  }
  ~SimulationPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      while (!queue_.empty()) {
        queue_.top().promise->set_exception(std::make_exception_ptr(std::runtime_error("the server is stopping")));
        queue_.pop();
      }
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();  // a running replication sees stopping_ and is killed
  }

  Lease get(const std::string& scenario_text, std::uint64_t seed, int replication, int priority) {
    const std::string digest = hex64(fnv1a64(scenario_text)) + "-" + std::to_string(scenario_text.size());
    const std::string key = digest + "-" + std::to_string(seed) + "-" + std::to_string(replication);
    std::lock_guard<std::mutex> lock(mutex_);
    evict();
    if (auto it = cache_.find(key); it != cache_.end()) {
      touch(key);
      return Lease(it->second.future, it->second.waiters);
    }
    const fs::path scenario_file = workdir_ / ("scenario-" + digest + ".toml");
    if (!fs::exists(scenario_file)) write_file_atomically(scenario_file, scenario_text);
    Task task{priority, next_sequence_++, key, scenario_file, seed, replication,
              std::make_shared<std::promise<ReplicationResult>>(), std::make_shared<std::atomic<int>>(0)};
    Entry entry{task.promise->get_future().share(), task.waiters};
    cache_[key] = entry;
    order_.push_back(key);
    queue_.push(std::move(task));
    wake_.notify_one();
    return Lease(entry.future, entry.waiters);
  }

  /// Replications waiting, running, and finished results kept.
  json status() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t kept = 0;
    for (const auto& [key, entry] : cache_) kept += entry.future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    return {{"queued", queue_.size()}, {"running", running_}, {"kept", kept}};
  }

 private:
  struct Entry {
    std::shared_future<ReplicationResult> future;
    std::shared_ptr<std::atomic<int>> waiters;
  };
  struct Task {
    int priority;
    std::uint64_t sequence;
    std::string key;
    fs::path scenario;
    std::uint64_t seed;
    int replication;
    std::shared_ptr<std::promise<ReplicationResult>> promise;
    std::shared_ptr<std::atomic<int>> waiters;
    bool operator<(const Task& o) const {  // std::priority_queue puts the greatest first
      return std::tie(priority, sequence) > std::tie(o.priority, o.sequence);
    }
  };

  void touch(const std::string& key) {
    order_.remove(key);
    order_.push_back(key);
  }
  // Forgets the least recently used finished results beyond the cache's size (never one still to come).
  void evict() {
    for (auto it = order_.begin(); cache_.size() > cache_size_ && it != order_.end();) {
      auto entry = cache_.find(*it);
      if (entry != cache_.end() && entry->second.future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        cache_.erase(entry);
        it = order_.erase(it);
      } else {
        ++it;
      }
    }
  }
  void forget(const std::string& key) {  // with mutex_ held
    cache_.erase(key);
    order_.remove(key);
  }

  void work() {
    for (;;) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        task = queue_.top();
        queue_.pop();
        if (*task.waiters == 0) {  // nobody waits for it any more: not started, not kept
          forget(task.key);
          task.promise->set_exception(std::make_exception_ptr(std::runtime_error("cancelled")));
          continue;
        }
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++running_;
      }
      try {
        ReplicationResult result = run(task);
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
        task.promise->set_value(std::move(result));
      } catch (const std::exception& e) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          --running_;
          forget(task.key);  // a failure is not kept: asking again tries again
        }
        task.promise->set_exception(std::make_exception_ptr(std::runtime_error(e.what())));
      }
    }
  }

  ReplicationResult run(const Task& task) {
    const std::string stem = "replication-" + std::to_string(task.sequence);
    const fs::path out = workdir_ / (stem + ".json"), err = workdir_ / (stem + ".err");
    std::vector<std::string> args{program_, "replicate", task.scenario.string(), "--seed", std::to_string(task.seed),
                                  "--replication", std::to_string(task.replication), "--out", out.string()};
    for (const auto& e : engine_args_) args.push_back(e);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    // The server blocks SIGINT and SIGTERM (a thread waits for them) and ignores SIGPIPE; a replication does not.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program_.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) throw std::runtime_error("cannot start a replication process: " + std::string(std::strerror(spawned)));
    // Wait for it, killing it if the server stops or it runs past the time limit.
    const auto started = std::chrono::steady_clock::now();
    int status = 0;
    bool timed_out = false, abandoned = false;
    for (;;) {
      const pid_t ended = waitpid(pid, &status, WNOHANG);
      if (ended == pid || (ended < 0 && errno != EINTR)) break;
      bool stop = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        stop = stopping_;
      }
      abandoned = *task.waiters == 0;  // every page that asked for it has gone: free the core for the next run
      timed_out = std::chrono::steady_clock::now() - started > timeout_;
      if (stop || timed_out || abandoned) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string why = read_text(err);
    fs::remove(err);
    if (abandoned) {
      fs::remove(out);
      throw std::runtime_error("cancelled: no page waits for it any more");
    }
    if (timed_out) {
      fs::remove(out);
      throw std::runtime_error("replication " + std::to_string(task.replication + 1) + " ran for more than " +
                               std::to_string(timeout_.count()) + " seconds and was stopped");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      // The first lines say what went wrong (SimGrid, say, goes on to list every setting it knows).
      std::size_t cut = 0;
      for (int line = 0; line < 3 && cut != std::string::npos; ++line) cut = why.find('\n', cut == 0 ? 0 : cut + 1);
      if (cut != std::string::npos) why = why.substr(0, cut) + " ...";
      if (why.size() > 600) why = why.substr(0, 600) + " ...";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      fs::remove(out);
      throw std::runtime_error("replication " + std::to_string(task.replication + 1) + " failed (" + describe_exit(status) +
                               ")" + (why.empty() ? "" : ": " + why));
    }
    ReplicationResult result = replication_from_json(json::parse(read_text(out)));
    fs::remove(out);
    return result;
  }

  std::string program_;
  fs::path workdir_;
  std::size_t cache_size_;
  std::vector<std::string> engine_args_;
  std::chrono::seconds timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Task> queue_;
  std::map<std::string, Entry> cache_;
  std::list<std::string> order_;
  std::uint64_t next_sequence_ = 0;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// JSON as text; bytes that are not UTF-8 (a child's message cut mid-character, a body quoted in an error) are
// replaced rather than thrown over.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump(body), "application/json");
}
void send_error(httplib::Response& res, int status, const std::string& message) { send_json(res, status, {{"error", message}}); }

// Headers every answer carries: nothing is cached, nothing is sniffed, and the page runs only its own scripts.
void harden(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
                 "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
}

// One run as the page sees it: both scenarios' replications, streamed as they finish.
struct RunStream {
  Trainer* trainer = nullptr;
  int years = 3, replications = 4;
  std::vector<std::string> changes;
  std::shared_ptr<const Scenario> base_scenario, changed_scenario;
  std::vector<Lease> base, changed;
  std::chrono::steady_clock::time_point started;
  std::atomic<int>* active = nullptr;  ///< the runs being served; this one counts until it is released

  void release() {
    if (active != nullptr) --*active;
    active = nullptr;
  }
  // Whatever ends the run (its stream done, the page gone, an exception before streaming began) frees its slot,
  // and dropping its leases takes its replications still queued out of the queue.
  ~RunStream() { release(); }
};

bool write_line(httplib::DataSink& sink, const json& line) {
  const std::string text = dump(line) + "\n";
  return sink.write(text.data(), text.size());
}

// Streams the run: a line when each replication ends, the charts whenever another pair (replication r of both)
// is complete, then "done" (or "error"). Returns false when the page has gone away.
bool stream_run(RunStream& s, httplib::DataSink& sink) {
  const int n = s.replications;
  if (!write_line(sink, {{"type", "accepted"}, {"changes", s.changes}, {"replications", n}, {"years", s.years}})) return false;
  std::vector<bool> base_done(n, false), changed_done(n, false);
  int done = 0, pairs_sent = 0;
  while (true) {
    bool progressed = false;
    for (int r = 0; r < n; ++r) {
      for (int which = 0; which < 2; ++which) {
        auto& flags = which == 0 ? base_done : changed_done;
        const Lease& lease = (which == 0 ? s.base : s.changed)[r];
        if (flags[r] || !lease.ready()) continue;
        const std::string what = which == 0 ? "baseline" : "changed scenario";
        try {
          lease.get();
        } catch (const std::exception& e) {
          write_line(sink, {{"type", "error"}, {"message", what + ": " + e.what()}});
          return true;
        }
        flags[r] = true;
        ++done;
        progressed = true;
        if (!write_line(sink, {{"type", "progress"}, {"done", done}, {"total", 2 * n},
                               {"message", what + ": replication " + std::to_string(r + 1) + " of " + std::to_string(n) + " done"}})) {
          return false;
        }
      }
    }
    if (!progressed) {
      if (!sink.is_writable()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    std::vector<ReplicationResult> base, changed;
    for (int r = 0; r < n; ++r) {
      if (base_done[r] && changed_done[r]) {
        base.push_back(s.base[r].get());
        changed.push_back(s.changed[r].get());
      }
    }
    const int pairs = static_cast<int>(base.size());
    if (pairs > pairs_sent) {
      pairs_sent = pairs;
      json data{{"type", "data"}, {"final", pairs == n}, {"pairs", pairs},
                {"base", s.trainer->view_json("Baseline", *s.base_scenario, base, s.years)},
                {"changed", s.trainer->view_json("Changed", *s.changed_scenario, changed, s.years)},
                {"difference", s.trainer->difference_json(base, changed)}};
      if (!write_line(sink, data)) return false;
    }
    if (pairs == n) break;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.started).count();
  write_line(sink, {{"type", "done"}, {"seconds", seconds}});
  return true;
}

}  // namespace

int command_replicate(const ReplicateOptions& options) {
  Scenario scenario;
  try {
    scenario = load_scenario(options.scenario);
  } catch (const ScenarioError& e) {
    std::cerr << "the scenario is not valid: " << e.what() << "\n";
    return 2;
  }
  try {
    const ReplicationResult result = simulate(scenario, options.replication,
                                              replication_seed(options.seed, static_cast<std::uint64_t>(options.replication)),
                                              options.engine_args);
    write_file_atomically(options.out, to_json(result).dump());
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 3;
  }
  return 0;
}

int command_serve(const ServeOptions& options) {
  auto fail = [](const std::string& message) {
    std::cerr << "frontdoor: error: " << message << "\n";
    return 2;
  };
  std::unique_ptr<Trainer> trainer;
  // The baseline of each number of years shown: its scenario text and what it loads as.
  std::mutex texts_mutex;
  std::map<int, std::pair<std::string, std::shared_ptr<const Scenario>>> baselines;
  auto baseline = [&](int years) {
    std::lock_guard<std::mutex> lock(texts_mutex);
    auto it = baselines.find(years);
    if (it == baselines.end()) {
      TrainerSettings settings = trainer->defaults();
      settings["years"] = years;
      auto scenario = std::make_shared<Scenario>();
      const std::string text = trainer->scenario_toml(settings, scenario.get());
      it = baselines.emplace(years, std::make_pair(text, std::shared_ptr<const Scenario>(scenario))).first;
    }
    return it->second;
  };
  int default_years = 0, default_replications = 0;
  try {
    trainer = std::make_unique<Trainer>(options.scenario);
    const TrainerSettings d = trainer->defaults();
    default_years = static_cast<int>(d.at("years"));
    default_replications = static_cast<int>(d.at("replications"));
    baseline(default_years);  // the levers' scenario must load before anyone asks
  } catch (const ScenarioError& e) {
    return fail(std::string("the scenario cannot be served:\n") + e.what());
  }

  // Signals: SIGINT and SIGTERM stop the server (a thread waits for them); a page that goes away mid-stream must
  // not kill it with SIGPIPE.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::string pattern = (fs::temp_directory_path() / "frontdoor-serve-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return fail("cannot make a working directory in " + fs::temp_directory_path().string());
  const fs::path workdir = pattern;
  struct RemoveOnExit {
    fs::path dir;
    ~RemoveOnExit() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } remove_workdir{workdir};

  httplib::Server server;
  server.set_payload_max_length(max_request_bytes);
  // cpp-httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port and take half the
  // connections; only SO_REUSEADDR (a restart need not wait for TIME_WAIT), so a port in use is an error.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int port = options.port == 0 ? server.bind_to_any_port(options.host)
                                     : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port < 0) {
    return fail("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                " (in use, or not an address of this machine); choose another with --port");
  }
  SimulationPool pool(options.program, workdir, options.jobs, static_cast<std::size_t>(options.cache), options.engine_args,
                      replication_timeout);
  std::atomic<int> active{0};
  // The default run's baseline starts at once, so that the first Run pressed waits only for its own scenario.
  std::vector<Lease> prestarted;  // held for the server's life, so they are neither cancelled nor forgotten early
  if (options.prestart) {
    const std::string text = baseline(default_years).first;
    for (int r = 0; r < default_replications; ++r) prestarted.push_back(pool.get(text, options.seed, r, 2 * r));
  }

  server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    harden(res);
    res.set_content(std::string(trainer_page_html()), "text/html; charset=utf-8");
  });
  server.Get("/echarts.min.js", [&](const httplib::Request&, httplib::Response& res) {
    harden(res);
    res.set_content(std::string(chart_library_js()), "text/javascript; charset=utf-8");
  });
  server.Get("/api/levers", [&](const httplib::Request&, httplib::Response& res) {
    harden(res);
    send_json(res, 200, trainer->levers_json(options.seed));
  });
  server.Get("/api/status", [&](const httplib::Request&, httplib::Response& res) {
    harden(res);
    json status = pool.status();
    status["runs"] = active.load();
    status["max_runs"] = options.max_runs;
    send_json(res, 200, status);
  });
  server.Post("/api/scenario", [&](const httplib::Request& req, httplib::Response& res) {
    harden(res);
    try {
      const TrainerSettings settings = trainer->parse(req.body);
      res.set_header("Content-Disposition", "attachment; filename=\"" + trainer->file_name(settings) + "\"");
      res.set_content(trainer->scenario_toml(settings), "text/plain; charset=utf-8");
    } catch (const BadRequest& e) {
      send_error(res, 400, e.what());
    } catch (const ScenarioError& e) {
      send_error(res, 400, std::string("these settings do not make a valid scenario: ") + e.what());
    }
  });
  server.Post("/api/run", [&](const httplib::Request& req, httplib::Response& res) {
    harden(res);
    auto stream = std::make_shared<RunStream>();
    stream->trainer = trainer.get();
    stream->started = std::chrono::steady_clock::now();
    std::string changed_text;
    try {
      const TrainerSettings settings = trainer->parse(req.body);
      stream->years = static_cast<int>(settings.at("years"));
      stream->replications = static_cast<int>(settings.at("replications"));
      stream->changes = trainer->changes(settings);
      auto changed = std::make_shared<Scenario>();
      changed_text = trainer->scenario_toml(settings, changed.get());
      stream->changed_scenario = changed;
    } catch (const BadRequest& e) {
      return send_error(res, 400, e.what());
    } catch (const ScenarioError& e) {
      return send_error(res, 400, std::string("these settings do not make a valid scenario: ") + e.what());
    }
    if (++active > options.max_runs) {
      --active;
      res.set_header("Retry-After", std::to_string(retry_after_seconds));
      return send_error(res, 503, std::to_string(options.max_runs) + (options.max_runs == 1 ? " run is" : " runs are") +
                                      " already going; try again in " + std::to_string(retry_after_seconds) + " seconds");
    }
    stream->active = &active;
    const auto [base_text, base_scenario] = baseline(stream->years);
    stream->base_scenario = base_scenario;
    for (int r = 0; r < stream->replications; ++r) {
      stream->base.push_back(pool.get(base_text, options.seed, r, 2 * r));
      stream->changed.push_back(pool.get(changed_text, options.seed, r, 2 * r + 1));
    }
    res.set_chunked_content_provider(
        "application/x-ndjson",
        [stream](std::size_t, httplib::DataSink& sink) {
          bool ok = false;
          try {
            ok = stream_run(*stream, sink);
          } catch (const std::exception& e) {  // cpp-httplib would not catch it: the server would stop
            ok = write_line(sink, {{"type", "error"}, {"message", std::string("the server could not finish the run: ") + e.what()}});
          }
          stream->release();
          if (ok) sink.done();
          return ok;
        },
        [stream](bool) { stream->release(); });
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    harden(res);
    if (res.status == 413) {
      send_error(res, 413, "the request is too large (at most " + std::to_string(max_request_bytes) + " bytes)");
    } else if (res.status == 404) {
      send_error(res, 404, "no such page: the trainer's page is at /");
    } else {
      send_error(res, res.status, "the request could not be served (HTTP " + std::to_string(res.status) + ")");
    }
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string message = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
    }
    harden(res);
    send_error(res, 500, "the server could not answer: " + message);
  });

  // Before any body is read: a POST must say its length (no chunked or compressed bodies, whose size is only known
  // once read) within the limit, and carry JSON; a request must name this server (Host) and, from a browser, come
  // from its own page (Origin), so that no other web site open in the trainer's browser can start runs.
  const bool loopback = options.host == "127.0.0.1" || options.host == "localhost" || options.host == "::1";
  server.set_pre_routing_handler([&, loopback](const httplib::Request& req, httplib::Response& res) {
    auto refuse = [&](int status, const std::string& message) {
      harden(res);
      res.set_header("Connection", "close");
      send_error(res, status, message);
      return httplib::Server::HandlerResponse::Handled;
    };
    const std::string host = req.get_header_value("Host");
    if (loopback) {
      const std::string p = ":" + std::to_string(port);
      bool ours = false;
      for (const char* name : {"127.0.0.1", "localhost", "[::1]"}) ours = ours || host == name || host == name + p;
      if (!ours) return refuse(403, "this server answers only requests addressed to this machine (Host " + host + ")");
    }
    if (req.has_header("Origin") && req.get_header_value("Origin") != "http://" + host) {
      return refuse(403, "requests from another web site's page are refused (Origin " + req.get_header_value("Origin") + ")");
    }
    if (req.method != "POST") return httplib::Server::HandlerResponse::Unhandled;
    if (req.has_header("Transfer-Encoding") || !req.has_header("Content-Length")) {
      return refuse(411, "a request must give its length (Content-Length) and be at most " +
                             std::to_string(max_request_bytes) + " bytes");
    }
    const std::string length = req.get_header_value("Content-Length");
    if (length.empty() || length.size() > 9 || length.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(length) > max_request_bytes) {
      return refuse(413, "the request is too large (at most " + std::to_string(max_request_bytes) + " bytes)");
    }
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") return refuse(415, "compressed requests are not accepted");
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return refuse(415, "send the settings as JSON (Content-Type: application/json)");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  std::atomic<bool> listening_ended{false};
  std::thread stopper([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    // A signal that comes before the server has started listening must still stop it.
    while (!server.is_running() && !listening_ended) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server.stop();
  });
  std::string shown = options.host == "0.0.0.0" ? "127.0.0.1" : options.host == "::" ? "::1" : options.host;
  if (shown.find(':') != std::string::npos) shown = "[" + shown + "]";
  const std::string address = "http://" + shown + ":" + std::to_string(port) + "/";
  if (options.quiet) {
    std::cout << address << std::endl;
  } else {
    std::cout << "frontdoor serve: trainer mode for " << trainer->scenario().name << " at " << address << " (seed "
              << options.seed << ", " << options.jobs << " replications at once; Ctrl-C stops it)" << std::endl;
  }
  if (!loopback) {
    std::cerr << "frontdoor serve: warning: listening on " << options.host
              << ", not only this machine: anyone who can reach it can run simulations here" << std::endl;
  }
  server.listen_after_bind();
  listening_ended = true;
  // Whatever stopped the server, the signal thread must end: send it the signal it waits for.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!options.quiet) std::cout << "frontdoor serve: stopped" << std::endl;
  return 0;
}

}  // namespace frontdoor
