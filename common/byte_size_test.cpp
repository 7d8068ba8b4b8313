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

}  // namespace
}  // namespace smmu
