#include "planner/device_selection.h"

#include <gtest/gtest.h>

#include "tests/fake_host.h"

namespace smmu {
namespace {

const Inventory& host() {
  static const Inventory inv = test::mixed_host();
  return inv;
}

DeviceSelector select(const char* spec, std::string origin = "") {
  auto s = parse_selector_spec(spec);
  EXPECT_TRUE(s.ok()) << s.error().message;
  s->origin = std::move(origin);
  return *s;
}

std::string chosen(const PlanRequest& r) {
  auto devices = select_devices(host(), r);
  if (!devices) return "error: " + devices.error().message;
  std::string out;
  for (const PciDevice* d : *devices) out += (out.empty() ? "" : " ") + d->bdf.str();
  return out;
}

TEST(DeviceSelection, EachSelectorKindAndTheirUnion) {
  PlanRequest r;
  r.selectors = {select("vendor_device=10de:*")};  // the root port matches but is not assignable
  EXPECT_EQ(chosen(r), "0008:01:00.0 0009:01:00.0");
  r.selectors = {select("class=0x0302,numa_node=1")};
  EXPECT_EQ(chosen(r), "0009:01:00.0");
  r.selectors = {select("smmu=0x12000000")};  // so do the NVMe and the root port here
  EXPECT_EQ(chosen(r), "0002:01:00.0 0002:01:00.1 0008:01:00.0");
  r.selectors = {select("numa_node=1"), select("class=0x02")};
  EXPECT_EQ(chosen(r), "0002:01:00.0 0002:01:00.1 0003:01:00.0 0009:01:00.0");
  r.devices = {*parse_bdf("0008:01:00.0"), *parse_bdf("0009:01:00.0")};  // also matched: no duplicate
  EXPECT_EQ(chosen(r), "0002:01:00.0 0002:01:00.1 0003:01:00.0 0008:01:00.0 0009:01:00.0");
}

TEST(DeviceSelection, ASelectorMatchingNothingAssignableIsNamed) {
  PlanRequest r;
  r.selectors = {select("class=0x02"), select("vendor_device=10de:2343", "vm.yaml:7")};
  auto none = select_devices(host(), r);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::Request);
  EXPECT_EQ(none.error().message,
            "vm.yaml:7: select vendor_device=10de:2343 matches no assignable device on this host");
  r.selectors = {select("class=0x0108")};
  EXPECT_EQ(chosen(r),
            "error: select class=0x0108 matches no assignable device on this host (0006:01:00.0 "
            "matches but bound to nvme, not to vfio (bind it to vfio-pci))");
}

TEST(DeviceSelection, ExplicitDevicesKeepTheirErrorsWithWhereTheyWereWritten) {
  PlanRequest r;
  r.devices = {RequestedDevice(*parse_bdf("0006:01:00.0"), "vm.yaml:3")};
  EXPECT_EQ(chosen(r), "error: vm.yaml:3: 0006:01:00.0 cannot be assigned: bound to nvme, not to "
                       "vfio (bind it to vfio-pci)");
  r.devices = {*parse_bdf("0002:01:00.0"), *parse_bdf("0002:01:00.0")};
  EXPECT_EQ(chosen(r), "error: 0002:01:00.0 is requested twice");
  r.devices = {*parse_bdf("0002:09:00.0")};
  EXPECT_EQ(chosen(r), "error: 0002:09:00.0: no such PCI device on this host");
  EXPECT_EQ(select_devices(host(), PlanRequest{}).error().kind, ErrorKind::Usage);
}

TEST(DeviceSelection, WhyEachDeviceIsLeftOut) {
  PlanRequest r;
  r.selectors = {select("vendor_device=10de:*")};
  auto why = [&](const char* bdf) { return judge_device(*host().find(*parse_bdf(bdf)), host(), r); };
  EXPECT_EQ(why("0002:00:00.0").left_out, LeftOut::Bridge);
  EXPECT_EQ(why("0002:00:00.0").detail,
            "PCI bridge: only endpoints are assigned (matches select vendor_device=10de:*)");
  EXPECT_EQ(why("0006:01:00.0").left_out, LeftOut::NotAssignable);
  EXPECT_EQ(why("000a:01:00.0").left_out, LeftOut::NoSmmuv3);
  EXPECT_EQ(why("0002:01:00.0").left_out, LeftOut::NotSelected);
  EXPECT_EQ(why("0002:01:00.0").detail, "matches no select entry");
  r.devices = {*parse_bdf("0008:01:00.0")};
  EXPECT_EQ(why("0002:01:00.0").detail, "not named, and matches no select entry");
  r.devices.clear();
  EXPECT_EQ(why("0009:01:00.0").left_out, LeftOut::None);
  EXPECT_EQ(why("0009:01:00.0").chosen_by, std::vector<std::string>{"select vendor_device=10de:*"});

  r.selectors.clear();
  r.devices = {*parse_bdf("0009:01:00.0")};
  EXPECT_EQ(why("0002:01:00.0").left_out, LeftOut::NotRequested);
  EXPECT_EQ(why("0009:01:00.0").chosen_by, std::vector<std::string>{"device 0009:01:00.0"});
  r.devices.clear();
  r.all_assignable = true;
  EXPECT_EQ(why("0002:01:00.0").chosen_by, std::vector<std::string>{"all_assignable"});
  EXPECT_STREQ(left_out_name(LeftOut::NoSmmuv3), "no-smmuv3");
}

}  // namespace
}  // namespace smmu
