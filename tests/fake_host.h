// Builds small hosts in a MemoryTree for unit tests, laid out as sysfs lays
// them out (links absolute from the root, which the seam confines).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hostprobe/memory_tree.h"

namespace smmu::test {

// IOMMU_GET_HW_INFO of an SMMUv3.2 with nesting, ATS, RIL, 16-bit SSIDs,
// 48-bit OAS, every granule and no CMDQV: what fake vfio cdevs answer.
HwInfoAnswer nesting_smmu_answer();

struct FakeDevice {
  std::string bdf;
  std::optional<uint64_t> smmu = 0x12000000;  // base of its SMMUv3; nullopt: no IOMMU
  std::string vendor = "0x15b3", device = "0x101e", class_code = "0x020000";
  std::optional<std::string> driver = "vfio-pci";
  std::optional<int> group;                  // default: a group of its own
  bool vfio = true;                          // has a vfio cdev
  bool dev_node = true;                      // /dev/vfio/devices/vfioN exists
  int numa_node = 0;
  std::string resource;                      // default: one 32 MiB 64-bit prefetchable BAR0
  HwInfoAnswer hw_info = nesting_smmu_answer();  // what its vfio cdev answers
};

class FakeHost {
 public:
  FakeHost& smmu(uint64_t base, std::optional<int> numa_node = 0);
  FakeHost& device(const FakeDevice& d);
  FakeHost& sriov(const std::string& pf, const std::string& vf, int index);
  static std::string smmu_name(uint64_t base);
  static std::string device_dir(const std::string& bdf);

  MemoryTree tree;

 private:
  int next_group_ = 100;
  int next_vfio_ = 0;
  int next_platform_ = 5;
};

}  // namespace smmu::test
