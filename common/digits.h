// Numbers in text: the one home of the checks and conversions the parsers
// of sysfs values, recorded hw_info, selectors and node lists share.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smmu {

// One or more ASCII digits, nothing else (no sign, no space). Matched by
// hand: std::regex recurses per character, and a value of a few hundred
// kilobytes (well inside a domain XML's size bound) overflowed the stack.
inline bool is_decimal(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// All of `text` as a number in `base`: its digits (and a '-' for a signed
// T), nothing else, no prefix, no space; nullopt when empty, anything else,
// or out of T's range.
template <typename T>
std::optional<T> parse_digits(std::string_view text, int base = 10) {
  T out{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

// "0x…" or "0X…" with something after the prefix.
inline bool has_hex_prefix(std::string_view text) {
  return text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

// Without surrounding white space (sysfs values end in "\n").
std::string trim(std::string_view text);
// "0x10de\n" or "10de": a hex number of at most 16 digits, white space
// around it allowed; nullopt for anything else.
std::optional<uint64_t> parse_u64_hex(std::string_view text);
// "-1\n", "12": a decimal int, white space around it allowed; nullopt for
// anything else.
std::optional<int> parse_int(std::string_view text);

}  // namespace smmu
