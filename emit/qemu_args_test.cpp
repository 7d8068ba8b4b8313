#include "emit/qemu_args.h"

#include <gtest/gtest.h>

#include "tests/sample_plans.h"

namespace smmu {
namespace {

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += a + "\n";
  return out;
}

TEST(QemuArgs, RealFormUsesIommufdAndAccel) {
  Plan plan = test::two_pxb_plan();
  for (auto& v : plan.vsmmus) v.caps = VsmmuCaps{.ats = true, .ril = true, .ssidsize = 16, .oas = 48};
  EXPECT_EQ(joined(qemu_args(plan, EmitForm::Real)),
            "-object\niommufd,id=iommufd0\n"
            "-device\npxb-pcie,id=pxb0,bus_nr=0xe5,bus=pcie.0,addr=0x1f\n"
            "-device\narm-smmuv3,primary-bus=pxb0,id=vsmmu0,accel=on,ats=on,ril=on,ssidsize=16,"
            "oas=48,cmdqv=off\n"
            "-device\npcie-root-port,id=pxb0.rp0,bus=pxb0,addr=0x0,chassis=230\n"
            "-device\nvfio-pci,host=0000:01:00.0,id=dev0,bus=pxb0.rp0,addr=0x0,iommufd=iommufd0\n"
            "-device\npxb-pcie,id=pxb1,bus_nr=0xee,bus=pcie.0,addr=0x1e\n"
            "-device\narm-smmuv3,primary-bus=pxb1,id=vsmmu1,accel=on,ats=on,ril=on,ssidsize=16,"
            "oas=48,cmdqv=off\n"
            "-device\npcie-root-port,id=pxb1.rp0,bus=pxb1,addr=0x0,chassis=239\n"
            "-device\nvfio-pci,host=0001:01:00.0,id=dev1,bus=pxb1.rp0,addr=0x0,iommufd=iommufd0\n");
}

TEST(QemuArgs, StandInsKeepTopologyAndSwapTheEndpoints) {
  auto real = qemu_args(test::three_pxb_plan(), EmitForm::Real);
  auto stand = qemu_args(test::three_pxb_plan(), EmitForm::StandIns);
  std::string text = joined(stand);
  EXPECT_EQ(text.find("iommufd"), std::string::npos);
  EXPECT_EQ(text.find("accel"), std::string::npos);
  EXPECT_EQ(text.find("vfio-pci"), std::string::npos);
  EXPECT_NE(text.find("virtio-rng-pci,id=dev3,bus=pxb2.rp0,addr=0x0\n"), std::string::npos);
  EXPECT_NE(text.find("pcie-root-port,id=pxb2.rp0,bus=pxb2,addr=0x3,chassis=251\n"),
            std::string::npos);
  // Same pxbs, SMMUs and ports in the same order: only the two iommufd lines go.
  EXPECT_EQ(stand.size() + 2, real.size());
}

TEST(QemuArgs, EveryPxbPrecedesItsSmmuAndPorts) {
  auto args = qemu_args(test::three_pxb_plan(), EmitForm::StandIns);
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("arm-smmuv3,primary-bus=", 0) == 0) {
      std::string pxb = args[i].substr(23, args[i].find(',', 23) - 23);
      EXPECT_EQ(args[i - 2].rfind("pxb-pcie,id=" + pxb + ",", 0), 0u) << args[i];
    }
  }
}

TEST(QemuArgs, GpuNodesReserveAndHighmemInBothForms) {
  for (EmitForm form : {EmitForm::Real, EmitForm::StandIns}) {
    auto args = qemu_args(test::gpu_plan(), form);
    ASSERT_GE(args.size(), 2u);
    EXPECT_EQ(args[0], "-machine");
    EXPECT_EQ(args[1], "highmem-mmio-size=1T");
    std::string text = joined(args);
    EXPECT_NE(text.find("id=pxb1.rp0,bus=pxb1,addr=0x0,chassis=239,pref64-reserve=256G\n"),
              std::string::npos);
    EXPECT_EQ(text.find("id=pxb0.rp0,bus=pxb0,addr=0x0,chassis=230,pref64"), std::string::npos);
    EXPECT_NE(text.find("id=dev1,bus=pxb1.rp0,addr=0x0"), std::string::npos);
    EXPECT_NE(text.find("-numa\nnode,nodeid=1\n-object\nacpi-generic-initiator,id=gi1,pci-dev=dev1,"
                        "node=1\n-numa\nnode,nodeid=2\n"),
              std::string::npos);
  }
  EXPECT_EQ(joined(qemu_args(test::two_pxb_plan(), EmitForm::StandIns)).find("-machine"),
            std::string::npos);
}

// A spare port's hotplug reserve (--hotplug-pref64-reserve) is emitted as a GPU port's is.
TEST(QemuArgs, ASparePortKeepsItsReserveInBothForms) {
  for (EmitForm form : {EmitForm::Real, EmitForm::StandIns}) {
    std::string text = joined(qemu_args(test::spare_reserve_plan(), form));
    EXPECT_EQ(text.rfind("-machine\nhighmem-mmio-size=1T\n", 0), 0u) << text;
    EXPECT_NE(text.find("-device\npcie-root-port,id=pxb0.rp2,bus=pxb0,addr=0x2,chassis=243,pref64-reserve=512G\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("-device\npcie-root-port,id=pxb0.rp1,bus=pxb0,addr=0x1,chassis=242\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace smmu
