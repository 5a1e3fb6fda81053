#pragma once
// `frontdoor graph`: draws a scenario's pathway (DOT from Boost.Graph, SVG through Graphviz's dot), or a finished
// run's pathway annotated with the flows and caseloads it observed.
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace frontdoor {

struct GraphOptions {
  std::string scenario;           ///< scenario file (ignored with run_dir)
  std::vector<std::string> sets;  ///< --set overrides
  std::string format = "dot";     ///< "dot" or "svg"
  std::string out;                ///< file to write; empty: stdout
  std::string run_dir;            ///< a finished run to annotate
  bool force = false;             ///< replace an existing `out`
};

/// Returns the exit code: 0, 1 (Graphviz failed or is missing) or 2 (bad input).
int command_graph(const GraphOptions& options);

}  // namespace frontdoor
