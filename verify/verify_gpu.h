// Does a booted guest show the plan's GPU parts (planner/gpu_plan.h)?
//  - its SRAT holds exactly one enabled generic initiator per planned GPU
//    node, naming that GPU's guest BDF, and no other;
//  - its kernel took those nodes as generic-initiator nodes, and no other;
//    a node the guest kernel cannot hold (at or above its MAX_NUMNODES,
//    when the guest says) is counted in the summary, not a difference:
//    the SRAT check still covers it;
//  - firmware gave every root port with a pref64 reserve a 64-bit
//    prefetchable window at least that large (which it can only do when the
//    high MMIO window holds them all).
// Each check runs when the guest reported what it needs.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "planner/plan.h"
#include "verify/guest_report.h"

namespace smmu {

// Appends a line per difference; returns what was checked ("" when the plan
// has no GPU parts or the guest reported none of them). Fails only when the
// guest's SRAT cannot be decoded (ErrorKind::GuestReport).
Result<std::string> check_gpus(const Plan& plan, const GuestReport& guest,
                               std::vector<std::string>& differences);

}  // namespace smmu
