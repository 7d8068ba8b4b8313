#include "hostprobe/hw_info_text.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

constexpr const char* kGrace =
    "# recorded on a Grace socket\n"
    "type 2\n"
    "idr 0x0c4f77bb 0x02739c10 0 0x00001734 0 0x00000475  # IDR0..5\n"
    "iidr 0x4870043b\n"
    "aidr 2\n"
    "cmdqv 1 7 4\n";

TEST(HwInfoText, ReadsEveryItem) {
  auto a = parse_hw_info_text(kGrace, "vfio0");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(a->info);
  EXPECT_EQ(a->info->type, 2u);
  EXPECT_EQ(a->info->idr, (std::array<uint32_t, 6>{0x0c4f77bb, 0x02739c10, 0, 0x1734, 0, 0x475}));
  EXPECT_EQ(a->info->iidr, 0x4870043bu);
  EXPECT_EQ(a->info->aidr, 2u);
  EXPECT_EQ(a->info->cmdqv, (CmdqvInfo{1, 7, 4}));
}

TEST(HwInfoText, CmdqvIsOptional) {
  auto a = parse_hw_info_text("type 2\nidr 1 2 3 4 5 6\niidr 0\naidr 0\n", "vfio0");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(a->info);
  EXPECT_FALSE(a->info->cmdqv);
  EXPECT_EQ(a->info->idr[5], 6u);
}

TEST(HwInfoText, UnavailableCarriesItsReason) {
  auto a = parse_hw_info_text("unavailable permission denied opening /dev/iommu (run as root)\n", "x");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_FALSE(a->info);
  EXPECT_EQ(a->unavailable, "permission denied opening /dev/iommu (run as root)");
}

TEST(HwInfoText, AnEmptyFileIsNoAnswer) {
  // Trees saved before answers were recorded hold empty files there.
  for (const char* text : {"", "\n# nothing\n"}) {
    auto a = parse_hw_info_text(text, "x");
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_FALSE(a->info);
    EXPECT_NE(a->unavailable.find("no recorded hw_info answer"), std::string::npos);
  }
}

struct Broken {
  const char* text;
  const char* message;
};

class HwInfoTextBroken : public ::testing::TestWithParam<Broken> {};

TEST_P(HwInfoTextBroken, IsAHostTreeErrorNamingFileAndLine) {
  auto a = parse_hw_info_text(GetParam().text, "dev/vfio/devices/vfio3");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(a.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HwInfoTextBroken,
    ::testing::Values(
        Broken{"type 2\nidr 1 2 3\n", "dev/vfio/devices/vfio3: line 2: 'idr' takes 6 numbers"},
        Broken{"type 2\ntype 2\n", "dev/vfio/devices/vfio3: line 2: 'type' given twice"},
        Broken{"type two\n", "dev/vfio/devices/vfio3: line 1: 'two' is not a 32-bit number"},
        Broken{"type 0x100000000\n",
               "dev/vfio/devices/vfio3: line 1: '0x100000000' is not a 32-bit number"},
        Broken{"type 2\nidr 1 2 3 4 5 6\niidr 0\n", "dev/vfio/devices/vfio3: 'aidr' is missing"},
        Broken{"colour blue\n", "dev/vfio/devices/vfio3: line 1: unknown item 'colour'"},
        Broken{"cmdqv 1 256 4\n", "dev/vfio/devices/vfio3: line 1: 'cmdqv' values are bytes"},
        Broken{"type 2\nunavailable no\n",
               "dev/vfio/devices/vfio3: line 2: 'unavailable' must be the only item"},
        Broken{"unavailable\n", "dev/vfio/devices/vfio3: line 1: 'unavailable' needs a reason"},
        // Neither a terminal's ESC sequence nor bytes that are not UTF-8
        // (probe --json could not print them) get through.
        Broken{"type 2\nunavailable no\x1b[2J\n",
               "dev/vfio/devices/vfio3: line 2: byte 0x1b is not ASCII text, which a recording is"},
        Broken{"unavailable denied \xff\xfe\n",
               "dev/vfio/devices/vfio3: line 1: byte 0xff is not ASCII text, which a recording is"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

}  // namespace
}  // namespace smmu
