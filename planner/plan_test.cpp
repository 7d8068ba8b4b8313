#include "planner/plan.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/sample_plans.h"

namespace smmu {
namespace {

// three-pxb: pxb 0xf0 (ports 0xf1, 0xf2 with dev0, dev1, and 0xf3 spare),
// pxb 0xe0 (0xe1, dev2), pxb 0xfa (0xfb, dev3).
TEST(Plan, ADevicesPlaceFollowsFromItsRootPort) {
  const Plan plan = test::three_pxb_plan();
  ASSERT_EQ(plan.devices.size(), 4u);
  const DevicePlan& dev2 = plan.devices[2];
  EXPECT_EQ(&plan.port_of(dev2), &plan.vsmmus[1].root_ports[0]);
  EXPECT_EQ(&plan.vsmmu_of(dev2), &plan.vsmmus[1]);
  EXPECT_EQ(plan.guest_bdf(dev2).str(), "0000:e1:00.0");
  EXPECT_EQ(plan.guest_bdf(plan.devices[1]).str(), "0000:f2:00.0");
  EXPECT_EQ(plan.vsmmu_of(plan.devices[3]).id, "vsmmu2");
  EXPECT_EQ(plan.device_on(plan.vsmmus[0].root_ports[1]), &plan.devices[1]);
  EXPECT_EQ(plan.device_on(plan.vsmmus[0].root_ports[2]), nullptr);
  EXPECT_TRUE(plan.vsmmus[1].holds(dev2));
  EXPECT_FALSE(plan.vsmmus[0].holds(dev2));
  EXPECT_FALSE(plan.vsmmus[2].holds(dev2));
}

// Unique in the guest because the bus is (planner/plan.h), never zero.
TEST(Plan, AChassisIsItsPortsBus) {
  Plan plan = test::three_pxb_plan();
  for (const auto& v : plan.vsmmus) {
    for (const auto& rp : v.root_ports) EXPECT_EQ(rp.chassis(), rp.bus) << rp.id;
  }
  EXPECT_EQ(plan.vsmmus[2].root_ports[0].chassis(), 0xfb);
  plan.port_of(plan.devices[0]).bus = 0x42;  // the mutable lookup reaches the plan's own port
  EXPECT_EQ(plan.vsmmus[0].root_ports[0].chassis(), 0x42);
  EXPECT_EQ(plan.guest_bdf(plan.devices[0]).str(), "0000:42:00.0");
}

TEST(Plan, ASpareIsAPortNoDeviceNames) {
  Plan plan = test::three_pxb_plan();
  auto spares = [](const Plan& p) {
    std::vector<std::string> out;
    for_each_spare_port(p, [&](const VsmmuPlan& v, const RootPortPlan& rp) { out.push_back(v.id + "/" + rp.id); });
    return out;
  };
  EXPECT_EQ(spares(plan), std::vector<std::string>{"vsmmu0/pxb0.rp2"});
  plan.devices.erase(plan.devices.begin() + 2);  // dev2 leaves pxb1.rp0
  EXPECT_EQ(spares(plan), (std::vector<std::string>{"vsmmu0/pxb0.rp2", "vsmmu1/pxb1.rp0"}));
}

// check_plan refuses such a plan; a lookup on one is a programming error.
TEST(Plan, ADeviceNamingNoPortOfItsPlanThrows) {
  Plan plan = test::two_pxb_plan();
  plan.devices[0].root_port = "pxb7.rp0";
  EXPECT_THROW((void)plan.port_of(plan.devices[0]), std::out_of_range);
  EXPECT_THROW((void)plan.vsmmu_of(plan.devices[0]), std::out_of_range);
  EXPECT_THROW((void)plan.guest_bdf(plan.devices[0]), std::out_of_range);
  EXPECT_EQ(plan.device_on(plan.vsmmus[0].root_ports[0]), nullptr);
}

}  // namespace
}  // namespace smmu
