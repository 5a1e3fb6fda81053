#pragma once
// Running another program (Graphviz's dot, Chromium) from a command: found on PATH, waited for, and stopped with
// the command (a stop signal ends the program's whole process group, then unwinds as Stopped).
#include <string>
#include <vector>

namespace frontdoor {

/// The full path of the first `program` on PATH that can be executed, or "" when there is none.
std::string find_on_path(const std::string& program);

/// Runs `argv` (argv[0] a path) with `env_extra` ("NAME=value") added to this process's environment, its output
/// and errors sent to /dev/null, in a process group of its own, and waits for it. Returns true if it exited with 0.
/// A stop signal while it runs ends its process group and throws Stopped.
bool run_program(const std::vector<std::string>& argv, const std::vector<std::string>& env_extra = {});

}  // namespace frontdoor
