#include "planner/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "hostprobe/probe.h"
#include "planner/plan_json.h"
#include "tests/fake_host.h"

namespace smmu {
namespace {

using test::FakeHost;

// `per_smmu[i]` vfio devices behind SMMU i (bases 0x1000000 * (i + 1)).
Inventory host_with(const std::vector<int>& per_smmu) {
  FakeHost h;
  h.tree.dir("sys/bus/pci/devices");
  for (size_t i = 0; i < per_smmu.size(); ++i) {
    uint64_t base = 0x1000000ull * (i + 1);
    h.smmu(base);
    for (int j = 0; j < per_smmu[i]; ++j) {
      char bdf[32];
      std::snprintf(bdf, sizeof bdf, "%04zx:%02x:%02x.%x", i, 1 + j / 256, (j / 8) % 32, j % 8);
      h.device({.bdf = bdf, .smmu = base});
    }
  }
  auto inv = probe_host(h.tree);
  EXPECT_TRUE(inv.ok()) << inv.error().message;
  return std::move(inv).value();
}

PlanRequest all(unsigned hotplug = 0, unsigned pcie0 = PlanRequest::kDefaultPcie0Buses) {
  PlanRequest r;
  r.all_assignable = true;
  r.hotplug_ports = hotplug;
  r.pcie0_buses = pcie0;
  return r;
}

TEST(Planner, OneVsmmuPerHostSmmuPackedAgainstBus255) {
  auto plan = make_plan(host_with({2, 0, 1}), all());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->vsmmus.size(), 2u);
  const auto& a = plan->vsmmus[0];
  const auto& b = plan->vsmmus[1];
  EXPECT_EQ(a.host_smmu, "smmu3.0x0000000001000000");
  EXPECT_EQ(b.host_smmu, "smmu3.0x0000000003000000");
  EXPECT_EQ(a.pxb.bus_nr, 0xfb);  // fb..fd: pxb + 2 ports
  EXPECT_EQ(a.buses(), (BusRange{0xfb, 0xfd}));
  EXPECT_EQ(b.buses(), (BusRange{0xfe, 0xff}));
  EXPECT_EQ(a.pxb.addr, 0x1f);
  EXPECT_EQ(b.pxb.addr, 0x1e);
  ASSERT_EQ(plan->devices.size(), 3u);
  EXPECT_EQ(plan->devices[0].host_bdf.str(), "0000:01:00.0");
  EXPECT_EQ(plan->guest_bdf(plan->devices[0]).str(), "0000:fc:00.0");
  EXPECT_EQ(plan->guest_bdf(plan->devices[1]).str(), "0000:fd:00.0");
  EXPECT_EQ(plan->guest_bdf(plan->devices[2]).str(), "0000:ff:00.0");
  EXPECT_EQ(plan->vsmmu_of(plan->devices[2]).id, "vsmmu1");
  EXPECT_EQ(a.root_ports[1].chassis(), 0xfd);
}

TEST(Planner, SameInputSameBytes) {
  auto inv = host_with({3, 2, 4});
  PlanRequest r;
  r.devices = {*parse_bdf("0002:01:00.3"), *parse_bdf("0000:01:00.1"), *parse_bdf("0002:01:00.0")};
  auto first = make_plan(inv, r);
  std::reverse(r.devices.begin(), r.devices.end());
  auto second = make_plan(inv, r);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(plan_to_json(*first).dump(), plan_to_json(*second).dump());
  EXPECT_EQ(first->devices[1].host_bdf.str(), "0002:01:00.0");  // by BDF, not request order
}

TEST(Planner, HotplugPortsAreEmptyPortsAfterTheDevices) {
  auto plan = make_plan(host_with({1}), all(2));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const auto& v = plan->vsmmus[0];
  ASSERT_EQ(v.root_ports.size(), 3u);
  EXPECT_EQ(v.buses(), (BusRange{0xfc, 0xff}));
  EXPECT_TRUE(plan->device_on(v.root_ports[0]));
  EXPECT_FALSE(plan->device_on(v.root_ports[1]));
  EXPECT_EQ(v.root_ports[2].bus, 0xff);
}

TEST(Planner, MoreThan32PortsUseMultifunctionSlots) {
  auto plan = make_plan(host_with({40}), all(0, 8));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const auto& ports = plan->vsmmus[0].root_ports;
  EXPECT_EQ(ports[9].slot, 1);
  EXPECT_EQ(ports[9].function, 1);
  EXPECT_EQ(ports[39].slot, 4);
  EXPECT_EQ(ports[39].function, 7);
  EXPECT_EQ(ports[39].bus, 0xff);
}

TEST(Planner, EveryBusUsedFitsAndOneMoreDoesNot) {
  // 255 - 16 = 239 buses above pcie.0: two pxbs with 118 + 119 ports.
  auto fits = make_plan(host_with({118, 119}), all());
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(fits->vsmmus[0].pxb.bus_nr, 0x11);
  auto tight = make_plan(host_with({118, 120}), all());
  ASSERT_FALSE(tight.ok());
  EXPECT_EQ(tight.error().kind, ErrorKind::NoFit);
  EXPECT_EQ(tight.error().message,
            "the pxbs need 240 buses but only 239 are free above pcie.0's 0x00-0x10: 1 bus "
            "missing; request fewer devices or hotplug ports, or lower --pcie0-buses");
  EXPECT_TRUE(make_plan(host_with({118, 120}), all(0, 15)).ok());
}

TEST(Planner, AtMostSixteenVsmmus) {
  auto plan = make_plan(host_with(std::vector<int>(17, 1)), all());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::NoFit);
  EXPECT_EQ(plan.error().message,
            "the devices sit behind 17 host SMMUs: 17 vSMMUs, but QEMU's virt machine takes at most 16 "
            "(64 platform interrupts, 4 each); split the devices over several VMs");
  EXPECT_TRUE(make_plan(host_with(std::vector<int>(16, 1)), all()).ok());
  // 16 SMMUs with devices and one reserved for hotplug: the message counts each.
  std::vector<int> per_smmu(17, 1);
  per_smmu[16] = 0;
  PlanRequest hotplug = all(1);
  hotplug.hotplug_smmus.push_back({0x11000000, ""});
  auto reserved = make_plan(host_with(per_smmu), hotplug);
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.error().message,
            "the devices sit behind 16 host SMMUs and 1 more is reserved for hotplug: 17 vSMMUs, but QEMU's "
            "virt machine takes at most 16 (64 platform interrupts, 4 each); split the devices over several VMs");
}

TEST(Planner, APxbPastItsRootPortsSaysHowManyBusesAreMissing) {
  // 300 devices behind one SMMU: past 256 ports, and past the buses there are.
  auto plan = make_plan(host_with({300}), all(0, 253));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message,
            "the pxbs need 301 buses but only 2 are free above pcie.0's 0x00-0xfd: 299 buses missing; "
            "request fewer devices or hotplug ports, or lower --pcie0-buses");
  auto one = make_plan(host_with({2}), all(0, 254));
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.error().message.find("but only 1 is free above"), std::string::npos) << one.error().message;
}

TEST(Planner, RequestErrorsNameTheDevice) {
  FakeHost h;
  h.smmu(0x12000000);
  h.device({.bdf = "0002:01:00.0"});
  h.device({.bdf = "0002:02:00.0", .driver = "nvme", .vfio = false});
  auto inv = *probe_host(h.tree);
  auto plan_for = [&](std::vector<const char*> bdfs) {
    PlanRequest r;
    for (auto b : bdfs) r.devices.push_back(*parse_bdf(b));
    return make_plan(inv, r);
  };
  auto unknown = plan_for({"0002:09:00.0"});
  EXPECT_EQ(unknown.error().kind, ErrorKind::Request);
  EXPECT_EQ(unknown.error().message, "0002:09:00.0: no such PCI device on this host");
  auto blocked = plan_for({"0002:02:00.0"});
  EXPECT_EQ(blocked.error().message,
            "0002:02:00.0 cannot be assigned: bound to nvme, not to vfio (bind it to vfio-pci)");
  auto twice = plan_for({"0002:01:00.0", "0002:01:00.0"});
  EXPECT_EQ(twice.error().message, "0002:01:00.0 is requested twice");
  EXPECT_EQ(plan_for({}).error().kind, ErrorKind::Usage);
}

TEST(Planner, HostsWithoutSmmuv3OrAssignableDevices) {
  FakeHost none;
  none.device({.bdf = "0000:01:00.0", .smmu = std::nullopt});
  auto r = make_plan(*probe_host(none.tree), all());
  EXPECT_EQ(r.error().kind, ErrorKind::NoFit);
  EXPECT_NE(r.error().message.find("this host has no SMMUv3"), std::string::npos);

  FakeHost unbound;
  unbound.smmu(0x12000000);
  unbound.device({.bdf = "0002:01:00.0", .driver = "nvme", .vfio = false});
  auto r2 = make_plan(*probe_host(unbound.tree), all());
  EXPECT_EQ(r2.error().kind, ErrorKind::Request);
  EXPECT_NE(r2.error().message.find("no assignable device"), std::string::npos);
}

TEST(Planner, EachVsmmuCarriesItsHostSmmusCaps) {
  Inventory inv = host_with({1, 1});
  inv.smmus[1].caps->ril = false;
  auto plan = make_plan(inv, all());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_TRUE(plan->vsmmus[0].caps && plan->vsmmus[1].caps);
  EXPECT_EQ(*plan->vsmmus[0].caps, (VsmmuCaps{.ats = true, .ril = true, .ssidsize = 16, .oas = 48}));
  EXPECT_FALSE(plan->vsmmus[1].caps->ril);
}

TEST(Planner, UnavailableCapsFailUnlessNoHostCaps) {
  Inventory inv = host_with({1, 1});
  inv.smmus[1].caps.reset();
  inv.smmus[1].caps_unavailable = "permission denied opening /dev/iommu (run as root)";
  auto strict = make_plan(inv, all());
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().kind, ErrorKind::HostTree);
  PlanRequest lenient = all();
  lenient.no_host_caps = true;
  auto plan = make_plan(inv, lenient);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_TRUE(plan->vsmmus[0].caps);
  EXPECT_FALSE(plan->vsmmus[1].caps);
}

TEST(Planner, AHostSmmuWithoutNestingIsRefused) {
  Inventory inv = host_with({1});
  inv.smmus[0].caps->s1p = false;
  PlanRequest r = all();
  r.no_host_caps = true;  // known caps are never ignored
  auto plan = make_plan(inv, r);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::NoFit);
  EXPECT_NE(plan.error().message.find("cannot nest translations"), std::string::npos);
}

TEST(Planner, NumaMapGivesEveryPxbItsGuestNode) {
  FakeHost h;
  h.smmu(0x12000000, 0);
  h.smmu(0x100012000000, 1);
  h.smmu(0x16000000, std::nullopt);  // the kernel does not know: its devices say 0
  h.device({.bdf = "0002:01:00.0", .smmu = 0x12000000});
  h.device({.bdf = "0012:01:00.0", .smmu = 0x100012000000, .numa_node = 1});
  h.device({.bdf = "0009:01:00.0", .smmu = 0x16000000, .numa_node = 0});
  auto inv = *probe_host(h.tree);
  PlanRequest r = all();
  EXPECT_FALSE(make_plan(inv, r)->vsmmus[0].pxb.numa_node.has_value());  // no map, no node

  r.numa_map = {{0, 1}, {1, 0}};
  auto plan = make_plan(inv, r);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->vsmmus.size(), 3u);  // base order: 0x12000000, 0x16000000, 0x100012000000
  EXPECT_EQ(plan->vsmmus[0].pxb.numa_node, 1);
  EXPECT_EQ(plan->vsmmus[1].pxb.numa_node, 1);
  EXPECT_EQ(plan->vsmmus[2].pxb.numa_node, 0);

  r.numa_map = {{0, 0}};
  auto unmapped = make_plan(inv, r);
  ASSERT_FALSE(unmapped.ok());
  EXPECT_EQ(unmapped.error().kind, ErrorKind::Request);
  EXPECT_EQ(unmapped.error().message, "host NUMA node 1 (of smmu3.0x0000100012000000) has no "
                                      "guest node in the NUMA map: add 1:GUEST");
}

TEST(Planner, NumaMapRefusesAnSmmuWhoseNodeNobodyKnows) {
  FakeHost h;
  h.smmu(0x16000000, std::nullopt);
  h.device({.bdf = "0009:01:00.0", .smmu = 0x16000000, .numa_node = -1});
  PlanRequest r = all();
  r.numa_map = {{0, 0}};
  auto plan = make_plan(*probe_host(h.tree), r);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::Request);
  EXPECT_NE(plan.error().message.find("cannot place the pxb of smmu3.0x0000000016000000"),
            std::string::npos);
}

TEST(Planner, SelectorsChooseTheSamePlanWhateverTheirOrder) {
  auto inv = host_with({3, 2, 4});
  PlanRequest r;
  r.selectors = {*parse_selector_spec("smmu=0x3000000"), *parse_selector_spec("smmu=0x1000000")};
  r.devices = {*parse_bdf("0001:01:00.1")};
  auto first = make_plan(inv, r);
  std::reverse(r.selectors.begin(), r.selectors.end());
  auto second = make_plan(inv, r);
  ASSERT_TRUE(first.ok() && second.ok()) << first.error().message;
  EXPECT_EQ(plan_to_json(*first).dump(), plan_to_json(*second).dump());
  EXPECT_EQ(first->devices.size(), 8u);  // 3 + 4 selected + 1 named
  EXPECT_EQ(first->vsmmus.size(), 3u);
}


PlanRequest nic_of_smmu0_and_hotplug(std::vector<uint64_t> bases, unsigned ports) {
  PlanRequest r;
  r.devices.emplace_back(*parse_bdf("0000:01:00.0"));
  r.hotplug_ports = ports;
  for (uint64_t b : bases) r.hotplug_smmus.push_back({b, {}});
  return r;
}

TEST(Planner, AHotplugSmmuGetsAVsmmuWithSparePortsOnly) {
  // SMMU 2's device is bound to vfio (its caps are known) but not requested.
  auto plan = make_plan(host_with({1, 1}), nic_of_smmu0_and_hotplug({0x2000000}, 2));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->vsmmus.size(), 2u);
  EXPECT_EQ(plan->vsmmus[0].root_ports.size(), 3u);  // the device and 2 spare
  const auto& reserved = plan->vsmmus[1];
  EXPECT_EQ(reserved.host_smmu, "smmu3.0x0000000002000000");
  ASSERT_EQ(reserved.root_ports.size(), 2u);
  for (const auto& rp : reserved.root_ports) EXPECT_FALSE(plan->device_on(rp));
  EXPECT_TRUE(reserved.caps);  // explicit: QEMU has no device to resolve `auto` from
  EXPECT_EQ(plan->devices.size(), 1u);
  EXPECT_EQ(plan->vsmmus[1].buses().last, 0xff);

  // Naming an SMMU that already has devices changes nothing.
  auto same = make_plan(host_with({1, 1}), nic_of_smmu0_and_hotplug({0x1000000}, 2));
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->vsmmus.size(), 1u);

  // Nothing cold-plugged at all is a plan too.
  PlanRequest only = nic_of_smmu0_and_hotplug({0x2000000}, 1);
  only.devices.clear();
  auto empty = make_plan(host_with({1, 1}), only);
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(empty->vsmmus.size(), 1u);
  EXPECT_TRUE(empty->devices.empty());
}

TEST(Planner, HotplugSmmusAreRefusedClearly) {
  auto unknown = make_plan(host_with({1, 1}), nic_of_smmu0_and_hotplug({0x7000000}, 1));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::Request);
  EXPECT_NE(unknown.error().message.find("hotplug SMMU 0x7000000: no SMMUv3 with that base"),
            std::string::npos) << unknown.error().message;

  auto no_ports = make_plan(host_with({1, 1}), nic_of_smmu0_and_hotplug({0x2000000}, 0));
  ASSERT_FALSE(no_ports.ok());
  EXPECT_NE(no_ports.error().message.find("give --hotplug-ports N"), std::string::npos);

  // SMMU 2 has no vfio device to read caps through; `auto` cannot help either.
  PlanRequest r = nic_of_smmu0_and_hotplug({0x2000000}, 1);
  r.no_host_caps = true;
  auto no_caps = make_plan(host_with({1, 0}), r);
  ASSERT_FALSE(no_caps.ok());
  EXPECT_EQ(no_caps.error().kind, ErrorKind::HostTree);
  EXPECT_NE(no_caps.error().message.find("smmu3.0x0000000002000000 is reserved for hotplug only"),
            std::string::npos) << no_caps.error().message;
}

// --hotplug-pref64-reserve: on every spare port, rounded up as QEMU's
// pref64-reserve is; device ports (no GPU here) keep none.
TEST(Planner, SparePortsKeepTheHotplugReserveRoundedUp) {
  PlanRequest r = nic_of_smmu0_and_hotplug({0x2000000}, 2);
  r.hotplug_pref64_reserve = 384ull << 30;
  auto plan = make_plan(host_with({1, 1}), r);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::vector<uint64_t> reserves;
  for (const auto& v : plan->vsmmus) {
    for (const auto& rp : v.root_ports) reserves.push_back(rp.pref64_reserve);
  }
  constexpr uint64_t k512G = 512ull << 30;
  EXPECT_EQ(reserves, (std::vector<uint64_t>{0, k512G, k512G, k512G, k512G}));  // the NIC's port: none
  EXPECT_EQ(plan->highmem_mmio_size, 8ull << 40);  // 4 x 512 GiB and the NIC's 32 MiB, doubled

  // Two spare ports of 512 GiB and nothing cold-plugged: 1 TiB, doubled.
  PlanRequest two = nic_of_smmu0_and_hotplug({0x1000000}, 2);
  two.devices.clear();
  two.hotplug_pref64_reserve = k512G;
  auto one_vsmmu = make_plan(host_with({1, 1}), two);
  ASSERT_TRUE(one_vsmmu.ok()) << one_vsmmu.error().message;
  EXPECT_EQ(one_vsmmu->highmem_mmio_size, 2ull << 40);

  // Without the key nothing changes.
  two.hotplug_pref64_reserve.reset();
  auto plain = make_plan(host_with({1, 1}), two);
  ASSERT_TRUE(plain.ok());
  for (const auto& rp : plain->vsmmus[0].root_ports) EXPECT_EQ(rp.pref64_reserve, 0u);
  EXPECT_EQ(plain->highmem_mmio_size, 0u);
}

TEST(Planner, AHotplugReserveIsRefusedClearly) {
  auto refused = [](unsigned ports, uint64_t size) {
    PlanRequest r = nic_of_smmu0_and_hotplug({}, ports);
    r.hotplug_pref64_reserve = size;
    auto plan = make_plan(host_with({1}), r);
    EXPECT_FALSE(plan.ok()) << size;
    if (plan.ok()) return std::string();
    EXPECT_EQ(plan.error().kind, ErrorKind::Request);
    return plan.error().message;
  };
  EXPECT_EQ(refused(1, 0),
            "a hotplug pref64 reserve of 0 bytes keeps nothing: give a size such as 512G, or none for "
            "ports that take devices with small BARs only");
  EXPECT_EQ(refused(1, (64ull << 40) + 1),
            "a hotplug pref64 reserve of 64 TiB + 1 bytes is larger than the largest high MMIO window, "
            "64 TiB (a 48-bit guest address space): give less");
  EXPECT_EQ(refused(0, 512ull << 30),
            "a hotplug pref64 reserve is kept on spare root ports, and there are none: give "
            "--hotplug-ports N (at least 1)");
}

}  // namespace
}  // namespace smmu
