#include "cli/one_line.h"

#include <gtest/gtest.h>

namespace smmu::cli {
namespace {

TEST(OneLine, PlainTextAndUtf8StayAsTheyAre) {
  EXPECT_EQ(one_line("cannot read /tmp/plan.json: No such file"), "cannot read /tmp/plan.json: No such file");
  EXPECT_EQ(one_line("/home/jos\xc3\xa9/h\xe2\x82\xac/\xf0\x9f\x96\xa5"),
            "/home/jos\xc3\xa9/h\xe2\x82\xac/\xf0\x9f\x96\xa5");
  // Escapes a message already made stay as they are: no double escaping.
  EXPECT_EQ(one_line("links to 'vfio\\xffpci'"), "links to 'vfio\\xffpci'");
}

TEST(OneLine, ControlBytesBecomeEscapes) {
  EXPECT_EQ(one_line("malformed PCI address '0009:01:00.0\n--device'"),
            "malformed PCI address '0009:01:00.0\\x0a--device'");
  EXPECT_EQ(one_line("got 'x\x1b[2Jy\r\t'"), "got 'x\\x1b[2Jy\\x0d\\x09'");
  EXPECT_EQ(one_line(std::string_view("a\0b\x7f", 4)), "a\\x00b\\x7f");
}

TEST(OneLine, BytesOfNoUtf8SequenceBecomeEscapes) {
  EXPECT_EQ(one_line("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(one_line("\xc3"), "\\xc3");                             // cut short
  EXPECT_EQ(one_line("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(one_line("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(one_line("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(one_line("\xe2\x82x"), "\\xe2\\x82x");
}

}  // namespace
}  // namespace smmu::cli
