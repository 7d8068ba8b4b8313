#include "planner/plan_json.h"

#include <gtest/gtest.h>

#include "planner/plan_check.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

// A small valid plan: pxb 0xfc with one device port and one spare.
nlohmann::json sample() {
  return nlohmann::json::parse(R"({
    "version": 3, "pcie0_buses": 16,
    "vsmmus": [{"id": "vsmmu0", "host_smmu": "smmu3.0x0000000016000000", "host_numa_node": 0,
                "pxb": {"id": "pxb0", "bus_nr": 252, "addr": 31, "numa_node": null},
                "root_ports": [{"id": "pxb0.rp0", "slot": 0, "function": 0, "bus": 253},
                               {"id": "pxb0.rp1", "slot": 1, "function": 0, "bus": 254}],
                "caps": {"ats": true, "ril": true, "ssidsize": 16, "oas": 48, "cmdqv": true}}],
    "devices": [{"id": "dev0", "host_bdf": "0009:01:00.0", "root_port": "pxb0.rp0",
                 "vendor": "0x10de", "device": "0x2342", "class": "0x030200"}]})");
}

// The same plan as version 2 wrote it: the device's place also on its root
// port and on itself, chassis beside bus, the pxb's buses.
nlohmann::json version2_sample() {
  auto j = sample();
  j["version"] = 2;
  auto& v = j["vsmmus"][0];
  v["buses"] = {{"first", 252}, {"last", 254}};
  for (auto& rp : v["root_ports"]) rp["chassis"] = rp["bus"];
  v["root_ports"][0]["host_bdf"] = "0009:01:00.0";
  v["root_ports"][1]["host_bdf"] = nullptr;
  j["devices"][0]["guest_bdf"] = "0000:fd:00.0";
  j["devices"][0]["vsmmu"] = "vsmmu0";
  return j;
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
  EXPECT_EQ(plan_to_json(*plan), sample());  // each fact once: nothing derived is written
}

// What the file no longer says comes out of what it does (planner/plan.h).
TEST(PlanJson, WhereADeviceSitsFollowsFromItsRootPort) {
  auto plan = plan_from_json_text(sample().dump());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const DevicePlan& d = plan->devices[0];
  const auto& ports = plan->vsmmus[0].root_ports;
  EXPECT_EQ(&plan->port_of(d), &ports[0]);
  EXPECT_EQ(&plan->vsmmu_of(d), &plan->vsmmus[0]);
  EXPECT_EQ(plan->guest_bdf(d).str(), "0000:fd:00.0");
  EXPECT_EQ(plan->device_on(ports[0]), &d);
  EXPECT_EQ(plan->device_on(ports[1]), nullptr);  // spare
  EXPECT_EQ(ports[0].chassis(), 253);
  EXPECT_EQ(ports[1].chassis(), 254);
}

// A version 2 file says what version 3 says, and more: refused by name, as
// version 1 is, rather than read with copies that might disagree.
TEST(PlanJson, OlderVersionsAreRefusedByNameSayingPlanAgain) {
  EXPECT_EQ(error_for(version2_sample()),
            "plan: $.version: version 2 plans store a device's place twice (on its root port and on the "
            "device); plan again (this smmu-plan reads and writes version 3)");
  auto j = version2_sample();
  j["version"] = 1;
  EXPECT_EQ(error_for(j),
            "plan: $.version: version 1 plans carry no vSMMU capabilities; plan again (this "
            "smmu-plan reads and writes version 3)");
  for (int v : {0, 4}) {
    j["version"] = v;
    EXPECT_EQ(error_for(j), "plan: $.version: this smmu-plan reads version 3");
  }
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
  EXPECT_EQ(plan_to_json(*plan), j);
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
  j["devices"][0].erase("root_port");
  EXPECT_EQ(error_for(j), "plan: $.devices[0].root_port: missing");
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

// Every rule of check_plan a file can break, one at a time (the others:
// plan_check_test.cpp).
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
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["slot"] = 0; },
       "plan: vsmmu0: root ports must be listed in slot.function order"},
      {[](auto& j) { j["vsmmus"][0]["root_ports"][1]["function"] = 1; j["vsmmus"][0]["root_ports"][1]["slot"] = 2; },
       "plan: pxb0.rp1: slot 2 has no function 0"},
      {[](auto& j) { j["vsmmus"][0]["pxb"]["addr"] = 0; },
       "plan: pxb0: pcie.0 slot 0 is the host bridge's, out of range or used twice"},
      {[](auto& j) { j["devices"][0]["root_port"] = "pxb0.rp2"; },
       "plan: dev0 (0009:01:00.0): no root port 'pxb0.rp2'"},
      {[](auto& j) {
         auto second = j["devices"][0];
         second["id"] = "dev1";
         second["host_bdf"] = "0009:02:00.0";
         j["devices"].push_back(second);
       },
       "plan: pxb0.rp0 holds two devices"},
      {[](auto& j) {
         auto again = j["devices"][0];
         again["id"] = "dev1";
         again["root_port"] = "pxb0.rp1";
         j["devices"].push_back(again);
       },
       "plan: 0009:01:00.0 is planned twice"},
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
      R"([{"id": "pxb1.rp0", "slot": 0, "function": 0, "bus": 251},
          {"id": "pxb1.rp1", "slot": 1, "function": 0, "bus": 252}])");
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
  auto back = plan_from_json_text(j.dump());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->vsmmus[0].root_ports[2].pref64_reserve, 512ull << 30);
  EXPECT_FALSE(back->device_on(back->vsmmus[0].root_ports[2]));  // a spare port
  EXPECT_EQ(plan_to_json(*back), j);
}

}  // namespace
}  // namespace smmu
