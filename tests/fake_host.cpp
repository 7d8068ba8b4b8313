#include "tests/fake_host.h"

#include <cstdio>
#include <stdexcept>

#include "common/smmu_name.h"
#include "hostprobe/probe.h"

namespace smmu::test {

HwInfoAnswer nesting_smmu_answer() {
  IommuHwInfo info;
  info.type = kHwInfoTypeArmSmmuv3;
  info.idr = {0x0c4f77bb, 0x02739c10, 0, 0x00001734, 0, 0x00000475};
  info.aidr = 2;
  return {info, {}};
}

std::string FakeHost::smmu_name(uint64_t base) { return smmu_device_name(base); }

std::string FakeHost::device_dir(const std::string& bdf) {
  return "sys/devices/pci" + bdf.substr(0, 4) + ":00/" + bdf;
}

FakeHost& FakeHost::smmu(uint64_t base, std::optional<int> numa_node) {
  std::string platform = "sys/devices/platform/arm-smmu-v3." + std::to_string(next_platform_++) + ".auto";
  std::string name = smmu_name(base);
  tree.dir(platform + "/iommu/" + name + "/devices");
  if (numa_node) tree.file(platform + "/numa_node", std::to_string(*numa_node) + "\n");
  tree.link("sys/class/iommu/" + name, "/" + platform + "/iommu/" + name);
  return *this;
}

FakeHost& FakeHost::device(const FakeDevice& d) {
  std::string dir = device_dir(d.bdf);
  tree.link("sys/bus/pci/devices/" + d.bdf, "/" + dir);
  tree.file(dir + "/vendor", d.vendor + "\n");
  tree.file(dir + "/device", d.device + "\n");
  tree.file(dir + "/class", d.class_code + "\n");
  tree.file(dir + "/numa_node", std::to_string(d.numa_node) + "\n");
  std::string resource = d.resource;
  if (resource.empty()) {
    resource = "0x0000080000000000 0x0000080001ffffff 0x000000000014220c\n";
    for (int i = 0; i < 12; ++i) resource += "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
  }
  tree.file(dir + "/resource", resource);
  if (d.driver) tree.link(dir + "/driver", "/sys/bus/pci/drivers/" + *d.driver);
  if (d.driver) tree.dir("sys/bus/pci/drivers/" + *d.driver);
  if (d.smmu) {
    // The SMMU's class entry links to its iommu dir; follow the same target.
    auto target = tree.read_link("sys/class/iommu/" + smmu_name(*d.smmu));
    std::string iommu_dir = target.ok() && target->has_value() ? **target : "/missing";
    tree.link(dir + "/iommu", iommu_dir);
    int group = d.group ? *d.group : next_group_++;
    std::string gdir = "sys/kernel/iommu_groups/" + std::to_string(group);
    tree.link(dir + "/iommu_group", "/" + gdir);
    tree.link(gdir + "/devices/" + d.bdf, "/" + dir);
    tree.file(gdir + "/type", "DMA\n");
  }
  if (d.vfio) {
    std::string cdev = "vfio" + std::to_string(next_vfio_++);
    tree.file(dir + "/vfio-dev/" + cdev + "/dev", "511:0\n");
    if (d.dev_node) tree.hw_info("dev/vfio/devices/" + cdev, d.hw_info);
  }
  return *this;
}

FakeHost& FakeHost::sriov(const std::string& pf, const std::string& vf, int index) {
  tree.file(device_dir(pf) + "/sriov_totalvfs", "8\n");
  tree.file(device_dir(pf) + "/sriov_numvfs", "8\n");
  tree.link(device_dir(pf) + "/virtfn" + std::to_string(index), "/" + device_dir(vf));
  tree.link(device_dir(vf) + "/physfn", "/" + device_dir(pf));
  return *this;
}

Inventory mixed_host() {
  FakeHost h;
  h.smmu(0x12000000, 0);
  h.smmu(0x16000000, 1);
  h.device({.bdf = "0002:00:00.0", .vendor = "0x10de", .device = "0x22b2",
            .class_code = "0x060400", .driver = "pcieport", .vfio = false});
  h.device({.bdf = "0002:01:00.0"});
  h.device({.bdf = "0002:01:00.1"});
  h.device({.bdf = "0003:01:00.0", .smmu = 0x16000000, .numa_node = -1});
  h.device({.bdf = "0006:01:00.0", .vendor = "0x144d", .device = "0xa80a",
            .class_code = "0x010802", .driver = "nvme", .vfio = false});
  h.device({.bdf = "0008:01:00.0", .vendor = "0x10de", .device = "0x2941", .class_code = "0x030200"});
  h.device({.bdf = "0009:01:00.0", .smmu = 0x16000000, .vendor = "0x10de", .device = "0x2342",
            .class_code = "0x030200", .numa_node = 1});
  h.device({.bdf = "000a:01:00.0", .smmu = std::nullopt, .driver = std::nullopt, .vfio = false});
  auto inv = probe_host(h.tree);
  if (!inv) throw std::runtime_error("mixed_host: " + inv.error().message);
  return std::move(inv).value();
}

}  // namespace smmu::test
