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

TEST(Digits, ParseDigitsTakesTheWholeTextOrNothing) {
  EXPECT_EQ(parse_digits<int>("42"), 42);
  EXPECT_EQ(parse_digits<int>("-1"), -1);
  EXPECT_EQ(parse_digits<uint64_t>("10de", 16), 0x10deu);
  EXPECT_EQ(parse_digits<uint64_t>("ffffffffffffffff", 16), 0xffffffffffffffffull);
  for (const char* bad : {"", " 1", "1 ", "0x10", "1a", "+1"}) EXPECT_FALSE(parse_digits<int>(bad)) << bad;
  EXPECT_FALSE(parse_digits<unsigned>("-1"));
  EXPECT_FALSE(parse_digits<uint8_t>("256"));
  EXPECT_FALSE(parse_digits<uint64_t>("10000000000000000", 16));
}

TEST(Digits, AHexPrefixNeedsDigitsAfterIt) {
  EXPECT_TRUE(has_hex_prefix("0x1"));
  EXPECT_TRUE(has_hex_prefix("0Xff"));
  EXPECT_FALSE(has_hex_prefix("0x"));
  EXPECT_FALSE(has_hex_prefix("10"));
}

}  // namespace
}  // namespace smmu
