#pragma once
// Loads a scenario file (TOML) into a validated Scenario. Every problem found is reported, each naming the file,
// the line and the dotted key ("scenarios/x.toml:12: front_door.screeners: ..."); a problem caused by a
// `--set KEY=VALUE` override names the override instead of a line. Unknown keys are errors. The parts: toml_reader
// (checked reading), scenario_document (base, include, --set), scenario_sections (one reader per section),
// scenario_timeline ([[change]]) and scenario_writer (flattening back to TOML).
#include <stdexcept>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace frontdoor {

/// Raised for any bad input: a missing file, a TOML syntax error, an unknown key, a wrong type, a value out of
/// range or a malformed override. what() holds every problem, one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// Splits "KEY=VALUE" (KEY dotted, e.g. "front_door.screeners"). Throws ScenarioError when malformed.
Override parse_override(const std::string& text);

/// How messages name an override: as it was given on the command line, "--set KEY=VALUE".
std::string set_text(const Override& o);

/// Reads, overrides and validates a scenario. `overrides` are applied in order before validation, so they are
/// checked exactly like the file's own values. Throws ScenarioError.
Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides = {});

/// Same, from text already in memory; `display_name` is used in messages and as Scenario::file.
Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                            const std::vector<Override>& overrides = {});

/// The scenario at `path` as one self-contained TOML text that loads as the same scenario: its base and included
/// files merged in, `overrides` applied, then `appended` (TOML text; its keys replace the scenario's, except
/// [[change]] tables, which join the scenario's own) merged over the top. Changes that would start after the last
/// simulated year are left out. Keys keep their declaration order (file by file, then by line), which
/// fixes the order of services and routes and so each replication's random streams. Comments are not kept;
/// `header` (comment lines) goes first. The text is validated by loading it; throws ScenarioError. `loaded`, when
/// given, receives the scenario the text loads as.
std::string flatten_scenario(const std::string& path, const std::vector<Override>& overrides,
                             const std::string& appended = "", const std::string& header = "",
                             Scenario* loaded = nullptr);
/// Same, from text already in memory (`display_name` locates its base and included files, if it has any).
/// Appended [[change]] tables join the scenario's own, in order of their from_year.
/// `loaded`, when given, receives the scenario the text loads as (it is loaded anyway, to validate it).
std::string flatten_scenario_text(const std::string& text, const std::string& display_name,
                                  const std::vector<Override>& overrides, const std::string& appended = "",
                                  const std::string& header = "", Scenario* loaded = nullptr);

}  // namespace frontdoor
