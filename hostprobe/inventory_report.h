// The two faces of `smmu-plan probe`: the --json contract and a table.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/hex.h"
#include "hostprobe/inventory.h"

namespace smmu {

// {"smmus":[{name, base, numa_node, caps, caps_unavailable, caps_device}],
// "devices":[{bdf, smmu, iommu_group, driver, vfio, assignable, reason,
// numa_node, vendor, device, class, ...}], "iort_note"}, as nlohmann's
// dump(2) writes it (keys sorted), with a final newline. Absent values are
// null; numa_node is -1 when the kernel does not know. Handed to `write` a
// piece at a time (one per device or SMMU), never held whole: a tree, or a
// string, of a 2,000-device host's inventory cost thousands of page faults
// (docs/performance.md). Stops at the first piece `write` refuses (false).
bool write_inventory_json(const Inventory& inv, const std::function<bool(std::string_view)>& write);

// The same, as one string (tests).
std::string inventory_json_text(const Inventory& inv);

// Devices grouped under their SMMU (SMMUs by base, each with its caps or why
// there are none), then those behind none; last the IORT cross-check note.
std::string inventory_to_table(const Inventory& inv);

}  // namespace smmu
