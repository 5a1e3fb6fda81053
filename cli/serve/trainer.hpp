#pragma once
// The trainer's levers (`frontdoor serve`): what each one is, its unit, range and explanation, how a request's
// values are checked, how they become a scenario (one self-contained TOML file that `frontdoor run` accepts
// unchanged), and what the page is sent back: each scenario's charts and the paired differences.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/serve/trainer_levers.hpp"
#include "models/scenario.hpp"
#include "sim/replication_result.hpp"

namespace frontdoor {

/// A request the server turns down with HTTP 400; what() is the message the page shows.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Lever id -> value; every lever is present (switches are 0 or 1).
using TrainerSettings = std::map<std::string, double>;

/// The scenario a trainer varies, with the levers it offers.
class Trainer {
 public:
  /// Loads `scenario_path` (once: the files are not read again) and the levers of `levers_path`
  /// (scenarios/trainer/levers.toml); throws ScenarioError when either cannot be loaded, or the scenario lacks
  /// what a lever changes (a front door with thresholds, early help with a budget, social-work teams, [need]).
  explicit Trainer(std::string scenario_path, const std::string& levers_path = default_levers_path());

  const Scenario& scenario() const { return scenario_; }
  const std::vector<Lever>& levers() const { return levers_; }
  int warmup_years() const { return warmup_years_; }
  TrainerSettings defaults() const;

  /// Checks a request body (a JSON object of lever values; absent levers keep their defaults). Throws
  /// BadRequest naming the lever: not JSON, not an object, an unknown key, a wrong type, out of range (a number
  /// no double holds, such as 1e999, too), a fraction where a whole number is needed, or an early-help line above
  /// the referral line.
  TrainerSettings parse(const std::string& body) const;

  /// The scenario of `settings` as one TOML file, run for warm-up + years shown; header comments name the
  /// settings. `loaded`, when given, receives the scenario it loads as. Throws ScenarioError.
  std::string scenario_toml(const TrainerSettings& settings, Scenario* loaded = nullptr) const;
  /// "Front-door threshold: 3 → 3.3" for each lever that differs from its default.
  std::vector<std::string> changes(const TrainerSettings& settings) const;
  /// A file name for the scenario of `settings`: trainer_<the changed levers>.toml.
  std::string file_name(const TrainerSettings& settings) const;

  /// GET /api/levers.
  nlohmann::json levers_json(std::uint64_t seed) const;
  /// One scenario's charts over the shown years: yearly measures, social-work caseload per FTE month by month,
  /// and the Sankey of flows. `results` are its replications (in any order).
  nlohmann::json view_json(const std::string& name, const Scenario& scenario,
                           const std::vector<ReplicationResult>& results, int years_shown) const;
  /// Changed − baseline over the shown years for each key measure, pair by pair (replication r of each).
  nlohmann::json difference_json(const std::vector<ReplicationResult>& base,
                                 const std::vector<ReplicationResult>& changed) const;

 private:
  std::string path_;
  Scenario scenario_;
  std::string
      base_text_;  ///< the scenario flattened once at the start: an edit of its files mid-session changes nothing
  std::vector<LeverSpec> specs_;  ///< from the levers file, resolved on the scenario
  std::vector<Lever> levers_;
  std::vector<std::string> social_work_teams_;  ///< the teams the workforce lever scales, for the caseload chart
  int warmup_years_ = 0;
  const Lever* find(const std::string& id) const;  ///< nullptr when `id` is not a lever
  /// The levers `settings` moves from their defaults, with their new values.
  std::vector<std::pair<const Lever*, double>> moved(const TrainerSettings& settings) const;
};

}  // namespace frontdoor
