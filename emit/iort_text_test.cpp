#include "emit/iort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace smmu {
namespace {

IortSmmu smmu_at(uint64_t base, uint32_t gsiv, uint32_t id, uint8_t first, uint8_t last) {
  IortSmmu s;
  s.base = base;
  s.gsiv_base = gsiv;
  s.identifier = id;
  s.buses = {first, last};
  return s;
}

// The two-pxb guest: SMMUv3 nodes @0x48 and @0xa0, the root complex @0xf8.
IortModel two_smmus() {
  return {{smmu_at(0x0c000000, 0x90, 1, 0xe5, 0xe6), smmu_at(0x0c020000, 0x94, 2, 0xee, 0xef)}};
}

IortTable table_of(const IortModel& model) {
  auto t = decode_iort(build_iort(model), ErrorKind::PlanFile);
  EXPECT_TRUE(t.ok()) << t.error().message;
  return t.ok() ? *t : IortTable{};
}

TEST(IortText, DumpIsOneFieldPerLine) {
  const std::string text = iort_to_text(table_of(two_smmus()));
  const std::string head =
      "IORT\n"
      "  length: 384\n"
      "  revision: 5\n"
      "  oem_id: \"BOCHS \"\n"
      "  oem_table_id: \"BXPC    \"\n"
      "  node_count: 4\n"
      "ITS group node @0x30\n"
      "  length: 24\n";
  EXPECT_EQ(text.substr(0, head.size()), head);
  for (const char* line : {"\nSMMUv3 node @0xa0\n  length: 88\n  revision: 4\n  identifier: 2\n",
                           "\n  base: 0x0c020000\n", "\n  gsiv_gerr: 0x97\n",
                           "\nRoot complex node @0xf8\n", "\n  ats_attribute: 0\n",
                           "\n  mapping[1].output_ref: 0xa0\n", "\n  mapping[2].id_count: 0xe4ff\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
}

TEST(IortText, JsonUsesNumbersAndTypeNames) {
  IortModel model = two_smmus();
  model.smmus[0].accel = true;
  const auto j = iort_to_json(table_of(model));
  EXPECT_EQ(j["revision"], 5);
  ASSERT_EQ(j["nodes"].size(), 5u);
  EXPECT_EQ(j["nodes"][0]["type"], "its_group");
  EXPECT_EQ(j["nodes"][0]["its_ids"], nlohmann::json::array({0}));
  EXPECT_EQ(j["nodes"][1]["type"], "smmuv3");
  EXPECT_EQ(j["nodes"][1]["base"], 0x0c000000);
  EXPECT_EQ(j["nodes"][1]["offset"], 0x48);
  EXPECT_EQ(j["nodes"][3]["type"], "root_complex");
  EXPECT_EQ(j["nodes"][3]["mappings"][0]["input_base"], 0xe500);
  EXPECT_EQ(j["nodes"][3]["mappings"][0]["output_ref"], 0x48);
  EXPECT_EQ(j["nodes"][4]["type"], "rmr");
  EXPECT_EQ(j["nodes"][4]["memory_ranges"][0]["base"], 0x08000000);
}

TEST(IortDiff, EqualTablesHaveNoDifferences) {
  EXPECT_TRUE(diff_iort(table_of(two_smmus()), table_of(two_smmus())).empty());
  EXPECT_TRUE(diff_iort(table_of({}), table_of({})).empty());
}

TEST(IortDiff, ChangedBaseAndMappingAreSeparateLines) {
  IortModel changed = two_smmus();
  changed.smmus[1].base = 0x0c060000;
  changed.smmus[1].buses = {0xef, 0xf0};
  const auto lines = diff_iort(table_of(two_smmus()), table_of(changed));
  const auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(has("SMMUv3 node @0xa0: base 0x0c020000 != 0x0c060000"));
  EXPECT_TRUE(has("Root complex node @0xf8: mapping[1].input_base 0xee00 != 0xef00"));
  EXPECT_TRUE(has("Root complex node @0xf8: mapping[1].output_base 0xee00 != 0xef00"));
  for (const auto& line : lines) {
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_TRUE(line.rfind("SMMUv3 node @0xa0: base", 0) == 0 ||
                line.rfind("Root complex node @0xf8: mapping[", 0) == 0)
        << line;
  }
}

TEST(IortDiff, NodeCountAndTypeChanges) {
  const auto lines = diff_iort(table_of({}), table_of({{smmu_at(0x0c000000, 0x90, 1, 0, 0xff)}}));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "node count 2 != 3");
  EXPECT_EQ(lines[1], "Root complex node @0x48: type Root complex != SMMUv3");
  EXPECT_EQ(lines.back(), "Root complex node @0xa0: not in expected");
}

}  // namespace
}  // namespace smmu
