#pragma once
// UTF-8 checking for text that comes from outside (command-line arguments, --set values, file names): every
// output format frontdoor writes (CSV, JSON, HTML) is UTF-8, so bad bytes are refused where they come in.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace frontdoor {

/// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates and code
/// points above U+10FFFF are not), or nothing when `text` is valid.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
    }
    i += length;
  }
  return std::nullopt;
}

/// "byte 0xE9 at position 4": where and what the first bad byte is (positions count from 1), for messages.
inline std::string describe_invalid_utf8(std::string_view text, std::size_t at) {
  static const char* digits = "0123456789ABCDEF";
  const auto b = static_cast<unsigned char>(text[at]);
  return std::string("byte 0x") + digits[b >> 4] + digits[b & 15] + " at position " + std::to_string(at + 1);
}

}  // namespace frontdoor
