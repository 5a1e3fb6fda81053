#include "cli/graph_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "analysis/run_scenario.hpp"
#include "cli/external_program.hpp"
#include "models/measures.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

int fail(int code, const std::string& message) {
  std::cerr << "frontdoor: error: " << message << "\n";
  return code;
}

// Renders DOT to SVG with Graphviz's dot, through temporary files.
std::string render_svg(const std::string& dot_text) {
  const fs::path dir = fs::temp_directory_path();
  const fs::path input = dir / ("frontdoor-graph-" + std::to_string(getpid()) + ".dot");
  const fs::path output = dir / ("frontdoor-graph-" + std::to_string(getpid()) + ".svg");
  write_file_atomically(input, dot_text);
  bool drawn = false;
  try {
    drawn = run_program({find_on_path("dot"), "-Tsvg", "-o" + output.string(), input.string()});
  } catch (...) {
    fs::remove(input);
    fs::remove(output);
    throw;
  }
  fs::remove(input);
  if (!drawn) {
    fs::remove(output);
    throw std::runtime_error("Graphviz's dot failed to draw the pathway");
  }
  std::ifstream in(output);
  std::ostringstream svg;
  svg << in.rdbuf();
  fs::remove(output);
  return svg.str();
}

}  // namespace

int command_graph(const GraphOptions& options) {
  if (options.format != "dot" && options.format != "svg") return fail(2, "--format must be dot or svg");
  if (!options.out.empty() && fs::exists(options.out) && !options.force) {
    return fail(2, options.out + " already exists; choose another --out or add --force to replace it");
  }
  Scenario scenario;
  PathwayObservations observed;
  try {
    if (!options.run_dir.empty()) {
      scenario = scenario_of_run(options.run_dir);
      const auto means = read_summary_means(options.run_dir);
      auto take = [&](const std::string& measure, std::map<std::string, double>& into, const std::string& key) {
        auto it = means.find(measure);
        if (it != means.end()) into[key] = it->second;
      };
      for (const auto& route : scenario.pathway.routes()) {
        take(measure_name::flow_per_year(route.id), observed.route_flow_per_year, route.id);
      }
      for (const auto& service : scenario.pathway.services()) {
        take(measure_name::open_mean(service.id), observed.service_open_mean, service.id);
        take(measure_name::queue_mean(service.id), observed.service_waiting_mean, service.id);
      }
    } else {
      std::vector<Override> overrides;
      for (const auto& s : options.sets) overrides.push_back(parse_override(s));
      scenario = load_scenario(options.scenario, overrides);
    }
  } catch (const ScenarioError& e) {
    return fail(2, std::string("the scenario is not valid:\n") + e.what());
  } catch (const RunReadError& e) {
    return fail(2, e.what());
  } catch (const nlohmann::json::exception& e) {
    return fail(2, options.run_dir + "/manifest.json is malformed: " + e.what());
  }

  std::string text = pathway_dot(scenario.pathway, options.run_dir.empty() ? nullptr : &observed);
  if (options.format == "svg") {
    if (find_on_path("dot").empty()) {
      return fail(1,
                  "--format svg needs Graphviz's dot program, which is not on PATH: install the graphviz package "
                  "(apt-get install graphviz), or use --format dot and draw it elsewhere");
    }
    try {
      text = render_svg(text);
    } catch (const std::exception& e) {
      return fail(1, e.what());
    }
  }
  if (options.out.empty()) {
    std::cout << text;
    return 0;
  }
  try {
    write_file_atomically(options.out, text);
  } catch (const OutputError& e) {
    return fail(2, e.what());
  }
  return 0;
}

}  // namespace frontdoor
