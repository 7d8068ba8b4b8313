#include "hostprobe/inventory_report.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace smmu
