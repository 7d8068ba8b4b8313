// Builds small hosts in a MemoryTree for unit tests, laid out as sysfs lays
// them out (links absolute from the root, which the seam confines).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hostprobe/inventory.h"
#include "tests/memory_tree.h"

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

// One device of every kind selection and explain tell apart, probed. SMMUs
// 0x12000000 (node 0) and 0x16000000 (node 1); by BDF:
//   0002:00:00.0  root port 10de:22b2        0x12000000  (bridge)
//   0002:01:00.0  NIC 15b3:101e class 020000 0x12000000  vfio
//   0002:01:00.1  NIC 15b3:101e class 020000 0x12000000  vfio
//   0003:01:00.0  NIC 15b3:101e class 020000 0x16000000  vfio, node unknown (-1)
//   0006:01:00.0  NVMe 144d:a80a class 010802 0x12000000 on nvme
//   0008:01:00.0  GPU 10de:2941 class 030200 0x12000000  vfio
//   0009:01:00.0  GPU 10de:2342 class 030200 0x16000000  vfio, node 1
//   000a:01:00.0  NIC 15b3:101e class 020000, no IOMMU, no driver
Inventory mixed_host();

}  // namespace smmu::test
