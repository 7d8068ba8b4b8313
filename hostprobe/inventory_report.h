// The two faces of `smmu-plan probe`: the --json contract and a table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/hex.h"
#include "hostprobe/inventory.h"

namespace smmu {

// {"smmus":[{name, base, numa_node, caps, caps_unavailable, caps_device}],
// "devices":[{bdf, smmu, iommu_group, driver, vfio, assignable, reason,
// numa_node, vendor, device, class, ...}], "iort_note"}
// Absent values are null; numa_node is -1 when the kernel does not know.
nlohmann::json inventory_to_json(const Inventory& inv);

// Devices grouped under their SMMU (SMMUs by base, each with its caps or why
// there are none), then those behind none; last the IORT cross-check note.
std::string inventory_to_table(const Inventory& inv);

}  // namespace smmu
