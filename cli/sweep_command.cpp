#include "cli/sweep_command.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/calibration.hpp"
#include "analysis/run_reader.hpp"
#include "analysis/run_scenario.hpp"
#include "analysis/sensitivity.hpp"
#include "analysis/sweep_design.hpp"
#include "build_info.hpp"
#include "cli/progress.hpp"
#include "cli/report_command.hpp"
#include "common/statistics.hpp"
#include "models/input_file.hpp"
#include "models/scenario_loader.hpp"
#include "sim/executor.hpp"
#include "sim/output_files.hpp"
#include "sim/replication_result.hpp"
#include "sim/result_cache.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace frontdoor {

namespace {

constexpr int exit_bad_input = 2;

int fail(int code, const std::string& message) {
  std::cerr << "frontdoor: error: " << message << "\n";
  return code;
}

// A sweep directory's plan: sweep.json and plan.csv.
struct Plan {
  json meta;
  std::vector<std::string> keys;
  struct Row {
    int run_id = 0;
    int point = 0;
    int replication = 0;
    std::uint64_t seed = 0;
    std::vector<std::string> values;  // one per key, as written
  };
  std::vector<Row> rows;
};

Plan read_plan(const fs::path& dir) {
  Plan plan;
  try {
    plan.meta = json::parse(read_output_file(dir / "sweep.json"));
    plan.keys = plan.meta.at("keys").get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    throw RunReadError((dir / "sweep.json").string() + " is not a sweep description: " + e.what());
  }
  std::istringstream in(read_output_file(dir / "plan.csv"));
  std::string line;
  std::getline(in, line);
  const std::string where0 = (dir / "plan.csv").string();
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    const std::string where = where0 + ":" + std::to_string(number);
    if (cells.size() != 4 + plan.keys.size())
      throw RunReadError(where + ": expected " + std::to_string(4 + plan.keys.size()) + " columns");
    Plan::Row row;
    row.run_id = static_cast<int>(csv_number(cells[0], where));
    row.point = static_cast<int>(csv_number(cells[1], where));
    row.replication = static_cast<int>(csv_number(cells[2], where));
    row.seed = std::stoull(cells[3]);
    row.values.assign(cells.begin() + 4, cells.end());
    plan.rows.push_back(row);
  }
  return plan;
}

// Reads the plan, or says why it cannot (on stderr) and returns false.
bool read_plan_or_say(const fs::path& dir, Plan& plan) {
  try {
    plan = read_plan(dir);
    return true;
  } catch (const RunReadError& e) {
    fail(exit_bad_input, std::string(e.what()) + " (a sweep directory is made by frontdoor sweep plan)");
    return false;
  }
}

// A row's own values; the fixed overrides are already in the plan's copy of the scenario.
std::vector<Override> row_overrides(const Plan& plan, const Plan::Row& row) {
  std::vector<Override> overrides;
  for (std::size_t k = 0; k < plan.keys.size(); ++k) overrides.push_back({plan.keys[k], row.values[k]});
  return overrides;
}

fs::path result_file(const fs::path& dir, int run_id) { return dir / "runs" / (std::to_string(run_id) + ".json"); }
fs::path failure_file(const fs::path& dir, int run_id) {
  return dir / "runs" / (std::to_string(run_id) + ".failed.json");
}

// A run's result file: a ReplicationResult (sim/replication_result.hpp), or the shorter form sweep exec wrote
// before every executor wrote one format ({"run_id", "seed", "engine_events", "annual": [[year, measure, unit,
// value]], "summary": [[measure, value]]}), so that a sweep finished by an older frontdoor still merges.
ReplicationResult sweep_result_from_json(const json& j) {
  if (j.contains("replication")) return replication_from_json(j);
  ReplicationResult r;
  r.run_id = j.at("run_id").get<int>();
  r.seed = j.at("seed").get<std::uint64_t>();
  r.engine_events = j.value("engine_events", std::uint64_t{0});
  auto number = [](const json& v) { return v.is_null() ? std::nan("") : v.get<double>(); };
  for (const auto& a : j.at("annual")) {
    r.annual.push_back({a.at(0).get<int>(), a.at(1).get<std::string>(), a.at(2).get<std::string>(), number(a.at(3))});
  }
  for (const auto& m : j.value("summary", json::array()))
    r.summary.push_back({m.at(0).get<std::string>(), number(m.at(1))});
  return r;
}

// A value for a scenario key, written so that it reads back exactly.
std::string value_text(double v) { return format_double(v); }

}  // namespace

int command_sweep_plan(const SweepPlanOptions& options) {
  std::vector<SweepFactor> factors;
  try {
    for (const auto& v : options.vary) factors.push_back(parse_sweep_factor(v));
  } catch (const std::invalid_argument& e) {
    return fail(exit_bad_input, e.what());
  }
  std::vector<std::vector<double>> points;
  std::vector<std::string> keys;
  if (!options.grid_file.empty()) {
    if (!factors.empty()) return fail(exit_bad_input, "--grid FILE and --vary are alternatives: give one");
    // A CSV of design points: a header of scenario keys, then one row of values per point.
    std::istringstream in;
    try {
      in.str(read_input_file(options.grid_file, "grid of design points", largest_input_table));
    } catch (const InputFileError& e) {
      return fail(exit_bad_input, e.what());
    }
    std::string line;
    std::getline(in, line);
    keys = split_csv_line(line);
    try {
      for (int number = 2; std::getline(in, line); ++number) {
        if (line.empty()) continue;
        const auto cells = split_csv_line(line);
        const std::string where = options.grid_file + ":" + std::to_string(number);
        if (cells.size() != keys.size())
          throw RunReadError(where + ": expected " + std::to_string(keys.size()) + " values");
        std::vector<double> p;
        for (const auto& c : cells) p.push_back(csv_number(c, where));
        points.push_back(p);
      }
    } catch (const RunReadError& e) {
      return fail(exit_bad_input, e.what());
    }
    for (const auto& key : keys) factors.push_back({key, 0.0, 0.0, 1});
  } else {
    if (factors.empty())
      return fail(exit_bad_input, "nothing to vary: give --vary key=lo:hi:n (repeatable) or --grid FILE");
    for (const auto& f : factors) keys.push_back(f.key);
    if (options.design == "grid") {
      points = grid_design(factors);
    } else if (options.design == "lhs") {
      if (options.points < 2) return fail(exit_bad_input, "--design lhs needs --points N (at least 2)");
      points = lhs_design(factors, options.points, options.design_seed);
    } else if (options.design == "sobol") {
      if (options.points < 2)
        return fail(exit_bad_input,
                    "--design sobol needs --points N: the base sample (at least 2; N x (k + 2) points)");
      points = saltelli_design(factors, options.points, options.design_seed);
    } else {
      if (options.points < 2)
        return fail(exit_bad_input, "--design morris needs --points N: the number of trajectories (at least 2)");
      points = morris_design(factors, options.points, options.design_seed);
    }
  }
  std::set<std::string> seen;
  for (const auto& key : keys) {
    if (!seen.insert(key).second) return fail(exit_bad_input, "the key " + key + " is varied twice");
  }
  // Every point must make a valid scenario: check them all before writing anything.
  std::vector<Override> fixed;
  try {
    for (const auto& s : options.sets) fixed.push_back(parse_override(s));
    for (std::size_t p = 0; p < points.size(); ++p) {
      std::vector<Override> overrides = fixed;
      for (std::size_t k = 0; k < keys.size(); ++k) overrides.push_back({keys[k], value_text(points[p][k])});
      try {
        load_scenario(options.scenario, overrides);
      } catch (const ScenarioError& e) {
        return fail(exit_bad_input, "design point " + std::to_string(p) + " is not a valid scenario:\n" + e.what());
      }
    }
  } catch (const ScenarioError& e) {
    return fail(exit_bad_input, e.what());
  }
  // The plan carries its scenario: every shard's runs read this copy, never the live file.
  const CarriedScenario carried = carry_scenario(options.scenario, fixed);
  const Scenario& scenario = carried.scenario;
  json meta;
  meta["kind"] = "sweep";
  meta["program"] = {{"version", build_info::program_version}, {"git_commit", build_info::git_commit}};
  meta["scenario"] = fs::absolute(options.scenario).lexically_normal().string();
  meta["scenario_name"] = scenario.name;
  meta["scenario_copy"] = scenario_copy_name;
  meta["scenario_hash"] = carried.hash;
  meta["set"] = json::array();
  for (const auto& o : fixed) {
    json entry = {{"key", o.key}, {"value", o.value}};
    if (o.edit != Edit::set) entry["edit"] = o.edit == Edit::multiply ? "multiply" : "add";
    meta["set"].push_back(entry);
  }
  meta["keys"] = keys;
  meta["design"] = options.grid_file.empty() ? options.design : "file";
  if (!options.grid_file.empty()) meta["grid_file"] = options.grid_file;
  meta["factors"] = json::array();
  for (const auto& f : factors)
    meta["factors"].push_back({{"key", f.key}, {"lo", f.lo}, {"hi", f.hi}, {"levels", f.levels}});
  if (options.design == "morris" && options.grid_file.empty()) meta["morris_delta"] = morris_delta(factors);
  meta["points"] = points.size();
  meta["replications"] = options.replications;
  meta["seed"] = options.seed;
  meta["design_seed"] = options.design_seed;
  meta["seed_rule"] =
      "run seed = splitmix64(splitmix64(seed) ^ ((replication + 1) * 0x9E3779B97F4A7C15)): every point's "
      "replication r shares a seed (common random numbers)";
  meta["first_year_measured"] = first_year_after_warmup(scenario.simulation.warmup_days);

  std::ostringstream plan;
  plan << "run_id,point,replication,seed";
  for (const auto& key : keys) plan << ',' << key;
  plan << '\n';
  int run_id = 0;
  for (std::size_t p = 0; p < points.size(); ++p) {
    for (int r = 0; r < options.replications; ++r) {
      plan << run_id++ << ',' << p << ',' << r << ',' << sweep_run_seed(options.seed, r);
      for (double v : points[p]) plan << ',' << value_text(v);
      plan << '\n';
    }
  }
  try {
    OutputDirectory output(options.out, options.force);
    fs::create_directories(output.staging() / "runs");
    write_file_atomically(output.staging() / scenario_copy_name, carried.toml);
    write_file_atomically(output.staging() / "sweep.json", json_text(meta, 2) + "\n");
    write_file_atomically(output.staging() / "plan.csv", plan.str());
    output.commit();
  } catch (const OutputError& e) {
    return fail(exit_bad_input, e.what());
  }
  std::cout << "Planned " << run_id << " runs (" << points.size() << " design points x " << options.replications
            << " replications) of " << scenario.name << " in " << options.out << "/plan.csv\n";
  return 0;
}

int command_sweep_exec(const SweepExecOptions& options) {
  const fs::path dir(options.dir);
  Plan plan;
  if (!read_plan_or_say(dir, plan)) return exit_bad_input;
  int shard = options.shard_index, shards = options.shard_count;
  if (shards == 0) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    if (id != nullptr && count != nullptr) {
      const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
      shard = std::atoi(id) - (min != nullptr ? std::atoi(min) : 0);
      shards = std::atoi(count);
    } else {
      shard = 0;
      shards = 1;
    }
  }
  if (shards < 1 || shard < 0 || shard >= shards) return fail(exit_bad_input, "the shard must be i/N with 0 <= i < N");
  // This shard's rows that are not done yet (a result file exists): a killed sweep resumes where it stopped.
  std::vector<const Plan::Row*> todo;
  int done_before = 0;
  for (const auto& row : plan.rows) {
    if (row.run_id % shards != shard) continue;
    if (fs::exists(result_file(dir, row.run_id))) {
      ++done_before;
      continue;
    }
    todo.push_back(&row);
  }
  // The scenario the plan carries, as it was planned: a copy edited since would mix two models in one sweep.
  if (!plan.meta.contains("scenario_hash")) {
    return fail(exit_bad_input, (dir / "sweep.json").string() +
                                    " records no copy of its scenario (planned by an older "
                                    "frontdoor): plan the sweep again");
  }
  std::string scenario_text;
  try {
    scenario_text = read_scenario_copy(dir, plan.meta.at("scenario_hash").get<std::string>(), "sweep.json");
  } catch (const RunReadError& e) {
    return fail(exit_bad_input, std::string(e.what()) +
                                    "; nothing was run: one sweep runs one scenario, so plan it "
                                    "again rather than edit its copy");
  }
  const std::string scenario_path = (dir / scenario_copy_name).string();
  if (!options.quiet) {
    std::fprintf(stderr, "frontdoor sweep: shard %d/%d: %zu runs to do, %d already done\n", shard, shards, todo.size(),
                 done_before);
  }
  ProgressBar bar(!options.quiet && isatty(STDERR_FILENO), "runs");
  const bool log_lines = !options.quiet && !isatty(STDERR_FILENO);  // batch logs (Slurm): a line every 5%
  const auto start = std::chrono::steady_clock::now();
  int finished = 0, failed = 0;
  // Temporary files of runs whose process died (kill -9, a node lost) are removed before and after; a run
  // stopped by a signal leaves no result, so the next exec does it again.
  remove_stale_leftovers(dir / "runs", true);
  struct Tidy {
    fs::path runs;
    ~Tidy() { remove_stale_leftovers(runs, true); }
  } tidy{dir / "runs"};
  // Each row is one replication task: the plan's copy with the row's values, run in a process of its own, its
  // result (without monthly series, which no merge reads) written straight to runs/<run_id>.json. A row whose
  // task is one already met (the same values and seed: a design point given twice) is not run again; it gets a
  // copy of that result.
  const auto text = std::make_shared<const std::string>(scenario_text);
  std::vector<ReplicationTask> tasks;
  std::vector<std::size_t> task_row;                        // the row of todo each task runs
  std::vector<std::vector<std::size_t>> same(todo.size());  // the other rows of todo each row's result serves
  std::map<std::string, std::size_t> first_with_key;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const Plan::Row& row = *todo[i];
    ReplicationTask task;
    task.scenario_toml = text;
    task.overrides = row_overrides(plan, row);
    task.scenario_source = scenario_path;
    task.replication = row.replication;
    task.seed = row.seed;
    task.run_id = row.run_id;
    task.keep_monthly = false;
    task.out = result_file(dir, row.run_id);
    const auto [first, is_new] = first_with_key.emplace(replication_key(task), i);
    if (!is_new) {
      same[first->second].push_back(i);
      continue;
    }
    tasks.push_back(std::move(task));
    task_row.push_back(i);
  }
  auto record = [&](std::size_t i, const std::string& failure) {
    ++finished;
    const Plan::Row& row = *todo[i];
    if (failure.empty()) {
      fs::remove(failure_file(dir, row.run_id));
    } else {
      ++failed;
      std::fprintf(stderr, "frontdoor sweep: run %d failed: %s\n", row.run_id, failure.c_str());
      write_file_atomically(failure_file(dir, row.run_id),
                            json_text(json{{"run_id", row.run_id}, {"error", failure}}) + "\n");
    }
    bar.update(finished, static_cast<int>(todo.size()));
    const int step = std::max(1, static_cast<int>(todo.size()) / 20);
    if (log_lines && (finished % step == 0 || finished == static_cast<int>(todo.size()))) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "frontdoor sweep: %d/%zu runs, %d failed, %.0fs elapsed, ETA %.0fs\n", finished, todo.size(),
                   failed, elapsed, elapsed / finished * (static_cast<double>(todo.size()) - finished));
    }
  };
  ForkExecutor executor(options.jobs, options.engine_args);
  executor.run(tasks, [&](std::size_t t, const TaskEnd& end) {
    const std::size_t i = task_row[t];
    std::string failure = end.ok() ? "" : end.message.empty() ? describe_exit(end.status) : end.message;
    record(i, failure);
    if (same[i].empty()) return;
    std::optional<ReplicationResult> result;
    if (failure.empty()) {
      try {
        result = replication_from_json(json::parse(read_output_file(tasks[t].out)));
      } catch (const std::exception& e) {
        failure = std::string("the result of run ") + std::to_string(todo[i]->run_id) +
                  " it shares is unreadable: " + e.what();
      }
    }
    for (const std::size_t other : same[i]) {
      if (result) {
        result->run_id = todo[other]->run_id;
        write_file_atomically(result_file(dir, todo[other]->run_id), json_text(to_json(*result)) + "\n");
      }
      record(other, failure);
    }
  });
  if (!options.quiet)
    std::fprintf(stderr, "frontdoor sweep: shard %d/%d finished: %d runs, %d failed\n", shard, shards, finished,
                 failed);
  return failed == 0 ? 0 : 1;
}

int command_sweep_merge(const SweepMergeOptions& options) {
  const fs::path dir(options.dir);
  Plan plan;
  if (!read_plan_or_say(dir, plan)) return exit_bad_input;
  std::vector<std::string> missing, failed, duplicated;
  std::set<int> planned;
  for (const auto& row : plan.rows) {
    if (!planned.insert(row.run_id).second) duplicated.push_back(std::to_string(row.run_id) + " (twice in plan.csv)");
  }
  for (const auto& entry : fs::directory_iterator(dir / "runs")) {
    const std::string name = entry.path().filename().string();
    const auto dot = name.find('.');
    const std::string id = name.substr(0, dot);
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || planned.count(std::stoi(id)) == 0) {
      duplicated.push_back(name + " (not in the plan)");
    }
  }
  const int first_year = plan.meta.value("first_year_measured", 1);
  std::ostringstream results;
  results << "run_id,point,replication,seed";
  for (const auto& key : plan.keys) results << ',' << key;
  results << ",year,measure,unit,value\n";
  // point -> (measure, unit) -> per replication: the mean over the measured years
  std::map<int, std::map<std::pair<std::string, std::string>, std::vector<double>>> by_point;
  std::map<int, const Plan::Row*> point_rows;
  for (const auto& row : plan.rows) {
    point_rows.emplace(row.point, &row);
    const bool ok = fs::exists(result_file(dir, row.run_id));
    const bool bad = fs::exists(failure_file(dir, row.run_id));
    if (ok && bad) duplicated.push_back(std::to_string(row.run_id) + " (both a result and a failure)");
    if (!ok) {
      if (bad) {
        std::string why;
        try {
          why = json::parse(read_output_file(failure_file(dir, row.run_id))).value("error", "");
        } catch (const std::exception&) {
        }
        failed.push_back(std::to_string(row.run_id) + ": " + why);
      } else {
        missing.push_back(std::to_string(row.run_id));
      }
      continue;
    }
    ReplicationResult result;
    try {
      result = sweep_result_from_json(json::parse(read_output_file(result_file(dir, row.run_id))));
      if (result.run_id != row.run_id) {
        throw std::runtime_error("it holds run " +
                                 (result.run_id ? std::to_string(*result.run_id) : std::string("none")));
      }
    } catch (const std::exception& e) {
      failed.push_back(std::to_string(row.run_id) + ": unreadable result (" + e.what() + ")");
      continue;
    }
    // Every line of this run starts with its plan row.
    std::string prefix = std::to_string(row.run_id) + ',' + std::to_string(row.point) + ',' +
                         std::to_string(row.replication) + ',' + std::to_string(row.seed) + ',';
    for (const auto& v : row.values) prefix += v + ',';
    std::map<std::pair<std::string, std::string>, std::vector<double>> years;
    for (const auto& a : result.annual) {
      const int year = a.year;
      const std::string& measure = a.measure;
      const std::string& unit = a.unit;
      const double value = a.value;
      results << prefix << year << ',' << measure << ',' << unit << ','
              << (std::isfinite(value) ? format_double(value) : "") << '\n';
      if (year >= first_year && std::isfinite(value)) years[{measure, unit}].push_back(value);
    }
    for (const auto& [key, values] : years) by_point[row.point][key].push_back(mean(values));
    // The run's summary after the warm-up (every service's waits, queues, caseloads...): year 0, unit "summary".
    for (const auto& m : result.summary) {
      const std::string& measure = m.measure;
      const double value = m.value;
      results << prefix << "0," << measure << ",summary," << (std::isfinite(value) ? format_double(value) : "") << '\n';
      if (std::isfinite(value)) by_point[row.point][{measure, "summary"}].push_back(value);
    }
  }
  std::ostringstream points;
  points << "point";
  for (const auto& key : plan.keys) points << ',' << key;
  points << ",measure,unit,mean,ci95_low,ci95_high,replications\n";
  for (const auto& [point, measures] : by_point) {
    for (const auto& [key, values] : measures) {
      const MeanInterval ci = mean_ci95(values);
      points << point;
      for (const auto& v : point_rows.at(point)->values) points << ',' << v;
      points << ',' << key.first << ',' << key.second << ',' << format_double(ci.mean) << ','
             << (std::isfinite(ci.low) ? format_double(ci.low) : "") << ','
             << (std::isfinite(ci.high) ? format_double(ci.high) : "") << ',' << ci.n << '\n';
    }
  }
  const bool complete = missing.empty() && failed.empty() && duplicated.empty();
  if (!complete) {
    auto list = [](const char* what, const std::vector<std::string>& items) {
      if (items.empty()) return;
      std::fprintf(stderr, "  %s (%zu):", what, items.size());
      for (std::size_t i = 0; i < items.size() && i < 20; ++i)
        std::fprintf(stderr, "%s %s", i ? "," : "", items[i].c_str());
      std::fprintf(stderr, "%s\n", items.size() > 20 ? ", ..." : "");
    };
    std::fprintf(stderr, "frontdoor sweep merge: the sweep is not complete:\n");
    list("missing", missing);
    list("failed", failed);
    list("duplicated or unexpected", duplicated);
    if (!options.allow_partial) {
      std::fprintf(stderr, "Nothing was written; run sweep exec again, or merge what there is with --allow-partial.\n");
      return 1;
    }
  }
  write_file_atomically(dir / "results.csv", results.str());
  write_file_atomically(dir / "points.csv", points.str());
  if (!options.quiet) {
    std::cout << "Merged " << plan.rows.size() - missing.size() - failed.size() << " of " << plan.rows.size()
              << " runs into " << (dir / "results.csv").string() << " and " << (dir / "points.csv").string()
              << " (per design point: means over years " << first_year << " on, 95% CI over replications)\n";
  }
  return 0;  // complete, or partial with --allow-partial
}

int command_sweep_analyse(const SweepAnalyseOptions& options) {
  const fs::path dir(options.dir);
  Plan plan;
  if (!read_plan_or_say(dir, plan)) return exit_bad_input;
  if (!fs::exists(dir / "results.csv")) {
    return fail(exit_bad_input, (dir / "results.csv").string() + " does not exist: run frontdoor sweep merge first");
  }
  if (options.outputs.empty()) return fail(exit_bad_input, "--outputs m1,m2: name the measures to analyse");
  const int first_year = plan.meta.value("first_year_measured", 1);
  // Each run's value of each output: the mean over the measured years (yearly measures) or the summary value.
  std::map<std::string, std::map<int, std::vector<double>>> yearly;  // output -> run_id -> values
  std::map<std::string, std::map<int, double>> value;                // output -> run_id -> value
  std::set<std::string> known;                                       // every measure results.csv holds
  try {
    std::istringstream in(read_output_file(dir / "results.csv"));
    std::string line;
    std::getline(in, line);
    const std::size_t k = plan.keys.size();
    const std::set<std::string> wanted(options.outputs.begin(), options.outputs.end());
    const bool every = wanted.count("all") > 0;  // --outputs all
    for (int number = 2; std::getline(in, line); ++number) {
      const auto cells = split_csv_line(line);
      if (cells.size() < k + 8) continue;
      const std::string& measure = cells[k + 5];
      known.insert(measure);
      if ((!every && wanted.count(measure) == 0) || cells[k + 7].empty()) continue;
      const std::string where = (dir / "results.csv").string() + ":" + std::to_string(number);
      const int run_id = static_cast<int>(csv_number(cells[0], where));
      const int year = static_cast<int>(csv_number(cells[k + 4], where));
      const double v = csv_number(cells[k + 7], where);
      if (year == 0)
        value[measure][run_id] = v;
      else if (year >= first_year)
        yearly[measure][run_id].push_back(v);
    }
  } catch (const RunReadError& e) {
    return fail(exit_bad_input, e.what());
  }
  for (auto& [measure, runs] : yearly) {
    for (auto& [run_id, values] : runs) value[measure].emplace(run_id, mean(values));
  }
  // --outputs all: every measure of the results (those with a value at every run analysed).
  std::vector<std::string> outputs = options.outputs;
  if (std::find(outputs.begin(), outputs.end(), "all") != outputs.end()) {
    outputs.clear();
    for (const auto& [measure, runs] : value) outputs.push_back(measure);
  }
  // A misspelt output is refused before anything is written, with the names there are.
  std::vector<std::string> unknown;
  for (const auto& output : outputs) {
    if (known.count(output) == 0) unknown.push_back(output);
  }
  if (!unknown.empty()) {
    std::string names, valid;
    for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
    for (const auto& m : known) valid += "\n  " + m;
    return fail(exit_bad_input, (unknown.size() == 1 ? names + " is not a measure" : names + " are not measures") +
                                    " of this sweep's results (" + (dir / "results.csv").string() +
                                    "); nothing was written. The measures are:" + valid);
  }
  std::vector<SweepFactor> factors;
  for (const auto& f : plan.meta.at("factors"))
    factors.push_back({f.at("key"), f.at("lo"), f.at("hi"), f.at("levels")});
  const bool morris = plan.meta.at("design") == "morris";
  const bool sobol = plan.meta.at("design") == "sobol";
  if (!morris && !sobol) {
    // Ranges from the design itself (a CSV of points declares none).
    for (std::size_t i = 0; i < factors.size(); ++i) {
      double lo = INFINITY, hi = -INFINITY;
      for (const auto& row : plan.rows) {
        const double v = std::stod(row.values[i]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      factors[i].lo = lo;
      factors[i].hi = hi;
    }
  }
  std::ostringstream csv;
  csv << "output,factor,method,mu_star,mu_star_low,mu_star_high,mu,sigma,src,s1,s1_low,s1_high,st,st_low,st_high,"
         "rank\n";
  int status = 0;
  for (const auto& output : outputs) {
    auto found = value.find(output);
    if (found == value.end()) {
      std::fprintf(stderr, "frontdoor: error: %s is not a measure of this sweep's results\n", output.c_str());
      status = exit_bad_input;
      continue;
    }
    std::vector<FactorEffect> effects;
    std::string method, note;
    try {
      if (morris || sobol) {
        // The output at each design point: the mean over its replications.
        std::map<int, std::vector<double>> at_point;
        std::map<int, std::vector<double>> where;
        for (const auto& row : plan.rows) {
          auto it = found->second.find(row.run_id);
          if (it == found->second.end()) continue;
          at_point[row.point].push_back(it->second);
          if (where.count(row.point) == 0) {
            std::vector<double> x;
            for (const auto& v : row.values) x.push_back(std::stod(v));
            where[row.point] = x;
          }
        }
        std::vector<std::vector<double>> points;
        std::vector<double> y;
        for (const auto& [point, values] : at_point) {
          points.push_back(where[point]);
          y.push_back(mean(values));
        }
        if (sobol) {
          if (points.size() != plan.meta.at("points").get<std::size_t>()) {
            throw std::invalid_argument("Sobol indices need every point of the Saltelli design; " +
                                        std::to_string(points.size()) + " of " +
                                        std::to_string(plan.meta.at("points").get<std::size_t>()) + " have results");
          }
          effects = sobol_indices(factors, y);
          method = "sobol";
          char buffer[96];
          std::snprintf(buffer, sizeof buffer, " (%zu base points, 95%% bootstrap intervals)",
                        y.size() / (factors.size() + 2));
          note = buffer;
        } else {
          effects = morris_effects(factors, points, y);
          method = "morris";
          note = " (95% bootstrap interval of mu* over the trajectories)";
        }
      } else {
        std::vector<std::vector<double>> points;
        std::vector<double> y;
        for (const auto& row : plan.rows) {
          auto it = found->second.find(row.run_id);
          if (it == found->second.end()) continue;
          std::vector<double> x;
          for (const auto& v : row.values) x.push_back(std::stod(v));
          points.push_back(x);
          y.push_back(it->second);
        }
        double r2 = 0.0;
        effects = standardised_regression(factors, points, y, r2);
        method = "src";
        char buffer[96];
        std::snprintf(buffer, sizeof buffer, " (linear fit R^2 = %.3f over %zu runs)", r2, y.size());
        note = buffer;
      }
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "frontdoor: error: %s: %s\n", output.c_str(), e.what());
      status = 1;
      continue;
    }
    std::printf("\n%s: %s%s\n", output.c_str(),
                morris  ? "Morris elementary effects per unit of each factor's range"
                : sobol ? "Sobol indices (first order S1, total ST: shares of the output's variance)"
                        : "standardised regression coefficients",
                note.c_str());
    if (morris) {
      std::printf("  %-4s %-48s %12s %-27s %12s %12s\n", "rank", "factor", "mu*", " (95% CI)", "mu", "sigma");
    } else if (sobol) {
      std::printf("  %-4s %-48s %7s %-18s %7s %-18s\n", "rank", "factor", "S1", " (95% CI)", "ST", " (95% CI)");
    } else {
      std::printf("  %-4s %-48s %14s\n", "rank", "factor", "SRC");
    }
    int rank = 1;
    auto cell = [](bool present, double v) { return present ? format_double(v) : std::string(); };
    for (const auto& e : effects) {
      if (morris) {
        std::printf("  %-4d %-48s %12.5g  (%.5g to %.5g)%*s %12.5g %12.5g\n", rank, e.factor.c_str(), e.mu_star,
                    e.mu_star_low, e.mu_star_high, 4, "", e.mu, e.sigma);
      } else if (sobol) {
        std::printf("  %-4d %-48s %7.3f  (%.3f to %.3f) %7.3f  (%.3f to %.3f)\n", rank, e.factor.c_str(), e.s1,
                    e.s1_low, e.s1_high, e.st, e.st_low, e.st_high);
      } else {
        std::printf("  %-4d %-48s %14.4f\n", rank, e.factor.c_str(), e.src);
      }
      const bool src = !morris && !sobol;
      csv << output << ',' << e.factor << ',' << method << ',' << cell(morris, e.mu_star) << ','
          << cell(morris, e.mu_star_low) << ',' << cell(morris, e.mu_star_high) << ',' << cell(morris, e.mu) << ','
          << cell(morris, e.sigma) << ',' << cell(src, e.src) << ',' << cell(sobol, e.s1) << ','
          << cell(sobol, e.s1_low) << ',' << cell(sobol, e.s1_high) << ',' << cell(sobol, e.st) << ','
          << cell(sobol, e.st_low) << ',' << cell(sobol, e.st_high) << ',' << rank << '\n';
      ++rank;
    }
  }
  write_file_atomically(dir / "sensitivity.csv", csv.str());
  std::printf("\nWritten to %s\n", (dir / "sensitivity.csv").string().c_str());
  // The sweep's HTML report, if there is one, gets the new ranking (frontdoor report DIR makes it).
  if (fs::exists(dir / "report.html")) {
    ReportOptions report;
    report.dir = options.dir;
    report.force = true;
    report.targets = std::string(FRONTDOOR_SOURCE_ROOT) + "/calibration/england_targets.csv";
    if (command_report(report) != 0) status = 1;
  }
  return status;
}

int command_sweep_slurm(const SweepSlurmOptions& options) {
  const fs::path dir = fs::absolute(options.dir).lexically_normal();
  Plan plan;
  if (!read_plan_or_say(dir, plan)) return exit_bad_input;
  const int runs = static_cast<int>(plan.rows.size());
  const int tasks = std::max(1, std::min(options.array_size, runs));
  const std::string program = fs::absolute(options.program).lexically_normal().string();
  auto header = [&](const std::string& name, const std::string& log) {
    std::string h =
        "#!/bin/bash\n#SBATCH --job-name=" + name + "\n#SBATCH --output=" + (dir / "slurm" / log).string() + "\n";
    if (!options.partition.empty()) h += "#SBATCH --partition=" + options.partition + "\n";
    if (!options.time.empty()) h += "#SBATCH --time=" + options.time + "\n";
    return h;
  };
  // One array task per shard: each runs its rows (run_id % N == task) with its CPUs, and skips rows already done,
  // so resubmitting the array after a failure or a time limit resumes the sweep.
  const std::string exec = header("frontdoor-sweep", "exec_%A_%a.log") + "#SBATCH --array=0-" +
                           std::to_string(tasks - 1) + "\n#SBATCH --cpus-per-task=" + std::to_string(options.cpus) +
                           "\n# Shard i of N comes from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.\n" + "exec \"" +
                           program + "\" sweep exec \"" + dir.string() + "\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\"\n";
  const std::string merge =
      header("frontdoor-merge", "merge_%j.log") + "exec \"" + program + "\" sweep merge \"" + dir.string() + "\"\n";
  // Submits the array, then the merge to run once every task has succeeded.
  const std::string submit =
      "#!/bin/bash\n# Submits the sweep in " + dir.string() + " to Slurm: " + std::to_string(tasks) +
      " array tasks of `frontdoor sweep exec`, then `frontdoor sweep merge` once they all succeed.\n"
      "set -euo pipefail\ncd \"$(dirname \"$0\")\"\nmkdir -p \"" +
      (dir / "slurm").string() +
      "\"\n"
      "array=$(sbatch --parsable exec.sbatch)\n"
      "merge=$(sbatch --parsable --dependency=afterok:${array%%;*} merge.sbatch)\n"
      "echo \"submitted array job ${array%%;*} (" +
      std::to_string(tasks) + " tasks) and merge job ${merge%%;*}\"\n";
  try {
    fs::create_directories(dir / "slurm");
    write_file_atomically(dir / "slurm" / "exec.sbatch", exec);
    write_file_atomically(dir / "slurm" / "merge.sbatch", merge);
    write_file_atomically(dir / "slurm" / "submit.sh", submit);
    fs::permissions(dir / "slurm" / "submit.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
  } catch (const std::exception& e) {
    return fail(exit_bad_input, std::string("cannot write the Slurm scripts: ") + e.what());
  }
  std::cout << "Wrote " << (dir / "slurm").string() << "/exec.sbatch (" << tasks << " array tasks for " << runs
            << " runs), merge.sbatch and submit.sh.\nSubmit with: bash " << (dir / "slurm" / "submit.sh").string()
            << "\n";
  return 0;
}

}  // namespace frontdoor
