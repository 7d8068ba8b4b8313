#include "hostprobe/host_caps.h"

namespace smmu {
namespace {

// The vfio device to read SMMU `index` through, or null.
const PciDevice* reader_for(const Inventory& inv, size_t index) {
  const PciDevice* fallback = nullptr;
  for (const auto& d : inv.devices) {
    if (d.smmu != index || !d.vfio || !d.vfio_node_present) continue;
    if (d.assignable) return &d;
    if (!fallback) fallback = &d;
  }
  return fallback;
}

}  // namespace

Status read_smmu_caps(const HostTree& tree, Inventory& inv) {
  for (size_t i = 0; i < inv.smmus.size(); ++i) {
    HostSmmu& s = inv.smmus[i];
    const PciDevice* through = reader_for(inv, i);
    if (!through) {
      s.caps_unavailable = "no vfio-bound device behind it to read them through; bind one to vfio-pci";
      continue;
    }
    s.caps_device = through->bdf;
    SMMU_TRY(answer, tree.iommu_hw_info("dev/vfio/devices/" + *through->vfio));
    if (!answer.info) {
      s.caps_unavailable = answer.unavailable;
    } else if (answer.info->type != kHwInfoTypeArmSmmuv3) {
      s.caps_unavailable = "IOMMU_GET_HW_INFO answered type " + std::to_string(answer.info->type) +
                           ", not ARM SMMUv3 (" + std::to_string(kHwInfoTypeArmSmmuv3) + ")";
    } else {
      s.caps = decode_smmu_caps(*answer.info);
    }
  }
  return Ok{};
}

}  // namespace smmu
