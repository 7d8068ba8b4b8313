#include "common/text_format.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(TextFormat, FormatsAndIsNotTruncated) {
  EXPECT_EQ(text_format("%s 0x%02x %d", "bus", 0xfa, -1), "bus 0xfa -1");
  std::string long_arg(1000, 'x');
  EXPECT_EQ(text_format("<%s>", long_arg.c_str()), "<" + long_arg + ">");
  EXPECT_EQ(text_format("%s", ""), "");
}

}  // namespace
}  // namespace smmu
