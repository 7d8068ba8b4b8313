#include "emit/accel_props.h"

#include <gtest/gtest.h>

#include "tests/sample_plans.h"

namespace smmu {
namespace {

std::string text(const std::vector<AccelProp>& props) {
  std::string out;
  for (const auto& p : props) out += std::string(",") + p.name + "=" + p.value;
  return out;
}

TEST(AccelProps, KnownCapsAreExplicit) {
  Plan plan = test::two_pxb_plan();
  plan.vsmmus[0].caps = VsmmuCaps{.ats = true, .ril = false, .ssidsize = 16, .oas = 48};
  plan.vsmmus[1].caps = VsmmuCaps{.ats = false, .ril = true, .ssidsize = 0, .oas = 44};
  EXPECT_EQ(text(accel_props(plan, 0)), ",accel=on,ats=on,ril=off,ssidsize=16,oas=48,cmdqv=off");
  EXPECT_EQ(text(accel_props(plan, 1)), ",accel=on,ats=off,ril=on,ssidsize=0,oas=44,cmdqv=off");
}

TEST(AccelProps, CmdqvAnywhereGivesEveryVsmmuAnIdentifier) {
  Plan plan = test::three_pxb_plan();
  for (auto& v : plan.vsmmus) v.caps = VsmmuCaps{.ats = true, .ril = true, .ssidsize = 20, .oas = 48};
  plan.vsmmus[2].caps->cmdqv = true;
  EXPECT_EQ(text(accel_props(plan, 0)),
            ",accel=on,ats=on,ril=on,ssidsize=20,oas=48,cmdqv=off,identifier=1");
  EXPECT_EQ(text(accel_props(plan, 1)),
            ",accel=on,ats=on,ril=on,ssidsize=20,oas=48,cmdqv=off,identifier=2");
  EXPECT_EQ(text(accel_props(plan, 2)),
            ",accel=on,ats=on,ril=on,ssidsize=20,oas=48,cmdqv=on,identifier=3");
}

TEST(AccelProps, UnknownCapsAreAutoWithIdentifiers) {
  Plan plan = test::two_pxb_plan();  // sample plans carry no caps
  plan.vsmmus[1].caps = VsmmuCaps{.ats = true, .ril = true, .ssidsize = 16, .oas = 48};
  EXPECT_EQ(text(accel_props(plan, 0)),
            ",accel=on,ats=auto,ril=auto,ssidsize=auto,oas=auto,cmdqv=auto,identifier=1");
  EXPECT_EQ(text(accel_props(plan, 1)),
            ",accel=on,ats=on,ril=on,ssidsize=16,oas=48,cmdqv=off,identifier=2");
}

}  // namespace
}  // namespace smmu
