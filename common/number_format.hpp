#pragma once
// Numbers as frontdoor's output files write them.
#include <string>

namespace frontdoor {

/// Shortest text that reads back as exactly `value` ("nan" never appears: callers skip non-finite values).
std::string format_double(double value);

/// A number for a person to read in an output file (annual.csv, summary.csv, timeseries.csv): twelve significant
/// digits, never an exponent, trailing zeros dropped, "-0" as "0". Float noise goes: 29.900000000000002 (299
/// children per 100,000 as a rate per 10,000) is 29.9; 8e+06 is 8000000. Deterministic, like the simulation.
std::string format_output(double value);

}  // namespace frontdoor
