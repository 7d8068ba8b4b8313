// The name Linux gives an SMMUv3's IOMMU device: "smmu3.0x" and its MMIO base
// in 16 hex digits, "smmu3.0x0000000012000000" (docs/linux-host.md). Hosts
// and guests are named alike; one formatter for both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/text_format.h"

namespace smmu {

inline constexpr std::string_view kSmmuNamePrefix = "smmu3.0x";

inline std::string smmu_device_name(uint64_t base) {
  return text_format("smmu3.0x%016llx", static_cast<unsigned long long>(base));
}

}  // namespace smmu
