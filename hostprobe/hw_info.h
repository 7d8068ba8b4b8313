// What IOMMU_GET_HW_INFO answers for a vfio device: the raw registers of the
// physical SMMUv3 behind it, as the kernel copies them out
// (include/uapi/linux/iommufd.h, struct iommu_hw_info_arm_smmuv3 and
// struct iommu_hw_info_tegra241_cmdqv). Decoding is hostprobe/smmu_caps.h.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace smmu {

// enum iommu_hw_info_type
constexpr uint32_t kHwInfoTypeArmSmmuv3 = 2;
constexpr uint32_t kHwInfoTypeTegra241Cmdqv = 3;

// The NVIDIA Tegra241 CMDQ-Virtualization extension's answer, present only
// when the kernel gave one for an explicit request of that type.
struct CmdqvInfo {
  uint8_t version = 0;
  uint8_t log2vcmdqs = 0;
  uint8_t log2vsids = 0;
  bool operator==(const CmdqvInfo&) const = default;
};

struct IommuHwInfo {
  uint32_t type = 0;                 // out_data_type of the default request
  std::array<uint32_t, 6> idr{};     // SMMU_IDR0..5
  uint32_t iidr = 0, aidr = 0;       // SMMU_IIDR, SMMU_AIDR
  std::optional<CmdqvInfo> cmdqv;
  bool operator==(const IommuHwInfo&) const = default;
};

// An answer, or why there is none (no permission, no /dev/iommu, an old
// kernel, the device busy): a host that cannot answer is not a broken tree.
struct HwInfoAnswer {
  std::optional<IommuHwInfo> info;
  std::string unavailable;  // the reason when !info, one line

  static HwInfoAnswer none(std::string reason) { return {std::nullopt, std::move(reason)}; }
};

}  // namespace smmu
