#include "acpi/iort_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/test_paths.h"

namespace smmu {
namespace {

std::vector<uint8_t> sample(const std::string& name) {
  std::ifstream in(smmu::test::source_dir() + "/tests/data/guest-samples/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), {}};
}

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.at(at + i) = uint8_t(v >> (8 * i));
}

// The decode fails with `kind` and a one-line message naming `offset`.
void expect_error_at(const std::vector<uint8_t>& bytes, const std::string& offset,
                     ErrorKind kind = ErrorKind::PlanFile) {
  auto t = decode_iort(bytes, kind);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, kind);
  EXPECT_NE(t.error().message.find("offset " + offset + ":"), std::string::npos)
      << t.error().message;
  EXPECT_EQ(t.error().message.find('\n'), std::string::npos);
}

TEST(IortDecode, TwoPxbGuestSample) {
  auto t = decode_iort(sample("two-pxb.iort.bin"), ErrorKind::PlanFile);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->length, 0x180u);
  EXPECT_EQ(t->revision, 5);
  EXPECT_EQ(t->oem_id, "BOCHS ");
  EXPECT_EQ(t->oem_table_id, "BXPC    ");
  ASSERT_EQ(t->nodes.size(), 4u);

  const IortNode& its = t->nodes[0];
  EXPECT_EQ(its.type, 0);
  EXPECT_EQ(its.offset, 48u);
  EXPECT_EQ(its.length, 24);
  EXPECT_EQ(its.its_ids, std::vector<uint32_t>{0});
  EXPECT_TRUE(its.mappings.empty());

  const IortNode& smmu = t->nodes[2];
  EXPECT_EQ(smmu.type, 4);
  EXPECT_EQ(smmu.offset, 0xa0u);
  EXPECT_EQ(smmu.length, 0x58);
  EXPECT_EQ(smmu.revision, 4);
  EXPECT_EQ(smmu.identifier, 2u);
  EXPECT_EQ(smmu.base, 0x0c020000u);
  EXPECT_EQ(smmu.smmu_flags, 1u);
  EXPECT_EQ(smmu.gsiv_event, 0x94u);
  EXPECT_EQ(smmu.gsiv_pri, 0x95u);
  EXPECT_EQ(smmu.gsiv_gerr, 0x97u);
  EXPECT_EQ(smmu.gsiv_sync, 0x96u);
  ASSERT_EQ(smmu.mappings.size(), 1u);
  EXPECT_EQ(smmu.mappings[0].id_count, 0xffffu);
  EXPECT_EQ(smmu.mappings[0].output_ref, 48u);

  const IortNode& rc = t->nodes[3];
  EXPECT_EQ(rc.type, 2);
  EXPECT_EQ(rc.identifier, 3u);
  EXPECT_EQ(rc.cca, 1u);
  EXPECT_EQ(rc.mem_access_flags, 3);
  EXPECT_EQ(rc.ats_attribute, 0u);
  EXPECT_EQ(rc.memory_address_limit, 64);
  ASSERT_EQ(rc.mappings.size(), 5u);
  const std::vector<std::pair<uint32_t, uint32_t>> want = {
      {0xe500, 0x1ff}, {0xee00, 0x1ff}, {0x0000, 0xe4ff}, {0xe700, 0x6ff}, {0xf000, 0xfff}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(rc.mappings[i].input_base, want[i].first) << i;
    EXPECT_EQ(rc.mappings[i].id_count, want[i].second) << i;
    EXPECT_EQ(rc.mappings[i].output_base, want[i].first) << i;
  }
  EXPECT_EQ(rc.mappings[1].output_ref, 0xa0u);
  EXPECT_EQ(rc.mappings[4].output_ref, 48u);
}

TEST(IortDecode, ThreePxbGuestSampleOrdersSmmusByBus) {
  auto t = decode_iort(sample("three-pxb.iort.bin"), ErrorKind::HostTree);
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->nodes.size(), 5u);
  EXPECT_EQ(t->nodes[1].identifier, 2u);
  EXPECT_EQ(t->nodes[1].base, 0x0c020000u);
  EXPECT_EQ(t->nodes[2].identifier, 1u);
  EXPECT_EQ(t->nodes[2].base, 0x0c000000u);
  EXPECT_EQ(t->nodes[3].identifier, 3u);
  EXPECT_EQ(t->nodes[3].gsiv_event, 0x98u);
  EXPECT_EQ(t->nodes[4].identifier, 4u);
  EXPECT_EQ(t->nodes[4].mappings.size(), 7u);
}

TEST(IortDecode, UnknownNodeTypeKeepsHeaderFieldsOnly) {
  auto bytes = sample("two-pxb.iort.bin");
  bytes[48] = 5;  // the ITS group becomes a type this decoder does not know
  auto t = decode_iort(bytes, ErrorKind::PlanFile);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->nodes[0].type, 5);
  EXPECT_EQ(t->nodes[0].length, 24);
  EXPECT_EQ(t->nodes[0].revision, 1);
  EXPECT_TRUE(t->nodes[0].its_ids.empty());
  EXPECT_EQ(t->nodes[1].type, 4);  // the walk continues past it
}

TEST(IortDecode, TruncatedHeader) {
  auto bytes = sample("two-pxb.iort.bin");
  bytes.resize(40);
  expect_error_at(bytes, "0x28");
}

TEST(IortDecode, LengthFieldLargerThanData) {
  auto bytes = sample("two-pxb.iort.bin");
  bytes.resize(bytes.size() - 1);
  expect_error_at(bytes, "0x4", ErrorKind::HostTree);
}

TEST(IortDecode, NodeArrayOffsetOutOfRange) {
  auto bytes = sample("two-pxb.iort.bin");
  put32(bytes, 40, 0x1000);
  expect_error_at(bytes, "0x28");
}

TEST(IortDecode, NodeLengthZero) {
  auto bytes = sample("two-pxb.iort.bin");
  bytes[0x49] = bytes[0x4a] = 0;  // the first SMMUv3 node's length
  expect_error_at(bytes, "0x49");
}

TEST(IortDecode, NodeRunsPastTheTable) {
  auto bytes = sample("two-pxb.iort.bin");
  bytes[0xf9] = 0xff;  // root complex length 0x88 -> 0xff
  expect_error_at(bytes, "0xf9");
}

TEST(IortDecode, NodeCountLargerThanTheNodes) {
  auto bytes = sample("two-pxb.iort.bin");
  put32(bytes, 36, 5);
  expect_error_at(bytes, "0x180");
}

TEST(IortDecode, IdArrayPastTheNode) {
  auto bytes = sample("two-pxb.iort.bin");
  put32(bytes, 0x48 + 8, 2);  // the first SMMUv3 node claims two mappings
  expect_error_at(bytes, "0x8c");
}

TEST(IortDecode, MappingToNoNode) {
  auto bytes = sample("two-pxb.iort.bin");
  put32(bytes, 0x11c + 12, 0x4c);  // root complex mapping 0 -> inside a node
  expect_error_at(bytes, "0x128");
}

}  // namespace
}  // namespace smmu
