// Hex text as smmu-plan prints it: "0x" and lower-case digits.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace smmu {

// At least `min_digits` digits, zero padded: hex(0x10de, 4) == "0x10de".
inline std::string hex(uint64_t value, int min_digits = 1) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llx", min_digits, static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace smmu
