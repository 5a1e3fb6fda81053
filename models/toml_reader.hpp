#pragma once
// The checked TOML reader under the scenario loader: reading a file safely, parsing it with messages that name the
// file and line, and TableReader, which consumes a table key by key, checks each value's type and range, records
// it for `frontdoor validate`, and reports every key nobody asked for. Messages name the file, the line and the
// dotted key, or the `--set` that wrote the value.
#include <toml++/toml.h>

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/need.hpp"
#include "models/parameter_schema.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

class Pathway;

namespace loader {

/// A number as messages and records show it: up to 12 significant digits ("0.3", "1e+06").
std::string format_number(double value);
/// A value as messages describe it: `the text "x"`, `the whole number 3`, `a table`, ...
std::string describe_node(const toml::node& node);
/// "prefix.key", or "key" at the top.
std::string join_key(const std::string& prefix, std::string_view key);

/// Shared state of one load: where messages point and what has gone wrong so far.
struct LoadContext {
  std::string file;
  std::vector<Override> overrides;
  std::vector<std::string> problems;
  std::vector<ParameterRecord> parameters;
  std::vector<std::string> file_order;  ///< included files, then the scenario
  const Pathway* order_like = nullptr;  ///< a change's pathway keeps its scenario's order (its copy has no lines)
  /// Each `thresholds` table's decisions from the lowest threshold to the highest, as the scenario's files set
  /// them (before any --set): overrides must keep that order.
  std::map<std::string, std::vector<std::string>> threshold_ladders;
  /// Per-child values scaled to the scenario's number of children (population.scale), as "key: from -> to".
  std::vector<std::string> scaled;
  int scaled_from = 0;  ///< the number of children the scaled values were written for (0: none scaled)

  /// The override that set `key` or one of its parents/children, if any.
  const Override* override_for(const std::string& key) const;
  /// "file:line" of `node`, else the override that set `key`, else the file.
  std::string where(const toml::node* node, const std::string& key) const;
  /// Records "where: key: message".
  void problem(const toml::node* node, const std::string& key, const std::string& message);
};

/// What a reader supplies beyond the schema: which of a key's rows it means, and the parts of a row that depend on
/// the scenario (a default such as "the id", an upper bound such as "horizon - 1").
struct ReadOptions {
  std::string_view variant{};                  ///< the row's applies_to ("" for a row without one)
  std::optional<double> fallback{};            ///< replaces the row's numeric default
  std::optional<std::string> fallback_text{};  ///< replaces the row's text default
  std::optional<double> hi{};                  ///< replaces the row's upper bound
  std::optional<bool> lo_open{};               ///< replaces whether the row's lower bound is excluded
};

/// Reads one TOML table against the schema: each accessor consumes a key, checks its type and range and records
/// it; finish() reports every key nobody asked for. A reader of an absent table (present() false) returns every
/// default and records it as such.
class TableReader {
 public:
  /// A reader of `table`, whose dotted key is `prefix` ("" at the top; "change[0]" for an element of an array).
  TableReader(LoadContext& ctx, const toml::table* table, std::string prefix);

  bool present() const { return table_ != nullptr; }
  bool has(std::string_view key) const { return table_ != nullptr && table_->contains(key); }

  // Each accessor takes the key's type, unit, range and default from its row of the parameter schema
  // (parameter_schema.hpp), found from the dotted key and `options.variant`; asking for a key the schema does not
  // have, or as the wrong type, is a programming error (std::logic_error).

  /// A number in the row's range; an integer is taken as a number.
  double number(std::string_view key, const ReadOptions& options = {});
  /// A whole number in the row's range; a float with no fractional part is taken as one.
  int integer(std::string_view key, const ReadOptions& options = {});
  bool boolean(std::string_view key, const ReadOptions& options = {});
  /// A string, one of the row's choices if it has any; a required one has no default.
  std::string text(std::string_view key, const ReadOptions& options = {});
  /// An array of one number per need level (0 to 4), each in the row's range; zeros when absent.
  std::array<double, need_levels> need_levels_array(std::string_view key, const ReadOptions& options = {});
  /// An array of 5 numbers, one per DfE age band; absent: the schema's default in every band (or `fallback`).
  AgeBands age_bands_array(std::string_view key, const ReadOptions& options = {},
                           std::optional<AgeBands> fallback = std::nullopt);
  /// A sub-table (a reader of nothing if absent). Anything else under that key is a type error.
  TableReader table(std::string_view key);
  /// A reader of `element`, the index-th element of this table's array `key` (its prefix "key[index]").
  TableReader element(std::string_view key, std::size_t index, const toml::table* element);
  /// An array (nullptr if absent). Anything else under that key is a type error.
  const toml::array* array(std::string_view key);

  /// Records a value read by the caller's own code (an array, say).
  void record_external(const std::string& key, const std::string& value, const std::string& unit,
                       const std::string& range, const std::string& origin) {
    record(key, value, unit, range, origin);
  }
  /// Marks a key as read by the caller's own code.
  void consume(std::string_view key) { used_.insert(std::string(key)); }
  /// Keys present in the table, in TOML's order.
  std::vector<std::string> keys() const;
  /// Reports every key present that no accessor consumed.
  void finish();

  const std::string& prefix() const { return prefix_; }
  const toml::table* node() const { return table_; }
  LoadContext& context() { return ctx_; }

 private:
  const toml::node* take(std::string_view key);
  std::array<double, 5> five_numbers(std::string_view key, const ReadOptions& options, ParameterType type,
                                     const std::array<double, 5>& absent, const char* what);
  const ParameterSpec& spec(std::string_view key, const ReadOptions& options, ParameterType type) const;
  void record(const std::string& key, const std::string& value, const std::string& unit, const std::string& range,
              const std::string& origin) {
    ctx_.parameters.push_back(ParameterRecord{key, value, unit, range, origin});
  }
  double record_default(const std::string& key, const std::string& value, const std::string& unit,
                        const std::string& range, double fallback);

  LoadContext& ctx_;
  const toml::table* table_;
  std::string prefix_;
  std::vector<std::string> path_;  ///< prefix_'s keys, without array indices: what the schema matches
  std::set<std::string> used_;
};

/// The largest scenario, base or included file that is read: far above any real one.
constexpr std::size_t largest_scenario_file = 16u << 20;

/// The whole of `path` (`what` names it in messages); only a regular file of a sane size. Throws ScenarioError.
std::string read_whole_file(const std::string& path, const std::string& what);
/// `text` parsed as TOML, each node remembering `display_name` and its line. Throws ScenarioError naming the
/// file, line and column of a syntax error.
toml::table parse_toml(const std::string& text, const std::string& display_name);

}  // namespace loader
}  // namespace frontdoor
