// check_plan's rules that a plan file cannot break (its reader refuses the
// numbers first) or that are simplest broken in memory; the file-borne ones
// are in plan_json_test.cpp. Every rule has a case that trips it.
#include "planner/plan_check.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "tests/sample_plans.h"

namespace smmu {
namespace {

std::string refusal(const Plan& plan) {
  Status s = check_plan(plan);
  EXPECT_FALSE(s.ok());
  if (s.ok()) return {};
  EXPECT_EQ(s.error().kind, ErrorKind::PlanFile);
  return s.error().message;
}

// The shapes the domain merge knows its own elements by.
TEST(PlanCheck, PlanIdsHaveMakePlansShapes) {
  for (const char* id : {"vsmmu0", "pxb12", "pxb1.rp0", "pxb0.rp31", "dev7"}) EXPECT_TRUE(is_plan_id(id)) << id;
  for (const char* id :
       {"", "vsmmu", "pxb", "pxb.rp0", "pxb0.rp", "pxb0-rp0", "devr", "dev1x", "pcie.0", "pxb0.rp1.rp2"}) {
    EXPECT_FALSE(is_plan_id(id)) << id;
  }
}

TEST(PlanCheck, RefusesInMemoryWhatNoFileCanSay) {
  struct Case {
    std::function<void(Plan&)> breakit;
    const char* message;
  };
  std::vector<Case> cases = {
      {[](Plan& p) { p.pcie0_buses = 255; }, "plan: pcie0_buses must be below 255"},
      {[](Plan& p) { p.vsmmus[0].root_ports[0].slot = 32; },
       "plan: pxb0.rp0: address 32.0 is not a PCI slot.function"},
      {[](Plan& p) { p.vsmmus[1].root_ports[0].function = 8; },
       "plan: pxb1.rp0: address 0.8 is not a PCI slot.function"},
      {[](Plan& p) { p.vsmmus[0].caps = VsmmuCaps{.ssidsize = 21, .oas = 48}; },
       "plan: vsmmu0: ssidsize 21 is above QEMU's 20"},
      {[](Plan& p) { p.vsmmus[1].host_smmu.clear(); }, "plan: vsmmu1 names no host SMMU"},
      {[](Plan& p) { p.vsmmus[1].root_ports.clear(); }, "plan: vsmmu1 has no root port"},
      {[](Plan& p) {
         p.vsmmus.clear();
         p.devices.clear();
         for (unsigned k = 0; k < 17; ++k) {
           p.vsmmus.push_back(test::vsmmu_at(k, static_cast<uint8_t>(0x20 + 2 * k), {0}, 0, p));
         }
       },
       "plan: 17 vSMMUs; QEMU's virt machine takes at most 16"},
  };
  ASSERT_TRUE(check_plan(test::two_pxb_plan()).ok());
  for (const auto& c : cases) {
    Plan plan = test::two_pxb_plan();
    c.breakit(plan);
    EXPECT_EQ(refusal(plan), c.message);
  }
}

// Why check_plan has no chassis rule: a port's chassis is its bus
// (planner/plan.h), and the bus rules it does check make those unique and
// nonzero in every plan it passes.
TEST(PlanCheck, APlanItPassesHasEachChassisOnceAndNoneZero) {
  for (const Plan& plan : {test::two_pxb_plan(), test::three_pxb_plan(), test::gpu_plan(),
                           test::spare_reserve_plan(), test::multifunction_plan()}) {
    ASSERT_TRUE(check_plan(plan).ok()) << check_plan(plan).error().message;
    std::set<unsigned> chassis;
    for (const auto& v : plan.vsmmus) {
      for (const auto& rp : v.root_ports) {
        EXPECT_NE(rp.chassis(), 0) << rp.id;
        EXPECT_TRUE(chassis.insert(rp.chassis()).second) << rp.id;
      }
    }
  }
}

}  // namespace
}  // namespace smmu
