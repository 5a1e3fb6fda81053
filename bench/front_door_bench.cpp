// bench_front_door: what frontdoor's engine costs, set against the cheapest honest S4U program for the same
// model. It answers the issue's question "do our own layers (scenario-driven routing, recording, monthly series)
// cost at most 10% over hand-written S4U?" with measured figures, and shows the cost of a real council-decade and
// of the whole `frontdoor run` command. It is a program that prints figures, not a test: a missed target is
// reported, never turned into a failure.
//
// Cases (each repeated --repeat times, interleaved so that any load on the machine hits every case alike):
//   A  frontdoor's engine on scenarios/validation/mmc_front_door.toml (M/M/c: 70 a day, 0.1 day, 8 screeners)
//   B  the hand-written S4U reference (mmc_reference.hpp), same M/M/c, per-screener hand-off (as frontdoor does)
//   B2 the same reference with one shared counting semaphore instead of the hand-off
//   C1 frontdoor's engine on scenarios/england_baseline.toml, first year only (years=1, no warm-up)
//   C  frontdoor's engine on scenarios/england_baseline.toml (100,000 children, 10 years)
//   D  the whole `frontdoor run <mmc scenario> --out DIR --force -q` process
// Every simulation runs in a fresh child process made with fork() (SimGrid allows one sg4::Engine per process,
// and this parent never makes one); the child times itself with steady_clock and sends its figures back through
// a pipe, and the parent takes the child's peak RSS from wait4().
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <simgrid/s4u/Engine.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/mmc_reference.hpp"
#include "models/random.hpp"
#include "models/scenario_loader.hpp"
#include "sim/pathway_sim.hpp"

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;

const std::string source_dir = FRONTDOOR_SOURCE_DIR;
const std::string frontdoor_binary = FRONTDOOR_BINARY;
const std::string mmc_scenario = source_dir + "/scenarios/validation/mmc_front_door.toml";
const std::string england_scenario = source_dir + "/scenarios/england_baseline.toml";

// What a child sends back through its pipe: plain bytes, no pointers.
struct ChildReport {
  int ok = 0;
  int timed_out = 0;  // stopped by the parent at --timeout; simulated_days is how far it got
  std::uint64_t contacts = 0;
  std::uint64_t events = 0;
  double seconds = 0.0;       // the timed call, measured in the child
  double cpu_seconds = 0.0;   // CPU time of the same call (less sensitive than wall time to other load)
  double run_seconds = -1.0;  // engine.run() alone, when known
  double mean_wait_days = std::nan("");
  double simulated_days = 0.0;
  double horizon_days = 0.0;
  char error[480] = {};
};

struct Sample {
  ChildReport report;
  double max_rss_mib = 0.0;
  bool outside_signal = false;  // the child reported a SIGTERM this program did not send
};

struct Case {
  std::string id;
  std::string name;
  std::function<ChildReport()> in_child;  // empty for the whole-process case
  std::vector<Sample> samples;
  bool gave_up = false;  // a repetition ran out of time: the others are skipped
};

// In a child: where the report goes, and what is known so far, for the SIGTERM handler.
int report_fd = -1;
double child_horizon_days = 0.0;
clock_type::time_point child_started;

// The parent sends SIGTERM at --timeout: say how far the simulation got, then leave. Only async-signal-safe calls
// (write, _exit) and plain reads of numbers.
extern "C" void on_timeout(int) {
  ChildReport report;
  report.timed_out = 1;
  report.simulated_days = simgrid::s4u::Engine::get_clock();
  report.horizon_days = child_horizon_days;
  report.seconds = std::chrono::duration<double>(clock_type::now() - child_started).count();
  const char* bytes = reinterpret_cast<const char*>(&report);
  std::size_t left = sizeof report;
  while (left > 0) {
    const ssize_t n = write(report_fd, bytes, left);
    if (n <= 0) break;
    bytes += n;
    left -= static_cast<std::size_t>(n);
  }
  _exit(4);
}

void set_error(ChildReport& report, const std::string& what) {
  std::snprintf(report.error, sizeof report.error, "%s", what.c_str());
}

double mib_from_rusage(const struct rusage& usage) { return static_cast<double>(usage.ru_maxrss) / 1024.0; }

double seconds_of(const struct timeval& tv) {
  return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec);
}

// CPU time this process has used so far.
double process_cpu_seconds() {
  struct timespec ts {};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Runs `work` in a forked child and returns its report and peak RSS. A child still running after `timeout_s`
// seconds is asked to stop (SIGTERM: it reports how far it got), then killed.
Sample run_forked(const std::function<ChildReport()>& work, double timeout_s) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    report_fd = fds[1];
    child_started = clock_type::now();
    signal(SIGTERM, on_timeout);
    ChildReport report;
    try {
      report = work();
      report.ok = 1;
    } catch (const std::exception& e) {
      set_error(report, e.what());
    }
    const char* bytes = reinterpret_cast<const char*>(&report);
    std::size_t left = sizeof report;
    while (left > 0) {
      const ssize_t n = write(fds[1], bytes, left);
      if (n <= 0 && errno != EINTR) break;
      if (n > 0) {
        bytes += n;
        left -= static_cast<std::size_t>(n);
      }
    }
    close(fds[1]);
    std::fflush(nullptr);
    _exit(report.ok != 0 ? 0 : 3);
  }
  close(fds[1]);
  Sample sample;
  char* bytes = reinterpret_cast<char*>(&sample.report);
  std::size_t got = 0;
  clock_type::time_point deadline =
      clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(timeout_s));
  bool asked_to_stop = false;
  while (got < sizeof sample.report) {
    const double left_s = std::chrono::duration<double>(deadline - clock_type::now()).count();
    if (left_s <= 0.0) {
      if (asked_to_stop) {
        kill(pid, SIGKILL);
        break;
      }
      kill(pid, SIGTERM);
      asked_to_stop = true;
      deadline = clock_type::now() + std::chrono::seconds(10);
      continue;
    }
    struct pollfd waiting {
      fds[0], POLLIN, 0
    };
    const int ready = poll(&waiting, 1, static_cast<int>(std::min(left_s * 1000.0 + 1.0, 60000.0)));
    if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    const ssize_t n = read(fds[0], bytes + got, sizeof sample.report - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
  }
  if (got != sizeof sample.report) {
    sample.report = ChildReport{};
    if (asked_to_stop) {
      sample.report.timed_out = 1;
      sample.report.seconds = timeout_s;
    }
    set_error(sample.report, WIFSIGNALED(status) ? std::string("child killed by signal ") + strsignal(WTERMSIG(status))
                                                 : std::string("child sent no report"));
  }
  sample.max_rss_mib = mib_from_rusage(usage);
  sample.outside_signal = sample.report.timed_out != 0 && !asked_to_stop;
  return sample;
}

// Case D: the whole `frontdoor run` command as a process, timed from spawn to exit.
Sample run_whole_command() {
  char dir_template[] = "/tmp/frontdoor-bench-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  Sample sample;
  if (dir == nullptr) {
    set_error(sample.report, std::string("mkdtemp: ") + std::strerror(errno));
    return sample;
  }
  const std::string out = std::string(dir) + "/out";
  std::vector<std::string> args{frontdoor_binary, "run", mmc_scenario, "--out", out, "--force", "-q"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::fflush(nullptr);
  const clock_type::time_point started = clock_type::now();
  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, frontdoor_binary.c_str(), nullptr, nullptr, argv.data(), environ);
  if (spawn_error != 0) {
    set_error(sample.report, std::string("posix_spawn ") + frontdoor_binary + ": " + std::strerror(spawn_error));
  } else {
    int status = 0;
    struct rusage usage {};
    while (wait4(pid, &status, 0, &usage) < 0) {
      if (errno != EINTR) throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
    }
    sample.report.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
    sample.max_rss_mib = mib_from_rusage(usage);  // includes the replication child frontdoor waited for
    sample.report.cpu_seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);  // likewise
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      sample.report.ok = 1;
    } else {
      set_error(sample.report, "frontdoor run exited with status " + std::to_string(WEXITSTATUS(status)));
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return sample;
}

// In the child: frontdoor's engine on one scenario, replication 0 with the seed `frontdoor run` uses by default.
ChildReport frontdoor_case(const std::string& scenario_path, const std::vector<std::string>& sets = {}) {
  std::vector<frontdoor::Override> overrides;
  for (const auto& text : sets) overrides.push_back(frontdoor::parse_override(text));
  const frontdoor::Scenario scenario = frontdoor::load_scenario(scenario_path, overrides);
  child_horizon_days = scenario.make_calendar().horizon_days();
  const std::uint64_t seed = frontdoor::replication_seed(1, 0);
  const double cpu_started = process_cpu_seconds();
  const clock_type::time_point started = clock_type::now();
  const frontdoor::ReplicationResult result = frontdoor::simulate(scenario, 0, seed, {});
  ChildReport report;
  report.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  report.cpu_seconds = process_cpu_seconds() - cpu_started;
  report.contacts = result.balance.arrived;
  report.events = result.engine_events;
  report.simulated_days = result.simulated_days;
  for (const auto& value : result.summary) {
    if (value.measure == "front_door_wait_days_mean") report.mean_wait_days = value.value;
  }
  return report;
}

// In the child: the hand-written reference. `seconds` covers making the engine, run() and destroying the engine
// (its actors, activities and hosts), exactly what simulate() covers for frontdoor.
ChildReport reference_case(frontdoor_bench::MmcWakeUp wake_up) {
  frontdoor_bench::MmcParams params;
  params.wake_up = wake_up;
  child_horizon_days = params.days;
  const double cpu_started = process_cpu_seconds();
  const clock_type::time_point started = clock_type::now();
  const frontdoor_bench::MmcResult result = frontdoor_bench::run_mmc_reference(params);
  ChildReport report;
  report.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  report.cpu_seconds = process_cpu_seconds() - cpu_started;
  report.run_seconds = result.run_seconds;
  report.contacts = result.contacts;
  report.events = result.events;
  report.mean_wait_days = result.mean_wait_days;
  report.simulated_days = params.days;
  return report;
}

struct Figures {
  bool ok = false;
  std::uint64_t contacts = 0;
  std::uint64_t events = 0;
  double median = 0.0, low = 0.0, high = 0.0;
  double run_median = -1.0;
  double cpu_median = 0.0;
  double max_rss_mib = 0.0;
  double mean_wait_days = std::nan("");
  std::string error;
  bool timed_out = false;
  double reached_days = 0.0;
  double horizon_days = 0.0;
  double after_seconds = 0.0;
  bool outside_signal = false;
  int runs = 0;
};

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

Figures summarise(const Case& c) {
  Figures f;
  std::vector<double> seconds;
  std::vector<double> run_seconds;
  std::vector<double> cpu_seconds;
  for (const Sample& s : c.samples) {
    if (s.report.timed_out != 0) {
      f.timed_out = true;
      f.reached_days = s.report.simulated_days;
      f.horizon_days = s.report.horizon_days;
      f.after_seconds = s.report.seconds;
      f.outside_signal = s.outside_signal;
      f.max_rss_mib = std::max(f.max_rss_mib, s.max_rss_mib);
      return f;
    }
    if (s.report.ok == 0) {
      f.error = s.report.error;
      return f;
    }
    seconds.push_back(s.report.seconds);
    cpu_seconds.push_back(s.report.cpu_seconds);
    if (s.report.run_seconds >= 0.0) run_seconds.push_back(s.report.run_seconds);
    f.max_rss_mib = std::max(f.max_rss_mib, s.max_rss_mib);
  }
  if (seconds.empty()) return f;
  f.ok = true;
  f.runs = static_cast<int>(seconds.size());
  f.contacts = c.samples.front().report.contacts;
  f.events = c.samples.front().report.events;
  f.mean_wait_days = c.samples.front().report.mean_wait_days;
  f.median = median_of(seconds);
  f.low = *std::min_element(seconds.begin(), seconds.end());
  f.high = *std::max_element(seconds.begin(), seconds.end());
  f.cpu_median = median_of(cpu_seconds);
  if (!run_seconds.empty()) f.run_median = median_of(run_seconds);
  return f;
}

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_rate(double per_second) {
  char buffer[32];
  if (per_second >= 1e6) {
    std::snprintf(buffer, sizeof buffer, "%.2fM", per_second / 1e6);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.0fk", per_second / 1e3);
  }
  return buffer;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_front_door: %s\n"
               "usage: bench_front_door [--repeat N] [--timeout SECONDS] [--cases A,B,B2,C1,C,D]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  double timeout_s = 600.0;
  std::vector<std::string> wanted{"A", "B", "B2", "C1", "C", "D"};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") usage("frontdoor's engine against a hand-written S4U M/M/c");
    if (i + 1 >= argc) usage(("unknown option or missing value: " + arg).c_str());
    const std::string value = argv[++i];
    if (arg == "--repeat") {
      repeat = std::atoi(value.c_str());
      if (repeat < 1) usage("--repeat must be >= 1");
    } else if (arg == "--timeout") {
      timeout_s = std::atof(value.c_str());
      if (timeout_s <= 0.0) usage("--timeout must be > 0");
    } else if (arg == "--cases") {
      wanted.clear();
      std::size_t start = 0;
      while (start <= value.size()) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        if (comma > start) wanted.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else {
      usage(("unknown option: " + arg).c_str());
    }
  }

  std::vector<Case> cases{
      {"A", "frontdoor M/M/c", [] { return frontdoor_case(mmc_scenario); }, {}},
      {"B",
       "hand-written S4U reference (hand-off)",
       [] { return reference_case(frontdoor_bench::MmcWakeUp::hand_off); },
       {}},
      {"B2",
       "hand-written S4U reference (shared semaphore)",
       [] { return reference_case(frontdoor_bench::MmcWakeUp::shared_semaphore); },
       {}},
      {"C1",
       "England baseline council, first year only",
       [] {
         return frontdoor_case(england_scenario, {"simulation.years=1", "simulation.warmup_days=0"});
       },
       {}},
      {"C", "England baseline council", [] { return frontdoor_case(england_scenario); }, {}},
      {"D", "`frontdoor run` M/M/c, whole process", {}, {}},
  };
  std::erase_if(cases, [&](const Case& c) { return std::find(wanted.begin(), wanted.end(), c.id) == wanted.end(); });
  if (cases.empty()) usage("no known case in --cases");

  double load_before[3] = {0, 0, 0};
  getloadavg(load_before, 3);
  std::printf(
      "bench_front_door: %u cores (std::thread::hardware_concurrency), %ld online (sysconf), "
      "load average %.2f before\n",
      std::thread::hardware_concurrency(), sysconf(_SC_NPROCESSORS_ONLN), load_before[0]);
  std::printf(
      "repetitions: %d per case, one fresh process each, cases interleaved; "
      "seed: replication 0 of base seed 1;\n"
      "a run still going after %g s is stopped and the case's other repetitions are skipped\n",
      repeat, timeout_s);
  std::fflush(stdout);

  for (int r = 0; r < repeat; ++r) {
    for (Case& c : cases) {
      if (c.gave_up) continue;
      std::fprintf(stderr, "  repetition %d/%d, case %s ...", r + 1, repeat, c.id.c_str());
      Sample s = c.in_child ? run_forked(c.in_child, timeout_s) : run_whole_command();
      if (s.report.timed_out != 0) {
        c.gave_up = true;
        std::fprintf(stderr, " stopped%s after %.1f s at simulated day %.0f of %.0f\n",
                     s.outside_signal ? " by a SIGTERM from elsewhere" : "", s.report.seconds, s.report.simulated_days,
                     s.report.horizon_days);
      } else if (s.report.ok != 0) {
        std::fprintf(stderr, " %.3f s, %.1f MiB\n", s.report.seconds, s.max_rss_mib);
      } else {
        std::fprintf(stderr, " failed: %s\n", s.report.error);
      }
      c.samples.push_back(s);
    }
  }

  std::map<std::string, Figures> figures;
  for (const Case& c : cases) figures[c.id] = summarise(c);
  // D runs the same scenario and seed as A, so its contacts and events are A's.
  if (figures.count("D") != 0 && figures.count("A") != 0 && figures["A"].ok) {
    figures["D"].contacts = figures["A"].contacts;
    figures["D"].events = figures["A"].events;
  }

  std::printf("\n%-2s  %-46s  %9s  %10s  %-22s  %6s  %10s  %9s  %8s\n", "", "case", "contacts", "events",
              "median wall s (min-max)", "CPU s", "contacts/s", "events/s", "peak RSS");
  for (const Case& c : cases) {
    const Figures& f = figures[c.id];
    if (f.timed_out) {
      std::printf(
          "%-2s  %-46s  did not finish: stopped%s after %.1f s at simulated day %.0f of %.0f "
          "(%.2f simulated days a second); peak RSS %.0f MiB\n",
          c.id.c_str(), c.name.c_str(), f.outside_signal ? " by a SIGTERM from elsewhere" : "", f.after_seconds,
          f.reached_days, f.horizon_days, f.reached_days / f.after_seconds, f.max_rss_mib);
      continue;
    }
    if (!f.ok) {
      std::printf("%-2s  %-46s  failed: %s\n", c.id.c_str(), c.name.c_str(), f.error.c_str());
      continue;
    }
    char wall[64];
    std::snprintf(wall, sizeof wall, "%.3f (%.3f-%.3f)", f.median, f.low, f.high);
    const std::string contacts = format_count(f.contacts) + (c.id == "D" ? "*" : "");
    const std::string events = format_count(f.events) + (c.id == "D" ? "*" : "");
    std::printf("%-2s  %-46s  %9s  %10s  %-22s  %6.3f  %10s  %9s  %4.0f MiB\n", c.id.c_str(), c.name.c_str(),
                contacts.c_str(), events.c_str(), wall, f.cpu_median,
                format_rate(static_cast<double>(f.contacts) / f.median).c_str(),
                format_rate(static_cast<double>(f.events) / f.median).c_str(), f.max_rss_mib);
  }
  if (figures.count("D") != 0) std::printf("* D: same scenario and seed as A, so A's contacts and events\n");

  std::printf("\n");
  for (const Case& c : cases) {
    const Figures& f = figures[c.id];
    if (!f.ok) continue;
    if (f.events > 0 && c.id != "D") {
      std::printf("%-2s  %.3f us a simulated event", c.id.c_str(), 1e6 * f.median / static_cast<double>(f.events));
      if (f.run_median >= 0.0) {
        std::printf("; engine.run() alone %.3f s (the rest is making and destroying the engine)", f.run_median);
      }
      if (!std::isnan(f.mean_wait_days)) std::printf("; mean wait %.5f days", f.mean_wait_days);
      if (c.id == "C") {
        // The reference model's cost per child it simulates: the council's children over the simulated years.
        const frontdoor::Scenario england = frontdoor::load_scenario(england_scenario);
        const double child_years = static_cast<double>(england.children) * england.simulation.years;
        std::printf("; %.2f us a simulated child-year (%d children x %d years)", 1e6 * f.median / child_years,
                    england.children, england.simulation.years);
      }
      std::printf("\n");
    }
  }
  std::printf("Erlang C mean wait for this M/M/c: %.5f days\n", frontdoor_bench::erlang_c_mean_wait(70.0, 0.1, 8));

  if (figures.count("A") != 0 && figures.count("B") != 0 && figures["A"].ok && figures["B"].ok) {
    const Figures& a = figures["A"];
    const Figures& b = figures["B"];
    const double ratio = (static_cast<double>(a.contacts) / a.median) / (static_cast<double>(b.contacts) / b.median);
    const double event_ratio = (static_cast<double>(a.events) / a.median) / (static_cast<double>(b.events) / b.median);
    const double cpu_ratio =
        (static_cast<double>(a.contacts) / a.cpu_median) / (static_cast<double>(b.contacts) / b.cpu_median);
    std::printf("\nthroughput ratio frontdoor/reference (contacts per second, A/B): %.3f; target >= 0.90: %s\n", ratio,
                ratio >= 0.90 ? "met" : "NOT met");
    const double fastest_ratio = (static_cast<double>(a.contacts) / a.low) / (static_cast<double>(b.contacts) / b.low);
    std::printf("  (by CPU time: %.3f; by each case's fastest run, the least disturbed by other load: %.3f)\n",
                cpu_ratio, fastest_ratio);
    std::printf(
        "  (events per second, A/B: %.3f; frontdoor's own layers cost %.0f%% of the reference's time per "
        "contact on top of it)\n",
        event_ratio, 100.0 * (1.0 / ratio - 1.0));
  }
  if (figures.count("D") != 0 && figures.count("A") != 0 && figures["A"].ok && figures["D"].ok) {
    std::printf(
        "whole `frontdoor run` (D) minus the simulation (A): %.3f s of process start, replication fork, "
        "scenario loading and output writing\n",
        figures["D"].median - figures["A"].median);
  }
  double load_after[3] = {0, 0, 0};
  getloadavg(load_after, 3);
  std::printf("load average %.2f after%s\n", load_after[0],
              load_after[0] > 1.5 || load_before[0] > 0.5 ? " (other work was running: times may be inflated)" : "");
  return 0;
}
