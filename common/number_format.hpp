#pragma once
// Numbers as frontdoor's output files write them.
#include <string>

namespace frontdoor {

/// Shortest text that reads back as exactly `value` ("nan" never appears: callers skip non-finite values).
std::string format_double(double value);

}  // namespace frontdoor
