#include "hostprobe/sysfs_values.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

constexpr const char* kUnused = "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";

TEST(ResourceBars, SizesKindsAndUnusedBars) {
  auto bars = parse_resource_bars(std::string("0x0000100000000000 0x000010001fffffff 0x000000000014220c\n") +
                                  kUnused + "0x0000000010000000 0x0000000010ffffff 0x0000000000040200\n");
  ASSERT_TRUE(bars);
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_EQ((*bars)[0].index, 0);
  EXPECT_EQ((*bars)[0].size, 0x20000000u);
  EXPECT_TRUE((*bars)[0].is_64bit);
  EXPECT_TRUE((*bars)[0].prefetchable);
  EXPECT_EQ((*bars)[1].index, 2);
  EXPECT_FALSE((*bars)[1].is_64bit);
}

TEST(ResourceBars, ASpanNoBarCanHaveIsMalformed) {
  // The whole 64-bit space: its size would wrap to 0.
  EXPECT_FALSE(parse_resource_bars("0x0000000000000000 0xffffffffffffffff 0x000000000014220c\n"));
  // 2^63 + 1 bytes; 2^63 itself is the largest 64-bit BAR.
  EXPECT_FALSE(parse_resource_bars("0x0000000000000000 0x8000000000000000 0x000000000014220c\n"));
  auto largest = parse_resource_bars("0x8000000000000000 0xffffffffffffffff 0x000000000014220c\n");
  ASSERT_TRUE(largest);
  EXPECT_EQ((*largest)[0].size, 1ull << 63);
  EXPECT_FALSE(parse_resource_bars("0x10 zz 0x200\n"));
}

}  // namespace
}  // namespace smmu
