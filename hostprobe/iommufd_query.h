// Reads a physical SMMUv3's registers the way QEMU does: bind a vfio device
// (its /dev/vfio/devices/vfioN cdev) to an iommufd (/dev/iommu), then
// IOMMU_GET_HW_INFO for it, once for the default type and once asking for
// the Tegra241 CMDQV type. Closing the device fd undoes the bind.
//
// Every failure is a reason string, never an error: a host where the
// ioctls cannot run (no permission, no iommufd, an old kernel, a device in
// use) still has a valid inventory.
#pragma once

#include <string>
#include <string_view>

#include "hostprobe/hw_info.h"

namespace smmu {

enum class HwInfoStep { OpenDevice, OpenIommu, Bind, GetHwInfo };

// Why `step` failed with `err`, one line naming `device` (the cdev as the
// user knows it) and what to do about it.
std::string hw_info_failure(HwInfoStep step, int err, std::string_view device);

// With the vfio cdev and /dev/iommu open (read-write).
HwInfoAnswer query_hw_info(int device_fd, int iommu_fd, std::string_view device);

}  // namespace smmu
