#include "emit/iort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <numeric>

#include "tests/test_paths.h"

namespace smmu {
namespace {

// The k-th arm-smmuv3 created on the virt machine's platform bus.
IortSmmu guest_smmu(unsigned k, uint8_t first_bus, uint8_t last_bus) {
  IortSmmu s;
  s.base = 0x0c000000 + 0x20000ull * k;
  s.gsiv_base = 0x90 + 4 * k;
  s.identifier = k + 1;
  s.buses = {first_bus, last_bus};
  return s;
}

IortModel two_pxb_model() { return {{guest_smmu(0, 0xe5, 0xe6), guest_smmu(1, 0xee, 0xef)}}; }

IortModel three_pxb_model() {
  return {{guest_smmu(0, 0xf0, 0xf3), guest_smmu(1, 0xe0, 0xe1), guest_smmu(2, 0xfa, 0xfb)}};
}

std::vector<uint8_t> read_sample(const std::string& name) {
  std::ifstream in(smmu::test::source_dir() + "/tests/data/guest-samples/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), {}};
}

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t(b.at(at)) | uint32_t(b.at(at + 1)) << 8 | uint32_t(b.at(at + 2)) << 16 |
         uint32_t(b.at(at + 3)) << 24;
}

// "" when equal, else where and how the first difference shows.
std::string first_difference(const std::vector<uint8_t>& want, const std::vector<uint8_t>& got) {
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i)
    if (want[i] != got[i])
      return "byte " + std::to_string(i) + ": want " + std::to_string(want[i]) + ", got " +
             std::to_string(got[i]);
  if (want.size() != got.size())
    return "size: want " + std::to_string(want.size()) + ", got " + std::to_string(got.size());
  return "";
}

IortTable decoded(const IortModel& model) {
  auto table = decode_iort(build_iort(model), ErrorKind::PlanFile);
  EXPECT_TRUE(table.ok()) << table.error().message;
  return table.ok() ? *table : IortTable{};
}

const IortNode& root_complex(const IortTable& t) {
  for (const auto& n : t.nodes)
    if (n.type == 2) return n;
  throw std::runtime_error("no root complex node");
}

TEST(IortBuild, TwoPxbMatchesGuestTableByteForByte) {
  EXPECT_EQ(first_difference(read_sample("two-pxb.iort.bin"), build_iort(two_pxb_model())), "");
}

TEST(IortBuild, ThreePxbMatchesGuestTableByteForByte) {
  EXPECT_EQ(first_difference(read_sample("three-pxb.iort.bin"), build_iort(three_pxb_model())),
            "");
}

TEST(IortBuild, HeaderAndChecksum) {
  for (const auto& model : {IortModel{}, two_pxb_model(), three_pxb_model()}) {
    const auto bytes = build_iort(model);
    EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "IORT");
    EXPECT_EQ(le32(bytes, 4), bytes.size());
    EXPECT_EQ(bytes[8], 5);
    EXPECT_EQ(std::string(bytes.begin() + 10, bytes.begin() + 24), "BOCHS BXPC    ");
    EXPECT_EQ(le32(bytes, 40), 48u);  // node array
    EXPECT_EQ(std::accumulate(bytes.begin(), bytes.end(), 0u) % 256, 0u);
  }
}

TEST(IortBuild, SmmuNodesFollowBusOrderNotCreationOrder) {
  const auto t = decoded(three_pxb_model());
  ASSERT_EQ(t.nodes.size(), 5u);
  std::vector<uint32_t> ids, offsets;
  for (const auto& n : t.nodes)
    if (n.type == 4) ids.push_back(n.identifier), offsets.push_back(n.offset);
  EXPECT_EQ(ids, (std::vector<uint32_t>{2, 1, 3}));
  EXPECT_EQ(offsets, (std::vector<uint32_t>{0x48, 0xa0, 0xf8}));
  const auto& rc = root_complex(t);
  EXPECT_EQ(rc.identifier, 4u);
  ASSERT_GE(rc.mappings.size(), 3u);
  EXPECT_EQ(rc.mappings[0].input_base, 0xe000u);
  EXPECT_EQ(rc.mappings[0].output_ref, 0x48u);
  EXPECT_EQ(rc.mappings[1].input_base, 0xf000u);
  EXPECT_EQ(rc.mappings[1].id_count, 0x3ffu);
  EXPECT_EQ(rc.mappings[1].output_ref, 0xa0u);
}

TEST(IortBuild, AdjacentRangesLeaveNoGapBetweenThem) {
  const auto rc = root_complex(decoded({{guest_smmu(0, 0x20, 0x2f), guest_smmu(1, 0x10, 0x1f)}}));
  ASSERT_EQ(rc.mappings.size(), 4u);  // two SMMUs, the gap below and the gap above
  EXPECT_EQ(rc.mappings[2].input_base, 0u);
  EXPECT_EQ(rc.mappings[2].id_count, 0xfffu);
  EXPECT_EQ(rc.mappings[2].output_ref, 48u);
  EXPECT_EQ(rc.mappings[3].input_base, 0x3000u);
  EXPECT_EQ(rc.mappings[3].id_count, 0xcfffu);
  EXPECT_EQ(rc.mappings[3].output_base, 0x3000u);
}

TEST(IortBuild, RangeEndingAtBusFfHasNoTrailingGap) {
  const auto rc = root_complex(decoded({{guest_smmu(0, 0xf8, 0xff)}}));
  ASSERT_EQ(rc.mappings.size(), 2u);
  EXPECT_EQ(rc.mappings[0].input_base, 0xf800u);
  EXPECT_EQ(rc.mappings[0].id_count, 0x7ffu);
  EXPECT_EQ(rc.mappings[1].input_base, 0u);
  EXPECT_EQ(rc.mappings[1].id_count, 0xf7ffu);

  const auto whole = root_complex(decoded({{guest_smmu(0, 0x00, 0xff)}}));
  ASSERT_EQ(whole.mappings.size(), 1u);
  EXPECT_EQ(whole.mappings[0].id_count, 0xffffu);
}

TEST(IortBuild, NoSmmusRoutesEverythingToTheIts) {
  const auto bytes = build_iort({});
  EXPECT_EQ(bytes.size(), 48u + 24 + 36 + 20);
  EXPECT_EQ(le32(bytes, 36), 2u);
  const auto t = decoded({});
  ASSERT_EQ(t.nodes.size(), 2u);
  EXPECT_EQ(t.nodes[1].type, 2);
  EXPECT_EQ(t.nodes[1].identifier, 1u);
  ASSERT_EQ(t.nodes[1].mappings.size(), 1u);
  const auto& m = t.nodes[1].mappings[0];
  EXPECT_EQ(m.input_base, 0u);
  EXPECT_EQ(m.id_count, 0xffffu);
  EXPECT_EQ(m.output_ref, 48u);
}

TEST(IortBuild, AccelSmmusGetRmrNodesAfterTheRootComplexInBusOrder) {
  IortModel model = three_pxb_model();
  model.smmus[0].accel = true;  // buses 0xf0.. : second in bus order, node @0xa0
  model.smmus[2].accel = true;  // buses 0xfa.. : third, node @0xf8
  const auto bytes = build_iort(model);
  constexpr uint32_t rc_offset = 0x150, rc_length = 36 + 20 * 7;
  constexpr uint32_t rmr0 = rc_offset + rc_length, rmr1 = rmr0 + 68;
  EXPECT_EQ(bytes.size(), rmr1 + 68);
  EXPECT_EQ(le32(bytes, 36), 7u);  // ITS, 3 SMMUs, RC, 2 RMRs

  // Raw layout of the first RMR node.
  EXPECT_EQ(bytes[rmr0], 6);
  EXPECT_EQ(bytes[rmr0 + 1] | bytes[rmr0 + 2] << 8, 68);
  EXPECT_EQ(bytes[rmr0 + 3], 3);
  EXPECT_EQ(le32(bytes, rmr0 + 8), 1u);    // one ID mapping
  EXPECT_EQ(le32(bytes, rmr0 + 12), 28u);  // ... at 28
  EXPECT_EQ(le32(bytes, rmr0 + 16), 0u);   // flags
  EXPECT_EQ(le32(bytes, rmr0 + 20), 1u);   // one memory range
  EXPECT_EQ(le32(bytes, rmr0 + 24), 48u);  // ... at 48

  const auto t = decoded(model);
  ASSERT_EQ(t.nodes.size(), 7u);
  EXPECT_EQ(t.nodes[4].offset, rc_offset);
  EXPECT_EQ(t.nodes[4].identifier, 4u);
  const IortNode& a = t.nodes[5];
  const IortNode& b = t.nodes[6];
  EXPECT_EQ(a.offset, rmr0);
  EXPECT_EQ(b.offset, rmr1);
  EXPECT_EQ(a.identifier, 5u);
  EXPECT_EQ(b.identifier, 6u);
  ASSERT_EQ(a.mappings.size(), 1u);
  EXPECT_EQ(a.mappings[0].input_base, 0xf000u);
  EXPECT_EQ(a.mappings[0].id_count, 0x3ffu);
  EXPECT_EQ(a.mappings[0].output_base, 0xf000u);
  EXPECT_EQ(a.mappings[0].output_ref, 0xa0u);
  EXPECT_EQ(a.mappings[0].flags, 1u);
  ASSERT_EQ(b.mappings.size(), 1u);
  EXPECT_EQ(b.mappings[0].input_base, 0xfa00u);
  EXPECT_EQ(b.mappings[0].output_ref, 0xf8u);
  ASSERT_EQ(b.rmr_ranges.size(), 1u);
  EXPECT_EQ(b.rmr_ranges[0].base, 0x08000000u);
  EXPECT_EQ(b.rmr_ranges[0].length, 0x100000u);
}

TEST(IortBuild, AtsAttributeIsSetWhenAnySmmuHasAts) {
  EXPECT_EQ(root_complex(decoded(two_pxb_model())).ats_attribute, 0u);
  IortModel model = two_pxb_model();
  model.smmus[1].ats = true;
  EXPECT_EQ(root_complex(decoded(model)).ats_attribute, 1u);
}

TEST(IortBuild, RmrNodeDecodesBack) {
  IortSmmu smmu;
  smmu.base = 0x0c000000;
  smmu.identifier = 1;
  smmu.buses = {0x80, 0x8f};
  smmu.accel = true;
  auto t = decode_iort(build_iort({{smmu}}), ErrorKind::PlanFile);
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->nodes.size(), 4u);
  EXPECT_EQ(t->nodes[3].type, 6);
  EXPECT_EQ(t->nodes[3].rmr_flags, 0u);
  ASSERT_EQ(t->nodes[3].rmr_ranges.size(), 1u);
  EXPECT_EQ(t->nodes[3].rmr_ranges[0].length, 0x100000u);
}

}  // namespace
}  // namespace smmu
