#include "planner/hotplug.h"

#include <gtest/gtest.h>

#include "hostprobe/probe.h"
#include "planner/plan_json.h"
#include "planner/planner.h"
#include "tests/fake_host.h"

namespace smmu {
namespace {

using test::FakeHost;

constexpr uint64_t kA = 0x1000000, kB = 0x2000000, kC = 0x3000000;

// One 64-bit prefetchable BAR0 of `bytes`, as sysfs `resource` gives it.
std::string bar0(uint64_t bytes) {
  char line[80];
  std::snprintf(line, sizeof line, "0x0000080000000000 0x%016llx 0x000000000014220c\n",
                static_cast<unsigned long long>(0x80000000000ull + bytes - 1));
  std::string r = line;
  for (int i = 0; i < 12; ++i) r += "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
  return r;
}

// SMMUs A, B, C; behind A two small NICs, behind B a small NIC and one with
// a 32 MiB BAR, behind C a small NIC; one NIC on its kernel driver.
Inventory three_smmu_host() {
  FakeHost h;
  h.tree.dir("sys/bus/pci/devices");
  for (uint64_t base : {kA, kB, kC}) h.smmu(base);
  const std::string small = bar0(16 << 10);
  h.device({.bdf = "0000:01:00.0", .smmu = kA, .resource = small});
  h.device({.bdf = "0000:02:00.0", .smmu = kA, .resource = small});
  h.device({.bdf = "0001:01:00.0", .smmu = kB, .resource = small});
  h.device({.bdf = "0001:02:00.0", .smmu = kB, .resource = bar0(32 << 20)});
  h.device({.bdf = "0002:01:00.0", .smmu = kC, .resource = small});
  h.device({.bdf = "0000:03:00.0", .smmu = kA, .driver = "mlx5_core", .vfio = false});
  auto inv = probe_host(h.tree);
  EXPECT_TRUE(inv.ok()) << inv.error().message;
  return std::move(inv).value();
}

Bdf bdf(const char* text) { return *parse_bdf(text); }

// 0000:01:00.0 cold-plugged behind A; B reserved for hotplug; `ports` spare each.
Plan cold_plan(const Inventory& inv, unsigned ports = 2, uint64_t reserve = 0) {
  PlanRequest r;
  r.devices.emplace_back(bdf("0000:01:00.0"));
  r.hotplug_smmus.push_back({kB, ""});
  r.hotplug_ports = ports;
  if (reserve) r.hotplug_pref64_reserve = reserve;
  auto plan = make_plan(inv, r);
  EXPECT_TRUE(plan.ok()) << plan.error().message;
  return std::move(plan).value();
}

std::string json(const Plan& p) { return plan_to_json(p).dump(); }

TEST(Hotplug, TakesTheFirstSparePortOfItsHostSmmusVsmmu) {
  auto inv = three_smmu_host();
  Plan before = cold_plan(inv);
  auto hot = plan_hotplug(before, inv, bdf("0001:01:00.0"));
  ASSERT_TRUE(hot.ok()) << hot.error().message;
  const VsmmuPlan& b = hot->plan.vsmmus[1];
  EXPECT_EQ(b.host_smmu, FakeHost::smmu_name(kB));
  EXPECT_EQ(hot->plan.vsmmu_of(hot->device).host_smmu, b.host_smmu);
  EXPECT_EQ(hot->device.root_port, b.root_ports[0].id);
  EXPECT_EQ(&hot->plan.vsmmu_of(hot->device), &b);
  EXPECT_EQ(hot->plan.guest_bdf(hot->device), (Bdf{0, b.root_ports[0].bus, 0, 0}));
  ASSERT_TRUE(hot->plan.device_on(b.root_ports[0]));
  EXPECT_EQ(hot->plan.device_on(b.root_ports[0])->host_bdf, bdf("0001:01:00.0"));
  EXPECT_EQ(hot->device.id, "dev1");
  EXPECT_EQ(hot->device.vendor, 0x15b3);
  EXPECT_TRUE(hot->note.empty());
  // The plan after reads back as itself: a plan file like any other.
  auto again = plan_from_json_text(json(hot->plan));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(json(*again), json(hot->plan));
}

TEST(Hotplug, DevicesStayInVsmmuThenPortOrderAndIdsAreNeverReused) {
  auto inv = three_smmu_host();
  auto first = plan_hotplug(cold_plan(inv), inv, bdf("0001:01:00.0"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  // Behind A, after B's device in the file: sorted before it.
  auto second = plan_hotplug(first->plan, inv, bdf("0000:02:00.0"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(second->plan.devices.size(), 3u);
  EXPECT_EQ(second->plan.devices[1].host_bdf, bdf("0000:02:00.0"));
  EXPECT_EQ(second->plan.devices[1].root_port, "pxb0.rp1");
  EXPECT_EQ(second->device.id, "dev2");
  // dev1 unplugged (QEMU may still hold its id): the next device gets dev3.
  auto unplugged = plan_unplug(second->plan, bdf("0001:01:00.0"));
  ASSERT_TRUE(unplugged.ok()) << unplugged.error().message;
  auto third = plan_hotplug(*unplugged, inv, bdf("0001:01:00.0"));
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(third->device.id, "dev3");
}

TEST(Hotplug, UnplugGivesBackThePlanBeforeByteForByte) {
  auto inv = three_smmu_host();
  Plan before = cold_plan(inv);
  auto hot = plan_hotplug(before, inv, bdf("0001:01:00.0"));
  ASSERT_TRUE(hot.ok()) << hot.error().message;
  auto after = plan_unplug(hot->plan, bdf("0001:01:00.0"));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(json(*after), json(before));
}

struct Refusal {
  const char* device;
  ErrorKind kind;
  const char* says;
};

TEST(Hotplug, RefusesSayingWhatToDo) {
  auto inv = three_smmu_host();
  Plan plan = cold_plan(inv, 1);
  const Refusal cases[] = {
      {"0000:01:00.0", ErrorKind::Request, "0000:01:00.0 is already in the plan as dev0"},
      {"0000:09:00.0", ErrorKind::Request, "no such PCI device on this host"},
      {"0000:03:00.0", ErrorKind::Request, "cannot be assigned: "},
      {"0002:01:00.0", ErrorKind::NoFit,
       "which has no vSMMU in this plan, and a vSMMU cannot be added to a running guest: plan again with "
       "--hotplug-smmu smmu3.0x0000000003000000"},
      {"0001:02:00.0", ErrorKind::NoFit,
       "0001:02:00.0's 64-bit prefetchable BARs take 32 MiB but firmware gave pxb1.rp0 a window of 2 MiB "
       "(no pref64-reserve): plan again with --hotplug-pref64-reserve 32M"},
  };
  for (const auto& c : cases) {
    auto r = plan_hotplug(plan, inv, bdf(c.device));
    ASSERT_FALSE(r.ok()) << c.device;
    EXPECT_EQ(r.error().kind, c.kind) << c.device;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
  // The one spare port behind A is taken by the first: none for the second.
  auto taken = plan_hotplug(plan, inv, bdf("0000:02:00.0"));
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  auto again = plan_hotplug(taken->plan, inv, bdf("0001:01:00.0"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto full = plan_hotplug(again->plan, inv, bdf("0001:02:00.0"));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().kind, ErrorKind::NoFit);
  EXPECT_NE(full.error().message.find("vsmmu1 (smmu3.0x0000000002000000) has no free root port: all 1 hold "
                                      "devices; unplug one, or plan again with more --hotplug-ports"),
            std::string::npos)
      << full.error().message;
}

TEST(Hotplug, ALargeBarFitsAPortWithAReserve) {
  auto inv = three_smmu_host();
  auto hot = plan_hotplug(cold_plan(inv, 1, 32ull << 20), inv, bdf("0001:02:00.0"));
  ASSERT_TRUE(hot.ok()) << hot.error().message;
  EXPECT_EQ(hot->plan.vsmmus[1].root_ports[0].pref64_reserve, 32ull << 20);
}

TEST(Hotplug, HostSmmuCapsThatChangedSinceTheGuestStartedAreRefused) {
  auto inv = three_smmu_host();
  Plan plan = cold_plan(inv);
  ASSERT_TRUE(plan.vsmmus[1].caps);
  plan.vsmmus[1].caps->ssidsize = 5;
  auto r = plan_hotplug(plan, inv, bdf("0001:01:00.0"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::NoFit);
  EXPECT_NE(r.error().message.find("vsmmu1 was started with ats=on ril=on ssidsize=5 oas=48 cmdqv=off but "
                                   "smmu3.0x0000000002000000 would now get ats=on ril=on ssidsize=16"),
            std::string::npos)
      << r.error().message;
  // Caps QEMU resolved itself (`auto`, --no-host-caps) are left to QEMU.
  plan.vsmmus[1].caps.reset();
  EXPECT_TRUE(plan_hotplug(plan, inv, bdf("0001:01:00.0")).ok());
}

TEST(Unplug, RefusesADeviceNotInThePlanAndAGpuWithNumaNodes) {
  auto inv = three_smmu_host();
  Plan plan = cold_plan(inv);
  auto absent = plan_unplug(plan, bdf("0001:01:00.0"));
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.error().kind, ErrorKind::Request);
  EXPECT_EQ(absent.error().message, "0001:01:00.0 is not in the plan: nothing to unplug");
  plan.devices[0].gpu_numa_nodes = {1, 2};
  auto gpu = plan_unplug(plan, bdf("0000:01:00.0"));
  ASSERT_FALSE(gpu.ok());
  EXPECT_NE(gpu.error().message.find("is a GPU with guest NUMA nodes"), std::string::npos);
}

}  // namespace
}  // namespace smmu
