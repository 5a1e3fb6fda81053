// libFuzzer target for the scenario loader and the --set parser: whatever the bytes, loading either gives a
// Scenario or a ScenarioError; anything else (a crash, another exception, a sanitizer report, a hang) is a bug.
// A scenario that loads must also flatten (the trainer's "save as scenario") into text that loads again.
//
// Input: a scenario's TOML text, optionally followed by a line "#--set" and then one KEY=VALUE override a line.
// Base and included files are looked up beside scenarios/england_baseline.toml, as the shipped scenarios are.
// Build and run: see tests/fuzz/run.sh (clang's libFuzzer; the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "models/scenario_loader.hpp"

using namespace frontdoor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string display_name = std::string(FRONTDOOR_SOURCE_DIR) + "/scenarios/fuzz_input.toml";
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string marker = "\n#--set\n";
  const auto split = input.find(marker);
  const std::string text = input.substr(0, split);
  std::vector<Override> overrides;
  if (split != std::string::npos) {
    std::istringstream lines(input.substr(split + marker.size()));
    for (std::string line; std::getline(lines, line);) {
      try {
        overrides.push_back(parse_override(line));
      } catch (const ScenarioError&) {
      }
    }
  }
  bool loaded = false;
  try {
    (void)load_scenario_text(text, display_name, overrides);
    loaded = true;
  } catch (const ScenarioError&) {
  }
  if (!loaded) return 0;
  try {
    (void)flatten_scenario_text(text, display_name, overrides);
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "a scenario that loads did not flatten into one that loads:\n%s\n", e.what());
    std::abort();
  }
  return 0;
}
