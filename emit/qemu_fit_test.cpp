#include "emit/qemu_fit.h"

#include <gtest/gtest.h>

#include "emit/qemu_args.h"
#include "emit/shipped_caps.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

QemuCaps shipped(const char* release) {
  auto text = shipped_qemu_caps(release);
  EXPECT_TRUE(text) << release;
  return *parse_qemu_caps(text ? *text : "");
}

Plan with_caps(std::optional<VsmmuCaps> caps) {
  Plan plan = test::two_pxb_plan();
  for (auto& v : plan.vsmmus) v.caps = caps;
  return plan;
}

const VsmmuCaps kNoCmdqv{.ats = true, .ril = true, .ssidsize = 16, .oas = 48, .cmdqv = false};

std::string refusal(const Plan& plan, EmitForm form, const QemuCaps& caps) {
  auto fitted = fit_to_qemu(guest_model(plan, form), caps);
  if (fitted) return "";
  EXPECT_EQ(fitted.error().kind, ErrorKind::NoFit);
  return fitted.error().message;
}

TEST(QemuFit, Qemu111TakesTheModelAsItIs) {
  for (auto caps : {std::optional<VsmmuCaps>(kNoCmdqv), std::optional<VsmmuCaps>()}) {
    Plan plan = with_caps(caps);
    auto fitted = fit_to_qemu(guest_model(plan, EmitForm::Real), shipped("11.1"));
    ASSERT_TRUE(fitted) << fitted.error().message;
    EXPECT_TRUE(fitted->notes.empty());
    EXPECT_EQ(qemu_args(fitted->model), qemu_args(plan, EmitForm::Real));
  }
}

TEST(QemuFit, Qemu110LeavesOutCmdqvOffAndSaysSoOnce) {
  Plan plan = with_caps(kNoCmdqv);
  auto fitted = fit_to_qemu(guest_model(plan, EmitForm::Real), shipped("11.0"));
  ASSERT_TRUE(fitted) << fitted.error().message;
  EXPECT_EQ(fitted->notes, std::vector<std::string>{"QEMU 11.0 has no arm-smmuv3 'cmdqv': left out (off)"});
  auto args = qemu_args(fitted->model);
  EXPECT_EQ(args[5], "arm-smmuv3,primary-bus=pxb0,id=vsmmu0,accel=on,ats=on,ril=on,ssidsize=16,oas=48");
  EXPECT_EQ(args.size(), qemu_args(plan, EmitForm::Real).size());
}

TEST(QemuFit, Qemu110RefusesCmdqvAndAutoNamingTheRelease) {
  VsmmuCaps cmdqv = kNoCmdqv;
  cmdqv.cmdqv = true;
  EXPECT_EQ(refusal(with_caps(cmdqv), EmitForm::Real, shipped("11.0")),
            "QEMU 11.0 has no arm-smmuv3 'cmdqv': CMDQ-V needs QEMU >= 11.1");
  // 11.0 declares ats as OnOffAuto, yet resolves no `auto`.
  EXPECT_EQ(refusal(with_caps(std::nullopt), EmitForm::Real, shipped("11.0")),
            "QEMU 11.0's arm-smmuv3 takes ats='auto' but does not resolve it: an `auto` value "
            "(a plan made with --no-host-caps) needs QEMU >= 11.1");
}

TEST(QemuFit, Qemu102RunsTheStandInsButNotTheRealForm) {
  Plan plan = with_caps(kNoCmdqv);
  EXPECT_EQ(refusal(plan, EmitForm::Real, shipped("10.2")),
            "QEMU 10.2 has no arm-smmuv3 'accel': passthrough behind a vSMMU (accel=on over iommufd) "
            "needs QEMU >= 11.0");
  auto stand = fit_to_qemu(guest_model(plan, EmitForm::StandIns), shipped("10.2"));
  ASSERT_TRUE(stand) << stand.error().message;
  EXPECT_EQ(qemu_args(stand->model), qemu_args(plan, EmitForm::StandIns));
}

TEST(QemuFit, AQemuWithoutUserCreatableSmmus) {
  // QEMU 7.2 lists arm-smmuv3 with a primary-bus, yet refuses -device arm-smmuv3.
  QemuCaps old = shipped("10.2");
  old.release = "7.2";
  old.devices["arm-smmuv3"] = {{"bus_num", "uint8"}, {"primary-bus", "link<PCI>"}};
  old.objects.clear();
  const std::string refused =
      "QEMU 7.2's arm-smmuv3 cannot be created with -device: a vSMMU per pxb-pcie (user-creatable "
      "arm-smmuv3) needs QEMU >= 10.2";
  EXPECT_EQ(refusal(with_caps(kNoCmdqv), EmitForm::StandIns, old), refused);
  EXPECT_EQ(refusal(with_caps(kNoCmdqv), EmitForm::Real, old), refused);  // before its missing iommufd
  old.release = "10.2";
  old.devices["arm-smmuv3"].erase("primary-bus");
  EXPECT_EQ(refusal(with_caps(kNoCmdqv), EmitForm::StandIns, old),
            "QEMU 10.2 has no arm-smmuv3 'primary-bus': a vSMMU per pxb-pcie (user-creatable arm-smmuv3) "
            "needs QEMU >= 10.2");
  old.devices.erase("arm-smmuv3");
  EXPECT_EQ(refusal(with_caps(kNoCmdqv), EmitForm::StandIns, old),
            "QEMU 10.2 has no device 'arm-smmuv3': a vSMMU per pxb-pcie (user-creatable arm-smmuv3) "
            "needs QEMU >= 10.2");
}

TEST(QemuFit, MultifunctionRootPortsFit) {
  // More root ports than slots: functions 1..7 spelled 0xS.0xF.
  Plan p = test::multifunction_plan();
  for (const char* release : {"10.2", "11.0", "11.1"}) {
    EXPECT_EQ(refusal(p, EmitForm::StandIns, shipped(release)), "") << release;
  }
}

TEST(QemuFit, GpuOptionsAndTypesAreChecked) {
  QemuCaps caps = shipped("11.1");
  EXPECT_EQ(refusal(test::gpu_plan(), EmitForm::Real, caps), "");
  caps.machines["virt"].erase("highmem-mmio-size");
  EXPECT_EQ(refusal(test::gpu_plan(), EmitForm::Real, caps),
            "QEMU 11.1 has no virt machine 'highmem-mmio-size'");
  caps = shipped("11.1");
  caps.objects.erase("acpi-generic-initiator");
  EXPECT_EQ(refusal(test::gpu_plan(), EmitForm::Real, caps),
            "QEMU 11.1 has no object 'acpi-generic-initiator'");
  caps = shipped("11.1");
  caps.devices["pxb-pcie"]["bus_nr"] = "bool";  // a retyped property
  EXPECT_EQ(refusal(test::gpu_plan(), EmitForm::StandIns, caps),
            "QEMU 11.1's pxb-pcie bus_nr='0xe5' is not on or off");
}

TEST(ShippedCaps, EveryShippedReleaseParsesAndTheDefaultIsShipped) {
  EXPECT_EQ(shipped_qemu_releases(), "10.2, 11.0, 11.1");
  for (size_t i = 0; i < kShippedCapsCount; ++i) {
    auto caps = parse_qemu_caps(kShippedCaps[i].json);
    ASSERT_TRUE(caps) << kShippedCaps[i].release;
    EXPECT_EQ(caps->release, kShippedCaps[i].release);
    EXPECT_EQ(caps->source.empty(), caps->release == kDefaultQemuRelease) << caps->release;
  }
  EXPECT_TRUE(shipped_qemu_caps(kDefaultQemuRelease));
  EXPECT_FALSE(shipped_qemu_caps("7.2"));
}

}  // namespace
}  // namespace smmu
