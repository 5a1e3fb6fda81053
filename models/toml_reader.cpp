#include "models/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "models/input_file.hpp"
#include "models/scenario_loader.hpp"

namespace frontdoor::loader {

std::string format_number(double value) {
  std::ostringstream out;
  out.precision(12);
  out << value;
  return out.str();
}

std::string describe_node(const toml::node& node) {
  std::ostringstream out;
  switch (node.type()) {
    case toml::node_type::string:
      out << "the text \"" << node.as_string()->get() << "\"";
      break;
    case toml::node_type::integer:
      out << "the whole number " << node.as_integer()->get();
      break;
    case toml::node_type::floating_point:
      out << "the number " << format_number(node.as_floating_point()->get());
      break;
    case toml::node_type::boolean:
      out << (node.as_boolean()->get() ? "true" : "false");
      break;
    case toml::node_type::table:
      out << "a table";
      break;
    case toml::node_type::array:
      out << "an array";
      break;
    default:
      out << "a date or time";
  }
  return out.str();
}

std::string join_key(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

const Override* LoadContext::override_for(const std::string& key) const {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if (it->key == key || it->key.rfind(key + ".", 0) == 0 || key.rfind(it->key + ".", 0) == 0 ||
        key.rfind(it->key + "[", 0) == 0) {
      return &*it;
    }
  }
  return nullptr;
}

std::string LoadContext::where(const toml::node* node, const std::string& key) const {
  if (node != nullptr && node->source().begin.line > 0) {
    const std::string& in = node->source().path ? *node->source().path : file;
    if (in.rfind("--set ", 0) == 0) return in;  // a value an override wrote (see apply_override)
    return in + ":" + std::to_string(node->source().begin.line);
  }
  if (const Override* o = override_for(key)) return set_text(*o);
  return file;
}

void LoadContext::problem(const toml::node* node, const std::string& key, const std::string& message) {
  problems.push_back(where(node, key) + ": " + (key.empty() ? "" : key + ": ") + message);
}

TableReader::TableReader(LoadContext& ctx, const toml::table* table, std::string prefix)
    : ctx_(ctx), table_(table), prefix_(std::move(prefix)) {
  std::size_t start = 0;
  while (start < prefix_.size()) {
    const std::size_t dot = std::min(prefix_.find('.', start), prefix_.size());
    const std::string part = prefix_.substr(start, dot - start);
    path_.push_back(part.substr(0, part.find('[')));
    start = dot + 1;
  }
}

TableReader TableReader::element(std::string_view key, std::size_t index, const toml::table* element) {
  TableReader reader(ctx_, element, join_key(prefix_, key) + "[" + std::to_string(index) + "]");
  reader.path_ = path_;
  reader.path_.emplace_back(key);
  return reader;
}

const ParameterSpec& TableReader::spec(std::string_view key, const ReadOptions& options, ParameterType type) const {
  const std::string full = join_key(prefix_, key);
  std::vector<std::string> path = path_;
  path.emplace_back(key);
  const ParameterSpec* p = find_parameter(path, options.variant);
  if (p == nullptr) {
    throw std::logic_error("the parameter schema has no key " + full +
                           (options.variant.empty() ? "" : " for " + std::string(options.variant)));
  }
  if (p->type != type) throw std::logic_error("the parameter schema gives " + full + " another type");
  if (!p->hi_text.empty() && !options.hi) throw std::logic_error(full + ": its reader must give its upper bound");
  return *p;
}

double TableReader::number(std::string_view key, const ReadOptions& options) {
  const ParameterSpec& p = spec(key, options, ParameterType::number);
  const double fallback = options.fallback.value_or(p.fallback);
  const double lo = p.lo;
  const double hi = options.hi.value_or(p.hi);
  const bool lo_open = options.lo_open.value_or(p.lo_open);
  const std::string unit(p.unit);
  const std::string full = join_key(prefix_, key);
  const toml::node* node = take(key);
  if (node == nullptr)
    return record_default(full, format_number(fallback), unit, range_text(lo, hi, lo_open), fallback);
  double value = 0.0;
  if (auto i = node->as_integer()) {
    value = static_cast<double>(i->get());
  } else if (auto f = node->as_floating_point()) {
    value = f->get();
  } else {
    ctx_.problem(node, full, "expected a number (" + unit + "), got " + describe_node(*node));
    return fallback;
  }
  if (!std::isfinite(value) || value < lo || value > hi || (lo_open && value == lo)) {
    ctx_.problem(node, full,
                 format_number(value) + " is out of range: must be in " + range_text(lo, hi, lo_open) + " " + unit);
    return fallback;
  }
  record(full, format_number(value), unit, range_text(lo, hi, lo_open), ctx_.where(node, full));
  return value;
}

int TableReader::integer(std::string_view key, const ReadOptions& options) {
  const ParameterSpec& p = spec(key, options, ParameterType::whole_number);
  const int fallback = static_cast<int>(options.fallback.value_or(p.fallback));
  const auto lo = static_cast<std::int64_t>(p.lo);
  const auto hi = static_cast<std::int64_t>(options.hi.value_or(p.hi));
  const std::string unit(p.unit);
  const std::string full = join_key(prefix_, key);
  const toml::node* node = take(key);
  const std::string range = range_text(static_cast<double>(lo), static_cast<double>(hi), false);
  if (node == nullptr) return static_cast<int>(record_default(full, std::to_string(fallback), unit, range, fallback));
  std::int64_t value = 0;
  if (auto i = node->as_integer()) {
    value = i->get();
  } else if (auto f = node->as_floating_point(); f && std::floor(f->get()) == f->get() && std::abs(f->get()) < 1e15) {
    value = static_cast<std::int64_t>(f->get());
  } else {
    ctx_.problem(node, full, "expected a whole number (" + unit + "), got " + describe_node(*node));
    return fallback;
  }
  if (value < lo || value > hi) {
    ctx_.problem(node, full, std::to_string(value) + " is out of range: must be in " + range + " " + unit);
    return fallback;
  }
  record(full, std::to_string(value), unit, range, ctx_.where(node, full));
  return static_cast<int>(value);
}

bool TableReader::boolean(std::string_view key, const ReadOptions& options) {
  const ParameterSpec& p = spec(key, options, ParameterType::boolean);
  const bool fallback = options.fallback.value_or(p.fallback) != 0.0;
  const std::string full = join_key(prefix_, key);
  const toml::node* node = take(key);
  if (node == nullptr) {
    record(full, fallback ? "true" : "false", "", "true or false", "default");
    return fallback;
  }
  auto b = node->as_boolean();
  if (!b) {
    ctx_.problem(node, full, "expected true or false, got " + describe_node(*node));
    return fallback;
  }
  record(full, b->get() ? "true" : "false", "", "true or false", ctx_.where(node, full));
  return b->get();
}

std::string TableReader::text(std::string_view key, const ReadOptions& options) {
  const ParameterSpec& p = spec(key, options, ParameterType::text);
  const std::string fallback = options.fallback_text.value_or(std::string(p.fallback_text));
  const bool required = p.required;
  const std::string choices(p.choices);
  std::vector<std::string> allowed;
  for (std::size_t start = 0; start < choices.size();) {
    const std::size_t comma = std::min(choices.find(", ", start), choices.size());
    allowed.push_back(choices.substr(start, comma - start));
    start = comma + 2;
  }
  const std::string full = join_key(prefix_, key);
  const toml::node* node = take(key);
  if (node == nullptr) {
    if (required) {
      ctx_.problem(table_, full, "is required but missing");
      return fallback;
    }
    record(full, fallback, "", choices.empty() ? "" : "one of " + choices, "default");
    return fallback;
  }
  auto s = node->as_string();
  if (!s) {
    ctx_.problem(node, full, "expected text, got " + describe_node(*node));
    return fallback;
  }
  const std::string value = s->get();
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    ctx_.problem(node, full, "\"" + value + "\" is not allowed: use one of " + choices);
    return fallback;
  }
  if (required && value.empty()) ctx_.problem(node, full, "must not be empty");
  record(full, value, "", choices.empty() ? "" : "one of " + choices, ctx_.where(node, full));
  return value;
}

TableReader TableReader::table(std::string_view key) {
  const std::string full = join_key(prefix_, key);
  const toml::node* node = take(key);
  const toml::table* inner = nullptr;
  if (node != nullptr && !node->is_table()) {
    ctx_.problem(node, full, "expected a table, got " + describe_node(*node));
  } else if (node != nullptr) {
    inner = node->as_table();
  }
  TableReader reader(ctx_, inner, "");
  reader.prefix_ = full;
  reader.path_ = path_;
  reader.path_.emplace_back(key);
  return reader;
}

const toml::array* TableReader::array(std::string_view key) {
  const std::string full = join_key(prefix_, key);
  const toml::node* node = take(key);
  if (node == nullptr) return nullptr;
  if (!node->is_array()) {
    ctx_.problem(node, full, "expected an array, got " + describe_node(*node));
    return nullptr;
  }
  return node->as_array();
}

std::vector<std::string> TableReader::keys() const {
  std::vector<std::string> names;
  if (table_ != nullptr) {
    for (const auto& [k, v] : *table_) names.emplace_back(k.str());
  }
  return names;
}

void TableReader::finish() {
  if (table_ == nullptr) return;
  for (const auto& [k, v] : *table_) {
    if (used_.count(std::string(k.str())) == 0) {
      const std::string full = join_key(prefix_, k.str());
      ctx_.problem(&v, full, "unknown key");
    }
  }
}

const toml::node* TableReader::take(std::string_view key) {
  used_.insert(std::string(key));
  return table_ == nullptr ? nullptr : table_->get(key);
}

double TableReader::record_default(const std::string& key, const std::string& value, const std::string& unit,
                                   const std::string& range, double fallback) {
  record(key, value, unit, range, "default");
  return fallback;
}

std::array<double, need_levels> TableReader::need_levels_array(std::string_view key, const ReadOptions& options) {
  return five_numbers(key, options, ParameterType::per_need_level, {}, "need levels 0 to 4");
}

AgeBands TableReader::age_bands_array(std::string_view key, const ReadOptions& options,
                                      std::optional<AgeBands> fallback) {
  const ParameterSpec& p = spec(key, options, ParameterType::per_age_band);
  const AgeBands absent = fallback.value_or(AgeBands{p.fallback, p.fallback, p.fallback, p.fallback, p.fallback});
  return five_numbers(key, options, ParameterType::per_age_band, absent,
                      "age bands under 1, 1-4, 5-9, 10-15 and 16-17");
}

std::array<double, 5> TableReader::five_numbers(std::string_view key, const ReadOptions& options, ParameterType type,
                                                const std::array<double, 5>& absent, const char* what) {
  const ParameterSpec& p = spec(key, options, type);
  const double lo = p.lo;
  const double hi = options.hi.value_or(p.hi);
  const std::string unit(p.unit);
  const bool required = p.required;
  std::array<double, 5> out = absent;
  const std::string full = join_key(prefix_, key);
  const toml::array* list = array(key);
  if (list == nullptr) {
    if (required && present()) {
      ctx_.problem(table_, full,
                   std::string("is required but missing: one number per ") +
                       (type == ParameterType::per_need_level ? "need level 0 to 4" : "age band"));
    }
    return out;
  }
  if (list->size() != 5) {
    ctx_.problem(list, full, std::string("expected 5 numbers (") + what + "), got " + std::to_string(list->size()));
    return out;
  }
  for (int k = 0; k < 5; ++k) {
    const toml::node* node = list->get(static_cast<std::size_t>(k));
    const std::string item = full + "[" + std::to_string(k) + "]";
    std::optional<double> value;
    if (auto i = node->as_integer()) value = static_cast<double>(i->get());
    if (auto f = node->as_floating_point()) value = f->get();
    if (!value) {
      ctx_.problem(node, item, "expected a number (" + unit + "), got " + describe_node(*node));
    } else if (!std::isfinite(*value) || *value < lo || *value > hi) {
      ctx_.problem(node, item,
                   format_number(*value) + " is out of range: must be in [" + format_number(lo) + ", " +
                       format_number(hi) + "] " + unit);
    } else {
      out[k] = *value;
    }
  }
  std::string text = "[";
  for (double v : out) {
    if (text.size() > 1) text += ", ";
    text += format_number(v);
  }
  text += "]";
  record(full, text, unit, range_text(lo, hi, false) + " each", ctx_.where(list, full));
  return out;
}

// Only regular files, and only up to a size no scenario comes near: a FIFO, a device (/dev/zero) or a directory
// named as a scenario, a base or an include is an error, never a hang or an endless read.
std::string read_whole_file(const std::string& path, const std::string& what) {
  try {
    return read_input_file(path, what, largest_scenario_file);
  } catch (const InputFileError& e) {
    throw ScenarioError({e.what()});
  }
}

toml::table parse_toml(const std::string& text, const std::string& display_name) {
  try {
    return toml::parse(text, display_name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError({display_name + ":" + std::to_string(e.source().begin.line) + ":" +
                         std::to_string(e.source().begin.column) +
                         ": TOML syntax error: " + std::string(e.description())});
  }
}

}  // namespace frontdoor::loader
