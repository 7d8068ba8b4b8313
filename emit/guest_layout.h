// Where QEMU's virt machine (11.1) puts user-created arm-smmuv3 devices: on
// its platform bus, in creation order (seen in booted guests, docs/qemu.md,
// Guest layout).
// This holds when no other dynamic sysbus device is created before them.
#pragma once

#include <cstdint>

#include "planner/limits.h"

namespace smmu::guest_layout {

constexpr uint64_t kPlatformBusBase = 0x0c000000;
constexpr uint64_t kSmmuMmioStride = 0x20000;
// Platform bus interrupts start at SPI 112, GSIV 112 + 32.
constexpr uint32_t kPlatformBusFirstGsiv = 0x90;
constexpr uint32_t kGsivsPerSmmu = limits::kIrqsPerSmmu;

constexpr uint64_t smmu_base(unsigned creation_index) {
  return kPlatformBusBase + kSmmuMmioStride * creation_index;
}
constexpr uint32_t smmu_gsiv_base(unsigned creation_index) {
  return kPlatformBusFirstGsiv + kGsivsPerSmmu * creation_index;
}

}  // namespace smmu::guest_layout
