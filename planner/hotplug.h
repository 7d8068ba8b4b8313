// Hotplug into a running guest: a host device put on a spare root port of
// its own host SMMU's vSMMU, and taken off again.
//
// A running guest's topology is fixed: QEMU cannot hotplug an arm-smmuv3,
// nor a root port onto a pxb's bus (docs/qemu.md, Hotplug). What is left to
// choose is which spare port, and the plan after the change is the plan that
// would cold-boot the same guest: the port holds the device, which gets the
// guest BDF the port's secondary bus gives it (planner/plan.h, bus rule).
//
// Refusals, each saying what to do: a device already planned, unknown or
// not assignable (Request); no vSMMU for its host SMMU, no free port under
// it, host SMMU caps that are no longer the vSMMU's, 64-bit BARs the port's
// window cannot hold (NoFit).
#pragma once

#include <string>

#include "common/bdf.h"
#include "common/result.h"
#include "hostprobe/inventory.h"
#include "planner/plan.h"

namespace smmu {

struct Hotplug {
  Plan plan;           // the plan with the device in place; passes check_plan
  DevicePlan device;   // the device as placed in it (plan.vsmmu_of(device): its vSMMU and host SMMU)
  // What the operator should know: a GPU gets no NUMA nodes when hotplugged
  // (QEMU takes them at start only). Empty when nothing.
  std::string note;
};

// `plan` (checked) with `device` of `inv` on the first free spare root port,
// in (slot, function) order, of its host SMMU's vSMMU. Its id is the next
// "devN" the plan has not used.
Result<Hotplug> plan_hotplug(const Plan& plan, const Inventory& inv, const Bdf& device);

// `plan` without the device assigned from `host`, its root port spare again.
// Refused (Request): a device not in the plan; a GPU with guest NUMA nodes,
// which its generic initiators name for as long as the guest runs.
Result<Plan> plan_unplug(const Plan& plan, const Bdf& host);

// The device assigned from `host`, if the plan has it.
const DevicePlan* planned_device(const Plan& plan, const Bdf& host);

}  // namespace smmu
