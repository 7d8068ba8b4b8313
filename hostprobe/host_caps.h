// Each host SMMUv3's capabilities, read through one vfio device behind it
// (HostTree::iommu_hw_info) and decoded (hostprobe/smmu_caps.h).
#pragma once

#include "common/result.h"
#include "hostprobe/host_tree.h"
#include "hostprobe/inventory.h"

namespace smmu {

// Fills HostSmmu::caps, or caps_unavailable with the reason, for every SMMU
// of a probed inventory. It reads through the first assignable device behind
// the SMMU (by BDF), else the first other vfio-bound one: the kernel will not
// bind a device whose IOMMU group has a member on a kernel driver. Opening a
// vfio device may reset it; a device in use answers "busy". Only a malformed
// recorded answer is an error.
Status read_smmu_caps(const HostTree& tree, Inventory& inv);

}  // namespace smmu
