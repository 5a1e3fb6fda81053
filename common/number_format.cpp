#include "common/number_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace frontdoor {

std::string format_double(double value) {
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

std::string format_output(double value) {
  if (value == 0.0 || !std::isfinite(value)) return value == 0.0 ? "0" : format_double(value);
  constexpr int significant = 12;
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
  const int decimals = std::clamp(significant - 1 - magnitude, 0, 330);
  char buffer[400];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals).ptr;
  std::string text(buffer, end);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") return "0";
  return text;
}

}  // namespace frontdoor
