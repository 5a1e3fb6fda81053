#include "common/number_format.hpp"

#include <charconv>

namespace frontdoor {

std::string format_double(double value) {
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

}  // namespace frontdoor
