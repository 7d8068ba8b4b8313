#include "emit/hotplug_command.h"

#include <gtest/gtest.h>

#include "tests/sample_plans.h"

namespace smmu {
namespace {

TEST(HotplugCommand, QmpAndHmpCarryTheDevicesOptionAsTheModelHasIt) {
  auto item = endpoint_item(guest_model(test::two_pxb_plan(), EmitForm::Real), "dev1");
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(device_add_command(*item, MonitorFormat::Hmp),
            "device_add vfio-pci,host=0001:01:00.0,id=dev1,bus=pxb1.rp0,addr=0x0,iommufd=iommufd0");
  // Typed: addr is QEMU's devfn, a number.
  EXPECT_EQ(device_add_command(*item, MonitorFormat::Qmp),
            R"({"execute":"device_add","arguments":{"driver":"vfio-pci","host":"0001:01:00.0","id":"dev1",)"
            R"("bus":"pxb1.rp0","addr":0,"iommufd":"iommufd0"}})");
  EXPECT_EQ(device_del_command("dev1", MonitorFormat::Qmp), R"({"execute":"device_del","arguments":{"id":"dev1"}})");
  EXPECT_EQ(device_del_command("dev1", MonitorFormat::Hmp), "device_del dev1");
}

TEST(HotplugCommand, TheStandInFormAndADeviceTheModelLacks) {
  const GuestModel model = guest_model(test::two_pxb_plan(), EmitForm::StandIns);
  auto item = endpoint_item(model, "dev0");
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(device_add_command(*item, MonitorFormat::Hmp), "device_add virtio-rng-pci,id=dev0,bus=pxb0.rp0,addr=0x0");
  // A root port or vSMMU is no endpoint: never device_add'ed.
  for (const char* id : {"dev7", "pxb0.rp0", "vsmmu0"}) {
    auto none = endpoint_item(model, id);
    ASSERT_FALSE(none.ok()) << id;
    EXPECT_EQ(none.error().kind, ErrorKind::PlanFile);
  }
}

}  // namespace
}  // namespace smmu
