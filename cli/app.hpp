#pragma once
// The `frontdoor` program: parses the command line with CLI11 and calls the commands of this library. Exit codes:
// 0 success, 1 a simulation failed, 2 bad input (scenario, flag or output location); on exit 2 nothing is written.

namespace frontdoor {

/// The whole program, as main() runs it; returns its exit code.
int frontdoor_main(int argc, char** argv);

}  // namespace frontdoor
