// What the probe found on a host: its SMMUv3 instances and PCI devices.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bdf.h"
#include "hostprobe/smmu_caps.h"

namespace smmu {

struct HostSmmu {
  std::string name;    // "smmu3.0x0000000016000000", the sysfs class name
  uint64_t base = 0;   // MMIO base, from the name
  int numa_node = -1;  // of its platform device; -1 when the kernel does not know
  std::optional<SmmuCaps> caps;    // read through IOMMU_GET_HW_INFO
  std::string caps_unavailable;    // why there are no caps, when there are none
  std::optional<Bdf> caps_device;  // the vfio device they were (to be) read through
};

struct PciBar {
  int index = 0;       // 0..5
  uint64_t size = 0;   // bytes
  bool is_64bit = false;
  bool prefetchable = false;
};

struct PciDevice {
  Bdf bdf;
  uint16_t vendor = 0, device = 0;
  uint32_t class_code = 0;  // 24 bits: base class, subclass, prog-if
  int numa_node = -1;
  std::optional<std::string> driver;
  std::optional<int> iommu_group;
  std::optional<std::string> iommu;    // the IOMMU instance its `iommu` link names
  std::optional<size_t> smmu;          // index into Inventory::smmus when that is an SMMUv3
  std::optional<std::string> vfio;     // "vfio3": the vfio cdev, when bound to vfio
  bool vfio_node_present = false;      // /dev/vfio/devices/<vfio> exists
  std::optional<Bdf> physfn;           // SR-IOV VF: its PF
  std::vector<Bdf> virtfns;            // SR-IOV PF: its VFs, by virtfn index
  int sriov_totalvfs = -1, sriov_numvfs = -1;  // -1: not an SR-IOV PF
  std::vector<PciBar> bars;            // the BARs in use
  bool assignable = false;
  std::string reason;                  // why not, when not assignable

  bool is_bridge() const;
};

struct Inventory {
  std::vector<HostSmmu> smmus;     // sorted by base
  std::vector<PciDevice> devices;  // sorted by BDF
  std::string iort_note;           // how the host IORT cross-check went, one line

  const PciDevice* find(const Bdf& bdf) const;
};

}  // namespace smmu
