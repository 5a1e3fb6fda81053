#pragma once
// The trainer's levers as data: scenarios/trainer/levers.toml says what each lever is and which scenario keys it
// moves; this reads it and checks every key against the parameter schema (models/parameter_schema.hpp), so that a
// lever on a key no scenario has is an error when the server starts.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario.hpp"

namespace frontdoor {

/// A lever as the page shows it.
struct Lever {
  std::string id;     ///< the request's key
  std::string group;  ///< "lever" (changes the scenario) or "run" (years shown, replications)
  std::string label, unit, help;
  std::string type;  ///< "number", "integer" or "switch"
  double min = 0.0, max = 0.0, step = 0.0;
  double value = 0.0;  ///< the scenario's own value (a switch: 0 or 1)
};

/// One lever of the levers file: what the page shows (`lever`; its value is filled in from the scenario by
/// Trainer) and what it does to the scenario.
struct LeverSpec {
  Lever lever;
  std::string kind;               ///< "value", "percent", "switch", "policy" or "run" (see levers.toml)
  std::vector<std::string> sets;  ///< the scenario keys it moves
  double scale = 1.0;             ///< value: a key holds the lever's value x scale
  double round = 0.0;             ///< value, percent: the key is rounded to a multiple of this (0: not rounded)
  double at_least = -std::numeric_limits<double>::infinity();  ///< percent: the key's smallest value
  std::vector<std::pair<std::string, double>> when_on;         ///< switch: keys capped at a value when on
  std::string at_most;                                         ///< another lever this one may not exceed
  std::string at_most_note;                                    ///< why, for the message
  std::string policy;  ///< policy: the policy file (resolved against the levers file's folder)
  std::string where;   ///< "levers.toml:line", for messages
  // Filled in by resolve_levers() from the scenario:
  std::vector<double> own;          ///< the scenario's value of each key in `sets` (those it lacks are dropped)
  std::vector<double> when_on_own;  ///< the scenario's value of each key in `when_on`
  std::string appended;             ///< policy: the policy's [[change]] tables, moved to the first year shown
};

/// The levers file shipped with the scenarios: $FRONTDOOR_SCENARIOS/trainer/levers.toml, else the source tree's.
std::string default_levers_path();

/// Reads a levers file and resolves each key through the parameter schema. Throws ScenarioError naming the file,
/// line and key: an unknown kind or key, a key the schema does not have, a switch on a key that is not true or
/// false, a range of a value lever that its keys cannot take.
std::vector<LeverSpec> read_levers(const std::string& path);

/// Fills in each lever's starting value (lever.value) and the scenario's values of its keys, from `scenario` and
/// its flattened text `flattened` (values the file leaves out are the schema's defaults). `warmup_years` places a
/// policy's changes. Throws ScenarioError when the scenario lacks a value lever's first key or every key of a
/// percent lever.
void resolve_levers(std::vector<LeverSpec>& levers, const Scenario& scenario, const std::string& flattened,
                    int warmup_years);

/// The [[change]] tables of the policy file at `path`, moved so that the first starts in `first_year`, as TOML
/// text to append to a scenario. Throws ScenarioError when the policy has no changes or one without from_year.
std::string policy_changes_from(const std::string& path, int first_year);

}  // namespace frontdoor
