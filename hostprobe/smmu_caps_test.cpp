#include "hostprobe/smmu_caps.h"

#include <gtest/gtest.h>

namespace smmu {
namespace {

IommuHwInfo regs(std::array<uint32_t, 6> idr, uint32_t aidr = 0) {
  IommuHwInfo info;
  info.type = kHwInfoTypeArmSmmuv3;
  info.idr = idr;
  info.aidr = aidr;
  return info;
}

TEST(SmmuCaps, GraceLikeRegisters) {
  // IDR0 0x0c4f77bb: S2P S1P TTF=AArch64 COHACC BTM HTTU DORMHINT HYP ATS
  // ASID16 MSI SEV PRI VMW VMID16 CD2L TTENDIAN=LE TERM_MODEL ST_LEVEL=2-level.
  // IDR1 0x02739c10: SIDSIZE 16, SSIDSIZE 16. IDR3 0x1734: RIL, BBML2.
  // IDR5 0x475: OAS 48 bits, 4K 16K 64K granules, VAX 52 bits.
  auto info = regs({0x0c4f77bb, 0x02739c10, 0, 0x00001734, 0, 0x00000475}, 0x2);
  info.cmdqv = CmdqvInfo{1, 7, 4};
  SmmuCaps c = decode_smmu_caps(info);
  EXPECT_EQ(c.arch_minor, 2u);
  EXPECT_TRUE(c.s1p);
  EXPECT_TRUE(c.s2p);
  EXPECT_TRUE(c.nesting());
  EXPECT_TRUE(c.ats);
  EXPECT_TRUE(c.ril);
  EXPECT_EQ(c.sidsize, 16u);
  EXPECT_EQ(c.ssidsize, 16u);
  EXPECT_EQ(c.oas_bits, 48u);
  EXPECT_TRUE(c.gran4k && c.gran16k && c.gran64k);
  EXPECT_EQ(c.cmdqv, (CmdqvInfo{1, 7, 4}));
}

TEST(SmmuCaps, AllZeroMeansNothing) {
  SmmuCaps c = decode_smmu_caps(regs({0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(c, SmmuCaps{.oas_bits = 32});
  EXPECT_FALSE(c.nesting());
}

TEST(SmmuCaps, EachFieldReadsOnlyItsBits) {
  // Every bit set but the one under test: the field must read as unset.
  constexpr uint32_t kAll = 0xffffffffu;
  EXPECT_FALSE(decode_smmu_caps(regs({kAll & ~1u, 0, 0, 0, 0, 0})).s2p);
  EXPECT_FALSE(decode_smmu_caps(regs({kAll & ~2u, 0, 0, 0, 0, 0})).s1p);
  EXPECT_FALSE(decode_smmu_caps(regs({kAll & ~(1u << 10), 0, 0, 0, 0, 0})).ats);
  EXPECT_FALSE(decode_smmu_caps(regs({0, 0, 0, kAll & ~(1u << 10), 0, 0})).ril);
  EXPECT_FALSE(decode_smmu_caps(regs({0, 0, 0, 0, 0, kAll & ~(1u << 4)})).gran4k);
  EXPECT_FALSE(decode_smmu_caps(regs({0, 0, 0, 0, 0, kAll & ~(1u << 5)})).gran16k);
  EXPECT_FALSE(decode_smmu_caps(regs({0, 0, 0, 0, 0, kAll & ~(1u << 6)})).gran64k);
  // Only S1P or only S2P: no nesting.
  EXPECT_FALSE(decode_smmu_caps(regs({1, 0, 0, 0, 0, 0})).nesting());
  EXPECT_FALSE(decode_smmu_caps(regs({2, 0, 0, 0, 0, 0})).nesting());
  EXPECT_TRUE(decode_smmu_caps(regs({3, 0, 0, 0, 0, 0})).nesting());
}

TEST(SmmuCaps, SidAndSsidSizesAtTheirEdges) {
  // SIDSIZE is IDR1[5:0], SSIDSIZE IDR1[10:6]; bit 11 (PRIQS) must not leak in.
  SmmuCaps max = decode_smmu_caps(regs({0, 0xffffffffu, 0, 0, 0, 0}));
  EXPECT_EQ(max.sidsize, 63u);
  EXPECT_EQ(max.ssidsize, 31u);
  SmmuCaps twenty = decode_smmu_caps(regs({0, 20u << 6 | 32u, 0, 0, 0, 0}));
  EXPECT_EQ(twenty.ssidsize, 20u);
  EXPECT_EQ(twenty.sidsize, 32u);
  EXPECT_EQ(decode_smmu_caps(regs({0, 1u << 11, 0, 0, 0, 0})).ssidsize, 0u);
}

TEST(SmmuCaps, EveryOasValue) {
  const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52, 56};
  for (unsigned f = 0; f < 8; ++f) {
    // Bits 3 and up of IDR5 (GRAN4K, VAX...) must not change the OAS.
    EXPECT_EQ(decode_smmu_caps(regs({0, 0, 0, 0, 0, 0xfffffff8u | f})).oas_bits, bits[f]) << f;
    EXPECT_EQ(oas_field_bits(f), bits[f]);
  }
}

TEST(SmmuCaps, ArchitectureMinorRevisionFromAidr) {
  EXPECT_EQ(decode_smmu_caps(regs({}, 0x0)).arch_minor, 0u);
  EXPECT_EQ(decode_smmu_caps(regs({}, 0x3)).arch_minor, 3u);
  EXPECT_EQ(decode_smmu_caps(regs({}, 0xf1)).arch_minor, 1u);  // ArchMajorRev ignored
}

}  // namespace
}  // namespace smmu
