// Whether text is a decimal number as ids and versions spell it. Matched by
// hand: std::regex recurses per character, and a value of a few hundred
// kilobytes (well inside a domain XML's size bound) overflowed the stack.
#pragma once

#include <algorithm>
#include <string_view>

namespace smmu {

// One or more ASCII digits, nothing else (no sign, no space).
inline bool is_decimal(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace smmu
