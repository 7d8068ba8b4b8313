// Plans of the two topologies booted for tests/data/guest-samples, built
// by hand so emitter tests can compare against what a real guest read.
#pragma once

#include "planner/plan.h"

namespace smmu::test {

// Builds a vSMMU whose root ports sit at `slots` (function 0), the first
// `devices` of them holding a device; ids from `k`.
VsmmuPlan vsmmu_at(unsigned k, uint8_t bus_nr, std::vector<uint8_t> slots, size_t devices,
                   Plan& plan);

// two-pxb: pxb 0xe5 and 0xee, one port and one device each.
Plan two_pxb_plan();
// three-pxb, in creation order: pxb 0xf0 with ports at slots 0,1,2 (the
// third empty), pxb 0xe0 with one, pxb 0xfa with one at slot 3.
Plan three_pxb_plan();
// two_pxb_plan with dev1 a GPU: guest NUMA nodes 1 and 2, a 256 GiB
// pref64 reserve on pxb1.rp0, a 1 TiB high MMIO window.
Plan gpu_plan();
// three_pxb_plan with a 512 GiB pref64 reserve on its spare port pxb0.rp2
// (--hotplug-pref64-reserve 512G) and the 1 TiB high MMIO window that needs.
Plan spare_reserve_plan();
// One pxb 0xf0 on node 1 with root ports 0.0 (holding a device), 0.1 and
// 1.0: slot 0 multifunction, as make_plan lays out more than 32 ports.
Plan multifunction_plan();

}  // namespace smmu::test
