#include "cli/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

#include "analysis/calibration.hpp"
#include "analysis/council_figures.hpp"
#include "analysis/precision.hpp"
#include "analysis/run_reader.hpp"
#include "analysis/run_scenario.hpp"
#include "cli/exit_codes.hpp"
#include "cli/progress.hpp"
#include "cli/run_files.hpp"
#include "cli/text_format.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"
#include "sim/result_cache.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"
#include "sim/stop.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

std::vector<Override> overrides_of(const CommonScenarioArgs& args, const std::vector<Override>& extra) {
  std::vector<Override> overrides;
  for (const auto& s : args.sets) overrides.push_back(parse_override(s));
  for (const auto& o : extra) overrides.push_back(o);
  return overrides;
}

// What --precision came to, for the summary.
std::string precision_text(const std::vector<PrecisionFinding>& found, int n, const Precision& precision) {
  char line[400];
  if (found.empty()) {
    std::snprintf(line, sizeof line, "Precision: %d replications; no headline measure to judge them by.\n", n);
    return line;
  }
  const PrecisionFinding& w = found.front();
  const bool met = w.relative <= precision.relative;
  const std::string cap = met ? "" : ": the cap (--max-replications " + std::to_string(precision.cap) + ") stopped it";
  std::snprintf(line, sizeof line,
                "Precision (--precision %g): %d replications %s every headline interval within ±%.1f%% of its mean "
                "(%zu measures; the widest, %s, ±%.2f%%)%s.\n",
                precision.relative, n, met ? "brought" : "did not bring", 100.0 * precision.relative, found.size(),
                w.measure.c_str(), 100.0 * w.relative, cap.c_str());
  return line;
}

}  // namespace

int command_run(const CommonScenarioArgs& scenario_args, const std::string& out, std::uint64_t seed, int replications,
                int jobs, int years, bool force, bool quiet, bool verbose, const std::vector<std::string>& engine_args,
                const std::vector<std::string>& command_line, int returns_replication, const Precision& precision) {
  std::vector<Override> extra;
  if (years > 0) extra.push_back({"simulation.years", std::to_string(years)});
  CarriedScenario carried;
  try {
    carried = carry_scenario(scenario_args.scenario, overrides_of(scenario_args, extra));
  } catch (const ScenarioError& e) {
    return bad_input(std::string("the scenario is not valid:\n") + e.what());
  }
  const Scenario& scenario = carried.scenario;
  try {
    OutputDirectory output(out, force);
    ProgressBar progress(!quiet, "replications", "frontdoor run");
    const auto on_progress = [&](int done, int total) {
      progress.update(done, total);
      if (verbose) std::fprintf(stderr, "frontdoor: replication %d of %d finished\n", done, total);
    };
    if (verbose) {
      std::fprintf(stderr, "frontdoor: running %s (%s) for %d years, %d replications on %d jobs, staging in %s\n",
                   scenario.name.c_str(), scenario.file.c_str(), scenario.simulation.years, replications, jobs,
                   output.staging().c_str());
    }
    const fs::path scratch = output.staging() / ".replications";
    fs::create_directory(scratch);
    std::vector<ReplicationResult> results;
    std::string precision_note;
    try {
      ForkExecutor executor(jobs, engine_args);
      if (precision.relative > 0.0) {
        // To a precision: more replications until every headline interval is within it (or the cap); the ones
        // already run are kept (the cache), and replication r's seed does not depend on how many there are.
        ResultCache cache;
        const int first_year = first_year_after_warmup(scenario.simulation.warmup_days);
        int n = std::min(std::max(replications, 3), precision.cap);
        for (;;) {
          results = execute(run_plan(carried, seed, n), executor, scratch, on_progress, &cache);
          const std::vector<PrecisionFinding> found = headline_precision(results, first_year);
          const double widest = found.empty() ? 0.0 : found.front().relative;
          if (!quiet) {
            std::fprintf(stderr, "frontdoor run: %d replications: the widest headline interval is %s ±%.1f%%%s\n", n,
                         found.empty() ? "-" : found.front().measure.c_str(), 100.0 * widest,
                         widest <= precision.relative ? ", within the precision asked" : "");
          }
          precision_note = precision_text(found, n, precision);
          if (widest <= precision.relative || n >= precision.cap) break;
          n = next_replications(n, widest, precision.relative, jobs, precision.cap);
        }
      } else {
        results = execute(run_plan(carried, seed, replications), executor, scratch, on_progress);
      }
      if (returns_replication > 0) {
        if (verbose) std::fprintf(stderr, "frontdoor: recording replication %d for the returns\n", returns_replication);
        write_statutory_returns(output.staging() / "returns", scenario, seed, returns_replication, engine_args,
                                scratch);
      }
    } catch (const RunError& e) {
      std::cerr << "frontdoor: error: the simulation failed; nothing was written:\n" << e.what() << "\n";
      return exit_run_failed;
    }
    fs::remove_all(scratch);
    const std::vector<SummaryRow> summary =
        write_run_files(output.staging(), scenario,
                        RunFacts{seed, jobs, engine_args, command_line, carried.toml, returns_replication}, results);
    throw_if_stopped();
    output.commit();
    if (!quiet)
      std::cout << summary_table(scenario, seed, results, summary, output.target().string()) << precision_note;
  } catch (const OutputError& e) {
    return bad_input(e.what());
  }
  return exit_ok;
}

int command_validate(const CommonScenarioArgs& scenario_args) {
  try {
    const Scenario scenario = load_scenario(scenario_args.scenario, overrides_of(scenario_args, {}));
    std::cout << describe_scenario(scenario);
    std::vector<CalibrationTarget> targets;
    try {
      targets = read_targets(std::string(FRONTDOOR_SOURCE_ROOT) + "/calibration/england_targets.csv");
    } catch (const RunReadError&) {
      // An installed binary without its source tree: the figures are printed without England's range.
    }
    std::cout << per_child_check(scenario, targets);
  } catch (const ScenarioError& e) {
    return bad_input(std::string("the scenario is not valid:\n") + e.what());
  }
  return exit_ok;
}

int command_check_calibration(const std::string& run_dir, const std::string& targets_path, int first_year,
                              const std::string& council_path, int council_year) {
  try {
    std::vector<CalibrationTarget> targets = read_targets(targets_path);
    std::string against = targets_path;
    std::optional<long> council_children;
    if (!council_path.empty()) {
      const CouncilFigures council = read_council_figures(council_path, targets);
      const std::vector<int> years = council.years();
      if (council_year == 0) council_year = years.back();
      if (!std::binary_search(years.begin(), years.end(), council_year)) {
        return bad_input("--year " + std::to_string(council_year) + ": " + council_path +
                         " has no figures for it (it has " + std::to_string(years.front()) + " to " +
                         std::to_string(years.back()) + ")");
      }
      targets = council.targets(council_year);
      against = council.council + " " + std::to_string(council_year) + " (" + council_path + ")";
      if (const auto it = council.population.find(council_year); it != council.population.end()) {
        council_children = it->second;
      }
    }
    const nlohmann::json manifest = read_manifest(run_dir);
    // The warm-up of the scenario the run carries (refused if its copy was altered); a run from before runs
    // carried their scenario has only its manifest.
    double warmup_days = manifest.at("simulation").at("warmup_days").get<double>();
    std::string name = manifest.at("scenario").at("name").get<std::string>();
    std::optional<long> run_children;
    std::optional<Scenario> run_scenario;
    if (manifest.at("scenario").contains("copy_hash")) {
      run_scenario = scenario_of_run(run_dir);
      warmup_days = run_scenario->simulation.warmup_days;
      name = run_scenario->name;
      run_children = run_scenario->children;
    }
    const int after_warmup = first_year_after_warmup(warmup_days);
    if (first_year <= 0) first_year = after_warmup;
    int last_year = std::numeric_limits<int>::max();
    std::string years_compared = "years " + std::to_string(first_year) + " on";
    // A council's year is compared with the run's year of the same dates, when the run has it after its warm-up
    // (a run of a scenario from `frontdoor fit`, whose years start on 1 April); otherwise with the years after it.
    if (council_year != 0 && run_scenario) {
      const auto start = run_scenario->simulation.start_date;
      const int year = council_year - static_cast<int>(start.year());
      if (static_cast<unsigned>(start.month()) == 4 && static_cast<unsigned>(start.day()) == 1 &&
          year >= after_warmup && year <= run_scenario->simulation.years) {
        first_year = last_year = year;
        years_compared = "year " + std::to_string(year) + " (1 April " + std::to_string(council_year - 1) +
                         " to 31 March " + std::to_string(council_year) + ")";
      }
    }
    const auto rows = compare_with_targets(run_dir, targets, first_year, last_year);
    int outside = 0;
    std::printf("Calibration of %s (%s) against %s, %s, means over replications:\n\n", run_dir.c_str(), name.c_str(),
                against.c_str(), years_compared.c_str());
    if (council_children && run_children &&
        std::abs(static_cast<double>(*run_children - *council_children)) >
            0.02 * static_cast<double>(*council_children)) {
      std::printf(
          "Note: the run is for %s children, the council had %s in %d: run it with --set population.children=%ld\n\n",
          human_number(static_cast<double>(*run_children)).c_str(),
          human_number(static_cast<double>(*council_children)).c_str(), council_year, *council_children);
    }
    std::printf("%-46s %-22s %10s %21s %28s  %s\n", "measure", "unit", "target", "band", "simulated (95% CI)", "");
    for (const auto& row : rows) {
      const auto& t = row.target;
      const std::string band = human_number(t.low) + " to " + human_number(t.high);
      std::string simulated = "not reported";
      if (row.simulated) {
        simulated = human_number(row.mean);
        if (std::isfinite(row.ci95_low))
          simulated += " (" + human_number(row.ci95_low) + "-" + human_number(row.ci95_high) + ")";
      }
      if (!row.inside) ++outside;
      std::printf("%-46s %-22s %10s %21s %28s  %s\n", t.measure.c_str(), t.unit.c_str(), human_number(t.value).c_str(),
                  band.c_str(), simulated.c_str(), row.inside ? "in" : "OUT");
    }
    std::printf("\n%zu of %zu targets inside their band.\n", rows.size() - static_cast<std::size_t>(outside),
                rows.size());
    return outside == 0 ? exit_ok : exit_run_failed;
  } catch (const RunReadError& e) {
    return bad_input(e.what());
  } catch (const ScenarioError& e) {
    return bad_input(run_dir + "/scenario.toml is not valid:\n" + e.what());
  } catch (const nlohmann::json::exception& e) {
    return bad_input(run_dir + "/manifest.json is malformed: " + e.what());
  }
}

}  // namespace frontdoor
