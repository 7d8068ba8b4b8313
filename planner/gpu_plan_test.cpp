#include "planner/gpu_plan.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "common/byte_size.h"
#include "hostprobe/probe.h"
#include "planner/planner.h"
#include "tests/fake_host.h"

namespace smmu {
namespace {

using test::FakeDevice;
using test::FakeHost;

constexpr const char* kP64 = "0x000000000014220c";   // 64-bit prefetchable memory
constexpr const char* kNP64 = "0x0000000000140204";  // 64-bit non-prefetchable memory

// A resource file: BARs 0, 2 and 4 of these sizes and kinds, the rest unused.
std::string bars(std::vector<std::pair<uint64_t, const char*>> sized) {
  std::string out;
  uint64_t at = 1ull << 44;
  for (int i = 0; i < 13; ++i) {
    bool used = i % 2 == 0 && i / 2 < static_cast<int>(sized.size());
    char line[80];
    if (used) {
      auto [size, flags] = sized[i / 2];
      std::snprintf(line, sizeof line, "0x%016llx 0x%016llx %s\n", static_cast<unsigned long long>(at),
                    static_cast<unsigned long long>(at + size - 1), flags);
      at += size;
    } else {
      std::snprintf(line, sizeof line, "0x%016x 0x%016x 0x%016x\n", 0, 0, 0);
    }
    out += line;
  }
  return out;
}

FakeDevice gpu(const std::string& bdf, uint64_t smmu, uint64_t big_bar, const char* cls = "0x030200") {
  return {.bdf = bdf, .smmu = smmu, .vendor = "0x10de", .device = "0x2342", .class_code = cls,
          .resource = bars({{16 * kMiB, kNP64}, {big_bar, kP64}, {32 * kMiB, kP64}})};
}

// Two GPUs (a 3D controller and a VGA one) behind their own SMMUs and a NIC
// with one 32 MiB 64-bit prefetchable BAR behind a third.
Inventory gpu_host(uint64_t big_bar = 128 * kGiB) {
  FakeHost h;
  h.tree.dir("sys/bus/pci/devices");
  h.smmu(0x12000000).smmu(0x16000000).smmu(0x17000000);
  h.device({.bdf = "0002:01:00.0", .smmu = 0x12000000});
  h.device(gpu("0009:01:00.0", 0x16000000, big_bar));
  h.device(gpu("000a:01:00.0", 0x17000000, big_bar, "0x030000"));
  auto inv = probe_host(h.tree);
  EXPECT_TRUE(inv.ok()) << inv.error().message;
  return std::move(inv).value();
}

PlanRequest all() {
  PlanRequest r;
  r.all_assignable = true;
  return r;
}

TEST(GpuPlan, NvidiaDisplayAndThreeDControllersAreGpus) {
  EXPECT_TRUE(is_gpu(0x10de, 0x030200));
  EXPECT_TRUE(is_gpu(0x10de, 0x030000));
  EXPECT_FALSE(is_gpu(0x10de, 0x020000));  // an NVIDIA NIC
  EXPECT_FALSE(is_gpu(0x1002, 0x030000));  // another vendor's GPU
}

TEST(GpuPlan, ConsecutiveNodesInPlanOrderAndAReserveOnEachGpusPort) {
  auto plan = make_plan(gpu_host(), all());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->devices.size(), 3u);
  EXPECT_TRUE(plan->devices[0].gpu_numa_nodes.empty());  // the NIC
  EXPECT_EQ(plan->devices[1].gpu_numa_nodes, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(plan->devices[2].gpu_numa_nodes, (std::vector<int>{9, 10, 11, 12, 13, 14, 15, 16}));
  EXPECT_EQ(plan->vsmmus[0].root_ports[0].pref64_reserve, 0u);
  // 128 GiB + 32 MiB prefetchable (the 16 MiB BAR is not): rounded up.
  EXPECT_EQ(plan->vsmmus[1].root_ports[0].pref64_reserve, 256 * kGiB);
  EXPECT_EQ(plan->vsmmus[2].root_ports[0].pref64_reserve, 256 * kGiB);
  // 32 MiB + 2 x 256 GiB, doubled: 1 TiB + 64 MiB, so 2 TiB.
  EXPECT_EQ(mmio64_need(gpu_host(), *plan), 512 * kGiB + 32 * kMiB);
  EXPECT_EQ(plan->highmem_mmio_size, 2 * kTiB);
}

TEST(GpuPlan, HighmemOnlyAboveQemusDefault) {
  EXPECT_EQ(highmem_mmio_size_for(0), 0u);
  EXPECT_EQ(highmem_mmio_size_for(256 * kGiB), 0u);  // 512 GiB: the default holds it
  EXPECT_EQ(highmem_mmio_size_for(256 * kGiB + 1), kTiB);
  // 32 MiB + 2 x 64 GiB reserves, doubled: 256 GiB + 64 MiB fit the default.
  auto small = make_plan(gpu_host(32 * kGiB), all());
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->vsmmus[1].root_ports[0].pref64_reserve, 64 * kGiB);
  EXPECT_EQ(small->highmem_mmio_size, 0u);
}

TEST(GpuPlan, SizesPastAnyWindowAreRefusedNotWrapped) {
  EXPECT_EQ(highmem_mmio_size_for(1ull << 62), 1ull << 63);
  EXPECT_EQ(highmem_mmio_size_for((1ull << 62) + 1), std::nullopt);
  EXPECT_EQ(highmem_mmio_size_for(UINT64_MAX), std::nullopt);
  // 2^63-byte BARs: no power-of-two reserve past the largest window, and two
  // GPUs' BARs sum past 2^64 (which wrapped, or hung rounding up, before).
  auto huge = make_plan(gpu_host(1ull << 63), all());
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::NoFit);
  EXPECT_EQ(huge.error().message,
            "the devices' 64-bit BARs and reserves take more than 16 EiB, more than the 64 TiB a 48-bit "
            "guest address space holds: split the devices over several VMs");
  auto big = make_plan(gpu_host(1ull << 61), all());
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("take 4194304 TiB + 128 MiB, more than the 64 TiB"), std::string::npos)
      << big.error().message;
}

TEST(GpuPlan, NodesFollowTheNumaMapOrTheRequest) {
  PlanRequest r = all();
  r.numa_map = {{0, 0}};
  r.gpu.numa_nodes_per_gpu = 2;
  auto plan = make_plan(gpu_host(), r);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->devices[1].gpu_numa_nodes, (std::vector<int>{1, 2}));
  r.numa_map = {{0, 0}, {1, 3}};
  EXPECT_EQ(make_plan(gpu_host(), r)->devices[2].gpu_numa_nodes, (std::vector<int>{6, 7}));
  r.gpu.first_numa_node = 10;
  EXPECT_EQ(make_plan(gpu_host(), r)->devices[1].gpu_numa_nodes, (std::vector<int>{10, 11}));
  r.gpu.numa_nodes_per_gpu = 0;
  auto none = make_plan(gpu_host(), r);
  EXPECT_TRUE(none->devices[1].gpu_numa_nodes.empty());
  EXPECT_EQ(none->vsmmus[1].root_ports[0].pref64_reserve, 256 * kGiB);  // reserves stay
}

TEST(GpuPlan, AFirstNodeAmongTheGuestsOwnIsARequestError) {
  PlanRequest r = all();
  r.numa_map = {{0, 0}, {1, 1}};
  r.gpu.first_numa_node = 1;
  auto plan = make_plan(gpu_host(), r);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::Request);
  EXPECT_EQ(plan.error().message,
            "the first GPU NUMA node, 1, is not above the guest's own nodes 0..1 (the NUMA map's); "
            "start the GPU nodes at 2 or above");
}

TEST(GpuPlan, NodesPastQemusLastDoNotFit) {
  PlanRequest r = all();
  r.gpu.numa_nodes_per_gpu = 64;
  auto plan = make_plan(gpu_host(), r);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::NoFit);
  EXPECT_EQ(plan.error().message,
            "2 GPUs x 64 guest NUMA nodes from node 1 end at node 128, past QEMU's last node 127: "
            "give each GPU fewer (--gpu-numa-nodes) or start lower (--gpu-first-numa-node)");
  r.gpu.numa_nodes_per_gpu = 63;
  r.gpu.first_numa_node = 2;
  EXPECT_TRUE(make_plan(gpu_host(), r).ok());  // 2..127
}

TEST(GpuPlan, MoreHighMmioThanAGuestAddressesDoesNotFit) {
  // 2 x 16 TiB reserves and a NIC: 32 TiB + 32 MiB, a 128 TiB window.
  auto plan = make_plan(gpu_host(8 * kTiB), all());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::NoFit);
  EXPECT_EQ(plan.error().message,
            "the devices' 64-bit BARs and reserves take 32 TiB + 32 MiB; with headroom that is a "
            "128 TiB high MMIO window, more than the 64 TiB a 48-bit guest address space holds: "
            "split the devices over several VMs");
}

PlanRequest all_with_spare_reserve(uint64_t reserve) {
  PlanRequest r = all();
  r.hotplug_ports = 1;
  r.hotplug_pref64_reserve = reserve;
  return r;
}

TEST(GpuPlan, GpuPortsKeepTheirReserveAndSparePortsTheHotplugOne) {
  Inventory inv = gpu_host();
  auto plan = make_plan(inv, all_with_spare_reserve(512 * kGiB));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->vsmmus.size(), 3u);
  EXPECT_EQ(plan->vsmmus[0].root_ports[0].pref64_reserve, 0u);  // the NIC's
  EXPECT_EQ(plan->vsmmus[1].root_ports[0].pref64_reserve, 256 * kGiB);  // a GPU's own
  EXPECT_EQ(plan->vsmmus[2].root_ports[0].pref64_reserve, 256 * kGiB);
  for (const auto& v : plan->vsmmus) EXPECT_EQ(v.root_ports[1].pref64_reserve, 512 * kGiB);
  SpareReserves spare = spare_reserves(*plan);
  EXPECT_EQ(spare.ports, 3u);
  EXPECT_EQ(spare.bytes, 1536 * kGiB);
  // The window grows by them: 32 MiB + 2 x 256 GiB + 3 x 512 GiB, doubled: 8 TiB.
  EXPECT_EQ(mmio64_need(inv, *plan), 2 * kTiB + 32 * kMiB);
  EXPECT_EQ(plan->highmem_mmio_size, 8 * kTiB);
  EXPECT_EQ(spare_reserves_text(spare), " (1 TiB + 512 GiB of it hotplug reserves on 3 spare root ports)");
  EXPECT_EQ(spare_reserves_text({1, 512 * kGiB}), " (512 GiB of it a hotplug reserve on 1 spare root port)");
  EXPECT_EQ(spare_reserves_text({}), "");
}

TEST(GpuPlan, HotplugReservesPastTheLargestWindowDoNotFit) {
  auto plan = make_plan(gpu_host(), all_with_spare_reserve(16 * kTiB));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ErrorKind::NoFit);
  EXPECT_EQ(plan.error().message,
            "the devices' 64-bit BARs and reserves take 48 TiB + 512 GiB + 32 MiB (48 TiB of it hotplug "
            "reserves on 3 spare root ports); with headroom that is a 128 TiB high MMIO window, more than "
            "the 64 TiB a 48-bit guest address space holds: give a smaller --hotplug-pref64-reserve or "
            "fewer --hotplug-ports, or split the devices over several VMs");
}

}  // namespace
}  // namespace smmu
