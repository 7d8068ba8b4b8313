// The NUMA map: which guest node each pxb goes on, from its host SMMU's node.
// No map, no node: a pxb numa_node needs a matching guest -numa node, which
// smmu-plan does not create. With a map every pxb gets one, or the plan fails
// saying which host node needs a guest node: never a silent default.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/request.h"

namespace smmu {

// "HOST:GUEST[,HOST:GUEST...]" (--numa-map), added to `map`. A host node
// given twice or a node out of range is a Usage error.
Status parse_numa_map_spec(std::string_view spec, NumaMap& map);

// The host node of a vSMMU: its SMMU's, else the one all its devices share;
// -1 when neither says.
int host_numa_node(const HostSmmu& smmu, const std::vector<const PciDevice*>& devices);

// The guest node for the pxb of `smmu` holding `devices`: none without a map;
// a Request error when the host node is unknown or not in the map.
Result<std::optional<int>> guest_numa_node(const NumaMap& map, const HostSmmu& smmu,
                                           const std::vector<const PciDevice*>& devices);

}  // namespace smmu
