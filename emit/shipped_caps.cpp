#include "emit/shipped_caps.h"

namespace smmu {

std::optional<std::string_view> shipped_qemu_caps(std::string_view release) {
  for (size_t i = 0; i < kShippedCapsCount; ++i) {
    if (release == kShippedCaps[i].release) return std::string_view(kShippedCaps[i].json);
  }
  return std::nullopt;
}

std::string shipped_qemu_releases() {
  std::string out;
  for (size_t i = 0; i < kShippedCapsCount; ++i) out += (i ? ", " : "") + std::string(kShippedCaps[i].release);
  return out;
}

}  // namespace smmu
