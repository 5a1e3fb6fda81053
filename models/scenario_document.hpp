#pragma once
// Composing a scenario's TOML document before it is read: its base scenario (`base = "file"`, recursively), its
// included files (`include = [...]`), then the `--set` overrides, and for flattening, appended text. Every node
// keeps the file and line it came from, so that messages about the composed document still point at the right
// place.
#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "models/toml_reader.hpp"

namespace frontdoor::loader {

/// A scenario's text with its base and included files resolved and its overrides applied.
struct ScenarioDocument {
  toml::table root;
  std::vector<std::string> includes;  ///< base and included files, in the order they were merged
  std::uint64_t hash = 0;             ///< FNV-1a 64 of the scenario's bytes and of every file merged in
};

/// Composes the scenario `text` (named `display_name`, which locates its base and included files): base and
/// includes merged, each `thresholds` table's order recorded, then `overrides` applied in order. Sets ctx.file,
/// ctx.overrides and ctx.file_order; problems with an override are left in ctx.problems. Throws ScenarioError for
/// problems with the files themselves (unreadable, bad syntax, a key not in the base, an include cycle).
ScenarioDocument compose_scenario(const std::string& text, const std::string& display_name,
                                  const std::vector<Override>& overrides, LoadContext& ctx);

/// Sets the dotted `key` of the document to `value`, creating tables along the path as needed. Returns an empty
/// string, or why it cannot.
std::string set_dotted(toml::table& root, const std::string& key, const toml::node& value);

/// Multiplies (`edit` multiply) or adds to (`edit` add) the number, or each number of the list, at the dotted `key`
/// by `amount` (a number, or a list of as many numbers, element by element); a key the document does not hold
/// starts from its schema default. A whole-number key is rounded to the nearest. The new value is read as if
/// written where `amount` was (a --set's text, or a file's line), so that messages about it point there. Returns
/// an empty string, or why it cannot.
std::string edit_dotted(toml::table& root, const std::string& key, Edit edit, const toml::node& amount,
                        const toml::source_region& source);

/// Moves every key of `from` into `into`; tables present in both are merged key by key, and for anything else
/// `from` wins. Moving keeps each node's source file and line.
void merge_into(toml::table& into, toml::table& from);

/// [[change]] tables in `extra` join `into`'s own timeline (both kept, ordered by first year, `into`'s first within
/// a year) and leave `extra`. A policy's timeline adds to its base's; trainer mode's appended changes to the
/// scenario's.
void join_changes(toml::table& into, toml::table& extra);

/// Merges `appended` (TOML text) over the document: its keys replace the document's, except its [[change]]
/// tables, which join the document's own in order of their from_year. Throws ScenarioError on a syntax error.
void merge_appended(toml::table& root, const std::string& appended);

/// Leaves out every [[change]] that would start after the document's last simulated year.
void drop_changes_after_run(toml::table& root);

}  // namespace frontdoor::loader
