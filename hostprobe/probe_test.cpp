#include "hostprobe/probe.h"

#include <gtest/gtest.h>

#include "tests/fake_host.h"

namespace smmu {
namespace {

using test::FakeDevice;
using test::FakeHost;

const PciDevice& find(const Inventory& inv, const char* bdf) {
  const PciDevice* d = inv.find(*parse_bdf(bdf));
  EXPECT_NE(d, nullptr) << bdf;
  return *d;
}

TEST(Probe, ReadsSmmusSortedByBaseWithTheirNumaNode) {
  FakeHost h;
  h.smmu(0x100016000000, 1).smmu(0x16000000, 0).smmu(0x05000000, std::nullopt);
  h.tree.dir("sys/bus/pci/devices");
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  ASSERT_EQ(inv->smmus.size(), 3u);
  EXPECT_EQ(inv->smmus[0].name, "smmu3.0x0000000005000000");
  EXPECT_EQ(inv->smmus[0].base, 0x05000000u);
  EXPECT_EQ(inv->smmus[0].numa_node, -1);  // platform device without numa_node
  EXPECT_EQ(inv->smmus[2].base, 0x100016000000u);
  EXPECT_EQ(inv->smmus[2].numa_node, 1);
}

TEST(Probe, SmmuComesFromTheIommuLinkNotTheDomain) {
  // Kunpeng 920: one PCI domain, the SMMU chosen by bus.
  FakeHost h;
  h.smmu(0x148000000).smmu(0x140000000);
  h.device({.bdf = "0000:01:00.0", .smmu = 0x148000000});
  h.device({.bdf = "0000:7d:00.0", .smmu = 0x140000000});
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->smmus[*find(*inv, "0000:01:00.0").smmu].base, 0x148000000u);
  EXPECT_EQ(inv->smmus[*find(*inv, "0000:7d:00.0").smmu].base, 0x140000000u);
}

TEST(Probe, ReadsIdentityDriverVfioBarsAndSriov) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0", .device = "0x1021", .driver = "mlx5_core", .vfio = false,
            .numa_node = 1});
  h.device({.bdf = "0002:01:00.1", .driver = "mlx5_vfio_pci"});
  h.sriov("0002:01:00.0", "0002:01:00.1", 0);
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  const auto& pf = find(*inv, "0002:01:00.0");
  EXPECT_EQ(pf.vendor, 0x15b3);
  EXPECT_EQ(pf.device, 0x1021);
  EXPECT_EQ(pf.class_code, 0x020000u);
  EXPECT_EQ(pf.numa_node, 1);
  EXPECT_EQ(pf.driver, "mlx5_core");
  EXPECT_EQ(pf.sriov_totalvfs, 8);
  ASSERT_EQ(pf.virtfns.size(), 1u);
  EXPECT_EQ(pf.virtfns[0].str(), "0002:01:00.1");
  const auto& vf = find(*inv, "0002:01:00.1");
  EXPECT_EQ(vf.physfn->str(), "0002:01:00.0");
  EXPECT_EQ(vf.vfio, "vfio0");  // variant drivers have the cdev too
  EXPECT_TRUE(vf.assignable) << vf.reason;
  ASSERT_EQ(vf.bars.size(), 1u);
  EXPECT_EQ(vf.bars[0].size, 32u << 20);
  EXPECT_TRUE(vf.bars[0].is_64bit);
  EXPECT_TRUE(vf.bars[0].prefetchable);
}

struct ReasonCase {
  const char* name;
  FakeDevice device;
  const char* reason;  // substring; "" = assignable
};

class Assignability : public ::testing::TestWithParam<ReasonCase> {};

TEST_P(Assignability, SaysWhy) {
  FakeHost h;
  h.smmu(0x12000000);
  h.tree.link("sys/class/iommu/smmu.0x0000000009050000", "/sys/devices/platform/arm-smmu.0.auto/iommu/smmu.0x0000000009050000");
  h.tree.dir("sys/devices/platform/arm-smmu.0.auto/iommu/smmu.0x0000000009050000");
  FakeDevice d = GetParam().device;
  d.bdf = "0002:01:00.0";
  h.device(d);
  if (std::string(GetParam().name) == "smmuv2") {
    h.tree.link(FakeHost::device_dir(d.bdf) + "/iommu",
                "/sys/devices/platform/arm-smmu.0.auto/iommu/smmu.0x0000000009050000");
  }
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  const auto& dev = find(*inv, "0002:01:00.0");
  std::string want = GetParam().reason;
  EXPECT_EQ(dev.assignable, want.empty()) << dev.reason;
  EXPECT_NE(dev.reason.find(want), std::string::npos) << dev.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Probe, Assignability,
    ::testing::Values(
        ReasonCase{"vfio", {}, ""},
        ReasonCase{"bridge", {.class_code = "0x060400", .driver = "pcieport", .vfio = false},
                   "PCI bridge"},
        ReasonCase{"no_iommu", {.smmu = std::nullopt}, "not behind an IOMMU"},
        ReasonCase{"smmuv2", {}, "smmu.0x0000000009050000, which is not an SMMUv3"},
        ReasonCase{"other_driver", {.driver = "nvme", .vfio = false},
                   "bound to nvme, not to vfio"},
        ReasonCase{"unbound", {.driver = std::nullopt, .vfio = false}, "not bound to any driver"},
        ReasonCase{"no_dev_node", {.dev_node = false}, "no /dev/vfio/devices/vfio0 node"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Probe, AGroupIsAssignableOnlyWhenEveryEndpointIsVfioBound) {
  FakeHost h;
  h.smmu(0x05000000);
  h.device({.bdf = "0008:00:00.0", .smmu = 0x05000000, .class_code = "0x060400",
            .driver = "pcieport", .group = 7, .vfio = false});
  h.device({.bdf = "0008:01:00.0", .smmu = 0x05000000, .group = 7});
  h.device({.bdf = "0008:01:00.1", .smmu = 0x05000000, .group = 8});
  h.device({.bdf = "0008:02:00.0", .smmu = 0x05000000, .driver = "mlx5_core", .group = 8,
            .vfio = false});
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  // A bridge in the group does not count against it.
  EXPECT_TRUE(find(*inv, "0008:01:00.0").assignable) << find(*inv, "0008:01:00.0").reason;
  const auto& blocked = find(*inv, "0008:01:00.1");
  EXPECT_FALSE(blocked.assignable);
  EXPECT_EQ(blocked.reason,
            "IOMMU group 8 also holds 0008:02:00.0 (bound to mlx5_core); a group is assigned whole");
}

TEST(Probe, NonPciGroupMemberBlocksTheGroup) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0", .group = 3});
  h.tree.link("sys/kernel/iommu_groups/3/devices/arm-smmu-v3-pmcg.1.auto", "/sys/devices/platform/x");
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_NE(find(*inv, "0002:01:00.0").reason.find("non-PCI device arm-smmu-v3-pmcg.1.auto"),
            std::string::npos);
}

// ---- Broken trees: one clear error, never a partial inventory. ----

void expect_host_error(const HostTree& tree, const std::string& fragment) {
  auto inv = probe_host(tree);
  ASSERT_FALSE(inv.ok()) << "expected an error containing: " << fragment;
  EXPECT_EQ(inv.error().kind, ErrorKind::HostTree);
  EXPECT_NE(inv.error().message.find(fragment), std::string::npos) << inv.error().message;
  EXPECT_EQ(inv.error().message.find('\n'), std::string::npos);
}

TEST(ProbeErrors, NotAHostRoot) {
  MemoryTree empty;
  expect_host_error(empty, "sys/bus/pci/devices: missing; is this a host root");
}

TEST(ProbeErrors, BrokenIommuLink) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  h.tree.link(FakeHost::device_dir("0002:01:00.0") + "/iommu", "/sys/devices/platform/gone/iommu/x");
  expect_host_error(h.tree, "0002:01:00.0/iommu: broken symlink (-> /sys/devices/platform/gone");
}

TEST(ProbeErrors, LoopingLink) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  std::string dir = FakeHost::device_dir("0002:01:00.0");
  h.tree.link(dir + "/iommu_group", "/" + dir + "/loop_a");
  h.tree.link(dir + "/loop_a", "/" + dir + "/iommu_group");
  expect_host_error(h.tree, "symlink loop");
}

TEST(ProbeErrors, GroupLinkToNoGroup) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  h.tree.link(FakeHost::device_dir("0002:01:00.0") + "/iommu_group", "/sys/kernel/iommu_groups/77");
  expect_host_error(h.tree,
                    "0002:01:00.0/iommu_group: broken symlink (no sys/kernel/iommu_groups/77/devices)");
}

TEST(ProbeErrors, SriovLinkToNoDevice) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.1"});
  h.tree.link(FakeHost::device_dir("0002:01:00.1") + "/physfn", "/sys/devices/pci0002:00/0002:01:00.0");
  expect_host_error(h.tree, "0002:01:00.1/physfn: broken symlink (no device 0002:01:00.0)");
}

TEST(ProbeErrors, UnreadableAttribute) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  h.tree.deny(FakeHost::device_dir("0002:01:00.0") + "/class");
  expect_host_error(h.tree, "0002:01:00.0/class: cannot open: Permission denied");
}

TEST(ProbeErrors, MalformedAttribute) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0", .vendor = "bogus"});
  expect_host_error(h.tree, "0002:01:00.0/vendor: not a hex number: 'bogus'");
}

TEST(ProbeErrors, DeviceVanishesMidProbe) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  h.device({.bdf = "0002:02:00.0"});
  std::string victim = FakeHost::device_dir("0002:02:00.0");
  h.tree.on_access([victim](MemoryTree& t, std::string_view path) {
    if (path.find("0002:02:00.0/device") != std::string_view::npos) t.remove(victim);
  });
  expect_host_error(h.tree, "0002:02:00.0: device vanished during the probe; run again");
}

TEST(ProbeErrors, EntryThatIsNotABdf) {
  FakeHost h;
  h.smmu(0x12000000);
  h.tree.dir("sys/bus/pci/devices/not-a-device");
  expect_host_error(h.tree, "not-a-device: entry is not a PCI address");
}

TEST(ProbeErrors, MalformedSmmuName) {
  FakeHost h;
  h.tree.dir("sys/bus/pci/devices");
  h.tree.link("sys/class/iommu/smmu3.0xnothex", "/sys/devices/platform/p/iommu/smmu3.0xnothex");
  h.tree.dir("sys/devices/platform/p/iommu/smmu3.0xnothex");
  expect_host_error(h.tree, "smmu3.0xnothex: not an SMMUv3 name");
}

// Trees no kernel wrote: each is refused naming what is wrong, never read
// as two devices, two SMMUs, a truncated id or a name that breaks --json.
TEST(ProbeErrors, AnIdLongerThanTheKernelsIsNotTruncated) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0", .vendor = "0x10de00"});
  expect_host_error(h.tree, "0002:01:00.0/vendor: '0x10de00' is larger than 0xffff");
  FakeHost c;
  c.smmu(0x12000000);
  c.device({.bdf = "0002:01:00.0", .class_code = "0x1020000"});
  expect_host_error(c.tree, "0002:01:00.0/class: '0x1020000' is larger than 0xffffff");
}

TEST(ProbeErrors, AnSmmuNameInAnotherSpellingIsNotASecondSmmu) {
  FakeHost h;
  h.tree.dir("sys/bus/pci/devices");
  h.smmu(0xab000000);
  h.tree.link("sys/class/iommu/smmu3.0x00000000AB000000", "/sys/devices/platform/x/iommu/smmu3.0x00000000AB000000");
  h.tree.dir("sys/devices/platform/x/iommu/smmu3.0x00000000AB000000");
  expect_host_error(h.tree, "smmu3.0x00000000AB000000: not an SMMUv3 name of the form smmu3.0x<16 lower-case");
}

TEST(ProbeErrors, ABusEntryLinkingToAnotherDevice) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  h.tree.link("sys/bus/pci/devices/0002:02:00.0", "/" + FakeHost::device_dir("0002:01:00.0"));
  // Its group (read through the other device's directory) lists only 0002:01:00.0.
  expect_host_error(h.tree, "0002:02:00.0/iommu_group: names group 100, whose devices/ does not list 0002:02:00.0");
}

TEST(ProbeErrors, AGroupThatDoesNotListItsDevice) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0", .group = 7});
  h.device({.bdf = "0002:02:00.0", .group = 8});
  h.tree.link(FakeHost::device_dir("0002:02:00.0") + "/iommu_group", "/sys/kernel/iommu_groups/7");
  expect_host_error(h.tree, "0002:02:00.0/iommu_group: names group 7, whose devices/ does not list 0002:02:00.0");
}

TEST(ProbeErrors, ANameThatIsNotTextIsNamedInEscapes) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0", .driver = std::string("vfio\xff\npci")});
  expect_host_error(h.tree, "0002:01:00.0/driver: links to 'vfio\\xff\\x0apci', not a kernel name");
}

TEST(Probe, HostWithoutSmmuv3IsAnInventoryNotAnError) {
  FakeHost h;
  h.device({.bdf = "0000:01:00.0", .smmu = std::nullopt});
  auto inv = probe_host(h.tree);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_TRUE(inv->smmus.empty());
  EXPECT_FALSE(inv->devices[0].assignable);
}

}  // namespace
}  // namespace smmu
