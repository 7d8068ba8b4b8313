#include "common/byte_size.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

TEST(ByteSize, QemuSpellingUsesTheLargestExactSuffix) {
  EXPECT_EQ(qemu_size(kTiB), "1T");
  EXPECT_EQ(qemu_size(512 * kGiB), "512G");
  EXPECT_EQ(qemu_size(256 * kGiB + 32 * kMiB), "262176M");
  EXPECT_EQ(qemu_size(4 * kKiB), "4K");
  EXPECT_EQ(qemu_size(1000), "1000");
  EXPECT_EQ(qemu_size(0), "0");
}

TEST(ByteSize, HumanSpellingSaysTheUnit) {
  EXPECT_EQ(human_size(8 * kTiB), "8 TiB");
  EXPECT_EQ(human_size(128 * kGiB + 48 * kMiB), "128 GiB + 48 MiB");
  EXPECT_EQ(human_size(kMiB + 12), "1 MiB + 12 bytes");
  EXPECT_EQ(human_size(12), "12 bytes");
  EXPECT_EQ(human_size(0), "0 bytes");
}

TEST(ByteSize, PowersOfTwo) {
  EXPECT_EQ(pow2_ceil(0), 1u);
  EXPECT_EQ(pow2_ceil(256 * kGiB), 256 * kGiB);
  EXPECT_EQ(pow2_ceil(256 * kGiB + 32 * kMiB), 512 * kGiB);
  EXPECT_EQ(pow2_ceil((1ull << 63) - 1), 1ull << 63);
  EXPECT_EQ(pow2_ceil(1ull << 63), 1ull << 63);
  EXPECT_EQ(pow2_ceil((1ull << 63) + 1), std::nullopt);  // no power of two: the loop would never end
  EXPECT_EQ(pow2_ceil(UINT64_MAX), std::nullopt);
  EXPECT_EQ(add_saturating(UINT64_MAX - 1, 1), UINT64_MAX);
  EXPECT_EQ(add_saturating(UINT64_MAX - 1, 2), UINT64_MAX);
  EXPECT_EQ(add_saturating(2, 3), 5u);
  EXPECT_TRUE(is_pow2(kTiB));
  EXPECT_FALSE(is_pow2(0));
  EXPECT_FALSE(is_pow2(3 * kGiB));
}

TEST(ByteSize, SizesReadAsQemuSpellsThem) {
  EXPECT_EQ(parse_size("512G").value(), 512 * kGiB);
  EXPECT_EQ(parse_size("512g").value(), 512 * kGiB);
  EXPECT_EQ(parse_size("2T").value(), 2 * kTiB);
  EXPECT_EQ(parse_size("4K").value(), 4 * kKiB);
  EXPECT_EQ(parse_size("32M").value(), 32 * kMiB);
  EXPECT_EQ(parse_size("1P").value(), 1024 * kTiB);
  EXPECT_EQ(parse_size("15E").value(), 15ull << 60);
  EXPECT_EQ(parse_size("4096").value(), 4096u);
  EXPECT_EQ(parse_size("0").value(), 0u);  // a size; whether 0 is allowed is the caller's
  EXPECT_EQ(parse_size("18446744073709551615").value(), UINT64_MAX);
  for (const auto& s : {qemu_size(256 * kGiB + 32 * kMiB), qemu_size(kTiB), qemu_size(1000)}) {
    EXPECT_EQ(qemu_size(parse_size(s).value()), s);  // what smmu-plan writes reads back
  }
}

TEST(ByteSize, NotASizeIsAUsageErrorNamingTheText) {
  for (const char* bad : {"", "G", "512 G", "512GiB", "512GB", "1.5G", "-1", "0x100", "512X", " 512G"}) {
    auto r = parse_size(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    EXPECT_EQ(r.error().message, "size '" + std::string(bad) +
                                     "': expected a number of bytes with an optional K, M, G, T, P or "
                                     "E suffix (binary: 512G is 512 GiB)");
  }
  EXPECT_EQ(parse_size("16E").error().message, "size '16E': 16 EiB or more");
  EXPECT_EQ(parse_size("18446744073709551616").error().message, "size '18446744073709551616': 16 EiB or more");
  EXPECT_EQ(parse_size("99999999999999999999999K").error().message,
            "size '99999999999999999999999K': 16 EiB or more");
}

}  // namespace
}  // namespace smmu
