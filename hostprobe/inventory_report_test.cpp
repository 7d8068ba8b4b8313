#include "hostprobe/inventory_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace smmu {
namespace {

TEST(InventoryReport, ALongReasonIsPrintedWhole) {
  Inventory inv;
  PciDevice d;
  d.bdf = Bdf{2, 1, 0, 1};
  d.vendor = 0x15b3;
  d.device = 0x101e;
  d.class_code = 0x020000;
  d.driver = "mlx5_core";
  d.reason = "in IOMMU group 7 with " + std::string(400, 'x') + " still bound to its host driver";
  inv.devices.push_back(d);
  std::string table = inventory_to_table(inv);
  EXPECT_NE(table.find("no: " + d.reason + "\n"), std::string::npos) << table;
  EXPECT_NE(table.find("0 SMMUv3, 1 PCI devices, 0 assignable\n"), std::string::npos) << table;
}

// The text is what nlohmann's dump(2) writes for the same document, built
// one device at a time or not: empty arrays, nested arrays and objects, nulls.
void expect_dump_format(const Inventory& inv) {
  std::string text = inventory_json_text(inv);
  EXPECT_EQ(nlohmann::json::parse(text).dump(2) + "\n", text);
}

TEST(InventoryReport, JsonTextIsDumpsFormat) {
  Inventory inv;
  expect_dump_format(inv);
  EXPECT_NE(inventory_json_text(inv).find("\"devices\": [],"), std::string::npos);

  HostSmmu s;
  s.name = "smmu3.0x0000000012000000";
  s.base = 0x12000000;
  s.caps_unavailable = "no device to ask";
  inv.smmus.push_back(s);
  s.name = "smmu3.0x0000000013000000";
  s.caps = SmmuCaps{};
  s.caps->gran4k = true;
  inv.smmus.push_back(s);
  PciDevice d;
  d.bdf = Bdf{2, 1, 0, 0};
  d.smmu = 0;
  d.driver = "a \"quoted\"\nname";
  d.bars.push_back({0, 1 << 20, true, true});
  d.virtfns = {Bdf{2, 1, 0, 1}, Bdf{2, 1, 0, 2}};
  inv.devices.push_back(d);
  d.bdf = Bdf{2, 2, 0, 0};
  inv.devices.push_back(d);
  inv.iort_note = "IORT: none";
  expect_dump_format(inv);
  EXPECT_EQ(nlohmann::json::parse(inventory_json_text(inv))["devices"].size(), 2u);
}

}  // namespace
}  // namespace smmu
