#pragma once
// The program's exit codes (README, "Commands and options"), and the one way a command reports bad input.
#include <iostream>
#include <string>

namespace frontdoor {

inline constexpr int exit_ok = 0;
inline constexpr int exit_run_failed = 1;  ///< a simulation or a write failed; a check found a target outside
inline constexpr int exit_bad_input = 2;

/// Prints "frontdoor: error: MESSAGE" on stderr and returns exit_bad_input.
inline int bad_input(const std::string& message) {
  std::cerr << "frontdoor: error: " << message << "\n";
  return exit_bad_input;
}

}  // namespace frontdoor
