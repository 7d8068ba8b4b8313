#include "planner/plan_json.h"

#include <gtest/gtest.h>

#include "planner/plan_check.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

// A small valid plan: pxb 0xfc with one device port and one spare.
nlohmann::json sample() {
  return nlohmann::json::parse(R"({
    "version": 2, "pcie0_buses": 16,
    "vsmmus": [{"id": "vsmmu0", "host_smmu": "smmu3.0x0000000016000000", "host_numa_node": 0,
                "pxb": {"id": "pxb0", "bus_nr": 252, "addr": 31, "numa_node": null},
                "root_ports": [
                  {"id": "pxb0.rp0", "slot": 0, "function": 0, "chassis": 253, "bus": 253,
                   "host_bdf": "0009:01:00.0"},
                  {"id": "pxb0.rp1", "slot": 1, "function": 0, "chassis": 254, "bus": 254,
                   "host_bdf": null}],
                "caps": {"ats": true, "ril": true, "ssidsize": 16, "oas": 48, "cmdqv": true}}],
    "devices": [{"id": "dev0", "host_bdf": "0009:01:00.0", "guest_bdf": "0000:fd:00.0",
                 "vsmmu": "vsmmu0", "root_port": "pxb0.rp0", "vendor": "0x10de",
                 "device": "0x2342", "class": "0x030200"}]})");
}

std::string error_for(const nlohmann::json& j) {
  auto plan = plan_from_json_text(j.dump());
  EXPECT_FALSE(plan.ok()) << j.dump();
  if (plan.ok()) return {};
  EXPECT_EQ(plan.error().kind, ErrorKind::PlanFile);
  EXPECT_EQ(plan.error().message.find('\n'), std::string::npos);
  return plan.error().message;
}

TEST(PlanJson, RoundTrips) {
  auto plan = plan_from_json_text(sample().dump());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->vsmmus[0].buses(), (BusRange{0xfc, 0xfe}));
  auto again = plan_to_json(*plan);
  again["vsmmus"][0].erase("buses");  // derived, written for readers only
  EXPECT_EQ(again, sample());
}

TEST(PlanJson, UnknownCapsRoundTripAsNull) {
  auto j = sample();
  j["vsmmus"][0]["caps"] = nullptr;
  auto plan = plan_from_json_text(j.dump());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_FALSE(plan->vsmmus[0].caps);
  EXPECT_TRUE(plan_to_json(*plan)["vsmmus"][0]["caps"].is_null());
}

// The GPU fields are optional: written only when set, read back as written.
TEST(PlanJson, GpuFieldsRoundTripAndAreOptional) {
  auto j = sample();
  j["highmem_mmio_size"] = 1ull << 40;
  j["vsmmus"][0]["root_ports"][0]["pref64_reserve"] = 256ull << 30;
  j["devices"][0]["gpu_numa_nodes"] = {1, 2, 3};
  auto plan = plan_from_json_text(j.dump());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->highmem_mmio_size, 1ull << 40);
  EXPECT_EQ(plan->vsmmus[0].root_ports[0].pref64_reserve, 256ull << 30);
  EXPECT_EQ(plan->vsmmus[0].root_ports[1].pref64_reserve, 0u);
  EXPECT_EQ(plan->devices[0].gpu_numa_nodes, (std::vector<int>{1, 2, 3}));
  auto again = plan_to_json(*plan);
  again["vsmmus"][0].erase("buses");
  EXPECT_EQ(again, j);
  auto without = plan_to_json(*plan_from_json_text(sample().dump()));
  EXPECT_FALSE(without.contains("highmem_mmio_size"));
  EXPECT_FALSE(without["devices"][0].contains("gpu_numa_nodes"));
  EXPECT_FALSE(without["vsmmus"][0]["root_ports"][0].contains("pref64_reserve"));
  j["devices"][0]["gpu_numa_nodes"] = {1, "2"};
  EXPECT_EQ(error_for(j), "plan: $.devices[0].gpu_numa_nodes: expected guest NUMA node numbers");
  j["devices"][0]["gpu_numa_nodes"] = {1};
  j["highmem_mmio_size"] = -1;
  EXPECT_EQ(error_for(j), "plan: $.highmem_mmio_size: expected a non-negative integer");
}

TEST(PlanJson, MalformedFilesNameTheElement) {
  EXPECT_EQ(plan_from_json_text("{").error().message, "plan: not valid JSON");
  auto j = sample();
  j["version"] = 3;
  EXPECT_EQ(error_for(j), "plan: $.version: this smmu-plan reads version 2");
  j["version"] = 1;
  EXPECT_EQ(error_for(j),
            "plan: $.version: version 1 plans carry no vSMMU capabilities; plan again (this "
            "smmu-plan reads and writes version 2)");
  j = sample();
  j["vsmmus"][0].erase("caps");
  EXPECT_EQ(error_for(j), "plan: $.vsmmus[0].caps: missing (null when unknown)");
  j = sample();
  j["vsmmus"][0]["caps"]["ats"] = "on";
  EXPECT_EQ(error_for(j), "plan: $.vsmmus[0].caps.ats: expected true or false");
  j = sample();
  j["vsmmus"][0]["caps"]["ssidsize"] = 21;
  EXPECT_EQ(error_for(j), "plan: $.vsmmus[0].caps.ssidsize: must be at most 20");
  j = sample();
  j["vsmmus"][0]["pxb"]["bus_nr"] = 256;
  EXPECT_EQ(error_for(j), "plan: $.vsmmus[0].pxb.bus_nr: must be at most 255");
  j = sample();
  j["vsmmus"][0]["root_ports"][1]["slot"] = "1";
  EXPECT_EQ(error_for(j), "plan: $.vsmmus[0].root_ports[1].slot: expected a non-negative integer");
  j = sample();
  j["devices"][0]["host_bdf"] = "9:1:0.0";
  EXPECT_NE(error_for(j).find("$.devices[0].host_bdf: malformed PCI address"), std::string::npos);
  j = sample();
  j["devices"][0] = 7;
  EXPECT_EQ(error_for(j), "plan: $.devices[0]: expected an object");
  j = sample();
  j["vsmmus"][0].erase("host_smmu");
  EXPECT_EQ(error_for(j), "plan: $.vsmmus[0].host_smmu: missing");
}

TEST(PlanJson, AFileOverTheBoundIsRefusedUnparsed) {
  // Valid JSON (the sample, then spaces) past the bound: not a plan.
  std::string text = sample().dump();
  text += std::string(kMaxPlanFileBytes - text.size(), ' ');
  EXPECT_TRUE(plan_from_json_text(text).ok());
  EXPECT_EQ(plan_from_json_text(text + " ").error().message,
            "plan: larger than 1048576 bytes, which no plan is");
}

// The shapes the domain merge knows its own elements by.
TEST(PlanCheck, PlanIdsHaveMakePlansShapes) {
  for (const char* id : {"vsmmu0", "pxb12", "pxb1.rp0", "pxb0.rp31", "dev7"}) EXPECT_TRUE(is_plan_id(id)) << id;
  for (const char* id :
       {"", "vsmmu", "pxb", "pxb.rp0", "pxb0.rp", "pxb0-rp0", "devr", "dev1x", "pcie.0", "pxb0.rp1.rp2"}) {
    EXPECT_FALSE(is_plan_id(id)) << id;
  }
}

// Every rule of check_plan, broken one at a time in a file.
TEST(PlanCheck, RefusesWhatQemuOrFirmwareWouldNot) {
  struct Case {
    std::function<void(nlohmann::json&)> breakit;
    const char* message;
  };
  std::vector<Case> cases = {
      {[](auto& j) { j["devices"][0]["id"] = "dev0,bus=pcie.0"; },
       "plan: id 'dev0,bus=pcie.0' is not one smmu-plan makes (devN); plan again"},
      {[](auto& j) { j["vsmmus"][0]["pxb"]["id"] = "pcie.1"; },
       "plan: id 'pcie.1' is not one smmu-plan makes (pxbN); plan again"},
      {[](auto& j) { j["devices"][0]["id"] = "pxb0"; },
       "plan: id 'pxb0' is not one smmu-plan makes (devN); plan again"},
      // The domain merge knows its own elements by these shapes: "devr"
      // would be kept as the operator's on the next apply.
      {[](auto& j) { j["devices"][0]["id"] = "devr"; },
       "plan: id 'devr' is not one smmu-plan makes (devN); plan again"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][0]["id"] = "pxb1.rp0"; },
       "plan: id 'pxb1.rp0' is not one smmu-plan makes (<its pxb>.rpN); plan again"},
      {[](auto& j) { j["vsmmus"][0]["id"] = "vsmmu"; },
       "plan: id 'vsmmu' is not one smmu-plan makes (vsmmuN); plan again"},
      {[](auto& j) { j["vsmmus"][0]["pxb"]["id"] = "vsmmu0"; },
       "plan: id 'vsmmu0' is not one smmu-plan makes (pxbN); plan again"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["id"] = "pxb0.rp0"; }, "plan: id 'pxb0.rp0' is used twice"},
      {[](auto& j) { j["vsmmus"][0]["pxb"]["bus_nr"] = 16; },
       "plan: pxb0: bus_nr 0x10 is inside pcie.0's buses 0x00-0x10"},
      {[](auto& j) { j["vsmmus"][0]["pxb"]["bus_nr"] = 254; },
       "plan: pxb0: buses 0xfe+2 run past bus 0xff"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["bus"] = 255; },
       "plan: pxb0.rp1: firmware numbers it bus 0xfe, not 0xff"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["chassis"] = 253; },
       "plan: pxb0.rp1: chassis 253 is zero or used twice"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["slot"] = 0; },
       "plan: vsmmu0: root ports must be listed in slot.function order"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["function"] = 1; j["vsmmus"][0]["root_ports"][1]["slot"] = 2; },
       "plan: pxb0.rp1: slot 2 has no function 0"},
      {[](auto& j) { j["vsmmus"][0]["pxb"]["addr"] = 0; },
       "plan: pxb0: pcie.0 slot 0 is the host bridge's, out of range or used twice"},
      {[](auto& j) { j["devices"][0]["guest_bdf"] = "0000:fe:00.0"; },
       "plan: dev0 (0009:01:00.0): behind pxb0.rp0 the guest sees it at 0000:fd:00.0, not 0000:fe:00.0"},
      {[](auto& j) { j["devices"][0]["root_port"] = "pxb0.rp1"; },
       "plan: dev0 (0009:01:00.0): root port pxb0.rp1 holds no device"},
      {[](auto& j) { j["devices"] = nlohmann::json::array(); },
       "plan: pxb0.rp0 holds 0009:01:00.0 but no device entry names it"},
      {[](auto& j) { j["vsmmus"] = nlohmann::json::array(); }, "plan: no vSMMU"},
      {[](auto& j) { j["vsmmus"][0]["caps"]["oas"] = 52; },
       "plan: vsmmu0: oas 52 is not one QEMU offers (44 or 48)"},
      {[](auto& j) { j["highmem_mmio_size"] = 3ull << 40; },
       "plan: highmem_mmio_size 3298534883328 is not a power of two above QEMU's default 512 GiB "
       "and at most 64 TiB"},
      {[](auto& j) { j["highmem_mmio_size"] = 512ull << 30; },
       "plan: highmem_mmio_size 549755813888 is not a power of two above QEMU's default 512 GiB "
       "and at most 64 TiB"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][0]["pref64_reserve"] = 3ull << 30; },
       "plan: pxb0.rp0: pref64_reserve 3221225472 is not a power of two"},
      {[](auto& j) { j["devices"][0]["gpu_numa_nodes"] = {1, 1}; },
       "plan: GPU NUMA node 1 is used twice"},
      {[](auto& j) { j["devices"][0]["gpu_numa_nodes"] = {128}; },
       "plan: dev0: GPU NUMA node 128 is not in 1..127 (above the guest's own nodes, within QEMU's)"},
      {[](auto& j) {
         j["vsmmus"][0]["pxb"]["numa_node"] = 1;
         j["devices"][0]["gpu_numa_nodes"] = {1, 2};
       },
       "plan: dev0: GPU NUMA node 1 is not in 2..127 (above the guest's own nodes, within QEMU's)"},
      {[](auto& j) {
         auto second = j["vsmmus"][0];
         second["id"] = "vsmmu1";
         second["pxb"]["id"] = "pxb1";
         second["pxb"]["addr"] = 30;
         second["pxb"]["bus_nr"] = 253;
         second["host_smmu"] = "smmu3.0x0000000005000000";
         second["root_ports"] = nlohmann::json::parse(
             R"([{"id": "pxb1.rp0", "slot": 0, "function": 0, "chassis": 254, "bus": 254}])");
         j["vsmmus"].push_back(second);
       },
       "plan: pxb1.rp0: chassis 254 is zero or used twice"},
  };
  for (const auto& c : cases) {
    auto j = sample();
    c.breakit(j);
    EXPECT_EQ(error_for(j), c.message);
  }
}

TEST(PlanCheck, OverlappingRangesAndSharedHostSmmu) {
  auto j = sample();
  auto second = j["vsmmus"][0];
  second["id"] = "vsmmu1";
  second["pxb"] = {{"id", "pxb1"}, {"bus_nr", 250}, {"addr", 30}, {"numa_node", nullptr}};
  second["root_ports"] = nlohmann::json::parse(
      R"([{"id": "pxb1.rp0", "slot": 0, "function": 0, "chassis": 251, "bus": 251},
          {"id": "pxb1.rp1", "slot": 1, "function": 0, "chassis": 252, "bus": 252}])");
  j["vsmmus"].push_back(second);
  EXPECT_EQ(error_for(j), "plan: pxb0's buses 0xfc-0xfe overlap pxb1's 0xfa-0xfc");
  j["vsmmus"][1]["pxb"]["bus_nr"] = 249;
  j["vsmmus"][1]["root_ports"][0]["bus"] = 250;
  j["vsmmus"][1]["root_ports"][1]["bus"] = 251;
  EXPECT_EQ(error_for(j), "plan: smmu3.0x0000000016000000 has two vSMMUs; each host SMMU gets exactly one");
  j["vsmmus"][1]["host_smmu"] = "smmu3.0x0000000005000000";
  EXPECT_TRUE(plan_from_json_text(j.dump()).ok());
}

// A spare port's hotplug reserve is written and read back like a GPU port's.
TEST(PlanJson, ASparePortsReserveRoundTrips) {
  Plan plan = test::spare_reserve_plan();
  auto j = plan_to_json(plan);
  EXPECT_EQ(j["vsmmus"][0]["root_ports"][2]["pref64_reserve"], 512ull << 30);
  EXPECT_TRUE(j["vsmmus"][0]["root_ports"][2]["host_bdf"].is_null());  // a spare port
  auto back = plan_from_json_text(j.dump());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->vsmmus[0].root_ports[2].pref64_reserve, 512ull << 30);
  EXPECT_FALSE(back->vsmmus[0].root_ports[2].host_bdf);
  EXPECT_EQ(plan_to_json(*back), j);
}

}  // namespace
}  // namespace smmu
