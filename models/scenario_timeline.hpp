#pragma once
// The [[change]] timeline: levers that change from a given year or day. Each change's `set` keys must be ones that
// may change over time; the document with every change so far applied is read again as a whole scenario and
// checked like the original, and must keep the pathway's shape.
#include <toml++/toml.h>

#include "models/scenario.hpp"
#include "models/toml_reader.hpp"

namespace frontdoor::loader {

/// The scenario read from the composed document, then each of its [[change]] tables in order, as
/// Scenario::changes (each the scenario as it stands from its day). Problems go to ctx.
Scenario read_scenario_with_changes(const toml::table& root, LoadContext& ctx);

}  // namespace frontdoor::loader
