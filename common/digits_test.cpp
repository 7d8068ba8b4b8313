#include "common/digits.h"

#include <gtest/gtest.h>

#include <string>

namespace smmu {
namespace {

TEST(Digits, OnlyAsciiDigitsAndAtLeastOne) {
  EXPECT_TRUE(is_decimal("0"));
  EXPECT_TRUE(is_decimal("0123456789"));
  EXPECT_TRUE(is_decimal(std::string(300000, '7')));  // no recursion per character
  EXPECT_FALSE(is_decimal(""));
  EXPECT_FALSE(is_decimal("-1"));
  EXPECT_FALSE(is_decimal("+1"));
  EXPECT_FALSE(is_decimal(" 1"));
  EXPECT_FALSE(is_decimal("1x"));
  EXPECT_FALSE(is_decimal("\xd9\xa1"));  // ARABIC-INDIC DIGIT ONE
}

}  // namespace
}  // namespace smmu
