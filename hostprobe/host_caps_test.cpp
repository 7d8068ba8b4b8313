#include "hostprobe/host_caps.h"

#include <gtest/gtest.h>

#include "hostprobe/probe.h"
#include "tests/fake_host.h"

namespace smmu {
namespace {

using test::FakeDevice;
using test::FakeHost;

constexpr uint64_t kSmmu = 0x12000000;

Inventory probe(const FakeHost& h) {
  auto inv = probe_host(h.tree);
  EXPECT_TRUE(inv.ok()) << inv.error().message;
  return inv.ok() ? *inv : Inventory{};
}

TEST(HostCaps, ReadThroughTheFirstAssignableDevice) {
  FakeHost h;
  h.smmu(kSmmu);
  HwInfoAnswer other = test::nesting_smmu_answer();
  other.info->idr[3] = 0;  // no RIL: tells the two answers apart
  // 01:00.0 shares its group with a device on a kernel driver; 02:00.0 does not.
  h.device({.bdf = "0002:01:00.0", .group = 7, .hw_info = other});
  h.device({.bdf = "0002:01:00.1", .driver = "mlx5_core", .group = 7, .vfio = false});
  h.device({.bdf = "0002:02:00.0"});
  Inventory inv = probe(h);
  const HostSmmu& s = inv.smmus.at(0);
  ASSERT_TRUE(s.caps) << s.caps_unavailable;
  EXPECT_EQ(s.caps_device, parse_bdf("0002:02:00.0").value());
  EXPECT_TRUE(s.caps->ril);
  EXPECT_TRUE(s.caps->nesting());
}

TEST(HostCaps, FallsBackToAVfioDeviceThatIsNotAssignable) {
  FakeHost h;
  h.smmu(kSmmu);
  h.device({.bdf = "0002:01:00.0", .group = 7});
  h.device({.bdf = "0002:01:00.1", .driver = "mlx5_core", .group = 7, .vfio = false});
  Inventory inv = probe(h);
  EXPECT_TRUE(inv.smmus.at(0).caps);
  EXPECT_EQ(inv.smmus.at(0).caps_device, parse_bdf("0002:01:00.0").value());
}

TEST(HostCaps, NoVfioDeviceNoCaps) {
  FakeHost h;
  h.smmu(kSmmu);
  h.device({.bdf = "0002:01:00.0", .driver = "nvme", .vfio = false});
  h.device({.bdf = "0002:02:00.0", .dev_node = false});  // no /dev node: not opened
  Inventory inv = probe(h);
  EXPECT_FALSE(inv.smmus.at(0).caps);
  EXPECT_FALSE(inv.smmus.at(0).caps_device);
  EXPECT_EQ(inv.smmus.at(0).caps_unavailable,
            "no vfio-bound device behind it to read them through; bind one to vfio-pci");
}

TEST(HostCaps, AnUnanswerableDeviceGivesItsReason) {
  FakeHost h;
  h.smmu(kSmmu);
  h.device({.bdf = "0002:01:00.0",
            .hw_info = HwInfoAnswer::none("permission denied opening /dev/iommu (run as root)")});
  Inventory inv = probe(h);
  EXPECT_FALSE(inv.smmus.at(0).caps);
  EXPECT_EQ(inv.smmus.at(0).caps_device, parse_bdf("0002:01:00.0").value());
  EXPECT_EQ(inv.smmus.at(0).caps_unavailable, "permission denied opening /dev/iommu (run as root)");
}

TEST(HostCaps, AnotherHwInfoTypeIsNotAnSmmuv3Answer) {
  FakeHost h;
  h.smmu(kSmmu);
  HwInfoAnswer vtd = test::nesting_smmu_answer();
  vtd.info->type = 1;
  h.device({.bdf = "0002:01:00.0", .hw_info = vtd});
  Inventory inv = probe(h);
  EXPECT_FALSE(inv.smmus.at(0).caps);
  EXPECT_EQ(inv.smmus.at(0).caps_unavailable, "IOMMU_GET_HW_INFO answered type 1, not ARM SMMUv3 (2)");
}

// The MemoryTree side of the seam: recorded file, denied node, missing node.
TEST(HostCaps, MemoryTreeReadsRecordingsAndDeniedNodes) {
  FakeHost h;
  h.smmu(kSmmu).smmu(0x15000000).smmu(0x16000000);
  h.device({.bdf = "0002:01:00.0"});
  h.device({.bdf = "0006:01:00.0", .smmu = 0x15000000});
  h.device({.bdf = "0009:01:00.0", .smmu = 0x16000000});
  h.tree.file("dev/vfio/devices/vfio0", "type 2\nidr 3 0 0 0 0 0x15\niidr 0\naidr 1\ncmdqv 1 7 4\n");
  h.tree.deny("dev/vfio/devices/vfio1");
  Inventory inv = probe(h);
  ASSERT_TRUE(inv.smmus.at(0).caps) << inv.smmus.at(0).caps_unavailable;
  EXPECT_EQ(inv.smmus.at(0).caps->oas_bits, 48u);
  EXPECT_EQ(inv.smmus.at(0).caps->cmdqv, (CmdqvInfo{1, 7, 4}));
  EXPECT_EQ(inv.smmus.at(1).caps_unavailable,
            "permission denied opening mem:/dev/vfio/devices/vfio1 (run as root)");
  ASSERT_TRUE(inv.smmus.at(2).caps);
  h.tree.remove("dev/vfio/devices/vfio2");
  auto missing = h.tree.iommu_hw_info("dev/vfio/devices/vfio2");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->unavailable,
            "no vfio device at mem:/dev/vfio/devices/vfio2 (bind the device to vfio-pci)");
}

TEST(HostCaps, MalformedRecordingFailsTheProbe) {
  FakeHost h;
  h.smmu(kSmmu);
  h.device({.bdf = "0002:01:00.0"});
  h.tree.file("dev/vfio/devices/vfio0", "type 2\n");
  auto inv = probe_host(h.tree);
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(inv.error().message, "mem:/dev/vfio/devices/vfio0: 'idr' is missing");
}

}  // namespace
}  // namespace smmu
