#include "verify/verify_gpu.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "planner/plan_json.h"
#include "tests/test_paths.h"
#include "verify/verify.h"

namespace smmu {
namespace {

Plan gpu_plan() { return *plan_from_json_text(test::guest_sample_bytes("gpu-gh200.plan.json")); }

// What the booted gpu-gh200 guest reported.
GuestReport gpu_guest() {
  GuestReport g;
  std::string iort = test::guest_sample_bytes("gpu-gh200.iort.bin");
  std::string srat = test::guest_sample_bytes("gpu-gh200.srat.bin");
  g.iort.assign(iort.begin(), iort.end());
  std::string text = test::guest_sample_bytes("gpu-gh200.guest.txt");
  g.smmu_map = *parse_smmu_map(text.substr(0, text.find("=== PCI BEGIN")));
  g.pci = *parse_pci_list(text.substr(text.find("=== PCI BEGIN")));
  g.srat = std::vector<uint8_t>(srat.begin(), srat.end());
  g.numa = *parse_guest_numa(test::guest_sample_bytes("gpu-gh200.numa.txt"));
  g.bridge_windows = *parse_bridge_windows(test::guest_sample_bytes("gpu-gh200.bridge-windows.txt"));
  return g;
}

std::vector<std::string> differences(const Plan& plan, const GuestReport& guest) {
  std::vector<std::string> out;
  auto checked = check_gpus(plan, guest, out);
  EXPECT_TRUE(checked.ok()) << checked.error().message;
  return out;
}

TEST(GuestReport, ParsesTheGpuSections) {
  auto numa = parse_guest_numa("has_generic_initiator 1-3,7\nmax_nodes 16\n");
  ASSERT_TRUE(numa.ok());
  EXPECT_EQ(numa->generic_initiators, (std::set<int>{1, 2, 3, 7}));
  EXPECT_EQ(numa->max_nodes, 16);
  EXPECT_TRUE(parse_guest_numa("has_generic_initiator \n")->generic_initiators.empty());
  EXPECT_EQ(parse_guest_numa("possible 0-3\n").error().message,
            "NUMA line 1: expected 'has_generic_initiator <nodes>' or 'max_nodes <n>', got 'possible 0-3'");
  auto windows = parse_bridge_windows("0000:fd:00.0 0xc000000000 0xffffffffff\n");
  ASSERT_TRUE(windows.ok());
  EXPECT_EQ((*windows)[0].end - (*windows)[0].start + 1, 256ull << 30);
  EXPECT_EQ(parse_bridge_windows("0000:fd:00.0 0x2000 0x1000\n").error().kind, ErrorKind::GuestReport);
  std::string log =
      "=== IORT BEGIN\n49\n=== IORT END\n=== NUMA BEGIN\nhas_generic_initiator 1\n=== NUMA END\n"
      "=== SRAT BEGIN\n=== SRAT END\n=== BRIDGE-WINDOWS BEGIN\n0000:fd:00.0 0x0 0xfffff\n"
      "=== BRIDGE-WINDOWS END\n";
  auto r = parse_console_log(log);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->srat->empty());  // printed, but the guest had none
  EXPECT_EQ(r->numa->generic_initiators, std::set<int>{1});
  EXPECT_EQ(r->bridge_windows->size(), 1u);
}

TEST(VerifyGpu, TheBootedGpuSampleMatchesItsPlan) {
  auto v = verify_guest(gpu_plan(), EmitForm::StandIns, gpu_guest());
  ASSERT_TRUE(v.ok()) << v.error().message;
  for (const auto& d : v->differences) ADD_FAILURE() << d;
  EXPECT_EQ(v->summary,
            "guest matches the plan: 1 devices at their guest BDFs behind 1 vSMMUs, nothing else "
            "translated, IORT (3 nodes), 8 GPU NUMA nodes in the SRAT, 8 in the guest kernel, "
            "firmware's windows for 1 root port reserve");
}

TEST(VerifyGpu, TheSratMustNameTheGpuForEachOfItsNodes) {
  Plan plan = gpu_plan();
  plan.devices[0].gpu_numa_nodes = {1, 2, 3, 4, 5, 6, 7, 9};  // 9 instead of 8
  auto out = differences(plan, gpu_guest());
  std::vector<std::string> want = {
      "SRAT: generic initiator of node 8 is not a planned GPU node",
      "SRAT: no generic initiator for GPU node 9 of 0000:fe:00.0",
      "guest kernel: GPU NUMA nodes 9 are not generic-initiator nodes (has_generic_initiator: 1-8)",
      "guest kernel: generic-initiator nodes 8 are not planned",
  };
  EXPECT_EQ(out, want);
  plan = gpu_plan();
  plan.port_of(plan.devices[0]).bus = 0xff;  // a GPU the guest does not have there
  EXPECT_EQ(differences(plan, gpu_guest()).front(),
            "SRAT: generic initiator of node 5 names 0000:fe:00.0, planned 0000:ff:00.0");
  GuestReport none = gpu_guest();
  none.srat->clear();
  EXPECT_EQ(differences(gpu_plan(), none),
            std::vector<std::string>{"SRAT: the guest has none, so none of the 8 GPU NUMA nodes"});
}

TEST(VerifyGpu, NodesBeyondTheGuestKernelAreCountedNotDifferences) {
  GuestReport small = gpu_guest();
  small.numa->max_nodes = 4;
  small.numa->generic_initiators = {1, 2, 3};
  std::vector<std::string> out;
  auto checked = check_gpus(gpu_plan(), small, out);
  ASSERT_TRUE(checked.ok());
  EXPECT_TRUE(out.empty()) << out.front();
  EXPECT_NE(checked->find("3 in the guest kernel (nodes 4-8 are beyond the 4 it holds)"),
            std::string::npos)
      << *checked;
  small.numa->max_nodes.reset();  // unknown: every planned node must be there
  EXPECT_EQ(differences(gpu_plan(), small),
            std::vector<std::string>{"guest kernel: GPU NUMA nodes 4-8 are not generic-initiator "
                                     "nodes (has_generic_initiator: 1-3)"});
}

TEST(VerifyGpu, FirmwareMustGiveEachReservingPortItsWindow) {
  GuestReport g = gpu_guest();
  (*g.bridge_windows)[0].end = (*g.bridge_windows)[0].start + (1ull << 20) - 1;
  EXPECT_EQ(differences(gpu_plan(), g),
            std::vector<std::string>{"pxb0.rp0 (0000:fd:00.0): firmware gave it 1 MiB of 64-bit "
                                     "prefetchable window, less than the planned 256 GiB (is "
                                     "highmem-mmio-size large enough?)"});
  g.bridge_windows->erase(g.bridge_windows->begin());
  EXPECT_EQ(differences(gpu_plan(), g),
            std::vector<std::string>{"pxb0.rp0 (0000:fd:00.0): firmware gave it no 64-bit "
                                     "prefetchable window; planned 256 GiB (is highmem-mmio-size "
                                     "large enough?)"});
}

TEST(VerifyGpu, APlanWithoutGpusChecksNothingOfThem) {
  Plan plan = gpu_plan();
  plan.devices[0].gpu_numa_nodes.clear();
  plan.vsmmus[0].root_ports[0].pref64_reserve = 0;
  std::vector<std::string> out;
  auto checked = check_gpus(plan, gpu_guest(), out);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(*checked, "");
  EXPECT_TRUE(out.empty());
}

TEST(VerifyGpu, AMalformedSratIsAReportError) {
  GuestReport g = gpu_guest();
  g.srat = std::vector<uint8_t>{'S', 'R', 'A', 'T'};
  std::vector<std::string> out;
  auto checked = check_gpus(gpu_plan(), g, out);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind, ErrorKind::GuestReport);
}

}  // namespace
}  // namespace smmu
