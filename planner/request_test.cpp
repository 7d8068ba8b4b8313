#include "planner/request.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

PlanRequest from_file() {
  PlanRequest r;
  r.devices = {RequestedDevice(*parse_bdf("0009:01:00.0"), "vm.yaml:2")};
  r.selectors = {*parse_selector_spec("class=0x02")};
  r.hotplug_ports = 2;
  r.pcie0_buses = 32;
  r.numa_map = {{0, 0}, {1, 1}};
  return r;
}

TEST(Request, FlagsExtendListsAndReplaceNumbersAndMapEntries) {
  RequestFlags flags;
  flags.devices = {*parse_bdf("0002:01:00.0")};
  flags.selectors = {*parse_selector_spec("numa_node=1")};
  flags.hotplug_ports = 0;  // given: replaces the file's 2
  flags.numa_map = {{1, 3}, {2, 2}};
  auto r = with_flags(from_file(), flags);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->devices.size(), 2u);
  EXPECT_EQ(r->devices[0].origin, "vm.yaml:2");
  EXPECT_EQ(r->devices[1].bdf.str(), "0002:01:00.0");
  ASSERT_EQ(r->selectors.size(), 2u);
  EXPECT_EQ(selector_text(r->selectors[1]), "numa_node=1");
  EXPECT_EQ(r->hotplug_ports, 0u);
  EXPECT_EQ(r->pcie0_buses, 32u);  // not given: the file's
  EXPECT_EQ(r->numa_map, (NumaMap{{0, 0}, {1, 3}, {2, 2}}));
}

TEST(Request, NoFlagsLeaveTheFileAsItIs) {
  auto r = with_flags(from_file(), RequestFlags{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hotplug_ports, 2u);
  EXPECT_EQ(r->pcie0_buses, 32u);
  EXPECT_EQ(r->devices.size(), 1u);
}

TEST(Request, AllAssignableExcludesDevicesAndSelectorsFromEitherSide) {
  RequestFlags all;
  all.all_assignable = true;
  auto r = with_flags(from_file(), all);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_NE(r.error().message.find("all_assignable excludes devices and selectors"), std::string::npos);
  PlanRequest file_all;
  file_all.all_assignable = true;
  RequestFlags one;
  one.selectors = {*parse_selector_spec("class=0x02")};
  EXPECT_FALSE(with_flags(file_all, one).ok());
  EXPECT_TRUE(with_flags(file_all, all).ok());
}

TEST(Request, GpuFlagsReplaceTheFilesGpuNumbers) {
  PlanRequest file = from_file();
  file.gpu.numa_nodes_per_gpu = 4;
  file.gpu.first_numa_node = 3;
  RequestFlags flags;
  flags.gpu_numa_nodes = 0;
  auto r = with_flags(file, flags);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->gpu.numa_nodes_per_gpu, 0u);
  EXPECT_EQ(r->gpu.first_numa_node, 3u);  // not given: the file's
  flags.gpu_first_numa_node = 5;
  EXPECT_EQ(with_flags(file, flags)->gpu.first_numa_node, 5u);
  EXPECT_EQ(with_flags(PlanRequest{}, RequestFlags{})->gpu.numa_nodes_per_gpu,
            GpuRequest::kDefaultNumaNodes);
}

TEST(Request, AHotplugReserveFlagReplacesTheFiles) {
  PlanRequest file = from_file();
  file.hotplug_pref64_reserve = 256ull << 30;
  EXPECT_EQ(with_flags(file, RequestFlags{})->hotplug_pref64_reserve, 256ull << 30);  // not given: the file's
  RequestFlags flags;
  flags.hotplug_pref64_reserve = 1ull << 40;
  EXPECT_EQ(with_flags(file, flags)->hotplug_pref64_reserve, 1ull << 40);
  EXPECT_EQ(with_flags(from_file(), flags)->hotplug_pref64_reserve, 1ull << 40);
  EXPECT_FALSE(with_flags(from_file(), RequestFlags{})->hotplug_pref64_reserve);
}

}  // namespace
}  // namespace smmu
