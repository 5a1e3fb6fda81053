#include "cli/graph_command.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "analysis/run_scenario.hpp"
#include "models/measures.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

int fail(int code, const std::string& message) {
  std::cerr << "frontdoor: error: " << message << "\n";
  return code;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// Renders DOT to SVG with Graphviz's dot, through temporary files.
std::string render_svg(const std::string& dot_text) {
  const fs::path dir = fs::temp_directory_path();
  const fs::path input = dir / ("frontdoor-graph-" + std::to_string(getpid()) + ".dot");
  const fs::path output = dir / ("frontdoor-graph-" + std::to_string(getpid()) + ".svg");
  write_file_atomically(input, dot_text);
  std::string in_arg = input.string(), out_arg = "-o" + output.string(), format = "-Tsvg", program = "dot";
  char* argv[] = {program.data(), format.data(), out_arg.data(), in_arg.data(), nullptr};
  pid_t pid = 0;
  int status = 0;
  const int spawned = posix_spawnp(&pid, "dot", nullptr, nullptr, argv, environ);
  if (spawned == 0) waitpid(pid, &status, 0);
  fs::remove(input);
  if (spawned != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
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
    if (!on_path("dot")) {
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
