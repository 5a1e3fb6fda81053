#include "cli/compare_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/calibration.hpp"
#include "analysis/compare.hpp"
#include "analysis/precision.hpp"
#include "analysis/selection.hpp"
#include "build_info.hpp"
#include "cli/progress.hpp"
#include "cli/run_files.hpp"
#include "cli/text_format.hpp"
#include "models/measures.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

std::string with_interval(const DifferenceRow& row) {
  // Built piece by piece: GCC 12's -Wrestrict misreads `const char* + std::string` here without LTO.
  std::string text;
  if (row.diff_mean > 0) text += '+';
  text += human_number(row.diff_mean);
  if (std::isfinite(row.diff_low))
    text += " (" + human_number(row.diff_low) + " to " + human_number(row.diff_high) + ")";
  return text;
}

std::string table_for(const Comparison& c, const std::string& base_name, int from_year, int last_year) {
  std::string out;
  char line[512];
  std::size_t pairs = 0;
  for (const auto& row : c.rows) pairs = std::max(pairs, row.pairs);
  std::snprintf(line, sizeof line,
                "\n%s against %s: means over years %d to %d, %zu pairs of replications on the same seeds\n\n",
                c.scenario.c_str(), base_name.c_str(), from_year, last_year, pairs);
  out += line;
  std::snprintf(line, sizeof line, "%-44s %-22s %12s %12s  %-34s %s\n", "measure", "unit", "base", "alternative",
                "difference (95% CI)", "");
  out += line;
  for (const auto& row : c.rows) {
    if (row.year != 0 || unit_from_text(row.unit) == Unit::count) continue;
    std::snprintf(line, sizeof line, "%-44s %-22s %12s %12s  %-34s %s\n", row.measure.c_str(), row.unit.c_str(),
                  human_number(row.base_mean).c_str(), human_number(row.alt_mean).c_str(), with_interval(row).c_str(),
                  row.indistinguishable_from_zero() ? "no clear difference" : "");
    out += line;
  }
  const double reduction = median_variance_reduction(c);
  if (std::isfinite(reduction)) {
    std::snprintf(line, sizeof line,
                  "\nCommon random numbers: the paired difference varies %.0f%% less than a difference of independent "
                  "runs would (median over the measures; var(base) + var(alt) stands for independent seeds).\n",
                  100.0 * reduction);
    out += line;
  }
  auto list = [&](const char* what, const std::vector<std::string>& names) {
    if (names.empty()) return;
    out += std::string(what);
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : " ") + names[i];
    out += "\n";
  };
  list("Only in the base (not compared):", c.only_in_base);
  list("Only in the alternative (not compared):", c.only_in_alt);
  return out;
}

// Each measure's difference over the measured years (the mean a year), as compare.csv's pooled rows.
nlohmann::ordered_json pooled_json(const Comparison& c) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : c.rows) {
    if (row.year != 0) continue;
    const double scale = std::max(std::abs(row.base_mean), std::abs(row.alt_mean));
    auto number = [&](double v) -> nlohmann::ordered_json {
      if (!std::isfinite(v)) return nullptr;
      return std::stod(tidy_number(v, scale));
    };
    rows.push_back({{"measure", row.measure},
                    {"unit", row.unit},
                    {"years", {c.from_year, c.last_year}},
                    {"base_mean", number(row.base_mean)},
                    {"alt_mean", number(row.alt_mean)},
                    {"difference", number(row.diff_mean)},
                    {"ci95", {number(row.diff_low), number(row.diff_high)}},
                    {"pairs", row.pairs},
                    {"clear", !row.indistinguishable_from_zero()}});
  }
  return rows;
}

std::string selection_text(const Selection& s, const std::vector<std::string>& names, const SelectOptions& o) {
  std::ostringstream out;
  out << "\nBest on " << o.measure << " (" << (o.maximise ? "larger" : "smaller") << " is better; KN, Kim and Nelson "
      << "2001, on common random numbers): ";
  if (s.decided) {
    char line[200];
    std::snprintf(line, sizeof line, "%s, with probability at least %g%% that it is the best or within %g of it.\n",
                  names[s.best].c_str(), 100.0 * o.pcs, o.delta);
    out << line;
  } else {
    out << "not decided within --max-replications " << o.cap << "; the best so far is "
        << (s.best >= 0 ? names[s.best] : "-") << " (the procedure could need up to " << s.needed_at_most
        << " replications).\n";
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    out << "  " << names[i] << ": mean " << human_number(s.means.empty() ? NAN : s.means[i]);
    if (!s.eliminated_at.empty() && s.eliminated_at[i] > 0) {
      out << ", eliminated after " << s.eliminated_at[i] << " replications";
    } else {
      out << (static_cast<int>(i) == s.best && s.decided ? ", the best" : ", in contention to the end") << " ("
          << s.replications << " replications)";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace

int command_compare(const CompareOptions& options) {
  std::vector<Scenario> scenarios;
  std::vector<CarriedScenario> carried;  // each run carries its scenario (runs/<name>/scenario.toml)
  std::vector<Override> extra;
  try {
    for (const auto& s : options.sets) extra.push_back(parse_override(s));
  } catch (const ScenarioError& e) {
    std::cerr << "frontdoor: error: --set: " << e.what() << "\n";
    return 2;
  }
  if (options.years > 0) extra.push_back({"simulation.years", std::to_string(options.years)});
  for (const auto& path : options.scenarios) {
    try {
      carried.push_back(carry_scenario(path, extra));
      scenarios.push_back(carried.back().scenario);
    } catch (const ScenarioError& e) {
      std::cerr << "frontdoor: error: the scenario " << path << " is not valid:\n" << e.what() << "\n";
      return 2;
    }
  }
  // Each scenario's run goes to runs/<name>; a name met twice (a scenario against itself) gets a suffix.
  std::vector<std::string> dirs;
  std::set<std::string> used;
  for (const auto& s : scenarios) {
    std::string name = s.name;
    for (int k = 2; used.count(name) > 0; ++k) name = s.name + "_" + std::to_string(k);
    used.insert(name);
    dirs.push_back(name);
  }
  if (!options.select.measure.empty()) {
    for (const auto& sc : scenarios) {
      const bool reported = std::any_of(sc.reporting.begin(), sc.reporting.end(),
                                        [&](const ReportMeasure& m) { return m.name == options.select.measure; });
      if (!reported) {
        std::string names;
        for (const ReportMeasure& m : sc.reporting) names += (names.empty() ? "" : ", ") + m.name;
        std::cerr << "frontdoor: error: --select " << options.select.measure << ": " << sc.file
                  << " does not report it (annual.csv); it reports: " << (names.empty() ? "nothing" : names) << "\n";
        return 2;
      }
    }
    if (scenarios.size() < 2) {
      std::cerr << "frontdoor: error: --select needs two scenarios or more\n";
      return 2;
    }
  }
  std::string precision_note;
  std::string selection_note;
  nlohmann::ordered_json selection_json;
  try {
    OutputDirectory output(options.out, options.force);
    const fs::path runs = output.staging() / "runs";
    fs::create_directories(runs);
    ProgressBar progress(!options.quiet, "runs", "frontdoor compare");
    ResultCache cache;  // a scenario compared with itself is simulated once; --precision keeps what it has run
    std::vector<std::vector<ReplicationResult>> results(scenarios.size());
    const int first_measured = first_year_after_warmup(scenarios[0].simulation.warmup_days);
    int replications = options.replications;
    if (options.precision.relative > 0.0) replications = std::min(std::max(replications, 3), options.precision.cap);
    // Runs `n` replications of scenario i into results[i], on the same seeds for every scenario (common random
    // numbers). A simulation that fails names its scenario (`failing`), once, below.
    std::size_t failing = 0;
    auto simulate = [&](std::size_t i, int n, const std::function<void(int, int)>& on_progress) {
      failing = i;
      ForkExecutor executor(options.jobs, options.engine_args);
      results[i] = execute(run_plan(carried[i], options.seed, n), executor, runs / dirs[i] / ".replications",
                           on_progress, &cache);
    };
    try {
      for (;;) {
        const int total = static_cast<int>(scenarios.size()) * replications;
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
          const int before = static_cast<int>(i) * replications;
          fs::create_directories(runs / dirs[i] / ".replications");
          simulate(i, replications, [&](int done, int) { progress.update(before + done, total); });
        }
        if (options.precision.relative <= 0.0) break;
        // --precision: every alternative's paired differences of the headline measures, within REL of the base's level.
        std::vector<PrecisionFinding> widest;
        for (std::size_t i = 1; i < scenarios.size(); ++i) {
          std::vector<PrecisionFinding> found = difference_precision(results[0], results[i], first_measured);
          if (!found.empty()) {
            found.front().measure = dirs[i] + ": " + found.front().measure;
            widest.push_back(found.front());
          }
        }
        sort_widest_first(widest);
        const double w = widest.empty() ? 0.0 : widest.front().relative;
        const bool met = w <= options.precision.relative;
        if (!options.quiet) {
          std::fprintf(stderr,
                       "frontdoor compare: %d pairs: the widest headline difference is %s ±%.2f%% of its level%s\n",
                       replications, widest.empty() ? "-" : widest.front().measure.c_str(), 100.0 * w,
                       met ? ", within the precision asked" : "");
        }
        if (met || replications >= options.precision.cap) {
          char line[400];
          std::snprintf(
              line, sizeof line,
              "Precision (--precision %g): %d pairs %s every headline difference's interval within ±%.1f%% of "
              "the base's level (the widest, %s, ±%.2f%%)%s.\n",
              options.precision.relative, replications, met ? "brought" : "did not bring",
              100.0 * options.precision.relative, widest.empty() ? "-" : widest.front().measure.c_str(), 100.0 * w,
              met ? ""
                  : (": the cap (--max-replications " + std::to_string(options.precision.cap) + ") stopped it")
                        .c_str());
          precision_note = line;
          break;
        }
        replications =
            next_replications(replications, w, options.precision.relative, options.jobs, options.precision.cap);
      }
      if (!options.select.measure.empty()) {
        // Ranking and selection (KN): more replications of the systems still in contention only.
        const SelectOptions& o = options.select;
        const int n0 = std::max(replications, 5);
        std::vector<int> have(scenarios.size(), replications);
        Selection chosen;
        for (;;) {
          std::vector<std::vector<double>> outputs;
          for (const auto& r : results) outputs.push_back(measured_mean_by_replication(r, o.measure, first_measured));
          bool ready = true;
          for (std::size_t i = 0; i < scenarios.size(); ++i) ready = ready && have[i] >= n0;
          if (ready) {
            chosen = kn_select(outputs, n0, 1.0 - o.pcs, o.delta, o.maximise);
            if (chosen.decided) break;
          }
          std::vector<std::size_t> more;
          for (std::size_t i = 0; i < scenarios.size(); ++i) {
            if ((!ready || chosen.eliminated_at[i] == 0) && have[i] < o.cap) more.push_back(i);
          }
          if (ready && more.empty()) break;  // the cap: undecided
          for (std::size_t i : more) {
            have[i] = ready ? std::min(o.cap, have[i] + std::max(options.jobs, 1)) : n0;
            simulate(i, have[i], {});
          }
        }
        selection_note = selection_text(chosen, dirs, o);
        selection_json = {{"measure", o.measure},
                          {"better", o.maximise ? "larger" : "smaller"},
                          {"indifference_zone", o.delta},
                          {"probability_of_correct_selection", o.pcs},
                          {"procedure", "KN (Kim and Nelson 2001), first stage " + std::to_string(n0)},
                          {"decided", chosen.decided},
                          {"best", chosen.best >= 0 ? dirs[chosen.best] : ""}};
        nlohmann::ordered_json systems = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
          systems.push_back({{"name", dirs[i]},
                             {"mean", chosen.means.empty() ? 0.0 : chosen.means[i]},
                             {"replications", have[i]},
                             {"eliminated_at", chosen.eliminated_at.empty() ? 0 : chosen.eliminated_at[i]}});
        }
        selection_json["systems"] = systems;
      }
      for (std::size_t i = 0; i < scenarios.size(); ++i) {
        const fs::path dir = runs / dirs[i];
        failing = i;
        if (options.returns_replication > 0) {
          write_statutory_returns(output.staging() / "returns" / dirs[i], scenarios[i], options.seed,
                                  options.returns_replication, options.engine_args, dir / ".replications");
        }
        fs::remove_all(dir / ".replications");
        write_run_files(
            dir, scenarios[i],
            RunFacts{options.seed, options.jobs, options.engine_args, options.command_line, carried[i].toml},
            results[i]);
      }
    } catch (const RunError& e) {
      std::cerr << "frontdoor: error: the simulation of " << options.scenarios[failing]
                << " failed; nothing was written:\n"
                << e.what() << "\n";
      return 1;
    }
    const int from_year = first_year_after_warmup(scenarios[0].simulation.warmup_days);
    const AnnualTable base = read_annual_table(runs / dirs[0]);
    std::vector<Comparison> comparisons;
    nlohmann::ordered_json manifest;
    manifest["kind"] = "compare";
    manifest["program"] = {{"version", build_info::program_version}, {"git_commit", build_info::git_commit}};
    manifest["base"] = {{"name", scenarios[0].name},
                        {"file", scenarios[0].file},
                        {"dir", "runs/" + dirs[0]},
                        {"copy_hash", carried[0].hash}};
    manifest["base_seed"] = options.seed;
    manifest["replications"] = replications;
    if (options.precision.relative > 0.0) {
      manifest["precision"] = {{"relative", options.precision.relative}, {"cap", options.precision.cap}};
    }
    if (!selection_json.empty()) manifest["selection"] = selection_json;
    manifest["years_compared_from"] = from_year;
    if (options.returns_replication > 0) {
      manifest["returns"] = {{"replication", options.returns_replication}, {"dir", "returns/<scenario>"}};
    }
    manifest["alternatives"] = nlohmann::ordered_json::array();
    std::string text;
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
      Comparison c = compare_tables(dirs[i], base, read_annual_table(runs / dirs[i]), from_year);
      text += table_for(c, dirs[0], from_year, scenarios[i].simulation.years);
      const double reduction = median_variance_reduction(c);
      manifest["alternatives"].push_back(
          {{"name", dirs[i]},
           {"file", scenarios[i].file},
           {"dir", "runs/" + dirs[i]},
           {"copy_hash", carried[i].hash},
           {"crn_variance_reduction", std::isfinite(reduction) ? nlohmann::json(reduction) : nlohmann::json()},
           {"only_in_base", c.only_in_base},
           {"only_in_alternative", c.only_in_alt},
           {"pooled", pooled_json(c)}});
      comparisons.push_back(std::move(c));
    }
    write_file_atomically(output.staging() / "compare.csv", compare_csv(comparisons));
    write_file_atomically(output.staging() / "compare.json", json_text(manifest, 2) + "\n");
    output.commit();
    if (!options.quiet) {
      std::cout << "frontdoor compare: " << scenarios.size() - 1 << " alternative(s) against " << dirs[0] << ", "
                << replications << " replications each, base seed " << options.seed << "\n"
                << precision_note << selection_note << text << "\nResults in " << output.target().string()
                << "/ (compare.csv, compare.json, runs/<scenario>/ with each run's files"
                << (options.returns_replication > 0 ? ", returns/<scenario>/ with its statutory returns" : "") << ")\n";
    }
  } catch (const OutputError& e) {
    std::cerr << "frontdoor: error: " << e.what() << "\n";
    return 2;
  } catch (const RunReadError& e) {
    std::cerr << "frontdoor: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace frontdoor
