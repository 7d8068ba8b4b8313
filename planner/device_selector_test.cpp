#include "planner/device_selector.h"

#include <gtest/gtest.h>

#include "tests/fake_host.h"

namespace smmu {
namespace {

DeviceSelector spec(const char* text) {
  auto s = parse_selector_spec(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.error().message;
  return s.ok() ? *s : DeviceSelector{};
}

// The BDFs `text` matches on the sample host.
std::string matched(const char* text) {
  static const Inventory inv = test::mixed_host();
  DeviceSelector s = spec(text);
  std::string out;
  for (const auto& d : inv.devices) {
    if (s.matches(d, inv)) out += (out.empty() ? "" : " ") + d.bdf.str();
  }
  return out;
}

TEST(DeviceSelector, VendorDeviceWithWildcards) {
  EXPECT_EQ(matched("vendor_device=10de:2342"), "0009:01:00.0");
  EXPECT_EQ(matched("vendor_device=10DE:*"), "0002:00:00.0 0008:01:00.0 0009:01:00.0");
  EXPECT_EQ(matched("vendor_device=*:101e"), "0002:01:00.0 0002:01:00.1 0003:01:00.0 000a:01:00.0");
  EXPECT_EQ(matched("vendor_device=10de:2341"), "");
}

TEST(DeviceSelector, ClassByTwoFourOrSixDigits) {
  for (const char* gpu : {"class=0x03", "class=0x0302", "class=030200"}) {
    EXPECT_EQ(matched(gpu), "0008:01:00.0 0009:01:00.0") << gpu;
  }
  EXPECT_EQ(matched("class=0x0300"), "");
  EXPECT_EQ(matched("class=0x01"), "0006:01:00.0");
  EXPECT_EQ(matched("class=0x010802"), "0006:01:00.0");
  EXPECT_EQ(matched("class=0x010801"), "");
}

TEST(DeviceSelector, SmmuByNameOrBase) {
  EXPECT_EQ(matched("smmu=smmu3.0x0000000016000000"), "0003:01:00.0 0009:01:00.0");
  EXPECT_EQ(matched("smmu=0x16000000"), "0003:01:00.0 0009:01:00.0");
  EXPECT_EQ(matched("smmu=0x12000000"),
            "0002:00:00.0 0002:01:00.0 0002:01:00.1 0006:01:00.0 0008:01:00.0");
  EXPECT_EQ(matched("smmu=0x15000000"), "");  // no such SMMU: nothing, and no device without one
}

TEST(DeviceSelector, NumaNodeFallsBackToTheSmmus) {
  // 0003:01:00.0 does not know its node; its SMMU is on node 1. The NIC
  // without IOMMU matches by its own node.
  EXPECT_EQ(matched("numa_node=1"), "0003:01:00.0 0009:01:00.0");
  EXPECT_EQ(matched("numa_node=0"),
            "0002:00:00.0 0002:01:00.0 0002:01:00.1 0006:01:00.0 0008:01:00.0 000a:01:00.0");
}

TEST(DeviceSelector, FieldsOfOneEntryAllMustMatch) {
  EXPECT_EQ(matched("vendor_device=10de:*,numa_node=1"), "0009:01:00.0");
  EXPECT_EQ(matched("vendor_device=10de:2342,numa_node=0"), "");
  EXPECT_EQ(matched("class=0x02,smmu=0x12000000,numa_node=0"), "0002:01:00.0 0002:01:00.1");
}

TEST(DeviceSelector, CanonicalTextRoundTrips) {
  for (const char* text : {"vendor_device=10de:*", "vendor_device=*:2342", "class=0x03",
                           "vendor_device=15b3:101e,class=0x020000,smmu=smmu3.0x0000000012000000,numa_node=7"}) {
    EXPECT_EQ(selector_text(spec(text)), text);
  }
  EXPECT_EQ(selector_text(spec("numa_node=1,smmu=0x16000000,class=0302")),
            "class=0x0302,smmu=smmu3.0x0000000016000000,numa_node=1");
}

TEST(DeviceSelector, MalformedSpecsSayWhat) {
  auto error = [](const char* text) {
    auto s = parse_selector_spec(text);
    EXPECT_FALSE(s.ok()) << text;
    if (s.ok()) return std::string();
    EXPECT_EQ(s.error().kind, ErrorKind::Usage);
    return s.error().message;
  };
  EXPECT_EQ(error("vendor=10de"),
            "--select 'vendor=10de': unknown key 'vendor' (known: vendor_device, class, smmu, numa_node)");
  EXPECT_EQ(error(""), "--select '': give at least one of vendor_device, class, smmu, numa_node");
  EXPECT_EQ(error("class"), "--select 'class': expected key=value, got 'class'");
  EXPECT_EQ(error("class=0x03,class=0x02"), "--select 'class=0x03,class=0x02': class given twice");
  EXPECT_NE(error("vendor_device=*:*").find("at least one half not *"), std::string::npos);
  for (const char* bad : {"vendor_device=10de", "vendor_device=10de:23420", "vendor_device=g0de:2342",
                          "class=0x030", "class=0x03020000", "class=0xzz", "class=",
                          "smmu=16000000", "smmu=smmu.0x9050000", "smmu=0x", "smmu=0x12345678901234567",
                          "numa_node=-1", "numa_node=1024", "numa_node=one"}) {
    EXPECT_NE(error(bad).find("expected"), std::string::npos) << bad;
  }
  EXPECT_TRUE(parse_selector_spec("numa_node=1023").ok());
}

}  // namespace
}  // namespace smmu
