#include "common/printable.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(Printable, PrintableAsciiStaysAsItIs) {
  EXPECT_EQ(printable("vfio-pci"), "vfio-pci");
  EXPECT_EQ(printable("BOCHS ", Space::Keep), "BOCHS ");
}

TEST(Printable, KernelNamesArePrintableAsciiWithoutSpaces) {
  EXPECT_TRUE(is_kernel_name("smmu3.0x0000000012000000"));
  EXPECT_FALSE(is_kernel_name(""));
  EXPECT_FALSE(is_kernel_name("a b"));
  EXPECT_FALSE(is_kernel_name("smmu\x1b[2J"));
  EXPECT_FALSE(is_kernel_name("caf\xc3\xa9"));
}

TEST(Printable, OtherBytesBecomeHexEscapes) {
  EXPECT_EQ(printable(std::string("a b\n\xff\x7f\\", 7)), "a\\x20b\\x0a\\xff\\x7f\\x5c");
  EXPECT_EQ(printable(std::string("\0\t ", 3), Space::Keep), "\\x00\\x09 ");
  EXPECT_EQ(printable(""), "");
}

}  // namespace
}  // namespace smmu
