#include "common/smmu_name.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(SmmuName, SixteenHexDigitsOfTheBase) {
  EXPECT_EQ(smmu_device_name(0x12000000), "smmu3.0x0000000012000000");
  EXPECT_EQ(smmu_device_name(0xffffffffffffffffull), "smmu3.0xffffffffffffffff");
  EXPECT_TRUE(smmu_device_name(0).starts_with(kSmmuNamePrefix));
}

}  // namespace
}  // namespace smmu
