#include "emit/guest_model.h"

#include <gtest/gtest.h>

#include "common/byte_size.h"
#include "common/hex.h"
#include "tests/sample_plans.h"

namespace smmu {
namespace {

std::vector<std::string> texts(const GuestModel& m, OptionKind kind) {
  std::vector<std::string> out;
  for (const auto& item : m.items) {
    if (item.kind == kind) out.push_back(option_text(item));
  }
  return out;
}

TEST(GuestModel, HighmemOnlyWhenThePlanSetsIt) {
  Plan plan = test::two_pxb_plan();
  EXPECT_TRUE(texts(guest_model(plan, EmitForm::Real), OptionKind::Machine).empty());
  plan.highmem_mmio_size = 8 * kTiB;
  auto m = guest_model(plan, EmitForm::StandIns);
  ASSERT_FALSE(m.items.empty());
  EXPECT_EQ(m.items[0].kind, OptionKind::Machine);
  EXPECT_EQ(option_text(m.items[0]), "highmem-mmio-size=8T");
  EXPECT_EQ(m.items[0].number("highmem-mmio-size"), 8 * kTiB);
}

TEST(GuestModel, AMemoryLessNodeAndAGenericInitiatorPerGpuNodeAfterItsDevice) {
  Plan plan = test::gpu_plan();
  auto m = guest_model(plan, EmitForm::Real);
  std::vector<std::string> after_dev1;
  bool seen = false;
  for (const auto& item : m.items) {
    if (seen && item.kind != OptionKind::Device) after_dev1.push_back(option_text(item));
    if (seen && item.kind == OptionKind::Device) break;
    seen = seen || (item.kind == OptionKind::Device && item.value("id") == "dev1");
  }
  ASSERT_GE(after_dev1.size(), 2u);
  EXPECT_EQ(after_dev1[0], "node,nodeid=1");
  EXPECT_EQ(after_dev1[1], "acpi-generic-initiator,id=gi1,pci-dev=dev1,node=1");
}

TEST(GuestModel, NumbersBehindTheSpelledValues) {
  Plan plan = test::gpu_plan();
  auto m = guest_model(plan, EmitForm::Real);
  bool reserve = false;
  for (const auto& item : m.items) {
    if (item.driver == "pxb-pcie") {
      EXPECT_EQ(item.value("bus_nr"), hex(item.number("bus_nr"), 2));
      EXPECT_GT(item.number("bus_nr"), 0u);
    }
    if (item.driver == "pcie-root-port" && item.find("pref64-reserve")) {
      reserve = true;
      EXPECT_EQ(item.value("pref64-reserve"), "256G");
      EXPECT_EQ(item.number("pref64-reserve"), 256 * kGiB);
    }
  }
  EXPECT_TRUE(reserve);
}

TEST(GuestModel, MultifunctionAddressDevfnAndNumaNode) {
  Plan p = test::multifunction_plan();
  auto ports = texts(guest_model(p, EmitForm::StandIns), OptionKind::Device);
  EXPECT_EQ(ports[0], "pxb-pcie,id=pxb0,bus_nr=0xf0,bus=pcie.0,addr=0x1f,numa_node=1");
  EXPECT_EQ(ports[2], "pcie-root-port,id=pxb0.rp0,bus=pxb0,addr=0x0,chassis=241,multifunction=on");
  EXPECT_EQ(ports[3], "pcie-root-port,id=pxb0.rp1,bus=pxb0,addr=0x0.0x1,chassis=242");
  EXPECT_EQ(ports[4], "pcie-root-port,id=pxb0.rp2,bus=pxb0,addr=0x1,chassis=243");
  auto m = guest_model(p, EmitForm::StandIns);
  EXPECT_EQ(m.items[3].number("addr"), 1u);   // slot 0, function 1
  EXPECT_EQ(m.items[4].number("addr"), 8u);   // slot 1
}

TEST(GuestModel, OptionTextEscapesCommas) {
  ModelItem item{OptionKind::Object, "x", {{"id", "a,b", std::nullopt}}};
  EXPECT_EQ(option_text(item), "x,id=a,,b");
  ModelItem machine{OptionKind::Machine, "", {{"highmem-mmio-size", "1T", 1}}};
  EXPECT_EQ(option_text(machine), "highmem-mmio-size=1T");
}

}  // namespace
}  // namespace smmu
