#pragma once
// The hash by which a run directory, a comparison and a sweep plan name the scenario they carry (scenario.toml):
// FNV-1a 64 of the file's bytes, written "fnv1a64:" and 16 hexadecimal digits. Not a defence against anyone who
// means harm; it catches a copy edited, truncated or swapped by mistake.
#include <string>
#include <string_view>

namespace frontdoor {

/// "fnv1a64:" and the 16 lower-case hexadecimal digits of FNV-1a 64 over `bytes` (the same function as the
/// scenario's file_hash, models/scenario.hpp).
std::string content_hash(std::string_view bytes);

}  // namespace frontdoor
