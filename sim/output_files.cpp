#include "sim/output_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <regex>
#include <system_error>
// clang-format off
#include <xbt/base.h>  // simgrid/version.h needs its macros first
#include <simgrid/version.h>
// clang-format on

#include "build_info.hpp"
#include "common/hash.hpp"
#include "sim/run_plan.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

// Errors that say the place cannot be written at all (bad input) rather than that writing failed part-way.
bool is_location_error(int error) {
  return error == ENOENT || error == ENOTDIR || error == EACCES || error == EPERM || error == EROFS ||
         error == EISDIR || error == ENAMETOOLONG || error == ELOOP;
}

// Writes all of `content`; returns 0 or the errno of the first failure.
int write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

// The process id in a leftover's name ("x.json.tmp-123" or ".out.partial-123"), or 0.
pid_t pid_suffix(const std::string& name, const std::string& marker) {
  const auto at = name.rfind(marker);
  if (at == std::string::npos) return 0;
  const std::string digits = name.substr(at + marker.size());
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  return error == std::errc() && end == digits.data() + digits.size() && pid > 0 ? pid : 0;
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// In every staging directory while it is one (removed just before the commit), so that a directory is only ever
// taken for frontdoor's own debris when it says so.
constexpr const char* staging_marker = ".frontdoor-staging";

// Opens `path` and takes an exclusive flock on it without waiting; -1 when it is locked (or gone).
int try_lock(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& content) {
  const fs::path temporary = path.string() + ".tmp-" + std::to_string(getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    const std::string message = "cannot write " + path.string() + ": " + std::strerror(error);
    if (is_location_error(error)) throw OutputError(message);
    throw WriteError(message);
  }
  // Held while writing, so that remove_stale_leftovers() in another process never takes it for debris.
  ::flock(fd, LOCK_EX | LOCK_NB);
  int error = write_all(fd, content);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    throw WriteError("cannot write " + path.string() + ": " + std::strerror(error));
  }
}

int remove_stale_leftovers(const fs::path& dir, bool temporary_files) {
  // Only names frontdoor makes: ".NAME.partial" (with the marker file inside), ".NAME.partial-PID" (this version's
  // before its rename, or an older version's) and their ".old" twins (results being replaced under --force).
  static const std::regex staging_name(R"(^\..+\.partial(-([0-9]+))?(\.old)?$)");
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::smatch match;
    if (std::regex_match(name, match, staging_name) && it->is_directory(ec) && !it->is_symlink(ec)) {
      const int fd = try_lock(it->path(), O_DIRECTORY);
      if (fd < 0) continue;  // a live process holds it
      const pid_t owner = match[2].matched ? pid_suffix(match[1].str(), "-") : 0;
      const bool ours = match[1].matched || match[3].matched || fs::exists(it->path() / staging_marker, ec);
      if (ours && (owner == 0 || !process_alive(owner))) {
        fs::remove_all(it->path(), ec);
        ++removed;
      }
      ::close(fd);
    } else if (temporary_files && pid_suffix(name, ".tmp-") > 0 && it->is_regular_file(ec) &&
               !process_alive(pid_suffix(name, ".tmp-"))) {
      const int fd = try_lock(it->path(), 0);
      if (fd < 0) continue;
      ::unlink(it->path().c_str());
      ::close(fd);
      ++removed;
    }
  }
  return removed;
}

OutputDirectory::OutputDirectory(fs::path target, bool force) : target_(std::move(target)), force_(force) {
  std::error_code ec;
  if (target_.filename().empty()) target_ = target_.parent_path();
  // ".", "..", "/" and the directories holding the working directory cannot be moved aside and replaced: refused
  // before the work, not after it.
  const fs::path resolved = fs::weakly_canonical(fs::absolute(target_, ec), ec);
  const fs::path here = fs::current_path(ec);
  const auto [mismatch, unused] = std::mismatch(resolved.begin(), resolved.end(), here.begin(), here.end());
  if (resolved == resolved.root_path() || mismatch == resolved.end() || target_.filename() == "." ||
      target_.filename() == "..") {
    throw OutputError(target_.string() +
                      " is the working directory, one that holds it, or the root: choose a new "
                      "directory for the results, such as out/run");
  }
  auto check_target = [&] {
    if (fs::exists(target_, ec)) {
      if (!fs::is_directory(target_, ec)) throw OutputError(target_.string() + " exists and is not a directory");
      if (!fs::is_empty(target_, ec) && !force_) {
        throw OutputError(target_.string() +
                          " already holds results; choose another --out or add --force to replace it");
      }
    }
  };
  check_target();
  fs::path parent = fs::absolute(target_, ec).parent_path();
  fs::create_directories(parent, ec);
  if (ec) throw OutputError("cannot create " + parent.string() + ": " + ec.message());
  remove_stale_leftovers(parent, false);
  // Made under this process's own name and locked, then renamed to the shared name: whoever holds
  // `.NAME.partial` is the one process writing NAME.
  staging_ = parent / ("." + target_.filename().string() + ".partial");
  const fs::path mine = staging_.string() + "-" + std::to_string(getpid());
  fs::remove_all(mine, ec);
  if (!fs::create_directory(mine, ec) || ec) {
    throw OutputError("cannot write to " + parent.string() + (ec ? ": " + ec.message() : ""));
  }
  if (const int marker = ::open((mine / staging_marker).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644); marker >= 0) {
    ::close(marker);
  }
  lock_fd_ = ::open(mine.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    fs::remove_all(mine, ec);
    if (lock_fd_ >= 0) ::close(lock_fd_);
    throw OutputError("cannot lock " + mine.string() + ": " + std::strerror(errno));
  }
  auto give_up = [&](const std::string& message) {
    fs::remove_all(mine, ec);
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw OutputError(message);
  };
  for (int attempt = 0;; ++attempt) {
    if (::renameat2(AT_FDCWD, mine.c_str(), AT_FDCWD, staging_.c_str(), RENAME_NOREPLACE) == 0) break;
    if (errno == EINVAL || errno == ENOSYS) {  // a file system without RENAME_NOREPLACE: stage under our own name
      staging_ = mine;
      break;
    }
    if (errno != EEXIST && errno != ENOTEMPTY)
      give_up("cannot write to " + parent.string() + ": " + std::strerror(errno));
    const int other = try_lock(staging_, O_DIRECTORY);
    if (other < 0) {
      if (attempt < 3 && !fs::exists(staging_, ec)) continue;  // it was committed or removed just now
      give_up("another frontdoor process is writing results to " + target_.string() + " (" + staging_.string() +
              " is in use); wait for it to finish, or choose another --out");
    }
    if (!fs::exists(staging_ / staging_marker, ec)) {
      ::close(other);
      give_up(staging_.string() + " is in the way and is not frontdoor's staging; move it, or choose another --out");
    }
    fs::remove_all(staging_, ec);  // left by a process that died
    ::close(other);
    if (attempt >= 3) give_up("cannot take " + staging_.string() + " (it keeps coming back)");
  }
  try {
    check_target();  // another process may have committed while this one was checking
  } catch (const OutputError&) {
    fs::remove_all(staging_, ec);
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw;
  }
}

OutputDirectory::~OutputDirectory() {
  std::error_code ec;
  if (!committed_) fs::remove_all(staging_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void OutputDirectory::commit() {
  std::error_code ec;
  fs::remove(staging_ / staging_marker, ec);
  if (!force_) {
    // Only an absent target or an empty directory is replaced; rmdir refuses one another program has filled.
    if (fs::is_directory(target_, ec)) ::rmdir(target_.c_str());
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) != 0) {
      const int error = errno;
      if (error != EINVAL && error != ENOSYS) {
        // Nothing is lost: the results stay beside the target under a name of their own.
        const fs::path kept = target_.string() + ".frontdoor-" + std::to_string(getpid());
        fs::rename(staging_, kept, ec);
        committed_ = !ec;
        throw OutputError("cannot move results into " + target_.string() + ": " +
                          (error == EEXIST || error == ENOTEMPTY ? std::string("another program filled it meanwhile")
                                                                 : std::strerror(error)) +
                          (ec ? "" : "; they are in " + kept.string()));
      }
      fs::rename(staging_, target_, ec);
      if (ec) throw OutputError("cannot move results into " + target_.string() + ": " + ec.message());
    }
    committed_ = true;
    return;
  }
  const fs::path retired = staging_.string() + ".old";
  const bool had_target = fs::exists(target_, ec);
  int retired_lock = -1;
  if (had_target) {
    retired_lock = try_lock(target_, O_DIRECTORY);  // so that nobody takes the old results for debris meanwhile
    fs::rename(target_, retired, ec);
    if (ec) {
      if (retired_lock >= 0) ::close(retired_lock);
      throw OutputError("cannot replace " + target_.string() + ": " + ec.message());
    }
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    const std::string why = ec.message();
    if (had_target) fs::rename(retired, target_, ec);
    if (retired_lock >= 0) ::close(retired_lock);
    throw OutputError("cannot move results into " + target_.string() + ": " + why);
  }
  committed_ = true;
  if (had_target) fs::remove_all(retired, ec);
  if (retired_lock >= 0) ::close(retired_lock);
}

std::string timeseries_csv(const std::vector<ReplicationResult>& results) {
  std::string csv = "replication,seed,month,measure,value\n";
  for (const auto& r : results) {
    const std::string prefix = std::to_string(r.replication + 1) + "," + std::to_string(r.seed) + ",";
    const std::size_t months = r.monthly.empty() ? 0 : r.monthly.front().values.size();
    for (std::size_t m = 0; m < months; ++m) {
      for (const auto& series : r.monthly) {
        const double v = series.values[m];
        if (!std::isfinite(v)) continue;
        csv += prefix + std::to_string(m + 1) + "," + series.measure + "," + format_output(v) + "\n";
      }
    }
  }
  return csv;
}

std::string annual_csv(const std::vector<ReplicationResult>& results) {
  std::string csv = "replication,seed,year,measure,unit,value\n";
  for (const auto& r : results) {
    const std::string prefix = std::to_string(r.replication + 1) + "," + std::to_string(r.seed) + ",";
    for (const auto& a : r.annual) {
      csv += prefix + std::to_string(a.year) + "," + a.measure + "," + a.unit + "," + format_output(a.value) + "\n";
    }
  }
  return csv;
}

std::string manifest_json(const Scenario& scenario, const RunFacts& facts,
                          const std::vector<ReplicationResult>& results) {
  char hash[32];
  std::snprintf(hash, sizeof hash, "fnv1a64:%016llx", static_cast<unsigned long long>(scenario.file_hash));
  nlohmann::ordered_json j;
  j["program"] = {
      {"name", "frontdoor"},
      {"version", build_info::program_version},
      {"git_commit", build_info::git_commit},
      {"build_type", build_info::build_type},
      {"simgrid_version", std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR) + "." +
                              std::to_string(SIMGRID_VERSION_PATCH)}};
  j["scenario"] = {{"name", scenario.name},
                   {"version", scenario.version},
                   {"description", scenario.description},
                   {"file", scenario.file},
                   {"path_absolute", std::filesystem::absolute(scenario.file).lexically_normal().string()},
                   {"includes", scenario.includes},
                   {"file_hash", hash}};
  if (!facts.scenario_toml.empty()) {
    // The copy is what later commands read (report, graph --run, check-calibration); its hash tells them it is
    // the copy this run wrote.
    j["scenario"]["copy"] = scenario_copy_name;
    j["scenario"]["copy_hash"] = content_hash(facts.scenario_toml);
  }
  nlohmann::ordered_json overrides = nlohmann::ordered_json::array();
  for (const auto& o : scenario.overrides) {
    nlohmann::ordered_json entry = {{"key", o.key}, {"value", o.value}};
    if (o.edit != Edit::set) entry["edit"] = o.edit == Edit::multiply ? "multiply" : "add";
    overrides.push_back(entry);
  }
  j["overrides"] = overrides;
  j["simulation"] = {{"years", scenario.simulation.years},
                     {"start_date", format_date(scenario.simulation.start_date)},
                     {"warmup_days", scenario.simulation.warmup_days},
                     {"time_unit", "day"}};
  j["base_seed"] = facts.base_seed;
  j["seed_derivation"] =
      "replication seed = splitmix64(splitmix64(base_seed) ^ ((replication + 1) * 0x9E3779B97F4A7C15)), "
      "replication counted from 0";
  j["jobs"] = facts.jobs;
  j["engine_args"] = facts.engine_args;
  j["command_line"] = facts.command_line;
  nlohmann::ordered_json reps = nlohmann::ordered_json::array();
  for (const auto& r : results) {
    reps.push_back({{"replication", r.replication + 1},
                    {"seed", r.seed},
                    {"engine_events", r.engine_events},
                    {"contacts_arrived", r.balance.arrived},
                    {"initial_cases", r.balance.initial},
                    {"wall_time_s", std::round(r.wall_seconds * 1000.0) / 1000.0}});
  }
  j["replications"] = reps;
  j["files"] = {
      {"timeseries.csv", "replication,seed,month,measure,value: monthly measures, month 1 first"},
      {"summary.csv", "measure,mean,ci95_low,ci95_high,replications: after the warm-up, Student-t 95% CI"},
      {"annual.csv", "replication,seed,year,measure,unit,value: the scenario's [reporting] measures by year"}};
  if (facts.returns_replication > 0) {
    j["files"]["returns/"] =
        "replication " + std::to_string(facts.returns_replication) +
        "'s statutory returns for each collection year after the warm-up: ssda903/<year>/header.csv and "
        "episodes.csv, cin_census/<year>/cin_census.csv, annex_a/<year>/list_NN_<name>.csv (README.md, "
        "\"Statutory returns\")";
  }
  if (!facts.scenario_toml.empty()) {
    j["files"]["scenario.toml"] = "the scenario as it ran: one file, its base, includes and overrides merged in";
  }
  return json_text(j, 2) + "\n";
}

}  // namespace frontdoor
