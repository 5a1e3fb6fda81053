#include "models/scenario_writer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <tuple>
#include <utility>

namespace frontdoor::loader {

namespace {

// Where a key was declared: the rank of its file in the merge order, then line and column. A table sits where its
// first declared key (or its own header) does; keys set by an override or appended text come after every file.
struct DeclaredAt {
  std::size_t rank = 0;
  std::int64_t line = 0;
  std::int64_t column = 0;
  bool operator<(const DeclaredAt& o) const {
    return std::tie(rank, line, column) < std::tie(o.rank, o.line, o.column);
  }
};

DeclaredAt declared_at(const toml::node& node, const std::vector<std::string>& file_order) {
  DeclaredAt best{file_order.size() + 1, std::numeric_limits<std::int64_t>::max(), 0};
  const auto& source = node.source();
  if (source.begin.line > 0) {
    std::size_t rank = file_order.size();
    if (source.path) {
      rank =
          static_cast<std::size_t>(std::find(file_order.begin(), file_order.end(), *source.path) - file_order.begin());
    }
    best = {rank, static_cast<std::int64_t>(source.begin.line), static_cast<std::int64_t>(source.begin.column)};
  }
  auto consider = [&](const toml::node& child) { best = std::min(best, declared_at(child, file_order)); };
  if (const auto* table = node.as_table()) {
    for (auto&& [key, child] : *table) consider(child);
  } else if (const auto* array = node.as_array()) {
    for (const auto& child : *array) consider(child);
  }
  return best;
}

std::string toml_key(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (bare) return std::string(key);
  std::ostringstream out;
  out << toml::toml_formatter{toml::value<std::string>(std::string(key))};
  return out.str();
}

// A value as TOML, numbers in their shortest exact form (toml++ writes 0.6 as 0.59999999999999998).
void write_value(std::ostream& out, const toml::node& node) {
  if (const auto* f = node.as_floating_point()) {
    const double v = f->get();
    if (!std::isfinite(v)) {
      out << toml::toml_formatter{*f};
      return;
    }
    char text[64];
    const auto end = std::to_chars(text, text + sizeof text, v).ptr;
    std::string number(text, end);
    if (number.find_first_of(".eEn") == std::string::npos) number += ".0";
    out << number;
  } else if (const auto* a = node.as_array()) {
    out << "[";
    for (std::size_t i = 0; i < a->size(); ++i) {
      out << (i ? ", " : "");
      write_value(out, *a->get(i));
    }
    out << "]";
  } else if (const auto* t = node.as_table()) {
    out << "{";
    bool first = true;
    for (auto&& [key, child] : *t) {
      out << (first ? " " : ", ") << toml_key(key.str()) << " = ";
      write_value(out, child);
      first = false;
    }
    out << (first ? "}" : " }");
  } else {
    node.visit([&](auto&& value) { out << toml::toml_formatter{value}; });
  }
}

bool is_section(const toml::node& node) {
  if (const auto* table = node.as_table()) return !table->is_inline();
  return false;
}
bool is_array_of_sections(const toml::node& node) {
  const auto* array = node.as_array();
  if (array == nullptr || array->empty()) return false;
  return std::all_of(array->begin(), array->end(), [](const toml::node& n) { return is_section(n); });
}

void write_table(std::ostream& out, const toml::table& table, const std::string& path,
                 const std::vector<std::string>& file_order) {
  std::vector<std::pair<DeclaredAt, std::string>> keys;
  for (auto&& [key, node] : table) keys.emplace_back(declared_at(node, file_order), std::string(key.str()));
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (path.empty()) {  // a scenario opens with its name, version and description
    auto rank = [](const std::string& key) {
      return key == "name" ? 0 : key == "version" ? 1 : key == "description" ? 2 : 3;
    };
    std::stable_sort(keys.begin(), keys.end(),
                     [&](const auto& a, const auto& b) { return rank(a.second) < rank(b.second); });
  }
  // Plain keys first (they belong to this table's header), a text of many lines after them (it would hide those
  // that follow: a reinvestment rule's counterfactual), then sub-tables and arrays of tables.
  auto is_long_text = [](const toml::node& node) {
    const auto* text = node.as_string();
    return text != nullptr && text->get().find('\n') != std::string::npos;
  };
  for (bool long_texts : {false, true}) {
    for (const auto& [at, key] : keys) {
      const toml::node& node = *table.get(key);
      if (is_section(node) || is_array_of_sections(node) || is_long_text(node) != long_texts) continue;
      out << toml_key(key) << " = ";
      write_value(out, node);
      out << '\n';
    }
  }
  for (const auto& [at, key] : keys) {
    const toml::node& node = *table.get(key);
    const std::string inner = path.empty() ? toml_key(key) : path + "." + toml_key(key);
    if (is_section(node)) {
      out << "\n[" << inner << "]\n";
      write_table(out, *node.as_table(), inner, file_order);
    } else if (is_array_of_sections(node)) {
      for (const auto& element : *node.as_array()) {
        out << "\n[[" << inner << "]]\n";
        write_table(out, *element.as_table(), inner, file_order);
      }
    }
  }
}

}  // namespace

void write_scenario_toml(std::ostream& out, const toml::table& root, const std::vector<std::string>& file_order) {
  write_table(out, root, "", file_order);
}

}  // namespace frontdoor::loader
