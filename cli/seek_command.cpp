#include "cli/seek_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "analysis/calibration.hpp"
#include "analysis/run_reader.hpp"
#include "cli/exit_codes.hpp"
#include "cli/scratch_dir.hpp"
#include "cli/text_format.hpp"
#include "common/statistics.hpp"
#include "models/parameter_schema.hpp"
#include "models/scenario_loader.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"
#include "sim/stop.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

constexpr int exit_not_found = exit_run_failed;  // not found in the range, or out of evaluations

// A finite number, the whole of `text`, or nothing.
std::optional<double> number(const std::string& text) {
  const std::optional<double> v = parse_number(text);
  return v && std::isfinite(*v) ? v : std::nullopt;
}

// The response at one lever value: each replication's value (the same seeds at every value).
struct Evaluation {
  double x = 0.0;
  std::vector<double> values;
  MeanInterval ci;
};

struct Target {
  std::string measure;
  std::string unit;  ///< empty: the measure's first unit
  double value = 0.0;
};

std::string lever_text(double x, bool whole) {
  if (whole) return std::to_string(std::llround(x));
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

// A lever value for people: six significant figures, or whole with thousands separators from 1,000 up.
std::string shown(double x, bool whole) {
  if (whole) return std::to_string(std::llround(x));
  if (std::abs(x) >= 1000.0) return human_number(std::round(x));
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

}  // namespace

int command_seek(const SeekOptions& o) {
  // --lever KEY=LO:HI
  const auto eq = o.lever.find('=');
  const auto colon = o.lever.find(':', eq == std::string::npos ? 0 : eq);
  const std::string lever_example = "for example --lever service.early_help.team.budget_gbp=3000000:9000000";
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos) {
    return bad_input("--lever " + o.lever + ": expected KEY=LO:HI, " + lever_example);
  }
  const std::string key = o.lever.substr(0, eq);
  const std::optional<double> lo = number(o.lever.substr(eq + 1, colon - eq - 1));
  const std::optional<double> hi = number(o.lever.substr(colon + 1));
  if (!lo || !hi || !(*lo < *hi)) {
    return bad_input("--lever " + o.lever + ": LO and HI must be numbers with LO below HI, " + lever_example);
  }
  // --target MEASURE[:UNIT]=VALUE
  Target target;
  const auto teq = o.target.rfind('=');
  const std::optional<double> wanted = teq == std::string::npos ? std::nullopt : number(o.target.substr(teq + 1));
  if (teq == std::string::npos || teq == 0 || !wanted) {
    return bad_input("--target " + o.target +
                     ": expected MEASURE=VALUE or MEASURE:UNIT=VALUE, for example --target looked_after_starts=27");
  }
  target.measure = o.target.substr(0, teq);
  target.value = *wanted;
  if (const auto c = target.measure.find(':'); c != std::string::npos) {
    target.unit = target.measure.substr(c + 1);
    target.measure = target.measure.substr(0, c);
  }

  std::vector<Override> fixed;
  try {
    for (const auto& s : o.sets) fixed.push_back(parse_override(s));
  } catch (const ScenarioError& e) {
    return bad_input(e.what());
  }
  // Both ends must be valid scenarios: a range that crosses another key's rule is refused here, by name.
  auto carried_at = [&](double x, bool whole) {
    std::vector<Override> overrides = fixed;
    overrides.push_back({key, lever_text(x, whole)});
    return carry_scenario(o.scenario, overrides);
  };
  bool whole = false;
  CarriedScenario at_lo;
  try {
    at_lo = carried_at(*lo, false);
    const Scenario& s = at_lo.scenario;
    // The schema says whether the key is whole (a screening queue's screeners), by the service's kind.
    const ParameterSpec* row = find_parameter_of(key, [&](std::string_view id) {
      const int i = s.pathway.find(std::string(id));
      return i >= 0 ? std::string(kind_name(s.pathway.services()[i].kind)) : std::string();
    });
    whole = row != nullptr && row->type == ParameterType::whole_number;
    if (whole && (*lo != std::floor(*lo) || *hi != std::floor(*hi))) {
      return bad_input("--lever " + o.lever + ": " + key + " is a whole number: give whole LO and HI");
    }
    carried_at(*hi, whole);
  } catch (const ScenarioError& e) {
    return bad_input("--lever " + o.lever + ": the scenario is not valid at one end of the range:\n" + e.what());
  }
  const Scenario& scenario = at_lo.scenario;
  // --years A-B (annual measures)
  int first = first_year_after_warmup(scenario.simulation.warmup_days);
  int last = scenario.simulation.years;
  if (!o.years.empty()) {
    const auto dash = o.years.find('-');
    const std::optional<double> a = number(o.years.substr(0, dash));
    const std::optional<double> b = dash == std::string::npos ? a : number(o.years.substr(dash + 1));
    if (!a || !b || *a != std::floor(*a) || *b != std::floor(*b) || *a < 1 || *b < *a ||
        *b > scenario.simulation.years) {
      return bad_input("--years " + o.years + ": expected A-B, whole years from 1 to " +
                       std::to_string(scenario.simulation.years) + " with A <= B");
    }
    first = static_cast<int>(*a);
    last = static_cast<int>(*b);
  }

  ScratchDir scratch("frontdoor-seek");
  ForkExecutor executor(o.jobs, o.engine_args);
  std::vector<Evaluation> evaluations;
  std::string unit_used;
  std::string source_used;
  auto evaluate = [&](double x) -> const Evaluation& {
    throw_if_stopped();
    const fs::path dir = scratch.path() / std::to_string(evaluations.size());
    fs::create_directory(dir);
    const CarriedScenario carried = carried_at(x, whole);
    const std::vector<ReplicationResult> results =
        execute(run_plan(carried, o.seed, o.replications), executor, dir, {});
    Evaluation e;
    e.x = x;
    for (const auto& r : results) {
      std::vector<double> years;
      std::string unit;
      for (const auto& a : r.annual) {
        if (a.measure != target.measure || (!target.unit.empty() && a.unit != target.unit)) continue;
        if (unit.empty()) unit = a.unit;
        if (a.unit == unit && a.year >= first && a.year <= last) years.push_back(a.value);
      }
      if (!years.empty()) {
        e.values.push_back(mean(years));
        unit_used = unit;
        source_used = "years " + std::to_string(first) + " to " + std::to_string(last);
        continue;
      }
      for (const auto& s : r.summary) {
        if (s.measure == target.measure && target.unit.empty()) {
          e.values.push_back(s.value);
          source_used = "after the warm-up (summary.csv)";
        }
      }
    }
    if (e.values.size() != results.size()) {
      throw ScenarioError({"--target " + o.target + ": " + target.measure +
                           (target.unit.empty() ? "" : " in " + target.unit) +
                           " is neither in the scenario's yearly table (annual.csv) nor in summary.csv"});
    }
    e.ci = mean_ci95(e.values);
    evaluations.push_back(e);
    if (!o.quiet) {
      std::fprintf(stderr, "frontdoor: seek: %s = %s gives %s (%s to %s)\n", key.c_str(), shown(x, whole).c_str(),
                   human_number(e.ci.mean).c_str(), human_number(e.ci.low).c_str(), human_number(e.ci.high).c_str());
    }
    return evaluations.back();
  };

  try {
    Evaluation a = evaluate(*lo);
    Evaluation b = evaluate(*hi);
    const double below = std::min(a.ci.mean, b.ci.mean);
    const double above = std::max(a.ci.mean, b.ci.mean);
    if (target.value < below || target.value > above) {
      std::printf("%s = %s is not reached for %s from %s to %s: the response runs from %s to %s (%s).\n",
                  target.measure.c_str(), human_number(target.value).c_str(), key.c_str(), shown(*lo, whole).c_str(),
                  shown(*hi, whole).c_str(), human_number(a.ci.mean).c_str(), human_number(b.ci.mean).c_str(),
                  source_used.c_str());
      return exit_not_found;
    }
    const bool rising = b.ci.mean > a.ci.mean;
    const double tolerance = whole ? 1.0 : (o.tolerance > 0.0 ? o.tolerance : (*hi - *lo) / 200.0);
    bool converged = true;
    while (b.x - a.x > tolerance) {
      if (static_cast<int>(evaluations.size()) >= o.max_evaluations) {
        converged = false;
        break;
      }
      double mid = 0.5 * (a.x + b.x);
      if (whole) mid = std::floor(mid);
      const Evaluation& m = evaluate(mid);
      ((m.ci.mean < target.value) == rising ? a : b) = m;
    }
    // The answer inside the last range, and its interval: the response interpolated in the range, replication by
    // replication (common random numbers), its standard error carried through the slope (the delta method).
    const double slope = (b.ci.mean - a.ci.mean) / (b.x - a.x);
    // Whole: `b` is the first value from LO that reaches the target (a is short of it, whichever way it runs).
    const double answer = whole ? b.x : a.x + (target.value - a.ci.mean) / slope;
    std::vector<double> at_answer;
    const double w = whole ? 1.0 : (answer - a.x) / (b.x - a.x);
    for (std::size_t r = 0; r < a.values.size(); ++r)
      at_answer.push_back(a.values[r] + w * (b.values[r] - a.values[r]));
    const MeanInterval response = mean_ci95(at_answer);
    const double half = std::isfinite(response.high) ? (response.high - response.mean) / std::abs(slope) : NAN;

    std::printf("Seeking %s = %s (%s%s), on %d replications of %s on seeds from %llu, varying %s from %s to %s:\n\n",
                target.measure.c_str(), human_number(target.value).c_str(),
                unit_used.empty() ? "" : (unit_used + ", ").c_str(), source_used.c_str(), o.replications,
                scenario.name.c_str(), static_cast<unsigned long long>(o.seed), key.c_str(), shown(*lo, whole).c_str(),
                shown(*hi, whole).c_str());
    std::printf("  %-16s %14s %28s\n", "lever", "response", "95% CI");
    std::vector<Evaluation> sorted = evaluations;
    std::sort(sorted.begin(), sorted.end(), [](const Evaluation& x, const Evaluation& y) { return x.x < y.x; });
    for (const auto& e : sorted) {
      std::printf("  %-16s %14s %28s\n", shown(e.x, whole).c_str(), human_number(e.ci.mean).c_str(),
                  (human_number(e.ci.low) + " to " + human_number(e.ci.high)).c_str());
    }
    if (!converged) {
      std::printf(
          "\nNot converged: %d evaluations left the range %s to %s; the best point is %s, missing by %s.\n",
          o.max_evaluations, shown(a.x, whole).c_str(), shown(b.x, whole).c_str(),
          shown(std::abs(a.ci.mean - target.value) < std::abs(b.ci.mean - target.value) ? a.x : b.x, whole).c_str(),
          human_number(std::min(std::abs(a.ci.mean - target.value), std::abs(b.ci.mean - target.value))).c_str());
      return exit_not_found;
    }
    if (whole) {
      std::printf("\n%s = %s is the first value from %s that reaches the target: %s gives %s, %s gives %s.\n",
                  key.c_str(), lever_text(b.x, true).c_str(), lever_text(*lo, true).c_str(),
                  lever_text(a.x, true).c_str(), human_number(a.ci.mean).c_str(), lever_text(b.x, true).c_str(),
                  human_number(b.ci.mean).c_str());
    } else {
      std::printf("\n%s = %s (95%% CI %s to %s) gives %s = %s, from %d evaluations.\n", key.c_str(),
                  shown(answer, false).c_str(), shown(answer - half, false).c_str(),
                  shown(answer + half, false).c_str(), target.measure.c_str(), human_number(target.value).c_str(),
                  static_cast<int>(evaluations.size()));
    }
  } catch (const ScenarioError& e) {
    return bad_input(e.what());
  } catch (const RunError& e) {
    std::cerr << "frontdoor: error: the simulation failed:\n" << e.what() << "\n";
    return exit_not_found;
  }
  return exit_ok;
}

}  // namespace frontdoor
