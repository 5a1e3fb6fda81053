#include "cli/serve/serve_command.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <tuple>

#include "build_info.hpp"
#include "cli/replicate_command.hpp"
#include "cli/report_assets.hpp"
#include "cli/serve/http_gate.hpp"
#include "cli/serve/simulation_pool.hpp"
#include "cli/serve/trainer.hpp"
#include "models/random.hpp"
#include "models/scenario_loader.hpp"
#include "sim/executor.hpp"
#include "sim/output_files.hpp"
#include "sim/pathway_sim.hpp"
#include "sim/result_cache.hpp"
#include "sim/runner.hpp"

extern char** environ;

namespace fs = std::filesystem;
using nlohmann::json;

namespace frontdoor {

namespace {

constexpr std::size_t max_request_bytes = 16 * 1024;
constexpr int retry_after_seconds = 5;
constexpr std::chrono::seconds replication_timeout{300};  // a replication of at most 8 years takes seconds

// JSON as text; bytes that are not UTF-8 (a child's message cut mid-character, a body quoted in an error) are
// replaced rather than thrown over.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump(body), "application/json");
}
void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

// Headers every answer carries: nothing is cached, nothing is sniffed, and the page runs only its own scripts.
void harden(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
      "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
}

// --- Working folder ---------------------------------------------------------------------------------------------
// frontdoor-serve-PID-XXXXXX in the temporary directory, locked (flock) while its server lives: the lock, unlike
// the process id, holds across PID namespaces that share /tmp, and is released however the server ends.

constexpr const char* workdir_prefix = "frontdoor-serve-";

// Removes the working folders of servers that died without tidying up (SIGKILL, a crash), and only those: named as
// ours, a directory (not a link) owned by this user, whose process no longer exists and whose lock nobody holds.
void remove_dead_servers_folders(const fs::path& tmp) {
  std::error_code error;
  for (fs::directory_iterator it(tmp, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(workdir_prefix, 0) != 0) continue;
    const std::string rest = name.substr(std::strlen(workdir_prefix));
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 9 || rest.size() != dash + 7 ||
        rest.find_first_not_of("0123456789") != dash) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
    struct stat info {};
    if (lstat(it->path().c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != getuid()) continue;
    if (pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to signal
    const int lock = open((it->path() / "lock").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    const bool free = lock < 0 ? errno == ENOENT : flock(lock, LOCK_EX | LOCK_NB) == 0;
    if (lock >= 0) close(lock);
    if (!free) continue;
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
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
  if (!write_line(sink, {{"type", "accepted"}, {"changes", s.changes}, {"replications", n}, {"years", s.years}}))
    return false;
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
        if (!write_line(sink, {{"type", "progress"},
                               {"done", done},
                               {"total", 2 * n},
                               {"message", what + ": replication " + std::to_string(r + 1) + " of " +
                                               std::to_string(n) + " done"}})) {
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
      json data{{"type", "data"},
                {"final", pairs == n},
                {"pairs", pairs},
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

  std::error_code no_tmp;
  const fs::path tmp = fs::temp_directory_path(no_tmp);
  if (no_tmp) return fail("there is no temporary directory: " + no_tmp.message());
  remove_dead_servers_folders(tmp);
  std::string pattern = (tmp / (workdir_prefix + std::to_string(getpid()) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return fail("cannot make a working directory in " + tmp.string());
  const fs::path workdir = pattern;
  struct RemoveOnExit {
    fs::path dir;
    int lock = -1;
    ~RemoveOnExit() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
      if (lock >= 0) close(lock);
    }
  } remove_workdir{workdir};
  remove_workdir.lock = open((workdir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (remove_workdir.lock < 0 || flock(remove_workdir.lock, LOCK_EX | LOCK_NB) != 0) {
    return fail("cannot lock the working directory " + workdir.string() + ": " + std::strerror(errno));
  }

  GatedServer server;
  server.set_payload_max_length(max_request_bytes);
  // cpp-httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port and take half the
  // connections; only SO_REUSEADDR (a restart need not wait for TIME_WAIT), so a port in use is an error.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int port = server.bind(options.host, options.port);
  if (port < 0) {
    return fail("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                " (in use, or not an address of this machine); choose another with --port");
  }
  SimulationPool pool(options.program, workdir, options.jobs, static_cast<std::size_t>(options.cache),
                      options.engine_args, replication_timeout);
  std::atomic<int> active{0};
  // The default run's baseline starts at once, so that the first Run pressed waits only for its own scenario.
  std::vector<Lease> prestarted;  // held for the server's life, so they are neither cancelled nor forgotten early
  if (options.prestart) {
    const std::string text = baseline(default_years).first;
    for (int r = 0; r < default_replications; ++r) prestarted.push_back(pool.get(text, options.seed, r, 2 * r));
  }

  const std::string page = with_formatting(trainer_page_html());
  server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    harden(res);
    res.set_content(page, "text/html; charset=utf-8");
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
      return send_error(res, 503,
                        std::to_string(options.max_runs) + (options.max_runs == 1 ? " run is" : " runs are") +
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
            ok = write_line(sink, {{"type", "error"},
                                   {"message", std::string("the server could not finish the run: ") + e.what()}});
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
  const HostCheck host_check(server.bound_address(), options.host, port);
  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    auto refuse = [&](int status, const std::string& message) {
      harden(res);
      res.set_header("Connection", "close");
      send_error(res, status, message);
      return httplib::Server::HandlerResponse::Handled;
    };
    const std::string host = req.get_header_value("Host");
    if (!host_check.accepts(host)) {
      return refuse(403, "this server answers only requests addressed to " + host_check.expected() +
                             ", not to Host \"" + host +
                             "\" (a web site's name that leads here is refused, against DNS rebinding)");
    }
    if (req.has_header("Origin") && lowercase(req.get_header_value("Origin")) != "http://" + lowercase(host)) {
      return refuse(
          403, "requests from another web site's page are refused (Origin " + req.get_header_value("Origin") + ")");
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
    if (media_type(req.get_header_value("Content-Type")) != "application/json") {
      return refuse(415, "send the settings as JSON (Content-Type: application/json)");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  std::atomic<bool> listening_ended{false};
  std::thread stopper([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    // Runs in flight are not waited for: their replications are killed, which ends their pages' streams with a
    // message; connections waiting for a request end; then the server stops listening.
    pool.stop();
    server.stop_connections();
    // A signal that comes before the server has started listening must still stop it.
    while (!server.is_running() && !listening_ended) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server.stop();
  });
  const bool served_on_v6 = server.bound_address().find(':') != std::string::npos;
  std::string shown = host_check.wildcard() ? (served_on_v6 ? "::1" : "127.0.0.1") : options.host;
  if (shown.find(':') != std::string::npos) shown = "[" + shown + "]";
  const std::string address = "http://" + shown + ":" + std::to_string(port) + "/";
  if (options.quiet) {
    std::cout << address << std::endl;
  } else {
    std::cout << "frontdoor serve: trainer mode for " << trainer->scenario().name << " at " << address << " (seed "
              << options.seed << ", " << options.jobs << " replications at once; Ctrl-C stops it)" << std::endl;
  }
  if (!host_check.loopback()) {
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
