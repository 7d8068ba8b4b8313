#include "planner/numa_map.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(NumaMap, SpecParsesPairsAndRefusesRepeatsAndRanges) {
  NumaMap map;
  ASSERT_TRUE(parse_numa_map_spec("0:0,1:2", map).ok());
  ASSERT_TRUE(parse_numa_map_spec("1023:127", map).ok());  // repeatable: adds
  EXPECT_EQ(map, (NumaMap{{0, 0}, {1, 2}, {1023, 127}}));
  auto error = [](const char* spec) {
    NumaMap m;
    Status s = parse_numa_map_spec(spec, m);
    EXPECT_FALSE(s.ok()) << spec;
    if (s.ok()) return std::string();
    EXPECT_EQ(s.error().kind, ErrorKind::Usage);
    return s.error().message;
  };
  EXPECT_EQ(error("0:1,0:2"), "--numa-map '0:1,0:2': host node 0 is mapped twice");
  EXPECT_EQ(error("0:128"), "--numa-map '0:128': expected HOST:GUEST with a host node 0..1023 "
                            "and a guest node 0..127, got '0:128'");
  for (const char* bad : {"", "0", "0:", ":1", "1024:0", "-1:0", "0:1,", "a:b", "0=1"}) {
    EXPECT_NE(error(bad).find("expected HOST:GUEST"), std::string::npos) << bad;
  }
}

TEST(NumaMap, HostNodeIsTheSmmusElseTheDevicesCommonOne) {
  HostSmmu known{"smmu3.0x0000000012000000", 0x12000000, 1};
  HostSmmu unknown{"smmu3.0x0000000016000000", 0x16000000, -1};
  PciDevice a, b, c;
  a.numa_node = 2;
  b.numa_node = 2;
  c.numa_node = 3;
  EXPECT_EQ(host_numa_node(known, {&c}), 1);
  EXPECT_EQ(host_numa_node(unknown, {&a, &b}), 2);
  EXPECT_EQ(host_numa_node(unknown, {&a, &c}), -1);  // disagree: unknown
  PciDevice d;  // -1
  EXPECT_EQ(host_numa_node(unknown, {&a, &d}), -1);
}

TEST(NumaMap, GuestNodeOrWhichHostNodeNeedsOne) {
  HostSmmu smmu{"smmu3.0x0000100016000000", 0x100016000000, 1};
  PciDevice d;
  auto none = guest_numa_node({}, smmu, {&d});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());  // no map, no node
  auto mapped = guest_numa_node({{0, 0}, {1, 3}}, smmu, {&d});
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(**mapped, 3);
  auto missing = guest_numa_node({{0, 0}}, smmu, {&d});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::Request);
  EXPECT_EQ(missing.error().message, "host NUMA node 1 (of smmu3.0x0000100016000000) has no guest "
                                     "node in the NUMA map: add 1:GUEST");
  smmu.numa_node = -1;
  auto unknown = guest_numa_node({{0, 0}}, smmu, {&d});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::Request);
  EXPECT_NE(unknown.error().message.find("neither the SMMU nor its devices report one host NUMA node"),
            std::string::npos);
}

}  // namespace
}  // namespace smmu
