#pragma once
// The child-level records of one replication, for the statutory returns (models/returns.hpp). The results of a
// run keep no child-level detail (it costs memory), so `--returns` runs the chosen replication once more, with
// the same scenario and seed, in a forked process of its own (one engine per process), which records what every
// child went through and hands it back as JSON Lines through a scratch file. Recording draws no random numbers:
// the records describe the very replication whose results the run wrote.
#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include "models/child_records.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

/// Runs replication `replication` (0-based) of `scenario` with base seed `base_seed` (its seed is
/// replication_seed(base_seed, replication), as in the run) in a forked child process and returns its records.
/// `scratch` must exist and be writable; the file it leaves there is removed. Throws RunError (sim/runner.hpp)
/// with the child's message if the simulation fails.
ChildRecords record_replication(const Scenario& scenario, std::uint64_t base_seed, int replication,
                                const std::vector<std::string>& engine_args, const std::filesystem::path& scratch);

/// The records as JSON Lines: one JSON array per child, spell, placement and contact, tagged by its first element
/// ("child", "spell", "placement", "contact"); days are numbers, an end or allocation not yet come is null.
std::string child_records_jsonl(const ChildRecords& records);
/// Reads child_records_jsonl's text back. Throws std::runtime_error naming the line of anything malformed.
ChildRecords child_records_from_jsonl(const std::string& text);
/// The same, reading line by line from `in`.
ChildRecords child_records_from_jsonl(std::istream& in);

}  // namespace frontdoor
