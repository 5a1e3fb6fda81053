#include "sim/run_plan.hpp"

#include <cctype>

#include "common/hash.hpp"
#include "models/scenario_loader.hpp"

namespace frontdoor {

CarriedScenario carry_scenario(const std::string& path, const std::vector<Override>& overrides) {
  const Scenario source = load_scenario(path, overrides);
  CarriedScenario carried;
  // A file name may hold a line break, which would end the comment.
  std::string file = source.file;
  for (char& c : file) c = std::iscntrl(static_cast<unsigned char>(c)) ? '?' : c;
  const std::string header = "# " + source.name + " as frontdoor ran it, from " + file +
                             ":\n# its base and included files merged in, its overrides applied (see manifest.json).\n"
                             "# `frontdoor run scenario.toml` runs it again.\n";
  carried.toml = flatten_scenario(path, overrides, "", header);
  carried.hash = content_hash(carried.toml);
  carried.scenario = load_scenario_text(carried.toml, source.file);
  carried.scenario.file = source.file;
  carried.scenario.file_hash = source.file_hash;
  carried.scenario.includes = source.includes;
  carried.scenario.overrides = source.overrides;
  carried.scenario.parameters = source.parameters;
  return carried;
}

}  // namespace frontdoor
