// Inventory + request -> plan. Deterministic: the same host and request give
// the same plan, byte for byte.
//
// Layout (each step's invariant holds for the next):
//  1. devices: the requested ones (planner/device_selection.h), each known
//     and assignable, none twice;
//  2. vSMMUs: one per host SMMUv3 holding a requested device, ordered by SMMU
//     base; its devices ordered by host BDF, then the spare hotplug ports,
//     each keeping request.hotplug_pref64_reserve rounded up to a power of
//     two (none without it; a Request error for 0, more than the largest
//     high MMIO window, or no spare ports);
//  3. buses: pcie.0 keeps 0..pcie0_buses; the pxb ranges are packed with no
//     gap against the top of the bus space (the last ends at 255), in vSMMU
//     order, so creation order is bus order;
//  4. names and addresses: every id, slot and function explicit (a root
//     port's chassis is its bus, planner/plan.h);
//     with a NUMA map, every pxb's guest node (planner/numa_map.h).
//  5. caps: each vSMMU's from its host SMMU's (planner/vsmmu_caps.h).
//  6. GPUs: guest NUMA nodes and root port reserves (planner/gpu_plan.h);
//  7. the high MMIO window: every device's 64-bit BARs and every root
//     port's reserve, spare ports' included (planner/gpu_plan.h).
// The result passes check_plan(); a request that cannot fit is an
// ErrorKind::NoFit saying what is missing.
#pragma once

#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/plan.h"
#include "planner/request.h"

namespace smmu {

Result<Plan> make_plan(const Inventory& inv, const PlanRequest& request);

}  // namespace smmu
