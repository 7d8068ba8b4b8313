#include "hostprobe/iommufd_query.h"

#include <sys/ioctl.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace smmu {
namespace {

// The uapi structs, copied from the kernel headers (Debian 12's
// linux-libc-dev 6.1 has no linux/iommufd.h). Natural alignment leaves no
// padding in any of them, so packing changes nothing but makes that explicit.
#pragma pack(push, 1)

// include/uapi/linux/vfio.h, struct vfio_device_bind_iommufd (Linux 6.6;
// 6.17 appends token_uuid_ptr, used only with VFIO_DEVICE_BIND_FLAG_TOKEN:
// argsz says which form we pass).
struct VfioDeviceBindIommufd {
  uint32_t argsz;
  uint32_t flags;
  int32_t iommufd;
  uint32_t out_devid;
};
static_assert(sizeof(VfioDeviceBindIommufd) == 16);

// include/uapi/linux/iommufd.h, struct iommu_hw_info; data_type is the
// union of in_data_type (with IOMMU_HW_INFO_FLAG_INPUT_TYPE, 6.17) and
// out_data_type.
struct IommuHwInfoCmd {
  uint32_t size;
  uint32_t flags;
  uint32_t dev_id;
  uint32_t data_len;
  uint64_t data_uptr;
  uint32_t data_type;
  uint8_t out_max_pasid_log2;
  uint8_t reserved[3];
  uint64_t out_capabilities;
};
static_assert(sizeof(IommuHwInfoCmd) == 40);
static_assert(offsetof(IommuHwInfoCmd, data_uptr) == 16);
static_assert(offsetof(IommuHwInfoCmd, data_type) == 24);
static_assert(offsetof(IommuHwInfoCmd, out_capabilities) == 32);

// include/uapi/linux/iommufd.h, struct iommu_hw_info_arm_smmuv3.
struct ArmSmmuv3Info {
  uint32_t flags;
  uint32_t reserved;
  uint32_t idr[6];
  uint32_t iidr;
  uint32_t aidr;
};
static_assert(sizeof(ArmSmmuv3Info) == 40);

// include/uapi/linux/iommufd.h, struct iommu_hw_info_tegra241_cmdqv.
struct Tegra241CmdqvInfo {
  uint32_t flags;
  uint8_t version;
  uint8_t log2vcmdqs;
  uint8_t log2vsids;
  uint8_t reserved;
};
static_assert(sizeof(Tegra241CmdqvInfo) == 8);

#pragma pack(pop)

// _IO(VFIO_TYPE ';', VFIO_BASE 100 + 18) and _IO(IOMMUFD_TYPE ';',
// IOMMUFD_CMD_GET_HW_INFO 0x8a).
constexpr unsigned long kVfioDeviceBindIommufd = _IO(';', 100 + 18);
constexpr unsigned long kIommuGetHwInfo = _IO(';', 0x8a);
static_assert(kVfioDeviceBindIommufd == 0x3b76 && kIommuGetHwInfo == 0x3b8a);
constexpr uint32_t kHwInfoFlagInputType = 1;  // IOMMU_HW_INFO_FLAG_INPUT_TYPE

constexpr const char* kOldKernel =
    "the kernel is too old for SMMUv3 nesting through iommufd (needs Linux >= 6.13)";

}  // namespace

std::string hw_info_failure(HwInfoStep step, int err, std::string_view device) {
  const std::string dev(device);
  const std::string why = std::strerror(err);
  switch (step) {
    case HwInfoStep::OpenDevice:
      if (err == EACCES || err == EPERM) return "permission denied opening " + dev + " (run as root)";
      if (err == ENOENT || err == ENXIO || err == ENODEV) {
        return "no vfio device at " + dev + " (bind the device to vfio-pci)";
      }
      return "cannot open " + dev + ": " + why;
    case HwInfoStep::OpenIommu:
      if (err == EACCES || err == EPERM) return "permission denied opening /dev/iommu (run as root)";
      if (err == ENOENT || err == ENXIO || err == ENODEV) {
        return "no /dev/iommu: this kernel has no iommufd (CONFIG_IOMMUFD, module iommufd)";
      }
      return "cannot open /dev/iommu: " + why;
    case HwInfoStep::Bind:
      if (err == ENOTTY) return dev + " cannot bind to iommufd: " + kOldKernel;
      if (err == EBUSY || err == EINVAL) {
        return dev + " cannot bind to iommufd: " + why + " (is it in use, e.g. by a running VM?)";
      }
      // A host driver holds DMA on another device of its IOMMU group
      // (docs/live-host.md, vfio, groups and SR-IOV in the host guest).
      if (err == EPERM) {
        return dev + " cannot bind to iommufd: " + why +
               " (a host driver uses another device of its IOMMU group; bind the whole group to vfio-pci)";
      }
      return dev + " cannot bind to iommufd: " + why;
    case HwInfoStep::GetHwInfo:
      if (err == ENOTTY || err == EOPNOTSUPP) return std::string("IOMMU_GET_HW_INFO: ") + kOldKernel;
      return "IOMMU_GET_HW_INFO for " + dev + ": " + why;
  }
  return why;
}

HwInfoAnswer query_hw_info(int device_fd, int iommu_fd, std::string_view device) {
  VfioDeviceBindIommufd bind{sizeof(VfioDeviceBindIommufd), 0, iommu_fd, 0};
  if (::ioctl(device_fd, kVfioDeviceBindIommufd, &bind) != 0) {
    return HwInfoAnswer::none(hw_info_failure(HwInfoStep::Bind, errno, device));
  }
  ArmSmmuv3Info regs{};
  IommuHwInfoCmd cmd{};
  cmd.size = sizeof cmd;
  cmd.dev_id = bind.out_devid;
  cmd.data_len = sizeof regs;
  cmd.data_uptr = reinterpret_cast<uintptr_t>(&regs);
  if (::ioctl(iommu_fd, kIommuGetHwInfo, &cmd) != 0) {
    return HwInfoAnswer::none(hw_info_failure(HwInfoStep::GetHwInfo, errno, device));
  }
  IommuHwInfo info;
  info.type = cmd.data_type;
  for (size_t i = 0; i < info.idr.size(); ++i) info.idr[i] = regs.idr[i];
  info.iidr = regs.iidr;
  info.aidr = regs.aidr;

  // The default answer is always the ARM SMMUv3 one; the CMDQV data must be
  // asked for by type. Kernels before 6.17, and SMMUs without CMDQV, refuse
  // (EOPNOTSUPP): then QEMU cannot use CMDQV either.
  Tegra241CmdqvInfo cmdqv{};
  IommuHwInfoCmd ask{};
  ask.size = sizeof ask;
  ask.flags = kHwInfoFlagInputType;
  ask.dev_id = bind.out_devid;
  ask.data_len = sizeof cmdqv;
  ask.data_uptr = reinterpret_cast<uintptr_t>(&cmdqv);
  ask.data_type = kHwInfoTypeTegra241Cmdqv;
  if (::ioctl(iommu_fd, kIommuGetHwInfo, &ask) == 0 && ask.data_type == kHwInfoTypeTegra241Cmdqv) {
    info.cmdqv = CmdqvInfo{cmdqv.version, cmdqv.log2vcmdqs, cmdqv.log2vsids};
  }
  return {info, {}};
}

}  // namespace smmu
