#include "emit/iort_from_plan.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/sample_plans.h"
#include "planner/plan_check.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

std::vector<uint8_t> guest_sample(const std::string& name) {
  std::string bytes = test::guest_sample_bytes(name);
  return {bytes.begin(), bytes.end()};
}

void expect_guest_reads(const Plan& plan, const std::string& sample) {
  ASSERT_TRUE(check_plan(plan).ok()) << check_plan(plan).error().message;
  auto ours = build_iort(iort_model(plan, EmitForm::StandIns));
  auto guest = guest_sample(sample);
  ASSERT_FALSE(guest.empty());
  auto a = decode_iort(ours, ErrorKind::PlanFile);
  auto b = decode_iort(guest, ErrorKind::PlanFile);
  ASSERT_TRUE(a.ok() && b.ok());
  for (const auto& line : diff_iort(*b, *a)) ADD_FAILURE() << line;
  EXPECT_EQ(ours, guest);
}

TEST(IortFromPlan, TwoPxbPlanGivesWhatTheGuestRead) {
  expect_guest_reads(test::two_pxb_plan(), "two-pxb.iort.bin");
}

TEST(IortFromPlan, ThreePxbPlanGivesWhatTheGuestRead) {
  expect_guest_reads(test::three_pxb_plan(), "three-pxb.iort.bin");
}

TEST(IortFromPlan, CreationOrderSetsBaseInterruptsAndIdentifier) {
  auto model = iort_model(test::three_pxb_plan(), EmitForm::Real);
  ASSERT_EQ(model.smmus.size(), 3u);
  EXPECT_EQ(model.smmus[1].base, 0x0c020000u);
  EXPECT_EQ(model.smmus[1].gsiv_base, 0x94u);
  EXPECT_EQ(model.smmus[1].identifier, 2u);
  EXPECT_EQ(model.smmus[1].buses, (BusRange{0xe0, 0xe1}));
  EXPECT_TRUE(model.smmus[0].accel);  // the real form runs accel=on: RMR nodes follow
  EXPECT_FALSE(iort_model(test::three_pxb_plan(), EmitForm::StandIns).smmus[0].accel);
}

TEST(IortFromPlan, AtsComesFromTheCapsInTheRealFormOnly) {
  Plan plan = test::two_pxb_plan();
  EXPECT_FALSE(iort_model(plan, EmitForm::Real).smmus[0].ats);  // unknown caps: predicted off
  plan.vsmmus[0].caps = VsmmuCaps{.ats = true, .ril = true, .ssidsize = 16, .oas = 48};
  plan.vsmmus[1].caps = VsmmuCaps{.ats = false, .ril = true, .ssidsize = 16, .oas = 48};
  IortModel real = iort_model(plan, EmitForm::Real);
  EXPECT_TRUE(real.smmus[0].ats);
  EXPECT_FALSE(real.smmus[1].ats);
  EXPECT_FALSE(iort_model(plan, EmitForm::StandIns).smmus[0].ats);
}

TEST(IortFromPlan, SaysWhenQemuDecidesTheAtsAttribute) {
  Plan plan = test::two_pxb_plan();  // planned without host caps
  EXPECT_EQ(iort_model_note(plan, EmitForm::Real),
            "the root complex's ats_attribute is shown as 0, but QEMU sets it from the host SMMU of "
            "the first device cold-plugged behind vsmmu0, vsmmu1 (ats=auto: planned without host caps)");
  EXPECT_EQ(iort_model_note(plan, EmitForm::StandIns), "");  // accel off: no ATS at all
  plan.vsmmus[0].caps = VsmmuCaps{.ats = true, .ril = true, .ssidsize = 16, .oas = 48};
  EXPECT_NE(iort_model_note(plan, EmitForm::Real).find("behind vsmmu1 ("), std::string::npos);
  plan.vsmmus[1].caps = plan.vsmmus[0].caps;
  EXPECT_EQ(iort_model_note(plan, EmitForm::Real), "");
}

}  // namespace
}  // namespace smmu
