#pragma once
// Writing a composed scenario document back as one TOML text: keys in declaration order (file by file in the order
// they were merged, then by line), which fixes the order of services and routes and so each replication's random
// streams; the name, version and description first; numbers in their shortest exact form.
#include <toml++/toml.h>

#include <ostream>
#include <string>
#include <vector>

namespace frontdoor::loader {

/// Writes `root` as TOML. `file_order` ranks the files its nodes came from (a node from a file not listed, or
/// with no line, such as one set by an override, comes after every file's).
void write_scenario_toml(std::ostream& out, const toml::table& root, const std::vector<std::string>& file_order);

}  // namespace frontdoor::loader
