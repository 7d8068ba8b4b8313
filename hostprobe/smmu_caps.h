// What a physical SMMUv3's ID registers say about the vSMMU QEMU can put in
// front of it (arm-smmuv3,accel=on: ats, ril, ssidsize, oas, cmdqv), as a
// pure function of the registers IOMMU_GET_HW_INFO returns.
//
// Fields: Arm IHI 0070 (SMMUv3 architecture), SMMU_IDR0, IDR1, IDR3, IDR5 and
// SMMU_AIDR; the kernel copies them raw (include/uapi/linux/iommufd.h, struct
// iommu_hw_info_arm_smmuv3). docs/iommufd.md, SMMUv3 ID registers, lists the bits.
#pragma once

#include <optional>

#include "hostprobe/hw_info.h"

namespace smmu {

struct SmmuCaps {
  unsigned arch_minor = 0;      // AIDR ArchMinorRev: SMMUv3.<arch_minor>
  bool s1p = false, s2p = false;  // IDR0 S1P, S2P: stage 1 / stage 2 translation
  bool ats = false;             // IDR0 ATS: PCIe ATS (device TLBs)
  bool ril = false;             // IDR3 RIL: range invalidation
  unsigned sidsize = 0;         // IDR1 SIDSIZE: StreamID bits
  unsigned ssidsize = 0;        // IDR1 SSIDSIZE: SubstreamID (PASID) bits, 0..20
  unsigned oas_bits = 0;        // IDR5 OAS: output address bits, 32..52 (56)
  bool gran4k = false, gran16k = false, gran64k = false;  // IDR5 GRAN4K/16K/64K
  std::optional<CmdqvInfo> cmdqv;  // NVIDIA Tegra241 CMDQ-Virtualization

  // iommufd nests (the guest's stage 1 over the host's stage 2) only on an
  // SMMU that implements both stages.
  bool nesting() const { return s1p && s2p; }
  bool operator==(const SmmuCaps&) const = default;
};

// IDR5.OAS field value -> bits; 0..6 are 32, 36, 40, 42, 44, 48, 52 and 7
// (reserved before SMMUv3.4's 56) reads as 56.
unsigned oas_field_bits(unsigned field);

// info.type must be kHwInfoTypeArmSmmuv3 (the caller checks).
SmmuCaps decode_smmu_caps(const IommuHwInfo& info);

}  // namespace smmu
