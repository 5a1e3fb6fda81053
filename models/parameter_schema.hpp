#pragma once
// The parameter schema: every key a scenario may hold, in one table (parameter_schema.cpp), with its type, unit,
// valid range, default, whether a [[change]] may alter it over time, and a one-line description. The loader's
// TableReader takes each key's type, unit, range and default from it; the [[change]] timeline asks it what may
// change; `frontdoor validate --schema` prints it, and the README's parameter tables are generated from that
// output (tests/models/readme_schema_test.sh fails when they drift).
//
// Keys are patterns: a component in angle brackets stands for any one name, e.g. "service.<id>.team.fte" or
// "sources.<source>.holiday_factor"; an array's index is not part of a key ("change.from_year" covers
// change[0].from_year). Where one key means different things for different services or settings, each meaning
// has its own row, told apart by `applies_to` (e.g. team.fte of a screening_queue counts whole screeners, of a
// caseload_team FTE).
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace frontdoor {

enum class ParameterType {
  number,        ///< a number (an integer is taken as one)
  whole_number,  ///< an integer (a float with no fractional part is taken as one)
  boolean,
  text,            ///< a string; `choices` lists the allowed ones when it is not empty
  per_need_level,  ///< an array of 5 numbers, one per need level 0 to 4, each in the range
  per_age_band,    ///< an array of 5 numbers, one per DfE age band (under 1, 1-4, 5-9, 10-15, 16-17), each in the range
  list,            ///< an array read by the section's own code (its shape is in the description)
  table,           ///< a table of further keys (listed as their own rows)
  selector,        ///< a reporting selector string or a table (see the README's yearly table)
};

/// The schema's name of a type: "number", "whole number", "true/false", "text", "5 numbers", "list", "table",
/// "selector or table".
const char* type_name(ParameterType type);

/// One key of the schema.
struct ParameterSpec {
  std::string_view key{};         ///< pattern, e.g. "service.<id>.team.fte"
  std::string_view applies_to{};  ///< "" (always), or the variant this row describes (a service kind, a family)
  ParameterType type = ParameterType::number;
  std::string_view unit{};  ///< as messages and `frontdoor validate` show it
  double lo = 0.0;          ///< numbers: the range [lo, hi], or (lo, hi] when lo_open
  double hi = 0.0;
  bool lo_open = false;
  std::string_view hi_text{};        ///< when the upper bound depends on the scenario ("horizon - 1"); its reader
                                     ///< supplies the number
  double fallback = 0.0;             ///< numbers and booleans (0/1): the default
  std::string_view fallback_text{};  ///< text: the default
  std::string_view default_note{};   ///< a default that depends on the scenario, as the documentation says it
                                     ///< ("the id"); its reader supplies the value
  std::string_view choices{};        ///< text: the allowed values, ", "-separated ("" any)
  bool required = false;             ///< has no default: a missing key is an error
  bool changeable = false;           ///< a [[change]] may set it
  std::string_view description{};
};

/// Every row of the schema, grouped by section in the order `frontdoor validate --schema` prints them.
const std::vector<ParameterSpec>& parameter_schema();

/// The row for the concrete dotted `key` ("service.front_door.team.fte", "change[0].from_year") and `variant`
/// (must match the row's applies_to; "" picks the row that has none). nullptr if there is none.
const ParameterSpec* find_parameter(std::string_view key, std::string_view variant = "");
/// Same, for a key given as its components (needed when a name holds a dot: `[service."a.b"]`).
const ParameterSpec* find_parameter(const std::vector<std::string>& components, std::string_view variant = "");

/// The row for the concrete dotted `key` of a scenario whose services' kinds `kind_of` gives (by service id; empty:
/// no such service): a service's key by its service's kind where the rows differ, else the row without a variant,
/// else the first row of any variant. nullptr if the schema has no row for the key.
const ParameterSpec* find_parameter_of(std::string_view key,
                                       const std::function<std::string(std::string_view service_id)>& kind_of);

/// Whether a [[change]] may set `key` (a concrete dotted key, perhaps of a whole table such as
/// "service.front_door.thresholds"): the row for the key decides or, for a key the schema does not have, the row
/// of its nearest ancestor (so that an unknown key under a changeable table is reported as unknown when read).
bool may_change_over_time(const std::string& key);

/// A rule between keys, checked in the loader's code; listed here so that they are documented in one place.
struct CrossKeyRule {
  std::string_view keys{};
  std::string_view rule{};
};
/// Every rule between keys, in the order `frontdoor validate --schema` prints them.
const std::vector<CrossKeyRule>& cross_key_rules();

/// A range as messages and records show it: "[lo, hi]" or "(lo, hi]" (numbers formatted as format_number does).
std::string range_text(double lo, double hi, bool lo_open);

enum class SchemaFormat { markdown, csv };
/// Writes the schema (and, in Markdown, the rules between keys) for people (Markdown tables, one per section) or
/// programs (CSV with a header row).
void write_schema(std::ostream& out, SchemaFormat format);

}  // namespace frontdoor
